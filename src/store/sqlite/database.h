// Connections, statements and the connection pool of the SQLite backend.
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "sqlite_store.h"
#include "store/pool_counters.h"

namespace bf::sqlite {

class Connection;

// A prepared statement borrowed from its connection's cache; reset on destruction.
// Bind indexes start at 1, column indexes at 0 (as in SQLite's C API).
class Stmt {
 public:
  Stmt(Connection* conn, sqlite3_stmt* stmt) : conn_(conn), stmt_(stmt) {}
  Stmt(Stmt&& other) noexcept : conn_(other.conn_), stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  Stmt& Bind(int i, std::string_view v);
  Stmt& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, int64_t v);
  Stmt& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Stmt& Bind(int i, bool v) { return Bind(i, static_cast<int64_t>(v ? 1 : 0)); }
  Stmt& Bind(int i, std::nullopt_t);
  Stmt& Bind(int i, const std::optional<std::string>& v);
  Stmt& Bind(int i, const std::optional<int64_t>& v);
  // Binds NULL for an empty string (optional foreign keys).
  Stmt& BindOrNull(int i, const std::string& v);
  // Binds bytes as a BLOB (Bind binds TEXT).
  Stmt& BindBlob(int i, std::string_view v);

  // Advances to the next row: true with a row, false when done.
  Result<bool> Step();
  // Runs a statement that returns no rows.
  Status Run();
  // Rows changed by the last Run.
  int64_t Changes() const;

  std::string Text(int col) const;
  std::optional<std::string> OptText(int col) const;
  // A BLOB (or any) column's bytes.
  std::string Blob(int col) const;
  int64_t Int(int col) const;
  std::optional<int64_t> OptInt(int col) const;
  bool IsNull(int col) const;

 private:
  Connection* conn_;
  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  static Result<std::unique_ptr<Connection>> Open(const std::string& path,
                                                  const SqliteOptions& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A statement for `sql`, prepared once per connection and cached. `sql` must be a constant
  // (its address is not used; its text is the cache key).
  Result<Stmt> Prepare(std::string_view sql);
  // Runs one or more statements without parameters (schema, migrations).
  Status Exec(const std::string& sql);
  // Runs one statement without parameters or rows, prepared once and cached (BEGIN, COMMIT):
  // sqlite3_exec would parse it again on every transaction.
  Status Run(std::string_view sql);
  // The error for the connection's last failure, mapped: constraint violations to kConflict,
  // busy/locked to kUnavailable, anything else to kInternal.
  Error LastError(std::string_view context) const;
  sqlite3* handle() { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  // Looked up by string_view, so that a cached statement costs no copy of its text.
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  std::unordered_map<std::string, sqlite3_stmt*, TextHash, std::equal_to<>> cache_;
};

// A fixed set of connections. Thread-safe. Counts its acquisitions, waits and timeouts in
// ProcessPoolCounters() (store/pool_counters.h).
class Pool {
 public:
  Pool(std::vector<std::unique_ptr<Connection>> conns, int acquire_timeout_ms);
  // Every connection must have been released.
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // A connection, waiting up to the acquire timeout; kUnavailable after it.
  Result<Connection*> Acquire();
  void Release(Connection* conn);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> all_;
  std::vector<Connection*> free_;
  int acquire_timeout_ms_;
};

}  // namespace bf::sqlite
