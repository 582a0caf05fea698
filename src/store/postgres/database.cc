#include "database.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>

#include "store/migrations.h"
#include "unit_of_work.h"

namespace bf::postgres {

std::string NumberPlaceholders(std::string_view sql, int* params) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 0;
  int highest = 0;
  char quote = 0;  // inside '...' or "..."
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote != 0) {
      out.push_back(c);
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out.push_back(c);
      continue;
    }
    if (c != '?') {
      out.push_back(c);
      continue;
    }
    size_t j = i + 1;
    int n = 0;
    while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') n = n * 10 + (sql[j++] - '0');
    if (j == i + 1) n = ++next;
    highest = std::max(highest, n);
    out += "$" + std::to_string(n);
    i = j - 1;
  }
  if (params != nullptr) *params = highest;
  return out;
}

Statement::~Statement() {
  if (result_ != nullptr) PQclear(result_);
}

void Statement::Reset() {
  if (result_ != nullptr) PQclear(result_);
  result_ = nullptr;
  for (auto& v : values_) v.reset();
  std::fill(formats_.begin(), formats_.end(), 0);
  row_ = -1;
  ran_ = false;
}

void Statement::BindText(int i, std::string_view v) {
  values_.at(static_cast<size_t>(i - 1)) = std::string(v);
  formats_[static_cast<size_t>(i - 1)] = 0;
}
void Statement::BindInt(int i, int64_t v) { BindText(i, std::to_string(v)); }
void Statement::BindNull(int i) { values_.at(static_cast<size_t>(i - 1)).reset(); }
void Statement::BindBlob(int i, std::string_view v) {
  BindText(i, v);
  formats_[static_cast<size_t>(i - 1)] = 1;
}

Status Statement::EnsurePrepared() {
  if (prepared_in_session_ == conn_->session()) return Ok();
  PGresult* r = PQprepare(conn_->handle(), name_.c_str(), text_.c_str(), 0, nullptr);
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  Error e;
  if (!ok) e = conn_->ErrorOf(r, text_);
  PQclear(r);
  if (!ok) return tl::unexpected(std::move(e));
  prepared_in_session_ = conn_->session();
  return Ok();
}

Status Statement::Execute() {
  ran_ = true;
  // The first statement of a unit sends its BEGIN: if the server restarted since the connection
  // was last used, nothing of the unit has run, so it may connect again and run once more.
  return conn_->RetryIfGoneBeforeBegin([this] { return ExecuteOnce(); });
}

Status Statement::ExecuteOnce() {
  if (result_ != nullptr) PQclear(result_);
  result_ = nullptr;
  BF_RETURN_IF_ERROR(EnsurePrepared());
  std::vector<const char*> values(values_.size());
  std::vector<int> lengths(values_.size());
  for (size_t i = 0; i < values_.size(); ++i) {
    values[i] = values_[i] ? values_[i]->data() : nullptr;
    lengths[i] = values_[i] ? static_cast<int>(values_[i]->size()) : 0;
  }
  BF_ASSIGN_OR_RETURN(result_, conn_->ExecPrepared(name_, static_cast<int>(values_.size()),
                                                   values.data(), lengths.data(), formats_.data()));
  ExecStatusType status = PQresultStatus(result_);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return tl::unexpected(conn_->ErrorOf(result_, name_));
  }
  return Ok();
}

Result<bool> Statement::Step() {
  if (!ran_) BF_RETURN_IF_ERROR(Execute());
  if (result_ == nullptr) return false;
  ++row_;
  return row_ < PQntuples(result_);
}

Status Statement::Run() {
  if (!ran_) BF_RETURN_IF_ERROR(Execute());
  return Ok();
}

Status Statement::RunGuarded() {
  BF_RETURN_IF_ERROR(conn_->Exec("SAVEPOINT bf_guarded"));
  Status ran = Run();
  // Keep the statement's error (and SQLSTATE) over the savepoint's own outcome.
  const std::string sqlstate = conn_->last_sqlstate();
  auto undone = conn_->Exec(ran ? "RELEASE SAVEPOINT bf_guarded"
                                : "ROLLBACK TO SAVEPOINT bf_guarded; RELEASE SAVEPOINT bf_guarded");
  if (!ran) {
    conn_->set_last_sqlstate(sqlstate);
    return ran;
  }
  return undone;
}

int64_t Statement::Changes() const {
  if (result_ == nullptr) return 0;
  const char* n = PQcmdTuples(result_);
  return n == nullptr || *n == '\0' ? 0 : std::strtoll(n, nullptr, 10);
}

std::string Statement::Text(int col) const {
  if (IsNull(col)) return {};
  return std::string(PQgetvalue(result_, row_, col),
                     static_cast<size_t>(PQgetlength(result_, row_, col)));
}
std::string_view Statement::TextView(int col) const {
  if (IsNull(col)) return {};
  return {PQgetvalue(result_, row_, col), static_cast<size_t>(PQgetlength(result_, row_, col))};
}
std::string Statement::Blob(int col) const {
  if (IsNull(col)) return {};
  size_t size = 0;
  unsigned char* bytes = PQunescapeBytea(
      reinterpret_cast<const unsigned char*>(PQgetvalue(result_, row_, col)), &size);
  if (bytes == nullptr) return {};
  std::string out(reinterpret_cast<const char*>(bytes), size);
  PQfreemem(bytes);
  return out;
}
int64_t Statement::Int(int col) const {
  if (IsNull(col)) return 0;
  const char* v = PQgetvalue(result_, row_, col);
  if (v[0] == 't' && v[1] == '\0') return 1;
  if (v[0] == 'f' && v[1] == '\0') return 0;
  return std::strtoll(v, nullptr, 10);
}
bool Statement::IsNull(int col) const {
  return result_ == nullptr || PQgetisnull(result_, row_, col) != 0;
}

namespace {

// Notices (e.g. "relation already exists, skipping") go to the debug log, not to stderr.
void LogNotice(void*, const char* message) { spdlog::debug("postgres: {}", message); }

Error ConnectionError(PGconn* pg, const std::string& what) {
  std::string detail = pg != nullptr ? PQerrorMessage(pg) : "out of memory";
  while (!detail.empty() && detail.back() == '\n') detail.pop_back();
  return Error{ErrorCode::kUnavailable,
               "database_unavailable",
               "the database is unavailable",
               what + ": " + detail,
               {}};
}

}  // namespace

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& conninfo,
                                                     const PostgresOptions& options) {
  PGconn* pg = PQconnectdb(conninfo.c_str());
  if (pg == nullptr || PQstatus(pg) != CONNECTION_OK) {
    Error e = ConnectionError(pg, "connecting");
    PQfinish(pg);
    return tl::unexpected(std::move(e));
  }
  std::unique_ptr<Connection> conn(new Connection(pg, options));
  BF_RETURN_IF_ERROR(conn->Configure());
  return conn;
}

Status Connection::Configure() {
  PQsetNoticeProcessor(pg_, LogNotice, nullptr);
  // Dates read back as YYYY-MM-DD; a statement or a lock wait that takes too long is cancelled
  // by the server (SQLSTATE 57014 / 55P03, kUnavailable) instead of holding a connection.
  return Exec(
      "SET DateStyle = ISO; SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8';"
      " SET statement_timeout = " +
      std::to_string(options_.statement_timeout_ms) +
      "; SET lock_timeout = " + std::to_string(options_.lock_timeout_ms) + ";");
}

Connection::~Connection() { PQfinish(pg_); }

Status Connection::Reset() {
  PQreset(pg_);
  ++session_;  // the cached statements are prepared again at their next use
  if (PQstatus(pg_) != CONNECTION_OK) return tl::unexpected(ConnectionError(pg_, "reconnecting"));
  spdlog::info("reconnected to the database");
  return Configure();
}

void Connection::SendWithoutWaiting(const char* sql) {
  if (PQsendQuery(pg_, sql) == 1) {
    unread_ = sql;
  } else {
    spdlog::error("sending {} failed: {}", sql, PQerrorMessage(pg_));
  }
}

Status Connection::Revive() {
  if (unread_ != nullptr) {
    while (PGresult* r = PQgetResult(pg_)) {
      if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        spdlog::error("{} failed: {}", unread_, PQresultErrorMessage(r));
      }
      PQclear(r);
    }
    unread_ = nullptr;
  }
  return Healthy() ? Ok() : Reset();
}

Result<Stmt> Connection::Prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    int params = 0;
    std::string text = NumberPlaceholders(sql, &params);
    std::string name = "s" + std::to_string(cache_.size() + 1);
    auto statement = std::make_unique<Statement>(this, std::move(name), std::move(text), params);
    // Prepared now, so that a statement the server refuses fails here, not at its first run.
    BF_RETURN_IF_ERROR(RetryIfGoneBeforeBegin([&] { return statement->EnsurePrepared(); }));
    it = cache_.emplace(std::string(sql), std::move(statement)).first;
  }
  return Stmt(it->second.get());
}

Status Connection::Exec(const std::string& sql) {
  return RetryIfGoneBeforeBegin([&]() -> Status {
    // A pending BEGIN goes first in the same message (the simple protocol runs both in turn).
    const char* begin = pending_begin_;
    PGresult* r =
        PQexec(pg_, begin != nullptr ? (std::string(begin) + "; " + sql).c_str() : sql.c_str());
    // As in BeginAndExecPrepared: a lost session began nothing, and its BEGIN stays pending.
    if (begin != nullptr && Healthy()) pending_begin_ = nullptr;
    ExecStatusType status = PQresultStatus(r);
    if ((status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) || !Healthy()) {
      Error e = ErrorOf(r, sql);
      PQclear(r);
      return tl::unexpected(std::move(e));
    }
    PQclear(r);
    return Ok();
  });
}

Result<PGresult*> Connection::ExecPrepared(const std::string& name, int params,
                                           const char* const* values, const int* lengths,
                                           const int* formats) {
  if (pending_begin_ != nullptr) {
    return BeginAndExecPrepared(name, params, values, lengths, formats);
  }
  return PQexecPrepared(pg_, name.c_str(), params, values, lengths, formats, 0);
}

Result<PGresult*> Connection::BeginAndExecPrepared(const std::string& name, int params,
                                                   const char* const* values, const int* lengths,
                                                   const int* formats) {
  if (PQenterPipelineMode(pg_) != 1) return tl::unexpected(ErrorOf(nullptr, pending_begin_));
  const bool sent =
      PQsendQueryParams(pg_, pending_begin_, 0, nullptr, nullptr, nullptr, nullptr, 0) == 1 &&
      PQsendQueryPrepared(pg_, name.c_str(), params, values, lengths, formats, 0) == 1 &&
      PQpipelineSync(pg_) == 1;
  // The results: BEGIN's, a NULL, the statement's, a NULL, then the sync. After a failed BEGIN
  // the statement's is PGRES_PIPELINE_ABORTED; a lost connection ends the results early.
  PGresult* began = nullptr;
  PGresult* ran = nullptr;
  for (int nulls = 0; sent && nulls < 3;) {
    PGresult* r = PQgetResult(pg_);
    if (r == nullptr) {
      if (!Healthy()) break;
      ++nulls;
      continue;
    }
    if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) {
      PQclear(r);
      break;
    }
    if (began == nullptr) {
      began = r;
    } else if (ran == nullptr) {
      ran = r;
    } else {
      PQclear(r);
    }
  }
  PQexitPipelineMode(pg_);  // refused only with results left: a lost connection, reset later
  // A session that is lost kept nothing of what it began (the server rolls back a connection it
  // loses, and tells of a connection it drops as the error of whatever comes next): the BEGIN
  // stays pending for the statement's second run on a new session.
  const char* begin = pending_begin_;
  if (Healthy()) pending_begin_ = nullptr;
  if (began == nullptr || PQresultStatus(began) != PGRES_COMMAND_OK || !Healthy()) {
    Error e = ErrorOf(began, begin);
    PQclear(began);
    PQclear(ran);
    return tl::unexpected(std::move(e));
  }
  PQclear(began);
  if (ran == nullptr) return tl::unexpected(ErrorOf(nullptr, name));
  return ran;
}

sql::Constraint Connection::LastConstraint() const {
  if (last_sqlstate_ == "23505") return sql::Constraint::kUnique;
  if (last_sqlstate_ == "23503") return sql::Constraint::kForeignKey;
  if (last_sqlstate_.rfind("23", 0) == 0) return sql::Constraint::kOther;
  return sql::Constraint::kNone;
}

Error Connection::ErrorOf(const PGresult* result, std::string_view context) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  last_sqlstate_ = state != nullptr ? state : "";
  std::string message = result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(pg_);
  if (message.empty()) message = PQerrorMessage(pg_);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  std::string detail =
      "[" + last_sqlstate_ + "] " + message + " in: " + std::string(context.substr(0, 200));
  const std::string_view s = last_sqlstate_;
  if (s == "23505" || s == "23503" || s == "23P01") {
    return Error{ErrorCode::kConflict, "conflict", "conflicts with existing data", detail, {}};
  }
  if (s == "40001" || s == "40P01" || s == "55P03" || s == "57014") {
    return Error{
        ErrorCode::kUnavailable, "database_busy", "the database is busy, try again", detail, {}};
  }
  if (s.empty() || s.substr(0, 2) == "08" || s == "57P01" || s == "57P02" || s == "57P03" ||
      !Healthy()) {
    return Error{
        ErrorCode::kUnavailable, "database_unavailable", "the database is unavailable", detail, {}};
  }
  return Error{ErrorCode::kInternal, "internal", "internal error", detail, {}};
}

namespace {

// Write units run READ COMMITTED: every guarantee they need against a concurrent writer is in
// a statement (the revision in UpdateCredential's WHERE, claims that insert ON CONFLICT DO
// NOTHING, the outbox lease FOR UPDATE SKIP LOCKED), and READ COMMITTED re-checks such a
// statement's WHERE on the row another writer just committed instead of failing the unit.
// Read units run REPEATABLE READ: a list reads its page and the holders' names, a credential
// its row and its versions, in several statements that must agree (one snapshot, as SQLite
// gives every transaction); a read-only snapshot never fails with a serialization error.
constexpr char kBeginWrite[] = "BEGIN ISOLATION LEVEL READ COMMITTED";
constexpr char kBeginRead[] = "BEGIN ISOLATION LEVEL REPEATABLE READ";

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(std::unique_ptr<Pool> pool) : pool_(std::move(pool)) {}

  Result<std::unique_ptr<UnitOfWork>> Begin(bool write) override {
    SharedRead& shared = ThisThreadSharedRead();
    if (shared.store == this && shared.unit == nullptr) {
      if (!write) return ContinueSharedRead(shared);
      EndSharedRead(shared);  // a write does not hold this thread's snapshot open beside it
    }
    BF_ASSIGN_OR_RETURN(Connection * conn, pool_->Acquire());
    // Sent with the unit's first statement, which also connects again if the server went
    // away since this connection was last used (a restart).
    conn->BeginWithNext(write ? kBeginWrite : kBeginRead, !write);
    return std::make_unique<PgUnitOfWork>(pool_.get(), conn);
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
    if (!ok && !conn->Healthy() && conn->Reset()) {
      ok = conn->Exec("SELECT 1 FROM schema_migrations LIMIT 1");
    }
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
    Scope(PostgresStore& store, SharedRead& shared) : store_(store), shared_(shared) {}
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
    PostgresStore& store_;
    SharedRead& shared_;
  };

  // The first read of the scope begins the transaction; the next ones go on in it, or in a new
  // one when a failed statement aborted it.
  Result<std::unique_ptr<UnitOfWork>> ContinueSharedRead(SharedRead& shared) {
    if (shared.conn == nullptr) {
      BF_ASSIGN_OR_RETURN(Connection * conn, pool_->Acquire());
      shared.conn = conn;
    }
    Connection* conn = shared.conn;
    PGTransactionStatusType status =
        conn->Healthy() ? PQtransactionStatus(conn->handle()) : PQTRANS_UNKNOWN;
    if (status == PQTRANS_INERROR) {
      (void)conn->Run("ROLLBACK");
      status = PQtransactionStatus(conn->handle());
    }
    if (status != PQTRANS_INTRANS && !conn->begin_pending()) conn->BeginWithNext(kBeginRead, true);
    auto unit = std::make_unique<PgUnitOfWork>(pool_.get(), conn, &shared);
    shared.unit = unit.get();
    return std::unique_ptr<UnitOfWork>(std::move(unit));
  }

  // Ends this thread's shared transaction, if one is open, and gives its connection back.
  void EndSharedRead(SharedRead& shared) {
    if (shared.conn == nullptr) return;
    shared.conn->DropPendingBegin();  // the scope read nothing: no transaction to end
    if (shared.conn->Healthy() && PQtransactionStatus(shared.conn->handle()) != PQTRANS_IDLE) {
      shared.conn->SendWithoutWaiting("ROLLBACK");  // a read: nothing to keep
    }
    pool_->Release(shared.conn);
    shared.conn = nullptr;
  }

  std::unique_ptr<Pool> pool_;
};

// The key of the session advisory lock that migrations take ("bonafide" in ASCII).
constexpr int64_t kMigrationLockKey = 0x626f6e6166696465;

Result<std::vector<int>> ApplyMigrations(Connection& conn) {
  BF_RETURN_IF_ERROR(
      conn.Exec("CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)"));
  {
    BF_ASSIGN_OR_RETURN(auto newest,
                        conn.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    BF_ASSIGN_OR_RETURN(bool row, newest.Step());
    BF_RETURN_IF_ERROR(
        CheckSchemaNotNewer(row ? static_cast<int>(newest.Int(0)) : 0, Migrations()));
  }
  std::vector<int> applied;
  for (const Migration& m : Migrations()) {
    BF_ASSIGN_OR_RETURN(auto check,
                        conn.Prepare("SELECT 1 FROM schema_migrations WHERE version = ?"));
    check.Bind(1, m.number);
    BF_ASSIGN_OR_RETURN(bool done, check.Step());
    if (done) continue;
    BF_RETURN_IF_ERROR(conn.Exec("BEGIN"));
    auto ok = conn.Exec(m.sql);
    if (ok) {
      BF_ASSIGN_OR_RETURN(
          auto record,
          conn.Prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES"
                       " (?, ?, (extract(epoch from clock_timestamp()) * 1000)::bigint)"));
      record.Bind(1, m.number).Bind(2, m.name);
      ok = record.Run();
    }
    if (!ok) {
      (void)conn.Exec("ROLLBACK");
      Error e = ok.error();
      e.message = "migration " + std::to_string(m.number) + " (" + m.name + ") failed";
      return tl::unexpected(std::move(e));
    }
    BF_RETURN_IF_ERROR(conn.Exec("COMMIT"));
    spdlog::info("applied migration {:04d}_{}", m.number, m.name);
    applied.push_back(m.number);
  }
  return applied;
}

}  // namespace
}  // namespace bf::postgres

namespace bf {

bool IsPostgresUrl(const std::string& database) {
  return database.rfind("postgresql://", 0) == 0 || database.rfind("postgres://", 0) == 0;
}

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& conninfo,
                                                 PostgresOptions options) {
  std::vector<std::unique_ptr<postgres::Connection>> conns;
  for (int i = 0; i < options.pool_size; ++i) {
    BF_ASSIGN_OR_RETURN(auto conn, postgres::Connection::Open(conninfo, options));
    conns.push_back(std::move(conn));
  }
  auto pool = std::make_unique<postgres::Pool>(std::move(conns), options.acquire_timeout_ms);
  return std::unique_ptr<Store>(new postgres::PostgresStore(std::move(pool)));
}

Result<std::vector<int>> MigratePostgres(const std::string& conninfo) {
  PostgresOptions options;
  options.statement_timeout_ms = 0;  // a migration of a large table may take long
  options.lock_timeout_ms = 0;       // and waits for the lock of a node migrating already
  BF_ASSIGN_OR_RETURN(auto conn, postgres::Connection::Open(conninfo, options));
  // A session lock: held across the migrations' own transactions, released on unlock or when
  // the connection closes (a node that dies mid-migration does not keep it).
  BF_RETURN_IF_ERROR(
      conn->Exec("SELECT pg_advisory_lock(" + std::to_string(postgres::kMigrationLockKey) + ")"));
  auto applied = postgres::ApplyMigrations(*conn);
  (void)conn->Exec("SELECT pg_advisory_unlock(" + std::to_string(postgres::kMigrationLockKey) +
                   ")");
  return applied;
}

}  // namespace bf
