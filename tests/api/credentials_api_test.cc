// Credentials over real sockets: create, versions, history, activity, approval, archive,
// restore, delete, lists, summary, bulk — and every bad input of the credentials issue.
#include <atomic>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "core/ids.h"
#include "http/codec.h"
#include "support/media_fixtures.h"
#include "support/test_server.h"

namespace bf::testing {
namespace {

template <typename T>
T Must(Result<T> r) {
  if (!r) throw std::runtime_error(r.error().message + " " + r.error().detail);
  return std::move(*r);
}

class CredentialsApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    licence_ = MakeType(R"({"name":"Driver's licence"})");
    induction_ = MakeType(R"({"name":"Site induction","expires":false})");
  }

  std::string MakeType(const std::string& body) {
    auto res = server_.Call("manager", "POST", "/api/v1/credential-types", body);
    EXPECT_EQ(res.status, 201) << res.body;
    return std::string(res.Json().at("id").as_string());
  }

  // Creates a credential as `who` and returns its id.
  std::string Create(const std::string& who, const std::string& extra = "", const std::string& expiry = "2027-06-30",
                     const std::string& type = "") {
    std::string body = R"({"type_id":")" + (type.empty() ? licence_ : type) +
                       R"(","issue_date":"2024-06-30","expiry_date":")" + expiry + "\"" + extra + "}";
    auto res = server_.Call(who, "POST", "/api/v1/credentials", body);
    EXPECT_EQ(res.status, 201) << res.body;
    return std::string(res.Json().at("id").as_string());
  }

  boost::json::value Get(const std::string& who, const std::string& id) {
    return server_.Call(who, "GET", "/api/v1/credentials/" + id).Json();
  }

  size_t Count(const std::string& query = "archived=all") {
    auto res = server_.Call("admin", "GET", "/api/v1/credentials?limit=200&" + query);
    EXPECT_EQ(res.status, 200) << res.body;
    return res.Json().at("items").as_array().size();
  }

  std::vector<std::string> Ids(const HttpResult& res) {
    std::vector<std::string> out;
    auto json = res.Json();
    for (const auto& item : json.at("items").as_array()) out.emplace_back(item.at("id").as_string());
    return out;
  }

  void EnableApprovals() {
    ASSERT_EQ(server_.Call("admin", "PATCH", "/api/v1/settings/credentials", J(R"({"approvals_required":true})")).status, 200);
  }

  const std::string& Id(const std::string& who) { return server_.person(who).user.id; }

  TestServer server_;
  std::string licence_, induction_;
};

TEST_F(CredentialsApiTest, CreateAnswersTheCredentialAsTheApiShows) {
  auto res = server_.Call("alice", "POST", "/api/v1/credentials",
                          R"({"type_id":")" + licence_ +
                              R"(","issue_date":"2025-02-01","expiry_date":"2028-02-01","credential_number":" HRW-1234 ","media_ids":[]})");
  ASSERT_EQ(res.status, 201) << res.body;
  auto c = res.Json().as_object();
  EXPECT_EQ(c.at("user").at("id"), boost::json::value(Id("alice")));
  EXPECT_EQ(c.at("user").at("name"), "Alice Standard");
  EXPECT_EQ(c.at("user").at("email"), "alice@a.example");
  EXPECT_EQ(c.at("type").at("id"), boost::json::value(licence_));
  EXPECT_EQ(c.at("type").at("name"), "Driver's licence");
  EXPECT_EQ(c.at("archived"), false);
  EXPECT_EQ(c.at("version"), 1);
  EXPECT_EQ(c.at("issue_date"), "2025-02-01");
  EXPECT_EQ(c.at("expiry_date"), "2028-02-01");
  EXPECT_EQ(c.at("credential_number"), "HRW-1234");
  EXPECT_EQ(c.at("expiry_status"), "valid");
  EXPECT_EQ(c.at("approval_status"), "not_required");
  EXPECT_TRUE(c.at("rejection_reason").is_null());
  EXPECT_EQ(c.at("media"), boost::json::array());
  EXPECT_EQ(c.at("created_at"), "2026-11-29T08:00:00.000Z");
  EXPECT_EQ(c.at("created_by").at("id"), boost::json::value(Id("alice")));
  EXPECT_EQ(c.at("updated_by").at("name"), "Alice Standard");
  EXPECT_FALSE(res.Header("etag").empty());
  // GET answers the same, with the same ETag.
  auto got = server_.Call("alice", "GET", "/api/v1/credentials/" + std::string(c.at("id").as_string()));
  EXPECT_EQ(got.Json(), res.Json());
  EXPECT_EQ(got.Header("etag"), res.Header("etag"));
  // The type counts it.
  EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/credential-types/" + licence_).Json().at("credential_count"), 1);
}

TEST_F(CredentialsApiTest, NonExpiringTypesCarryNoExpiry) {
  auto res = server_.Call("alice", "POST", "/api/v1/credentials",
                          R"({"type_id":")" + induction_ + R"(","issue_date":"2025-02-01"})");
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_TRUE(res.Json().at("expiry_date").is_null());
  EXPECT_EQ(res.Json().at("expiry_status"), "no_expiry");
}

TEST_F(CredentialsApiTest, ExpiryStatusIsComputedOnReadInTheOrganisationsZone) {
  ASSERT_EQ(server_.Call("admin", "PATCH", "/api/v1/organization", J(R"({"timezone":"Australia/Sydney"})")).status, 200);
  std::string id = Create("alice", "", "2026-12-10");
  EXPECT_EQ(Get("alice", id).at("expiry_status"), "expiring_soon");
  // 2026-12-10 ends in Sydney (UTC+11) at 2026-12-10T13:00Z.
  server_.clock().Set(*ParseTimestamp("2026-12-10T12:59:59.999Z"));
  EXPECT_EQ(Get("alice", id).at("expiry_status"), "expiring_soon");
  server_.clock().Set(*ParseTimestamp("2026-12-10T13:00:00.000Z"));
  EXPECT_EQ(Get("alice", id).at("expiry_status"), "expired");
  EXPECT_EQ(Get("alice", id).at("compliant"), false);
  // The expiring-soon window follows the setting.
  std::string later = Create("alice", "", "2027-02-01");
  EXPECT_EQ(Get("alice", later).at("expiry_status"), "valid");
  ASSERT_EQ(server_.Call("admin", "PATCH", "/api/v1/settings/credentials", J(R"({"expiring_soon_days":90})")).status, 200);
  EXPECT_EQ(Get("alice", later).at("expiry_status"), "expiring_soon");
}

TEST_F(CredentialsApiTest, BadInputAnswersTheExactErrorAndChangesNothing) {
  std::string other_org_type;
  {
    auto res = server_.Call("other_admin", "POST", "/api/v1/credential-types", J(R"({"name":"Their type"})"));
    other_org_type = std::string(res.Json().at("id").as_string());
  }
  auto body = [&](const std::string& fields) { return "{" + fields + "}"; };
  std::string t = R"("type_id":")" + licence_ + "\"";
  struct Case {
    std::string who, body;
    int status;
    std::string field, code;
  } cases[] = {
      {"alice", body(t + R"(,"issue_date":"2026-02-30","expiry_date":"2027-01-01")"), 422, "issue_date", "invalid_date"},
      {"alice", body(t + R"(,"issue_date":"2026-13-01","expiry_date":"2027-01-01")"), 422, "issue_date", "invalid_date"},
      {"alice", body(t + R"(,"issue_date":"tomorrow","expiry_date":"2027-01-01")"), 422, "issue_date", "invalid_date"},
      {"alice", body(t + R"(,"issue_date":"2026-01-01","expiry_date":"2027-02-29")"), 422, "expiry_date", "invalid_date"},
      {"alice", body(t + R"(,"expiry_date":"2027-01-01")"), 422, "issue_date", "required"},
      {"alice", body(t + R"(,"issue_date":"2026-01-01","expiry_date":"2026-01-01")"), 422, "expiry_date", "expiry_before_issue"},
      {"alice", body(t + R"(,"issue_date":"2026-01-01","expiry_date":"2025-12-31")"), 422, "expiry_date", "expiry_before_issue"},
      {"alice", body(t + R"(,"issue_date":"2026-01-01")"), 422, "expiry_date", "expiry_required"},
      {"alice", body(R"("type_id":")" + induction_ + R"(","issue_date":"2026-01-01","expiry_date":"2027-01-01")"), 422, "expiry_date", "expiry_not_allowed"},
      {"alice", body(R"("type_id":"00000000-0000-4000-8000-000000000000","issue_date":"2026-01-01","expiry_date":"2027-01-01")"), 422, "type_id", "unknown_type"},
      {"alice", body(R"("type_id":")" + other_org_type + R"(","issue_date":"2026-01-01","expiry_date":"2027-01-01")"), 422, "type_id", "unknown_type"},
      {"alice", body(R"("issue_date":"2026-01-01","expiry_date":"2027-01-01")"), 422, "type_id", "required"},
      {"admin", body(t + R"(,"user_id":"00000000-0000-4000-8000-000000000000","issue_date":"2026-01-01","expiry_date":"2027-01-01")"), 422, "user_id", "unknown_user"},
      {"admin", body(t + R"(,"user_id":")" + server_.person("other_admin").user.id + R"(","issue_date":"2026-01-01","expiry_date":"2027-01-01")"), 422, "user_id", "unknown_user"},
      {"alice", body(t + R"(,"issue_date":"2026-01-01","expiry_date":"2027-01-01","credential_number":")" + std::string(101, '9') + "\""), 422, "credential_number", "too_long"},
      {"alice", body(t + R"(,"issue_date":"2026-01-01","expiry_date":"2027-01-01","media_ids":["00000000-0000-4000-8000-000000000000"])"), 422, "media_ids", "unknown_media"},
      {"alice", body(t + R"(,"issue_date":20260101,"expiry_date":"2027-01-01")"), 400, "issue_date", "wrong_type"},
      {"alice", body(t + R"(,"issue_date":"2026-01-01","expiry_date":"2027-01-01","colour":"red")"), 400, "colour", "unknown_field"},
      {"alice", body(t + R"(,"issue_date":"2026-01-01","expiry_date":"2027-01-01","media_ids":"x")"), 400, "media_ids", "wrong_type"},
  };
  for (const Case& c : cases) {
    auto res = server_.Call(c.who, "POST", "/api/v1/credentials", c.body);
    EXPECT_EQ(res.status, c.status) << c.body << " → " << res.body;
    auto json = res.Json();
    ASSERT_TRUE(json.is_object()) << res.body;
    ASSERT_FALSE(json.at("errors").as_array().empty()) << res.body;
    EXPECT_EQ(json.at("errors").as_array()[0].at("field"), boost::json::value(c.field)) << c.body;
    EXPECT_EQ(res.FieldCode(), c.code) << c.body;
  }
  EXPECT_EQ(Count(), 0u);
  // A deactivated holder.
  ASSERT_EQ(server_.Call("admin", "PATCH", "/api/v1/users/" + Id("bob"), J(R"({"status":"deactivated"})")).status, 200);
  auto inactive = server_.Call("admin", "POST", "/api/v1/credentials",
                               body(t + R"(,"user_id":")" + Id("bob") + R"(","issue_date":"2026-01-01","expiry_date":"2027-01-01")"));
  EXPECT_EQ(inactive.status, 422);
  EXPECT_EQ(inactive.FieldCode(), "inactive_user");
  // media_required with no media.
  ASSERT_EQ(server_.Call("admin", "PATCH", "/api/v1/settings/credentials", J(R"({"media_required":true})")).status, 200);
  auto no_media = server_.Call("alice", "POST", "/api/v1/credentials", body(t + R"(,"issue_date":"2026-01-01","expiry_date":"2027-01-01")"));
  EXPECT_EQ(no_media.status, 422);
  EXPECT_EQ(no_media.FieldCode(), "media_required");
  EXPECT_EQ(Count(), 0u);
}

TEST_F(CredentialsApiTest, WhoMayDoWhat) {
  std::string alices = Create("alice");
  std::string bobs = Create("bob");
  // Holders manage their own; users.manage (manager, admin) anyone's.
  auto for_bob = R"({"user_id":")" + Id("bob") + R"(","type_id":")" + licence_ + R"(","issue_date":"2024-01-01","expiry_date":"2027-01-01"})";
  EXPECT_EQ(server_.Call("alice", "POST", "/api/v1/credentials", for_bob).status, 403);
  EXPECT_EQ(server_.Call("manager", "POST", "/api/v1/credentials", for_bob).status, 201);
  struct Case {
    std::string who, method, target;
    int status;
  } cases[] = {
      {"alice", "GET", "/api/v1/credentials/" + alices, 200},
      {"alice", "GET", "/api/v1/credentials/" + bobs, 403},
      {"alice", "GET", "/api/v1/credentials/" + bobs + "/versions", 403},
      {"alice", "GET", "/api/v1/credentials/" + bobs + "/versions/1/activity", 403},
      {"alice", "POST", "/api/v1/credentials/" + bobs + "/archive", 403},
      {"alice", "DELETE", "/api/v1/credentials/" + bobs, 403},
      {"manager", "GET", "/api/v1/credentials/" + bobs, 200},
      {"other_admin", "GET", "/api/v1/credentials/" + bobs, 404},
      {"other_admin", "GET", "/api/v1/credentials/" + bobs + "/versions", 404},
      {"other_admin", "POST", "/api/v1/credentials/" + bobs + "/archive", 404},
      {"other_admin", "DELETE", "/api/v1/credentials/" + bobs, 404},
      {"alice", "GET", "/api/v1/credentials/summary", 403},
      {"alice", "GET", "/api/v1/credentials?user_id=" + Id("bob"), 403},
      {"alice", "GET", "/api/v1/activity", 403},
  };
  for (const Case& c : cases) {
    auto res = server_.Call(c.who, c.method, c.target);
    EXPECT_EQ(res.status, c.status) << c.who << " " << c.method << " " << c.target << " → " << res.body;
  }
  // A standard user's list holds only their own.
  auto mine = server_.Call("alice", "GET", "/api/v1/credentials");
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(Ids(mine), std::vector<std::string>{alices});
  // credentials.manage alone sees everything but cannot add for others.
  auto set = server_.Call("admin", "POST", "/api/v1/permission-sets", J(R"({"name":"Auditor","permissions":["credentials.manage"]})"));
  std::string auditor_set(set.Json().at("id").as_string());
  server_.AddPerson("auditor", "auditor@a.example", "Aud Itor", "Auditor");
  EXPECT_EQ(server_.Call("auditor", "GET", "/api/v1/credentials/" + bobs).status, 200);
  EXPECT_EQ(server_.Call("auditor", "POST", "/api/v1/credentials", for_bob).status, 403);
  EXPECT_EQ(server_.Call("auditor", "POST", "/api/v1/credentials/" + bobs + "/archive").status, 403);
  EXPECT_EQ(Ids(server_.Call("auditor", "GET", "/api/v1/credentials")).size(), 3u);
  // Nothing refused changed anything.
  EXPECT_EQ(Get("admin", bobs).at("archived"), false);
}

TEST_F(CredentialsApiTest, VersionsHistoryAndTheActivityOfAVersion) {
  std::string id = Create("alice", R"(,"credential_number":"A-1")");
  auto renewed = server_.Call("alice", "POST", "/api/v1/credentials/" + id + "/versions",
                              J(R"({"issue_date":"2027-06-01","expiry_date":"2030-06-30","credential_number":"A-2"})"));
  ASSERT_EQ(renewed.status, 201) << renewed.body;
  EXPECT_EQ(renewed.Json().at("version"), 2);
  EXPECT_EQ(renewed.Json().at("expiry_date"), "2030-06-30");

  server_.clock().Advance(std::chrono::minutes(5));
  auto edited = server_.Call("manager", "PATCH", "/api/v1/credentials/" + id + "/versions/2",
                             J(R"({"expiry_date":"2030-07-31","credential_number":null})"));
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.Json().at("expiry_date"), "2030-07-31");
  EXPECT_TRUE(edited.Json().at("credential_number").is_null());
  EXPECT_EQ(edited.Json().at("updated_by").at("name"), "Max Manager");
  EXPECT_EQ(edited.Json().at("version"), 2);

  auto old = server_.Call("alice", "PATCH", "/api/v1/credentials/" + id + "/versions/1", J(R"({"credential_number":"X"})"));
  EXPECT_EQ(old.status, 409);
  EXPECT_EQ(old.Code(), "not_latest");
  EXPECT_EQ(server_.Call("alice", "PATCH", "/api/v1/credentials/" + id + "/versions/3", J(R"({"credential_number":"X"})")).status, 404);
  EXPECT_EQ(server_.Call("alice", "PATCH", "/api/v1/credentials/" + id + "/versions/two", J(R"({"credential_number":"X"})")).status, 404);
  auto bad_edit = server_.Call("alice", "PATCH", "/api/v1/credentials/" + id + "/versions/2", J(R"({"expiry_date":"2027-05-01"})"));
  EXPECT_EQ(bad_edit.status, 422);
  EXPECT_EQ(bad_edit.FieldCode(), "expiry_before_issue");

  auto history = server_.Call("alice", "GET", "/api/v1/credentials/" + id + "/versions");
  ASSERT_EQ(history.status, 200);
  auto versions = history.Json().at("items").as_array();
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].at("version"), 2);  // newest first
  EXPECT_EQ(versions[0].at("expiry_date"), "2030-07-31");
  EXPECT_EQ(versions[1].at("version"), 1);
  EXPECT_EQ(versions[1].at("credential_number"), "A-1");  // untouched by the edit of version 2
  EXPECT_EQ(versions[1].at("expiry_date"), "2027-06-30");

  auto activity = server_.Call("alice", "GET", "/api/v1/credentials/" + id + "/versions/2/activity");
  ASSERT_EQ(activity.status, 200) << activity.body;
  auto changes = activity.Json().at("items").as_array();
  // Newest first: the edit (expiry, number), then the creation of version 2.
  ASSERT_GE(changes.size(), 4u);
  EXPECT_EQ(changes[0].at("actor").at("name"), "Max Manager");
  EXPECT_EQ(changes[0].at("at"), "2026-11-29T08:05:00.000Z");
  bool saw_expiry = false, saw_number = false;
  for (const auto& c : changes) {
    if (c.at("field") == "expiry_date" && c.at("old") == "2030-06-30") {
      EXPECT_EQ(c.at("new"), "2030-07-31");
      saw_expiry = true;
    }
    if (c.at("field") == "credential_number" && c.at("old") == "A-2") {
      EXPECT_TRUE(c.at("new").is_null());
      saw_number = true;
    }
  }
  EXPECT_TRUE(saw_expiry);
  EXPECT_TRUE(saw_number);
  auto v1 = server_.Call("alice", "GET", "/api/v1/credentials/" + id + "/versions/1/activity").Json().at("items").as_array();
  for (const auto& c : v1) EXPECT_TRUE(c.at("old").is_null());  // only its creation
  EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/credentials/" + id + "/versions/9/activity").status, 404);
}

TEST_F(CredentialsApiTest, IfMatchMakesChangesConditional) {
  std::string id = Create("alice");
  auto first = server_.Call("alice", "GET", "/api/v1/credentials/" + id);
  std::string etag = first.Header("etag");
  auto ok = server_.Call("alice", "PATCH", "/api/v1/credentials/" + id + "/versions/1",
                         J(R"({"credential_number":"N-1"})"), {{"If-Match", etag}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_NE(ok.Header("etag"), etag);
  auto stale = server_.Call("alice", "PATCH", "/api/v1/credentials/" + id + "/versions/1",
                            J(R"({"credential_number":"N-2"})"), {{"If-Match", etag}});
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(stale.Code(), "precondition_failed");
  EXPECT_EQ(server_.Call("alice", "POST", "/api/v1/credentials/" + id + "/archive", "", {{"If-Match", etag}}).status, 412);
  EXPECT_EQ(Get("alice", id).at("credential_number"), "N-1");
  EXPECT_EQ(Get("alice", id).at("archived"), false);
  EXPECT_EQ(server_.Call("alice", "POST", "/api/v1/credentials/" + id + "/archive", "", {{"If-Match", ok.Header("etag")}}).status, 200);
}

TEST_F(CredentialsApiTest, ConcurrentEditsWithTheSameIfMatchExactlyOneWins) {
  std::string id = Create("alice");
  std::string etag = server_.Call("alice", "GET", "/api/v1/credentials/" + id).Header("etag");
  constexpr int kClients = 8;
  std::atomic<int> won{0}, refused{0}, other{0};
  std::vector<std::string> numbers(kClients);
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      std::string number = "CLIENT-" + std::to_string(i);
      auto res = server_.Call("alice", "PATCH", "/api/v1/credentials/" + id + "/versions/1",
                              R"({"credential_number":")" + number + "\"}", {{"If-Match", etag}});
      if (res.status == 200) {
        ++won;
        numbers[static_cast<size_t>(i)] = number;
      } else if (res.status == 412) {
        ++refused;
      } else {
        ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(refused.load(), kClients - 1);
  EXPECT_EQ(other.load(), 0);
  std::string winner;
  for (const auto& n : numbers) if (!n.empty()) winner = n;
  auto now = Get("alice", id);
  EXPECT_EQ(now.at("credential_number"), boost::json::value(winner));
  auto changes = server_.Call("alice", "GET", "/api/v1/credentials/" + id + "/versions/1/activity").Json().at("items").as_array();
  int number_changes = 0;
  for (const auto& c : changes) if (c.at("field") == "credential_number" && !c.at("old").is_null() ) ++number_changes;
  for (const auto& c : changes) if (c.at("field") == "credential_number" && c.at("old").is_null() && !c.at("new").is_null()) ++number_changes;
  EXPECT_EQ(number_changes, 1);  // one edit recorded, nothing mixed
}

TEST_F(CredentialsApiTest, ApprovalFlow) {
  EnableApprovals();
  std::string id = Create("alice");
  EXPECT_EQ(Get("alice", id).at("approval_status"), "pending");
  EXPECT_EQ(Get("alice", id).at("compliant"), false);
  EXPECT_EQ(server_.Call("alice", "POST", "/api/v1/credentials/" + id + "/approve").status, 403);
  EXPECT_EQ(server_.Call("bob", "POST", "/api/v1/credentials/" + id + "/approve").status, 403);
  EXPECT_EQ(server_.Call("other_admin", "POST", "/api/v1/credentials/" + id + "/approve").status, 404);

  auto no_reason = server_.Call("manager", "POST", "/api/v1/credentials/" + id + "/reject", J(R"({"reason":"  "})"));
  EXPECT_EQ(no_reason.status, 422);
  EXPECT_EQ(no_reason.FieldCode(), "required");
  EXPECT_EQ(server_.Call("manager", "POST", "/api/v1/credentials/" + id + "/reject", "{}").FieldCode(), "required");

  auto rejected = server_.Call("manager", "POST", "/api/v1/credentials/" + id + "/reject", J(R"({"reason":"Photo is blurry"})"));
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(rejected.Json().at("approval_status"), "rejected");
  EXPECT_EQ(rejected.Json().at("rejection_reason"), "Photo is blurry");
  // The holder is told at once.
  auto notes = server_.Call("alice", "GET", "/api/v1/me/notifications?unread=true");
  ASSERT_EQ(notes.status, 200);
  auto items = notes.Json().at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("kind"), "rejected");
  EXPECT_EQ(items[0].at("credential_id"), boost::json::value(id));
  EXPECT_NE(std::string(items[0].at("title").as_string()).find("requested for resubmission"), std::string::npos);
  EXPECT_EQ(notes.Json().at("unread_count"), 1);
  EXPECT_EQ(server_.Call("bob", "GET", "/api/v1/me/notifications").Json().at("items").as_array().size(), 0u);
  std::string note_id(items[0].at("id").as_string());
  EXPECT_EQ(server_.Call("bob", "POST", "/api/v1/me/notifications/" + note_id + "/read").status, 404);
  EXPECT_EQ(server_.Call("alice", "POST", "/api/v1/me/notifications/" + note_id + "/read").status, 204);
  EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/me/notifications?unread=true").Json().at("items").as_array().size(), 0u);

  // A decision is final.
  auto again = server_.Call("manager", "POST", "/api/v1/credentials/" + id + "/approve");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.Code(), "not_pending");
  // Resubmitting (a new version) makes it pending; then approve.
  auto resubmitted = server_.Call("alice", "POST", "/api/v1/credentials/" + id + "/versions",
                                  J(R"({"issue_date":"2026-11-01","expiry_date":"2031-11-01"})"));
  EXPECT_EQ(resubmitted.Json().at("approval_status"), "pending");
  auto approved = server_.Call("manager", "POST", "/api/v1/credentials/" + id + "/approve");
  ASSERT_EQ(approved.status, 200);
  EXPECT_EQ(approved.Json().at("approval_status"), "approved");
  EXPECT_EQ(approved.Json().at("compliant"), true);
  EXPECT_EQ(server_.Call("manager", "POST", "/api/v1/credentials/" + id + "/approve").Code(), "not_pending");
  EXPECT_EQ(server_.Call("manager", "POST", "/api/v1/credentials/" + id + "/reject", J(R"({"reason":"x"})")).status, 409);
  auto versions = server_.Call("alice", "GET", "/api/v1/credentials/" + id + "/versions").Json().at("items").as_array();
  EXPECT_EQ(versions[0].at("approved_by").at("name"), "Max Manager");
  EXPECT_EQ(versions[1].at("approval_status"), "rejected");
  // Editing an approved latest version resubmits it.
  auto edited = server_.Call("alice", "PATCH", "/api/v1/credentials/" + id + "/versions/2", J(R"({"credential_number":"NEW"})"));
  EXPECT_EQ(edited.Json().at("approval_status"), "pending");
  // Nobody approves their own.
  std::string managers_own = Create("manager");
  auto own = server_.Call("manager", "POST", "/api/v1/credentials/" + managers_own + "/approve");
  EXPECT_EQ(own.status, 403);
  EXPECT_EQ(own.Code(), "own_credential");
  EXPECT_EQ(Get("admin", managers_own).at("approval_status"), "pending");
  EXPECT_EQ(server_.Call("admin", "POST", "/api/v1/credentials/" + managers_own + "/approve").status, 200);
}

TEST_F(CredentialsApiTest, ArchiveRestoreDelete) {
  std::string id = Create("alice");
  EXPECT_EQ(server_.Call("alice", "POST", "/api/v1/credentials/" + id + "/restore").Code(), "not_archived");
  ASSERT_EQ(server_.Call("alice", "POST", "/api/v1/credentials/" + id + "/archive").status, 200);
  EXPECT_EQ(server_.Call("alice", "POST", "/api/v1/credentials/" + id + "/archive").Code(), "already_archived");
  // Archived refuses edits, versions and decisions.
  EXPECT_EQ(server_.Call("alice", "PATCH", "/api/v1/credentials/" + id + "/versions/1", J(R"({"credential_number":"X"})")).Code(), "archived");
  EXPECT_EQ(server_.Call("alice", "POST", "/api/v1/credentials/" + id + "/versions", J(R"({"issue_date":"2027-01-01","expiry_date":"2030-01-01"})")).Code(), "archived");
  EnableApprovals();
  EXPECT_EQ(server_.Call("manager", "POST", "/api/v1/credentials/" + id + "/approve").Code(), "archived");
  // Archived credentials drop out of the default list but not out of archived=true.
  EXPECT_EQ(Count("archived=false"), 0u);
  EXPECT_EQ(Count("archived=true"), 1u);
  ASSERT_EQ(server_.Call("alice", "POST", "/api/v1/credentials/" + id + "/restore").status, 200);
  EXPECT_EQ(Count("archived=false"), 1u);
  ASSERT_EQ(server_.Call("alice", "POST", "/api/v1/credentials/" + id + "/archive").status, 200);
  // The type cannot go while it is used, even by an archived credential.
  EXPECT_EQ(server_.Call("manager", "DELETE", "/api/v1/credential-types/" + licence_).Code(), "type_in_use");

  EXPECT_EQ(server_.Call("alice", "DELETE", "/api/v1/credentials/" + id).status, 204);
  EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/credentials/" + id).status, 404);
  EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/credentials/" + id + "/versions").status, 404);
  EXPECT_EQ(server_.Call("alice", "DELETE", "/api/v1/credentials/" + id).status, 404);
  // The log keeps that it was deleted: type, holder, who.
  auto log = server_.Call("manager", "GET", "/api/v1/activity?action=credential.deleted");
  ASSERT_EQ(log.status, 200);
  auto entries = log.Json().at("items").as_array();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].at("entity_id"), boost::json::value(id));
  EXPECT_EQ(entries[0].at("actor").at("id"), boost::json::value(Id("alice")));
  EXPECT_EQ(entries[0].at("subject_user").at("id"), boost::json::value(Id("alice")));
  EXPECT_EQ(entries[0].at("changes").as_array()[0].at("old"), "Driver's licence");
  EXPECT_EQ(server_.Call("manager", "DELETE", "/api/v1/credential-types/" + licence_).status, 204);
}

TEST_F(CredentialsApiTest, DeleteWorksOnAnUnarchivedCredential) {
  std::string id = Create("alice");
  ASSERT_EQ(server_.Call("alice", "POST", "/api/v1/credentials/" + id + "/versions",
                         J(R"({"issue_date":"2027-01-01","expiry_date":"2030-01-01"})")).status,
            201);
  // Someone else's credential without users.manage: refused, and nothing changes.
  EXPECT_EQ(server_.Call("bob", "DELETE", "/api/v1/credentials/" + id).status, 403);
  EXPECT_EQ(Get("alice", id).at("version"), 2);

  EXPECT_EQ(server_.Call("alice", "DELETE", "/api/v1/credentials/" + id).status, 204);
  EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/credentials/" + id).status, 404);
  EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/credentials/" + id + "/versions").status, 404);
  auto log = server_.Call("manager", "GET", "/api/v1/activity?action=credential.deleted");
  ASSERT_EQ(log.status, 200);
  auto entries = log.Json().at("items").as_array();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].at("entity_id"), boost::json::value(id));
  EXPECT_EQ(entries[0].at("changes").as_array()[2].at("old"), "2");  // versions
}

TEST_F(CredentialsApiTest, ListFiltersSortsAndPages) {
  // today 2026-11-29, expiring soon up to 2026-12-29.
  std::string expired = Create("alice", "", "2026-11-28");
  std::string soon = Create("alice", R"(,"credential_number":"SOON-1")", "2026-12-29");
  std::string valid = Create("bob", "", "2026-12-30");
  std::string none = Create("bob", "", "", induction_);
  (void)none;
  auto ids = [&](const std::string& q) {
    auto res = server_.Call("manager", "GET", "/api/v1/credentials?" + q);
    EXPECT_EQ(res.status, 200) << q << " " << res.body;
    return Ids(res);
  };
  EXPECT_EQ(ids("expiry_status=expired"), std::vector<std::string>{expired});
  EXPECT_EQ(ids("expiry_status=expiring_soon"), std::vector<std::string>{soon});
  EXPECT_EQ(ids("expiry_status=valid"), std::vector<std::string>{valid});
  EXPECT_EQ(ids("expiry_status=no_expiry"), std::vector<std::string>{none});
  EXPECT_EQ(ids("expiry_status=expired,expiring_soon"), (std::vector<std::string>{expired, soon}));
  EXPECT_EQ(ids("expiring_before=2026-12-30"), (std::vector<std::string>{expired, soon}));
  EXPECT_EQ(ids("user_id=" + Id("bob")), (std::vector<std::string>{valid, none}));
  EXPECT_EQ(ids("type_id=" + induction_), std::vector<std::string>{none});
  EXPECT_EQ(ids("q=soon-1"), std::vector<std::string>{soon});
  EXPECT_EQ(ids("q=BOB"), (std::vector<std::string>{valid, none}));
  EXPECT_EQ(ids("approval_status=not_required").size(), 4u);
  EXPECT_EQ(ids("approval_status=pending").size(), 0u);
  // Sorts: expiry ascending with no expiry last (the default), descending, by holder.
  EXPECT_EQ(ids(""), (std::vector<std::string>{expired, soon, valid, none}));
  EXPECT_EQ(ids("sort=-expiry_date"), (std::vector<std::string>{valid, soon, expired, none}));
  auto by_user = ids("sort=user_name");
  EXPECT_EQ(by_user.size(), 4u);
  EXPECT_TRUE((by_user[0] == expired || by_user[0] == soon));
  // Pages of one walk every credential once.
  std::vector<std::string> walked;
  std::string target = "/api/v1/credentials?limit=1";
  for (int i = 0; i < 10; ++i) {
    auto res = server_.Call("manager", "GET", target);
    ASSERT_EQ(res.status, 200);
    auto json = res.Json();
    for (const auto& item : json.at("items").as_array()) walked.emplace_back(item.at("id").as_string());
    if (json.at("next_cursor").is_null()) break;
    target = "/api/v1/credentials?limit=1&cursor=" + std::string(json.at("next_cursor").as_string());
  }
  EXPECT_EQ(walked, (std::vector<std::string>{expired, soon, valid, none}));
  // Bad query values.
  for (const char* q : {"expiry_status=soonish", "approval_status=maybe", "archived=yes", "sort=colour",
                        "expiring_before=2026-02-30", "user_id=42", "limit=0", "cursor=%%%", "cursor=bm90IGEgY3Vyc29y"}) {
    auto res = server_.Call("manager", "GET", std::string("/api/v1/credentials?") + q);
    EXPECT_EQ(res.status, 400) << q << " → " << res.body;
  }
}

TEST_F(CredentialsApiTest, SummaryCountsUnarchivedCredentials) {
  EnableApprovals();
  Create("alice", "", "2026-11-28");              // expired, pending
  std::string soon = Create("alice", "", "2026-12-29");  // expiring soon
  Create("bob", "", "2027-12-30");                // valid
  Create("bob", "", "", induction_);              // no expiry
  std::string archived = Create("bob", "", "2027-12-30");
  ASSERT_EQ(server_.Call("bob", "POST", "/api/v1/credentials/" + archived + "/archive").status, 200);
  ASSERT_EQ(server_.Call("manager", "POST", "/api/v1/credentials/" + soon + "/reject", J(R"({"reason":"no"})")).status, 200);
  auto res = server_.Call("manager", "GET", "/api/v1/credentials/summary");
  ASSERT_EQ(res.status, 200) << res.body;
  auto s = res.Json();
  EXPECT_EQ(s.at("total"), 4);
  EXPECT_EQ(s.at("expired"), 1);
  EXPECT_EQ(s.at("expiring_soon"), 1);
  EXPECT_EQ(s.at("valid"), 1);
  EXPECT_EQ(s.at("no_expiry"), 1);
  EXPECT_EQ(s.at("pending_approval"), 3);
  EXPECT_EQ(s.at("rejected"), 1);
  auto by_type = s.at("by_type").as_array();
  ASSERT_EQ(by_type.size(), 2u);
  EXPECT_EQ(by_type[0].at("type").at("name"), "Driver's licence");
  EXPECT_EQ(by_type[0].at("total"), 3);
  EXPECT_EQ(by_type[1].at("type").at("name"), "Site induction");
  EXPECT_EQ(by_type[1].at("no_expiry"), 1);
  // Another organisation sees none of it.
  EXPECT_EQ(server_.Call("other_admin", "GET", "/api/v1/credentials/summary").Json().at("total"), 0);
}

// The summary and the list pages are kept by the node between requests (service/kept_reads.h)
// under the organisation's credential revision (migrations/*/0012), the day and
// expiring_soon_days. After every kind of write, through the API or through another node, at
// midnight and after a settings change, each answer must be byte for byte what a fresh read in a
// new transaction gives.
TEST_F(CredentialsApiTest, KeptReadsAreFreshAfterEveryWrite) {
  EnableApprovals();
  const std::string bob_id = server_.person("bob").user.id;
  // The pages a dashboard asks again and again, with the query each stands for.
  struct Asked {
    std::string path;
    CredentialQuery query;
  };
  std::vector<Asked> asked(6);
  asked[0].path = "/api/v1/credentials";
  asked[1].path = "/api/v1/credentials?limit=2";
  asked[1].query.limit = 2;
  asked[2].path = "/api/v1/credentials?expiry_status=expiring_soon";
  asked[2].query.expiry_statuses = {ExpiryStatus::kExpiringSoon};
  asked[3].path = "/api/v1/credentials?user_id=" + bob_id;
  asked[3].query.user_id = bob_id;
  asked[4].path = "/api/v1/credentials?approval_status=rejected";
  asked[4].query.approval_statuses = {ApprovalStatus::kRejected};
  asked[5].path = "/api/v1/credentials?q=bob&sort=user_name";
  asked[5].query.q = "bob";
  asked[5].query.sort = CredentialSort::kUserName;
  int answered = 0;
  auto expect_fresh = [&](const std::string& step) {
    // Another node's services over the same database: nothing kept yet, so a fresh read.
    Services fresh_node(server_.services().ctx);
    const Actor manager =
        Must(fresh_node.auth.AuthenticateToken(server_.person("manager").token)).actor;
    for (const Asked& a : asked) {
      auto res = server_.Call("manager", "GET", a.path);
      ASSERT_EQ(res.status, 200) << step << ", " << a.path << ": " << res.body;
      CredentialListView list = Must(fresh_node.credentials.List(manager, a.query));
      EXPECT_EQ(res.body, http::CredentialPageJson(list.items, list.next_after.empty()
                                                                   ? ""
                                                                   : Base64UrlEncode(list.next_after)))
          << step << ", " << a.path;
      EXPECT_EQ(server_.Call("manager", "GET", a.path).body, res.body) << step << ", " << a.path;
    }
    auto res = server_.Call("manager", "GET", "/api/v1/credentials/summary");
    ASSERT_EQ(res.status, 200) << step << ": " << res.body;
    auto uow = Must(server_.store().Begin(false));
    auto org = Must(uow->FindOrganization(server_.org_a()));
    ASSERT_TRUE(org.has_value());
    const Date today = LocalDate(server_.clock().Now(), org->timezone);
    auto fresh = Must(uow->SummarizeCredentials(org->id, today, org->settings.expiring_soon_days));
    EXPECT_EQ(res.body, http::SummaryJson(fresh)) << step;
    // Asked again with nothing changed: the kept answer, the same bytes.
    EXPECT_EQ(server_.Call("manager", "GET", "/api/v1/credentials/summary").body, res.body) << step;
    ++answered;
  };
  auto total = [&] {
    return server_.Call("manager", "GET", "/api/v1/credentials/summary").Json().at("total").as_int64();
  };
  auto ok = [&](const std::string& who, const std::string& method, const std::string& path,
                const std::string& body = "") {
    auto res = server_.Call(who, method, path, body);
    EXPECT_LT(res.status, 300) << method << " " << path << ": " << res.body;
    return res;
  };

  expect_fresh("no credentials");
  std::string soon = Create("alice", "", "2026-12-20");  // expiring soon, pending
  expect_fresh("created");
  EXPECT_EQ(total(), 1);
  std::string later = Create("bob", "", "2027-12-30");
  expect_fresh("another created");
  ok("manager", "POST", "/api/v1/credentials/" + soon + "/approve");
  expect_fresh("approved");
  ok("manager", "POST", "/api/v1/credentials/" + later + "/reject", J(R"({"reason":"blurred"})"));
  expect_fresh("rejected");
  ok("alice", "POST", "/api/v1/credentials/" + soon + "/versions",
     J(R"({"issue_date":"2026-11-01","expiry_date":"2028-01-31"})"));
  expect_fresh("renewed: a new pending version, another expiry");
  ok("alice", "PATCH", "/api/v1/credentials/" + soon + "/versions/2", J(R"({"expiry_date":"2026-12-01"})"));
  expect_fresh("latest version's expiry edited into the past");
  ok("bob", "POST", "/api/v1/credentials/" + later + "/archive");
  expect_fresh("archived");
  ok("bob", "POST", "/api/v1/credentials/" + later + "/restore");
  expect_fresh("restored");
  ok("bob", "PATCH", "/api/v1/credentials/" + later + "/versions/1",
     J(R"({"credential_number":"DL-77"})"));
  expect_fresh("a number edited");
  ok("manager", "POST", "/api/v1/credentials/" + later + "/reject", J(R"({"reason":"still blurred"})"));
  expect_fresh("rejected again, another reason");
  auto upload = server_.Call("bob", "POST", "/api/v1/media?filename=card.png", PngWithText("card"),
                             {{"Content-Type", "image/png"}});
  ASSERT_EQ(upload.status, 201) << upload.body;
  ok("bob", "POST", "/api/v1/credentials/" + later + "/versions",
     R"({"issue_date":"2026-11-01","expiry_date":"2027-12-30","media_ids":[")" +
         std::string(upload.Json().at("id").as_string()) + "\"]}");
  expect_fresh("a version with a file");
  ok("admin", "PATCH", "/api/v1/users/" + bob_id, J(R"({"name":"Bobby Tables"})"));
  expect_fresh("the holder renamed");
  ok("manager", "PATCH", "/api/v1/credential-types/" + licence_, J(R"({"name":"Zz licence"})"));
  expect_fresh("type renamed: another name, another order");
  Create("bob", "", "", induction_);
  std::string unused = MakeType(R"({"name":"Aa unused"})");
  expect_fresh("type added");
  ok("manager", "DELETE", "/api/v1/credential-types/" + unused);
  expect_fresh("type deleted");
  ok("manager", "POST", "/api/v1/credentials/bulk",
     R"({"action":"archive","ids":[")" + later + "\"]}");
  expect_fresh("bulk archive");
  ok("admin", "DELETE", "/api/v1/credentials/" + later);
  expect_fresh("deleted");
  const int64_t before_other_node = total();

  // Another node: its own services over the same database, so nothing of this node's memory
  // hears of the write; only the revision read in the next request's transaction tells.
  Services other_node(server_.services().ctx);
  auto bob = Must(other_node.auth.AuthenticateToken(server_.person("bob").token));
  CredentialInput input;
  input.type_id = licence_;
  input.issue_date = "2026-01-01";
  input.expiry_date = "2026-12-31";
  Must(other_node.credentials.Create(bob.actor, input));
  expect_fresh("written by another node");
  EXPECT_EQ(total(), before_other_node + 1);

  // Nothing written, but another day: 2026-12-20 moves from expiring soon to expired.
  server_.clock().Advance(std::chrono::hours(24 * 22));
  expect_fresh("three weeks later");
  ok("manager", "PATCH", "/api/v1/settings/credentials", J(R"({"expiring_soon_days":400})"));
  expect_fresh("longer notice");
  ok("admin", "PATCH", "/api/v1/organization", J(R"({"timezone":"Pacific/Kiritimati"})"));
  expect_fresh("another time zone");
  EXPECT_EQ(answered, 22);
}

TEST_F(CredentialsApiTest, BulkActionsAnswerPerId) {
  std::string a = Create("alice");
  std::string b = Create("bob");
  std::string theirs;
  {
    std::string type(server_.Call("other_admin", "POST", "/api/v1/credential-types", J(R"({"name":"T"})")).Json().at("id").as_string());
    auto res = server_.Call("other_admin", "POST", "/api/v1/credentials",
                            R"({"type_id":")" + type + R"(","issue_date":"2026-01-01","expiry_date":"2027-01-01"})");
    theirs = std::string(res.Json().at("id").as_string());
  }
  std::string body = R"({"action":"archive","ids":[")" + a + "\",\"" + b + "\",\"" + theirs + R"(","not-an-id"]})";
  auto res = server_.Call("alice", "POST", "/api/v1/credentials/bulk", body);
  ASSERT_EQ(res.status, 200) << res.body;
  auto results = res.Json().at("results").as_array();
  ASSERT_EQ(results.size(), 4u);
  EXPECT_EQ(results[0].at("status"), 200);
  EXPECT_EQ(results[1].at("status"), 403);  // Bob's: Alice may not
  EXPECT_EQ(results[2].at("status"), 404);  // another organisation's
  EXPECT_EQ(results[3].at("status"), 404);
  EXPECT_EQ(res.Json().at("succeeded"), 1);
  EXPECT_EQ(Get("admin", b).at("archived"), false);
  EXPECT_EQ(server_.Call("other_admin", "GET", "/api/v1/credentials/" + theirs).Json().at("archived"), false);

  auto del = server_.Call("admin", "POST", "/api/v1/credentials/bulk", R"({"action":"delete","ids":[")" + a + "\",\"" + b + "\"]}");
  auto del_results = del.Json().at("results").as_array();
  EXPECT_EQ(del_results[0].at("status"), 204);
  // Bob's was never archived: delete needs no archiving first.
  EXPECT_EQ(del_results[1].at("status"), 204);
  EXPECT_EQ(server_.Call("admin", "GET", "/api/v1/credentials/" + b).status, 404);

  EnableApprovals();
  std::string p1 = Create("alice"), p2 = Create("bob"), own = Create("manager");
  auto approve = server_.Call("manager", "POST", "/api/v1/credentials/bulk",
                              R"({"action":"approve","ids":[")" + p1 + "\",\"" + p2 + "\",\"" + own + "\"]}");
  auto ar = approve.Json().at("results").as_array();
  EXPECT_EQ(ar[0].at("status"), 200);
  EXPECT_EQ(ar[1].at("status"), 200);
  EXPECT_EQ(ar[2].at("code"), "own_credential");

  EXPECT_EQ(server_.Call("admin", "POST", "/api/v1/credentials/bulk", J(R"({"action":"explode","ids":[]})")).FieldCode(), "invalid_action");
  EXPECT_EQ(server_.Call("admin", "POST", "/api/v1/credentials/bulk", J(R"({"action":"archive","ids":[]})")).FieldCode(), "required");
  EXPECT_EQ(server_.Call("admin", "POST", "/api/v1/credentials/bulk", R"({"action":"archive","ids":[")" + b + "\",\"" + b + "\"]}").FieldCode(), "duplicate");
}

TEST_F(CredentialsApiTest, TheActivityLogCoversEveryChange) {
  std::string id = Create("alice");
  ASSERT_EQ(server_.Call("alice", "POST", "/api/v1/credentials/" + id + "/versions", J(R"({"issue_date":"2027-01-01","expiry_date":"2030-01-01"})")).status, 201);
  ASSERT_EQ(server_.Call("alice", "PATCH", "/api/v1/credentials/" + id + "/versions/2", J(R"({"credential_number":"Z"})")).status, 200);
  ASSERT_EQ(server_.Call("alice", "POST", "/api/v1/credentials/" + id + "/archive").status, 200);
  ASSERT_EQ(server_.Call("alice", "POST", "/api/v1/credentials/" + id + "/restore").status, 200);
  auto res = server_.Call("manager", "GET", "/api/v1/activity?credential_id=" + id);
  ASSERT_EQ(res.status, 200) << res.body;
  std::vector<std::string> actions;
  auto json = res.Json();
  for (const auto& e : json.at("items").as_array()) actions.emplace_back(e.at("action").as_string());
  EXPECT_EQ(actions, (std::vector<std::string>{"credential.restored", "credential.archived", "credential.version_edited",
                                               "credential.version_added", "credential.created"}));
  // Filters by actor and subject, and pages.
  EXPECT_EQ(server_.Call("manager", "GET", "/api/v1/activity?action=credential.created&user_id=" + Id("bob")).Json().at("items").as_array().size(), 0u);
  EXPECT_EQ(server_.Call("manager", "GET", "/api/v1/activity?action=credential.created&user_id=" + Id("alice")).Json().at("items").as_array().size(), 1u);
  auto page = server_.Call("manager", "GET", "/api/v1/activity?actor_id=" + Id("alice") + "&limit=2").Json();
  EXPECT_EQ(page.at("items").as_array().size(), 2u);
  ASSERT_FALSE(page.at("next_cursor").is_null());
  auto next = server_.Call("manager", "GET", "/api/v1/activity?actor_id=" + Id("alice") + "&limit=2&cursor=" +
                                             std::string(page.at("next_cursor").as_string())).Json();
  EXPECT_EQ(next.at("items").as_array()[0].at("action"), "credential.version_edited");
  EXPECT_EQ(server_.Call("manager", "GET", "/api/v1/activity?since=2026-11-30").Json().at("items").as_array().size(), 0u);
  EXPECT_EQ(server_.Call("manager", "GET", "/api/v1/activity?since=yesterday").status, 400);
  // Another organisation's log holds none of it.
  EXPECT_EQ(server_.Call("other_admin", "GET", "/api/v1/activity?credential_id=" + id).Json().at("items").as_array().size(), 0u);
}

}  // namespace
}  // namespace bf::testing
