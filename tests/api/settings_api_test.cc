// Organisation, credential settings and credential types.
#include <gtest/gtest.h>

#include "support/test_server.h"

namespace bf::testing {
namespace {

class SettingsApiTest : public ::testing::Test {
 protected:
  TestServer server_;
};

TEST_F(SettingsApiTest, EveryoneReadsTheOrganisationOnlyOrgManageChangesIt) {
  auto read = server_.Call("alice", "GET", "/api/v1/organization");
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.Json().at("name"), "Org A");
  EXPECT_EQ(read.Json().at("timezone"), "UTC");
  EXPECT_EQ(read.Json().at("date_format"), "YYYY-MM-DD");

  EXPECT_EQ(server_.Call("manager", "PATCH", "/api/v1/organization", J(R"({"name":"Mine"})")).status, 403);
  auto changed = server_.Call("admin", "PATCH", "/api/v1/organization",
                              J(R"({"name":"Org A Pty","timezone":"Australia/Sydney","date_format":"DD/MM/YYYY"})"));
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.Json().at("timezone"), "Australia/Sydney");
  EXPECT_EQ(server_.Call("other_admin", "GET", "/api/v1/organization").Json().at("name"), "Org B");
}

TEST_F(SettingsApiTest, UnknownZoneAndFormatAre422AndChangeNothing) {
  auto zone = server_.Call("admin", "PATCH", "/api/v1/organization", J(R"({"name":"Renamed","timezone":"Mars/Olympus"})"));
  EXPECT_EQ(zone.status, 422);
  EXPECT_EQ(zone.FieldCode(), "unknown_timezone");
  auto format = server_.Call("admin", "PATCH", "/api/v1/organization", J(R"({"date_format":"YY/MM/DD"})"));
  EXPECT_EQ(format.status, 422);
  EXPECT_EQ(format.FieldCode(), "invalid_date_format");
  EXPECT_EQ(server_.Call("admin", "GET", "/api/v1/organization").Json().at("name"), "Org A");
}

TEST_F(SettingsApiTest, CredentialSettings) {
  auto read = server_.Call("alice", "GET", "/api/v1/settings/credentials");
  ASSERT_EQ(read.status, 200);
  EXPECT_EQ(read.Json(), boost::json::parse(R"({"media_required":false,"approvals_required":false,"expiring_soon_days":30})"));
  EXPECT_EQ(server_.Call("alice", "PATCH", "/api/v1/settings/credentials", J(R"({"media_required":true})")).status, 403);
  auto changed = server_.Call("manager", "PATCH", "/api/v1/settings/credentials",
                              J(R"({"approvals_required":true,"expiring_soon_days":60})"));
  ASSERT_EQ(changed.status, 200);
  EXPECT_EQ(changed.Json().at("approvals_required"), true);
  EXPECT_EQ(changed.Json().at("expiring_soon_days"), 60);
  EXPECT_EQ(changed.Json().at("media_required"), false);

  auto negative = server_.Call("manager", "PATCH", "/api/v1/settings/credentials", J(R"({"expiring_soon_days":-1})"));
  EXPECT_EQ(negative.status, 422);
  EXPECT_EQ(negative.FieldCode(), "out_of_range");
  auto huge = server_.Call("manager", "PATCH", "/api/v1/settings/credentials", J(R"({"expiring_soon_days":99999999999999})"));
  EXPECT_EQ(huge.status, 422);
  auto wrong = server_.Call("manager", "PATCH", "/api/v1/settings/credentials", J(R"({"media_required":"yes"})"));
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(wrong.FieldCode(), "wrong_type");
  auto fraction = server_.Call("manager", "PATCH", "/api/v1/settings/credentials", J(R"({"expiring_soon_days":7.5})"));
  EXPECT_EQ(fraction.status, 400);
  EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/settings/credentials").Json().at("expiring_soon_days"), 60);
  // Org B is untouched.
  EXPECT_EQ(server_.Call("other_admin", "GET", "/api/v1/settings/credentials").Json().at("expiring_soon_days"), 30);
}

TEST_F(SettingsApiTest, CredentialTypesLifecycle) {
  auto created = server_.Call("manager", "POST", "/api/v1/credential-types",
                              J(R"({"name":"Forklift licence","description":"LF class","reminder_days":[60,14]})"));
  ASSERT_EQ(created.status, 201) << created.body;
  auto type = created.Json().as_object();
  std::string id(type.at("id").as_string());
  EXPECT_EQ(type.at("expires"), true);
  EXPECT_EQ(type.at("credential_count"), 0);
  EXPECT_EQ(type.at("reminder_days"), boost::json::parse("[60,14]"));

  auto taken = server_.Call("manager", "POST", "/api/v1/credential-types", J(R"({"name":"FORKLIFT LICENCE"})"));
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(taken.Code(), "name_taken");

  ASSERT_EQ(server_.Call("manager", "POST", "/api/v1/credential-types", J(R"({"name":"apron","expires":false})")).status, 201);
  auto list = server_.Call("alice", "GET", "/api/v1/credential-types").Json().at("items").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].at("name"), "apron");  // sorted by name, case-insensitively
  EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/credential-types?q=FORK").Json().at("items").as_array().size(), 1u);

  auto patched = server_.Call("manager", "PATCH", "/api/v1/credential-types/" + id,
                              J(R"j({"name":"Forklift (LF)","reminder_days":null})j"));
  ASSERT_EQ(patched.status, 200);
  EXPECT_TRUE(patched.Json().at("reminder_days").is_null());
  EXPECT_EQ(patched.Json().at("description"), "LF class");

  EXPECT_EQ(server_.Call("alice", "DELETE", "/api/v1/credential-types/" + id).status, 403);
  EXPECT_EQ(server_.Call("other_admin", "DELETE", "/api/v1/credential-types/" + id).status, 404);
  EXPECT_EQ(server_.Call("other_admin", "GET", "/api/v1/credential-types/" + id).status, 404);
  EXPECT_EQ(server_.Call("manager", "DELETE", "/api/v1/credential-types/" + id).status, 204);
  EXPECT_EQ(server_.Call("manager", "GET", "/api/v1/credential-types/" + id).status, 404);
}

TEST_F(SettingsApiTest, CredentialTypesPageByName) {
  for (const char* name : {"delta", "alpha", "charlie", "bravo", "echo"}) {
    ASSERT_EQ(server_.Call("manager", "POST", "/api/v1/credential-types", std::string(R"({"name":")") + name + "\"}").status, 201);
  }
  std::vector<std::string> names;
  std::string target = "/api/v1/credential-types?limit=2";
  for (int page = 0; page < 5; ++page) {
    auto json = server_.Call("alice", "GET", target).Json();
    for (const auto& t : json.at("items").as_array()) names.emplace_back(t.at("name").as_string());
    if (json.at("next_cursor").is_null()) break;
    target = "/api/v1/credential-types?limit=2&cursor=" + std::string(json.at("next_cursor").as_string());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"alpha", "bravo", "charlie", "delta", "echo"}));
  EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/credential-types?cursor=nope").Code(), "invalid_cursor");
  EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/credential-types?limit=0").Code(), "invalid_limit");
}

TEST_F(SettingsApiTest, ChangesThatChangeNothingWriteNothing) {
  auto before = server_.Call("admin", "GET", "/api/v1/organization").Json();
  server_.clock().Advance(std::chrono::minutes(1));
  auto same = server_.Call("admin", "PATCH", "/api/v1/organization", J(R"({"name":"Org A"})"));
  ASSERT_EQ(same.status, 200);
  EXPECT_EQ(same.Json().at("updated_at"), before.at("updated_at"));
  auto same_settings = server_.Call("admin", "PATCH", "/api/v1/settings/credentials", J(R"({"expiring_soon_days":30})"));
  EXPECT_EQ(same_settings.status, 200);
  auto uow = server_.store().Begin(false);
  ASSERT_TRUE(uow);
  auto rows = (*uow)->ListActivity(server_.org_a(), ActivityFilter{.action = "organization.updated"});
  ASSERT_TRUE(rows);
  EXPECT_TRUE(rows->empty());
  auto settings_rows = (*uow)->ListActivity(server_.org_a(), ActivityFilter{.action = "settings.updated"});
  EXPECT_TRUE(settings_rows->empty());
}

TEST_F(SettingsApiTest, CredentialTypeValidation) {
  struct Case {
    const char* body;
    int status;
    const char* code;
  } cases[] = {
      {R"({"description":"no name"})", 422, "required"},
      {R"({"name":""})", 422, "required"},
      {R"({"name":"x","reminder_days":[]})", 422, "required"},
      {R"({"name":"x","reminder_days":[0]})", 422, "out_of_range"},
      {R"({"name":"x","reminder_days":[-5]})", 422, "out_of_range"},
      {R"({"name":"x","reminder_days":[100000000000]})", 422, "out_of_range"},
      {R"({"name":"x","reminder_days":[7,7]})", 422, "duplicate"},
      {R"({"name":"x","reminder_days":[1,2,3,4,5,6,7,8,9,10,11]})", 422, "too_many"},
      {R"({"name":"x","reminder_days":["7"]})", 400, "wrong_type"},
      {R"({"name":"x","expires":"no"})", 400, "wrong_type"},
      {R"({"name":"x","colour":"red"})", 400, "unknown_field"},
  };
  for (const Case& c : cases) {
    auto res = server_.Call("manager", "POST", "/api/v1/credential-types", c.body);
    EXPECT_EQ(res.status, c.status) << c.body << " → " << res.body;
    EXPECT_EQ(res.FieldCode(), c.code) << c.body;
  }
  auto long_name = server_.Call("manager", "POST", "/api/v1/credential-types",
                                R"({"name":")" + std::string(101, 'n') + "\"}");
  EXPECT_EQ(long_name.FieldCode(), "too_long");
  // 100 characters of multi-byte text are fine: lengths count characters, not bytes.
  std::string hundred;
  for (int i = 0; i < 100; ++i) hundred += "é";
  EXPECT_EQ(server_.Call("manager", "POST", "/api/v1/credential-types", R"({"name":")" + hundred + "\"}").status, 201);
  EXPECT_EQ(server_.Call("manager", "GET", "/api/v1/credential-types").Json().at("items").as_array().size(), 1u);
}

}  // namespace
}  // namespace bf::testing
