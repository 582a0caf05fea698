// `bonafides import FILE --org ID [--dry-run] [--approve] [--date-format F]`: the bulk upload of
// CSV.md from the command line, with a progress bar on a terminal and the API's report on
// stdout.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "store/store.h"

namespace bf {

struct ImportCommandOptions {
  std::string file;  // "-": standard input
  std::string org;
  bool dry_run = false;
  bool approve = false;
  std::string date_format;  // "": the organisation's
};

// Adds the `import` subcommand (without the database options, which main adds) and returns it.
CLI::App* AddImportCommand(CLI::App& app, ImportCommandOptions& options);

// Runs the import as the system (no user) of `options.org`, spooling next to `spool_dir`.
// Prints the report (JSON) on stdout, a summary on stderr, and a progress bar on stderr when it
// is a terminal. Returns the exit status: 0 imported (or a clean dry run), 1 when the file has
// errors or the import failed, 2 for a usage error.
int RunImportCommand(Store& store, const std::string& spool_dir,
                     const ImportCommandOptions& options);

}  // namespace bf
