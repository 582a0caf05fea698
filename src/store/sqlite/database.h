// Connections, statements and the connection pool of the SQLite backend.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "sqlite_store.h"
#include "store/sql/pool.h"
#include "store/sql/statement.h"

namespace bf::sqlite {

class Connection;

// A statement prepared on a connection and cached by it (sql::Statement); used through a
// sql::Stmt, which resets it (sqlite3_reset, sqlite3_clear_bindings) when done.
class Statement final : public sql::Statement {
 public:
  Statement(Connection* conn, sqlite3_stmt* stmt) : conn_(conn), stmt_(stmt) {}
  ~Statement() override;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void BindText(int i, std::string_view v) override;
  void BindInt(int i, int64_t v) override;
  void BindNull(int i) override;
  void BindBlob(int i, std::string_view v) override;
  Result<bool> Step() override;
  Status Run() override;
  // SQLite undoes a failed statement by itself and the transaction goes on: a plain Run.
  Status RunGuarded() override { return Run(); }
  int64_t Changes() const override;
  bool IsNull(int col) const override;
  std::string Text(int col) const override;
  std::string_view TextView(int col) const override;
  std::string Blob(int col) const override;
  int64_t Int(int col) const override;
  void Reset() override;

 private:
  Connection* conn_;
  sqlite3_stmt* stmt_;
};

using Stmt = sql::Stmt;

class Connection final : public sql::Connection {
 public:
  static Result<std::unique_ptr<Connection>> Open(const std::string& path,
                                                  const SqliteOptions& options);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // A statement for `sql`, prepared once per connection (SQLITE_PREPARE_PERSISTENT) and cached
  // by its text.
  Result<Stmt> Prepare(std::string_view sql) override;
  Status Exec(const std::string& sql) override;
  // Prepared once and cached (BEGIN, COMMIT): sqlite3_exec would parse it again on every
  // transaction.
  Status Run(std::string_view sql) override;
  // From the extended result code of the last failure.
  sql::Constraint LastConstraint() const override;
  // The error for the connection's last failure, mapped: constraint violations to kConflict,
  // busy/locked to kUnavailable, anything else to kInternal.
  Error LastError(std::string_view context) const;
  // For the pool: a SQLite connection never goes away.
  Status Revive() { return Ok(); }
  sqlite3* handle() { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  // Looked up by string_view, so that a cached statement costs no copy of its text.
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  std::unordered_map<std::string, std::unique_ptr<Statement>, TextHash, std::equal_to<>> cache_;
};

// A fixed set of connections (store/sql/pool.h).
using Pool = sql::Pool<Connection>;

}  // namespace bf::sqlite
