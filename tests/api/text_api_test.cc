// PRODUCT.md "Text" over real sockets: control characters, bidirectional overrides and bytes
// that are not UTF-8 are refused in every stored text (422 invalid_characters naming the field),
// line feeds only where a field is multi-line, and a bulk upload reports them row by row. The
// character rule itself is tested in tests/domain/validation_test.cc.
#include <gtest/gtest.h>

#include "support/test_server.h"

namespace bf::testing {
namespace {

class TextApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto type =
        server_.Call("manager", "POST", "/api/v1/credential-types", R"({"name":"Forklift"})");
    ASSERT_EQ(type.status, 201) << type.body;
    type_ = std::string(type.Json().at("id").as_string());
  }

  std::string NewCredential() {
    auto res = server_.Call(
        "alice", "POST", "/api/v1/credentials",
        R"({"type_id":")" + type_ + R"(","issue_date":"2025-01-01","expiry_date":"2030-01-01"})");
    EXPECT_EQ(res.status, 201) << res.body;
    return std::string(res.Json().at("id").as_string());
  }

  // The answer must be 422 invalid_characters naming `field`.
  static void ExpectInvalid(const HttpResult& res, const std::string& field,
                            const std::string& what) {
    EXPECT_EQ(res.status, 422) << what << " → " << res.body;
    EXPECT_EQ(res.Code(), "invalid_characters") << what;
    auto errors = res.Json().at("errors").as_array();
    ASSERT_EQ(errors.size(), 1u) << what;
    EXPECT_EQ(errors[0].at("field"), boost::json::value(field)) << what;
    EXPECT_EQ(errors[0].at("code"), "invalid_characters") << what;
  }

  TestServer server_;
  std::string type_;
};

// The characters of issue #12, each as a JSON escape: NUL, ESC, BEL, CR, TAB inside, C1 NEL,
// RTL override, first-strong isolate.
const char* const kBad[] = {"\\u0000", "\\u001b[31m", "\\u0007", "\\r",
                            "\\t",     "\\u0085",     "\\u202e", "\\u2068"};

TEST_F(TextApiTest, NamesRefuseControlAndBidiCharactersEverywhere) {
  const std::string alice = server_.person("alice").user.id;
  const std::string standard = server_.PermissionSetId(server_.org_a(), "standard");
  for (const char* bad : kBad) {
    const std::string name = std::string("A") + bad + "B";
    struct Case {
      std::string who, method, target, body, field;
    } cases[] = {
        {"admin", "POST", "/api/v1/users",
         R"({"email":"x@a.example","name":")" + name + R"(","permission_set_id":")" + standard +
             "\"}",
         "name"},
        {"alice", "PATCH", "/api/v1/users/" + alice, R"({"name":")" + name + "\"}", "name"},
        {"manager", "POST", "/api/v1/credential-types", R"({"name":")" + name + "\"}", "name"},
        {"manager", "PATCH", "/api/v1/credential-types/" + type_, R"({"name":")" + name + "\"}",
         "name"},
        {"admin", "PATCH", "/api/v1/organization", R"({"name":")" + name + "\"}", "name"},
        {"admin", "POST", "/api/v1/permission-sets",
         R"({"name":")" + name + R"(","permissions":[]})", "name"},
        {"alice", "POST", "/api/v1/me/tokens", R"({"name":")" + name + "\"}", "name"},
        {"alice", "POST", "/api/v1/credentials",
         R"({"type_id":")" + type_ +
             R"(","issue_date":"2025-01-01","expiry_date":"2030-01-01","credential_number":")" +
             name + "\"}",
         "credential_number"},
    };
    for (const Case& c : cases) {
      ExpectInvalid(server_.Call(c.who, c.method, c.target, J(c.body.c_str())), c.field,
                    c.method + " " + c.target + " with " + bad);
    }
  }
  // Nothing was stored.
  EXPECT_EQ(server_.Call("admin", "GET", "/api/v1/users/" + alice).Json().at("name"),
            "Alice Standard");
  EXPECT_EQ(server_.Call("admin", "GET", "/api/v1/organization").Json().at("name"), "Org A");
  EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/me/tokens").Json().at("items").as_array().size(),
            1u);
  EXPECT_EQ(server_.Call("manager", "GET", "/api/v1/credential-types")
                .Json()
                .at("items")
                .as_array()
                .size(),
            1u);
}

TEST_F(TextApiTest, MultiLineFieldsMayHoldLineFeedsAndNothingElse) {
  // A description: LF kept, CR and the rest refused, surrounding breaks trimmed.
  ExpectInvalid(server_.Call("manager", "PATCH", "/api/v1/credential-types/" + type_,
                             J(R"({"description":"line one\r\nline two"})")),
                "description", "CR LF in a description");
  ExpectInvalid(server_.Call("manager", "PATCH", "/api/v1/credential-types/" + type_,
                             J(R"({"description":"see \u202egpj.exe"})")),
                "description", "RLO in a description");
  auto ok = server_.Call("manager", "PATCH", "/api/v1/credential-types/" + type_,
                         J(R"({"description":"\nline one\nline two\n"})"));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.Json().at("description"), "line one\nline two");

  // A rejection reason likewise; names stay on one line.
  ASSERT_EQ(server_
                .Call("admin", "PATCH", "/api/v1/settings/credentials",
                      J(R"({"approvals_required":true})"))
                .status,
            200);
  const std::string id = NewCredential();
  ExpectInvalid(server_.Call("manager", "POST", "/api/v1/credentials/" + id + "/reject",
                             J(R"({"reason":"blurry\u0007"})")),
                "reason", "BEL in a reason");
  EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/credentials/" + id).Json().at("approval_status"),
            "pending");
  auto rejected = server_.Call("manager", "POST", "/api/v1/credentials/" + id + "/reject",
                               J(R"({"reason":"The photo is blurry.\nPlease upload it again."})"));
  EXPECT_EQ(rejected.status, 200) << rejected.body;
  ExpectInvalid(
      server_.Call("manager", "POST", "/api/v1/credential-types", J(R"({"name":"Two\nlines"})")),
      "name", "LF in a name");
}

// (A NUL byte, or bytes that are not UTF-8, make the whole file bad_csv before any row is read.)
TEST_F(TextApiTest, ABulkUploadReportsInvalidCharactersRowByRow) {
  const std::string csv =
      std::string("email,credential_type,issue_date,expiry_date,credential_number\n") +
      "alice@a.example,Forklift,2025-01-01,2030-01-01,OK-1\n" +
      "bob@a.example,Forklift,2025-01-01,2030-01-01,\"BAD\x1b[2J\"\n" +
      "alice@a.example,Forklift,2025-01-01,2030-01-01,\"BEL\a\"\n" +
      "bob@a.example,Fork\xe2\x80\xaelift,2025-01-01,2030-01-01,\n";
  auto dry = server_.Call("manager", "POST", "/api/v1/credential-imports?dry_run=true", csv,
                          {{"Content-Type", "text/csv"}});
  ASSERT_EQ(dry.status, 200) << dry.body;
  auto errors = dry.Json().at("errors").as_array();
  ASSERT_EQ(errors.size(), 3u) << dry.body;
  struct Expected {
    int row;
    std::string column;
  } expected[] = {{3, "credential_number"}, {4, "credential_number"}, {5, "credential_type"}};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(errors[i].at("row"), expected[i].row) << dry.body;
    EXPECT_EQ(errors[i].at("column"), boost::json::value(expected[i].column)) << dry.body;
    EXPECT_EQ(errors[i].at("code"), "invalid_characters") << dry.body;
  }
  // For real: all or nothing, so nothing.
  auto real = server_.Call("manager", "POST", "/api/v1/credential-imports", csv,
                           {{"Content-Type", "text/csv"}});
  EXPECT_EQ(real.status, 422) << real.body;
  auto list = server_.Call("manager", "GET", "/api/v1/credentials");
  EXPECT_EQ(list.Json().at("items").as_array().size(), 0u);
}

}  // namespace
}  // namespace bf::testing
