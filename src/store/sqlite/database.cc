#include "database.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <mutex>

#include "store/migrations.h"
#include "unit_of_work.h"

namespace bf::sqlite {

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void Statement::BindText(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}
void Statement::BindInt(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
void Statement::BindNull(int i) { sqlite3_bind_null(stmt_, i); }
void Statement::BindBlob(int i, std::string_view v) {
  if (v.empty()) {
    sqlite3_bind_zeroblob(stmt_, i, 0);  // a null pointer would bind NULL
  } else {
    sqlite3_bind_blob64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT);
  }
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return tl::unexpected(conn_->LastError(sqlite3_sql(stmt_)));
}

Status Statement::Run() {
  BF_ASSIGN_OR_RETURN(bool row, Step());
  (void)row;
  return Ok();
}

int64_t Statement::Changes() const { return sqlite3_changes64(sqlite3_db_handle(stmt_)); }

std::string Statement::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}
std::string_view Statement::TextView(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  if (p == nullptr) return {};
  return {reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
}
std::string Statement::Blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  if (p == nullptr) return {};
  return std::string(static_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}
int64_t Statement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
bool Statement::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

namespace {

// SQLite's memory statistics (on by default) take a process-wide mutex on every allocation it
// makes: with several connections stepping at once, a tenth of a list request's time was spent
// on that mutex (perf, bench/run.sh). Nothing here reads the statistics. This must run before
// SQLite initialises, so before the first connection opens.
void ConfigureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path,
                                                     const SqliteOptions& options) {
  ConfigureSqliteOnce();
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Fail(ErrorCode::kUnavailable, "database_unavailable", "the database cannot be opened",
                path + ": " + msg);
  }
  std::unique_ptr<Connection> conn(new Connection(db));
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  // WAL lets readers run beside the writer; synchronous=FULL makes an acknowledged commit
  // survive a power cut, not only a crash of the process. No memory map (mmap_size stays 0):
  // it made list reads ~10-20% cheaper, but each commit makes every other connection unmap the
  // file at its next transaction, and with renewals arriving that munmap was a quarter of the
  // server's time (perf under bench/run.sh; docs/performance.md). A larger page cache
  // (kSqlitePageCacheKiB) saves part of the same preads without that cost.
  BF_RETURN_IF_ERROR(
      conn->Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                 "PRAGMA temp_store=MEMORY;"
                 "PRAGMA cache_size=-" +
                 std::to_string(kSqlitePageCacheKiB) + ";"));
  return conn;
}

Connection::~Connection() {
  cache_.clear();  // finalizes every statement before the connection closes
  sqlite3_close_v2(db_);
}

Result<Stmt> Connection::Prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return Stmt(it->second.get());
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return tl::unexpected(LastError(sql));
  auto statement = std::make_unique<Statement>(this, stmt);
  Statement* raw = statement.get();
  cache_.emplace(std::string(sql), std::move(statement));
  return Stmt(raw);
}

Status Connection::Run(std::string_view sql) {
  BF_ASSIGN_OR_RETURN(auto stmt, Prepare(sql));
  return stmt.Run();
}

Status Connection::Exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    Error e = LastError(sql);
    e.detail = msg + " in: " + sql.substr(0, 200);
    return tl::unexpected(std::move(e));
  }
  return Ok();
}

sql::Constraint Connection::LastConstraint() const {
  switch (sqlite3_extended_errcode(db_)) {
    case SQLITE_CONSTRAINT_UNIQUE:
      return sql::Constraint::kUnique;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return sql::Constraint::kForeignKey;
    default:
      return (sqlite3_extended_errcode(db_) & 0xff) == SQLITE_CONSTRAINT ? sql::Constraint::kOther
                                                                         : sql::Constraint::kNone;
  }
}

Error Connection::LastError(std::string_view context) const {
  int code = sqlite3_extended_errcode(db_);
  std::string detail =
      std::string(sqlite3_errmsg(db_)) + " in: " + std::string(context.substr(0, 200));
  switch (code & 0xff) {
    case SQLITE_CONSTRAINT:
      return Error{ErrorCode::kConflict, "conflict", "conflicts with existing data", detail, {}};
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error{
          ErrorCode::kUnavailable, "database_busy", "the database is busy, try again", detail, {}};
    default:
      return Error{ErrorCode::kInternal, "internal", "internal error", detail, {}};
  }
}

namespace {

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<Pool> pool, int busy_timeout_ms)
      : pool_(std::move(pool)), busy_timeout_ms_(busy_timeout_ms) {}

  Result<std::unique_ptr<UnitOfWork>> Begin(bool write) override {
    SharedRead& shared = ThisThreadSharedRead();
    if (shared.store == this && shared.unit == nullptr) {
      if (!write) return ContinueSharedRead(shared);
      EndSharedRead(shared);  // a write does not wait behind this thread's own snapshot
    }
    // Writers of this process queue here before they take a connection: SQLite has one write
    // lock and its busy handler polls for it with sleeps of up to 100 ms, so writers that met
    // there waited long after the lock was free (adding versions at 64 connections: p99 over
    // 1 s). Handed over by a mutex, the next writer starts when the last commits. Writers of
    // other processes (`bonafides import`) still meet at SQLite's lock and its busy timeout.
    std::unique_lock writer(writer_, std::defer_lock);
    if (write && !writer.try_lock_for(std::chrono::milliseconds(busy_timeout_ms_))) {
      return Fail(
          ErrorCode::kUnavailable, "database_busy", "the database is busy, try again",
          "another write of this server held the database for longer than the busy timeout");
    }
    BF_ASSIGN_OR_RETURN(Connection * conn, pool_->Acquire());
    // IMMEDIATE takes the write lock now: a writer that began as a reader could otherwise fail
    // with SQLITE_BUSY when it upgrades, with no busy-timeout wait.
    auto began = conn->Run(write ? "BEGIN IMMEDIATE" : "BEGIN");
    conn->BeganTransaction(!write);
    if (!began) {
      pool_->Release(conn);
      return tl::unexpected(began.error());
    }
    return std::make_unique<SqliteUnitOfWork>(pool_.get(), conn, std::move(writer));
  }

  std::unique_ptr<ReadScope> ShareReads() override {
    SharedRead& shared = ThisThreadSharedRead();
    if (shared.store != nullptr) return nullptr;
    shared = SharedRead{this, nullptr, nullptr};
    return std::make_unique<Scope>(*this, shared);
  }

  Status Ping() override {
    BF_ASSIGN_OR_RETURN(Connection * conn, pool_->Acquire());
    auto ok = conn->Exec("SELECT 1 FROM schema_migrations LIMIT 1");
    pool_->Release(conn);
    if (!ok) {
      return Fail(ErrorCode::kUnavailable, "database_unavailable", "the database is unavailable",
                  ok.error().detail);
    }
    return Ok();
  }

 private:
  class Scope final : public ReadScope {
   public:
    Scope(SqliteStore& store, SharedRead& shared) : store_(store), shared_(shared) {}
    ~Scope() override {
      if (shared_.unit != nullptr) {
        // A unit of the scope outlives it: it takes the transaction and the connection over.
        shared_.unit->Detach();
      } else {
        store_.EndSharedRead(shared_);
      }
      shared_ = SharedRead{};
    }

   private:
    SqliteStore& store_;
    SharedRead& shared_;
  };

  // The first read of the scope begins the transaction; the next ones go on in it.
  Result<std::unique_ptr<UnitOfWork>> ContinueSharedRead(SharedRead& shared) {
    if (shared.conn == nullptr) {
      BF_ASSIGN_OR_RETURN(Connection * conn, pool_->Acquire());
      shared.conn = conn;
    }
    // Also after a failed statement ended the transaction (SQLite then rolls back by itself).
    if (sqlite3_get_autocommit(shared.conn->handle())) {
      auto began = shared.conn->Run("BEGIN");
      shared.conn->BeganTransaction(true);
      if (!began) {
        EndSharedRead(shared);
        return tl::unexpected(began.error());
      }
    }
    auto unit = std::make_unique<SqliteUnitOfWork>(pool_.get(), shared.conn, &shared);
    shared.unit = unit.get();
    return std::unique_ptr<UnitOfWork>(std::move(unit));
  }

  // Ends this thread's shared transaction, if one is open, and gives its connection back.
  void EndSharedRead(SharedRead& shared) {
    if (shared.conn == nullptr) return;
    if (!sqlite3_get_autocommit(shared.conn->handle())) {
      auto ended = shared.conn->Run("COMMIT");
      if (!ended) {
        spdlog::error("ending a shared read failed: {}", ended.error().detail);
        (void)shared.conn->Run("ROLLBACK");
      }
    }
    pool_->Release(shared.conn);
    shared.conn = nullptr;
  }

  std::unique_ptr<Pool> pool_;
  int busy_timeout_ms_;
  std::timed_mutex writer_;  // held by this process's write unit of work, if any
};

}  // namespace
}  // namespace bf::sqlite

namespace bf {

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, SqliteOptions options) {
  std::vector<std::unique_ptr<sqlite::Connection>> conns;
  for (int i = 0; i < options.pool_size; ++i) {
    BF_ASSIGN_OR_RETURN(auto conn, sqlite::Connection::Open(path, options));
    conns.push_back(std::move(conn));
  }
  auto pool = std::make_unique<sqlite::Pool>(std::move(conns), options.acquire_timeout_ms);
  return std::unique_ptr<Store>(new sqlite::SqliteStore(std::move(pool), options.busy_timeout_ms));
}

Result<std::vector<int>> MigrateSqlite(const std::string& path) {
  BF_ASSIGN_OR_RETURN(auto conn, sqlite::Connection::Open(path, SqliteOptions{}));
  BF_RETURN_IF_ERROR(
      conn->Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                 " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)"));
  {
    BF_ASSIGN_OR_RETURN(auto newest,
                        conn->Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    BF_ASSIGN_OR_RETURN(bool row, newest.Step());
    BF_RETURN_IF_ERROR(
        CheckSchemaNotNewer(row ? static_cast<int>(newest.Int(0)) : 0, sqlite::Migrations()));
  }
  std::vector<int> applied;
  for (const Migration& m : sqlite::Migrations()) {
    BF_RETURN_IF_ERROR(conn->Exec("BEGIN IMMEDIATE"));
    BF_ASSIGN_OR_RETURN(auto check,
                        conn->Prepare("SELECT 1 FROM schema_migrations WHERE version = ?"));
    check.Bind(1, m.number);
    BF_ASSIGN_OR_RETURN(bool done, check.Step());
    if (done) {
      BF_RETURN_IF_ERROR(conn->Exec("ROLLBACK"));
      continue;
    }
    auto ok = conn->Exec(m.sql);
    if (ok) {
      BF_ASSIGN_OR_RETURN(
          auto record,
          conn->Prepare(
              "INSERT INTO schema_migrations (version, name, applied_at) "
              "VALUES (?, ?, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))"));
      record.Bind(1, m.number).Bind(2, m.name);
      ok = record.Run();
    }
    if (!ok) {
      (void)conn->Exec("ROLLBACK");
      Error e = ok.error();
      e.message = "migration " + std::to_string(m.number) + " (" + m.name + ") failed";
      return tl::unexpected(std::move(e));
    }
    BF_RETURN_IF_ERROR(conn->Exec("COMMIT"));
    spdlog::info("applied migration {:04d}_{}", m.number, m.name);
    applied.push_back(m.number);
  }
  return applied;
}

}  // namespace bf
