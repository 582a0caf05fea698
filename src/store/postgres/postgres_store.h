// The PostgreSQL backend: the one public entry point. Only app/ and tests include this.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/store.h"

namespace bf {

struct PostgresOptions {
  // Connections; a unit of work holds one for its lifetime. The same default as SQLite's pool:
  // a request holds a connection for one short transaction, so a few serve many threads.
  int pool_size = 4;
  int acquire_timeout_ms = 5000;  // how long Begin waits for a free connection, then kUnavailable
  int statement_timeout_ms = 30000;  // the server cancels a statement that runs longer (503)
  int lock_timeout_ms = 5000;        // a statement waits this long for a row lock, then 503
};

// Connects `pool_size` connections to `conninfo` (a postgresql:// URL or libpq key=value
// string). Does not migrate. kUnavailable when the server cannot be reached.
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& conninfo,
                                                 PostgresOptions options = {});

// Applies every embedded migration not yet applied, each in its own transaction together with
// its row in schema_migrations, under a session advisory lock: of several nodes starting at
// once, one migrates and the others wait and find nothing left to do. Refuses (kUnavailable
// "schema_too_new") a database whose schema is newer than this binary knows. Returns the
// numbers applied.
Result<std::vector<int>> MigratePostgres(const std::string& conninfo);

// True for a --database value naming PostgreSQL (postgresql:// or postgres://).
bool IsPostgresUrl(const std::string& database);

}  // namespace bf
