// Users and how they authenticate: sessions and API tokens (store/sql/users.cc, auth.cc).
// Part of every UnitOfWork (store.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/model.h"

namespace bf {

struct UserFilter {
  std::string q;  // substring of name or email, case-insensitive; empty: all
  std::optional<UserStatus> status;
  std::string permission_set_id;  // empty: any
  int limit = 50;
  // Keyset position: return users ordered by (lower(name), id) strictly after this pair.
  std::optional<std::pair<std::string, std::string>> after;
};

class UserRepository {
 public:
  virtual ~UserRepository() = default;

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
  // The actor a session signs in as, read with the session in one statement: its user, in the
  // session's organisation, active, with the permissions of the user's set. nullopt when there is
  // no such session, it is over at `now` (expires_at <= now), or the user is deactivated.
  virtual Result<std::optional<Actor>> ActorForSession(const std::string& id_hash,
                                                       Timestamp now) = 0;
  virtual Status DeleteSession(const std::string& id_hash) = 0;
  virtual Status DeleteSessionsOfUser(const std::string& user_id) = 0;
  virtual Status DeleteExpiredSessions(Timestamp now) = 0;

  // API tokens.
  virtual Status InsertToken(const ApiToken& token) = 0;
  // As ActorForSession, for the API token with this hash (tokens do not expire).
  virtual Result<std::optional<Actor>> ActorForToken(const std::string& token_hash) = 0;
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
};

}  // namespace bf
