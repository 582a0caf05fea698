#include "service/user_service.h"

#include "core/ids.h"
#include "domain/validation.h"
#include "service/activity.h"

namespace bf {
namespace {

std::string StatusName(UserStatus s) { return s == UserStatus::kActive ? "active" : "deactivated"; }

void Subject(Activity& entry, const User& user) {
  entry.subject_user_id = user.id;
  entry.subject_user_name = user.name;
}

Result<PermissionSet> RequirePermissionSet(UnitOfWork& uow, const std::string& org_id,
                                           const std::string& id) {
  if (id.empty()) {
    return FailField("permission_set_id", "required", "permission_set_id is required");
  }
  std::optional<PermissionSet> set;
  if (IsUuid(id)) {
    BF_ASSIGN_OR_RETURN(set, uow.FindPermissionSet(org_id, id));
  }
  if (!set) {
    return FailField("permission_set_id", "unknown_permission_set", "no such permission set");
  }
  return *set;
}

Result<Permissions> ParsePermissionNames(const std::vector<std::string>& names) {
  Permissions out;
  for (const std::string& name : names) {
    auto p = ParsePermission(name);
    if (!p) {
      return FailField("permissions", "unknown_permission",
                       "unknown permission \"" + name +
                           "\"; known: users.manage, credentials.manage, org.manage");
    }
    out.Add(*p);
  }
  return out;
}

// Whether an active holder of org.manage exists other than the user `except_user` and outside
// the set `except_set` (either may be ""): what "the last administrator" rule asks.
Result<bool> OtherActiveAdministrator(UnitOfWork& uow, const std::string& org_id,
                                      const std::string& except_user,
                                      const std::string& except_set) {
  BF_ASSIGN_OR_RETURN(auto sets, uow.ListPermissionSets(org_id));
  for (const PermissionSet& set : sets) {
    if (!set.permissions.Has(Permission::kOrgManage) || set.id == except_set) continue;
    UserFilter filter;
    filter.status = UserStatus::kActive;
    filter.permission_set_id = set.id;
    filter.limit = 2;  // one besides `except_user` is enough
    BF_ASSIGN_OR_RETURN(auto users, uow.ListUsers(org_id, filter));
    for (const User& u : users) {
      if (u.id != except_user) return true;
    }
  }
  return false;
}

// Whether any active user holds the set `set_id`.
Result<bool> HasActiveHolders(UnitOfWork& uow, const std::string& org_id,
                              const std::string& set_id) {
  UserFilter filter;
  filter.status = UserStatus::kActive;
  filter.permission_set_id = set_id;
  filter.limit = 1;
  BF_ASSIGN_OR_RETURN(auto users, uow.ListUsers(org_id, filter));
  return !users.empty();
}

// Every field check of a new user, before any password is hashed.
Status ValidateNewUser(const NewUser& input) {
  BF_RETURN_IF_ERROR(ValidateEmail("email", input.email));
  BF_RETURN_IF_ERROR(ValidateText("name", input.name, kMaxNameLength));
  if (!input.password.empty()) {
    BF_RETURN_IF_ERROR(ValidatePassword("password", input.password, input.email));
  }
  return Ok();
}

std::string JoinNames(const Permissions& p) {
  std::string out;
  for (const std::string& name : p.Names()) out += (out.empty() ? "" : ",") + name;
  return out;
}

}  // namespace

Result<User> UserService::CreateAsSystem(UnitOfWork& uow, const ServiceContext& ctx,
                                         const std::string& org_id, const NewUser& input) {
  BF_RETURN_IF_ERROR(ValidateNewUser(input));
  BF_ASSIGN_OR_RETURN(PermissionSet set,
                      RequirePermissionSet(uow, org_id, input.permission_set_id));
  User user;
  user.id = NewId();
  user.org_id = org_id;
  user.email = Trim(input.email);
  user.name = Trim(input.name);
  user.permission_set_id = set.id;
  user.permission_set_name = set.name;
  user.permissions = set.permissions;
  user.password_hash = input.password_hash;
  if (!input.password.empty()) {
    BF_ASSIGN_OR_RETURN(user.password_hash, WithPasswords(ctx).passwords->Hash(input.password));
  }
  user.created_at = user.updated_at = ctx.clock.Now();
  BF_ASSIGN_OR_RETURN(auto existing, uow.FindUserByEmail(org_id, user.email));
  if (existing) {
    return Fail(ErrorCode::kConflict, "email_taken", "a user with this email already exists");
  }
  BF_RETURN_IF_ERROR(uow.InsertUser(user));
  return user;
}

Result<NewUser> UserService::HashNewPassword(const ServiceContext& ctx, NewUser input) {
  BF_RETURN_IF_ERROR(ValidateNewUser(input));
  if (input.password.empty()) return input;
  BF_ASSIGN_OR_RETURN(input.password_hash, WithPasswords(ctx).passwords->Hash(input.password));
  input.password.clear();
  return input;
}

Result<User> UserService::Create(const Actor& actor, const NewUser& input) {
  UserChange change;
  change.create = true;
  BF_RETURN_IF_ERROR(AuthorizeUserChange(actor, change));  // users.manage, before any work
  BF_RETURN_IF_ERROR(ValidateNewUser(input));
  {
    // Refuse an escalation before spending a password hash on it.
    BF_ASSIGN_OR_RETURN(auto read, ctx_.store.Begin(false));
    BF_ASSIGN_OR_RETURN(PermissionSet set,
                        RequirePermissionSet(*read, actor.org_id, input.permission_set_id));
    change.new_set = set.permissions;
    BF_RETURN_IF_ERROR(AuthorizeUserChange(actor, change));
  }
  BF_ASSIGN_OR_RETURN(NewUser hashed, HashNewPassword(ctx_, input));
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  // The set again, inside the transaction that writes: it may have changed meanwhile.
  BF_ASSIGN_OR_RETURN(PermissionSet set,
                      RequirePermissionSet(*uow, actor.org_id, input.permission_set_id));
  change.new_set = set.permissions;
  BF_RETURN_IF_ERROR(AuthorizeUserChange(actor, change));
  BF_ASSIGN_OR_RETURN(User user, CreateAsSystem(*uow, ctx_, actor.org_id, hashed));
  Activity entry = NewActivity(&actor, user.created_at, "user.created", "user", user.id);
  Subject(entry, user);
  AddChange(entry, "email", std::nullopt, user.email);
  AddChange(entry, "name", std::nullopt, user.name);
  AddChange(entry, "permission_set", std::nullopt, user.permission_set_name);
  BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  BF_RETURN_IF_ERROR(uow->Commit());
  return user;
}

Result<User> UserService::Get(const Actor& actor, const std::string& id) {
  if (!IsUuid(id)) return NotFound("user");
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
  BF_ASSIGN_OR_RETURN(auto user, uow->FindUser(actor.org_id, id));
  if (!user) return NotFound("user");
  if (!MayViewUser(actor, id)) return Forbidden();
  return *user;
}

Result<std::vector<User>> UserService::List(const Actor& actor, const UserFilter& filter) {
  if (!MayListUsers(actor)) {
    return Forbidden("listing users needs users.manage or credentials.manage");
  }
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
  return uow->ListUsers(actor.org_id, filter);
}

Result<User> UserService::Update(const Actor& actor, const std::string& id,
                                 const UserPatch& patch) {
  if (!IsUuid(id)) return NotFound("user");
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_RETURN_IF_ERROR(uow->LockOrganization(actor.org_id));  // the last-administrator rule
  BF_ASSIGN_OR_RETURN(auto found, uow->FindUser(actor.org_id, id));
  if (!found) return NotFound("user");
  bool only_name = !patch.status && !patch.permission_set_id;
  if (!MayEditUser(actor, id, only_name)) {
    return Forbidden(
        "changing another user, or one's own status or permissions, needs users.manage");
  }
  User user = *found;
  const User before = user;
  UserChange change;
  change.self = id == actor.user_id;
  change.target = before.permissions;
  change.target_active = before.status == UserStatus::kActive;
  if (patch.name) {
    BF_RETURN_IF_ERROR(ValidateText("name", *patch.name, kMaxNameLength));
    user.name = Trim(*patch.name);
  }
  if (patch.permission_set_id) {
    BF_ASSIGN_OR_RETURN(PermissionSet set,
                        RequirePermissionSet(*uow, actor.org_id, *patch.permission_set_id));
    if (set.id != before.permission_set_id) change.new_set = set.permissions;
    user.permission_set_id = set.id;
    user.permission_set_name = set.name;
    user.permissions = set.permissions;
  }
  if (patch.status) {
    if (*patch.status != before.status) change.new_active = *patch.status == UserStatus::kActive;
    user.status = *patch.status;
  }
  BF_ASSIGN_OR_RETURN(change.other_active_administrator,
                      OtherActiveAdministrator(*uow, actor.org_id, id, ""));
  BF_RETURN_IF_ERROR(AuthorizeUserChange(actor, change));
  bool deactivated =
      before.status == UserStatus::kActive && user.status == UserStatus::kDeactivated;
  Activity entry = NewActivity(&actor, ctx_.clock.Now(),
                               deactivated ? "user.deactivated" : "user.updated", "user", user.id);
  Subject(entry, user);
  AddChange(entry, "name", before.name, user.name);
  AddChange(entry, "status", StatusName(before.status), StatusName(user.status));
  AddChange(entry, "permission_set", before.permission_set_name, user.permission_set_name);
  if (entry.changes.empty()) return before;  // nothing changed: nothing written
  user.updated_at = entry.at;
  BF_RETURN_IF_ERROR(uow->UpdateUser(user));
  if (deactivated) {
    BF_RETURN_IF_ERROR(uow->DeleteSessionsOfUser(user.id));
    BF_RETURN_IF_ERROR(uow->DeleteTokensOfUser(user.id));
  }
  BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  BF_RETURN_IF_ERROR(uow->Commit());
  return user;
}

Result<std::vector<PermissionSet>> UserService::ListPermissionSets(const Actor& actor) {
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
  return uow->ListPermissionSets(actor.org_id);
}

Result<PermissionSet> UserService::CreatePermissionSet(const Actor& actor,
                                                       const PermissionSetInput& input) {
  if (!actor.Can(Permission::kOrgManage)) return Forbidden("permission sets need org.manage");
  BF_RETURN_IF_ERROR(ValidateText("name", input.name.value_or(""), kMaxNameLength));
  PermissionSet set;
  set.id = NewId();
  set.org_id = actor.org_id;
  set.name = Trim(*input.name);
  if (input.permissions) {
    BF_ASSIGN_OR_RETURN(set.permissions, ParsePermissionNames(*input.permissions));
  }
  PermissionSetChange change;
  change.after = set.permissions;  // a new set: everything it holds is added
  BF_RETURN_IF_ERROR(AuthorizePermissionSetChange(actor, change));
  set.created_at = set.updated_at = ctx_.clock.Now();
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_ASSIGN_OR_RETURN(auto existing, uow->FindPermissionSetByName(actor.org_id, set.name));
  if (existing)
    return Fail(ErrorCode::kConflict, "name_taken", "a permission set with this name exists");
  BF_RETURN_IF_ERROR(uow->InsertPermissionSet(set));
  Activity entry =
      NewActivity(&actor, set.created_at, "permission_set.created", "permission_set", set.id);
  AddChange(entry, "name", std::nullopt, set.name);
  AddChange(entry, "permissions", std::nullopt, JoinNames(set.permissions));
  BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  BF_RETURN_IF_ERROR(uow->Commit());
  return set;
}

Result<PermissionSet> UserService::UpdatePermissionSet(const Actor& actor, const std::string& id,
                                                       const PermissionSetInput& input) {
  if (!IsUuid(id)) return NotFound("permission set");
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_RETURN_IF_ERROR(uow->LockOrganization(actor.org_id));  // the last-administrator rule
  BF_ASSIGN_OR_RETURN(auto found, uow->FindPermissionSet(actor.org_id, id));
  if (!found) return NotFound("permission set");
  PermissionSetChange change;
  change.before = found->permissions;
  change.after = found->permissions;
  change.builtin = found->builtin;
  BF_RETURN_IF_ERROR(AuthorizePermissionSetChange(actor, change));  // org.manage, not built in
  PermissionSet set = *found;
  if (input.name) {
    BF_RETURN_IF_ERROR(ValidateText("name", *input.name, kMaxNameLength));
    set.name = Trim(*input.name);
    BF_ASSIGN_OR_RETURN(auto existing, uow->FindPermissionSetByName(actor.org_id, set.name));
    if (existing && existing->id != set.id) {
      return Fail(ErrorCode::kConflict, "name_taken", "a permission set with this name exists");
    }
  }
  if (input.permissions) {
    BF_ASSIGN_OR_RETURN(set.permissions, ParsePermissionNames(*input.permissions));
    change.after = set.permissions;
    BF_ASSIGN_OR_RETURN(change.has_active_holders, HasActiveHolders(*uow, actor.org_id, set.id));
    BF_ASSIGN_OR_RETURN(change.other_active_administrator,
                        OtherActiveAdministrator(*uow, actor.org_id, "", set.id));
    BF_RETURN_IF_ERROR(AuthorizePermissionSetChange(actor, change));
  }
  set.updated_at = ctx_.clock.Now();
  BF_RETURN_IF_ERROR(uow->UpdatePermissionSet(set));
  Activity entry =
      NewActivity(&actor, set.updated_at, "permission_set.updated", "permission_set", set.id);
  AddChange(entry, "name", found->name, set.name);
  AddChange(entry, "permissions", JoinNames(found->permissions), JoinNames(set.permissions));
  if (!entry.changes.empty()) BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  BF_RETURN_IF_ERROR(uow->Commit());
  return set;
}

Status UserService::DeletePermissionSet(const Actor& actor, const std::string& id) {
  if (!IsUuid(id)) return NotFound("permission set");
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_RETURN_IF_ERROR(uow->LockOrganization(actor.org_id));  // the last-administrator rule
  BF_ASSIGN_OR_RETURN(auto found, uow->FindPermissionSet(actor.org_id, id));
  if (!found) return NotFound("permission set");
  PermissionSetChange change;
  change.before = found->permissions;
  change.builtin = found->builtin;
  BF_ASSIGN_OR_RETURN(change.has_active_holders, HasActiveHolders(*uow, actor.org_id, id));
  BF_ASSIGN_OR_RETURN(change.other_active_administrator,
                      OtherActiveAdministrator(*uow, actor.org_id, "", id));
  BF_RETURN_IF_ERROR(AuthorizePermissionSetChange(actor, change));
  // Deleting never strands anyone: a set that anybody holds, active or not, stays.
  BF_ASSIGN_OR_RETURN(int64_t holders, uow->CountUsersWithPermissionSet(actor.org_id, id));
  if (holders > 0) {
    return Fail(ErrorCode::kConflict, "in_use",
                std::to_string(holders) + " user(s) hold this permission set; move them first");
  }
  BF_RETURN_IF_ERROR(uow->DeletePermissionSet(actor.org_id, id));
  Activity entry =
      NewActivity(&actor, ctx_.clock.Now(), "permission_set.deleted", "permission_set", id);
  AddChange(entry, "name", found->name, std::nullopt);
  BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  return uow->Commit();
}

}  // namespace bf
