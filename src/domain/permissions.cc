#include "domain/permissions.h"

namespace bf {

Permissions Permissions::All() {
  Permissions p;
  for (Permission each : AllPermissions()) p.Add(each);
  return p;
}

std::vector<std::string> Permissions::Names() const {
  std::vector<std::string> out;
  for (Permission p : AllPermissions()) {
    if (Has(p)) out.emplace_back(PermissionName(p));
  }
  return out;
}

const std::vector<Permission>& AllPermissions() {
  static const std::vector<Permission> all = {
      Permission::kUsersManage, Permission::kCredentialsManage, Permission::kOrgManage};
  return all;
}

std::optional<Permission> ParsePermission(std::string_view name) {
  for (Permission p : AllPermissions()) {
    if (PermissionName(p) == name) return p;
  }
  return std::nullopt;
}

std::string_view PermissionName(Permission p) {
  switch (p) {
    case Permission::kUsersManage:
      return "users.manage";
    case Permission::kCredentialsManage:
      return "credentials.manage";
    case Permission::kOrgManage:
      return "org.manage";
  }
  return "";
}

const std::vector<BuiltinPermissionSet>& BuiltinPermissionSets() {
  static const std::vector<BuiltinPermissionSet> sets = [] {
    Permissions manager;
    manager.Add(Permission::kUsersManage);
    manager.Add(Permission::kCredentialsManage);
    return std::vector<BuiltinPermissionSet>{
        {"administrator", Permissions::All()}, {"manager", manager}, {"standard", Permissions()}};
  }();
  return sets;
}

bool MayListUsers(const Actor& actor) {
  return actor.Can(Permission::kUsersManage) || actor.Can(Permission::kCredentialsManage);
}

bool MayViewUser(const Actor& actor, std::string_view user_id) {
  return actor.user_id == user_id || MayListUsers(actor);
}

bool MayEditUser(const Actor& actor, std::string_view user_id, bool changes_only_name) {
  if (actor.Can(Permission::kUsersManage)) return true;
  return actor.user_id == user_id && changes_only_name;
}

bool MayManageCredentialsOf(const Actor& actor, std::string_view holder_id) {
  return actor.user_id == holder_id || actor.Can(Permission::kUsersManage);
}

bool MayViewCredentialsOf(const Actor& actor, std::string_view holder_id) {
  return MayManageCredentialsOf(actor, holder_id) || actor.Can(Permission::kCredentialsManage);
}

bool MayApprove(const Actor& actor, std::string_view holder_id) {
  return actor.Can(Permission::kCredentialsManage) && actor.user_id != holder_id;
}

namespace {

auto Escalation(std::string message) {
  return Fail(ErrorCode::kPermissionDenied, "permission_escalation", std::move(message));
}

auto LastAdministrator(std::string message) {
  return Fail(ErrorCode::kConflict, "last_administrator", std::move(message));
}

}  // namespace

Status AuthorizeUserChange(const Actor& actor, const UserChange& change) {
  const bool only_name = !change.create && !change.new_set && !change.new_active;
  const bool may_edit = actor.Can(Permission::kUsersManage) || (change.self && only_name);
  if (change.create && !actor.Can(Permission::kUsersManage)) {
    return Forbidden("creating users needs users.manage");
  }
  if (!may_edit) {
    return Forbidden(
        "changing another user, or one's own status or permissions, needs users.manage");
  }
  if (!change.create && change.self && change.new_active == false) {
    return FailField("status", "cannot_deactivate_self", "you cannot deactivate yourself");
  }
  const bool target_admin = !change.create && change.target.Has(Permission::kOrgManage);
  if (target_admin && !actor.Can(Permission::kOrgManage)) {
    return Escalation("only a holder of org.manage may change a user who holds org.manage");
  }
  if (change.new_set && !actor.permissions.Contains(*change.new_set)) {
    return Escalation("you may give only a permission set whose every permission you hold");
  }
  const bool loses_org_manage = target_admin && change.target_active &&
                                ((change.new_set && !change.new_set->Has(Permission::kOrgManage)) ||
                                 change.new_active == false);
  if (loses_org_manage && !change.other_active_administrator) {
    return LastAdministrator(
        "this is the organisation's last active administrator (holder of org.manage)");
  }
  return Ok();
}

Status AuthorizePermissionSetChange(const Actor& actor, const PermissionSetChange& change) {
  if (!actor.Can(Permission::kOrgManage)) return Forbidden("permission sets need org.manage");
  if (change.builtin) {
    return Fail(ErrorCode::kConflict, "builtin",
                change.after ? "built-in permission sets cannot be changed"
                             : "built-in permission sets cannot be deleted");
  }
  if (change.after) {
    Permissions added(change.after->bits() & ~change.before.bits());
    if (!actor.permissions.Contains(added)) {
      return Escalation("a permission set may gain only permissions you hold");
    }
  }
  const bool loses_org_manage = change.before.Has(Permission::kOrgManage) &&
                                !(change.after && change.after->Has(Permission::kOrgManage));
  if (loses_org_manage && change.has_active_holders && !change.other_active_administrator) {
    return LastAdministrator(
        "this set's holders are the organisation's last active administrators (holders of "
        "org.manage)");
  }
  return Ok();
}

}  // namespace bf
