// Permissions, the built-in permission sets, and who may do what (PRODUCT.md "Permissions").
#include "domain/permissions.h"

#include <gtest/gtest.h>

#include <iterator>
#include <optional>
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

// ---- Nobody grants more than they hold --------------------------------------------------------

// "ok", or the error's reason ("forbidden", "permission_escalation", "last_administrator", ...).
std::string Outcome(const Status& s) { return s ? "ok" : s.error().reason; }

// What one request does to one user, for the tables below.
enum class Act {
  kCreate,
  kRename,
  kToAdministrator,
  kToManager,
  kToStandard,
  kDeactivate,
  kReactivate
};
constexpr Act kActs[] = {Act::kCreate,     Act::kRename,     Act::kToAdministrator, Act::kToManager,
                         Act::kToStandard, Act::kDeactivate, Act::kReactivate};
constexpr const char* kActNames[] = {"create",      "rename",       "set administrator",
                                     "set manager", "set standard", "deactivate",
                                     "reactivate"};

// The change `act` makes to a user who holds `target` (for kCreate: a new user given `target`).
UserChange ChangeOf(Act act, const Holder& target, bool self, bool other_admin) {
  UserChange c;
  c.self = self;
  c.target = target.permissions;
  c.other_active_administrator = other_admin;
  switch (act) {
    case Act::kCreate:
      c.create = true;
      c.new_set = target.permissions;
      break;
    case Act::kRename:
      break;
    case Act::kToAdministrator:
      c.new_set = kAdministrator.permissions;
      break;
    case Act::kToManager:
      c.new_set = kManager.permissions;
      break;
    case Act::kToStandard:
      c.new_set = kStandard.permissions;
      break;
    case Act::kDeactivate:
      c.new_active = false;
      break;
    case Act::kReactivate:
      c.target_active = false;
      c.new_active = true;
      break;
  }
  return c;
}

// Every actor set × target set × action, on another user, with other administrators about:
// without users.manage nothing happens ("forbidden"); without org.manage nobody touches an
// administrator; nobody gives a set with a permission they lack. "-": giving the set the user
// already has is no change of set, so it is not a row.
TEST(AuthorizeUserChange, NobodyGrantsMoreThanTheyHoldNorTouchesAnAdministratorWithoutOrgManage) {
  const std::string ok = "ok", no = "forbidden", esc = "permission_escalation", same = "-";
  struct Case {
    Holder actor, target;
    std::string expected[7];  // in the order of kActs
  } rows[] = {
      // actor            target          create rename  →admin →manager →standard deact react
      {kAdministrator, kAdministrator, {ok, ok, same, ok, ok, ok, ok}},
      {kAdministrator, kManager, {ok, ok, ok, same, ok, ok, ok}},
      {kAdministrator, kStandard, {ok, ok, ok, ok, same, ok, ok}},
      {kManager, kAdministrator, {esc, esc, same, esc, esc, esc, esc}},
      {kManager, kManager, {ok, ok, esc, same, ok, ok, ok}},
      {kManager, kStandard, {ok, ok, esc, ok, same, ok, ok}},
      {kUsersManage, kAdministrator, {esc, esc, same, esc, esc, esc, esc}},
      {kUsersManage, kManager, {esc, ok, esc, same, ok, ok, ok}},
      {kUsersManage, kStandard, {ok, ok, esc, esc, same, ok, ok}},
      {kStandard, kAdministrator, {no, no, same, no, no, no, no}},
      {kStandard, kManager, {no, no, no, same, no, no, no}},
      {kStandard, kStandard, {no, no, no, no, same, no, no}},
      {kOrgManage, kAdministrator, {no, no, same, no, no, no, no}},
      {kOrgManage, kManager, {no, no, no, same, no, no, no}},
      {kOrgManage, kStandard, {no, no, no, no, same, no, no}},
      {kCredentialsManage, kAdministrator, {no, no, same, no, no, no, no}},
      {kCredentialsManage, kManager, {no, no, no, same, no, no, no}},
      {kCredentialsManage, kStandard, {no, no, no, no, same, no, no}},
  };
  for (const Case& row : rows) {
    for (size_t i = 0; i < std::size(kActs); ++i) {
      if (row.expected[i] == same) continue;
      UserChange change = ChangeOf(kActs[i], row.target, /*self=*/false, /*other_admin=*/true);
      EXPECT_EQ(Outcome(AuthorizeUserChange(ActorWith(row.actor), change)), row.expected[i])
          << row.actor.name << " → " << kActNames[i] << " of a user holding " << row.target.name;
    }
  }
}

// On oneself: one's own name always; nothing else without users.manage; never a set one does
// not hold all of (the manager who made themselves administrator); never one's own deactivation.
TEST(AuthorizeUserChange, OnOneselfTheSameRulesHoldAndNobodyDeactivatesThemselves) {
  struct Case {
    Holder actor;
    Act act;
    bool other_admin;
    std::string expected;
  } rows[] = {
      {kStandard, Act::kRename, true, "ok"},
      {kStandard, Act::kToManager, true, "forbidden"},
      {kStandard, Act::kDeactivate, true, "forbidden"},
      {kOrgManage, Act::kRename, true, "ok"},
      {kOrgManage, Act::kToStandard, true, "forbidden"},
      {kManager, Act::kRename, true, "ok"},
      {kManager, Act::kToAdministrator, true, "permission_escalation"},
      {kManager, Act::kToStandard, true, "ok"},
      {kManager, Act::kDeactivate, true, "cannot_deactivate_self"},
      {kUsersManage, Act::kToManager, true, "permission_escalation"},
      {kAdministrator, Act::kRename, false, "ok"},
      {kAdministrator, Act::kToManager, true, "ok"},
      {kAdministrator, Act::kToManager, false, "last_administrator"},
      {kAdministrator, Act::kToStandard, false, "last_administrator"},
      {kAdministrator, Act::kDeactivate, true, "cannot_deactivate_self"},
  };
  for (const Case& row : rows) {
    UserChange change = ChangeOf(row.act, row.actor, /*self=*/true, row.other_admin);
    EXPECT_EQ(Outcome(AuthorizeUserChange(ActorWith(row.actor), change)), row.expected)
        << row.actor.name << " → " << kActNames[static_cast<int>(row.act)] << " of themselves"
        << (row.other_admin ? "" : " (the last administrator)");
  }
}

// The organisation's last active org.manage holder keeps it: no change of set without
// org.manage, no deactivation. Changes that leave org.manage, or concern a deactivated
// administrator, pass.
TEST(AuthorizeUserChange, TheLastActiveAdministratorCannotBeDemotedOrDeactivated) {
  const Holder kOrgOnly{"org.manage", Of({Permission::kOrgManage})};
  struct Case {
    std::string what;
    UserChange change;
    std::string expected;
  } rows[] = {
      {"demote to manager", ChangeOf(Act::kToManager, kAdministrator, false, false),
       "last_administrator"},
      {"demote to standard", ChangeOf(Act::kToStandard, kAdministrator, false, false),
       "last_administrator"},
      {"deactivate", ChangeOf(Act::kDeactivate, kAdministrator, false, false),
       "last_administrator"},
      {"rename", ChangeOf(Act::kRename, kAdministrator, false, false), "ok"},
      {"demote with another administrator", ChangeOf(Act::kToStandard, kAdministrator, false, true),
       "ok"},
      {"deactivate with another administrator",
       ChangeOf(Act::kDeactivate, kAdministrator, false, true), "ok"},
      {"reactivate a deactivated administrator",
       ChangeOf(Act::kReactivate, kAdministrator, false, false), "ok"},
  };
  for (const Case& row : rows) {
    EXPECT_EQ(Outcome(AuthorizeUserChange(ActorWith(kAdministrator), row.change)), row.expected)
        << row.what;
  }
  // A set that keeps org.manage is no loss.
  UserChange keeps = ChangeOf(Act::kRename, kAdministrator, false, false);
  keeps.new_set = kOrgOnly.permissions;
  EXPECT_EQ(Outcome(AuthorizeUserChange(ActorWith(kAdministrator), keeps)), "ok");
  // A deactivated administrator is not counted: demoting them loses nobody.
  UserChange inactive = ChangeOf(Act::kToStandard, kAdministrator, false, false);
  inactive.target_active = false;
  EXPECT_EQ(Outcome(AuthorizeUserChange(ActorWith(kAdministrator), inactive)), "ok");
  // Someone without org.manage is refused for touching the administrator before anything else.
  EXPECT_EQ(Outcome(AuthorizeUserChange(ActorWith(kManager),
                                        ChangeOf(Act::kDeactivate, kAdministrator, false, false))),
            "permission_escalation");
}

// Editing a set changes what every holder holds: a set gains only what its editor holds, keeps
// org.manage while its active holders are the last administrators, and built-ins stay as they are.
TEST(AuthorizePermissionSetChange, ASetGainsOnlyWhatItsEditorHoldsAndKeepsTheLastAdministrators) {
  const Permissions none;
  const Permissions users = Of({Permission::kUsersManage});
  const Permissions creds = Of({Permission::kCredentialsManage});
  const Permissions org = Of({Permission::kOrgManage});
  const Permissions all = Permissions::All();
  struct Case {
    std::string what;
    Holder actor;
    Permissions before;
    std::optional<Permissions> after;  // nullopt: delete
    bool builtin, holders, other_admin;
    std::string expected;
  } rows[] = {
      {"create, no org.manage", kManager, none, none, false, false, true, "forbidden"},
      {"create, standard", kStandard, none, none, false, false, true, "forbidden"},
      {"create everything", kAdministrator, none, all, false, false, true, "ok"},
      {"create with a permission one lacks", kOrgManage, none, users, false, false, true,
       "permission_escalation"},
      {"create with what one holds", kOrgManage, none, org, false, false, true, "ok"},
      {"rename a set holding what one lacks", kOrgManage, creds, creds, false, true, true, "ok"},
      {"remove a permission one lacks", kOrgManage, creds, none, false, true, true, "ok"},
      {"add a permission one lacks", kOrgManage, none, creds, false, true, true,
       "permission_escalation"},
      {"add users.manage to one's own org.manage set", kOrgManage, org,
       Permissions(org.bits() | users.bits()), false, true, true, "permission_escalation"},
      {"change a built-in", kAdministrator, all, none, true, true, true, "builtin"},
      {"change a built-in without org.manage", kStandard, all, none, true, true, true, "forbidden"},
      {"delete a built-in", kAdministrator, none, std::nullopt, true, false, true, "builtin"},
      {"take org.manage from the last administrators", kAdministrator, all, users, false, true,
       false, "last_administrator"},
      {"take org.manage with administrators elsewhere", kAdministrator, all, users, false, true,
       true, "ok"},
      {"take org.manage from a set nobody active holds", kAdministrator, all, users, false, false,
       false, "ok"},
      {"delete the last administrators' set", kAdministrator, org, std::nullopt, false, true, false,
       "last_administrator"},
      {"delete an unheld set", kAdministrator, org, std::nullopt, false, false, false, "ok"},
  };
  for (const Case& row : rows) {
    PermissionSetChange change;
    change.before = row.before;
    change.after = row.after;
    change.builtin = row.builtin;
    change.has_active_holders = row.holders;
    change.other_active_administrator = row.other_admin;
    EXPECT_EQ(Outcome(AuthorizePermissionSetChange(ActorWith(row.actor), change)), row.expected)
        << row.what << " (by " << row.actor.name << ")";
  }
}

TEST(Permissions, ContainsIsTheSubsetRelation) {
  EXPECT_TRUE(Permissions::All().Contains(Permissions()));
  EXPECT_TRUE(Permissions::All().Contains(kManager.permissions));
  EXPECT_FALSE(kManager.permissions.Contains(Permissions::All()));
  EXPECT_TRUE(kManager.permissions.Contains(kManager.permissions));
  EXPECT_FALSE(kUsersManage.permissions.Contains(kCredentialsManage.permissions));
}

}  // namespace
}  // namespace bf
