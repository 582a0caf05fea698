#include "app/import_command.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <vector>

#include "app/console.h"
#include "core/clock.h"
#include "core/ids.h"
#include "http/import_handlers.h"
#include "service/services.h"

namespace bf {
namespace {

using Clock = std::chrono::steady_clock;

// A one-line progress bar on stderr, redrawn at most ten times a second: the phase, how far
// it is, rows, rows per second and the time left in the phase.
class ProgressBar {
 public:
  ProgressBar(uint64_t file_bytes, bool dry_run) : file_bytes_(file_bytes), dry_run_(dry_run) {}

  void Update(const ImportProgress& p) {
    const auto now = Clock::now();
    if (p.phase != phase_) {
      phase_ = p.phase;
      phase_start_ = now;
    }
    const bool final = p.phase == ImportProgress::Phase::kMatching && p.rows == p.total_rows;
    if (!final && now - drawn_ < std::chrono::milliseconds(100)) return;
    drawn_ = now;
    // How far: bytes of the file while reading (when its size is known), rows while matching.
    double fraction = -1;
    if (p.phase == ImportProgress::Phase::kReading && file_bytes_ > 0) {
      fraction = static_cast<double>(p.bytes) / static_cast<double>(file_bytes_);
    } else if (p.phase == ImportProgress::Phase::kMatching && p.total_rows > 0) {
      fraction = static_cast<double>(p.rows) / static_cast<double>(p.total_rows);
    }
    const double elapsed = std::chrono::duration<double>(now - phase_start_).count();
    const double rate = elapsed > 0 ? static_cast<double>(p.rows) / elapsed : 0;
    std::string line = p.phase == ImportProgress::Phase::kReading
                           ? "reading   "
                           : (dry_run_ ? "checking  " : "writing   ");
    if (fraction >= 0) line += Bar(fraction) + "  ";
    line += Thousands(p.rows) + " rows  " + Thousands(static_cast<int64_t>(rate)) + " rows/s" +
            TimeLeft(elapsed, fraction);
    line_.Show(line);
  }

  void Clear() { line_.Clear(); }

 private:
  uint64_t file_bytes_;
  bool dry_run_;
  ImportProgress::Phase phase_ = ImportProgress::Phase::kReading;
  Clock::time_point phase_start_ = Clock::now();
  Clock::time_point drawn_{};
  StatusLine line_;
};

}  // namespace

CLI::App* AddImportCommand(CLI::App& app, ImportCommandOptions& options) {
  auto* cmd =
      app.add_subcommand("import", "Bulk upload of credentials from a CSV file (spec/CSV.md)");
  cmd->add_option("FILE", options.file, "The CSV file ('-': standard input)")->required();
  cmd->add_option("--org", options.org, "Organisation id")->required()->envname("BONAFIDES_ORG");
  cmd->add_flag("--dry-run", options.dry_run, "Check the file and report, writing nothing");
  cmd->add_flag("--approve", options.approve,
                "Approve every version written (when approvals are on)");
  cmd->add_option(
         "--date-format", options.date_format,
         "Dates besides YYYY-MM-DD: DD/MM/YYYY or MM/DD/YYYY (default: the organisation's)")
      ->check(CLI::IsMember({"YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY"}));
  return cmd;
}

int RunImportCommand(Store& store, const std::string& spool_dir,
                     const ImportCommandOptions& options) {
  auto fail = [](const std::string& message) {
    std::cerr << "bonafides: " << message << "\n";
    return 1;
  };
  {
    auto uow = store.Begin(false);
    if (!uow) return fail(uow.error().message);
    auto org = IsUuid(options.org) ? (*uow)->FindOrganization(options.org)
                                   : Result<std::optional<Organization>>(std::nullopt);
    if (!org) return fail(org.error().message);
    if (!*org) return fail("no organisation " + options.org);
  }

  std::FILE* file = options.file == "-" ? stdin : std::fopen(options.file.c_str(), "rb");
  if (file == nullptr) return fail("cannot open " + options.file);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(file == stdin ? nullptr : file,
                                                         &std::fclose);
  std::error_code ec;
  uint64_t file_bytes = 0;
  if (options.file != "-" && std::filesystem::is_regular_file(options.file, ec)) {
    file_bytes = std::filesystem::file_size(options.file, ec);
  }

  SystemClock clock;
  ServiceOptions service_options;
  service_options.import_spool_dir = spool_dir;
  Services services(ServiceContext{store, clock, service_options});

  ImportRequest request;
  request.dry_run = options.dry_run;
  request.approve = options.approve;
  if (!options.date_format.empty()) request.date_format = ParseDateFormat(options.date_format);
  std::unique_ptr<ProgressBar> bar;
  if (::isatty(STDERR_FILENO)) {
    bar = std::make_unique<ProgressBar>(file_bytes, options.dry_run);
    request.progress = [&bar](const ImportProgress& p) { bar->Update(p); };
  }

  std::vector<char> buffer(1 << 20);
  bool read_error = false;
  ByteSource source = [&]() -> Result<std::string_view> {
    const size_t n = std::fread(buffer.data(), 1, buffer.size(), file);
    if (n == 0 && std::ferror(file)) {
      read_error = true;
      return Fail(ErrorCode::kInternal, "read_failed", "cannot read " + options.file);
    }
    return std::string_view(buffer.data(), n);
  };

  auto outcome = services.imports.Import(ImportService::SystemActor(options.org), request, source);
  if (bar) bar->Clear();
  if (!outcome) {
    const Error& e = outcome.error();
    return fail(read_error || e.detail.empty() ? e.message : e.message + " (" + e.detail + ")");
  }
  const ImportReport& report = outcome->report;
  std::cout << boost::json::serialize(http::ImportReportJson(report)) << "\n";
  const std::string counts = Thousands(report.rows) + " rows: " + Thousands(report.created) +
                             " created, " + Thousands(report.new_versions) + " new versions, " +
                             Thousands(report.unchanged) + " unchanged";
  if (!report.ok()) {
    const int64_t errors = static_cast<int64_t>(report.errors.size()) + report.errors_truncated;
    std::cerr << "bonafides: the file has " << Thousands(errors)
              << (errors == 1 ? " error" : " errors")
              << " (listed on stdout): nothing was imported\n";
    return 1;
  }
  std::cerr << (report.dry_run ? "dry run, nothing written: " : "imported ") << counts << "\n";
  return 0;
}

}  // namespace bf
