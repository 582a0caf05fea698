// Bulk upload and export by CSV over real sockets: who may, dry runs and all-or-nothing
// commits, approvals, the report as CSV, multipart bodies, exports that re-import unchanged, the
// activity log as CSV, and large inputs. The error codes, file by file, are in
// csv_fixtures_test.cc.
#include <gtest/gtest.h>

#include "core/csv.h"
#include "core/ids.h"
#include "service/import_service.h"
#include "support/test_server.h"

namespace bf::testing {
namespace {

constexpr char kHeader[] = "email,credential_type,issue_date,expiry_date,credential_number\n";

// The records of a CSV file, as strings.
std::vector<std::vector<std::string>> ParseCsv(std::string_view text) {
  std::vector<std::vector<std::string>> rows;
  CsvReader reader([&](const CsvRecord& r) {
    rows.emplace_back(r.fields.begin(), r.fields.end());
    return true;
  });
  reader.Feed(text);
  reader.Finish();
  EXPECT_FALSE(reader.failure()) << reader.failure()->message;
  return rows;
}

class ImportsApiTest : public ::testing::Test {
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

  HttpResult Import(const std::string& csv, const std::string& query = "", const std::string& who = "manager",
                    const std::string& type = "text/csv") {
    return server_.Call(who, "POST", "/api/v1/credential-imports" + (query.empty() ? "" : "?" + query), csv,
                        {{"Content-Type", type}});
  }

  HttpResult Export(const std::string& query = "archived=all") {
    return server_.Call("manager", "GET", "/api/v1/credentials/export.csv?" + query);
  }

  // Credentials of org A, archived included.
  size_t Count() { return ParseCsv(Export().body).size() - 1; }

  size_t ImportEntries() {
    auto res = server_.Call("admin", "GET", "/api/v1/activity?action=credential.imported");
    EXPECT_EQ(res.status, 200) << res.body;
    return res.Json().at("items").as_array().size();
  }

  std::string Create(const std::string& who, const std::string& body) {
    auto res = server_.Call(who, "POST", "/api/v1/credentials", body);
    EXPECT_EQ(res.status, 201) << res.body;
    return std::string(res.Json().at("id").as_string());
  }

  TestServer server_;
  std::string licence_, induction_;
};

TEST_F(ImportsApiTest, TheTemplateIsAHeaderAndOneExampleRow) {
  auto res = server_.Call("manager", "GET", "/api/v1/credential-imports/template.csv");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.Header("content-type"), "text/csv; charset=utf-8");
  EXPECT_NE(res.Header("content-disposition").find("attachment"), std::string::npos);
  auto rows = ParseCsv(res.body);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"email", "credential_type", "issue_date", "expiry_date",
                                               "credential_number"}));
  EXPECT_EQ(rows[1][1], "Driver's licence");  // a type of the organisation
  EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/credential-imports/template.csv").status, 403);
  EXPECT_EQ(server_.Call("", "GET", "/api/v1/credential-imports/template.csv").status, 401);
}

TEST_F(ImportsApiTest, WhoMayImportAndWhatTheyMaySend) {
  const std::string csv = std::string(kHeader) + "alice@a.example,Driver's licence,2026-01-01,2031-01-01,D1\n";
  EXPECT_EQ(Import(csv, "", "alice").status, 403);
  EXPECT_EQ(Import(csv, "", "").status, 401);
  EXPECT_EQ(Import(csv, "", "manager", "application/json").status, 415);
  EXPECT_EQ(Import(csv, "dry_run=maybe").Code(), "invalid_parameter");
  EXPECT_EQ(Import(csv, "date_format=YY/MM/DD").Code(), "invalid_parameter");
  EXPECT_EQ(Import(csv, "format=xml").Code(), "invalid_parameter");
  EXPECT_EQ(Import(csv, "limit=5").Code(), "unknown_parameter");
  // What browsers call a .csv file on Windows is accepted too.
  EXPECT_EQ(Import(csv, "dry_run=true", "manager", "application/vnd.ms-excel").status, 200);
  EXPECT_EQ(Count(), 0u);
}

TEST_F(ImportsApiTest, ADryRunReportsEverythingAndWritesNothing) {
  const std::string csv = std::string(kHeader) +
                          "alice@a.example,Driver's licence,2026-01-01,2031-01-01,D1\n"
                          "bob@a.example,Driver's licence,2026-01-01,2025-01-01,D2\n";
  auto res = Import(csv, "dry_run=true");
  ASSERT_EQ(res.status, 200) << res.body;
  auto report = res.Json();
  EXPECT_EQ(report.at("rows"), 2);
  EXPECT_EQ(report.at("created"), 1);
  EXPECT_EQ(report.at("dry_run"), true);
  EXPECT_EQ(report.at("committed"), false);
  EXPECT_EQ(report.at("errors").as_array().size(), 1u);
  EXPECT_EQ(Count(), 0u);
  EXPECT_EQ(ImportEntries(), 0u);
  // Also without errors.
  auto clean = Import(std::string(kHeader) + "alice@a.example,Driver's licence,2026-01-01,2031-01-01,D1\n", "dry_run=true");
  EXPECT_EQ(clean.Json().at("created"), 1);
  EXPECT_EQ(Count(), 0u);
  EXPECT_EQ(ImportEntries(), 0u);
}

TEST_F(ImportsApiTest, ACommitWithOneBadRowWritesNothing) {
  Create("alice", R"({"type_id":")" + licence_ + R"(","issue_date":"2024-01-01","expiry_date":"2029-01-01","credential_number":"OLD"})");
  std::string csv = kHeader;
  for (int i = 0; i < 500; ++i) {
    csv += "bob@a.example,Driver's licence,2026-01-01,2031-01-01,B" + std::to_string(i) + "\n";
  }
  csv += "alice@a.example,Driver's licence,2026-01-01,2031-01-01,OLD\n";  // a new version
  csv += "bob@a.example,Driver's licence,2026-13-01,2031-01-01,LAST\n";   // the one bad row
  auto res = Import(csv);
  ASSERT_EQ(res.status, 422) << res.body.substr(0, 500);
  EXPECT_EQ(res.Header("content-type"), "application/problem+json");
  auto problem = res.Json();
  EXPECT_EQ(problem.at("status"), 422);
  EXPECT_EQ(problem.at("code"), "invalid_rows");
  EXPECT_EQ(problem.at("rows"), 502);
  EXPECT_EQ(problem.at("created"), 500);
  EXPECT_EQ(problem.at("new_versions"), 1);
  EXPECT_EQ(problem.at("committed"), false);
  ASSERT_EQ(problem.at("errors").as_array().size(), 1u);
  EXPECT_EQ(problem.at("errors").at(0), (boost::json::value{{"row", 503},
                                                            {"column", "issue_date"},
                                                            {"code", "invalid_date"},
                                                            {"message", "\"2026-13-01\" is not a date written YYYY-MM-DD"}}));
  EXPECT_EQ(Count(), 1u);
  EXPECT_EQ(ImportEntries(), 0u);
  auto alice = server_.Call("alice", "GET", "/api/v1/credentials").Json().at("items").at(0);
  EXPECT_EQ(alice.at("version"), 1);

  // Fixed, the same file goes in whole, with one activity entry carrying the counts.
  csv.replace(csv.find("2026-13-01"), 10, "2026-12-01");
  auto fixed = Import(csv);
  ASSERT_EQ(fixed.status, 200) << fixed.body.substr(0, 500);
  EXPECT_EQ(fixed.Json().at("committed"), true);
  EXPECT_EQ(Count(), 502u);
  alice = server_.Call("alice", "GET", "/api/v1/credentials").Json().at("items").at(0);
  EXPECT_EQ(alice.at("version"), 2);
  EXPECT_EQ(alice.at("issue_date"), "2026-01-01");
  EXPECT_EQ(alice.at("updated_by").at("name"), "Max Manager");
  auto entries = server_.Call("admin", "GET", "/api/v1/activity?action=credential.imported").Json().at("items");
  ASSERT_EQ(entries.as_array().size(), 1u);
  EXPECT_EQ(entries.at(0).at("actor").at("name"), "Max Manager");
  EXPECT_EQ(entries.at(0).at("changes"),
            (boost::json::value{{{"field", "rows"}, {"old", nullptr}, {"new", "502"}},
                                {{"field", "created"}, {"old", nullptr}, {"new", "501"}},
                                {{"field", "new_versions"}, {"old", nullptr}, {"new", "1"}},
                                {{"field", "unchanged"}, {"old", nullptr}, {"new", "0"}}}));
  // The ETag of a credential that gained a version changed.
  EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/credentials/" + std::string(alice.at("id").as_string())).Header("etag"),
            "\"2\"");
}

TEST_F(ImportsApiTest, ApproveApprovesEveryImportedVersionButTheImportersOwn) {
  ASSERT_EQ(server_.Call("admin", "PATCH", "/api/v1/settings/credentials", J(R"({"approvals_required":true})")).status, 200);
  const std::string csv = std::string(kHeader) +
                          "alice@a.example,Driver's licence,2026-01-01,2031-01-01,A1\n"
                          "manager@a.example,Driver's licence,2026-01-01,2031-01-01,M1\n";
  auto res = Import(csv, "approve=true");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.Json().at("approved"), 1);
  auto alice = server_.Call("alice", "GET", "/api/v1/credentials").Json().at("items").at(0);
  EXPECT_EQ(alice.at("approval_status"), "approved");
  auto versions = server_.Call("alice", "GET", "/api/v1/credentials/" + std::string(alice.at("id").as_string()) + "/versions");
  EXPECT_EQ(versions.Json().at("items").at(0).at("approved_by").at("name"), "Max Manager");
  auto own = server_.Call("manager", "GET", "/api/v1/credentials?user_id=" + server_.person("manager").user.id);
  EXPECT_EQ(own.Json().at("items").at(0).at("approval_status"), "pending");
  // Without approve, versions wait for a decision.
  auto pending = Import(std::string(kHeader) + "bob@a.example,Driver's licence,2026-01-01,2031-01-01,B1\n");
  ASSERT_EQ(pending.status, 200);
  EXPECT_EQ(server_.Call("bob", "GET", "/api/v1/credentials").Json().at("items").at(0).at("approval_status"), "pending");
}

TEST_F(ImportsApiTest, AnExportReimportsUnchanged) {
  // Values that need quoting, formula escapes, archived credentials, no numbers, no expiry.
  ASSERT_EQ(server_.Call("admin", "PATCH", "/api/v1/users/" + server_.person("bob").user.id,
                         J(R"({"name":"=Bob, \"the\" Builder"})")).status, 200);
  Create("alice", R"({"type_id":")" + licence_ + R"(","issue_date":"2024-01-01","expiry_date":"2029-01-01","credential_number":"-12, \"x\""})");
  Create("alice", R"({"type_id":")" + induction_ + R"(","issue_date":"2024-01-01"})");
  std::string archived = Create("bob", R"({"type_id":")" + licence_ + R"(","issue_date":"2020-01-01","expiry_date":"2021-01-01","credential_number":"@old"})");
  ASSERT_EQ(server_.Call("bob", "POST", "/api/v1/credentials/" + archived + "/archive").status, 200);
  Create("bob", R"({"type_id":")" + licence_ + R"(","issue_date":"2024-01-01","expiry_date":"2029-01-01","credential_number":"'quoted"})");
  Create("bob", R"({"type_id":")" + licence_ + R"(","issue_date":"2024-01-01","expiry_date":"2029-01-01"})");
  std::string csv = kHeader;
  for (int i = 0; i < 1200; ++i) {  // more than two pages of the export
    csv += "admin@a.example,Driver's licence,2025-01-01,2030-01-01,N" + std::to_string(i) + "\n";
  }
  ASSERT_EQ(Import(csv).status, 200);
  // A deactivated holder's credentials are exported and re-import unchanged too.
  ASSERT_EQ(server_.Call("admin", "PATCH", "/api/v1/users/" + server_.person("bob").user.id,
                         J(R"({"status":"deactivated"})")).status, 200);

  auto exported = Export();
  ASSERT_EQ(exported.status, 200);
  EXPECT_EQ(exported.Header("transfer-encoding"), "chunked");
  EXPECT_EQ(exported.body.substr(0, 3), "\xEF\xBB\xBF");
  auto rows = ParseCsv(exported.body);
  ASSERT_EQ(rows.size(), 1206u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"email", "credential_type", "issue_date", "expiry_date",
                                               "credential_number", "credential_id", "expiry_status",
                                               "approval_status", "version", "archived", "user_name",
                                               "updated_at"}));
  // Cells that a spreadsheet would run as formulas are escaped.
  bool escaped_name = false, escaped_number = false;
  for (const auto& row : rows) {
    escaped_name = escaped_name || row[10] == "'=Bob, \"the\" Builder";
    escaped_number = escaped_number || row[4] == "'-12, \"x\"";
  }
  EXPECT_TRUE(escaped_name);
  EXPECT_TRUE(escaped_number);

  const std::string before = Export().body;
  auto again = Import(exported.body);
  ASSERT_EQ(again.status, 200) << again.body.substr(0, 1000);
  auto report = again.Json();
  EXPECT_EQ(report.at("rows"), 1205);
  EXPECT_EQ(report.at("unchanged"), 1205);
  EXPECT_EQ(report.at("created"), 0);
  EXPECT_EQ(report.at("new_versions"), 0);
  EXPECT_EQ(Export().body, before) << "nothing changed, not even updated_at";
}

TEST_F(ImportsApiTest, ExportsTakeTheListFilters) {
  Create("alice", R"({"type_id":")" + licence_ + R"(","issue_date":"2024-01-01","expiry_date":"2029-01-01"})");
  Create("alice", R"({"type_id":")" + induction_ + R"(","issue_date":"2024-01-01"})");
  Create("bob", R"({"type_id":")" + licence_ + R"(","issue_date":"2020-01-01","expiry_date":"2021-01-01"})");
  EXPECT_EQ(ParseCsv(Export("type_id=" + licence_).body).size(), 3u);
  EXPECT_EQ(ParseCsv(Export("user_id=" + server_.person("alice").user.id).body).size(), 3u);
  EXPECT_EQ(ParseCsv(Export("expiry_status=expired").body).size(), 2u);
  EXPECT_EQ(ParseCsv(Export("expiry_status=no_expiry&sort=-updated_at").body).size(), 2u);
  EXPECT_EQ(Export("limit=5").Code(), "unknown_parameter");
  EXPECT_EQ(Export("sort=sideways").Code(), "invalid_parameter");
  EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/credentials/export.csv").status, 403);
  EXPECT_EQ(server_.Call("other_admin", "GET", "/api/v1/credentials/export.csv").body.find("alice"), std::string::npos);
}

TEST_F(ImportsApiTest, TheActivityLogExportsAsCsv) {
  ASSERT_EQ(Import(std::string(kHeader) + "alice@a.example,Driver's licence,2026-01-01,2031-01-01,D1\n").status, 200);
  auto res = server_.Call("manager", "GET", "/api/v1/activity.csv");
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.Header("content-type"), "text/csv; charset=utf-8");
  auto rows = ParseCsv(res.body);
  ASSERT_GE(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"id", "at", "actor_id", "actor_name", "action", "entity", "entity_id",
                                               "subject_user_id", "subject_user_name", "credential_id", "version",
                                               "changes"}));
  EXPECT_EQ(rows[1][4], "credential.imported");  // newest first
  EXPECT_EQ(rows[1][3], "Max Manager");
  EXPECT_EQ(rows[1][11], "rows: 1; created: 1; new_versions: 0; unchanged: 0");
  auto filtered = ParseCsv(server_.Call("manager", "GET", "/api/v1/activity.csv?action=credential_type.created").body);
  EXPECT_EQ(filtered.size(), 3u);
  EXPECT_EQ(server_.Call("manager", "GET", "/api/v1/activity.csv?cursor=x").Code(), "unknown_parameter");
  EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/activity.csv").status, 403);
}

TEST_F(ImportsApiTest, TheReportComesAsCsvWithTheRowsAndTheirErrors) {
  const std::string csv = "Email;Type;Issued;Expires;Number;Notes\n"
                          "alice@a.example;Driver's licence;2026-01-01;2031-01-01;=1+2;\n"
                          "nobody@a.example;Driver's licence;2026-01-01;2031-01-01;X;\n";
  auto res = Import(csv, "format=csv");
  // The header has an unknown column: only the header is reported.
  ASSERT_EQ(res.status, 422);
  auto rows = ParseCsv(res.body);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "import_errors");
  EXPECT_NE(rows[1][0].find("unknown column \"Notes\""), std::string::npos) << rows[1][0];

  const std::string fixed = "Email;Type;Issued;Expires;Number\n"
                            "alice@a.example;Driver's licence;2026-01-01;2031-01-01;=1+2\n"
                            "nobody@a.example;Driver's licence;2026-01-01;2031-01-01;X\n";
  res = Import(fixed, "format=csv&dry_run=true");
  ASSERT_EQ(res.status, 200);
  EXPECT_EQ(res.Header("x-import-rows"), "2");
  EXPECT_EQ(res.Header("x-import-errors"), "1");
  EXPECT_EQ(res.Header("x-import-created"), "1");
  EXPECT_EQ(res.body.find("import_errors;Email;Type;Issued;Expires;Number\r\n"), 3u) << "the upload's separator, after a BOM";
  rows.clear();
  CsvReader reader([&](const CsvRecord& r) {
    rows.emplace_back(r.fields.begin(), r.fields.end());
    return true;
  });
  reader.Feed(res.body);
  reader.Finish();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1], (std::vector<std::string>{"", "alice@a.example", "Driver's licence", "2026-01-01", "2031-01-01", "'=1+2"}));
  EXPECT_EQ(rows[2][0], "email: no user of this organisation has the email \"nobody@a.example\" (unknown_user)");
  // The report goes back in as it is: its import_errors column is ignored.
  auto again = Import(res.body, "dry_run=true");
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(again.Json().at("rows"), 2);
  EXPECT_EQ(again.Json().at("created"), 1);
  EXPECT_EQ(again.Json().at("errors").at(0).at("code"), "unknown_user");
}

TEST_F(ImportsApiTest, MultipartBodiesCarryTheFileInTheFieldFile) {
  const std::string boundary = "----bonafides-boundary";
  auto multipart = [&](const std::string& field, const std::string& content) {
    return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nignored\r\n--" + boundary +
           "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"c.csv\"\r\nContent-Type: text/csv\r\n\r\n" +
           content + "\r\n--" + boundary + "--\r\n";
  };
  const std::string csv = std::string(kHeader) + "alice@a.example,Driver's licence,2026-01-01,2031-01-01,D1\n";
  auto res = Import(multipart("file", csv), "", "manager", "multipart/form-data; boundary=" + boundary);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.Json().at("created"), 1);
  EXPECT_EQ(Count(), 1u);
  auto missing = Import(multipart("upload", csv), "", "manager", "multipart/form-data; boundary=" + boundary);
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(missing.FieldCode(), "required");
  EXPECT_EQ(Count(), 1u);
}

TEST_F(ImportsApiTest, ATenMegabyteFieldIsTooLongAndTheRestIsRead) {
  std::string csv = kHeader;
  csv += "alice@a.example,Driver's licence,2026-01-01,2031-01-01,\"" + std::string(10 * 1024 * 1024, 'n') + "\"\n";
  csv += "bob@a.example,Driver's licence,2026-01-01,2031-01-01,B1\n";
  auto res = Import(csv, "dry_run=true");
  ASSERT_EQ(res.status, 200) << res.body.substr(0, 300);
  auto report = res.Json();
  EXPECT_EQ(report.at("rows"), 2);
  EXPECT_EQ(report.at("created"), 1);
  ASSERT_EQ(report.at("errors").as_array().size(), 1u);
  EXPECT_EQ(report.at("errors").at(0).at("row"), 2);
  EXPECT_EQ(report.at("errors").at(0).at("column"), "credential_number");
  EXPECT_EQ(report.at("errors").at(0).at("code"), "too_long");
}

TEST(ImportedCredentialIdTest, TimeOrderedUuidsThatSortAsTheyWereMade) {
  const Timestamp at = *ParseTimestamp("2026-11-29T08:00:00.000Z");
  std::string previous;
  for (uint32_t i : {0u, 1u, 2u, 16383u, 16384u, 1000000u, (1u << 26) - 1}) {
    const std::string id = ImportedCredentialId(at, i);
    EXPECT_TRUE(IsUuid(id)) << id;
    EXPECT_EQ(id[14], '7') << "version 7: " << id;
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << "RFC 9562 variant: " << id;
    EXPECT_EQ(id.substr(0, 13), "01a22651-6c00") << "the milliseconds of the import: " << id;
    EXPECT_LT(previous, id);
    previous = id;
  }
  EXPECT_NE(ImportedCredentialId(at, 5), ImportedCredentialId(at, 5)) << "48 random bits";
}

}  // namespace
}  // namespace bf::testing
