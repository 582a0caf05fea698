// `bonafides copy --from DATABASE --to DATABASE`: copies one whole database into an empty one,
// SQLite to PostgreSQL or back (API.md, "Command line"), the way an organisation moves from a
// laptop to a cluster, and the way a PostgreSQL database is restored into a file to test a backup.
//
// What moves: every row of every table of the schema (schema_migrations aside: the target is
// migrated by this binary), read from one snapshot of the source and written in one transaction
// on the target, parents before children. Values keep their bytes: ids, timestamps, password
// hashes, the hashes of sessions and API tokens (so signed-in browsers and scripts keep working
// against the copy), and media — stored encrypted under the media key, which is not in the
// database: the copy's servers need the same key file.
//
// The sign-in throttle's failures (login_failures, migration 0007) are copied as well, though they
// are transient counters. Chosen rather than dropped: a move or a restore made while someone is
// guessing passwords keeps the accounts and addresses they had throttled throttled, instead of
// handing them a fresh count; the rows hold only hashes (no email or address in clear); those
// older than the throttle's window (15 minutes) count for nothing and are deleted as new failures
// arrive. And the rule stays without exceptions: every row of every table, every count checked.
//
// Which tables: those of the catalog, not a list kept here, so a table a later migration adds is
// copied without a change to this file; a table the source has and this binary's schema has not,
// or the other way round, is refused by name (422 "schema_mismatch") before anything is written.
//
// The credential counts (credential_counts_by_*) are copied as they are too, while the target's
// triggers that keep them are held (in the copy's transaction: ALTER TABLE … DISABLE TRIGGER USER
// on PostgreSQL, which needs the role that owns the target's tables; dropped and created again on
// SQLite), so that the copied credentials are not counted a second time; then the copied counts
// are checked against a recount of the copied credentials. Identity sequences on PostgreSQL are
// moved past the copied ids.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"

namespace bf {

struct CopyCommandOptions {
  std::string from;  // sqlite:PATH or postgresql://…
  std::string to;
};

// Adds the `copy` subcommand and returns it.
CLI::App* AddCopyCommand(CLI::App& app, CopyCommandOptions& options);

// How far a copy is: `table` being written, its rows so far of `table_rows`, every table's rows
// so far of `total_rows`.
struct CopyProgress {
  std::string table;
  int64_t table_done = 0;
  int64_t table_rows = 0;
  int64_t done = 0;
  int64_t total_rows = 0;
};

struct CopyReport {
  struct TableCount {
    std::string table;
    int64_t source = 0;
    int64_t target = 0;
    bool recounted = false;        // a count of credentials, checked against a recount
    bool content_differs = false;  // recounted, and the copied counts differ from the recount
    bool matches() const { return source == target && !content_differs; }
  };
  std::vector<TableCount> tables;  // by name
  int64_t rows = 0;                // rows written
  int64_t media_files = 0;
  bool committed = false;  // false: some table differs, and nothing was written
};

// Copies `from` into `to` (both as --database takes them). Migrates the target first; refuses
// (422 "target_not_empty") a target that holds any row, (422 "schema_version_mismatch") a source
// whose newest migration is not this binary's, and (422 "no_database") a source that is not a
// bonafides database. When the row counts differ, or the copied credential counts from a recount,
// rolls back and returns the report with `committed` false. `progress` is called now and then while
// rows are written. A SQLite target file that did not exist is removed again when the copy fails.
Result<CopyReport> CopyDatabase(const std::string& from, const std::string& to,
                                const std::function<void(const CopyProgress&)>& progress = {});

// Runs the command: a progress bar on stderr when it is a terminal, the table of row counts on
// stdout, a summary on stderr. Returns the exit status: 0 copied, 1 refused or failed (one line on
// stderr), 2 for a usage error.
int RunCopyCommand(const CopyCommandOptions& options);

}  // namespace bf
