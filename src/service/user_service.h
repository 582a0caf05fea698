// Users and permission sets of an organisation.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "domain/model.h"
#include "service/context.h"

namespace bf {

struct NewUser {
  std::string email;
  std::string name;
  std::string permission_set_id;
  std::string password;  // empty: the user cannot sign in with a password until one is set
  // Already hashed (UserService::HashNewPassword), used instead of `password`, so that the
  // hashing happens outside the transaction that inserts the user.
  std::string password_hash{};
};

struct UserPatch {
  std::optional<std::string> name;
  std::optional<UserStatus> status;
  std::optional<std::string> permission_set_id;
};

struct PermissionSetInput {
  std::optional<std::string> name;
  std::optional<std::vector<std::string>> permissions;  // names, e.g. "users.manage"
};

class UserService {
 public:
  explicit UserService(ServiceContext ctx) : ctx_(WithPasswords(ctx)) {}

  // users.manage. kConflict "email_taken"; 422 for invalid fields or an unknown permission set;
  // 403 "permission_escalation" for a set holding a permission the actor lacks.
  Result<User> Create(const Actor& actor, const NewUser& input);
  // Self, users.manage or credentials.manage; kNotFound otherwise for other organisations.
  Result<User> Get(const Actor& actor, const std::string& id);
  Result<std::vector<User>> List(const Actor& actor, const UserFilter& filter);
  // users.manage; self may change the name only. Deactivating ends the user's sessions and tokens.
  // The rules of "Nobody grants more than they hold" (domain AuthorizeUserChange): 403
  // "permission_escalation", 409 "last_administrator".
  Result<User> Update(const Actor& actor, const std::string& id, const UserPatch& patch);

  Result<std::vector<PermissionSet>> ListPermissionSets(const Actor& actor);
  // org.manage. Names are unique case-insensitively (kConflict "name_taken"). A set may hold only
  // permissions the actor holds (403 "permission_escalation").
  Result<PermissionSet> CreatePermissionSet(const Actor& actor, const PermissionSetInput& input);
  // org.manage; built-ins answer kConflict "builtin". It may gain only permissions the actor
  // holds (403 "permission_escalation"), and may not lose org.manage when its active holders are
  // the last administrators (409 "last_administrator").
  Result<PermissionSet> UpdatePermissionSet(const Actor& actor, const std::string& id,
                                            const PermissionSetInput& input);
  // org.manage; kConflict "builtin", or "in_use" while a user holds the set.
  Status DeletePermissionSet(const Actor& actor, const std::string& id);

  // For the command line and the demo: creates a user with no acting user (the system), who may
  // give any permission set (the operator has the database itself). Hashes `input.password`
  // here, inside the caller's transaction, unless `input.password_hash` is set: callers that
  // hold a write transaction should call HashNewPassword first.
  static Result<User> CreateAsSystem(UnitOfWork& uow, const ServiceContext& ctx,
                                     const std::string& org_id, const NewUser& input);
  // Validates `input.password` (when given) against `input.email` and replaces it by its hash
  // (`password_hash`). Call outside any transaction. 422 for a refused password; 503
  // "server_busy" (service/passwords.h).
  static Result<NewUser> HashNewPassword(const ServiceContext& ctx, NewUser input);

 private:
  ServiceContext ctx_;
};

}  // namespace bf
