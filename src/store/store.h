// The persistence interface. Services see only this file; a backend (sqlite/, later postgres/)
// implements it. Every method of a UnitOfWork runs inside that unit's one transaction.
//
// Naming: Find… returns Result<std::optional<T>> (absence is normal); methods that must find
// their row return kNotFound. Every lookup of tenant data takes the organisation id, so a row of
// another organisation is simply not found.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/credentials.h"
#include "domain/media.h"
#include "domain/model.h"
#include "domain/reminders.h"
#include "store/group_repository.h"

namespace bf {

struct UserFilter {
  std::string q;  // substring of name or email, case-insensitive; empty: all
  std::optional<UserStatus> status;
  std::string permission_set_id;  // empty: any
  int limit = 50;
  // Keyset position: return users ordered by (lower(name), id) strictly after this pair.
  std::optional<std::pair<std::string, std::string>> after;
};

struct ActivityFilter {
  std::string actor_id, credential_id, user_id, action;  // empty: any
  int version = 0;  // with credential_id: only entries about this version; 0: any
  std::optional<Timestamp> since, until;  // since inclusive, until exclusive
  int limit = 50;
  std::optional<int64_t> before_seq;  // keyset: entries older than this
};

// An activity entry with its position in the log (for cursors).
struct ActivityRow {
  int64_t seq = 0;
  Activity activity;
};

// A closed range of dates; either end may be open.
struct DateRange {
  std::optional<Date> from;  // inclusive
  std::optional<Date> to;    // inclusive
};

enum class CredentialSort { kExpiryDate, kExpiryDateDesc, kUpdatedAt, kUpdatedAtDesc, kUserName };

// Which credentials a list returns. Expiry statuses arrive already turned into date ranges by
// the service (they depend on "today" in the organisation's zone), so the store never needs the
// clock.
struct CredentialFilter {
  std::string user_id;  // empty: any holder
  std::string type_id;  // empty: any type
  // Expiry: when `by_expiry` is set, a credential matches if its expiry date lies in one of
  // `expiry_ranges`, or it has no expiry date and `no_expiry` is set.
  bool by_expiry = false;
  std::vector<DateRange> expiry_ranges;
  bool no_expiry = false;
  std::vector<ApprovalStatus> approval;  // empty: any
  std::optional<bool> archived;          // nullopt: both
  std::string q;  // case-insensitive substring of holder name or email, type name or number
  CredentialSort sort = CredentialSort::kExpiryDate;
  int limit = 50;
  // Keyset: the sort key and id of the last row of the previous page, as the store encoded
  // them in ListCredentials' `next_after`.
  std::string after;
};

struct CredentialPage {
  std::vector<Credential> items;
  std::string next_after;  // "" when this is the last page
};

struct StatusCounts {
  int64_t total = 0, valid = 0, expiring_soon = 0, expired = 0, no_expiry = 0;
  int64_t pending_approval = 0, rejected = 0;
};

struct TypeCounts {
  std::string type_id;
  std::string type_name;
  StatusCounts counts;
};

struct CredentialSummary {
  StatusCounts all;
  std::vector<TypeCounts> by_type;  // types with at least one unarchived credential, by name
};

// ---- Import (sqlite/imports.cc): the bulk upload of CSV.md -----------------------------------

// A user as an import matches emails against.
struct ImportUser {
  std::string id;
  std::string name;
  std::string email;
  bool active = true;
};

// A credential type as an import matches names against.
struct ImportType {
  std::string id;
  std::string name;
  bool expires = true;
};

// An existing credential a row may target: holder, type, and its latest version's fields.
struct ImportTarget {
  std::string id;
  std::string user_id;
  std::string type_id;
  bool archived = false;
  int version = 1;
  Date issue_date;
  std::optional<Date> expiry_date;
  std::string credential_number;
};

// A version an import writes: version 1 of a new credential, or the next one of a credential.
struct ImportedVersion {
  std::string credential_id;
  std::string user_id;  // of a new credential
  std::string type_id;  // of a new credential
  int version = 1;
  Date issue_date;
  std::optional<Date> expiry_date;
  std::string credential_number;
  ApprovalStatus approval_status = ApprovalStatus::kNotRequired;
  std::string approved_by;  // "" unless approved by a user (the system approves as nobody)
  Timestamp at;             // created, updated and (when approved) approved at
  std::string actor_id;     // created and updated by; "" for the system
};

// One transaction. Destroying it without Commit() rolls back everything it did.
// Not thread-safe: one unit belongs to one request at a time.
class UnitOfWork : public GroupRepository {
 public:
  virtual ~UnitOfWork() = default;
  virtual Status Commit() = 0;

  // Organisations.
  virtual Status InsertOrganization(const Organization& org) = 0;
  virtual Result<std::optional<Organization>> FindOrganization(const std::string& id) = 0;
  virtual Status UpdateOrganization(const Organization& org) = 0;  // name, zone, format, settings
  virtual Result<int64_t> CountOrganizations() = 0;
  // Holds the organisation's lock until this unit ends: units that lock the same organisation
  // run one after the other. A rule checked over many rows before one is written (the
  // organisation keeps an active administrator) holds only if no second unit checks at the same
  // time. SQLite's single writer already serialises write units (a no-op there); PostgreSQL
  // locks the organisation's row (SELECT … FOR UPDATE).
  virtual Status LockOrganization(const std::string& org_id) = 0;

  // Permission sets.
  virtual Status InsertPermissionSet(const PermissionSet& set) = 0;
  virtual Result<std::optional<PermissionSet>> FindPermissionSet(const std::string& org_id,
                                                                 const std::string& id) = 0;
  virtual Result<std::optional<PermissionSet>> FindPermissionSetByName(
      const std::string& org_id, const std::string& name) = 0;  // case-insensitive
  virtual Result<std::vector<PermissionSet>> ListPermissionSets(const std::string& org_id) = 0;
  virtual Status UpdatePermissionSet(const PermissionSet& set) = 0;  // name, permissions
  virtual Status DeletePermissionSet(const std::string& org_id, const std::string& id) = 0;
  virtual Result<int64_t> CountUsersWithPermissionSet(const std::string& org_id,
                                                      const std::string& id) = 0;

  // Users. Reads fill permission_set_name and permissions from the user's set.
  virtual Status InsertUser(const User& user) = 0;  // kConflict "email_taken" if taken
  virtual Result<std::optional<User>> FindUser(const std::string& org_id,
                                               const std::string& id) = 0;
  virtual Result<std::optional<User>> FindUserByEmail(const std::string& org_id,
                                                      const std::string& email) = 0;
  // Every user with this email in any organisation (for sign-in without an organisation id).
  virtual Result<std::vector<User>> FindUsersByEmailInAnyOrg(const std::string& email) = 0;
  virtual Result<std::vector<User>> ListUsers(const std::string& org_id,
                                              const UserFilter& filter) = 0;
  // name, email, status, permission_set_id, password_hash, updated_at.
  virtual Status UpdateUser(const User& user) = 0;

  // Sessions.
  virtual Status InsertSession(const Session& session) = 0;
  virtual Result<std::optional<Session>> FindSession(const std::string& id_hash) = 0;
  virtual Status DeleteSession(const std::string& id_hash) = 0;
  virtual Status DeleteSessionsOfUser(const std::string& user_id) = 0;
  virtual Status DeleteExpiredSessions(Timestamp now) = 0;

  // API tokens.
  virtual Status InsertToken(const ApiToken& token) = 0;
  virtual Result<std::optional<ApiToken>> FindTokenByHash(const std::string& token_hash) = 0;
  virtual Result<std::vector<ApiToken>> ListTokens(const std::string& user_id) = 0;  // oldest first
  // Returns false when the user has no such token.
  virtual Result<bool> DeleteToken(const std::string& user_id, const std::string& id) = 0;
  virtual Status DeleteTokensOfUser(const std::string& user_id) = 0;

  // Failed sign-ins, shared by every node (service/throttle.h). Each key is a hash.
  // The failures of each key at or after `since`, in the order of `keys`.
  virtual Result<std::vector<int64_t>> CountLoginFailures(const std::vector<std::string>& keys,
                                                          Timestamp since) = 0;
  // One failure at `at` under each key, and forgets every failure before `forget_before`.
  virtual Status RecordLoginFailure(const std::vector<std::string>& keys, Timestamp at,
                                    Timestamp forget_before) = 0;
  virtual Status ClearLoginFailures(const std::string& key) = 0;

  // Credential types. Reads fill credential_count (archived credentials included).
  virtual Status InsertCredentialType(const CredentialType& type) = 0;
  virtual Result<std::optional<CredentialType>> FindCredentialType(const std::string& org_id,
                                                                   const std::string& id) = 0;
  virtual Result<std::optional<CredentialType>> FindCredentialTypeByName(
      const std::string& org_id, const std::string& name) = 0;  // case-insensitive
  // Sorted by name (case-insensitive); q: case-insensitive substring of the name.
  virtual Result<std::vector<CredentialType>> ListCredentialTypes(const std::string& org_id,
                                                                  const std::string& q) = 0;
  virtual Status UpdateCredentialType(const CredentialType& type) = 0;
  virtual Status DeleteCredentialType(const std::string& org_id, const std::string& id) = 0;

  // Credentials. A credential row carries its latest version; both are written together.
  // Inserts the credential and its version 1 (`credential.latest`).
  virtual Status InsertCredential(const Credential& credential) = 0;
  // The credential with its latest version, holder, type name and media filled.
  virtual Result<std::optional<Credential>> FindCredential(const std::string& org_id,
                                                           const std::string& id) = 0;
  // Writes the credential row (archived, revision, the latest version's fields, updated_*) only
  // if its stored revision is still `read_revision`, the one the caller read: the condition is
  // in the statement, so of two units that read the same revision exactly one writes, on any
  // engine and any number of nodes. kPreconditionFailed "precondition_failed" when the revision
  // moved on; kNotFound without the credential. Call it before writing the credential's
  // versions, so that the loser of a race fails here (412) rather than on a version's key.
  virtual Status UpdateCredential(const Credential& credential, int64_t read_revision) = 0;
  // Inserts a version (with its media links).
  virtual Status InsertVersion(const CredentialVersion& version) = 0;
  // Rewrites a version's fields (and its media links).
  virtual Status UpdateVersion(const CredentialVersion& version) = 0;
  // Every version, newest first, media filled.
  virtual Result<std::vector<CredentialVersion>> ListVersions(const std::string& credential_id) = 0;
  virtual Result<CredentialPage> ListCredentials(const std::string& org_id,
                                                 const CredentialFilter& filter) = 0;
  // Removes the credential, every version and every media file attached to it irreversibly.
  virtual Status DeleteCredential(const std::string& org_id, const std::string& id) = 0;
  // Counts over unarchived credentials: statuses as of `today` with `expiring_soon_days`.
  virtual Result<CredentialSummary> SummarizeCredentials(const std::string& org_id, Date today,
                                                         int expiring_soon_days) = 0;

  // In-app notifications.
  virtual Status InsertNotification(const Notification& notification) = 0;
  // Newest first; `before_id`: keyset (entries created before that one); limit rows.
  virtual Result<std::vector<Notification>> ListNotifications(const std::string& user_id,
                                                              bool unread_only, int limit,
                                                              const std::string& before_id) = 0;
  // False when the user has no such notification.
  virtual Result<bool> MarkNotificationRead(const std::string& user_id, const std::string& id,
                                            Timestamp at) = 0;
  virtual Status MarkAllNotificationsRead(const std::string& user_id, Timestamp at) = 0;
  virtual Result<int64_t> CountUnreadNotifications(const std::string& user_id) = 0;

  // The activity log: append-only.
  virtual Status AppendActivity(const Activity& entry) = 0;
  // Newest first.
  virtual Result<std::vector<ActivityRow>> ListActivity(const std::string& org_id,
                                                        const ActivityFilter& filter) = 0;

  // ---- Notifications and reminders (sqlite/reminders.cc) -----------------------------------
  // Every organisation, oldest first: the reminder scheduler walks them.
  virtual Result<std::vector<Organization>> ListOrganizations() = 0;
  // The user's settings; nullopt when they never changed them (the defaults apply).
  virtual Result<std::optional<NotificationSettings>> FindNotificationSettings(
      const std::string& org_id, const std::string& user_id) = 0;
  // Inserts or replaces the user's settings.
  virtual Status SaveNotificationSettings(const NotificationSettings& settings) = 0;
  // The distinct lead-time lists that users of the organisation chose (not the defaults).
  virtual Result<std::vector<std::vector<int>>> ListChosenLeadTimes(const std::string& org_id) = 0;
  // Users of the organisation who opted into the manager digest (active or not), by id.
  virtual Result<std::vector<std::string>> ListDigestSubscribers(const std::string& org_id) = 0;
  // Unarchived credentials of active users whose latest version expires within [from, to],
  // ordered by (expiry, id), strictly after `after` when given; at most `limit`. Reads the
  // expiry index: never every credential.
  virtual Result<std::vector<ReminderCandidate>> ListReminderCandidates(
      const std::string& org_id, Date from, Date to,
      const std::optional<std::pair<Date, std::string>>& after, int limit) = 0;
  // Every reminder claimed for the credential on `channel`, all versions.
  virtual Result<std::vector<ClaimedReminder>> ListReminderClaims(const std::string& credential_id,
                                                                  Channel channel) = 0;
  // Claims a reminder; false when it was claimed already (by another pass or node).
  virtual Result<bool> ClaimReminder(const ReminderClaim& claim) = 0;
  // Claims the digest of `local_date` for a user on a channel; false when claimed already.
  virtual Result<bool> ClaimDigest(const std::string& org_id, const std::string& user_id,
                                   Date local_date, Channel channel, Timestamp at) = 0;
  // Queues an email; false (and nothing queued) when one with its dedupe_key exists.
  virtual Result<bool> EnqueueEmail(const OutboxEmail& email) = 0;
  // Takes the next email due at `now` (pending with next_attempt_at ≤ now, or sending with a
  // lease that ran out), marks it sending until `lease_until` and counts the attempt. nullopt
  // when none is due. The claim is one statement: two senders (threads or nodes) leasing at
  // once never take the same email.
  virtual Result<std::optional<OutboxEmail>> LeaseEmail(Timestamp now, Timestamp lease_until) = 0;
  // Writes the outcome of an attempt: status, next_attempt_at, last_error, sent_at; clears the
  // lease.
  virtual Status FinishEmail(const OutboxEmail& email) = 0;
  virtual Result<std::optional<OutboxEmail>> FindEmail(const std::string& dedupe_key) = 0;
  virtual Result<OutboxCounts> CountOutbox() = 0;

  // ---- Media (sqlite/media.cc) ---------------------------------------------------------------
  // A file is written while it arrives: InsertMedia (incomplete), InsertMediaChunk for each
  // chunk in order, then CompleteMedia. Only complete files are found. Attaching happens with
  // the version: InsertVersion and UpdateVersion link `version.media` and mark those files as
  // the credential's; FindCredential and ListVersions fill `media` from the links.
  virtual Status InsertMedia(const MediaFile& media) = 0;
  // One chunk of ciphertext; seq counts from 0.
  virtual Status InsertMediaChunk(const std::string& media_id, int64_t seq,
                                  std::string_view data) = 0;
  // Writes size, sha256 and chunk_count and makes the file findable. kNotFound if it is gone
  // (removed as stale meanwhile).
  virtual Status CompleteMedia(const MediaFile& media) = 0;
  // A complete file of the organisation, with `version` filled.
  virtual Result<std::optional<MediaFile>> FindMedia(const std::string& org_id,
                                                     const std::string& id) = 0;
  // The ciphertext of chunk `seq`, nullopt when there is none.
  virtual Result<std::optional<std::string>> ReadMediaChunk(const std::string& media_id,
                                                            int64_t seq) = 0;
  // Removes a file (complete or not) with its chunks, thumbnail and links.
  virtual Status DeleteMedia(const std::string& org_id, const std::string& id) = 0;
  // Removes every unattached file (complete or not, any organisation) that arrived before
  // `created_before`. Returns how many.
  virtual Result<int64_t> DeleteUnattachedMediaBefore(Timestamp created_before) = 0;
  // Removes the credential's files that no version shows any more. Returns how many.
  virtual Result<int64_t> DeleteUnlinkedMedia(const std::string& org_id,
                                              const std::string& credential_id) = 0;
  virtual Result<std::optional<MediaThumbnail>> FindMediaThumbnail(const std::string& media_id) = 0;
  // Keeps the first thumbnail saved for a file (a second save of the same file is ignored).
  virtual Status SaveMediaThumbnail(const MediaThumbnail& thumbnail) = 0;

  // ---- Import (sqlite/imports.cc) ------------------------------------------------------------
  // Lookups an import runs once (users, types) or once a row (targets), and writes that do not
  // read back: one prepared statement each.
  // Every user of the organisation, active or not.
  virtual Result<std::vector<ImportUser>> ListImportUsers(const std::string& org_id) = 0;
  // Every credential type of the organisation.
  virtual Result<std::vector<ImportType>> ListImportTypes(const std::string& org_id) = 0;
  // The credential `id` of the organisation, archived or not.
  virtual Result<std::optional<ImportTarget>> FindImportTarget(const std::string& org_id,
                                                               const std::string& id) = 0;
  // The unarchived credentials of `user_id` of type `type_id` whose lower-cased number is
  // `number_key` ("" for none): one range of the index credentials_by_user.
  virtual Result<std::vector<ImportTarget>> FindImportTargetsByKey(
      const std::string& org_id, const std::string& user_id, const std::string& type_id,
      const std::string& number_key) = 0;
  // Inserts a new credential with its version 1 (`version.version` is 1).
  virtual Status InsertImportedCredential(const std::string& org_id,
                                          const ImportedVersion& version) = 0;
  // Inserts the next version of an existing credential and makes it the latest: the
  // credential's fields follow it and its revision grows by one. kNotFound without the
  // credential.
  virtual Status InsertImportedVersion(const std::string& org_id,
                                       const ImportedVersion& version) = 0;
  // Says that this unit is about to write many rows at scattered places of several indexes (an
  // import's write pass). The engine may give the unit's connection more memory for it; it
  // takes that back when the unit ends (commit or rollback), so the connection returns to its
  // pool as it was. Engines without such a knob do nothing.
  virtual Status PrepareForBulkWrite() = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  // Starts a transaction. A read unit sees one consistent snapshot. A write unit may run beside
  // other write units (PostgreSQL) or after them (SQLite): what it must not lose to another
  // writer it guards with conditional statements (UpdateCredential's revision, the claims).
  virtual Result<std::unique_ptr<UnitOfWork>> Begin(bool write) = 0;
  // kUnavailable when the database cannot be reached.
  virtual Status Ping() = 0;
};

}  // namespace bf
