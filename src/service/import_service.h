// Bulk upload of credentials as CSV (spec/CSV.md; API.md "Bulk upload and export"); exports are
// in export_service.h. Shared by HTTP and the command line.
//
// An import reads its file once, as a stream: pass 1 parses and validates each row against the
// organisation's users and types (loaded once into maps) and spools the rows that name a known
// user and type to an unnamed temporary file; pass 2 reads the spool back and matches each row
// to the credential it targets, in one transaction: a write transaction that writes as it goes
// when the file is valid so far and this is no dry run, else a read transaction. Any error
// means nothing is written (the write transaction rolls back). See docs/architecture.md "CSV".
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "core/result.h"
#include "domain/model.h"
#include "service/context.h"

namespace bf {

// Where an import reads its file: each call answers the next piece (valid until the next call),
// an empty piece at the end, or the error that ends the import (the client went away, the body
// is too large).
using ByteSource = std::function<Result<std::string_view>()>;
// Where an export writes: each call takes the next piece of the file. An error (the client went
// away) ends the export with that error.
using ByteSink = std::function<Status(std::string_view)>;

inline constexpr int64_t kMaxImportRows = 1'000'000;
inline constexpr size_t kMaxReportedImportErrors = 1000;

struct ImportProgress {
  enum class Phase { kReading, kMatching };  // reading and validating; matching (and writing)
  Phase phase = Phase::kReading;
  int64_t rows = 0;        // rows done in this phase
  int64_t total_rows = 0;  // rows this phase will do; 0 while reading (unknown)
  uint64_t bytes = 0;      // of the file read so far
};

struct ImportRequest {
  bool dry_run =
      false;  // validate and count only: nothing is written, the write lock is never taken
  bool approve =
      false;  // approve every version written (when approvals are on), except the importer's own
  std::optional<DateFormat> date_format;  // nullopt: the organisation's
  bool keep_rows = false;  // keep the rows, to give the report back as CSV (ImportOutcome::csv)
  // Called on the importing thread every few thousand rows and at the end of each phase.
  std::function<void(const ImportProgress&)> progress;
};

struct ImportRowError {
  int64_t row = 0;     // as a spreadsheet numbers it: the header is row 1
  std::string column;  // the column's name; "" when the error is about the whole row
  std::string code;    // one of domain/credential_csv.h csv_error
  std::string message;
};

struct ImportReport {
  int64_t rows = 0;  // data rows read (blank ones are skipped and not counted)
  // What the rows without errors do (or, when the import fails or is a dry run, would do).
  int64_t created = 0, new_versions = 0, unchanged = 0;
  int64_t approved = 0;                // versions written approved (approve=true)
  std::vector<ImportRowError> errors;  // the first kMaxReportedImportErrors, by row
  int64_t errors_truncated = 0;        // how many more there were
  bool dry_run = false;
  bool committed = false;  // the rows were written

  bool ok() const { return errors.empty(); }
};

// The uploaded rows with their errors, as a CSV file: an import_errors column first, then the
// file's own columns, in the file's separator. Errors of no data row (the header, the row past
// the limit) are lines of their own. Blank rows are left out. Re-uploading it ignores the
// import_errors column.
class ImportCsvReport {
 public:
  virtual ~ImportCsvReport() = default;
  // Writes the whole file; may be called once. Reads the import's spool files, not memory.
  virtual Status Write(const ByteSink& out) = 0;
};

struct ImportOutcome {
  ImportReport report;
  std::shared_ptr<ImportCsvReport> csv;  // when ImportRequest::keep_rows
};

// Imports and their rows since the process started, for /metrics: counted once an import,
// when it finishes with a report (an import that ends in an error of the source or the database
// counts nothing). Thread-safe (relaxed atomics).
class ImportCounters {
 public:
  // kCommitted: written. kDryRun: validated only. kRejected: no dry run, but the file had
  // errors, so nothing was written.
  enum class Mode { kCommitted, kDryRun, kRejected };
  // What a row did or, unless committed, would do; kInvalid: it had errors.
  enum class Outcome { kCreated, kNewVersion, kUnchanged, kInvalid };
  static constexpr int kModes = 3;
  static constexpr int kOutcomes = 4;

  void Count(const ImportReport& report);
  int64_t imports(Mode mode) const;
  int64_t rows(Mode mode, Outcome outcome) const;

  static const char* Name(Mode mode);        // "committed", "dry_run", "rejected"
  static const char* Name(Outcome outcome);  // "created", "new_version", "unchanged", "invalid"

 private:
  std::array<std::atomic<int64_t>, kModes> imports_{};
  std::array<std::array<std::atomic<int64_t>, kOutcomes>, kModes> rows_{};
};

class ImportService {
 public:
  explicit ImportService(ServiceContext ctx);

  // credentials.manage. The header of an upload and one example row, as CSV.
  Result<std::string> Template(const Actor& actor);

  // credentials.manage. Reads the CSV from `source` and imports it as CSV.md says. A file with
  // errors is not an error of this call: the report lists them (and nothing is written).
  // Errors are those of reading the source, of the database, and kPermissionDenied.
  Result<ImportOutcome> Import(const Actor& actor, const ImportRequest& request,
                               const ByteSource& source);

  // Who imports from the command line: nobody in particular, with every permission.
  static Actor SystemActor(const std::string& org_id);

  const ImportCounters& counters() const { return counters_; }

 private:
  ServiceContext ctx_;
  ImportCounters counters_;
};

// The id of the `sequence`-th credential an import creates at `at`: a version 7 UUID (RFC 9562)
// of the milliseconds of `at`, then `sequence` as a counter (26 bits: rand_a and the top of
// rand_b), then 48 random bits. The ids of one import sort in the order they were made, so a
// million new credentials go to the end of the id indexes instead of random places in them.
std::string ImportedCredentialId(Timestamp at, uint32_t sequence);

}  // namespace bf
