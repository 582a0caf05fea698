// The credential CSV format of spec/CSV.md: its columns, the aliases an upload may use in its
// header, how a cell becomes a value, and the error codes of a bulk upload. Pure: no I/O.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bf {

// The columns an upload reads. Others of the export (expiry_status, approval_status, version,
// archived, user_name, updated_at) and a report's import_errors column are accepted and ignored.
enum class CsvColumn {
  kEmail,
  kCredentialType,
  kIssueDate,
  kExpiryDate,
  kCredentialNumber,
  kCredentialId
};
inline constexpr size_t kCsvColumnCount = 6;

// "email", "credential_type", ...
std::string_view CsvColumnName(CsvColumn column);

// The column a report of an upload adds (first) to the rows it gives back.
inline constexpr std::string_view kImportErrorsColumn = "import_errors";

// The header of an export: the columns of CSV.md, then the export's own.
const std::vector<std::string_view>& CsvExportColumns();
// The header of the template: the five columns a new row uses.
const std::vector<std::string_view>& CsvTemplateColumns();

// Where each upload column is in a file, from its header.
struct CsvLayout {
  std::array<int, kCsvColumnCount> index;  // -1: the file has no such column
  size_t width = 0;                        // fields in the header
  std::vector<size_t> unnamed;             // columns with an empty header cell: must stay empty

  CsvLayout() { index.fill(-1); }
  bool Has(CsvColumn c) const { return index[static_cast<size_t>(c)] >= 0; }
  int At(CsvColumn c) const { return index[static_cast<size_t>(c)]; }
};

// One problem of a header: `column` is the cell as written (unknown_column, a repeated column)
// or the missing column's name.
struct CsvHeaderProblem {
  std::string column;
  std::string code;  // unknown_column, missing_column, bad_csv (a column named twice)
  std::string message;
};

// Reads a header: each cell is matched against the column names and their aliases, ignoring
// case, surrounding spaces, and the difference between '_', '-' and spaces. Unknown cells,
// repeated columns and missing required columns (email, credential_type, issue_date) are
// problems; the layout is usable only without them. An empty cell (spreadsheets add them after
// the last column) names an unnamed column, whose cells must then be empty.
CsvLayout ReadCsvHeader(const std::vector<std::string_view>& cells,
                        std::vector<CsvHeaderProblem>& problems);

// A cell as a value: surrounding spaces trimmed, then the formula escape of an export removed
// (UnescapeFormula).
std::string CsvCellValue(std::string_view cell);

// The error codes of CSV.md "Errors", media_required (see docs/architecture.md "CSV") and
// invalid_characters (PRODUCT.md "Text").
namespace csv_error {
inline constexpr char kBadCsv[] = "bad_csv";
inline constexpr char kUnknownColumn[] = "unknown_column";
inline constexpr char kMissingColumn[] = "missing_column";
inline constexpr char kMissingValue[] = "missing_value";
inline constexpr char kUnknownUser[] = "unknown_user";
inline constexpr char kInactiveUser[] = "inactive_user";
inline constexpr char kUnknownType[] = "unknown_type";
inline constexpr char kInvalidDate[] = "invalid_date";
inline constexpr char kExpiryBeforeIssue[] = "expiry_before_issue";
inline constexpr char kExpiryNotAllowed[] = "expiry_not_allowed";
inline constexpr char kExpiryRequired[] = "expiry_required";
inline constexpr char kTooLong[] = "too_long";
inline constexpr char kDuplicateRow[] = "duplicate_row";
inline constexpr char kUnknownCredential[] = "unknown_credential";
inline constexpr char kAmbiguousMatch[] = "ambiguous_match";
inline constexpr char kTooManyRows[] = "too_many_rows";
inline constexpr char kMediaRequired[] = "media_required";
inline constexpr char kInvalidCharacters[] = "invalid_characters";
}  // namespace csv_error

}  // namespace bf
