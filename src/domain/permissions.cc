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
  static const std::vector<Permission> all = {Permission::kUsersManage,
                                              Permission::kCredentialsManage,
                                              Permission::kOrgManage};
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
    case Permission::kUsersManage: return "users.manage";
    case Permission::kCredentialsManage: return "credentials.manage";
    case Permission::kOrgManage: return "org.manage";
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

}  // namespace bf
