// raw_database.h over sqlite3's C API.
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>

#include "app/raw_database.h"

namespace bf::raw {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// A statement, finalized when it goes out of scope.
class Statement {
 public:
  Statement() = default;
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  Statement(Statement&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)) {}
  Statement& operator=(Statement&& other) noexcept {
    std::swap(stmt_, other.stmt_);
    return *this;
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

Value ColumnValue(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_NULL:
      return Value::Null();
    case SQLITE_INTEGER:
      return Value::Int(sqlite3_column_int64(stmt, i));
    case SQLITE_BLOB: {
      const void* data = sqlite3_column_blob(stmt, i);
      const int size = sqlite3_column_bytes(stmt, i);
      return Value::Bytes(
          data == nullptr ? std::string()
                          : std::string(static_cast<const char*>(data), static_cast<size_t>(size)));
    }
    default: {  // TEXT, and REAL as its text (the schema has no REAL column)
      const unsigned char* text = sqlite3_column_text(stmt, i);
      const int size = sqlite3_column_bytes(stmt, i);
      return Value::Text(text == nullptr ? std::string()
                                         : std::string(reinterpret_cast<const char*>(text),
                                                       static_cast<size_t>(size)));
    }
  }
}

class SqliteDatabase;

class SqliteWriter final : public TableWriter {
 public:
  SqliteWriter(sqlite3* db, Statement insert, std::string table)
      : db_(db), insert_(std::move(insert)), table_(std::move(table)) {}

  Status Write(const Row& row) override {
    sqlite3_stmt* stmt = insert_.get();
    for (size_t i = 0; i < row.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      const Value& v = row[i];
      switch (v.kind) {
        case Value::Kind::kNull:
          sqlite3_bind_null(stmt, index);
          break;
        case Value::Kind::kInt:
          sqlite3_bind_int64(stmt, index, v.integer);
          break;
        case Value::Kind::kText:
          sqlite3_bind_text64(stmt, index, v.bytes.data(), v.bytes.size(), SQLITE_STATIC,
                              SQLITE_UTF8);
          break;
        case Value::Kind::kBytes:
          // An empty string's data() is not null, so the value stays an empty BLOB, not NULL.
          sqlite3_bind_blob64(stmt, index, v.bytes.data(), v.bytes.size(), SQLITE_STATIC);
          break;
      }
    }
    const int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (rc != SQLITE_DONE) {
      return Fail(ErrorCode::kInternal, "database_error",
                  "writing " + table_ + ": " + sqlite3_errmsg(db_));
    }
    return Ok();
  }

  Status Finish() override { return Ok(); }

 private:
  sqlite3* db_;
  Statement insert_;
  std::string table_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  ~SqliteDatabase() override { sqlite3_close_v2(db_); }

  Engine engine() const override { return Engine::kSqlite; }
  const std::string& where() const override { return path_; }

  Status Exec(const std::string& sql) override {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      std::string text = message != nullptr ? message : sqlite3_errmsg(db_);
      sqlite3_free(message);
      return Failed(text);
    }
    return Ok();
  }

  Result<std::vector<Row>> Query(const std::string& sql) override {
    BF_ASSIGN_OR_RETURN(Statement stmt, Prepare(sql));
    std::vector<Row> rows;
    BF_RETURN_IF_ERROR(Each(stmt, [&](const Row& row) -> Status {
      rows.push_back(row);
      return Ok();
    }));
    return rows;
  }

  Result<bool> HasTable(const std::string& name) override {
    BF_ASSIGN_OR_RETURN(Statement stmt,
                        Prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"));
    sqlite3_bind_text(stmt.get(), 1, name.c_str(), -1, SQLITE_TRANSIENT);
    const int rc = sqlite3_step(stmt.get());
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Failed(sqlite3_errmsg(db_));
    return rc == SQLITE_ROW;
  }

  Result<Schema> ReadSchema() override {
    Schema schema;
    BF_ASSIGN_OR_RETURN(auto names, Query("SELECT name FROM sqlite_master WHERE type = 'table'"
                                          " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
                                          " AND name <> 'schema_migrations' ORDER BY name"));
    std::set<std::pair<std::string, std::string>> keys;
    for (const Row& name_row : names) {
      Table table{name_row.at(0).bytes, {}};
      // cid, name, type, notnull, dflt_value, pk
      BF_ASSIGN_OR_RETURN(auto columns, Query("PRAGMA table_info(" + Quote(table.name) + ")"));
      for (const Row& c : columns) {
        table.columns.push_back(
            Column{c.at(1).bytes, Lower(c.at(2).bytes), static_cast<int>(c.at(5).integer), false});
      }
      // id, seq, table, from, to, on_update, on_delete, match
      BF_ASSIGN_OR_RETURN(auto references,
                          Query("PRAGMA foreign_key_list(" + Quote(table.name) + ")"));
      for (const Row& r : references) keys.emplace(table.name, r.at(2).bytes);
      schema.tables.push_back(std::move(table));
    }
    for (const auto& [table, parent] : keys) schema.foreign_keys.push_back({table, parent});
    BF_ASSIGN_OR_RETURN(
        auto triggers,
        Query("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"));
    for (const Row& t : triggers) schema.triggers.push_back({t.at(0).bytes, t.at(1).bytes});
    return schema;
  }

  Status ReadTable(const Table& table, const std::function<Status(const Row&)>& row) override {
    std::string sql = "SELECT ";
    for (size_t i = 0; i < table.columns.size(); ++i) {
      sql += (i > 0 ? ", " : "") + Quote(table.columns[i].name);
    }
    sql += " FROM " + Quote(table.name);
    BF_ASSIGN_OR_RETURN(Statement stmt, Prepare(sql));
    return Each(stmt, row);
  }

  Result<std::unique_ptr<TableWriter>> WriteTable(const Table& table) override {
    std::string names, marks;
    for (size_t i = 0; i < table.columns.size(); ++i) {
      names += (i > 0 ? ", " : "") + Quote(table.columns[i].name);
      marks += i > 0 ? ", ?" : "?";
    }
    BF_ASSIGN_OR_RETURN(Statement stmt, Prepare("INSERT INTO " + Quote(table.name) + " (" + names +
                                                ") VALUES (" + marks + ")"));
    return std::unique_ptr<TableWriter>(
        std::make_unique<SqliteWriter>(db_, std::move(stmt), table.name));
  }

  Status SuspendTriggersAndIndexes(const std::string& table) override {
    // Indexes with SQL of their own: not the automatic ones of PRIMARY KEY and UNIQUE.
    BF_ASSIGN_OR_RETURN(Statement stmt,
                        Prepare("SELECT type, name, sql FROM sqlite_master"
                                " WHERE type IN ('trigger', 'index') AND tbl_name = ?"
                                " AND sql IS NOT NULL ORDER BY type, name"));
    sqlite3_bind_text(stmt.get(), 1, table.c_str(), -1, SQLITE_TRANSIENT);
    std::vector<Row> held;
    BF_RETURN_IF_ERROR(Each(stmt, [&](const Row& row) -> Status {
      held.push_back(row);
      return Ok();
    }));
    for (const Row& row : held) {
      BF_RETURN_IF_ERROR(Exec((row.at(0).bytes == "index" ? "DROP INDEX " : "DROP TRIGGER ") +
                              Quote(row.at(1).bytes)));
      held_[table].push_back(row.at(2).bytes);
    }
    return Ok();
  }

  Status RestoreTriggersAndIndexes(const std::string& table) override {
    for (const std::string& sql : held_[table]) BF_RETURN_IF_ERROR(Exec(sql));
    held_.erase(table);
    return Ok();
  }

  // An INTEGER PRIMARY KEY takes max(rowid) + 1 by itself.
  Status AdvanceSequences(const Table&) override { return Ok(); }

 private:
  tl::unexpected<Error> Failed(const std::string& message) const {
    return Fail(ErrorCode::kInternal, "database_error", path_ + ": " + message);
  }

  Result<Statement> Prepare(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt, nullptr) !=
        SQLITE_OK) {
      return Failed(sqlite3_errmsg(db_));
    }
    return Statement(stmt);
  }

  Status Each(const Statement& stmt, const std::function<Status(const Row&)>& out) {
    const int n = sqlite3_column_count(stmt.get());
    Row row(static_cast<size_t>(n));
    for (;;) {
      const int rc = sqlite3_step(stmt.get());
      if (rc == SQLITE_DONE) return Ok();
      if (rc != SQLITE_ROW) return Failed(sqlite3_errmsg(db_));
      for (int i = 0; i < n; ++i) row[static_cast<size_t>(i)] = ColumnValue(stmt.get(), i);
      BF_RETURN_IF_ERROR(out(row));
    }
  }

  sqlite3* db_;
  std::string path_;
  std::map<std::string, std::vector<std::string>> held_;  // table → CREATE INDEX/TRIGGER …
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, bool read_only) {
  std::error_code ec;
  if (read_only && !std::filesystem::is_regular_file(path, ec)) {
    return Fail(ErrorCode::kInvalid, "no_database", "no SQLite database at " + path);
  }
  sqlite3* db = nullptr;
  const int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return Fail(ErrorCode::kInternal, "database_error", "cannot open " + path + ": " + message);
  }
  sqlite3_busy_timeout(db, 5000);
  auto database = std::make_unique<SqliteDatabase>(db, path);
  // A bulk copy writes every page of a table once: a larger cache keeps the indexes' pages.
  BF_RETURN_IF_ERROR(database->Exec(read_only ? "PRAGMA cache_size = -65536"
                                              : "PRAGMA foreign_keys = ON;"
                                                " PRAGMA cache_size = -65536"));
  return std::unique_ptr<Database>(std::move(database));
}

}  // namespace bf::raw
