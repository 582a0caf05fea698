// Direct access to a database of either engine, apart from the store: what `bonafides copy`
// needs to move every table's rows as they are, and what `serve` needs to read one stored media
// chunk before it starts. Self-contained (sqlite3's C API and libpq), so that it depends on the
// schema alone, never on how src/store is built.
//
// Values travel in one engine-neutral form: integers (SQLite INTEGER; PostgreSQL smallint,
// integer, bigint, boolean as 0/1), text (TEXT; text, varchar, and date as YYYY-MM-DD), bytes
// (BLOB; bytea) and NULL. A value read from one engine is written to the other by the target
// column's type, so a row copied either way reads back the same.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace bf::raw {

struct Value {
  enum class Kind { kNull, kInt, kText, kBytes };
  Kind kind = Kind::kNull;
  int64_t integer = 0;
  std::string bytes;  // kText and kBytes

  static Value Null() { return {}; }
  static Value Int(int64_t v) { return Value{Kind::kInt, v, {}}; }
  static Value Text(std::string v) { return Value{Kind::kText, 0, std::move(v)}; }
  static Value Bytes(std::string v) { return Value{Kind::kBytes, 0, std::move(v)}; }
  bool operator==(const Value&) const = default;
  auto operator<=>(const Value&) const = default;
};
using Row = std::vector<Value>;

struct Column {
  std::string name;
  std::string type;     // as the engine names it, lower case: "text", "integer", "int8", "date"…
  int primary_key = 0;  // 1-based position in the primary key, 0 when not part of it
  bool sequence = false;  // PostgreSQL: an identity or serial column whose sequence hands out ids
};

struct Table {
  std::string name;
  std::vector<Column> columns;  // in the table's order
};

// What a database holds besides rows: its tables (schema_migrations left out), the foreign keys
// between them and its triggers.
struct Schema {
  std::vector<Table> tables;  // by name
  struct ForeignKey {
    std::string table;   // the referencing table
    std::string parent;  // the referenced table
  };
  std::vector<ForeignKey> foreign_keys;
  struct Trigger {
    std::string name;
    std::string table;
  };
  std::vector<Trigger> triggers;  // by name

  const Table* Find(const std::string& name) const;
};

enum class Engine { kSqlite, kPostgres };

// Writes one table's rows in the order given; Finish sends what is buffered and reports the first
// error (a constraint, a value the column cannot hold).
class TableWriter {
 public:
  virtual ~TableWriter() = default;
  virtual Status Write(const Row& row) = 0;
  virtual Status Finish() = 0;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Engine engine() const = 0;
  // Where it is, for messages: the SQLite file's path, or the PostgreSQL URL without a password.
  virtual const std::string& where() const = 0;

  // Runs statements that return no rows (BEGIN, COMMIT, SET …).
  virtual Status Exec(const std::string& sql) = 0;
  // Every row of a query (small answers: counts, versions, one media chunk).
  virtual Result<std::vector<Row>> Query(const std::string& sql) = 0;

  // The tables, foreign keys and triggers, from the catalog.
  virtual Result<Schema> ReadSchema() = 0;
  // Every row of `table` (the columns in the order given), streamed to `row`: memory stays at one
  // row (PostgreSQL: one COPY message) whatever the table's size. Stops at `row`'s first error.
  virtual Status ReadTable(const Table& table, const std::function<Status(const Row&)>& row) = 0;
  // A writer of rows of `table` (the columns in the order given).
  virtual Result<std::unique_ptr<TableWriter>> WriteTable(const Table& table) = 0;
  // PostgreSQL: moves each identity or serial sequence past the largest id the table holds, so
  // that the next row written after a copy gets a new one. SQLite: nothing to do.
  virtual Status AdvanceSequences(const Table& table) = 0;
  // Holds what keeps derived data of `table` up to date while its rows are written as they are,
  // until RestoreTriggersAndIndexes, within the transaction open (a rollback restores them too):
  // its triggers (rows copied as they are must not be counted again) and its indexes other than
  // those of its primary key and unique constraints (built once at the end, they cost a sort
  // instead of a random insertion a row). PostgreSQL: ALTER TABLE … DISABLE TRIGGER USER and
  // DROP INDEX, which need the role that owns the table; SQLite: dropped, then created again
  // from their SQL.
  virtual Status SuspendTriggersAndIndexes(const std::string& table) = 0;
  virtual Status RestoreTriggersAndIndexes(const std::string& table) = 0;
  // Whether a table of that name exists (in PostgreSQL's current schema).
  virtual Result<bool> HasTable(const std::string& name) = 0;

  // Rows of a table.
  Result<int64_t> CountRows(const std::string& table);
  // The newest migration recorded in schema_migrations; nullopt when the table is absent (not a
  // bonafides database) or empty.
  Result<std::optional<int64_t>> SchemaVersion();
};

// "sqlite:PATH" or a postgresql:// (postgres://) URL: which engine, and the path or URL.
struct DatabaseUrl {
  Engine engine = Engine::kSqlite;
  std::string target;  // the path (sqlite) or the whole URL (postgresql)
};
// 422 "invalid_database" for anything else.
Result<DatabaseUrl> ParseDatabaseUrl(const std::string& text);

// Opens the SQLite file at `path`; `read_only`: never writes, and fails (422 "no_database") when
// the file does not exist. Foreign keys are enforced on a writable connection.
Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, bool read_only);
// Connects to `url` (UTF-8, ISO dates, no statement timeout). 503 "database_unavailable" when the
// server cannot be reached.
Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url);
Result<std::unique_ptr<Database>> Open(const DatabaseUrl& url, bool read_only);

// Identifiers as both engines quote them: "name", with inner quotes doubled.
std::string Quote(const std::string& identifier);

// PostgreSQL's binary forms (COPY … (FORMAT binary), binary results), for the types the schema
// uses. Exposed for the tests. `type` as ReadSchema names it (pg_type.typname).
Result<std::string> EncodePostgresBinary(const std::string& type, const Value& value);
Result<Value> DecodePostgresBinary(const std::string& type, std::string_view data);

}  // namespace bf::raw
