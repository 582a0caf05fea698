// The little an engine gives the shared SQL code (store/sql/): a connection that prepares
// statements once and caches them, and a statement that binds, steps and reads columns. SQLite
// (store/sqlite/database.h) and PostgreSQL (store/postgres/database.h) implement it; everything
// above it (the SQL, the row mappers, cursors, pages) is written once, in SqlUnitOfWork.
//
// Statements are written with `?1, ?2, …` (or bare `?`) placeholders; an engine that numbers
// them otherwise rewrites them when it prepares (libpq: `$1, $2, …`). Bind indexes start at 1,
// column indexes at 0 (as in SQLite's C API).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"
#include "store/credential_repository.h"

namespace bf::sql {

// The constraint a failed statement broke, recognised by the engine's error code (SQLite's
// extended result code, PostgreSQL's SQLSTATE), never by message text.
enum class Constraint {
  kNone,        // the failure was no constraint violation
  kUnique,      // SQLITE_CONSTRAINT_UNIQUE, SQLSTATE 23505
  kForeignKey,  // SQLITE_CONSTRAINT_FOREIGNKEY, SQLSTATE 23503
  kOther,       // another constraint (SQLite's primary key, a check, an exclusion)
};

// One prepared statement of an engine, owned and cached by its connection and driven through a
// Stmt. Not thread-safe: it belongs to its connection, which belongs to one unit of work.
class Statement {
 public:
  virtual ~Statement() = default;
  virtual void BindText(int i, std::string_view v) = 0;
  virtual void BindInt(int i, int64_t v) = 0;
  virtual void BindNull(int i) = 0;
  virtual void BindBlob(int i, std::string_view v) = 0;
  // Runs the statement at the first call; then advances to the next row: true with a row.
  virtual Result<bool> Step() = 0;
  // Runs a statement, ignoring any rows.
  virtual Status Run() = 0;
  // Runs a statement whose failure the caller expects and handles (a unique name taken, a row
  // still referenced), so that the failure leaves the unit of work usable. SQLite undoes a
  // failed statement by itself; PostgreSQL runs it inside a savepoint.
  virtual Status RunGuarded() = 0;
  // Rows changed by the statement (after Run or Step).
  virtual int64_t Changes() const = 0;
  virtual bool IsNull(int col) const = 0;
  // A NULL reads as "" or 0. A boolean column reads as 1 or 0.
  virtual std::string Text(int col) const = 0;
  // The same text without a copy, valid until the statement steps, resets or is destroyed.
  virtual std::string_view TextView(int col) const = 0;
  virtual std::string Blob(int col) const = 0;
  virtual int64_t Int(int col) const = 0;
  // Forgets the bindings and the results: the statement is ready for its next use.
  virtual void Reset() = 0;
};

// A statement borrowed from its connection's cache for one use; reset when destroyed. Move-only.
class Stmt {
 public:
  explicit Stmt(Statement* statement) : s_(statement) {}
  Stmt(Stmt&& other) noexcept : s_(std::exchange(other.s_, nullptr)) {}
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt& operator=(Stmt&&) = delete;
  ~Stmt() {
    if (s_ != nullptr) s_->Reset();
  }

  Stmt& Bind(int i, std::string_view v) {
    s_->BindText(i, v);
    return *this;
  }
  Stmt& Bind(int i, const std::string& v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, int64_t v) {
    s_->BindInt(i, v);
    return *this;
  }
  Stmt& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Stmt& Bind(int i, bool v) { return Bind(i, static_cast<int64_t>(v ? 1 : 0)); }
  Stmt& Bind(int i, std::nullopt_t) {
    s_->BindNull(i);
    return *this;
  }
  Stmt& Bind(int i, const std::optional<std::string>& v) {
    return v ? Bind(i, *v) : Bind(i, std::nullopt);
  }
  Stmt& Bind(int i, const std::optional<int64_t>& v) {
    return v ? Bind(i, *v) : Bind(i, std::nullopt);
  }
  // Binds NULL for an empty string (optional foreign keys).
  Stmt& BindOrNull(int i, const std::string& v) {
    return v.empty() ? Bind(i, std::nullopt) : Bind(i, v);
  }
  // Binds bytes as a BLOB / bytea (Bind binds text).
  Stmt& BindBlob(int i, std::string_view v) {
    s_->BindBlob(i, v);
    return *this;
  }

  Result<bool> Step() { return s_->Step(); }
  Status Run() { return s_->Run(); }
  Status RunGuarded() { return s_->RunGuarded(); }
  int64_t Changes() const { return s_->Changes(); }

  bool IsNull(int col) const { return s_->IsNull(col); }
  std::string Text(int col) const { return s_->Text(col); }
  std::string_view TextView(int col) const { return s_->TextView(col); }
  std::optional<std::string> OptText(int col) const {
    if (IsNull(col)) return std::nullopt;
    return Text(col);
  }
  std::string Blob(int col) const { return s_->Blob(col); }
  int64_t Int(int col) const { return s_->Int(col); }
  std::optional<int64_t> OptInt(int col) const {
    if (IsNull(col)) return std::nullopt;
    return Int(col);
  }

 private:
  Statement* s_;
};

// One connection of an engine. Not thread-safe: a pool lends it to one unit of work at a time.
class Connection {
 public:
  virtual ~Connection() = default;
  // A statement for `sql`, prepared once per connection and cached by its text (no copy of the
  // text when it is found). The same statement must not be in use twice at once.
  virtual Result<Stmt> Prepare(std::string_view sql) = 0;
  // Runs one or more statements without parameters (schema, migrations, pragmas).
  virtual Status Exec(const std::string& sql) = 0;
  // Runs one statement without parameters or rows (BEGIN, COMMIT).
  virtual Status Run(std::string_view sql) = 0;
  // The constraint the connection's last failed statement broke. Read it before running
  // anything else on the connection.
  virtual Constraint LastConstraint() const = 0;

  // The engine calls this as it begins a transaction (on PostgreSQL, as it marks the BEGIN
  // pending): what the last one remembered is forgotten.
  void BeganTransaction(bool read_only) {
    read_only_ = read_only;
    actors_organization_.reset();
  }
  // The signed-in actor's organisation with its credential revision, as the statement that
  // read the actor read them (SqlUnitOfWork::ActorForToken, ActorForSession). Kept only in a
  // read-only transaction, where nothing can change them before it ends: FindOrganization and
  // FindOrganizationAtRevision answer from it there, which saves a signed-in read a statement
  // (a round trip on PostgreSQL).
  void RememberActorsOrganization(OrganizationAtRevision org) {
    if (read_only_) actors_organization_ = std::move(org);
  }
  const OrganizationAtRevision* ActorsOrganization(std::string_view org_id) const {
    if (!actors_organization_ || actors_organization_->org.id != org_id) return nullptr;
    return &*actors_organization_;
  }

 private:
  bool read_only_ = false;
  std::optional<OrganizationAtRevision> actors_organization_;
};

}  // namespace bf::sql
