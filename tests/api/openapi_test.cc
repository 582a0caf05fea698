// The OpenAPI document: complete for every route, valid OpenAPI 3.1 and free of lint errors by
// third-party tools (tools/openapi), and the check every API test's answers go through
// (support/openapi_contract.h) able to fail.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <set>
#include <vector>

#include "http/schemas.h"
#include "http/web_assets.h"
#include "support/openapi_contract.h"
#include "support/test_server.h"

namespace bf::testing {
namespace {

namespace json = boost::json;

class OpenApiTest : public ::testing::Test {
 protected:
  json::value Document() {
    auto r = server_.Call("", "GET", "/api/v1/openapi.json");
    EXPECT_EQ(r.status, 200);
    return r.Json();
  }
  TestServer server_;
};

TEST_F(OpenApiTest, IsServedWithAStableEtag) {
  auto first = server_.Call("", "GET", "/api/v1/openapi.json");
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.Json().at("openapi"), "3.1.0");
  EXPECT_FALSE(first.Header("etag").empty());
  EXPECT_EQ(server_.Call("", "GET", "/api/v1/openapi.json").Header("etag"), first.Header("etag"));
}

TEST_F(OpenApiTest, EveryRouteHasAUniqueCamelCaseOperationIdATagAndItsStatuses) {
  json::value doc = Document();
  const std::regex camel("^[a-z][a-zA-Z0-9]*$");
  std::set<std::string> ids;
  int operations = 0;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) {
      ++operations;
      std::string where = std::string(method) + " " + std::string(path);
      std::string id(op.at("operationId").as_string());
      EXPECT_NE(id, "undocumented") << where << " has no OperationDoc in http/schemas.cc";
      EXPECT_TRUE(std::regex_match(id, camel)) << where << ": " << id;
      EXPECT_TRUE(ids.insert(id).second) << "operationId " << id << " twice";
      EXPECT_TRUE(op.as_object().contains("tags")) << where;
      const json::object& responses = op.at("responses").as_object();
      EXPECT_FALSE(responses.contains("default")) << where;
      bool success = false;
      for (const auto& [status, response] : responses) success = success || status.front() == '2';
      EXPECT_TRUE(success) << where << " documents no success status";
    }
  }
  EXPECT_GE(operations, 57);
}

// The other direction: no OperationDoc outlives its route (a renamed path, a removed method).
TEST_F(OpenApiTest, EveryOperationDocHasItsRoute) {
  json::value doc = Document();
  for (const http::OperationDoc& op : http::OperationDocs()) {
    std::string method = op.method;
    std::transform(method.begin(), method.end(), method.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    const json::value* item = doc.at("paths").as_object().if_contains(op.pattern);
    EXPECT_TRUE(item != nullptr && item->as_object().contains(method))
        << op.method << " " << op.pattern;
  }
}

TEST_F(OpenApiTest, ListsDocumentTheirQueryParameters) {
  json::value doc = Document();
  auto names = [&](const std::string& path) {
    std::set<std::string> out;
    for (const json::value& p : doc.at("paths").at(path).at("get").at("parameters").as_array()) {
      const json::value* resolved = &p;
      if (p.as_object().contains("$ref")) {
        std::string ref(p.at("$ref").as_string());
        resolved = &doc.at("components").at("parameters").at(ref.substr(ref.rfind('/') + 1));
      }
      out.insert(std::string(resolved->at("name").as_string()));
    }
    return out;
  };
  EXPECT_EQ(names("/api/v1/credentials"),
            (std::set<std::string>{"user_id", "type_id", "expiry_status", "approval_status",
                                   "archived", "expiring_before", "q", "sort", "limit", "cursor"}));
  EXPECT_EQ(names("/api/v1/activity"),
            (std::set<std::string>{"actor_id", "credential_id", "user_id", "action", "since",
                                   "until", "limit", "cursor"}));
  const json::value& limit = doc.at("components").at("parameters").at("limit").at("schema");
  EXPECT_EQ(limit.at("minimum"), 1);
  EXPECT_EQ(limit.at("maximum"), 200);
}

TEST_F(OpenApiTest, TheSchemaCheckRefusesWhatTheDocumentDoesNotSay) {
  json::value doc = Document();
  const json::value user = json::parse(R"({"$ref": "#/components/schemas/User"})");
  json::value good = server_.Call("alice", "GET", "/api/v1/me").Json();
  EXPECT_TRUE(ValidateSchema(doc, user, good).empty());

  json::value extra = good;
  extra.as_object()["nickname"] = "Al";
  EXPECT_FALSE(ValidateSchema(doc, user, extra).empty()) << "a field without its schema";
  json::value missing = good;
  missing.as_object().erase("email");
  EXPECT_FALSE(ValidateSchema(doc, user, missing).empty());
  json::value wrong = good;
  wrong.as_object()["status"] = "sleeping";
  EXPECT_FALSE(ValidateSchema(doc, user, wrong).empty());
  json::value bad_id = good;
  bad_id.as_object()["id"] = "42";
  EXPECT_FALSE(ValidateSchema(doc, user, bad_id).empty());
  json::value bad_time = good;
  bad_time.as_object()["created_at"] = "yesterday";
  EXPECT_FALSE(ValidateSchema(doc, user, bad_time).empty());
}

TEST_F(OpenApiTest, TheAnswerCheckRefusesAnUndocumentedStatusOrBody) {
  json::value doc = Document();
  HttpResult teapot;
  teapot.status = 418;
  EXPECT_FALSE(CheckAnswer(doc, "GET", "/api/v1/me", teapot).empty());

  HttpResult odd;
  odd.status = 200;
  odd.headers["content-type"] = "application/json";
  odd.body = R"({"user": 1})";
  EXPECT_FALSE(CheckAnswer(doc, "GET", "/api/v1/me", odd).empty());

  HttpResult not_a_route;
  not_a_route.status = 200;
  EXPECT_TRUE(CheckAnswer(doc, "GET", "/index.html", not_a_route).empty());
}

// Where a status's problem codes are a fixed set, the document lists them, and an answer with
// any other code breaks it.
TEST_F(OpenApiTest, FixedProblemCodesAreEnumsAndAnotherCodeIsRefused) {
  json::value doc = Document();
  const json::value& codes = doc.at("components")
                                 .at("schemas")
                                 .at("NotFoundProblem")
                                 .at("properties")
                                 .at("code")
                                 .at("enum");
  EXPECT_EQ(codes, json::parse(R"(["not_found"])"));
  auto missing =
      server_.Call("alice", "GET", "/api/v1/credentials/00000000-0000-4000-8000-000000000000");
  ASSERT_EQ(missing.status, 404);
  EXPECT_TRUE(
      CheckAnswer(doc, "GET", "/api/v1/credentials/00000000-0000-4000-8000-000000000000", missing)
          .empty());
  HttpResult odd = missing;
  odd.body = std::regex_replace(missing.body, std::regex("\"not_found\""), "\"gone\"");
  EXPECT_FALSE(
      CheckAnswer(doc, "GET", "/api/v1/credentials/00000000-0000-4000-8000-000000000000", odd)
          .empty());
  const json::value& forbidden = doc.at("components")
                                     .at("schemas")
                                     .at("ForbiddenProblem")
                                     .at("properties")
                                     .at("code")
                                     .at("enum");
  EXPECT_NE(std::find(forbidden.as_array().begin(), forbidden.as_array().end(),
                      json::value("cross_site_request")),
            forbidden.as_array().end());
}

// The other half of the enums' promise: every code the source can answer a 400 or a 422 field
// with is in its enum, so a new check with a new code fails here until the document names it,
// even before an API test meets it. The source is read as text: a FailField(field, "code", …)
// call (a 422) and an ErrorCode::kBadRequest, "code" (a 400).
std::set<std::string> EnumOf(const json::value& doc, std::string_view schema) {
  std::set<std::string> out;
  for (const json::value& v : doc.at("components")
                                  .at("schemas")
                                  .at(schema)
                                  .at("properties")
                                  .at("code")
                                  .at("enum")
                                  .as_array()) {
    out.insert(std::string(v.as_string()));
  }
  return out;
}

std::set<std::string> CodesInSource(const std::regex& pattern) {
  std::set<std::string> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(BF_SOURCE_DIR "/src")) {
    std::string ext = entry.path().extension().string();
    if (ext != ".cc" && ext != ".h") continue;
    if (entry.path().string().find("/src/app/") != std::string::npos) continue;  // the CLI's
    std::ifstream in(entry.path());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) {
      for (size_t group = 1; group < it->size(); ++group) {
        if ((*it)[group].matched) out.insert((*it)[group].str());
      }
    }
  }
  return out;
}

TEST_F(OpenApiTest, EveryProblemCodeInTheSourceIsDocumented) {
  json::value doc = Document();
  // FailField(<field>, "code", …) or FailField(<field>, cond ? "a" : "b", …), across lines.
  std::set<std::string> field_codes = CodesInSource(std::regex(
      R"re(FailField\(\s*(?:"[^"]*"|[^,"]+?)\s*,\s*(?:[^,"?]+\?\s*)?"([a-z_]+)"(?:\s*:\s*"([a-z_]+)")?)re"));
  ASSERT_GT(field_codes.size(), 20u) << "the pattern no longer finds the source's FailField calls";
  std::set<std::string> invalid = EnumOf(doc, "InvalidProblem");
  for (const std::string& code : field_codes) {
    EXPECT_TRUE(invalid.count(code)) << code << " is answered in a 422 but not in InvalidProblem";
  }
  std::set<std::string> bad_request_codes =
      CodesInSource(std::regex(R"re(ErrorCode::kBadRequest,\s*"([a-z_]+)")re"));
  ASSERT_GT(bad_request_codes.size(), 3u);
  std::set<std::string> bad_request = EnumOf(doc, "BadRequestProblem");
  for (const std::string& code : bad_request_codes) {
    EXPECT_TRUE(bad_request.count(code)) << code << " is answered in a 400 but not in BadRequestProblem";
  }
}

// The third-party check: tools/openapi/check.mjs validates the document against the OpenAPI 3.1
// schema (@seriousme/openapi-schema-validator) and lints it with Redocly's recommended rules
// (@redocly/openapi-core); any error fails. `make test` installs the tools (npm ci).
TEST_F(OpenApiTest, ValidatesAsOpenApi31AndLintsWithoutErrors) {
  const std::filesystem::path tools = BF_OPENAPI_TOOLS;
  ASSERT_TRUE(std::filesystem::exists(tools / "node_modules"))
      << "run `make test-deps` (npm ci in " << tools << ")";
  const std::filesystem::path file = server_.dir() / "openapi.json";
  {
    std::ofstream out(file);
    out << server_.Call("", "GET", "/api/v1/openapi.json").body;
  }
  const std::filesystem::path log = server_.dir() / "openapi-check.log";
  std::string command = "node '" + (tools / "check.mjs").string() + "' '" + file.string() +
                        "' > '" + log.string() + "' 2>&1";
  int rc = std::system(command.c_str());
  std::ifstream in(log);
  std::string output((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(rc, 0) << output;
  std::cout << output;  // the warnings too, for whoever improves the document
}

// The API reference page (/api/docs): HTML that loads only this server's files (no CDN, works
// offline), under a policy that allows scripts from this origin alone.
class ApiReferenceTest : public ::testing::Test {
 protected:
  TestServer server_;
};

TEST_F(ApiReferenceTest, IsAnHtmlPageThatLoadsOnlySameOriginFiles) {
  auto page = server_.Call("", "GET", "/api/docs");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.Header("content-type"), "text/html; charset=utf-8");
  const std::string csp = page.Header("content-security-policy");
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("script-src"), std::string::npos) << "scripts fall back to 'self': " << csp;
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("http"), std::string::npos) << "no other origin: " << csp;

  // Every src= and href= is a path on this server (or data:), never another origin.
  const std::regex reference(R"re((?:src|href)\s*=\s*"?([^"\s>]+))re", std::regex::icase);
  std::vector<std::string> scripts;
  for (std::sregex_iterator it(page.body.begin(), page.body.end(), reference), end; it != end;
       ++it) {
    std::string url = (*it)[1];
    SCOPED_TRACE(url);
    EXPECT_TRUE((url.front() == '/' && url.rfind("//", 0) != 0) || url.rfind("data:", 0) == 0);
    if (url.rfind("/assets/", 0) == 0) scripts.push_back(url);
  }
  EXPECT_NE(page.body.find("/api/v1/openapi.json"), std::string::npos) << "renders the document";
  if (http::WebAssets().empty()) GTEST_SKIP() << "the web interface is not built into this binary";
  // The built page loads Redoc's bundle, served by this binary.
  ASSERT_EQ(scripts.size(), 1u) << page.body;
  auto script = server_.Call("", "GET", scripts[0]);
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.Header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_GT(script.body.size(), 100'000u);
  // The page has one address: its file is not served as a page of the interface.
  EXPECT_EQ(server_.Call("", "GET", "/api-docs.html").status, 404);
}

// The reference's policy is its own: the interface's pages keep theirs.
TEST_F(ApiReferenceTest, TheInterfaceKeepsItsOwnPolicy) {
  if (http::WebAssets().empty()) GTEST_SKIP() << "the web interface is not built into this binary";
  auto app = server_.Call("", "GET", "/");
  ASSERT_EQ(app.status, 200);
  EXPECT_EQ(app.Header("content-security-policy"),
            "default-src 'self'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; "
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
}

}  // namespace
}  // namespace bf::testing
