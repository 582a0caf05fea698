#include "app/copy_command.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "app/console.h"
#include "app/raw_database.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace bf {
namespace {

using SteadyClock = std::chrono::steady_clock;

// The credential counts the triggers keep (migrations/*/0005_credential_counts.sql), each as a
// query over credentials that both engines run alike, answering the table's columns in order:
// the copy checks the counts it copied against a recount of the credentials it copied.
const std::map<std::string, std::string>& Recounts() {
  static const std::map<std::string, std::string> recounts{
      {"credential_counts_by_approval",
       "SELECT org_id, type_id, archived, approval_status,"
       " CASE WHEN expiry_date IS NULL THEN 0 ELSE 1 END, count(*) FROM credentials"
       " GROUP BY org_id, type_id, archived, approval_status,"
       " CASE WHEN expiry_date IS NULL THEN 0 ELSE 1 END"},
      {"credential_counts_by_month",
       "SELECT org_id, type_id, substr(CAST(expiry_date AS text), 1, 7), count(*)"
       " FROM credentials WHERE archived = 0 AND expiry_date IS NOT NULL"
       " GROUP BY org_id, type_id, substr(CAST(expiry_date AS text), 1, 7)"},
      {"credential_counts_by_day",
       "SELECT org_id, type_id, expiry_date, count(*) FROM credentials"
       " WHERE archived = 0 AND expiry_date IS NOT NULL GROUP BY org_id, type_id, expiry_date"},
  };
  return recounts;
}

tl::unexpected<Error> Refuse(std::string reason, std::string message) {
  return Fail(ErrorCode::kInvalid, std::move(reason), std::move(message));
}

// The name the user gave, for messages: sqlite:PATH, or the URL without its password.
std::string Shown(const raw::Database& db) {
  return db.engine() == raw::Engine::kSqlite ? "sqlite:" + db.where() : db.where();
}

// The tables in an order where every table comes after the tables it references (Kahn's
// algorithm; ties by name, so the order is the same on every run).
Result<std::vector<std::string>> ParentsFirst(const raw::Schema& schema) {
  std::map<std::string, std::set<std::string>> parents;
  for (const raw::Table& t : schema.tables) parents[t.name];
  for (const auto& key : schema.foreign_keys) {
    if (key.parent != key.table && parents.count(key.parent) > 0) {
      parents[key.table].insert(key.parent);
    }
  }
  std::vector<std::string> order;
  std::set<std::string> placed;
  while (order.size() < parents.size()) {
    bool progressed = false;
    for (const auto& [table, needs] : parents) {
      if (placed.count(table) > 0) continue;
      if (std::all_of(needs.begin(), needs.end(),
                      [&](const std::string& p) { return placed.count(p) > 0; })) {
        order.push_back(table);
        placed.insert(table);
        progressed = true;
        break;
      }
    }
    if (!progressed) return Internal("the tables' foreign keys form a cycle");
  }
  return order;
}

// The source's table with its columns in the target's order (the same names, each with the
// source's type, which says how to read it). 422 "schema_mismatch" when the names differ.
Result<raw::Table> InTargetOrder(const raw::Table& source, const raw::Table& target) {
  raw::Table out{source.name, {}};
  for (const raw::Column& c : target.columns) {
    auto found = std::find_if(source.columns.begin(), source.columns.end(),
                              [&](const raw::Column& s) { return s.name == c.name; });
    if (found == source.columns.end()) {
      return Refuse("schema_mismatch",
                    "the source's table " + source.name + " has no column " + c.name);
    }
    out.columns.push_back(*found);
  }
  if (source.columns.size() != target.columns.size()) {
    return Refuse("schema_mismatch",
                  "the source's table " + source.name + " has columns the target's has not");
  }
  return out;
}

// Rolls back what is open unless released: the target's transaction, the source's snapshot.
class RollbackGuard {
 public:
  RollbackGuard(raw::Database& source, raw::Database& target) : source_(source), target_(target) {}
  ~RollbackGuard() {
    if (target_open_) (void)target_.Exec("ROLLBACK");
    if (source_open_) (void)source_.Exec("ROLLBACK");
  }
  void SourceBegun() { source_open_ = true; }
  void TargetBegun() { target_open_ = true; }
  void TargetDone() { target_open_ = false; }

 private:
  raw::Database& source_;
  raw::Database& target_;
  bool source_open_ = false;
  bool target_open_ = false;
};

// Removes a SQLite file the copy created, unless released (the copy committed).
class CreatedFile {
 public:
  explicit CreatedFile(std::string path) : path_(std::move(path)) {}
  ~CreatedFile() {
    if (path_.empty()) return;
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::filesystem::remove(path_ + suffix, ec);
    }
  }
  void Keep() { path_.clear(); }

 private:
  std::string path_;
};

class Copier {
 public:
  Copier(raw::Database& source, raw::Database& target,
         const std::function<void(const CopyProgress&)>& progress)
      : source_(source), target_(target), progress_(progress) {}

  Result<CopyReport> Run() {
    BF_RETURN_IF_ERROR(CheckVersions());
    RollbackGuard guard(source_, target_);
    // One snapshot of the source, whatever a server running on it writes meanwhile.
    BF_RETURN_IF_ERROR(source_.Exec(source_.engine() == raw::Engine::kPostgres
                                        ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                                        : "BEGIN"));
    guard.SourceBegun();
    BF_RETURN_IF_ERROR(
        target_.Exec(target_.engine() == raw::Engine::kSqlite ? "BEGIN IMMEDIATE" : "BEGIN"));
    guard.TargetBegun();

    BF_ASSIGN_OR_RETURN(source_schema_, source_.ReadSchema());
    BF_ASSIGN_OR_RETURN(target_schema_, target_.ReadSchema());
    BF_RETURN_IF_ERROR(CheckSchemas());
    BF_RETURN_IF_ERROR(CheckTargetEmpty());
    BF_ASSIGN_OR_RETURN(std::vector<std::string> order, ParentsFirst(target_schema_));

    // The source's counts, in its snapshot: what the target must hold, and the progress's total.
    std::map<std::string, int64_t> source_rows;
    for (const std::string& table : order) {
      BF_ASSIGN_OR_RETURN(source_rows[table], source_.CountRows(table));
      progress_state_.total_rows += source_rows[table];
    }

    // Every row as it is, the counts included: the triggers that keep the counts must not count
    // the copied credentials a second time. They are held for the copy (in its transaction), with
    // the secondary indexes, built once at the end; the copied counts are checked against a
    // recount after.
    for (const std::string& table : order) {
      BF_RETURN_IF_ERROR(target_.SuspendTriggersAndIndexes(table));
    }
    CopyReport report;
    for (const std::string& table : order) {
      BF_ASSIGN_OR_RETURN(int64_t written, CopyTable(table, source_rows[table]));
      report.rows += written;
    }
    const auto indexing = SteadyClock::now();
    for (const std::string& table : order) {
      BF_RETURN_IF_ERROR(target_.RestoreTriggersAndIndexes(table));
    }
    spdlog::debug("indexes and triggers restored in {:.2f} s",
                  std::chrono::duration<double>(SteadyClock::now() - indexing).count());
    for (const std::string& table : order) {
      BF_RETURN_IF_ERROR(target_.AdvanceSequences(*target_schema_.Find(table)));
    }
    std::map<std::string, bool> differs;
    for (const auto& [table, recount] : Recounts()) {
      if (target_schema_.Find(table) == nullptr) continue;
      BF_ASSIGN_OR_RETURN(differs[table], DiffersFromRecount(table, recount));
    }

    bool all_match = true;
    for (const std::string& table : order) {
      CopyReport::TableCount count{table, source_rows[table], 0, differs.count(table) > 0,
                                   differs[table]};
      BF_ASSIGN_OR_RETURN(count.target, target_.CountRows(table));
      all_match = all_match && count.matches();
      report.tables.push_back(count);
    }
    std::sort(report.tables.begin(), report.tables.end(),
              [](const auto& a, const auto& b) { return a.table < b.table; });
    report.media_files = source_rows.count("media") > 0 ? source_rows["media"] : 0;
    if (!all_match) return report;  // the guard rolls back
    BF_RETURN_IF_ERROR(target_.Exec("COMMIT"));
    guard.TargetDone();
    report.committed = true;
    if (target_.engine() == raw::Engine::kPostgres) {
      // Statistics for the planner at once, not at autovacuum's next look.
      std::string tables;
      for (const std::string& table : order)
        tables += (tables.empty() ? "" : ", ") + raw::Quote(table);
      auto analyzed = target_.Exec("ANALYZE " + tables);
      if (!analyzed) spdlog::warn("ANALYZE after the copy: {}", analyzed.error().message);
    }
    return report;
  }

 private:
  Status CheckVersions() {
    BF_ASSIGN_OR_RETURN(auto source_version, source_.SchemaVersion());
    if (!source_version) {
      return Refuse("no_database", Shown(source_) + " is not a bonafides database");
    }
    // The target was just migrated by this binary: its version is this binary's.
    BF_ASSIGN_OR_RETURN(auto own_version, target_.SchemaVersion());
    if (!own_version || *source_version != *own_version) {
      const std::string have = std::to_string(*source_version);
      const std::string want = own_version ? std::to_string(*own_version) : "?";
      return Refuse("schema_version_mismatch",
                    "the source database is at schema version " + have + " and this bonafides at " +
                        want +
                        (*source_version < own_version.value_or(0)
                             ? ": migrate the source first (bonafides migrate --database FROM)"
                             : ": copy with the bonafides that last migrated it"));
    }
    return Ok();
  }

  Status CheckSchemas() {
    for (const raw::Table& t : target_schema_.tables) {
      if (source_schema_.Find(t.name) == nullptr) {
        return Refuse("schema_mismatch", "the source database has no table " + t.name);
      }
    }
    for (const raw::Table& t : source_schema_.tables) {
      if (target_schema_.Find(t.name) == nullptr) {
        return Refuse("schema_mismatch",
                      "the source's table " + t.name + " is not in this bonafides's schema");
      }
    }
    return Ok();
  }

  Status CheckTargetEmpty() {
    BF_ASSIGN_OR_RETURN(int64_t organizations, target_.CountRows("organizations"));
    if (organizations > 0) {
      return Refuse("target_not_empty",
                    Shown(target_) + " already holds " + Thousands(organizations) +
                        (organizations == 1 ? " organisation" : " organisations") +
                        ": copy needs an empty database");
    }
    for (const raw::Table& t : target_schema_.tables) {
      BF_ASSIGN_OR_RETURN(int64_t rows, target_.CountRows(t.name));
      if (rows > 0) {
        return Refuse("target_not_empty", Shown(target_) + " is not empty (its table " + t.name +
                                              " holds rows): copy needs an empty database");
      }
    }
    return Ok();
  }

  // Streams one table from the source to the target. Returns the rows written.
  Result<int64_t> CopyTable(const std::string& name, int64_t rows) {
    const raw::Table& target_table = *target_schema_.Find(name);
    BF_ASSIGN_OR_RETURN(raw::Table source_table,
                        InTargetOrder(*source_schema_.Find(name), target_table));
    BF_ASSIGN_OR_RETURN(auto writer, target_.WriteTable(target_table));
    const auto started = SteadyClock::now();
    progress_state_.table = name;
    progress_state_.table_done = 0;
    progress_state_.table_rows = rows;
    Report(true);
    auto copy_row = [&](const raw::Row& row) -> Status {
      BF_RETURN_IF_ERROR(writer->Write(row));
      ++progress_state_.table_done;
      ++progress_state_.done;
      if ((progress_state_.done & 1023) == 0) Report(false);
      return Ok();
    };
    BF_RETURN_IF_ERROR(source_.ReadTable(source_table, copy_row));
    BF_RETURN_IF_ERROR(writer->Finish());
    Report(true);
    spdlog::debug("copied {}: {} rows in {:.2f} s", name, progress_state_.table_done,
                  std::chrono::duration<double>(SteadyClock::now() - started).count());
    return progress_state_.table_done;
  }

  // Whether the copied counts of `table` (its rows not at zero: rows that fell to zero stay)
  // differ from `recount` over the copied credentials.
  Result<bool> DiffersFromRecount(const std::string& table, const std::string& recount) {
    const raw::Table& columns = *target_schema_.Find(table);
    std::string names;
    for (const raw::Column& c : columns.columns)
      names += (names.empty() ? "" : ", ") + raw::Quote(c.name);
    BF_ASSIGN_OR_RETURN(auto copied, target_.Query("SELECT " + names + " FROM " +
                                                   raw::Quote(table) + " WHERE n <> 0"));
    BF_ASSIGN_OR_RETURN(auto counted, target_.Query(recount));
    std::sort(copied.begin(), copied.end());
    std::sort(counted.begin(), counted.end());
    spdlog::debug("{}: {} rows copied, {} counted", table, copied.size(), counted.size());
    return copied != counted;
  }

  void Report(bool now) {
    if (!progress_) return;
    const auto t = SteadyClock::now();
    if (!now && t - reported_ < std::chrono::milliseconds(100)) return;
    reported_ = t;
    progress_(progress_state_);
  }

  raw::Database& source_;
  raw::Database& target_;
  const std::function<void(const CopyProgress&)>& progress_;
  raw::Schema source_schema_, target_schema_;
  CopyProgress progress_state_;
  SteadyClock::time_point reported_{};
};

// Migrates the target as `migrate` would: the schema of this binary.
Status MigrateTarget(const raw::DatabaseUrl& url) {
  if (url.engine == raw::Engine::kPostgres) return StatusOf(MigratePostgres(url.target));
  return StatusOf(MigrateSqlite(url.target));
}

// The progress line on stderr: phase, bar, table, rows, rate and time left.
class CopyProgressBar {
 public:
  void Update(const CopyProgress& p) {
    const auto now = SteadyClock::now();
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double fraction =
        p.total_rows > 0 ? static_cast<double>(p.done) / static_cast<double>(p.total_rows) : 1.0;
    const double rate = elapsed > 0 ? static_cast<double>(p.done) / elapsed : 0;
    line_.Show("copying   " + Bar(fraction) + "  " + p.table + "  " + Thousands(p.done) + " of " +
               Thousands(p.total_rows) + " rows  " + Thousands(static_cast<int64_t>(rate)) +
               " rows/s" + TimeLeft(elapsed, fraction));
  }
  void Clear() { line_.Clear(); }

 private:
  SteadyClock::time_point start_ = SteadyClock::now();
  StatusLine line_;
};

bool SameDatabase(const raw::DatabaseUrl& a, const raw::DatabaseUrl& b) {
  if (a.engine != b.engine) return false;
  if (a.engine == raw::Engine::kPostgres) return a.target == b.target;
  std::error_code ec;
  if (std::filesystem::equivalent(a.target, b.target, ec)) return true;  // links to one file
  return std::filesystem::absolute(a.target, ec).lexically_normal() ==
         std::filesystem::absolute(b.target, ec).lexically_normal();
}

}  // namespace

CLI::App* AddCopyCommand(CLI::App& app, CopyCommandOptions& options) {
  auto* cmd = app.add_subcommand(
      "copy",
      "Copy a whole database into an empty one (SQLite to PostgreSQL or back), checking counts");
  cmd->add_option("--from", options.from,
                  "The database to copy: sqlite:PATH or a postgresql:// URL")
      ->required()
      ->envname("BONAFIDES_COPY_FROM");
  cmd->add_option("--to", options.to,
                  "The empty database to copy into (migrated first): sqlite:PATH or a "
                  "postgresql:// URL")
      ->required()
      ->envname("BONAFIDES_COPY_TO");
  return cmd;
}

Result<CopyReport> CopyDatabase(const std::string& from, const std::string& to,
                                const std::function<void(const CopyProgress&)>& progress) {
  BF_ASSIGN_OR_RETURN(raw::DatabaseUrl from_url, raw::ParseDatabaseUrl(from));
  BF_ASSIGN_OR_RETURN(raw::DatabaseUrl to_url, raw::ParseDatabaseUrl(to));
  if (SameDatabase(from_url, to_url)) {
    return Refuse("same_database", "--from and --to name the same database");
  }
  BF_ASSIGN_OR_RETURN(auto source, raw::Open(from_url, /*read_only=*/true));
  std::error_code ec;
  CreatedFile created(to_url.engine == raw::Engine::kSqlite &&
                              !std::filesystem::exists(to_url.target, ec)
                          ? to_url.target
                          : std::string());
  BF_RETURN_IF_ERROR(MigrateTarget(to_url));
  Result<CopyReport> report;
  {
    BF_ASSIGN_OR_RETURN(auto target, raw::Open(to_url, /*read_only=*/false));
    report = Copier(*source, *target, progress).Run();
  }  // closed before a created file is removed
  if (report && report->committed) created.Keep();
  return report;
}

int RunCopyCommand(const CopyCommandOptions& options) {
  auto fail = [](const std::string& message, int status = 1) {
    std::cerr << "bonafides: " << message << "\n";
    return status;
  };
  auto from = raw::ParseDatabaseUrl(options.from);
  if (!from) return fail("--from must be sqlite:PATH or a postgresql:// URL", 2);
  auto to = raw::ParseDatabaseUrl(options.to);
  if (!to) return fail("--to must be sqlite:PATH or a postgresql:// URL", 2);
  if (SameDatabase(*from, *to)) return fail("--from and --to name the same database", 2);

  std::unique_ptr<CopyProgressBar> bar;
  std::function<void(const CopyProgress&)> progress;
  if (::isatty(STDERR_FILENO)) {
    bar = std::make_unique<CopyProgressBar>();
    progress = [&bar](const CopyProgress& p) { bar->Update(p); };
  }
  const auto started = SteadyClock::now();
  auto report = CopyDatabase(options.from, options.to, progress);
  if (bar) bar->Clear();
  if (!report) return fail(report.error().message);

  std::printf("%-32s %12s %12s\n", "table", "source", "target");
  int differing = 0;
  for (const CopyReport::TableCount& t : report->tables) {
    std::string note = t.recounted ? "  checked against a recount of credentials" : "";
    if (t.content_differs) note = "  DIFFERS from a recount of the copied credentials";
    if (!t.matches() && !t.content_differs) note += "  DIFFERS";
    differing += t.matches() ? 0 : 1;
    std::printf("%-32s %12lld %12lld%s\n", t.table.c_str(), static_cast<long long>(t.source),
                static_cast<long long>(t.target), note.c_str());
  }
  std::fflush(stdout);
  if (!report->committed) {
    return fail(std::to_string(differing) + (differing == 1 ? " table differs" : " tables differ") +
                " between the source and the copy (marked DIFFERS): nothing was copied");
  }
  const double seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
  char elapsed[32];
  std::snprintf(elapsed, sizeof elapsed, "%.1f s", seconds);
  std::cerr << "copied " << Thousands(report->rows) << " rows of " << report->tables.size()
            << " tables in " << elapsed << "\n";
  if (report->media_files > 0) {
    std::cerr << "the " << Thousands(report->media_files)
              << " media files stay encrypted with the source's media key: serve the copy with "
                 "the same key (--media-key-file FILE)\n";
  }
  return 0;
}

}  // namespace bf
