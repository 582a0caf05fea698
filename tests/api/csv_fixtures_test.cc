// The bulk upload of CSV.md, file by file (DuckDB-style): every tests/testdata/csv/<case>.csv is
// uploaded to a fresh server holding the same small world, and the answer must be what
// <case>.expected.json says.
//
// <case>.expected.json:
//   "query"            the query string of POST /api/v1/credential-imports ("dry_run=true")
//   "settings"         optional: PATCH /api/v1/settings/credentials body applied first
//   "generate_rows"    optional: the file's last line is a template repeated this many times,
//                      ${n} counting from 1 (for files too large to keep)
//   "check_export"     optional: also compare the export afterwards ("export")
//   "status", "body"   the answer, with the world's ids written ${name}
//   "credentials_after" how many credentials org A holds afterwards (archived included)
//
// BONAFIDES_CSV_CASE=<case> runs that case alone.
// BONAFIDES_RECORD_CSV=1 rewrites the answer fields of every expected file from what the server
// says now (review the diff before committing).
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "core/csv.h"
#include "support/test_server.h"

#ifndef BF_CSV_TESTDATA
#error "BF_CSV_TESTDATA must name tests/testdata/csv"
#endif

namespace bf::testing {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

// JSON as people read it: two spaces a level, short arrays of scalars on one line.
void Pretty(const boost::json::value& v, std::string& out, int indent) {
  const std::string pad(static_cast<size_t>(indent) * 2, ' ');
  const std::string inner(static_cast<size_t>(indent + 1) * 2, ' ');
  if (v.is_object()) {
    const auto& o = v.as_object();
    if (o.empty()) {
      out += "{}";
      return;
    }
    out += "{\n";
    size_t i = 0;
    for (const auto& [key, value] : o) {
      out += inner + boost::json::serialize(boost::json::string(key)) + ": ";
      Pretty(value, out, indent + 1);
      out += ++i < o.size() ? ",\n" : "\n";
    }
    out += pad + "}";
  } else if (v.is_array()) {
    const auto& a = v.as_array();
    if (a.empty()) {
      out += "[]";
      return;
    }
    out += "[\n";
    for (size_t i = 0; i < a.size(); ++i) {
      out += inner;
      Pretty(a[i], out, indent + 1);
      out += i + 1 < a.size() ? ",\n" : "\n";
    }
    out += pad + "]";
  } else {
    out += boost::json::serialize(v);
  }
}

// The world every case starts from. Org A: admin, manager, alice, bob, and dora (deactivated);
// types "Driver's licence", "Site induction" (does not expire), "First aid"; credentials:
//   alice_dl         alice, Driver's licence, 2024-06-30 .. 2027-06-30, DL-1
//   bob_dl_a/b       bob, Driver's licence, 2024-01-01 .. 2029-01-01, no number (twice; a < b)
//   alice_induction  alice, Site induction, 2025-01-15, no expiry, no number
//   bob_fa_archived  bob, First aid, 2023-03-01 .. 2026-03-01, FA-9, archived
//   dora_fa          dora, First aid, 2025-05-05 .. 2028-05-05, FA-1
// Org B: other_admin with other_cred (its own Driver's licence, X-1).
class World {
 public:
  World() {
    const std::string licence = MakeType("manager", R"({"name":"Driver's licence"})");
    const std::string induction = MakeType("manager", R"({"name":"Site induction","expires":false})");
    const std::string first_aid = MakeType("manager", R"({"name":"First aid"})");
    const std::string other_licence = MakeType("other_admin", R"({"name":"Driver's licence"})");
    server_.AddPerson("dora", "dora@a.example", "Dora Deactivated", "standard");

    ids_["alice_dl"] = Create("alice", licence, "2024-06-30", "2027-06-30", "DL-1");
    std::string a = Create("bob", licence, "2024-01-01", "2029-01-01", "");
    std::string b = Create("bob", licence, "2024-01-01", "2029-01-01", "");
    ids_["bob_dl_a"] = std::min(a, b);
    ids_["bob_dl_b"] = std::max(a, b);
    ids_["alice_induction"] = Create("alice", induction, "2025-01-15", "", "");
    ids_["bob_fa_archived"] = Create("bob", first_aid, "2023-03-01", "2026-03-01", "FA-9");
    EXPECT_EQ(server_.Call("bob", "POST", "/api/v1/credentials/" + ids_["bob_fa_archived"] + "/archive").status, 200);
    ids_["dora_fa"] = Create("dora", first_aid, "2025-05-05", "2028-05-05", "FA-1");
    auto deactivated = server_.Call("admin", "PATCH", "/api/v1/users/" + server_.person("dora").user.id,
                                    R"({"status":"deactivated"})");
    EXPECT_EQ(deactivated.status, 200) << deactivated.body;
    ids_["other_cred"] = Create("other_admin", other_licence, "2025-01-01", "2030-01-01", "X-1");
  }

  TestServer& server() { return server_; }

  std::string Substitute(std::string text) const {
    for (const auto& [name, id] : ids_) ReplaceAll(text, "${" + name + "}", id);
    return text;
  }
  std::string Unsubstitute(std::string text) const {
    for (const auto& [name, id] : ids_) ReplaceAll(text, id, "${" + name + "}");
    return text;
  }

  int64_t CountCredentials() {
    auto res = server_.Call("admin", "GET", "/api/v1/credentials/export.csv?archived=all");
    EXPECT_EQ(res.status, 200);
    return static_cast<int64_t>(std::count(res.body.begin(), res.body.end(), '\n')) - 1;
  }

  // The export, as records of the columns an upload reads plus version, archived and
  // approval, sorted: what the import wrote.
  boost::json::array Export() {
    auto res = server_.Call("admin", "GET", "/api/v1/credentials/export.csv?archived=all");
    EXPECT_EQ(res.status, 200);
    std::vector<std::string> lines;
    CsvReader reader([&](const CsvRecord& r) {
      if (r.row == 1) return true;
      std::string line;
      for (size_t i : {0, 1, 2, 3, 4, 8, 9, 7}) line += (i ? "," : "") + std::string(r.fields.at(i));
      lines.push_back(Unsubstitute(line));
      return true;
    });
    reader.Feed(res.body);
    reader.Finish();
    std::sort(lines.begin(), lines.end());
    boost::json::array out;
    for (const auto& l : lines) out.emplace_back(l);
    return out;
  }

 private:
  std::string MakeType(const std::string& who, const std::string& body) {
    auto res = server_.Call(who, "POST", "/api/v1/credential-types", body);
    EXPECT_EQ(res.status, 201) << res.body;
    return std::string(res.Json().at("id").as_string());
  }

  std::string Create(const std::string& who, const std::string& type, const std::string& issue,
                     const std::string& expiry, const std::string& number) {
    boost::json::object body{{"type_id", type}, {"issue_date", issue}};
    if (!expiry.empty()) body["expiry_date"] = expiry;
    if (!number.empty()) body["credential_number"] = number;
    if (who == "dora") body["user_id"] = server_.person("dora").user.id;
    auto res = server_.Call(who == "dora" ? "admin" : who, "POST", "/api/v1/credentials", boost::json::serialize(body));
    EXPECT_EQ(res.status, 201) << res.body;
    return std::string(res.Json().at("id").as_string());
  }

  TestServer server_;
  std::map<std::string, std::string> ids_;
};

TEST(CsvFixturesTest, EveryFileGivesItsExpectedReport) {
  const fs::path dir = BF_CSV_TESTDATA;
  const bool record = std::getenv("BONAFIDES_RECORD_CSV") != nullptr;
  const char* only = std::getenv("BONAFIDES_CSV_CASE");
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".csv") continue;
    if (only == nullptr || entry.path().stem() == only) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  if (only == nullptr) {
    ASSERT_GE(files.size(), 17u) << "every error code of CSV.md has a fixture";
  }

  for (const fs::path& file : files) {
    const std::string name = file.stem().string();
    SCOPED_TRACE("tests/testdata/csv/" + name + ".csv");
    const fs::path expected_path = dir / (name + ".expected.json");
    ASSERT_TRUE(fs::exists(expected_path)) << "no " << expected_path;
    boost::json::object expected = boost::json::parse(ReadFile(expected_path)).as_object();

    World world;
    TestServer& server = world.server();
    if (auto* settings = expected.if_contains("settings")) {
      auto res = server.Call("admin", "PATCH", "/api/v1/settings/credentials", boost::json::serialize(*settings));
      ASSERT_EQ(res.status, 200) << res.body;
    }
    std::string csv = world.Substitute(ReadFile(file));
    if (auto* n = expected.if_contains("generate_rows")) {
      // The last line is the template: the rest is kept as it is.
      std::string body = csv.substr(0, csv.rfind('\n', csv.size() - 2) + 1);
      const std::string line = csv.substr(body.size());
      const int64_t count = n->to_number<int64_t>();
      const size_t at = line.find("${n}");
      ASSERT_NE(at, std::string::npos) << "the template line needs ${n}";
      body.reserve(body.size() + static_cast<size_t>(count) * (line.size() + 4));
      for (int64_t i = 1; i <= count; ++i) {
        body.append(line, 0, at);
        body += std::to_string(i);
        body.append(line, at + 4);
      }
      csv = std::move(body);
    }
    const std::string query = std::string(expected.at("query").as_string());
    auto res = server.Call("manager", "POST", "/api/v1/credential-imports?" + query, csv,
                           {{"Content-Type", "text/csv"}});

    boost::json::object actual;
    actual["status"] = res.status;
    actual["body"] = boost::json::parse(world.Unsubstitute(res.body));
    actual["credentials_after"] = world.CountCredentials();
    if (expected.contains("check_export")) actual["export"] = world.Export();

    if (record) {
      for (auto& [key, value] : actual) expected[key] = value;
      std::string text;
      Pretty(expected, text, 0);
      std::ofstream(expected_path, std::ios::binary) << text << "\n";
      continue;
    }
    for (const auto& [key, value] : actual) {
      ASSERT_TRUE(expected.contains(key)) << "the expected file has no \"" << key << "\"";
      EXPECT_EQ(value, expected.at(key)) << key << ": got\n" << boost::json::serialize(value);
    }
  }
}

}  // namespace
}  // namespace bf::testing
