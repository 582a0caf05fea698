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
  explicit UserService(ServiceContext ctx) : ctx_(ctx) {}

  // users.manage. kConflict "email_taken"; 422 for invalid fields or an unknown permission set.
  Result<User> Create(const Actor& actor, const NewUser& input);
  // Self, users.manage or credentials.manage; kNotFound otherwise for other organisations.
  Result<User> Get(const Actor& actor, const std::string& id);
  Result<std::vector<User>> List(const Actor& actor, const UserFilter& filter);
  // users.manage; self may change the name only. Deactivating ends the user's sessions and tokens.
  Result<User> Update(const Actor& actor, const std::string& id, const UserPatch& patch);

  Result<std::vector<PermissionSet>> ListPermissionSets(const Actor& actor);
  // org.manage. Names are unique case-insensitively (kConflict "name_taken").
  Result<PermissionSet> CreatePermissionSet(const Actor& actor, const PermissionSetInput& input);
  // org.manage; built-ins answer kConflict "builtin".
  Result<PermissionSet> UpdatePermissionSet(const Actor& actor, const std::string& id,
                                            const PermissionSetInput& input);
  // org.manage; kConflict "builtin", or "in_use" while a user holds the set.
  Status DeletePermissionSet(const Actor& actor, const std::string& id);

  // For the command line and the demo: creates a user with no acting user (the system).
  static Result<User> CreateAsSystem(UnitOfWork& uow, const ServiceContext& ctx,
                                     const std::string& org_id, const NewUser& input);

 private:
  ServiceContext ctx_;
};

}  // namespace bf
