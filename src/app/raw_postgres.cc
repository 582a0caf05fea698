// raw_database.h over libpq. Tables move with COPY in PostgreSQL's binary format: each value in
// the form the server stores (bytea as its bytes, dates as days), no text escaping either way,
// and one round trip per megabyte instead of one per row.
#include <libpq-fe.h>

#include <cstring>
#include <limits>
#include <map>
#include <set>

#include "app/raw_database.h"
#include "core/dates.h"

namespace bf::raw {
namespace {

// PostgreSQL's date epoch: binary dates count days from it.
const Date kPostgresEpoch = date::sys_days{date::year{2000} / 1 / 1};

void PutBigEndian(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

uint64_t GetBigEndian(std::string_view in) {
  uint64_t v = 0;
  for (char c : in) v = (v << 8) | static_cast<unsigned char>(c);
  return v;
}

int64_t SignExtend(uint64_t v, size_t bytes) {
  if (bytes >= 8) return static_cast<int64_t>(v);
  const uint64_t sign = uint64_t{1} << (8 * bytes - 1);
  return static_cast<int64_t>((v ^ sign) - sign);
}

size_t IntegerBytes(const std::string& type) {
  if (type == "int2") return 2;
  if (type == "int4") return 4;
  if (type == "int8") return 8;
  return 0;
}

bool IsText(const std::string& type) {
  return type == "text" || type == "varchar" || type == "bpchar" || type == "name";
}

const char* KindName(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::kNull:
      return "NULL";
    case Value::Kind::kInt:
      return "an integer";
    case Value::Kind::kText:
      return "text";
    case Value::Kind::kBytes:
      return "bytes";
  }
  return "?";
}

tl::unexpected<Error> Unfit(const std::string& type, const Value& value) {
  return Fail(ErrorCode::kInvalid, "unfit_value",
              std::string(KindName(value.kind)) + " cannot be stored as " + type);
}

// The type names of the result columns a Query may answer with, by OID (pg_type.h).
const std::map<Oid, std::string>& TypesByOid() {
  static const std::map<Oid, std::string> types{
      {16, "bool"}, {17, "bytea"}, {19, "name"},     {20, "int8"},      {21, "int2"},
      {23, "int4"}, {25, "text"},  {1042, "bpchar"}, {1043, "varchar"}, {1082, "date"}};
  return types;
}

// The URL without its password, for messages.
std::string Redact(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const size_t at = url.find('@', scheme + 3);
  const size_t slash = url.find('/', scheme + 3);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return url;
  const size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + url.substr(at);
}

// The first line of a libpq message (they end in a newline, some add DETAIL lines).
std::string FirstLine(const char* message) {
  std::string text = message != nullptr ? message : "";
  const size_t nl = text.find('\n');
  return nl == std::string::npos ? text : text.substr(0, nl);
}

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

// COPY's binary format (the PostgreSQL manual, "COPY", "Binary Format").
constexpr char kCopySignature[] = "PGCOPY\n\377\r\n";  // and a NUL: 11 bytes
constexpr size_t kCopySignatureBytes = 11;

std::string CopyHeader() {
  std::string h(kCopySignature, kCopySignatureBytes);
  PutBigEndian(h, 0, 4);  // flags: no OIDs
  PutBigEndian(h, 0, 4);  // no header extension
  return h;
}

class PgDatabase;

class PgWriter final : public TableWriter {
 public:
  PgWriter(PGconn* conn, Table table, std::string where)
      : conn_(conn), table_(std::move(table)), where_(std::move(where)), buffer_(CopyHeader()) {}

  ~PgWriter() override {
    if (!finished_) {
      // Abandoned (an error): abort the COPY, which fails the transaction it is part of.
      PQputCopyEnd(conn_, "copy abandoned");
      while (PGresult* r = PQgetResult(conn_)) PQclear(r);
    }
  }

  Status Write(const Row& row) override {
    PutBigEndian(buffer_, row.size(), 2);
    for (size_t i = 0; i < row.size(); ++i) {
      if (row[i].kind == Value::Kind::kNull) {
        PutBigEndian(buffer_, 0xffffffffu, 4);  // -1
        continue;
      }
      auto data = EncodePostgresBinary(table_.columns[i].type, row[i]);
      if (!data) {
        return Fail(ErrorCode::kInvalid, "unfit_value",
                    table_.name + "." + table_.columns[i].name + ": " + data.error().message);
      }
      PutBigEndian(buffer_, data->size(), 4);
      buffer_ += *data;
    }
    if (buffer_.size() >= (1u << 20)) return Flush();
    return Ok();
  }

  Status Finish() override {
    PutBigEndian(buffer_, 0xffff, 2);  // trailer: -1
    BF_RETURN_IF_ERROR(Flush());
    finished_ = true;
    if (PQputCopyEnd(conn_, nullptr) != 1) return Failed(PQerrorMessage(conn_));
    ResultPtr result(PQgetResult(conn_), &PQclear);
    const bool ok = result && PQresultStatus(result.get()) == PGRES_COMMAND_OK;
    std::string message = result ? PQresultErrorMessage(result.get()) : PQerrorMessage(conn_);
    while (PGresult* r = PQgetResult(conn_)) PQclear(r);
    if (!ok) return Failed(message.c_str());
    return Ok();
  }

 private:
  Status Flush() {
    if (!buffer_.empty() &&
        PQputCopyData(conn_, buffer_.data(), static_cast<int>(buffer_.size())) != 1) {
      return Failed(PQerrorMessage(conn_));
    }
    buffer_.clear();
    return Ok();
  }

  tl::unexpected<Error> Failed(const char* message) const {
    return Fail(ErrorCode::kInternal, "database_error",
                where_ + ": writing " + table_.name + ": " + FirstLine(message));
  }

  PGconn* conn_;
  Table table_;
  std::string where_;
  std::string buffer_;
  bool finished_ = false;
};

class PgDatabase final : public Database {
 public:
  PgDatabase(PGconn* conn, std::string where) : conn_(conn), where_(std::move(where)) {}
  ~PgDatabase() override { PQfinish(conn_); }

  Engine engine() const override { return Engine::kPostgres; }
  const std::string& where() const override { return where_; }

  Status Exec(const std::string& sql) override {
    ResultPtr result(PQexec(conn_, sql.c_str()), &PQclear);
    const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return Failed(result.get());
    return Ok();
  }

  Result<std::vector<Row>> Query(const std::string& sql) override { return Query(sql, {}); }

  Result<bool> HasTable(const std::string& name) override {
    BF_ASSIGN_OR_RETURN(auto rows,
                        Query("SELECT count(*) FROM pg_class c"
                              " JOIN pg_namespace n ON n.oid = c.relnamespace"
                              " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
                              " AND c.relname = $1",
                              {name}));
    return !rows.empty() && rows[0].at(0).integer > 0;
  }

  Result<Schema> ReadSchema() override {
    Schema schema;
    // Every column of every table of the current schema, with its place in the primary key and
    // whether a sequence (identity or serial) hands out its values.
    BF_ASSIGN_OR_RETURN(
        auto columns,
        Query("SELECT c.relname::text, a.attname::text, t.typname::text,"
              "  COALESCE((SELECT k.ord FROM pg_index i,"
              "              unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)"
              "            WHERE i.indrelid = c.oid AND i.indisprimary AND k.attnum = a.attnum),"
              "           0)::int4,"
              "  pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL"
              " FROM pg_class c"
              " JOIN pg_namespace n ON n.oid = c.relnamespace"
              " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
              " JOIN pg_type t ON t.oid = a.atttypid"
              " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')"
              "   AND c.relname <> 'schema_migrations'"
              " ORDER BY c.relname COLLATE \"C\", a.attnum"));
    for (const Row& r : columns) {
      if (schema.tables.empty() || schema.tables.back().name != r.at(0).bytes) {
        schema.tables.push_back(Table{r.at(0).bytes, {}});
      }
      schema.tables.back().columns.push_back(Column{
          r.at(1).bytes, r.at(2).bytes, static_cast<int>(r.at(3).integer), r.at(4).integer != 0});
    }
    BF_ASSIGN_OR_RETURN(auto keys, Query("SELECT DISTINCT child.relname::text, parent.relname::text"
                                         " FROM pg_constraint k"
                                         " JOIN pg_class child ON child.oid = k.conrelid"
                                         " JOIN pg_class parent ON parent.oid = k.confrelid"
                                         " JOIN pg_namespace n ON n.oid = child.relnamespace"
                                         " WHERE k.contype = 'f' AND n.nspname = current_schema()"
                                         " ORDER BY 1, 2"));
    for (const Row& k : keys) schema.foreign_keys.push_back({k.at(0).bytes, k.at(1).bytes});
    BF_ASSIGN_OR_RETURN(auto triggers,
                        Query("SELECT t.tgname::text, c.relname::text FROM pg_trigger t"
                              " JOIN pg_class c ON c.oid = t.tgrelid"
                              " JOIN pg_namespace n ON n.oid = c.relnamespace"
                              " WHERE NOT t.tgisinternal AND n.nspname = current_schema()"
                              " ORDER BY t.tgname COLLATE \"C\""));
    for (const Row& t : triggers) schema.triggers.push_back({t.at(0).bytes, t.at(1).bytes});
    return schema;
  }

  Status ReadTable(const Table& table, const std::function<Status(const Row&)>& row) override {
    std::string names, order;
    for (const Column& c : table.columns) {
      names += (names.empty() ? "" : ", ") + Quote(c.name);
    }
    // In primary-key order: a SQLite target then appends to its indexes.
    std::vector<const Column*> key;
    for (const Column& c : table.columns) {
      if (c.primary_key > 0) key.push_back(&c);
    }
    std::sort(key.begin(), key.end(),
              [](const Column* a, const Column* b) { return a->primary_key < b->primary_key; });
    for (const Column* c : key) order += (order.empty() ? " ORDER BY " : ", ") + Quote(c->name);
    const std::string sql = "COPY (SELECT " + names + " FROM " + Quote(table.name) + order +
                            ") TO STDOUT (FORMAT binary)";
    ResultPtr started(PQexec(conn_, sql.c_str()), &PQclear);
    if (!started || PQresultStatus(started.get()) != PGRES_COPY_OUT) return Failed(started.get());

    // COPY OUT sends one message a row, the header with the first: parse them as one stream.
    std::string stream;
    size_t at = 0;
    bool header = false, done = false;
    Status status = Ok();
    Row out(table.columns.size());
    for (;;) {
      char* data = nullptr;
      const int n = PQgetCopyData(conn_, &data, 0);
      if (n == -1) break;
      if (n < 0) return Failed(nullptr);
      stream.append(data, static_cast<size_t>(n));
      PQfreemem(data);
      if (!status || done) {  // after an error: read the rest of the COPY, keep nothing
        stream.clear();
        at = 0;
        continue;
      }
      auto parsed = ParseCopy(table, stream, at, header, done, out, row);
      if (!parsed) status = parsed;
      stream.erase(0, at);
      at = 0;
    }
    ResultPtr finished(PQgetResult(conn_), &PQclear);
    const bool ok = finished && PQresultStatus(finished.get()) == PGRES_COMMAND_OK;
    while (PGresult* r = PQgetResult(conn_)) PQclear(r);
    if (!ok) return Failed(finished.get());
    if (!status) return status;
    if (!done)
      return Fail(ErrorCode::kInternal, "database_error",
                  where_ + ": COPY of " + table.name + " ended early");
    return Ok();
  }

  Result<std::unique_ptr<TableWriter>> WriteTable(const Table& table) override {
    std::string names;
    for (const Column& c : table.columns) names += (names.empty() ? "" : ", ") + Quote(c.name);
    const std::string sql =
        "COPY " + Quote(table.name) + " (" + names + ") FROM STDIN (FORMAT binary)";
    ResultPtr started(PQexec(conn_, sql.c_str()), &PQclear);
    if (!started || PQresultStatus(started.get()) != PGRES_COPY_IN) return Failed(started.get());
    return std::unique_ptr<TableWriter>(std::make_unique<PgWriter>(conn_, table, where_));
  }

  Status SuspendTriggersAndIndexes(const std::string& table) override {
    const std::string why = " (holding the triggers and indexes of " + table +
                            " during the copy needs the role that owns the target's tables)";
    auto disabled = Exec("ALTER TABLE " + Quote(table) + " DISABLE TRIGGER USER");
    if (!disabled) {
      return Fail(ErrorCode::kInternal, "database_error", disabled.error().message + why);
    }
    // Indexes that back no constraint (primary keys and unique constraints stay).
    BF_ASSIGN_OR_RETURN(auto indexes,
                        Query("SELECT i.relname::text, pg_get_indexdef(i.oid) FROM pg_index x"
                              " JOIN pg_class i ON i.oid = x.indexrelid"
                              " JOIN pg_class t ON t.oid = x.indrelid"
                              " JOIN pg_namespace n ON n.oid = t.relnamespace"
                              " WHERE n.nspname = current_schema() AND t.relname = $1"
                              " AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
                              "                 WHERE c.conindid = i.oid)"
                              " ORDER BY i.relname COLLATE \"C\"",
                              {table}));
    for (const Row& index : indexes) {
      auto dropped = Exec("DROP INDEX " + Quote(index.at(0).bytes));
      if (!dropped) {
        return Fail(ErrorCode::kInternal, "database_error", dropped.error().message + why);
      }
      held_[table].push_back(index.at(1).bytes);
    }
    return Ok();
  }

  Status RestoreTriggersAndIndexes(const std::string& table) override {
    for (const std::string& sql : held_[table]) BF_RETURN_IF_ERROR(Exec(sql));
    held_.erase(table);
    return Exec("ALTER TABLE " + Quote(table) + " ENABLE TRIGGER USER");
  }

  Status AdvanceSequences(const Table& table) override {
    for (const Column& c : table.columns) {
      if (!c.sequence) continue;
      // The next value handed out: one past the largest copied (1 for an empty table).
      BF_RETURN_IF_ERROR(Query("SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX(" +
                                   Quote(c.name) + "), 0) + 1, false) FROM " + Quote(table.name),
                               {Quote(table.name), c.name}));
    }
    return Ok();
  }

 private:
  Result<std::vector<Row>> Query(const std::string& sql, const std::vector<std::string>& params) {
    std::vector<const char*> values;
    for (const std::string& p : params) values.push_back(p.c_str());
    ResultPtr result(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                                  values.data(), nullptr, nullptr, /*resultFormat=*/1),
                     &PQclear);
    const auto status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) return Failed(result.get());
    const int fields = PQnfields(result.get());
    std::vector<std::string> types;
    for (int f = 0; f < fields; ++f) {
      auto type = TypesByOid().find(PQftype(result.get(), f));
      if (type == TypesByOid().end()) {
        return Fail(ErrorCode::kInternal, "database_error",
                    where_ + ": a query answered a column of type OID " +
                        std::to_string(PQftype(result.get(), f)));
      }
      types.push_back(type->second);
    }
    std::vector<Row> rows;
    for (int r = 0; r < PQntuples(result.get()); ++r) {
      Row row;
      for (int f = 0; f < fields; ++f) {
        if (PQgetisnull(result.get(), r, f)) {
          row.push_back(Value::Null());
          continue;
        }
        BF_ASSIGN_OR_RETURN(
            Value v, DecodePostgresBinary(
                         types[static_cast<size_t>(f)],
                         std::string_view(PQgetvalue(result.get(), r, f),
                                          static_cast<size_t>(PQgetlength(result.get(), r, f)))));
        row.push_back(std::move(v));
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  // Parses the complete tuples of `stream` from `at` (the header first), advancing `at` past
  // them; `done` once the trailer is read.
  Status ParseCopy(const Table& table, const std::string& stream, size_t& at, bool& header,
                   bool& done, Row& out, const std::function<Status(const Row&)>& row) {
    const std::string_view s(stream);
    auto need = [&](size_t from, size_t n) { return from + n <= s.size(); };
    if (!header) {
      if (!need(at, kCopySignatureBytes + 8)) return Ok();
      if (s.substr(at, kCopySignatureBytes) !=
          std::string_view(kCopySignature, kCopySignatureBytes)) {
        return Fail(ErrorCode::kInternal, "database_error", where_ + ": not a binary COPY");
      }
      const size_t extension = GetBigEndian(s.substr(at + kCopySignatureBytes + 4, 4));
      if (!need(at, kCopySignatureBytes + 8 + extension)) return Ok();
      at += kCopySignatureBytes + 8 + extension;
      header = true;
    }
    while (need(at, 2)) {
      const int64_t fields = SignExtend(GetBigEndian(s.substr(at, 2)), 2);
      if (fields == -1) {
        at += 2;
        done = true;
        return Ok();
      }
      if (fields != static_cast<int64_t>(table.columns.size())) {
        return Fail(
            ErrorCode::kInternal, "database_error",
            where_ + ": COPY of " + table.name + " sent " + std::to_string(fields) + " columns");
      }
      // Only whole tuples: find the end first.
      size_t end = at + 2;
      bool whole = true;
      for (int64_t f = 0; f < fields && whole; ++f) {
        if (!need(end, 4)) {
          whole = false;
          break;
        }
        const int64_t length = SignExtend(GetBigEndian(s.substr(end, 4)), 4);
        end += 4 + (length > 0 ? static_cast<size_t>(length) : 0);
        if (end > s.size()) whole = false;
      }
      if (!whole) return Ok();
      size_t p = at + 2;
      for (size_t f = 0; f < out.size(); ++f) {
        const int64_t length = SignExtend(GetBigEndian(s.substr(p, 4)), 4);
        p += 4;
        if (length < 0) {
          out[f] = Value::Null();
          continue;
        }
        auto v =
            DecodePostgresBinary(table.columns[f].type, s.substr(p, static_cast<size_t>(length)));
        if (!v) {
          return Fail(ErrorCode::kInvalid, "unfit_value",
                      table.name + "." + table.columns[f].name + ": " + v.error().message);
        }
        out[f] = std::move(*v);
        p += static_cast<size_t>(length);
      }
      at = end;
      BF_RETURN_IF_ERROR(row(out));
    }
    return Ok();
  }

  tl::unexpected<Error> Failed(const PGresult* result) const {
    const char* message = result != nullptr ? PQresultErrorMessage(result) : "";
    if (message == nullptr || *message == '\0') message = PQerrorMessage(conn_);
    return Fail(ErrorCode::kInternal, "database_error", where_ + ": " + FirstLine(message));
  }

  PGconn* conn_;
  std::string where_;
  std::map<std::string, std::vector<std::string>> held_;  // table → CREATE INDEX …
};

void IgnoreNotice(void*, const char*) {}

}  // namespace

Result<std::string> EncodePostgresBinary(const std::string& type, const Value& value) {
  std::string out;
  if (const size_t bytes = IntegerBytes(type); bytes > 0) {
    if (value.kind != Value::Kind::kInt) return Unfit(type, value);
    if (bytes < 8) {
      const int64_t limit = int64_t{1} << (8 * bytes - 1);
      if (value.integer < -limit || value.integer >= limit) {
        return Fail(ErrorCode::kInvalid, "unfit_value",
                    std::to_string(value.integer) + " is out of range for " + type);
      }
    }
    PutBigEndian(out, static_cast<uint64_t>(value.integer), static_cast<int>(bytes));
    return out;
  }
  if (type == "bool") {
    if (value.kind != Value::Kind::kInt || (value.integer != 0 && value.integer != 1)) {
      return Unfit(type, value);
    }
    out.push_back(static_cast<char>(value.integer));
    return out;
  }
  if (IsText(type)) {
    if (value.kind != Value::Kind::kText) return Unfit(type, value);
    return value.bytes;
  }
  if (type == "bytea") {
    if (value.kind != Value::Kind::kBytes && value.kind != Value::Kind::kText) {
      return Unfit(type, value);
    }
    return value.bytes;
  }
  if (type == "date") {
    if (value.kind != Value::Kind::kText) return Unfit(type, value);
    auto d = ParseIsoDate(value.bytes);
    if (!d) {
      return Fail(ErrorCode::kInvalid, "unfit_value", "'" + value.bytes + "' is not a date");
    }
    PutBigEndian(out, static_cast<uint64_t>((*d - kPostgresEpoch).count()), 4);
    return out;
  }
  return Fail(ErrorCode::kInvalid, "unsupported_type",
              "columns of type " + type + " cannot be copied");
}

Result<Value> DecodePostgresBinary(const std::string& type, std::string_view data) {
  auto wrong_size = [&] {
    return Fail(ErrorCode::kInvalid, "unfit_value",
                std::to_string(data.size()) + " bytes are not a " + type);
  };
  if (const size_t bytes = IntegerBytes(type); bytes > 0) {
    if (data.size() != bytes) return wrong_size();
    return Value::Int(SignExtend(GetBigEndian(data), bytes));
  }
  if (type == "bool") {
    if (data.size() != 1) return wrong_size();
    return Value::Int(data[0] != 0 ? 1 : 0);
  }
  if (IsText(type)) return Value::Text(std::string(data));
  if (type == "bytea") return Value::Bytes(std::string(data));
  if (type == "date") {
    if (data.size() != 4) return wrong_size();
    const int64_t days = SignExtend(GetBigEndian(data), 4);
    if (days == std::numeric_limits<int32_t>::min() ||
        days == std::numeric_limits<int32_t>::max()) {
      return Fail(ErrorCode::kInvalid, "unfit_value", "an infinite date cannot be copied");
    }
    return Value::Text(FormatIsoDate(kPostgresEpoch + date::days{days}));
  }
  return Fail(ErrorCode::kInvalid, "unsupported_type",
              "columns of type " + type + " cannot be copied");
}

Result<std::unique_ptr<Database>> OpenPostgres(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  const std::string where = Redact(url);
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    std::string message = conn != nullptr ? FirstLine(PQerrorMessage(conn)) : "out of memory";
    PQfinish(conn);
    return Fail(ErrorCode::kUnavailable, "database_unavailable",
                "cannot connect to " + where + ": " + message);
  }
  PQsetNoticeProcessor(conn, &IgnoreNotice, nullptr);
  auto database = std::make_unique<PgDatabase>(conn, where);
  // A copy may take minutes: no statement timeout from the role's defaults.
  BF_RETURN_IF_ERROR(
      database->Exec("SET client_encoding = 'UTF8'; SET DateStyle = ISO; SET TIME ZONE 'UTC';"
                     " SET statement_timeout = 0; SET lock_timeout = 0;"));
  return std::unique_ptr<Database>(std::move(database));
}

}  // namespace bf::raw
