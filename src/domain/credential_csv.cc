#include "domain/credential_csv.h"

#include "core/csv.h"
#include "domain/validation.h"

namespace bf {
namespace {

struct Alias {
  std::string_view name;  // normalised: lower case, words separated by one space
  std::optional<CsvColumn> column;  // nullopt: accepted and ignored
};

// CSV.md "Columns", normalised as NormaliseHeader does.
constexpr Alias kAliases[] = {
    {"email", CsvColumn::kEmail},
    {"user email", CsvColumn::kEmail},
    {"user", CsvColumn::kEmail},
    {"email address", CsvColumn::kEmail},
    {"credential type", CsvColumn::kCredentialType},
    {"type", CsvColumn::kCredentialType},
    {"issue date", CsvColumn::kIssueDate},
    {"issued", CsvColumn::kIssueDate},
    {"date of issue", CsvColumn::kIssueDate},
    {"expiry date", CsvColumn::kExpiryDate},
    {"expiration date", CsvColumn::kExpiryDate},
    {"expires", CsvColumn::kExpiryDate},
    {"expiry", CsvColumn::kExpiryDate},
    {"credential number", CsvColumn::kCredentialNumber},
    {"licence number", CsvColumn::kCredentialNumber},
    {"license number", CsvColumn::kCredentialNumber},
    {"number", CsvColumn::kCredentialNumber},
    {"credential id", CsvColumn::kCredentialId},
    {"expiry status", std::nullopt},
    {"approval status", std::nullopt},
    {"version", std::nullopt},
    {"archived", std::nullopt},
    {"user name", std::nullopt},
    {"updated at", std::nullopt},
    {"import errors", std::nullopt},
};

constexpr CsvColumn kRequired[] = {CsvColumn::kEmail, CsvColumn::kCredentialType, CsvColumn::kIssueDate};

// Lower case, '_' and '-' as spaces, runs of spaces as one, none at either end.
std::string NormaliseHeader(std::string_view cell) {
  std::string out;
  bool space = false;
  for (char c : Lower(Trim(cell))) {
    if (c == '_' || c == '-' || c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::string_view CsvColumnName(CsvColumn column) {
  switch (column) {
    case CsvColumn::kEmail: return "email";
    case CsvColumn::kCredentialType: return "credential_type";
    case CsvColumn::kIssueDate: return "issue_date";
    case CsvColumn::kExpiryDate: return "expiry_date";
    case CsvColumn::kCredentialNumber: return "credential_number";
    case CsvColumn::kCredentialId: return "credential_id";
  }
  return "";
}

const std::vector<std::string_view>& CsvExportColumns() {
  static const std::vector<std::string_view> columns = {
      "email",         "credential_type", "issue_date", "expiry_date", "credential_number",
      "credential_id", "expiry_status",   "approval_status", "version", "archived",
      "user_name",     "updated_at"};
  return columns;
}

const std::vector<std::string_view>& CsvTemplateColumns() {
  static const std::vector<std::string_view> columns = {"email", "credential_type", "issue_date", "expiry_date",
                                                        "credential_number"};
  return columns;
}

CsvLayout ReadCsvHeader(const std::vector<std::string_view>& cells, std::vector<CsvHeaderProblem>& problems) {
  CsvLayout layout;
  layout.width = cells.size();
  std::vector<std::string> seen;  // normalised names of the columns read so far
  for (size_t i = 0; i < cells.size(); ++i) {
    const std::string name = NormaliseHeader(cells[i]);
    const Alias* match = nullptr;
    for (const Alias& alias : kAliases) {
      if (alias.name == name) match = &alias;
    }
    if (name.empty()) {
      layout.unnamed.push_back(i);
      continue;
    }
    if (match == nullptr) {
      const std::string shown = Trim(cells[i]);
      problems.push_back({shown, "unknown_column", "unknown column \"" + shown + "\" (a misspelt header would drop its data)"});
      continue;
    }
    const std::string canonical =
        match->column ? std::string(CsvColumnName(*match->column)) : NormaliseHeader(match->name);
    bool repeated = false;
    for (const std::string& s : seen) repeated = repeated || s == canonical;
    if (repeated) {
      problems.push_back({Trim(cells[i]), "bad_csv", "the column " + canonical + " appears twice"});
      continue;
    }
    seen.push_back(canonical);
    if (match->column) layout.index[static_cast<size_t>(*match->column)] = static_cast<int>(i);
  }
  for (CsvColumn c : kRequired) {
    if (!layout.Has(c)) {
      problems.push_back({std::string(CsvColumnName(c)), "missing_column",
                          "the file has no " + std::string(CsvColumnName(c)) + " column"});
    }
  }
  return layout;
}

std::string CsvCellValue(std::string_view cell) {
  const std::string trimmed = Trim(cell);
  return std::string(UnescapeFormula(trimmed));
}

}  // namespace bf
