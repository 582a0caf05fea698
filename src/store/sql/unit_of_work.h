// The unit of work both SQL engines share: every repository method of store.h, written once
// over a sql::Connection (store/sql/statement.h) and the engine's Dialect. The methods for each
// aggregate live in their own file here (organizations.cc, users.cc, …), with their SQL as named
// constants at the top. An engine (store/sqlite/, store/postgres/) derives from it and adds
// what only it knows: how its transaction ends, LockOrganization's lock, PrepareForBulkWrite.
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
  Result<std::optional<Session>> FindSession(const std::string& id_hash) override;
  Status DeleteSession(const std::string& id_hash) override;
  Status DeleteSessionsOfUser(const std::string& user_id) override;
  Status DeleteExpiredSessions(Timestamp now) override;
  Status InsertToken(const ApiToken& token) override;
  Result<std::optional<ApiToken>> FindTokenByHash(const std::string& token_hash) override;
  Result<std::vector<ApiToken>> ListTokens(const std::string& user_id) override;
  Result<bool> DeleteToken(const std::string& user_id, const std::string& id) override;
  Status DeleteTokensOfUser(const std::string& user_id) override;

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

 protected:
  Connection* conn_;
  const Dialect& dialect_;
};

}  // namespace bf::sql
