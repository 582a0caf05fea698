// Notification settings over real sockets: one's own, anyone's with users.manage, 404 across
// organisations, and every bad input of the notifications issue (422 naming the field).
#include <gtest/gtest.h>

#include "support/test_server.h"

namespace bf::testing {
namespace {

class NotificationSettingsApiTest : public ::testing::Test {
 protected:
  std::string UserPath(const std::string& who) {
    return "/api/v1/users/" + server_.person(who).user.id + "/notification-settings";
  }
  TestServer server_;
};

TEST_F(NotificationSettingsApiTest, EveryoneStartsWithTheDefaults) {
  auto res = server_.Call("alice", "GET", "/api/v1/me/notification-settings");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.Json(), boost::json::parse(R"({"email":true,"in_app":true,"expiry_reminders":true,
      "days_before":[30,7,1],"on_expiry":true,"manager_digest":false})"));
}

TEST_F(NotificationSettingsApiTest, PutReplacesTheWholeSettings) {
  const std::string first = NotificationSettingsBody(R"({"email":false,"days_before":[60,14,1]})");
  auto res = server_.Call("alice", "PUT", "/api/v1/me/notification-settings", first);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.Json(), boost::json::parse(R"({"email":false,"in_app":true,"expiry_reminders":true,
      "days_before":[60,14,1],"on_expiry":true,"manager_digest":false})"));
  const std::string second = J(R"({"email":true,"in_app":false,"expiry_reminders":false,
      "days_before":[3],"on_expiry":false,"manager_digest":false})");
  res = server_.Call("alice", "PUT", "/api/v1/me/notification-settings", second);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/me/notification-settings").Json(),
            boost::json::parse(second));
  // What GET answers can be PUT back as it is.
  res = server_.Call("alice", "PUT", "/api/v1/me/notification-settings",
                     server_.Call("alice", "GET", "/api/v1/me/notification-settings").body);
  EXPECT_EQ(res.status, 200) << res.body;
  // Only alice's changed.
  EXPECT_EQ(server_.Call("bob", "GET", "/api/v1/me/notification-settings").Json().at("email"),
            true);
}

// PUT replaces (docs/architecture.md): a body without every field is 422 naming each missing
// one with code `required`, and changes nothing; a PATCH elsewhere names only what it changes.
TEST_F(NotificationSettingsApiTest, APartialPutAnswers422NamingEveryMissingField) {
  struct Case {
    const char* body;
    std::vector<std::string> missing;
  };
  const Case cases[] = {
      {R"({"email":false})",
       {"in_app", "expiry_reminders", "days_before", "on_expiry", "manager_digest"}},
      {R"({"email":false,"in_app":false,"expiry_reminders":false,"days_before":[7],
          "on_expiry":false})",
       {"manager_digest"}},
      {"{}", {"email", "in_app", "expiry_reminders", "days_before", "on_expiry", "manager_digest"}},
  };
  const std::string defaults =
      server_.Call("alice", "GET", "/api/v1/me/notification-settings").body;
  for (const std::string& path :
       {std::string("/api/v1/me/notification-settings"), UserPath("alice")}) {
    for (const Case& c : cases) {
      SCOPED_TRACE(path + " " + c.body);
      auto res = server_.Call(path == UserPath("alice") ? "admin" : "alice", "PUT", path, c.body);
      ASSERT_EQ(res.status, 422) << res.body;
      EXPECT_EQ(res.Code(), "required");
      std::vector<std::string> named;
      const boost::json::value problem = res.Json();
      for (const auto& e : problem.at("errors").as_array()) {
        EXPECT_EQ(e.at("code"), "required");
        named.emplace_back(e.at("field").as_string());
      }
      EXPECT_EQ(named, c.missing);
      EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/me/notification-settings").body, defaults);
    }
  }
}

TEST_F(NotificationSettingsApiTest, UsersManageMayReadAndChangeAnyonesInTheOrganisationOnly) {
  auto res = server_.Call("admin", "PUT", UserPath("alice"),
                          NotificationSettingsBody(R"({"expiry_reminders":false})"));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/me/notification-settings")
                .Json()
                .at("expiry_reminders"),
            false);
  EXPECT_EQ(server_.Call("admin", "GET", UserPath("alice")).Json().at("expiry_reminders"), false);
  // Oneself through /users/{id} too.
  EXPECT_EQ(server_.Call("alice", "GET", UserPath("alice")).status, 200);
  // Another user's, without users.manage: 403 (managers hold users.manage).
  EXPECT_EQ(server_.Call("bob", "GET", UserPath("alice")).status, 403);
  EXPECT_EQ(server_.Call("bob", "PUT", UserPath("alice"), NotificationSettingsBody()).status, 403);
  EXPECT_EQ(server_.Call("manager", "PUT", UserPath("alice"), NotificationSettingsBody()).status,
            200);
  // Another organisation's user, an unknown id or no id at all: 404.
  EXPECT_EQ(server_.Call("other_admin", "GET", UserPath("alice")).status, 404);
  EXPECT_EQ(
      server_.Call("other_admin", "PUT", UserPath("alice"), NotificationSettingsBody()).status,
      404);
  EXPECT_EQ(server_
                .Call("admin", "GET",
                      "/api/v1/users/00000000-0000-4000-8000-000000000000/notification-settings")
                .status,
            404);
  EXPECT_EQ(server_.Call("admin", "GET", "/api/v1/users/not-an-id/notification-settings").status,
            404);
  EXPECT_EQ(server_.Call("", "GET", "/api/v1/me/notification-settings").status, 401);
}

TEST_F(NotificationSettingsApiTest, BadLeadTimesAnswer422NamingTheField) {
  struct Case {
    const char* days;
    const char* code;
  };
  const Case cases[] = {
      {"[-1]", "out_of_range"},
      {"[0]", "out_of_range"},
      {"[3651]", "out_of_range"},
      {"[99999999999]", "out_of_range"},
      {"[18446744073709551615]", "out_of_range"},
      {"[1e300]", "out_of_range"},
      {"[7,7]", "duplicate"},
      {"[30,7,1,30]", "duplicate"},
      {"[1,2,3,4,5,6,7,8,9,10,11]", "too_many"},
      {"[]", "required"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.days);
    auto res = server_.Call(
        "alice", "PUT", "/api/v1/me/notification-settings",
        NotificationSettingsBody((std::string(R"({"days_before":)") + c.days + "}").c_str()));
    EXPECT_EQ(res.status, 422) << res.body;
    EXPECT_EQ(res.FieldCode(), c.code);
    ASSERT_EQ(res.Json().at("errors").as_array().size(), 1u);
    EXPECT_EQ(res.Json().at("errors").as_array()[0].at("field"), "days_before");
    // Nothing was saved.
    EXPECT_EQ(
        server_.Call("alice", "GET", "/api/v1/me/notification-settings").Json().at("days_before"),
        boost::json::parse("[30,7,1]"));
  }
  // Ten distinct lead times between 1 and 3650 are fine.
  EXPECT_EQ(server_
                .Call("alice", "PUT", "/api/v1/me/notification-settings",
                      NotificationSettingsBody(R"({"days_before":[3650,365,90,60,30,14,7,3,2,1]})"))
                .status,
            200);
  // So is the same through /users/{id}, checked the same way.
  auto res = server_.Call("admin", "PUT", UserPath("bob"),
                          NotificationSettingsBody(R"({"days_before":[0]})"));
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(res.FieldCode(), "out_of_range");
}

TEST_F(NotificationSettingsApiTest, WrongTypesAndUnknownFieldsAnswer400) {
  for (const char* body :
       {R"({"days_before":"30,7"})", R"({"days_before":[1.5]})", R"({"days_before":["7"]})",
        R"({"days_before":null})", R"({"email":"yes"})", R"({"digest":true})"}) {
    SCOPED_TRACE(body);
    auto res = server_.Call("alice", "PUT", "/api/v1/me/notification-settings", body);
    EXPECT_EQ(res.status, 400) << res.body;
    EXPECT_EQ(res.Code(), "bad_request");
  }
  EXPECT_EQ(server_.Call("alice", "PUT", "/api/v1/me/notification-settings", "[1]").status, 400);
  EXPECT_EQ(server_
                .Call("alice", "PUT", "/api/v1/me/notification-settings", "{}",
                      {{"Content-Type", "text/plain"}})
                .status,
            415);
}

TEST_F(NotificationSettingsApiTest, TheManagerDigestIsForCredentialsManageOnly) {
  auto res = server_.Call("alice", "PUT", "/api/v1/me/notification-settings",
                          NotificationSettingsBody(R"({"manager_digest":true})"));
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(res.FieldCode(), "not_allowed");
  EXPECT_EQ(res.Json().at("errors").as_array()[0].at("field"), "manager_digest");
  EXPECT_EQ(server_
                .Call("alice", "PUT", "/api/v1/me/notification-settings",
                      NotificationSettingsBody(R"({"manager_digest":false})"))
                .status,
            200);
  res = server_.Call("manager", "PUT", "/api/v1/me/notification-settings",
                     NotificationSettingsBody(R"({"manager_digest":true})"));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.Json().at("manager_digest"), true);
  // An administrator may turn it on for a manager, not for a standard user.
  EXPECT_EQ(server_
                .Call("admin", "PUT", UserPath("bob"),
                      NotificationSettingsBody(R"({"manager_digest":true})"))
                .status,
            422);
}

TEST_F(NotificationSettingsApiTest, MetricsCountRequestsByRouteAndStatus) {
  server_.Call("alice", "GET", "/api/v1/me/notification-settings");
  server_.Call("alice", "PUT", "/api/v1/me/notification-settings",
               NotificationSettingsBody(R"({"days_before":[0]})"));
  auto res = server_.Call("", "GET", "/metrics");
  ASSERT_EQ(res.status, 200);
  EXPECT_NE(res.body.find("# TYPE bonafides_http_requests_total counter\n"), std::string::npos);
  EXPECT_NE(res.body.find("bonafides_http_requests_total{method=\"PUT\",route=\"/api/v1/me/"
                          "notification-settings\",status=\"422\"} "),
            std::string::npos)
      << res.body;
  EXPECT_NE(res.body.find("bonafides_http_requests_total{method=\"GET\",route=\"/api/v1/me/"
                          "notification-settings\",status=\"200\"} "),
            std::string::npos)
      << res.body;
  EXPECT_NE(res.body.find("# TYPE bonafides_reminders_sent_total counter\n"), std::string::npos);
  EXPECT_NE(res.body.find("bonafides_outbox_emails{status=\"pending\"} 0\n"), std::string::npos);
  EXPECT_EQ(server_.Call("", "GET", "/metrics?x=1").status, 400);
}

}  // namespace
}  // namespace bf::testing
