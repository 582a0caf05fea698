// The unit of work both SQL engines share: every repository method of store.h, written once
// over a sql::Connection (store/sql/statement.h) and the engine's Dialect. The methods for each
// aggregate live in their own file here (organizations.cc, users.cc, …), with their SQL as named
// constants at the top. An engine (store/sqlite/, store/postgres/) derives from it and adds
// what only it knows: how its transaction ends and PrepareForBulkWrite. What differs in the SQL
// itself is the Dialect's (store/sql/dialect.h).
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/sql/dialect.h"
#include "store/sql/statement.h"
#include "store/store.h"

namespace bf::sql {

class SqlUnitOfWork : public UnitOfWork {
 public:
  // Runs on `conn`, on which the engine has begun a transaction; does not own it.
  SqlUnitOfWork(Connection* conn, const Dialect& dialect) : conn_(conn), dialect_(dialect) {}

  // Organisations and permission sets (organizations.cc).
  Status InsertOrganization(const Organization& org) override;
  Result<std::optional<Organization>> FindOrganization(const std::string& id) override;
  Status UpdateOrganization(const Organization& org) override;
  Result<int64_t> CountOrganizations() override;
  Status LockOrganization(const std::string& org_id) override;
  Status InsertPermissionSet(const PermissionSet& set) override;
  Result<std::optional<PermissionSet>> FindPermissionSet(const std::string& org_id,
                                                         const std::string& id) override;
  Result<std::optional<PermissionSet>> FindPermissionSetByName(const std::string& org_id,
                                                               const std::string& name) override;
  Result<std::vector<PermissionSet>> ListPermissionSets(const std::string& org_id) override;
  Status UpdatePermissionSet(const PermissionSet& set) override;
  Status DeletePermissionSet(const std::string& org_id, const std::string& id) override;
  Result<int64_t> CountUsersWithPermissionSet(const std::string& org_id,
                                              const std::string& id) override;

  // Users (users.cc), their sessions and API tokens (auth.cc).
  Status InsertUser(const User& user) override;
  Result<std::optional<User>> FindUser(const std::string& org_id, const std::string& id) override;
  Result<std::optional<User>> FindUserByEmail(const std::string& org_id,
                                              const std::string& email) override;
  Result<std::vector<User>> FindUsersByEmailInAnyOrg(const std::string& email) override;
  Result<std::vector<User>> ListUsers(const std::string& org_id, const UserFilter& filter) override;
  Status UpdateUser(const User& user) override;
  Status InsertSession(const Session& session) override;
  Result<std::optional<Actor>> ActorForSession(const std::string& id_hash, Timestamp now) override;
  Status DeleteSession(const std::string& id_hash) override;
  Status DeleteSessionsOfUser(const std::string& user_id) override;
  Status DeleteExpiredSessions(Timestamp now) override;
  Status InsertToken(const ApiToken& token) override;
  Result<std::optional<Actor>> ActorForToken(const std::string& token_hash) override;
  Result<std::vector<ApiToken>> ListTokens(const std::string& user_id) override;
  Result<bool> DeleteToken(const std::string& user_id, const std::string& id) override;
  Status DeleteTokensOfUser(const std::string& user_id) override;
  Result<std::vector<int64_t>> CountLoginFailures(const std::vector<std::string>& keys,
                                                  Timestamp since) override;
  Status RecordLoginFailure(const std::vector<std::string>& keys, Timestamp at,
                            Timestamp forget_before) override;
  Status ClearLoginFailures(const std::string& key) override;

  // Credential types (credential_types.cc).
  Status InsertCredentialType(const CredentialType& type) override;
  Result<std::optional<CredentialType>> FindCredentialType(const std::string& org_id,
                                                           const std::string& id) override;
  Result<std::optional<CredentialType>> FindCredentialTypeByName(const std::string& org_id,
                                                                 const std::string& name) override;
  Result<std::vector<CredentialType>> ListCredentialTypes(const std::string& org_id,
                                                          const std::string& q) override;
  Status UpdateCredentialType(const CredentialType& type) override;
  Status DeleteCredentialType(const std::string& org_id, const std::string& id) override;

  // In-app notifications (notifications.cc).
  Status InsertNotification(const Notification& notification) override;
  Result<std::vector<Notification>> ListNotifications(const std::string& user_id, bool unread_only,
                                                      int limit,
                                                      const std::string& before_id) override;
  Result<bool> MarkNotificationRead(const std::string& user_id, const std::string& id,
                                    Timestamp at) override;
  Status MarkAllNotificationsRead(const std::string& user_id, Timestamp at) override;
  Result<int64_t> CountUnreadNotifications(const std::string& user_id) override;

  // The activity log (activity.cc).
  Status AppendActivity(const Activity& entry) override;
  Result<std::vector<ActivityRow>> ListActivity(const std::string& org_id,
                                                const ActivityFilter& filter) override;

  // Credentials and their versions (credentials.cc, with credential_pages.cc building the
  // list's statements).
  Status InsertCredential(const Credential& credential) override;
  Result<std::optional<Credential>> FindCredential(const std::string& org_id,
                                                   const std::string& id) override;
  Status UpdateCredential(const Credential& credential, int64_t read_revision) override;
  Status InsertVersion(const CredentialVersion& version) override;
  Status UpdateVersion(const CredentialVersion& version) override;
  Result<std::vector<CredentialVersion>> ListVersions(const std::string& credential_id) override;
  Result<CredentialPage> ListCredentials(const std::string& org_id,
                                         const CredentialFilter& filter) override;
  Status DeleteCredential(const std::string& org_id, const std::string& id,
                          std::optional<int64_t> read_revision) override;
  Result<CredentialSummary> SummarizeCredentials(const std::string& org_id, Date today,
                                                 int expiring_soon_days) override;
  Result<std::optional<OrganizationAtRevision>> FindOrganizationAtRevision(
      const std::string& org_id) override;

  // Media (media.cc).
  Status InsertMedia(const MediaFile& media) override;
  Status InsertMediaChunk(const std::string& media_id, int64_t seq, std::string_view data) override;
  Status CompleteMedia(const MediaFile& media) override;
  Result<std::optional<MediaFile>> FindMedia(const std::string& org_id,
                                             const std::string& id) override;
  Result<std::optional<std::string>> ReadMediaChunk(const std::string& media_id,
                                                    int64_t seq) override;
  Status DeleteMedia(const std::string& org_id, const std::string& id) override;
  Result<int64_t> DeleteUnattachedMediaBefore(Timestamp created_before) override;
  Result<int64_t> DeleteUnlinkedMedia(const std::string& org_id,
                                      const std::string& credential_id) override;
  Result<std::optional<MediaThumbnail>> FindMediaThumbnail(const std::string& media_id) override;
  Status SaveMediaThumbnail(const MediaThumbnail& thumbnail) override;

  // Reminders, digests and the email outbox (reminders.cc); ListOrganizations too.
  Result<std::vector<Organization>> ListOrganizations() override;
  Result<std::optional<NotificationSettings>> FindNotificationSettings(
      const std::string& org_id, const std::string& user_id) override;
  Status SaveNotificationSettings(const NotificationSettings& settings) override;
  Result<std::vector<std::vector<int>>> ListChosenLeadTimes(const std::string& org_id) override;
  Result<std::vector<std::string>> ListDigestSubscribers(const std::string& org_id) override;
  Result<std::vector<ReminderCandidate>> ListReminderCandidates(
      const std::string& org_id, Date from, Date to,
      const std::optional<std::pair<Date, std::string>>& after, int limit) override;
  Result<std::vector<ClaimedReminder>> ListReminderClaims(const std::string& credential_id,
                                                          Channel channel) override;
  Result<bool> ClaimReminder(const ReminderClaim& claim) override;
  Result<bool> ClaimDigest(const std::string& org_id, const std::string& user_id, Date local_date,
                           Channel channel, Timestamp at) override;
  Result<bool> EnqueueEmail(const OutboxEmail& email) override;
  Result<std::optional<OutboxEmail>> LeaseEmail(Timestamp now, Timestamp lease_until) override;
  Status FinishEmail(const OutboxEmail& email) override;
  Result<std::optional<OutboxEmail>> FindEmail(const std::string& dedupe_key) override;
  Result<OutboxCounts> CountOutbox() override;

  // The bulk upload (imports.cc); PrepareForBulkWrite is the engine's.
  Result<std::vector<ImportUser>> ListImportUsers(const std::string& org_id) override;
  Result<std::vector<ImportType>> ListImportTypes(const std::string& org_id) override;
  Result<std::optional<ImportTarget>> FindImportTarget(const std::string& org_id,
                                                       const std::string& id) override;
  Result<std::vector<ImportTarget>> FindImportTargetsByKey(const std::string& org_id,
                                                           const std::string& user_id,
                                                           const std::string& type_id,
                                                           const std::string& number_key) override;
  Status InsertImportedCredential(const std::string& org_id,
                                  const ImportedVersion& version) override;
  Status InsertImportedVersion(const std::string& org_id, const ImportedVersion& version) override;
  // Row at a time, at once (InsertImported…): an engine with a bulk path overrides the three.
  Status StageImportedCredential(const std::string& org_id,
                                 const ImportedVersion& version) override;
  Status StageImportedVersion(const std::string& org_id, const ImportedVersion& version) override;
  Status FinishImportedWrites() override;

  // Groups, memberships, requirements and exemptions (groups.cc).
  Status InsertGroup(const Group& group) override;
  Result<std::optional<Group>> FindGroup(const std::string& org_id, const std::string& id) override;
  Result<std::optional<Group>> FindGroupByName(const std::string& org_id,
                                               const std::string& name) override;
  Result<std::vector<Group>> ListGroups(const std::string& org_id,
                                        const GroupFilter& filter) override;
  Status UpdateGroup(const Group& group) override;
  Status DeleteGroup(const std::string& org_id, const std::string& id) override;
  Result<bool> InsertMembership(const std::string& org_id, const std::string& group_id,
                                const std::string& user_id, Date since, Timestamp at) override;
  Result<std::optional<Date>> FindMembership(const std::string& org_id, const std::string& group_id,
                                             const std::string& user_id) override;
  Result<bool> DeleteMembership(const std::string& org_id, const std::string& group_id,
                                const std::string& user_id) override;
  Result<std::vector<GroupMember>> ListGroupMembers(const std::string& org_id,
                                                    const std::string& group_id,
                                                    const MemberFilter& filter) override;
  Result<std::vector<UserGroup>> ListUserGroups(const std::string& org_id,
                                                const std::string& user_id) override;
  Status InsertRequirement(const Requirement& requirement) override;
  Result<std::optional<Requirement>> FindRequirement(const std::string& org_id,
                                                     const std::string& id) override;
  Result<std::vector<Requirement>> ListRequirements(const std::string& org_id,
                                                    const std::string& group_id) override;
  Status UpdateRequirement(const Requirement& requirement) override;
  Status DeleteRequirement(const std::string& org_id, const std::string& id) override;
  Result<int64_t> CountRequirementsNamingType(const std::string& org_id,
                                              const std::string& type_id) override;
  Status InsertExemption(const Exemption& exemption) override;
  Result<std::optional<Exemption>> FindExemption(const std::string& org_id,
                                                 const std::string& id) override;
  Status DeleteExemption(const std::string& org_id, const std::string& id) override;
  Result<std::vector<Exemption>> ListRequirementExemptions(
      const std::string& org_id, const std::string& requirement_id) override;
  Result<std::vector<Exemption>> ListGroupExemptions(const std::string& org_id,
                                                     const std::string& group_id) override;
  Result<std::vector<Exemption>> ListUserExemptions(const std::string& org_id,
                                                    const std::string& user_id) override;
  Result<std::vector<MemberCredential>> ListGroupMemberCredentials(
      const std::string& org_id, const std::string& group_id) override;
  Result<std::vector<HeldCredential>> ListUserHeldCredentials(const std::string& org_id,
                                                              const std::string& user_id) override;
  Result<int64_t> ComplianceRevision(const std::string& group_id) override;
  Result<bool> ClaimRequirementNotice(const std::string& requirement_id, const std::string& user_id,
                                      int64_t types_revision, Timestamp at) override;

 protected:
  // Media of versions (media.cc), used by credentials.cc: replaces the links of a version with
  // `version.media` (in order) and marks those files as the credential's; reads them back.
  Status WriteVersionMedia(const CredentialVersion& version);
  Result<std::vector<MediaRef>> ReadVersionMedia(const std::string& credential_id, int version);
  // Fills in the files of the latest versions of a list page's credentials (media.cc), read
  // once for the page.
  Status ReadPageMedia(const std::string& org_id, std::vector<Credential>& page);
  Status DeleteCredentialMedia(const std::string& org_id, const std::string& credential_id);
  // A row of a list page as its page statement selects it (CredentialPageQueries).
  struct PageKey {
    std::string id;
    std::optional<std::string> sort_key;  // as text; NULL for an undated credential
    int64_t rowid = 0;                    // where the dialect has them, and not a holder's list
  };
  // Reads the rows `keys` name into `items`, in their order (credentials.cc): a page that is
  // not a holder's, whose statements select its keys alone.
  Status ReadPageRows(const std::string& org_id, const std::vector<PageKey>& keys,
                      std::vector<Credential>& items);
  // Fills in the names of the users who created, changed and decided a list page's credentials,
  // and with `holders` their holders' names and email addresses (credentials.cc), read once
  // for the page.
  Status ReadPageUserNames(std::vector<Credential>& page, bool holders);
  // The rejection reasons of the page's rejected credentials, which FindCredentialsSql does not
  // select.
  Status ReadPageRejections(std::vector<Credential>& page);

  Connection* conn_;
  const Dialect& dialect_;
};

}  // namespace bf::sql
