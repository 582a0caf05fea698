// Permissions, the built-in permission sets, and who may do what (PRODUCT.md "Permissions").
#include "domain/permissions.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace bf {
namespace {

constexpr std::string_view kSelf = "user-self";
constexpr std::string_view kOther = "user-other";

Permissions Of(std::initializer_list<Permission> list) {
  Permissions p;
  for (Permission each : list) p.Add(each);
  return p;
}

// The permission sets the rules are checked against: the three built-ins and each permission
// alone.
struct Holder {
  std::string_view name;
  Permissions permissions;
};
const Holder kStandard{"standard", Permissions()};
const Holder kUsersManage{"users.manage", Of({Permission::kUsersManage})};
const Holder kCredentialsManage{"credentials.manage", Of({Permission::kCredentialsManage})};
const Holder kOrgManage{"org.manage", Of({Permission::kOrgManage})};
const Holder kManager{"manager", Of({Permission::kUsersManage, Permission::kCredentialsManage})};
const Holder kAdministrator{"administrator", Permissions::All()};

Actor ActorWith(const Holder& h) {
  return Actor{"org-1", std::string(kSelf), "Actor", h.permissions};
}

// One row of a rule table: who acts, and whether the rule allows them on themselves and on
// another user.
struct Row {
  Holder holder;
  bool self;
  bool other;
};

template <typename Rule>
void ExpectRule(const std::vector<Row>& rows, Rule rule) {
  for (const Row& row : rows) {
    Actor actor = ActorWith(row.holder);
    EXPECT_EQ(rule(actor, kSelf), row.self) << row.holder.name << " on self";
    EXPECT_EQ(rule(actor, kOther), row.other) << row.holder.name << " on another user";
  }
}

// ---- Permissions ----------------------------------------------------------------------------

TEST(Permission, BitsAreStableBecauseTheDatabaseStoresTheMask) {
  EXPECT_EQ(static_cast<uint32_t>(Permission::kUsersManage), 1u);
  EXPECT_EQ(static_cast<uint32_t>(Permission::kCredentialsManage), 2u);
  EXPECT_EQ(static_cast<uint32_t>(Permission::kOrgManage), 4u);
  EXPECT_EQ(Permissions::All().bits(), 7u);
  EXPECT_EQ(Permissions().bits(), 0u);
}

TEST(Permission, NamesParseAndPrintBothWays) {
  struct Case {
    Permission permission;
    std::string_view name;
  } cases[] = {
      {Permission::kUsersManage, "users.manage"},
      {Permission::kCredentialsManage, "credentials.manage"},
      {Permission::kOrgManage, "org.manage"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(PermissionName(c.permission), c.name);
    EXPECT_EQ(ParsePermission(c.name), c.permission);
  }
  EXPECT_EQ(AllPermissions(),
            (std::vector<Permission>{Permission::kUsersManage, Permission::kCredentialsManage,
                                     Permission::kOrgManage}));
}

TEST(Permission, ParseRejectsAnythingButTheExactName) {
  for (std::string_view name :
       {"", "Users.Manage", "USERS.MANAGE", "users.manage ", " users.manage", "users",
        "users_manage", "administrator", "approve"}) {
    EXPECT_EQ(ParsePermission(name), std::nullopt) << '"' << name << '"';
  }
}

TEST(Permissions, NamesComeInAFixedOrderWhateverTheOrderAdded) {
  struct Case {
    Permissions permissions;
    std::vector<std::string> names;
  } cases[] = {
      {Permissions(), {}},
      {Of({Permission::kOrgManage}), {"org.manage"}},
      {Of({Permission::kOrgManage, Permission::kUsersManage}), {"users.manage", "org.manage"}},
      {Of({Permission::kCredentialsManage, Permission::kUsersManage}),
       {"users.manage", "credentials.manage"}},
      {Permissions::All(), {"users.manage", "credentials.manage", "org.manage"}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.permissions.Names(), c.names) << "bits " << c.permissions.bits();
  }
}

TEST(Permissions, HasAndAddWorkOnSingleBits) {
  Permissions p;
  EXPECT_FALSE(p.Has(Permission::kUsersManage));
  p.Add(Permission::kCredentialsManage);
  p.Add(Permission::kCredentialsManage);  // adding twice changes nothing
  EXPECT_FALSE(p.Has(Permission::kUsersManage));
  EXPECT_TRUE(p.Has(Permission::kCredentialsManage));
  EXPECT_FALSE(p.Has(Permission::kOrgManage));
  EXPECT_EQ(p, Permissions(2));
  EXPECT_NE(p, Permissions::All());
}

TEST(BuiltinPermissionSets, AreAdministratorManagerAndStandard) {
  const auto& sets = BuiltinPermissionSets();
  ASSERT_EQ(sets.size(), 3u);
  EXPECT_EQ(sets[0].name, "administrator");
  EXPECT_EQ(sets[0].permissions.Names(),
            (std::vector<std::string>{"users.manage", "credentials.manage", "org.manage"}));
  EXPECT_EQ(sets[1].name, "manager");
  EXPECT_EQ(sets[1].permissions.Names(),
            (std::vector<std::string>{"users.manage", "credentials.manage"}));
  EXPECT_EQ(sets[2].name, "standard");
  EXPECT_EQ(sets[2].permissions.Names(), std::vector<std::string>{});
}

// ---- The rules ------------------------------------------------------------------------------

TEST(MayListUsers, NeedsUsersManageOrCredentialsManage) {
  ExpectRule(
      {
          {kStandard, false, false},
          {kUsersManage, true, true},
          {kCredentialsManage, true, true},
          {kOrgManage, false, false},
          {kManager, true, true},
          {kAdministrator, true, true},
      },
      [](const Actor& a, std::string_view) { return MayListUsers(a); });
}

TEST(MayViewUser, SelfAlwaysOthersWithUsersManageOrCredentialsManage) {
  ExpectRule(
      {
          {kStandard, true, false},
          {kUsersManage, true, true},
          {kCredentialsManage, true, true},
          {kOrgManage, true, false},
          {kManager, true, true},
          {kAdministrator, true, true},
      },
      MayViewUser);
}

TEST(MayEditUser, AnyChangeWithUsersManageOtherwiseOnlyOwnName) {
  // A name-only change: self may, others need users.manage.
  ExpectRule(
      {
          {kStandard, true, false},
          {kUsersManage, true, true},
          {kCredentialsManage, true, false},
          {kOrgManage, true, false},
          {kManager, true, true},
          {kAdministrator, true, true},
      },
      [](const Actor& a, std::string_view id) { return MayEditUser(a, id, true); });
  // Status or permission set (with or without the name): users.manage, even on oneself.
  ExpectRule(
      {
          {kStandard, false, false},
          {kUsersManage, true, true},
          {kCredentialsManage, false, false},
          {kOrgManage, false, false},
          {kManager, true, true},
          {kAdministrator, true, true},
      },
      [](const Actor& a, std::string_view id) { return MayEditUser(a, id, false); });
}

TEST(MayManageCredentialsOf, TheHolderOrUsersManage) {
  ExpectRule(
      {
          {kStandard, true, false},
          {kUsersManage, true, true},
          {kCredentialsManage, true, false},  // may see and approve, not manage
          {kOrgManage, true, false},
          {kManager, true, true},
          {kAdministrator, true, true},
      },
      MayManageCredentialsOf);
}

TEST(MayViewCredentialsOf, TheHolderUsersManageOrCredentialsManage) {
  ExpectRule(
      {
          {kStandard, true, false},
          {kUsersManage, true, true},
          {kCredentialsManage, true, true},
          {kOrgManage, true, false},
          {kManager, true, true},
          {kAdministrator, true, true},
      },
      MayViewCredentialsOf);
}

TEST(MayApprove, NeverOwnAndOnlyWithCredentialsManage) {
  ExpectRule(
      {
          {kStandard, false, false},
          {kUsersManage, false, false},
          {kCredentialsManage, false, true},
          {kOrgManage, false, false},
          {kManager, false, true},
          {kAdministrator, false, true},  // not even an administrator approves their own
      },
      MayApprove);
}

}  // namespace
}  // namespace bf
