// "Nobody grants more than they hold" (PRODUCT.md "Permissions") over real sockets: a manager
// cannot make themselves or anyone an administrator, nor touch an administrator; the last active
// administrator stays one; custom permission sets gain only what their editor holds. Every refusal
// asserts the exact status and code, and that nothing changed. The whole table of actor × target
// × action is tests/domain/permissions_test.cc.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "support/test_server.h"

namespace bf::testing {
namespace {

class EscalationApiTest : public ::testing::Test {
 protected:
  std::string SetId(const std::string& name) {
    return server_.PermissionSetId(server_.org_a(), name);
  }
  std::string Id(const std::string& who) { return server_.person(who).user.id; }

  HttpResult Patch(const std::string& who, const std::string& target, const std::string& body) {
    return server_.Call(who, "PATCH", "/api/v1/users/" + Id(target), body);
  }
  std::string SetBody(const std::string& set) {
    return R"({"permission_set_id":")" + SetId(set) + "\"}";
  }
  // The user as the administrator sees them.
  boost::json::value User(const std::string& who) {
    return server_.Call("admin", "GET", "/api/v1/users/" + Id(who)).Json();
  }
  size_t UserCount() {
    return server_.Call("admin", "GET", "/api/v1/users?limit=200")
        .Json()
        .at("items")
        .as_array()
        .size();
  }
  size_t ActivityCount() {
    return server_.Call("admin", "GET", "/api/v1/activity?limit=200")
        .Json()
        .at("items")
        .as_array()
        .size();
  }

  void ExpectRefused(const HttpResult& res, int status, const std::string& code,
                     const std::string& what) {
    EXPECT_EQ(res.status, status) << what << " → " << res.body;
    EXPECT_EQ(res.Code(), code) << what;
    EXPECT_EQ(res.Header("content-type"), "application/problem+json") << what;
  }

  TestServer server_;
};

// The defect of issue #12: PATCH /users/{own id} with the administrator set answered 200.
TEST_F(EscalationApiTest, AManagerCannotMakeThemselvesAdministrator) {
  const auto before = User("manager");
  const size_t entries = ActivityCount();
  ExpectRefused(Patch("manager", "manager", SetBody("administrator")), 403, "permission_escalation",
                "manager gives themselves the administrator set");
  EXPECT_EQ(User("manager"), before);
  EXPECT_EQ(ActivityCount(), entries);
  // Still a manager: the organisation stays out of reach.
  ExpectRefused(server_.Call("manager", "PATCH", "/api/v1/organization", R"({"name":"Mine now"})"),
                403, "forbidden", "manager changes the organisation");
  auto me = server_.Call("manager", "GET", "/api/v1/me").Json();
  EXPECT_EQ(me.at("permission_set").at("name"), "manager");
}

TEST_F(EscalationApiTest, AManagerCannotCreateAnAdministrator) {
  const size_t users = UserCount();
  auto res = server_.Call("manager", "POST", "/api/v1/users",
                          R"({"email":"mole@a.example","name":"Mole","permission_set_id":")" +
                              SetId("administrator") + R"(","password":"a fine password"})");
  ExpectRefused(res, 403, "permission_escalation", "manager creates an administrator");
  EXPECT_EQ(UserCount(), users);
  // The sets they hold all of are theirs to give.
  for (const char* set : {"manager", "standard"}) {
    auto ok =
        server_.Call("manager", "POST", "/api/v1/users",
                     R"({"email":")" + std::string(set) +
                         R"(@new.example","name":"N","permission_set_id":")" + SetId(set) + "\"}");
    EXPECT_EQ(ok.status, 201) << set << ": " << ok.body;
  }
}

TEST_F(EscalationApiTest, OnlyOrgManageHoldersTouchAnAdministrator) {
  const auto before = User("admin");
  const size_t entries = ActivityCount();
  struct Case {
    std::string what, body;
  } cases[] = {
      {"rename", R"({"name":"Demoted"})"},
      {"demote to standard", SetBody("standard")},
      {"demote to manager", SetBody("manager")},
      {"deactivate", R"({"status":"deactivated"})"},
  };
  for (const Case& c : cases) {
    ExpectRefused(Patch("manager", "admin", c.body), 403, "permission_escalation",
                  "manager: " + c.what);
  }
  EXPECT_EQ(User("admin"), before);
  EXPECT_EQ(ActivityCount(), entries);
  // The administrator's token still works: nothing was ended.
  EXPECT_EQ(server_.Call("admin", "GET", "/api/v1/me").status, 200);

  // A deactivated administrator is still an org.manage holder: a manager cannot bring them back.
  server_.AddPerson("second", "second@a.example", "Second Admin", "administrator");
  ASSERT_EQ(Patch("admin", "second", R"({"status":"deactivated"})").status, 200);
  ExpectRefused(Patch("manager", "second", R"({"status":"active"})"), 403, "permission_escalation",
                "manager reactivates an administrator");
  EXPECT_EQ(User("second").at("status"), "deactivated");
}

TEST_F(EscalationApiTest, AManagerStillManagesWhoTheyMay) {
  EXPECT_EQ(Patch("manager", "alice", SetBody("manager")).status, 200);
  EXPECT_EQ(Patch("manager", "bob", R"({"status":"deactivated"})").status, 200);
  EXPECT_EQ(Patch("manager", "bob", R"({"status":"active"})").status, 200);
  EXPECT_EQ(Patch("manager", "manager", SetBody("standard")).status, 200);  // one may step down
}

TEST_F(EscalationApiTest, TheLastActiveAdministratorCannotBeDemotedOrDeactivated) {
  const auto before = User("admin");
  ExpectRefused(Patch("admin", "admin", SetBody("manager")), 409, "last_administrator",
                "the only administrator demotes themselves");
  ExpectRefused(Patch("admin", "admin", SetBody("standard")), 409, "last_administrator",
                "the only administrator demotes themselves to standard");
  EXPECT_EQ(User("admin"), before);

  // With a second administrator either may go, but never both.
  server_.AddPerson("second", "second@a.example", "Second Admin", "administrator");
  ASSERT_EQ(Patch("second", "admin", R"({"status":"deactivated"})").status, 200);
  ExpectRefused(Patch("second", "second", SetBody("manager")), 409, "last_administrator",
                "the remaining administrator demotes themselves");
  // A deactivated administrator does not count: reactivating them makes two again.
  ASSERT_EQ(Patch("second", "admin", R"({"status":"active"})").status, 200);
  EXPECT_EQ(Patch("second", "second", SetBody("manager")).status, 200);
  // Now the first is the last again (deactivation ended their token: they sign in anew).
  std::string cookie = server_.Login("admin@a.example");
  ASSERT_FALSE(cookie.empty());
  ExpectRefused(server_.client().Send("PATCH", "/api/v1/users/" + Id("admin"), SetBody("standard"),
                                      {{"Cookie", cookie}}),
                409, "last_administrator", "org A's last administrator, again");
}

TEST_F(EscalationApiTest, ACustomSetGainsOnlyWhatItsEditorHolds) {
  // An organisation manager without users.manage ("Owners" hold org.manage only).
  auto created = server_.Call("admin", "POST", "/api/v1/permission-sets",
                              R"({"name":"Owners","permissions":["org.manage"]})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string owners = std::string(created.Json().at("id").as_string());
  server_.AddPerson("owner", "owner@a.example", "Olive Owner", "Owners");

  // Adding a permission they lack to their own set would make them a user manager.
  ExpectRefused(server_.Call("owner", "PATCH", "/api/v1/permission-sets/" + owners,
                             R"({"permissions":["org.manage","users.manage"]})"),
                403, "permission_escalation", "org.manage holder adds users.manage to their set");
  ExpectRefused(server_.Call("owner", "POST", "/api/v1/permission-sets",
                             R"({"name":"Backdoor","permissions":["users.manage"]})"),
                403, "permission_escalation", "org.manage holder defines a set with users.manage");
  auto sets = server_.Call("admin", "GET", "/api/v1/permission-sets").Json().at("items").as_array();
  EXPECT_EQ(sets.size(), 4u);  // three built-ins and Owners, unchanged:
  for (const auto& s : sets) {
    if (s.at("id") == boost::json::value(owners)) {
      EXPECT_EQ(s.at("permissions"), (boost::json::array{"org.manage"}));
    }
  }
  // What they hold, they may use: renaming, and a set of what they hold.
  EXPECT_EQ(
      server_
          .Call("owner", "PATCH", "/api/v1/permission-sets/" + owners, R"({"name":"Proprietors"})")
          .status,
      200);
  EXPECT_EQ(server_
                .Call("owner", "POST", "/api/v1/permission-sets",
                      R"({"name":"Also owners","permissions":["org.manage"]})")
                .status,
            201);
}

TEST_F(EscalationApiTest, ASetCannotLoseOrgManageWhileItsHoldersAreTheLastAdministrators) {
  auto created = server_.Call(
      "admin", "POST", "/api/v1/permission-sets",
      R"({"name":"Owners","permissions":["org.manage","users.manage","credentials.manage"]})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string owners = std::string(created.Json().at("id").as_string());
  // The only administrator moves to the custom set (keeping org.manage).
  ASSERT_EQ(Patch("admin", "admin", SetBody("Owners")).status, 200);

  ExpectRefused(server_.Call("admin", "PATCH", "/api/v1/permission-sets/" + owners,
                             R"({"permissions":["users.manage","credentials.manage"]})"),
                409, "last_administrator", "the last administrators' set loses org.manage");
  // Deleting it is refused too (any set somebody holds is; this one for the graver reason).
  ExpectRefused(server_.Call("admin", "DELETE", "/api/v1/permission-sets/" + owners), 409,
                "last_administrator", "deleting the last administrators' set");
  EXPECT_EQ(
      server_.Call("admin", "PATCH", "/api/v1/organization", R"({"name":"Still mine"})").status,
      200);

  // With an administrator outside the set, it may lose org.manage.
  server_.AddPerson("second", "second@a.example", "Second Admin", "administrator");
  auto changed = server_.Call("admin", "PATCH", "/api/v1/permission-sets/" + owners,
                              R"({"permissions":["users.manage","credentials.manage"]})");
  EXPECT_EQ(changed.status, 200) << changed.body;
}

// Two administrators demoting each other at the same instant: each unit checks that another
// active administrator remains, so without a lock both checks could pass before either writes
// (on PostgreSQL's READ COMMITTED). Exactly one demotion may win; the organisation always keeps
// an administrator. Runs on both engines (bf_api_tests and bf_api_tests/Postgres).
TEST_F(EscalationApiTest, TwoAdministratorsDemotingEachOtherAtOnceLeaveOne) {
  server_.AddPerson("admin2", "admin2@a.example", "Second Admin", "administrator");
  for (int round = 0; round < 5; ++round) {
    std::atomic<int> won{0}, last{0}, other{0};
    auto demote = [&](const std::string& who, const std::string& target) {
      auto res = Patch(who, target, SetBody("standard"));
      if (res.status == 200) {
        ++won;
      } else if (res.status == 409 && res.Code() == "last_administrator") {
        ++last;
      } else {
        ++other;  // e.g. 403: the other demotion won first and this actor is no longer one
      }
    };
    std::thread a(demote, "admin", "admin2");
    std::thread b(demote, "admin2", "admin");
    a.join();
    b.join();
    EXPECT_EQ(won.load(), 1) << "round " << round;
    const bool admin_kept = User("admin").at("permission_set").at("name") == "administrator";
    auto second =
        server_.Call(admin_kept ? "admin" : "admin2", "GET", "/api/v1/users/" + Id("admin2"));
    const bool admin2_kept = second.Json().at("permission_set").at("name") == "administrator";
    ASSERT_NE(admin_kept, admin2_kept) << "round " << round << ": exactly one administrator stays";
    // Make the demoted one an administrator again for the next round.
    const std::string keeper = admin_kept ? "admin" : "admin2";
    const std::string demoted = admin_kept ? "admin2" : "admin";
    ASSERT_EQ(Patch(keeper, demoted, SetBody("administrator")).status, 200);
  }
}

}  // namespace
}  // namespace bf::testing
