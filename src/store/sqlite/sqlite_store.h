// The SQLite backend: the one public entry point. Only app/ and tests include this.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "store/store.h"

namespace bf {

struct SqliteOptions {
  int pool_size = 4;              // connections; a unit of work holds one for its lifetime
  int busy_timeout_ms = 5000;     // how long a writer waits for the write lock
  int acquire_timeout_ms = 5000;  // how long Begin waits for a free connection, then kUnavailable
};

// Opens (creating if needed) the database at `path` with WAL, foreign keys, synchronous=FULL and
// a busy timeout. Does not migrate.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, SqliteOptions options = {});

// Applies every embedded migration not yet applied, each in its own transaction together with
// its row in schema_migrations. Returns the numbers applied.
Result<std::vector<int>> MigrateSqlite(const std::string& path);

}  // namespace bf
