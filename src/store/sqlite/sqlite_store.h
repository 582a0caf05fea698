// The SQLite backend: the one public entry point. Only app/ and tests include this.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"
#include "store/store.h"

namespace bf {

// The page cache of a connection after UnitOfWork::PrepareForBulkWrite, in KiB
// (docs/performance.md): an import's write pass puts rows at random places of the credential
// tables' indexes, and a cache this size halves the time of a million-row commit while keeping
// the server's peak memory well under 256 MB.
inline constexpr int64_t kSqliteBulkWritePageCacheKiB = 64 * 1024;

// The page cache of each connection of a store, in KiB (SQLite's default is 2,000). A list
// request reads pages at random places of a database much larger than any cache, and every page
// the cache misses is a pread: 37.7 a request for a user's credentials with 2 MB, 23.0 with
// 16 MiB, 17.0 with 64 MiB (docs/performance.md "Read path, session 8"). Filled as pages are
// read, so an idle server holds none of it; four connections hold at most 64 MiB.
inline constexpr int64_t kSqlitePageCacheKiB = 16 * 1024;

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
