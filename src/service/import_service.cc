#include "service/import_service.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <unordered_map>

#include "core/csv.h"
#include "core/ids.h"
#include "domain/credential_csv.h"
#include "domain/permissions.h"
#include "domain/validation.h"
#include "service/activity.h"
#include "service/import_spool.h"

namespace bf {
namespace {

namespace err = csv_error;

constexpr int64_t kProgressEvery = 16384;  // rows between progress calls
constexpr size_t kFlushBytes = 64 * 1024;  // the report is written in pieces of about this size
constexpr int32_t kNoDate = std::numeric_limits<int32_t>::min();

int32_t DayNumber(Date d) { return static_cast<int32_t>(d.time_since_epoch().count()); }
Date FromDayNumber(int32_t n) { return Date(date::days(n)); }

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string WithThousands(int64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

Status RequireCredentialsManage(const Actor& actor, std::string_view what) {
  if (actor.Can(Permission::kCredentialsManage)) return Ok();
  return Forbidden(std::string(what) + " needs credentials.manage");
}

// ---- Errors ---------------------------------------------------------------------------------

// The errors of one pass, in row order: the first kMaxReportedImportErrors kept, all counted,
// and, when the report is wanted as CSV, every one also written to a spool file.
class ErrorLog {
 public:
  explicit ErrorLog(SpoolFile* all) : all_(all) {}

  void Add(int64_t row, std::string_view column, std::string_view code, std::string message) {
    ++total_;
    if (all_ != nullptr) {
      all_->PutI64(row);
      all_->PutString(column);
      all_->PutString(code);
      all_->PutString(message);
    }
    if (kept_.size() < kMaxReportedImportErrors) {
      kept_.push_back({row, std::string(column), std::string(code), std::move(message)});
    }
  }
  int64_t total() const { return total_; }
  const std::vector<ImportRowError>& kept() const { return kept_; }

 private:
  SpoolFile* all_;
  int64_t total_ = 0;
  std::vector<ImportRowError> kept_;
};

// ---- What pass 1 hands to pass 2 ------------------------------------------------------------

// The expiry rules of a row, checked in pass 1 but reported by pass 2 only for rows that write:
// an unchanged row re-imports what is stored, whatever its type says today.
enum class DateRule : uint8_t { kOk, kExpiryRequired, kExpiryNotAllowed, kExpiryBeforeIssue };

enum RowFlag : uint8_t {
  kHasId = 1,        // the row names a credential_id
  kOtherErrors = 2,  // pass 1 found errors in its dates: it is matched, never written
  kInactive = 4,     // its user is deactivated: an error unless the row is unchanged
};

// A row whose user and type are known (and whose credential_id, if any, is a UUID).
struct SpooledRow {
  int64_t row = 0;
  uint8_t flags = 0;
  DateRule rule = DateRule::kOk;
  std::string rule_message;
  uint32_t user = 0;  // index into the users loaded
  uint32_t type = 0;  // index into the types loaded
  int32_t issue = kNoDate;
  int32_t expiry = kNoDate;
  std::string number;
  std::string id;  // lower case

  void Write(SpoolFile& f) const {
    f.PutI64(row);
    f.PutU8(flags);
    f.PutU8(static_cast<uint8_t>(rule));
    f.PutU32(user);
    f.PutU32(type);
    f.PutI32(issue);
    f.PutI32(expiry);
    f.PutString(number);
    if (rule != DateRule::kOk) f.PutString(rule_message);
    if (flags & kHasId) f.PutString(id);
  }

  bool Read(SpoolFile& f) {
    uint8_t r = 0;
    if (!f.GetI64(row) || !f.GetU8(flags) || !f.GetU8(r) || !f.GetU32(user) || !f.GetU32(type) ||
        !f.GetI32(issue) || !f.GetI32(expiry) || !f.GetString(number)) {
      return false;
    }
    rule = static_cast<DateRule>(r);
    rule_message.clear();
    id.clear();
    if (rule != DateRule::kOk && !f.GetString(rule_message)) return false;
    return !(flags & kHasId) || f.GetString(id);
  }
};

// Which rows named the same credential or key: each key with the first row that named it.
// Keys are kept as 96-bit hashes in an open-addressing table (16 bytes a key, a few tens of MB
// at a million rows); two different keys share a hash with a probability near 10^-17.
class RowKeySet {
 public:
  // Room for `expected` keys without growing.
  explicit RowKeySet(size_t expected) {
    size_t slots = 1024;
    while (slots < expected * 2) slots *= 2;
    slots_.resize(slots);
  }

  // The row that added `key`, or 0.
  int64_t Find(std::string_view key) const {
    const Hash h = HashOf(key);
    const size_t mask = slots_.size() - 1;
    for (size_t i = h.h1 & mask;; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.row == 0) return 0;
      if (s.h1 == h.h1 && s.h2 == h.h2) return s.row;
    }
  }

  // The row that added `key` before; 0 after adding it now for `row`.
  int64_t FindOrAdd(std::string_view key, int64_t row) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    const Hash h = HashOf(key);
    const size_t mask = slots_.size() - 1;
    for (size_t i = h.h1 & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.row == 0) {
        s = {h.h1, h.h2,
             static_cast<uint32_t>(std::min<int64_t>(row, std::numeric_limits<uint32_t>::max()))};
        ++size_;
        return 0;
      }
      if (s.h1 == h.h1 && s.h2 == h.h2) return s.row;
    }
  }

 private:
  struct Hash {
    uint64_t h1;
    uint32_t h2;
  };

  static Hash HashOf(std::string_view key) {
    uint32_t h2 = 2166136261u;  // FNV-1a, independent of std::hash
    for (char c : key) h2 = (h2 ^ static_cast<unsigned char>(c)) * 16777619u;
    return {std::hash<std::string_view>{}(key), h2};
  }

  struct Slot {
    uint64_t h1 = 0;
    uint32_t h2 = 0;
    uint32_t row = 0;  // 0: empty (rows start at 2)
  };

  void Grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    const size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.row == 0) continue;
      size_t i = s.h1 & mask;
      while (slots_[i].row != 0) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
};

// ---- The report as CSV ----------------------------------------------------------------------

class CsvReport final : public ImportCsvReport {
 public:
  CsvReport(std::vector<std::string> header, char separator, std::unique_ptr<SpoolFile> rows,
            std::unique_ptr<SpoolFile> errors1, std::unique_ptr<SpoolFile> errors2)
      : header_(std::move(header)),
        separator_(separator),
        rows_(std::move(rows)),
        errors_{ErrorStream{std::move(errors1)}, ErrorStream{std::move(errors2)}} {}

  Status Write(const ByteSink& out) override {
    BF_RETURN_IF_ERROR(rows_->Rewind());
    for (auto& e : errors_) BF_RETURN_IF_ERROR(e.file->Rewind());
    for (auto& e : errors_) e.Next();
    std::string buffer(kUtf8Bom);
    std::vector<std::string> fields = {std::string(kImportErrorsColumn)};
    fields.insert(fields.end(), header_.begin(), header_.end());
    AppendCsvRecord(buffer, fields, separator_);
    int64_t row = 0;
    uint32_t count = 0;
    while (rows_->GetI64(row) && rows_->GetU32(count)) {
      // Errors of rows that are not data rows (the header's, a row past the limit) stand alone.
      WriteLoneErrors(buffer, row);
      fields.assign(1, ErrorsOf(row));
      fields.resize(count + 1);
      for (uint32_t i = 0; i < count; ++i) {
        if (!rows_->GetString(fields[i + 1])) return Internal("the import's row spool ended early");
      }
      AppendCsvRecord(buffer, fields, separator_);
      if (buffer.size() >= kFlushBytes) {
        BF_RETURN_IF_ERROR(out(buffer));
        buffer.clear();
      }
    }
    BF_RETURN_IF_ERROR(rows_->status());
    WriteLoneErrors(buffer, std::numeric_limits<int64_t>::max());
    for (auto& e : errors_) BF_RETURN_IF_ERROR(e.file->status());
    return out(buffer);
  }

 private:
  struct ErrorStream {
    std::unique_ptr<SpoolFile> file;
    bool has = false;
    ImportRowError next;

    void Next() {
      has = file->GetI64(next.row) && file->GetString(next.column) && file->GetString(next.code) &&
            file->GetString(next.message);
    }
  };

  static std::string Describe(const ImportRowError& e) {
    std::string text = e.column.empty() ? "" : e.column + ": ";
    return text + e.message + " (" + e.code + ")";
  }

  // The errors of `row` from both passes, as one cell.
  std::string ErrorsOf(int64_t row) {
    std::string text;
    for (auto& e : errors_) {
      while (e.has && e.next.row == row) {
        text += (text.empty() ? "" : "; ") + Describe(e.next);
        e.Next();
      }
    }
    return text;
  }

  void WriteLoneErrors(std::string& buffer, int64_t before_row) {
    for (auto& e : errors_) {
      while (e.has && e.next.row < before_row) {
        AppendCsvRecord(buffer, {"row " + std::to_string(e.next.row) + ": " + Describe(e.next)},
                        separator_);
        e.Next();
      }
    }
  }

  std::vector<std::string> header_;
  char separator_;
  std::unique_ptr<SpoolFile> rows_;
  std::array<ErrorStream, 2> errors_;
};

// ---- One import -----------------------------------------------------------------------------

class Importer {
 public:
  Importer(ServiceContext& ctx, const Actor& actor, const ImportRequest& request)
      : ctx_(ctx), actor_(actor), request_(request) {}

  Result<ImportOutcome> Run(const ByteSource& source) {
    BF_RETURN_IF_ERROR(Load());
    BF_ASSIGN_OR_RETURN(spool_, SpoolFile::Create(ctx_.options.import_spool_dir));
    if (request_.keep_rows) {
      BF_ASSIGN_OR_RETURN(raw_rows_, SpoolFile::Create(ctx_.options.import_spool_dir));
      BF_ASSIGN_OR_RETURN(raw_errors1_, SpoolFile::Create(ctx_.options.import_spool_dir));
      BF_ASSIGN_OR_RETURN(raw_errors2_, SpoolFile::Create(ctx_.options.import_spool_dir));
    }
    errors1_ = std::make_unique<ErrorLog>(raw_errors1_.get());
    errors2_ = std::make_unique<ErrorLog>(raw_errors2_.get());
    BF_RETURN_IF_ERROR(Read(source));
    BF_RETURN_IF_ERROR(Match());

    ImportOutcome outcome;
    ImportReport& report = outcome.report;
    report = counts_;
    report.dry_run = request_.dry_run;
    // Both passes list their errors by row; the first N of the merge are among the first N of
    // each.
    const auto& a = errors1_->kept();
    const auto& b = errors2_->kept();
    std::merge(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(report.errors),
               [](const ImportRowError& x, const ImportRowError& y) { return x.row < y.row; });
    if (report.errors.size() > kMaxReportedImportErrors)
      report.errors.resize(kMaxReportedImportErrors);
    report.errors_truncated =
        errors1_->total() + errors2_->total() - static_cast<int64_t>(report.errors.size());
    if (request_.keep_rows) {
      outcome.csv =
          std::make_shared<CsvReport>(std::move(header_cells_), separator_, std::move(raw_rows_),
                                      std::move(raw_errors1_), std::move(raw_errors2_));
    }
    return outcome;
  }

 private:
  // The organisation, its users by email and its types by name: once an import.
  Status Load() {
    BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
    BF_ASSIGN_OR_RETURN(auto org, uow->FindOrganization(actor_.org_id));
    if (!org) return NotFound("organization");
    org_ = std::move(*org);
    format_ = request_.date_format.value_or(org_.date_format);
    BF_ASSIGN_OR_RETURN(users_, uow->ListImportUsers(actor_.org_id));
    BF_ASSIGN_OR_RETURN(types_, uow->ListImportTypes(actor_.org_id));
    users_by_email_.reserve(users_.size());
    for (size_t i = 0; i < users_.size(); ++i) users_by_email_.emplace(Lower(users_[i].email), i);
    for (size_t i = 0; i < types_.size(); ++i) types_by_name_.emplace(Lower(types_[i].name), i);
    now_ = ctx_.clock.Now();
    return Ok();
  }

  void Progress(ImportProgress::Phase phase, int64_t rows, int64_t total) {
    if (request_.progress) request_.progress({phase, rows, total, bytes_});
  }

  // ---- Pass 1: read and validate ----------------------------------------------------------

  Status Read(const ByteSource& source) {
    CsvReader reader([this](const CsvRecord& r) { return OnRecord(r); });
    while (!reader.stopped()) {
      BF_ASSIGN_OR_RETURN(std::string_view piece, source());
      if (piece.empty()) break;
      bytes_ += piece.size();
      reader.Feed(piece);
    }
    reader.Finish();
    separator_ = reader.separator();
    if (reader.failure()) {
      errors1_->Add(reader.failure()->row, "", err::kBadCsv, reader.failure()->message);
    } else if (!header_seen_) {
      errors1_->Add(1, "", err::kBadCsv,
                    "the file is empty: it needs a header row (email, credential_type, issue_date, "
                    "expiry_date, "
                    "credential_number)");
    }
    Progress(ImportProgress::Phase::kReading, counts_.rows, counts_.rows);
    return spool_->Rewind();
  }

  bool OnRecord(const CsvRecord& r) {
    if (!header_seen_) return OnHeader(r);
    return OnRow(r);
  }

  bool OnHeader(const CsvRecord& r) {
    header_seen_ = true;
    if (!r.problem.empty()) {
      errors1_->Add(r.row, "", err::kBadCsv, r.problem);
      return false;
    }
    if (!r.too_long.empty() || r.field_count > r.fields.size()) {
      errors1_->Add(r.row, "", err::kBadCsv, "the header row is not a header: it is too long");
      return false;
    }
    std::vector<CsvHeaderProblem> problems;
    layout_ = ReadCsvHeader(r.fields, problems);
    for (CsvHeaderProblem& p : problems)
      errors1_->Add(r.row, p.column, p.code, std::move(p.message));
    if (raw_rows_) {
      for (std::string_view cell : r.fields) header_cells_.emplace_back(cell);
    }
    return problems.empty();  // a header with problems leaves the rows unreadable
  }

  // The column at field `index`, or "" when it is none an upload reads.
  std::string_view ColumnAt(size_t index) const {
    for (size_t c = 0; c < kCsvColumnCount; ++c) {
      if (layout_.index[c] == static_cast<int>(index))
        return CsvColumnName(static_cast<CsvColumn>(c));
    }
    return "";
  }

  bool OnRow(const CsvRecord& r) {
    // A row is blank when every column an upload reads is empty: blank lines, spreadsheets'
    // rows of separators, and a report's lines that carry only errors.
    bool blank = true;
    for (size_t c = 0; c < kCsvColumnCount && blank; ++c) {
      const int i = layout_.index[c];
      if (i >= 0 && static_cast<size_t>(i) < r.fields.size()) blank = IsBlank(r.fields[i]);
    }
    for (size_t i : layout_.unnamed) {
      if (i < r.fields.size()) blank = blank && IsBlank(r.fields[i]);
    }
    if (blank) return true;
    if (counts_.rows == kMaxImportRows) {
      errors1_->Add(
          r.row, "", err::kTooManyRows,
          "the file has more than " + WithThousands(kMaxImportRows) +
              " rows: split it into several files (this row and those after it were not read)");
      return false;
    }
    ++counts_.rows;
    if (counts_.rows % kProgressEvery == 0)
      Progress(ImportProgress::Phase::kReading, counts_.rows, 0);
    if (raw_rows_) {
      raw_rows_->PutI64(r.row);
      raw_rows_->PutU32(static_cast<uint32_t>(r.fields.size()));
      for (std::string_view f : r.fields) raw_rows_->PutString(f);
    }
    if (!r.problem.empty()) {
      errors1_->Add(r.row, "", err::kBadCsv, r.problem);
      return true;
    }
    if (r.field_count != layout_.width) {
      errors1_->Add(r.row, "", err::kBadCsv,
                    "the row has " + std::to_string(r.field_count) + " fields, the header " +
                        std::to_string(layout_.width));
      return true;
    }
    const int64_t errors_before = errors1_->total();
    for (size_t i : layout_.unnamed) {
      if (!IsBlank(r.fields[i])) {
        errors1_->Add(r.row, "", err::kUnknownColumn,
                      "column " + std::to_string(i + 1) + " has a value but no name in the header");
      }
    }
    ValidateRow(r, errors_before);
    return true;
  }

  static bool IsBlank(std::string_view cell) {
    return cell.find_first_not_of(" \t\r\n\f\v") == std::string_view::npos;
  }

  // `errors_before`: the count of errors before this row's (any of them keeps it from counting).
  void ValidateRow(const CsvRecord& r, int64_t errors_before) {
    const int64_t row = r.row;
    std::array<bool, kCsvColumnCount> cut{};
    for (size_t index : r.too_long) {
      std::string_view column = ColumnAt(index);
      if (column.empty()) continue;  // a column the upload ignores
      for (size_t c = 0; c < kCsvColumnCount; ++c)
        cut[c] = cut[c] || layout_.index[c] == static_cast<int>(index);
      errors1_->Add(
          row, column, err::kTooLong,
          "the value is longer than " + std::to_string(CsvLimits{}.max_field_bytes) + " bytes");
    }
    std::array<std::string, kCsvColumnCount> v;
    for (size_t c = 0; c < kCsvColumnCount; ++c) {
      if (layout_.index[c] >= 0 && !cut[c]) v[c] = CsvCellValue(r.fields[layout_.index[c]]);
    }
    // PRODUCT.md "Text": a cell holding a control character or a bidirectional override (or
    // bytes that are not UTF-8) is reported once and then treated like a cut cell.
    for (size_t c = 0; c < kCsvColumnCount; ++c) {
      if (cut[c] || v[c].empty()) continue;
      const std::string_view column = CsvColumnName(static_cast<CsvColumn>(c));
      if (Status chars = ValidateCharacters(column, v[c]); !chars) {
        errors1_->Add(row, column, err::kInvalidCharacters, chars.error().message);
        cut[c] = true;
        v[c].clear();
      }
    }
    auto value = [&](CsvColumn c) -> const std::string& { return v[static_cast<size_t>(c)]; };
    auto is_cut = [&](CsvColumn c) { return cut[static_cast<size_t>(c)]; };
    auto name = [](CsvColumn c) { return CsvColumnName(c); };

    SpooledRow out;
    out.row = row;
    bool key_ok = true;
    bool other_errors = false;

    const ImportUser* user = nullptr;
    if (is_cut(CsvColumn::kEmail)) {
      key_ok = false;
    } else if (value(CsvColumn::kEmail).empty()) {
      errors1_->Add(row, name(CsvColumn::kEmail), err::kMissingValue, "the email is empty");
      key_ok = false;
    } else if (auto it = users_by_email_.find(Lower(value(CsvColumn::kEmail)));
               it == users_by_email_.end()) {
      errors1_->Add(
          row, name(CsvColumn::kEmail), err::kUnknownUser,
          "no user of this organisation has the email " + Quoted(value(CsvColumn::kEmail)));
      key_ok = false;
    } else {
      user = &users_[it->second];
      out.user = static_cast<uint32_t>(it->second);
    }

    const ImportType* type = nullptr;
    if (is_cut(CsvColumn::kCredentialType)) {
      key_ok = false;
    } else if (value(CsvColumn::kCredentialType).empty()) {
      errors1_->Add(row, name(CsvColumn::kCredentialType), err::kMissingValue,
                    "the credential type is empty");
      key_ok = false;
    } else if (auto it = types_by_name_.find(Lower(value(CsvColumn::kCredentialType)));
               it == types_by_name_.end()) {
      errors1_->Add(row, name(CsvColumn::kCredentialType), err::kUnknownType,
                    "no credential type is named " + Quoted(value(CsvColumn::kCredentialType)) +
                        " (types are never created by an upload)");
      key_ok = false;
    } else {
      type = &types_[it->second];
      out.type = static_cast<uint32_t>(it->second);
    }

    std::optional<Date> issue;
    if (is_cut(CsvColumn::kIssueDate)) {
      other_errors = true;
    } else if (value(CsvColumn::kIssueDate).empty()) {
      errors1_->Add(row, name(CsvColumn::kIssueDate), err::kMissingValue,
                    "the issue date is empty");
      other_errors = true;
    } else if (issue = ParseDate(value(CsvColumn::kIssueDate), format_); !issue) {
      errors1_->Add(row, name(CsvColumn::kIssueDate), err::kInvalidDate,
                    NotADate(value(CsvColumn::kIssueDate)));
      other_errors = true;
    }

    std::optional<Date> expiry;
    bool expiry_ok = true;
    if (is_cut(CsvColumn::kExpiryDate)) {
      expiry_ok = false;
    } else if (!value(CsvColumn::kExpiryDate).empty()) {
      expiry = ParseDate(value(CsvColumn::kExpiryDate), format_);
      if (!expiry) {
        errors1_->Add(row, name(CsvColumn::kExpiryDate), err::kInvalidDate,
                      NotADate(value(CsvColumn::kExpiryDate)));
        expiry_ok = false;
      }
    }
    other_errors = other_errors || !expiry_ok;

    if (is_cut(CsvColumn::kCredentialNumber)) {
      key_ok = false;
    } else if (size_t length = Utf8Length(value(CsvColumn::kCredentialNumber));
               length > kMaxCredentialNumberLength) {
      errors1_->Add(row, name(CsvColumn::kCredentialNumber), err::kTooLong,
                    "the credential number has " + std::to_string(length) +
                        " characters; at most " + std::to_string(kMaxCredentialNumberLength));
      key_ok = false;
    }
    out.number = value(CsvColumn::kCredentialNumber);

    if (is_cut(CsvColumn::kCredentialId)) {
      key_ok = false;
    } else if (const std::string& id = value(CsvColumn::kCredentialId); !id.empty()) {
      if (!IsUuid(id)) {
        errors1_->Add(row, name(CsvColumn::kCredentialId), err::kUnknownCredential,
                      Quoted(id) + " is not a credential id");
        key_ok = false;
      } else {
        out.flags |= kHasId;
        out.id = Lower(id);
      }
    }

    // The expiry rules need the type and both dates.
    if (type != nullptr && issue && expiry_ok) {
      Status dates = ValidateVersionDates(type->expires, *issue, expiry);
      if (!dates) {
        const FieldError& f = dates.error().fields.front();
        out.rule = f.code == err::kExpiryRequired     ? DateRule::kExpiryRequired
                   : f.code == err::kExpiryNotAllowed ? DateRule::kExpiryNotAllowed
                                                      : DateRule::kExpiryBeforeIssue;
        out.rule_message = f.message;
      }
    }
    const bool inactive = user != nullptr && !user->active;

    if (!key_ok) {
      // Without its user, type or target the row cannot be unchanged: report everything now.
      if (out.rule != DateRule::kOk) {
        errors1_->Add(row, name(CsvColumn::kExpiryDate), RuleCode(out.rule), out.rule_message);
      }
      if (inactive)
        errors1_->Add(row, name(CsvColumn::kEmail), err::kInactiveUser, InactiveMessage(*user));
      return;
    }
    if (other_errors || errors1_->total() > errors_before) out.flags |= kOtherErrors;
    if (inactive) out.flags |= kInactive;
    if (issue) out.issue = DayNumber(*issue);
    if (expiry) out.expiry = DayNumber(*expiry);
    out.Write(*spool_);
    ++spooled_;
  }

  std::string NotADate(std::string_view text) const {
    std::string formats = "YYYY-MM-DD";
    if (format_ != DateFormat::kIso) formats += " or " + std::string(DateFormatName(format_));
    return Quoted(text) + " is not a date written " + formats;
  }

  static const char* RuleCode(DateRule rule) {
    switch (rule) {
      case DateRule::kExpiryRequired:
        return err::kExpiryRequired;
      case DateRule::kExpiryNotAllowed:
        return err::kExpiryNotAllowed;
      case DateRule::kExpiryBeforeIssue:
        return err::kExpiryBeforeIssue;
      case DateRule::kOk:
        break;
    }
    return "";
  }

  static std::string InactiveMessage(const ImportUser& user) {
    return user.email + " is deactivated: reactivate the user to add or renew their credentials";
  }

  // ---- Pass 2: match (and write) ----------------------------------------------------------

  Status Match() {
    // Writing only makes sense for a file without errors so far; a dry run never writes.
    writing_ = !request_.dry_run && errors1_->total() == 0;
    BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(writing_));
    if (writing_) {
      BF_RETURN_IF_ERROR(uow->PrepareForBulkWrite());
    }
    RowKeySet seen(static_cast<size_t>(spooled_));
    std::string key;
    SpooledRow r;
    int64_t done = 0;
    while (r.Read(*spool_)) {
      if (++done % kProgressEvery == 0) Progress(ImportProgress::Phase::kMatching, done, spooled_);
      BF_RETURN_IF_ERROR(MatchRow(*uow, r, seen, key));
    }
    BF_RETURN_IF_ERROR(spool_->status());
    Progress(ImportProgress::Phase::kMatching, done, spooled_);
    if (!writing_ || errors2_->total() > 0) return Ok();  // rolled back: nothing was written
    BF_RETURN_IF_ERROR(uow->FinishImportedWrites());

    Activity entry = NewActivity(&actor_, now_, "credential.imported", "import", NewId());
    entry.org_id = actor_.org_id;
    AddChange(entry, "rows", std::nullopt, std::to_string(counts_.rows));
    AddChange(entry, "created", std::nullopt, std::to_string(counts_.created));
    AddChange(entry, "new_versions", std::nullopt, std::to_string(counts_.new_versions));
    AddChange(entry, "unchanged", std::nullopt, std::to_string(counts_.unchanged));
    if (request_.approve)
      AddChange(entry, "approved", std::nullopt, std::to_string(counts_.approved));
    BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
    BF_RETURN_IF_ERROR(uow->Commit());
    counts_.committed = true;
    return Ok();
  }

  Status MatchRow(UnitOfWork& uow, const SpooledRow& r, RowKeySet& seen, std::string& key) {
    const int64_t errors_before = errors2_->total();
    const ImportUser& user = users_[r.user];
    const ImportType& type = types_[r.type];
    std::optional<ImportTarget> target;

    if (r.flags & kHasId) {
      key = "i" + r.id;
      if (int64_t first = seen.FindOrAdd(key, r.row)) {
        errors2_->Add(r.row, "", err::kDuplicateRow,
                      "this row targets the same credential as row " + std::to_string(first));
        return Ok();
      }
      BF_ASSIGN_OR_RETURN(target, uow.FindImportTarget(actor_.org_id, r.id));
      if (!target) {
        errors2_->Add(r.row, "credential_id", err::kUnknownCredential,
                      "no credential " + r.id + " in this organisation");
        return Ok();
      }
      if (target->user_id != user.id || target->type_id != type.id) {
        errors2_->Add(
            r.row, "credential_id", err::kUnknownCredential,
            "credential " + r.id +
                (target->user_id != user.id ? " belongs to another user" : " is of another type"));
        return Ok();
      }
    } else {
      // The key: user, type and number (case-insensitive), by position in the maps.
      key.assign(1, 'k');
      key.append(reinterpret_cast<const char*>(&r.user), sizeof r.user);
      key.append(reinterpret_cast<const char*>(&r.type), sizeof r.type);
      key.append(Lower(r.number));
      if (int64_t first = seen.Find(key)) {
        errors2_->Add(r.row, "", err::kDuplicateRow,
                      "this row has the same user, type and credential number as row " +
                          std::to_string(first));
        return Ok();
      }
      const std::string number_key = Lower(r.number);
      BF_ASSIGN_OR_RETURN(auto targets,
                          uow.FindImportTargetsByKey(actor_.org_id, user.id, type.id, number_key));
      SeeOwnWrites(targets, KeyOf(user.id, type.id, number_key));
      // A key that names no single credential is remembered as itself; one that does, as that
      // credential (below), so that a row naming it by id is a duplicate too.
      if (targets.size() != 1) seen.FindOrAdd(key, r.row);
      if (targets.size() > 1) {
        std::string ids;
        for (size_t i = 0; i < targets.size() && i < 5; ++i) ids += (i ? ", " : "") + targets[i].id;
        if (targets.size() > 5) ids += ", ...";
        errors2_->Add(r.row, "credential_number", err::kAmbiguousMatch,
                      "matches " + std::to_string(targets.size()) +
                          " credentials of this user and type (" + ids +
                          "): add credential_id to choose one");
        return Ok();
      }
      if (!targets.empty()) {
        target = std::move(targets.front());
        // A credential named by id in one row and found by key in another is one target.
        key = "i" + target->id;
        if (int64_t first = seen.FindOrAdd(key, r.row)) {
          errors2_->Add(r.row, "", err::kDuplicateRow,
                        "this row targets the same credential as row " + std::to_string(first));
          return Ok();
        }
      }
    }
    // What the row does.
    enum class Action { kCreate, kVersion, kUnchanged, kUnknown } action = Action::kUnknown;
    const bool other_errors = r.flags & kOtherErrors;
    // Without other errors a row always has its issue date.
    const Date issue = FromDayNumber(r.issue == kNoDate ? 0 : r.issue);
    const std::optional<Date> expiry =
        r.expiry == kNoDate ? std::nullopt : std::optional<Date>(FromDayNumber(r.expiry));
    if (!other_errors) {
      if (!target) {
        action = Action::kCreate;
      } else if (target->issue_date == issue && target->expiry_date == expiry &&
                 target->credential_number == r.number) {
        action = Action::kUnchanged;
      } else if (target->archived) {
        errors2_->Add(r.row, "credential_id", err::kUnknownCredential,
                      "credential " + target->id +
                          " is archived: restore it before importing a change to it");
      } else {
        action = Action::kVersion;
      }
    }
    if (action != Action::kUnchanged) {
      if (r.rule != DateRule::kOk)
        errors2_->Add(r.row, "expiry_date", RuleCode(r.rule), r.rule_message);
      if (r.flags & kInactive)
        errors2_->Add(r.row, "email", err::kInactiveUser, InactiveMessage(user));
    }
    if ((action == Action::kCreate || action == Action::kVersion) && org_.settings.media_required) {
      errors2_->Add(r.row, "", err::kMediaRequired,
                    "this organisation requires a photo or PDF with every new version, which an "
                    "upload cannot carry");
    }
    if (other_errors || errors2_->total() > errors_before) return Ok();

    switch (action) {
      case Action::kCreate:
        ++counts_.created;
        break;
      case Action::kVersion:
        ++counts_.new_versions;
        break;
      case Action::kUnchanged:
        ++counts_.unchanged;
        return Ok();
      case Action::kUnknown:
        return Ok();
    }
    if (!writing_ || errors2_->total() > 0) return Ok();

    ImportedVersion v;
    v.user_id = user.id;
    v.type_id = type.id;
    v.issue_date = issue;
    v.expiry_date = expiry;
    v.credential_number = r.number;
    v.at = now_;
    v.actor_id = actor_.user_id;
    v.approval_status = ApprovalForNewVersion(org_.settings.approvals_required);
    // Nobody approves their own credential: the importer's own rows stay pending.
    if (v.approval_status == ApprovalStatus::kPending && request_.approve &&
        user.id != actor_.user_id) {
      v.approval_status = ApprovalStatus::kApproved;
      v.approved_by = actor_.user_id;
      ++counts_.approved;
    }
    if (action == Action::kCreate) {
      v.credential_id = ImportedCredentialId(now_, static_cast<uint32_t>(created_ids_++));
      v.version = 1;
      return uow.StageImportedCredential(actor_.org_id, v);
    }
    v.credential_id = target->id;
    v.version = target->version + 1;
    if (const std::string number_key = Lower(r.number);
        number_key != Lower(target->credential_number)) {
      // The credential leaves the key it was found by for another (SeeOwnWrites).
      const std::string moved_to = KeyOf(user.id, type.id, number_key);
      moved_.emplace(target->id, moved_to);
      ImportTarget now = *target;
      now.version = v.version;
      now.issue_date = issue;
      now.expiry_date = expiry;
      now.credential_number = r.number;
      moved_in_.emplace(moved_to, std::move(now));
    }
    return uow.StageImportedVersion(actor_.org_id, v);
  }

  static std::string KeyOf(const std::string& user_id, const std::string& type_id,
                           const std::string& number_key) {
    std::string key = user_id;
    key.push_back('\0');
    key += type_id;
    key.push_back('\0');
    key += number_key;
    return key;
  }

  // Makes `targets`, found by `key`, what they are after this import's own writes so far, as
  // if the unit read its writes: the store may hold staged rows back until
  // FinishImportedWrites (ImportRepository). Only a new version that changed a credential's
  // number moves it from one key to another; a credential created by this import is never
  // found by a later row's lookup (its key is the creating row's, which makes the later row a
  // duplicate before any lookup), nor is one versioned under its own key told apart (the later
  // row names it and is a duplicate of the first). On an engine that writes at once (SQLite)
  // this changes nothing.
  void SeeOwnWrites(std::vector<ImportTarget>& targets, const std::string& key) const {
    if (moved_.empty()) return;
    std::erase_if(targets, [&](const ImportTarget& t) {
      auto it = moved_.find(t.id);
      return it != moved_.end() && it->second != key;
    });
    const auto [first, last] = moved_in_.equal_range(key);
    if (first == last) return;
    for (auto it = first; it != last; ++it) {
      const bool found = std::any_of(targets.begin(), targets.end(),
                                     [&](const ImportTarget& t) { return t.id == it->second.id; });
      if (!found) targets.push_back(it->second);
    }
    std::sort(targets.begin(), targets.end(),
              [](const ImportTarget& a, const ImportTarget& b) { return a.id < b.id; });
  }

  ServiceContext& ctx_;
  const Actor& actor_;
  const ImportRequest& request_;

  Organization org_;
  DateFormat format_ = DateFormat::kIso;
  Timestamp now_;
  std::vector<ImportUser> users_;
  std::vector<ImportType> types_;
  std::unordered_map<std::string, size_t> users_by_email_;
  std::unordered_map<std::string, size_t> types_by_name_;

  bool header_seen_ = false;
  CsvLayout layout_;
  char separator_ = ',';
  uint64_t bytes_ = 0;
  int64_t spooled_ = 0;
  bool writing_ = false;
  int64_t created_ids_ = 0;
  // The credentials this import versioned under another number, each with the key it has now
  // (user, type, number_key: KeyOf), and their new state by that key; for SeeOwnWrites.
  std::unordered_map<std::string, std::string> moved_;
  std::unordered_multimap<std::string, ImportTarget> moved_in_;
  ImportReport counts_;

  std::unique_ptr<SpoolFile> spool_;
  std::unique_ptr<SpoolFile> raw_rows_, raw_errors1_, raw_errors2_;  // for the CSV report
  std::vector<std::string> header_cells_;
  std::unique_ptr<ErrorLog> errors1_, errors2_;
};

}  // namespace

std::string ImportedCredentialId(Timestamp at, uint32_t sequence) {
  const auto ms = static_cast<uint64_t>(ToMillis(at)) & 0xFFFFFFFFFFFFull;
  const std::string random = NewId();  // its last group: 48 random bits
  char id[40];
  std::snprintf(id, sizeof id, "%08llx-%04llx-7%03x-%04x-%s",
                static_cast<unsigned long long>(ms >> 16),
                static_cast<unsigned long long>(ms & 0xFFFF), (sequence >> 14) & 0xFFFu,
                0x8000u | (sequence & 0x3FFFu), random.c_str() + 24);
  return id;
}

void ImportCounters::Count(const ImportReport& report) {
  const Mode mode = report.committed ? Mode::kCommitted
                    : report.dry_run ? Mode::kDryRun
                                     : Mode::kRejected;
  const auto m = static_cast<size_t>(mode);
  const int64_t valid = report.created + report.new_versions + report.unchanged;
  imports_[m].fetch_add(1, std::memory_order_relaxed);
  rows_[m][static_cast<size_t>(Outcome::kCreated)].fetch_add(report.created,
                                                             std::memory_order_relaxed);
  rows_[m][static_cast<size_t>(Outcome::kNewVersion)].fetch_add(report.new_versions,
                                                                std::memory_order_relaxed);
  rows_[m][static_cast<size_t>(Outcome::kUnchanged)].fetch_add(report.unchanged,
                                                               std::memory_order_relaxed);
  rows_[m][static_cast<size_t>(Outcome::kInvalid)].fetch_add(
      std::max<int64_t>(0, report.rows - valid), std::memory_order_relaxed);
}

int64_t ImportCounters::imports(Mode mode) const {
  return imports_[static_cast<size_t>(mode)].load(std::memory_order_relaxed);
}

int64_t ImportCounters::rows(Mode mode, Outcome outcome) const {
  return rows_[static_cast<size_t>(mode)][static_cast<size_t>(outcome)].load(
      std::memory_order_relaxed);
}

const char* ImportCounters::Name(Mode mode) {
  switch (mode) {
    case Mode::kCommitted:
      return "committed";
    case Mode::kDryRun:
      return "dry_run";
    case Mode::kRejected:
      return "rejected";
  }
  return "";
}

const char* ImportCounters::Name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kCreated:
      return "created";
    case Outcome::kNewVersion:
      return "new_version";
    case Outcome::kUnchanged:
      return "unchanged";
    case Outcome::kInvalid:
      return "invalid";
  }
  return "";
}

ImportService::ImportService(ServiceContext ctx) : ctx_(ctx) {}

Actor ImportService::SystemActor(const std::string& org_id) {
  return Actor{org_id, "", "bonafides import", Permissions::All()};
}

Result<std::string> ImportService::Template(const Actor& actor) {
  BF_RETURN_IF_ERROR(RequireCredentialsManage(actor, "the upload template"));
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
  BF_ASSIGN_OR_RETURN(auto types, uow->ListImportTypes(actor.org_id));
  // The example names a type of the organisation when it has one.
  std::sort(types.begin(), types.end(),
            [](const ImportType& a, const ImportType& b) { return Lower(a.name) < Lower(b.name); });
  ImportType example = types.empty() ? ImportType{"", "Driver's licence", true} : types.front();
  std::string out = CsvHeader(CsvTemplateColumns());
  AppendCsvRecord(out, {"jane.doe@example.com", example.name, "2025-02-01",
                        example.expires ? "2028-02-01" : "", example.expires ? "HRW-1234" : ""});
  return out;
}

Result<ImportOutcome> ImportService::Import(const Actor& actor, const ImportRequest& request,
                                            const ByteSource& source) {
  BF_RETURN_IF_ERROR(RequireCredentialsManage(actor, "bulk upload"));
  Importer importer(ctx_, actor, request);
  BF_ASSIGN_OR_RETURN(ImportOutcome outcome, importer.Run(source));
  counters_.Count(outcome.report);
  return outcome;
}

}  // namespace bf
