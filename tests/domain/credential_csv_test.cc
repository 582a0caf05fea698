#include "domain/credential_csv.h"

#include <gtest/gtest.h>

namespace bf {
namespace {

std::vector<std::string_view> Cells(const std::vector<std::string>& names) {
  return std::vector<std::string_view>(names.begin(), names.end());
}

TEST(CredentialCsvTest, HeadersMatchNamesAndAliasesIgnoringCaseAndSpaces) {
  struct Case {
    std::string cell;
    CsvColumn column;
  };
  const Case cases[] = {
      {"email", CsvColumn::kEmail},
      {" User Email ", CsvColumn::kEmail},
      {"USER", CsvColumn::kEmail},
      {"Email Address", CsvColumn::kEmail},
      {"credential_type", CsvColumn::kCredentialType},
      {"Credential Type", CsvColumn::kCredentialType},
      {"type", CsvColumn::kCredentialType},
      {"issue_date", CsvColumn::kIssueDate},
      {"Issue  Date", CsvColumn::kIssueDate},
      {"issued", CsvColumn::kIssueDate},
      {"Date of issue", CsvColumn::kIssueDate},
      {"expiry_date", CsvColumn::kExpiryDate},
      {"Expiration Date", CsvColumn::kExpiryDate},
      {"expires", CsvColumn::kExpiryDate},
      {"Expiry", CsvColumn::kExpiryDate},
      {"credential_number", CsvColumn::kCredentialNumber},
      {"Licence Number", CsvColumn::kCredentialNumber},
      {"license-number", CsvColumn::kCredentialNumber},
      {"number", CsvColumn::kCredentialNumber},
      {"credential_id", CsvColumn::kCredentialId},
  };
  for (const Case& c : cases) {
    std::vector<CsvHeaderProblem> problems;
    // Every required column, with the one under test in place of its own.
    std::vector<std::string> header = {"email", "credential_type", "issue_date"};
    if (c.column <= CsvColumn::kIssueDate) {
      header[static_cast<size_t>(c.column)] = c.cell;
    } else {
      header.push_back(c.cell);
    }
    CsvLayout layout = ReadCsvHeader(Cells(header), problems);
    EXPECT_TRUE(problems.empty()) << c.cell << ": " << (problems.empty() ? "" : problems[0].message);
    EXPECT_TRUE(layout.Has(c.column)) << c.cell;
  }
}

TEST(CredentialCsvTest, ExportColumnsAreIgnoredAndOthersAreErrors) {
  std::vector<CsvHeaderProblem> problems;
  std::vector<std::string> header(CsvExportColumns().begin(), CsvExportColumns().end());
  header.insert(header.begin(), "import_errors");
  CsvLayout layout = ReadCsvHeader(Cells(header), problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(layout.width, 13u);
  EXPECT_EQ(layout.At(CsvColumn::kEmail), 1);
  EXPECT_EQ(layout.At(CsvColumn::kCredentialId), 6);

  problems.clear();
  ReadCsvHeader(Cells({"Email", "Type", "Issued", "Emial", "", "issue date"}), problems);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].code, "unknown_column");
  EXPECT_EQ(problems[0].column, "Emial");
  EXPECT_EQ(problems[1].code, "bad_csv");
  EXPECT_EQ(problems[1].message, "the column issue_date appears twice");
  // An empty header cell is an unnamed column (spreadsheets add them), not a problem.
  problems.clear();
  CsvLayout trailing = ReadCsvHeader(Cells({"email", "type", "issued", " "}), problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(trailing.unnamed, (std::vector<size_t>{3}));

  problems.clear();
  CsvLayout partial = ReadCsvHeader(Cells({"email", "number"}), problems);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].code, "missing_column");
  EXPECT_EQ(problems[0].column, "credential_type");
  EXPECT_EQ(problems[1].column, "issue_date");
  EXPECT_FALSE(partial.Has(CsvColumn::kExpiryDate));
}

TEST(CredentialCsvTest, CellsAreTrimmedAndUnescaped) {
  EXPECT_EQ(CsvCellValue("  a@b.c "), "a@b.c");
  EXPECT_EQ(CsvCellValue(" '-123 "), "-123");
  EXPECT_EQ(CsvCellValue("'=1+2"), "=1+2");
  EXPECT_EQ(CsvCellValue("''x"), "'x");
  EXPECT_EQ(CsvCellValue("'x"), "'x");
  EXPECT_EQ(CsvCellValue(""), "");
}

}  // namespace
}  // namespace bf
