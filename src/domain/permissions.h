// Permissions, permission sets and who may do what. Pure rules: no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace bf {

enum class Permission : uint32_t {
  kUsersManage = 1u << 0,        // users.manage
  kCredentialsManage = 1u << 1,  // credentials.manage
  kOrgManage = 1u << 2,          // org.manage
};

// A set of permissions as a bit mask.
class Permissions {
 public:
  constexpr Permissions() = default;
  constexpr explicit Permissions(uint32_t bits) : bits_(bits) {}
  static Permissions All();

  bool Has(Permission p) const { return (bits_ & static_cast<uint32_t>(p)) != 0; }
  void Add(Permission p) { bits_ |= static_cast<uint32_t>(p); }
  uint32_t bits() const { return bits_; }
  // The names, in a fixed order ("users.manage", "credentials.manage", "org.manage").
  std::vector<std::string> Names() const;
  bool operator==(const Permissions&) const = default;

 private:
  uint32_t bits_ = 0;
};

std::optional<Permission> ParsePermission(std::string_view name);
std::string_view PermissionName(Permission p);
const std::vector<Permission>& AllPermissions();

struct PermissionSet {
  std::string id;
  std::string org_id;
  std::string name;
  Permissions permissions;
  bool builtin = false;
  Timestamp created_at;
  Timestamp updated_at;
};

// The three sets every organisation starts with. Their names are reserved.
struct BuiltinPermissionSet {
  std::string_view name;
  Permissions permissions;
};
const std::vector<BuiltinPermissionSet>& BuiltinPermissionSets();

// Who is making a request: a signed-in user of one organisation, with their permissions.
struct Actor {
  std::string org_id;
  std::string user_id;
  std::string name;
  Permissions permissions;

  bool Can(Permission p) const { return permissions.Has(p); }
};

// The rules of PRODUCT.md "Permissions", one function each.
// May `actor` see the list of users? (users.manage or credentials.manage)
bool MayListUsers(const Actor& actor);
// May `actor` see the user `user_id`? (self, users.manage, credentials.manage)
bool MayViewUser(const Actor& actor, std::string_view user_id);
// May `actor` change fields of user `user_id`? Self may change the name only.
bool MayEditUser(const Actor& actor, std::string_view user_id, bool changes_only_name);
// May `actor` manage the credentials held by `holder_id`? (the holder, or users.manage)
bool MayManageCredentialsOf(const Actor& actor, std::string_view holder_id);
// May `actor` see the credentials held by `holder_id`? (the holder, users.manage,
// credentials.manage)
bool MayViewCredentialsOf(const Actor& actor, std::string_view holder_id);
// May `actor` approve or reject a credential held by `holder_id`? (credentials.manage, never
// one's own)
bool MayApprove(const Actor& actor, std::string_view holder_id);

}  // namespace bf
