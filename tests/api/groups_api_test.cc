// Groups, requirements, exemptions and compliance over real sockets (spec/REQUIREMENTS.md).
// The clock stands at 2026-11-29T08:00Z; the organisation's zone is UTC.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "support/test_server.h"

namespace bf::testing {
namespace {

class GroupsApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    licence_ = MakeType("Driver's licence");
    first_aid_ = MakeType("First aid");
    cpr_ = MakeType("CPR");
  }

  std::string MakeType(const std::string& name) {
    auto res =
        server_.Call("manager", "POST", "/api/v1/credential-types", R"({"name":")" + name + "\"}");
    EXPECT_EQ(res.status, 201) << res.body;
    return std::string(res.Json().at("id").as_string());
  }

  std::string MakeGroup(const std::string& name) {
    auto res = server_.Call("manager", "POST", "/api/v1/groups", R"({"name":")" + name + "\"}");
    EXPECT_EQ(res.status, 201) << res.body;
    return std::string(res.Json().at("id").as_string());
  }

  void AddMembers(const std::string& group, const std::vector<std::string>& who,
                  const std::string& since = "") {
    std::string ids;
    for (const auto& w : who) ids += (ids.empty() ? "\"" : ",\"") + Id(w) + "\"";
    std::string body = R"({"user_ids":[)" + ids + "]" +
                       (since.empty() ? "" : R"(,"since":")" + since + "\"") + "}";
    auto res = server_.Call("manager", "POST", "/api/v1/groups/" + group + "/members", body);
    ASSERT_EQ(res.status, 200) << res.body;
  }

  std::string MakeRequirement(const std::string& group, const std::string& fields) {
    auto res = server_.Call("manager", "POST", "/api/v1/groups/" + group + "/requirements",
                            "{" + fields + "}");
    EXPECT_EQ(res.status, 201) << res.body;
    return std::string(res.Json().at("id").as_string());
  }

  std::string Credential(const std::string& who, const std::string& type,
                         const std::string& expiry) {
    std::string body = R"({"type_id":")" + type + R"(","issue_date":"2024-01-01")" +
                       (expiry.empty() ? std::string() : R"(,"expiry_date":")" + expiry + "\"") +
                       "}";
    auto res = server_.Call(who, "POST", "/api/v1/credentials", body);
    EXPECT_EQ(res.status, 201) << res.body;
    return std::string(res.Json().at("id").as_string());
  }

  const std::string& Id(const std::string& who) { return server_.person(who).user.id; }

  std::string Types(const std::vector<std::string>& ids) {
    std::string out = R"("credential_type_ids":[)";
    for (size_t i = 0; i < ids.size(); ++i) out += (i ? ",\"" : "\"") + ids[i] + "\"";
    return out + "]";
  }

  TestServer server_;
  std::string licence_, first_aid_, cpr_;
};

TEST_F(GroupsApiTest, GroupLifecycleWithCountsPagingAndActivity) {
  std::string pier = MakeGroup("Pier 4");
  MakeGroup("Electricians");
  MakeGroup("Crew B");
  auto taken = server_.Call("manager", "POST", "/api/v1/groups", J(R"({"name":"PIER 4"})"));
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(taken.Code(), "name_taken");

  auto page1 = server_.Call("admin", "GET", "/api/v1/groups?limit=2");
  ASSERT_EQ(page1.status, 200) << page1.body;
  ASSERT_EQ(page1.Json().at("items").as_array().size(), 2u);
  EXPECT_EQ(page1.Json().at("items").at(0).at("name"), "Crew B");
  std::string cursor(page1.Json().at("next_cursor").as_string());
  auto page2 = server_.Call("admin", "GET", "/api/v1/groups?limit=2&cursor=" + cursor);
  ASSERT_EQ(page2.Json().at("items").as_array().size(), 1u);
  EXPECT_EQ(page2.Json().at("items").at(0).at("name"), "Pier 4");
  EXPECT_TRUE(page2.Json().at("next_cursor").is_null());
  EXPECT_EQ(
      server_.Call("admin", "GET", "/api/v1/groups?q=ELEC").Json().at("items").as_array().size(),
      1u);

  AddMembers(pier, {"alice", "bob"});
  MakeRequirement(pier, Types({licence_}));
  auto got = server_.Call("manager", "GET", "/api/v1/groups/" + pier);
  EXPECT_EQ(got.Json().at("member_count"), 2);
  EXPECT_EQ(got.Json().at("requirement_count"), 1);

  auto renamed = server_.Call("manager", "PATCH", "/api/v1/groups/" + pier,
                              J(R"({"name":"Pier Four","description":"South"})"));
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.Json().at("name"), "Pier Four");
  auto activity = server_.Call("admin", "GET", "/api/v1/activity?action=group.updated").Json();
  ASSERT_EQ(activity.at("items").as_array().size(), 1u);
  auto changes = activity.at("items").at(0).at("changes");
  EXPECT_EQ(changes.at(0).at("old"), "Pier 4");
  EXPECT_EQ(changes.at(0).at("new"), "Pier Four");

  ASSERT_EQ(server_.Call("manager", "DELETE", "/api/v1/groups/" + pier).status, 204);
  EXPECT_EQ(server_.Call("manager", "GET", "/api/v1/groups/" + pier).status, 404);
  EXPECT_EQ(server_.Call("admin", "GET", "/api/v1/activity?action=group.deleted")
                .Json()
                .at("items")
                .as_array()
                .size(),
            1u);
  // Activity of the members is kept.
  EXPECT_EQ(server_.Call("admin", "GET", "/api/v1/activity?action=group.member_added")
                .Json()
                .at("items")
                .as_array()
                .size(),
            2u);
}

TEST_F(GroupsApiTest, MembersKeepTheirFirstDateAndUnknownUsersChangeNothing) {
  std::string g = MakeGroup("Crew");
  AddMembers(g, {"alice"}, "2026-11-01");
  AddMembers(g, {"alice", "bob"});
  auto members = server_.Call("manager", "GET", "/api/v1/groups/" + g + "/members").Json();
  ASSERT_EQ(members.at("items").as_array().size(), 2u);
  EXPECT_EQ(members.at("items").at(0).at("user").at("name").as_string(),
            server_.person("alice").user.name);
  EXPECT_EQ(members.at("items").at(0).at("since"), "2026-11-01");
  EXPECT_EQ(members.at("items").at(1).at("since"), "2026-11-29");

  auto unknown = server_.Call(
      "manager", "POST", "/api/v1/groups/" + g + "/members",
      R"({"user_ids":[")" + Id("admin") + R"(","00000000-0000-4000-8000-000000000000"]})");
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(unknown.FieldCode(), "unknown_user");
  auto other_org = server_.Call("manager", "POST", "/api/v1/groups/" + g + "/members",
                                R"({"user_ids":[")" + Id("other_admin") + R"("]})");
  EXPECT_EQ(other_org.status, 422);
  EXPECT_EQ(other_org.FieldCode(), "unknown_user");
  auto empty =
      server_.Call("manager", "POST", "/api/v1/groups/" + g + "/members", J(R"({"user_ids":[]})"));
  EXPECT_EQ(empty.status, 422);
  EXPECT_EQ(empty.FieldCode(), "required");
  auto bad_date = server_.Call("manager", "POST", "/api/v1/groups/" + g + "/members",
                               R"({"user_ids":[")" + Id("admin") + R"("],"since":"2026-02-30"})");
  EXPECT_EQ(bad_date.status, 422);
  EXPECT_EQ(bad_date.FieldCode(), "invalid_date");
  EXPECT_EQ(server_.Call("manager", "GET", "/api/v1/groups/" + g).Json().at("member_count"), 2);

  ASSERT_EQ(
      server_.Call("manager", "DELETE", "/api/v1/groups/" + g + "/members/" + Id("bob")).status,
      204);
  EXPECT_EQ(
      server_.Call("manager", "DELETE", "/api/v1/groups/" + g + "/members/" + Id("bob")).status,
      404);
  EXPECT_EQ(server_.Call("admin", "GET", "/api/v1/activity?action=group.member_removed")
                .Json()
                .at("items")
                .as_array()
                .size(),
            1u);
}

TEST_F(GroupsApiTest, RequirementBadInputIs422NamingTheFieldAndChangesNothing) {
  std::string g = MakeGroup("Crew");
  std::string other_type;
  {
    auto res =
        server_.Call("other_admin", "POST", "/api/v1/credential-types", J(R"({"name":"Theirs"})"));
    other_type = std::string(res.Json().at("id").as_string());
  }
  std::vector<std::string> eleven;
  for (int i = 0; i < 11; ++i) eleven.push_back(MakeType("T" + std::to_string(i)));
  struct Case {
    std::string body, field, code;
  } cases[] = {
      {Types({}), "credential_type_ids", "required"},
      {Types(eleven), "credential_type_ids", "too_many"},
      {Types({"00000000-0000-4000-8000-000000000000"}), "credential_type_ids", "unknown_type"},
      {Types({other_type}), "credential_type_ids", "unknown_type"},
      {Types({"not-an-id"}), "credential_type_ids", "unknown_type"},
      {Types({licence_, cpr_, licence_}), "credential_type_ids", "duplicate_type"},
      {Types({licence_}) + R"(,"min_days_remaining":-1)", "min_days_remaining", "out_of_range"},
      {Types({licence_}) + R"(,"min_days_remaining":3651)", "min_days_remaining", "out_of_range"},
      {Types({licence_}) + R"(,"grace_days":99999999999)", "grace_days", "out_of_range"},
      {Types({licence_}) + R"(,"grace_days":-5)", "grace_days", "out_of_range"},
      {Types({licence_}) + R"(,"enforcement":"maybe")", "enforcement", "invalid_enforcement"},
      {R"("min_days_remaining":3)", "credential_type_ids", "required"},
  };
  for (const Case& c : cases) {
    auto res = server_.Call("manager", "POST", "/api/v1/groups/" + g + "/requirements",
                            "{" + c.body + "}");
    EXPECT_EQ(res.status, 422) << c.body << " " << res.body;
    ASSERT_FALSE(res.Json().at("errors").as_array().empty()) << c.body;
    EXPECT_EQ(res.Json().at("errors").at(0).at("field").as_string(), c.field) << c.body;
    EXPECT_EQ(res.FieldCode(), c.code) << c.body;
  }
  EXPECT_EQ(server_.Call("manager", "GET", "/api/v1/groups/" + g).Json().at("requirement_count"),
            0);

  std::string r = MakeRequirement(
      g, Types({first_aid_, cpr_}) + R"(,"min_days_remaining":30,"enforcement":"warn")");
  auto patched = server_.Call("manager", "PATCH", "/api/v1/requirements/" + r,
                              "{" + Types({first_aid_, first_aid_}) + "}");
  EXPECT_EQ(patched.status, 422);
  EXPECT_EQ(patched.FieldCode(), "duplicate_type");
  auto ok =
      server_.Call("manager", "PATCH", "/api/v1/requirements/" + r, J(R"({"grace_days":14})"));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.Json().at("grace_days"), 14);
  EXPECT_EQ(ok.Json().at("min_days_remaining"), 30);
  EXPECT_EQ(ok.Json().at("enforcement"), "warn");
  EXPECT_EQ(ok.Json().at("credential_types").at(1).at("name"), "CPR");
  auto updated = server_.Call("admin", "GET", "/api/v1/activity?action=requirement.updated").Json();
  ASSERT_EQ(updated.at("items").as_array().size(), 1u);
  EXPECT_EQ(updated.at("items").at(0).at("changes").at(0).at("field"), "grace_days");
  EXPECT_EQ(updated.at("items").at(0).at("changes").at(0).at("old"), "0");
  EXPECT_EQ(updated.at("items").at(0).at("changes").at(0).at("new"), "14");

  // A named type cannot be deleted.
  auto in_use = server_.Call("manager", "DELETE", "/api/v1/credential-types/" + cpr_);
  EXPECT_EQ(in_use.status, 409);
  EXPECT_EQ(in_use.Code(), "type_in_use");
  ASSERT_EQ(server_.Call("manager", "DELETE", "/api/v1/requirements/" + r).status, 204);
  EXPECT_EQ(server_.Call("manager", "DELETE", "/api/v1/credential-types/" + cpr_).status, 204);
}

TEST_F(GroupsApiTest, PermissionsAndOtherOrganisations) {
  std::string g = MakeGroup("Crew");
  AddMembers(g, {"alice"});
  std::string r = MakeRequirement(g, Types({licence_}));
  const std::string member_body = R"({"user_ids":[")" + Id("bob") + R"("]})";
  const std::string ex_body = R"({"user_id":")" + Id("alice") + R"(","reason":"On leave"})";
  struct Case {
    std::string who, method, target, body;
    int status;
  } cases[] = {
      {"alice", "GET", "/api/v1/groups", "", 403},
      {"alice", "POST", "/api/v1/groups", R"({"name":"Mine"})", 403},
      {"alice", "GET", "/api/v1/groups/" + g, "", 403},
      {"alice", "GET", "/api/v1/groups/" + g + "/members", "", 403},
      {"alice", "POST", "/api/v1/groups/" + g + "/members", member_body, 403},
      {"alice", "GET", "/api/v1/groups/" + g + "/requirements", "", 403},
      {"alice", "GET", "/api/v1/groups/" + g + "/compliance", "", 403},
      {"alice", "GET", "/api/v1/groups/" + g + "/compliance.csv", "", 403},
      {"alice", "GET", "/api/v1/compliance/summary", "", 403},
      {"alice", "POST", "/api/v1/compliance/check",
       R"({"group_id":")" + g + R"(","user_id":")" + Id("alice") + "\"}", 403},
      {"alice", "GET", "/api/v1/users/" + Id("bob") + "/compliance", "", 403},
      {"alice", "GET", "/api/v1/users/" + Id("alice") + "/compliance", "", 200},
      {"alice", "GET", "/api/v1/me/compliance", "", 200},
      {"alice", "POST", "/api/v1/requirements/" + r + "/exemptions", ex_body, 403},
      {"other_admin", "GET", "/api/v1/groups/" + g, "", 404},
      {"other_admin", "PATCH", "/api/v1/groups/" + g, R"({"name":"x"})", 404},
      {"other_admin", "DELETE", "/api/v1/groups/" + g, "", 404},
      {"other_admin", "GET", "/api/v1/groups/" + g + "/members", "", 404},
      {"other_admin", "POST", "/api/v1/groups/" + g + "/members",
       R"({"user_ids":[")" + Id("other_admin") + R"("]})", 404},
      {"other_admin", "DELETE", "/api/v1/groups/" + g + "/members/" + Id("alice"), "", 404},
      {"other_admin", "GET", "/api/v1/groups/" + g + "/requirements", "", 404},
      {"other_admin", "PATCH", "/api/v1/requirements/" + r, R"({"grace_days":1})", 404},
      {"other_admin", "DELETE", "/api/v1/requirements/" + r, "", 404},
      {"other_admin", "GET", "/api/v1/requirements/" + r + "/exemptions", "", 404},
      {"other_admin", "POST", "/api/v1/requirements/" + r + "/exemptions", ex_body, 404},
      {"other_admin", "GET", "/api/v1/groups/" + g + "/compliance", "", 404},
      {"other_admin", "GET", "/api/v1/groups/" + g + "/compliance.csv", "", 404},
      {"other_admin", "GET", "/api/v1/users/" + Id("alice") + "/compliance", "", 404},
      {"other_admin", "POST", "/api/v1/compliance/check",
       R"({"group_id":")" + g + R"(","user_id":")" + Id("alice") + "\"}", 404},
      {"manager", "GET", "/api/v1/groups/not-an-id", "", 404},
      {"manager", "GET", "/api/v1/groups/" + g + "/compliance?decision=maybe", "", 400},
  };
  for (const Case& c : cases) {
    auto res = server_.Call(c.who, c.method, c.target, c.body);
    EXPECT_EQ(res.status, c.status)
        << c.who << " " << c.method << " " << c.target << " " << res.body;
  }
  // Nothing changed.
  auto group = server_.Call("manager", "GET", "/api/v1/groups/" + g).Json();
  EXPECT_EQ(group.at("name"), "Crew");
  EXPECT_EQ(group.at("member_count"), 1);
  EXPECT_EQ(group.at("requirement_count"), 1);
}

TEST_F(GroupsApiTest, ExemptionsNeverForOneselfOnlyForMembersNotInThePast) {
  std::string g = MakeGroup("Crew");
  AddMembers(g, {"alice", "manager"});
  std::string r = MakeRequirement(g, Types({licence_}));
  auto self = server_.Call("manager", "POST", "/api/v1/requirements/" + r + "/exemptions",
                           R"({"user_id":")" + Id("manager") + R"(","reason":"Trust me"})");
  EXPECT_EQ(self.status, 403);
  EXPECT_EQ(self.Code(), "own_exemption");
  auto stranger = server_.Call("manager", "POST", "/api/v1/requirements/" + r + "/exemptions",
                               R"({"user_id":")" + Id("bob") + R"(","reason":"Visitor"})");
  EXPECT_EQ(stranger.status, 422);
  EXPECT_EQ(stranger.FieldCode(), "not_a_member");
  auto past = server_.Call(
      "manager", "POST", "/api/v1/requirements/" + r + "/exemptions",
      R"({"user_id":")" + Id("alice") + R"(","reason":"Leave","expires_on":"2026-11-28"})");
  EXPECT_EQ(past.status, 422);
  EXPECT_EQ(past.FieldCode(), "in_past");
  auto no_reason = server_.Call("manager", "POST", "/api/v1/requirements/" + r + "/exemptions",
                                R"({"user_id":")" + Id("alice") + R"(","reason":"  "})");
  EXPECT_EQ(no_reason.status, 422);
  EXPECT_EQ(no_reason.FieldCode(), "required");
  EXPECT_EQ(server_.Call("manager", "GET", "/api/v1/requirements/" + r + "/exemptions")
                .Json()
                .at("items")
                .as_array()
                .size(),
            0u);

  auto deny = server_.Call("manager", "GET", "/api/v1/users/" + Id("alice") + "/compliance").Json();
  EXPECT_EQ(deny.at("decision"), "deny");
  auto granted = server_.Call("manager", "POST", "/api/v1/requirements/" + r + "/exemptions",
                              R"({"user_id":")" + Id("alice") +
                                  R"(","reason":"Licence in the post","expires_on":"2026-11-29"})");
  ASSERT_EQ(granted.status, 201) << granted.body;
  EXPECT_EQ(granted.Json().at("granted_by").at("id").as_string(), Id("manager"));
  auto exempt = server_.Call("alice", "GET", "/api/v1/me/compliance").Json();
  EXPECT_EQ(exempt.at("decision"), "allow");
  auto item = exempt.at("groups").at(0).at("requirements").at(0);
  EXPECT_EQ(item.at("status"), "exempt");
  EXPECT_EQ(item.at("reason"), "missing");
  EXPECT_EQ(item.at("exemption").at("reason"), "Licence in the post");
  // The last exempt day is inclusive; the next day it is over.
  server_.clock().Advance(std::chrono::hours(24));
  EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/me/compliance").Json().at("decision"), "deny");

  std::string id(granted.Json().at("id").as_string());
  ASSERT_EQ(server_.Call("manager", "DELETE", "/api/v1/exemptions/" + id).status, 204);
  EXPECT_EQ(server_.Call("manager", "DELETE", "/api/v1/exemptions/" + id).status, 404);
  auto revoked = server_.Call("admin", "GET", "/api/v1/activity?action=exemption.revoked").Json();
  ASSERT_EQ(revoked.at("items").as_array().size(), 1u);
  EXPECT_EQ(revoked.at("items").at(0).at("subject_user").at("id").as_string(), Id("alice"));
}

TEST_F(GroupsApiTest, MatrixCsvCheckAndSummaryAgree) {
  std::string g = MakeGroup("Pier 4");
  AddMembers(g, {"alice", "bob", "admin"});
  std::string r1 = MakeRequirement(g, Types({first_aid_, cpr_}));
  std::string r2 = MakeRequirement(g, Types({licence_}) + R"(,"enforcement":"warn")");
  Credential("alice", cpr_, "2028-01-01");
  Credential("alice", licence_, "2028-01-01");
  Credential("bob", first_aid_, "2026-12-10");  // expiring within 30 days
  // admin: nothing: deny

  auto matrix = server_.Call("manager", "GET", "/api/v1/groups/" + g + "/compliance");
  ASSERT_EQ(matrix.status, 200) << matrix.body;
  auto m = matrix.Json();
  EXPECT_EQ(m.at("counts"), boost::json::parse(R"({"allow":1,"warn":1,"deny":1})"));
  ASSERT_EQ(m.at("requirements").as_array().size(), 2u);
  EXPECT_EQ(m.at("requirements").at(0).at("id").as_string(), r1);

  auto denied =
      server_.Call("manager", "GET", "/api/v1/groups/" + g + "/compliance?decision=deny").Json();
  ASSERT_EQ(denied.at("items").as_array().size(), 1u);
  EXPECT_EQ(denied.at("items").at(0).at("user").at("id").as_string(), Id("admin"));
  EXPECT_EQ(denied.at("counts").at("allow"), 1);

  auto first = server_.Call("manager", "GET", "/api/v1/groups/" + g + "/compliance?limit=2").Json();
  ASSERT_EQ(first.at("items").as_array().size(), 2u);
  auto rest = server_
                  .Call("manager", "GET",
                        "/api/v1/groups/" + g + "/compliance?limit=2&cursor=" +
                            std::string(first.at("next_cursor").as_string()))
                  .Json();
  ASSERT_EQ(rest.at("items").as_array().size(), 1u);
  EXPECT_TRUE(rest.at("next_cursor").is_null());

  auto csv = server_.Call("manager", "GET", "/api/v1/groups/" + g + "/compliance.csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("email,name,decision,First aid or CPR,Driver's licence\r\n"),
            std::string::npos)
      << csv.body;
  EXPECT_NE(csv.body.find(",deny,unmet:missing,unmet:missing\r\n"), std::string::npos) << csv.body;

  auto check = server_.Call(
      "manager", "POST", "/api/v1/compliance/check",
      R"({"group_id":")" + g + R"(","email":")" + server_.person("bob").user.email + "\"}");
  ASSERT_EQ(check.status, 200) << check.body;
  EXPECT_EQ(check.Json().at("decision"), "warn");
  // Both warn: in the group's order.
  ASSERT_EQ(check.Json().at("reasons").as_array().size(), 2u);
  EXPECT_EQ(check.Json().at("reasons").at(0).at("requirement_id").as_string(), r1);
  EXPECT_EQ(check.Json().at("reasons").at(0).at("status"), "expiring");
  EXPECT_EQ(check.Json().at("reasons").at(1).at("requirement_id").as_string(), r2);
  auto checked = server_.Call("admin", "GET", "/api/v1/activity?action=compliance.checked").Json();
  ASSERT_EQ(checked.at("items").as_array().size(), 1u);
  EXPECT_EQ(checked.at("items").at(0).at("changes").at(1).at("new"), "warn");

  auto unknown = server_.Call("manager", "POST", "/api/v1/compliance/check",
                              R"({"group_id":")" + g + R"(","email":"nobody@example.com"})");
  EXPECT_EQ(unknown.status, 404);
  auto neither =
      server_.Call("manager", "POST", "/api/v1/compliance/check", R"({"group_id":")" + g + "\"}");
  EXPECT_EQ(neither.status, 422);
  EXPECT_EQ(neither.FieldCode(), "required");

  auto summary = server_.Call("manager", "GET", "/api/v1/compliance/summary").Json();
  ASSERT_EQ(summary.at("items").as_array().size(), 1u);
  EXPECT_EQ(summary.at("items").at(0).at("members"), 3);
  EXPECT_EQ(summary.at("items").at(0).at("deny"), 1);
}

TEST_F(GroupsApiTest, CsvIsFormulaSafe) {
  std::string g = MakeGroup("Crew");
  auto evil = server_.Call("manager", "POST", "/api/v1/credential-types",
                           J(R"x({"name":"=HYPERLINK(1)"})x"));
  ASSERT_EQ(evil.status, 201) << evil.body;
  MakeRequirement(g, Types({std::string(evil.Json().at("id").as_string())}));
  server_.AddPerson("eve", "eve@example.com", "@SUM(1+1)", "standard");
  AddMembers(g, {"eve"});
  auto csv = server_.Call("manager", "GET", "/api/v1/groups/" + g + "/compliance.csv").body;
  EXPECT_NE(csv.find("'=HYPERLINK(1)"), std::string::npos) << csv;
  EXPECT_NE(csv.find("'@SUM(1+1)"), std::string::npos) << csv;
}

TEST_F(GroupsApiTest, JoiningSendsOneNoticeUntilTheTypesChange) {
  std::string g = MakeGroup("Crew");
  std::string r = MakeRequirement(g, Types({licence_}));
  auto notices = [&] {
    auto all =
        server_.Call("alice", "GET", "/api/v1/me/notifications").Json().at("items").as_array();
    int n = 0;
    for (const auto& item : all) n += item.at("kind") == "requirement";
    return n;
  };
  AddMembers(g, {"alice"});
  EXPECT_EQ(notices(), 1);
  ASSERT_EQ(
      server_.Call("manager", "DELETE", "/api/v1/groups/" + g + "/members/" + Id("alice")).status,
      204);
  AddMembers(g, {"alice"});
  EXPECT_EQ(notices(), 1);  // once per user and requirement
  MakeRequirement(g, Types({first_aid_}));
  EXPECT_EQ(notices(), 2);  // a requirement added
  ASSERT_EQ(server_.Call("manager", "PATCH", "/api/v1/requirements/" + r, J(R"({"grace_days":3})"))
                .status,
            200);
  EXPECT_EQ(notices(), 2);
  ASSERT_EQ(server_
                .Call("manager", "PATCH", "/api/v1/requirements/" + r,
                      "{" + Types({licence_, cpr_}) + "}")
                .status,
            200);
  EXPECT_EQ(notices(), 3);  // its types changed
  // Bob holds the licence: nothing to tell him.
  Credential("bob", licence_, "2028-01-01");
  Credential("bob", first_aid_, "2028-01-01");
  AddMembers(g, {"bob"});
  auto bob = server_.Call("bob", "GET", "/api/v1/me/notifications").Json().at("items").as_array();
  EXPECT_TRUE(bob.empty());
}

// A randomised comparison: for every member, the user page, the matrix, the CSV, the gate check
// and the summary give the same decision at the same instant.
TEST_F(GroupsApiTest, EveryViewGivesTheSameDecision) {
  std::mt19937 rng(20261204);
  std::vector<std::string> types = {licence_, first_aid_, cpr_};
  std::vector<std::string> people;
  for (int i = 0; i < 8; ++i) {
    std::string key = "p" + std::to_string(i);
    server_.AddPerson(key, key + "@example.com", "Person " + std::to_string(i), "standard");
    people.push_back(key);
  }
  std::vector<std::string> groups = {MakeGroup("G1"), MakeGroup("G2")};
  for (const std::string& g : groups) {
    for (int k = 0; k < 2; ++k) {
      std::string t1 = types[rng() % 3], t2 = types[rng() % 3];
      std::vector<std::string> ids = {t1};
      if (t2 != t1) ids.push_back(t2);
      MakeRequirement(g, Types(ids) + R"(,"min_days_remaining":)" + std::to_string(rng() % 60) +
                             R"(,"grace_days":)" + std::to_string(rng() % 10) +
                             R"(,"enforcement":")" + (rng() % 3 ? "block" : "warn") + "\"");
    }
    std::vector<std::string> members;
    for (const auto& p : people) {
      if (rng() % 4) members.push_back(p);
    }
    if (!members.empty()) AddMembers(g, members, "2026-11-2" + std::to_string(rng() % 10));
  }
  const char* expiries[] = {"2026-11-28", "2026-12-05", "2027-01-10", "2028-06-01", "2030-01-01"};
  for (const auto& p : people) {
    int n = static_cast<int>(rng() % 4);
    for (int i = 0; i < n; ++i) Credential(p, types[rng() % 3], expiries[rng() % 5]);
  }
  for (const std::string& g : groups) {
    auto matrix =
        server_.Call("manager", "GET", "/api/v1/groups/" + g + "/compliance?limit=200").Json();
    auto csv = server_.Call("manager", "GET", "/api/v1/groups/" + g + "/compliance.csv").body;
    std::map<std::string, int> counts;
    for (const auto& row : matrix.at("items").as_array()) {
      std::string user(row.at("user").at("id").as_string());
      std::string email(row.at("user").at("email").as_string());
      std::string decision(row.at("decision").as_string());
      ++counts[decision];
      // The user page.
      auto page = server_.Call("manager", "GET", "/api/v1/users/" + user + "/compliance").Json();
      bool found = false;
      for (const auto& group : page.at("groups").as_array()) {
        if (group.at("group_id").as_string() == g) {
          found = true;
          EXPECT_EQ(group.at("decision").as_string(), decision) << email;
          EXPECT_EQ(group.at("requirements").as_array().size(),
                    row.at("requirements").as_array().size());
          for (size_t i = 0; i < group.at("requirements").as_array().size(); ++i) {
            EXPECT_EQ(group.at("requirements").at(i).at("status"),
                      row.at("requirements").at(i).at("status"));
            EXPECT_EQ(group.at("requirements").at(i).at("reason"),
                      row.at("requirements").at(i).at("reason"));
          }
        }
      }
      EXPECT_TRUE(found) << email;
      // The CSV.
      EXPECT_NE(csv.find(email + ",Person"), std::string::npos);
      size_t line = csv.find(email + ",");
      size_t end = csv.find("\r\n", line);
      std::string fields = csv.substr(line, end - line);
      EXPECT_NE(fields.find("," + decision), std::string::npos) << fields;
      // The gate.
      auto check = server_.Call("manager", "POST", "/api/v1/compliance/check",
                                R"({"group_id":")" + g + R"(","user_id":")" + user + "\"}");
      EXPECT_EQ(check.Json().at("decision").as_string(), decision) << email;
    }
    auto summary = server_.Call("manager", "GET", "/api/v1/compliance/summary").Json();
    for (const auto& row : summary.at("items").as_array()) {
      if (row.at("group_id").as_string() != g) continue;
      EXPECT_EQ(row.at("allow").as_int64(), counts["allow"]);
      EXPECT_EQ(row.at("warn").as_int64(), counts["warn"]);
      EXPECT_EQ(row.at("deny").as_int64(), counts["deny"]);
    }
    EXPECT_EQ(matrix.at("counts").at("deny").as_int64(), counts["deny"]);
  }
}

// The matrix pages and the summary read members' decisions from the node's cache
// (service/compliance_cache.h), kept per group under the group's compliance revision; the user
// page and the gate evaluate afresh. After every kind of change compliance reads, the cached
// views must agree with the fresh ones at once.
class CachedComplianceTest : public GroupsApiTest {
 protected:
  struct Counts {
    int64_t allow = 0, warn = 0, deny = 0;
    bool operator==(const Counts&) const = default;
  };

  // Every view of group `g` compared; the counts they agree on.
  Counts ExpectViewsAgree(const std::string& g) {
    Counts summary;
    const boost::json::value summary_json = Get("/api/v1/compliance/summary");
    for (const auto& row : summary_json.at("items").as_array()) {
      if (row.at("group_id").as_string() != g) continue;
      summary = {row.at("allow").as_int64(), row.at("warn").as_int64(), row.at("deny").as_int64()};
    }
    // The matrix one member a page, cursor to cursor: each page a cached row and fresh cells.
    std::vector<boost::json::value> rows;
    Counts matrix_counts;
    std::string cursor;
    for (int guard = 0; guard < 20; ++guard) {
      auto page = Get("/api/v1/groups/" + g + "/compliance?limit=1" +
                      (cursor.empty() ? "" : "&cursor=" + cursor));
      const auto& c = page.at("counts");
      matrix_counts = {c.at("allow").as_int64(), c.at("warn").as_int64(), c.at("deny").as_int64()};
      for (const auto& row : page.at("items").as_array()) rows.push_back(row);
      if (page.at("next_cursor").is_null()) break;
      cursor = std::string(page.at("next_cursor").as_string());
    }
    EXPECT_EQ(matrix_counts, summary);
    const std::string csv =
        server_.Call("manager", "GET", "/api/v1/groups/" + g + "/compliance.csv").body;
    Counts fresh;
    std::string previous_name;
    for (const auto& row : rows) {
      const std::string user(row.at("user").at("id").as_string());
      const std::string name(row.at("user").at("name").as_string());
      const std::string email(row.at("user").at("email").as_string());
      const std::string decision(row.at("decision").as_string());
      EXPECT_LE(previous_name, name) << "ordered by name";
      previous_name = name;
      // The user's record as it is now: the cached row carries the current name and email.
      auto user_json = Get("/api/v1/users/" + user);
      EXPECT_EQ(user_json.at("name").as_string(), name);
      auto user_page = Get("/api/v1/users/" + user + "/compliance");
      std::string page_decision;
      for (const auto& group : user_page.at("groups").as_array()) {
        if (group.at("group_id").as_string() != g) continue;
        page_decision = std::string(group.at("decision").as_string());
        EXPECT_EQ(group.at("requirements").as_array().size(),
                  row.at("requirements").as_array().size());
        for (size_t i = 0; i < row.at("requirements").as_array().size() &&
                           i < group.at("requirements").as_array().size();
             ++i) {
          EXPECT_EQ(group.at("requirements").at(i).at("status"),
                    row.at("requirements").at(i).at("status"));
        }
      }
      EXPECT_EQ(page_decision, decision) << email;
      EXPECT_NE(csv.find(email + "," + name + "," + decision), std::string::npos) << csv;
      (decision == "allow" ? fresh.allow : decision == "warn" ? fresh.warn : fresh.deny) += 1;
    }
    EXPECT_EQ(fresh, summary);
    return summary;
  }

  boost::json::value Get(const std::string& path) {
    auto res = server_.Call("manager", "GET", path);
    EXPECT_EQ(res.status, 200) << path << ": " << res.body;
    return res.Json();
  }
  void Send(const std::string& who, const std::string& method, const std::string& path,
            const std::string& body, int status) {
    auto res = server_.Call(who, method, path, body);
    EXPECT_EQ(res.status, status) << method << " " << path << ": " << res.body;
  }
};

TEST_F(CachedComplianceTest, CachedViewsFollowEveryChangeAtOnce) {
  std::string g = MakeGroup("Dock");
  AddMembers(g, {"alice", "bob"}, "2026-01-01");
  std::string r = MakeRequirement(g, Types({first_aid_}));
  // A second group that alice and the administrator are in, with its own requirement: each
  // group's decisions are kept under the group's own revision, so a change to alice's
  // credentials must reach both, and the second must agree at every step too.
  std::string night = MakeGroup("Night shift");
  AddMembers(night, {"alice", "admin"}, "2026-01-01");
  MakeRequirement(night, Types({first_aid_, licence_}));
  auto views = [&] {
    ExpectViewsAgree(night);
    return ExpectViewsAgree(g);
  };
  EXPECT_EQ(views(), (Counts{0, 0, 2})) << "start: nobody holds first aid";

  std::string cred = Credential("alice", first_aid_, "2028-01-01");
  EXPECT_EQ(views(), (Counts{1, 0, 1})) << "a credential";
  Send("alice", "PATCH", "/api/v1/credentials/" + cred + "/versions/1",
       R"({"expiry_date":"2026-12-10"})", 200);
  EXPECT_EQ(views(), (Counts{0, 1, 1})) << "its expiry edited";
  Send("manager", "PATCH", "/api/v1/settings/credentials", R"({"expiring_soon_days":5})", 200);
  EXPECT_EQ(views(), (Counts{1, 0, 1})) << "expiring_soon_days";
  server_.clock().Advance(std::chrono::hours(24 * 7));
  EXPECT_EQ(views(), (Counts{0, 1, 1})) << "a week later";
  Send("alice", "POST", "/api/v1/credentials/" + cred + "/archive", "", 200);
  EXPECT_EQ(views(), (Counts{0, 0, 2})) << "archived";
  Send("alice", "POST", "/api/v1/credentials/" + cred + "/restore", "", 200);
  EXPECT_EQ(views(), (Counts{0, 1, 1})) << "restored";

  auto grant = server_.Call("manager", "POST", "/api/v1/requirements/" + r + "/exemptions",
                            R"({"user_id":")" + Id("bob") + R"(","reason":"on leave"})");
  ASSERT_EQ(grant.status, 201) << grant.body;
  EXPECT_EQ(views(), (Counts{1, 1, 0})) << "bob exempt";
  Send("manager", "DELETE", "/api/v1/exemptions/" + std::string(grant.Json().at("id").as_string()),
       "", 204);
  EXPECT_EQ(views(), (Counts{0, 1, 1})) << "exemption revoked";

  Send("manager", "PATCH", "/api/v1/requirements/" + r, R"({"enforcement":"warn"})", 200);
  EXPECT_EQ(views(), (Counts{0, 2, 0})) << "warn only";
  Send("manager", "PATCH", "/api/v1/requirements/" + r,
       "{" + Types({cpr_}) + R"(,"enforcement":"block"})", 200);
  EXPECT_EQ(views(), (Counts{0, 0, 2})) << "CPR instead";
  Credential("bob", cpr_, "2030-01-01");
  EXPECT_EQ(views(), (Counts{1, 0, 1})) << "bob holds CPR";

  AddMembers(g, {"admin"});
  EXPECT_EQ(views(), (Counts{1, 0, 2})) << "a member added";
  Send("manager", "DELETE", "/api/v1/groups/" + g + "/members/" + Id("bob"), "", 204);
  EXPECT_EQ(views(), (Counts{0, 0, 2})) << "bob removed";
  Send("admin", "PATCH", "/api/v1/users/" + Id("admin"), R"({"name":"Aaron Admin"})", 200);
  views();  // the new name, in its new place
  Send("admin", "PATCH", "/api/v1/users/" + Id("alice"), R"({"status":"deactivated"})", 200);
  EXPECT_EQ(views(), (Counts{0, 0, 2})) << "alice deactivated";
  Send("manager", "DELETE", "/api/v1/requirements/" + r, "", 204);
  EXPECT_EQ(views(), (Counts{1, 0, 1})) << "no requirement; alice is deactivated";
}

}  // namespace
}  // namespace bf::testing
