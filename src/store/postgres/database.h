// Connections, statements and the connection pool of the PostgreSQL backend (libpq).
//
// Statements keep SQLite's shape so that both backends read alike: written with `?N` (or bare
// `?`) placeholders, turned into `$N` when prepared, bound by 1-based index, read by 0-based
// column. Parameters go as text (bytes as binary); the server infers each parameter's type from
// its use, so a statement casts a parameter whose use does not say (`$1::text`).
#pragma once

#include <libpq-fe.h>

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
#include "postgres_store.h"
#include "store/pool_counters.h"

namespace bf::postgres {

class Connection;

// A prepared statement with its bound values; runs at the first Step or Run.
class Stmt {
 public:
  Stmt(Connection* conn, std::string name, int params)
      : conn_(conn), name_(std::move(name)), values_(params), formats_(params, 0) {}
  Stmt(Stmt&& other) noexcept;
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
  // Binds bytes (bytea), sent in binary.
  Stmt& BindBlob(int i, std::string_view v);

  // Runs the statement at the first call; then advances to the next row: true with a row.
  Result<bool> Step();
  // Runs a statement, ignoring any rows.
  Status Run();
  // Runs a statement whose failure the caller expects and handles (a unique name taken, a row
  // still referenced): inside a savepoint, so that the failure leaves the unit of work usable,
  // as on SQLite. PostgreSQL otherwise aborts the whole transaction at the first error.
  Status RunGuarded();
  // Rows changed by the statement (after Run or Step).
  int64_t Changes() const;

  std::string Text(int col) const;
  std::optional<std::string> OptText(int col) const;
  // A bytea column's bytes.
  std::string Blob(int col) const;
  // An integer column; a boolean reads as 1 or 0.
  int64_t Int(int col) const;
  std::optional<int64_t> OptInt(int col) const;
  bool IsNull(int col) const;

 private:
  Status Execute();

  Connection* conn_;
  std::string name_;
  std::vector<std::optional<std::string>> values_;
  std::vector<int> formats_;
  PGresult* result_ = nullptr;
  int row_ = -1;
  bool ran_ = false;
};

class Connection {
 public:
  static Result<std::unique_ptr<Connection>> Open(const std::string& conninfo,
                                                  const PostgresOptions& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A statement for `sql`, prepared once per connection session and cached by its text.
  Result<Stmt> Prepare(std::string_view sql);
  // Runs one or more statements without parameters (schema, migrations, BEGIN).
  Status Exec(const std::string& sql);
  Status Run(std::string_view sql) { return Exec(std::string(sql)); }
  // The error of a failed result, mapped by SQLSTATE: unique and foreign-key violations to
  // kConflict, serialization failures, deadlocks, lock and statement timeouts and lost
  // connections to kUnavailable, anything else to kInternal. Remembers the SQLSTATE and the
  // constraint's name for ConstraintError.
  Error ErrorOf(const PGresult* result, std::string_view context);
  const std::string& last_sqlstate() const { return last_sqlstate_; }
  void set_last_sqlstate(std::string sqlstate) { last_sqlstate_ = std::move(sqlstate); }
  // False once the server closed the connection (restart, network): the pool replaces it.
  bool Healthy() const { return PQstatus(pg_) == CONNECTION_OK; }
  // Connects again (after a server restart); the prepared statements are gone with the session.
  Status Reset();
  PGconn* handle() { return pg_; }

 private:
  Connection(PGconn* pg, PostgresOptions options) : pg_(pg), options_(options) {}
  Status Configure();

  PGconn* pg_;
  PostgresOptions options_;
  std::string last_sqlstate_;
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  // SQL text → (statement name, number of parameters).
  std::unordered_map<std::string, std::pair<std::string, int>, TextHash, std::equal_to<>> cache_;
};

// A fixed number of connections. Thread-safe. A connection found broken when it is acquired is
// connected again before it is lent (so a server restart costs the requests in flight, not the
// process). Counts in ProcessPoolCounters() like SQLite's pool.
class Pool {
 public:
  Pool(std::vector<std::unique_ptr<Connection>> conns, int acquire_timeout_ms);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  Result<Connection*> Acquire();
  void Release(Connection* conn);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> all_;
  std::vector<Connection*> free_;
  int acquire_timeout_ms_;
};

// `sql` with SQLite's placeholders (`?N`, or bare `?` counted from 1) written as `$N`, outside
// quoted text; `params` gets the highest number.
std::string NumberPlaceholders(std::string_view sql, int* params);

}  // namespace bf::postgres
