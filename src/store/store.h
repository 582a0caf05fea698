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
  std::optional<Timestamp> since, until;                 // since inclusive, until exclusive
  int limit = 50;
  std::optional<int64_t> before_seq;  // keyset: entries older than this
};

// An activity entry with its position in the log (for cursors).
struct ActivityRow {
  int64_t seq = 0;
  Activity activity;
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
