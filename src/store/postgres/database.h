// Connections, statements and the connection pool of the PostgreSQL backend (libpq).
//
// Statements keep SQLite's shape so that both backends read alike: written with `?N` (or bare
// `?`) placeholders, turned into `$N` when prepared, bound by 1-based index, read by 0-based
// column. Parameters go as text (bytes as binary); the server infers each parameter's type from
// its use, so a statement casts a parameter whose use does not say (`$1::text`).
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "postgres_store.h"
#include "store/sql/pool.h"
#include "store/sql/statement.h"

namespace bf::postgres {

class Connection;

// A prepared statement of a connection (sql::Statement), cached by it, with the values bound
// for its next run; runs at the first Step or Run. Parameters go as text (bytes as binary).
class Statement final : public sql::Statement {
 public:
  // `text`: the statement with `$N` placeholders, prepared as `name` (EnsurePrepared).
  Statement(Connection* conn, std::string name, std::string text, int params)
      : conn_(conn),
        name_(std::move(name)),
        text_(std::move(text)),
        values_(params),
        formats_(params, 0) {}
  ~Statement() override;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void BindText(int i, std::string_view v) override;
  void BindInt(int i, int64_t v) override;
  void BindNull(int i) override;
  // Bytes (bytea), sent in binary.
  void BindBlob(int i, std::string_view v) override;
  Result<bool> Step() override;
  Status Run() override;
  // Inside a savepoint: PostgreSQL otherwise aborts the whole transaction at the first error.
  Status RunGuarded() override;
  int64_t Changes() const override;
  bool IsNull(int col) const override;
  std::string Text(int col) const override;
  std::string_view TextView(int col) const override;
  // A bytea column's bytes.
  std::string Blob(int col) const override;
  // An integer column; a boolean reads as 1 or 0.
  int64_t Int(int col) const override;
  void Reset() override;

  // Prepares the statement in the connection's session, unless it is prepared there already (a
  // session the connection opened again after a server restart has none).
  Status EnsurePrepared();

 private:
  Status Execute();
  Status ExecuteOnce();

  Connection* conn_;
  std::string name_;
  std::string text_;
  int64_t prepared_in_session_ = -1;  // the Connection::session() it was prepared in
  std::vector<std::optional<std::string>> values_;
  std::vector<int> formats_;
  PGresult* result_ = nullptr;
  int row_ = -1;
  bool ran_ = false;
};

using Stmt = sql::Stmt;

class Connection final : public sql::Connection {
 public:
  static Result<std::unique_ptr<Connection>> Open(const std::string& conninfo,
                                                  const PostgresOptions& options);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A statement for `sql`, prepared once per connection session and cached by its text.
  Result<Stmt> Prepare(std::string_view sql) override;
  // Runs one or more statements without parameters (schema, migrations, BEGIN).
  Status Exec(const std::string& sql) override;
  Status Run(std::string_view sql) override { return Exec(std::string(sql)); }
  // From the SQLSTATE of the last failure: 23505 unique, 23503 foreign key.
  sql::Constraint LastConstraint() const override;
  // The error of a failed result, mapped by SQLSTATE: unique and foreign-key violations to
  // kConflict, serialization failures, deadlocks, lock and statement timeouts and lost
  // connections to kUnavailable, anything else to kInternal. Remembers the SQLSTATE for
  // LastConstraint.
  Error ErrorOf(const PGresult* result, std::string_view context);
  const std::string& last_sqlstate() const { return last_sqlstate_; }
  void set_last_sqlstate(std::string sqlstate) { last_sqlstate_ = std::move(sqlstate); }
  // False once the server closed the connection (restart, network): the pool replaces it.
  bool Healthy() const { return PQstatus(pg_) == CONNECTION_OK; }
  // Connects again (after a server restart). The prepared statements are gone with the old
  // session; the cached ones are prepared again at their next use. A pending BEGIN stays pending.
  Status Reset();
  // Counts the server sessions of this connection: Reset starts a new one.
  int64_t session() const { return session_; }

  // Begins a transaction with `begin` (a BEGIN statement, a string literal) sent together with
  // the next statement or command, in one round trip instead of two. Until it is sent no
  // transaction has begun, so the statement that sends it may find the connection dead (the
  // server restarted since it was last used), connect again and run once more.
  void BeginWithNext(const char* begin, bool read_only) {
    pending_begin_ = begin;
    BeganTransaction(read_only);
  }
  bool begin_pending() const { return pending_begin_ != nullptr; }
  // Forgets a BEGIN never sent: a unit that ran nothing has no transaction to end.
  void DropPendingBegin() { pending_begin_ = nullptr; }
  // Runs the prepared statement `name`; after the pending BEGIN, if there is one, in one
  // pipeline (libpq's pipeline mode). The statement's result, which the caller clears.
  Result<PGresult*> ExecPrepared(const std::string& name, int params, const char* const* values,
                                 const int* lengths, const int* formats);
  // Runs `attempt`, and once more on a new session if it failed on a connection found dead
  // while a BEGIN was pending (nothing of the transaction had reached the server).
  template <typename F>
  auto RetryIfGoneBeforeBegin(F attempt) -> decltype(attempt()) {
    const bool first = begin_pending();
    auto done = attempt();
    if (done || !first || !begin_pending() || Healthy()) return done;
    BF_RETURN_IF_ERROR(Reset());
    return attempt();
  }
  // For the pool, before it lends the connection: reads the result SendWithoutWaiting left,
  // then connects again a connection found broken.
  Status Revive();
  // Sends `sql` (a string literal: ROLLBACK) and returns without its result, which Revive reads
  // when the pool next lends the connection: a read ends without a round trip of its own, and
  // its answer goes out while the server ends the transaction. A failure is only logged.
  void SendWithoutWaiting(const char* sql);
  PGconn* handle() { return pg_; }

 private:
  Connection(PGconn* pg, PostgresOptions options) : pg_(pg), options_(options) {}
  Status Configure();
  Result<PGresult*> BeginAndExecPrepared(const std::string& name, int params,
                                         const char* const* values, const int* lengths,
                                         const int* formats);
  PGconn* pg_;
  PostgresOptions options_;
  const char* pending_begin_ = nullptr;
  const char* unread_ = nullptr;  // the command SendWithoutWaiting sent, until Revive reads it
  int64_t session_ = 0;
  std::string last_sqlstate_;
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  std::unordered_map<std::string, std::unique_ptr<Statement>, TextHash, std::equal_to<>> cache_;
};

// A fixed number of connections (store/sql/pool.h). A connection found broken when it is
// acquired is connected again before it is lent. Counts in ProcessPoolCounters() like SQLite's.
using Pool = sql::Pool<Connection>;

// `sql` with SQLite's placeholders (`?N`, or bare `?` counted from 1) written as `$N`, outside
// quoted text; `params` gets the highest number.
std::string NumberPlaceholders(std::string_view sql, int* params);

}  // namespace bf::postgres
