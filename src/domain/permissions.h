// Permissions, permission sets and who may do what. Pure rules: no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

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
  // True when every permission of `other` is also in this set.
  bool Contains(Permissions other) const { return (other.bits_ & ~bits_) == 0; }
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

// ---- Nobody grants more than they hold (PRODUCT.md "Permissions") -----------------------------
//
// Three rules guard who can become or stop being an administrator (a holder of org.manage):
//  1. nobody grants a permission set holding a permission they lack (on create, on a change of
//     set, or by adding permissions to a set that people hold);
//  2. only org.manage holders touch an org.manage holder: change their set, deactivate or
//     reactivate them, or edit their name;
//  3. the organisation's last active org.manage holder cannot lose it, by a change of set, by
//     deactivation, or by their set losing org.manage (409 "last_administrator").
// Rules 1 and 2 answer 403 "permission_escalation". Callers run the check before writing
// anything, so a refused change changes nothing.

// One request about one user, as the rules see it. A PATCH may change several things at once.
struct UserChange {
  bool create = false;  // a new user; `target` and `target_active` are then ignored
  bool self = false;    // the actor is the target
  Permissions target;   // what the target holds now
  bool target_active = true;
  std::optional<Permissions> new_set;  // given a different permission set (or, on create, this one)
  std::optional<bool> new_active;      // status changes: true reactivates, false deactivates
  // Whether some active org.manage holder other than the target exists now (rule 3).
  bool other_active_administrator = true;
};

// Every rule for `change` by `actor`, in this order: 403 "forbidden" without users.manage
// (self may change their own name only); 422 "cannot_deactivate_self"; 403
// "permission_escalation" (rules 2, then 1); 409 "last_administrator" (rule 3). Ok otherwise.
Status AuthorizeUserChange(const Actor& actor, const UserChange& change);

// One request about one permission set: creating it (`before` empty), changing its permissions,
// or deleting it (`after` nullopt). Renaming alone is `after` == `before`.
struct PermissionSetChange {
  Permissions before;
  std::optional<Permissions> after;
  bool builtin = false;
  // Whether active users hold this set now, and whether an active org.manage holder exists
  // outside it (rule 3).
  bool has_active_holders = false;
  bool other_active_administrator = true;
};

// 403 "forbidden" without org.manage; 409 "builtin" for a built-in set; 403
// "permission_escalation" when the set gains a permission the actor lacks (rule 1; a set
// nobody holds yet counts too, so that a set's definition never exceeds its author's); 409
// "last_administrator" when the set's active holders are the last administrators and it would
// lose org.manage (rule 3). Deleting a set that users hold is refused elsewhere (409 "in_use").
Status AuthorizePermissionSetChange(const Actor& actor, const PermissionSetChange& change);

}  // namespace bf
