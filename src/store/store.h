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
#include <vector>

#include "core/result.h"
#include "domain/credentials.h"
#include "domain/model.h"

namespace bf {

struct UserFilter {
  std::string q;                  // substring of name or email, case-insensitive; empty: all
  std::optional<UserStatus> status;
  std::string permission_set_id;  // empty: any
  int limit = 50;
  // Keyset position: return users ordered by (lower(name), id) strictly after this pair.
  std::optional<std::pair<std::string, std::string>> after;
};

struct ActivityFilter {
  std::string actor_id, credential_id, user_id, action;  // empty: any
  int version = 0;  // with credential_id: only entries about this version; 0: any
  std::optional<Timestamp> since, until;                 // since inclusive, until exclusive
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
  std::optional<bool> archived;           // nullopt: both
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

// One transaction. Destroying it without Commit() rolls back everything it did.
// Not thread-safe: one unit belongs to one request at a time.
class UnitOfWork {
 public:
  virtual ~UnitOfWork() = default;
  virtual Status Commit() = 0;

  // Organisations.
  virtual Status InsertOrganization(const Organization& org) = 0;
  virtual Result<std::optional<Organization>> FindOrganization(const std::string& id) = 0;
  virtual Status UpdateOrganization(const Organization& org) = 0;  // name, zone, format, settings
  virtual Result<int64_t> CountOrganizations() = 0;

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
  // Writes the credential row: archived, revision, the latest version's fields, updated_*.
  virtual Status UpdateCredential(const Credential& credential) = 0;
  // Inserts a version (with its media links).
  virtual Status InsertVersion(const CredentialVersion& version) = 0;
  // Rewrites a version's fields (and its media links).
  virtual Status UpdateVersion(const CredentialVersion& version) = 0;
  // Every version, newest first, media filled.
  virtual Result<std::vector<CredentialVersion>> ListVersions(const std::string& credential_id) = 0;
  virtual Result<CredentialPage> ListCredentials(const std::string& org_id,
                                                 const CredentialFilter& filter) = 0;
  // Removes the credential and every version (and, later, media) irreversibly.
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
};

class Store {
 public:
  virtual ~Store() = default;
  // Starts a transaction. `write` units take the write lock at once (so two writers never
  // deadlock upgrading); read units see one consistent snapshot.
  virtual Result<std::unique_ptr<UnitOfWork>> Begin(bool write) = 0;
  // kUnavailable when the database cannot be reached.
  virtual Status Ping() = 0;
};

}  // namespace bf
