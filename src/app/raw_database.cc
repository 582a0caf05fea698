#include "app/raw_database.h"

#include <algorithm>

namespace bf::raw {

const Table* Schema::Find(const std::string& name) const {
  for (const Table& t : tables) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

std::string Quote(const std::string& identifier) {
  std::string out = "\"";
  for (char c : identifier) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

Result<int64_t> Database::CountRows(const std::string& table) {
  BF_ASSIGN_OR_RETURN(auto rows, Query("SELECT count(*) FROM " + Quote(table)));
  if (rows.size() != 1 || rows[0].size() != 1 || rows[0][0].kind != Value::Kind::kInt) {
    return Internal("count(*) of " + table + " answered no number");
  }
  return rows[0][0].integer;
}

Result<std::optional<int64_t>> Database::SchemaVersion() {
  BF_ASSIGN_OR_RETURN(bool present, HasTable("schema_migrations"));
  if (!present) return std::optional<int64_t>();
  BF_ASSIGN_OR_RETURN(auto rows, Query("SELECT MAX(version) FROM schema_migrations"));
  if (rows.size() != 1 || rows[0].size() != 1 || rows[0][0].kind != Value::Kind::kInt) {
    return std::optional<int64_t>();
  }
  return std::optional<int64_t>(rows[0][0].integer);
}

Result<DatabaseUrl> ParseDatabaseUrl(const std::string& text) {
  if (text.rfind("sqlite:", 0) == 0 && text.size() > 7) {
    return DatabaseUrl{Engine::kSqlite, text.substr(7)};
  }
  if (text.rfind("postgresql://", 0) == 0 || text.rfind("postgres://", 0) == 0) {
    return DatabaseUrl{Engine::kPostgres, text};
  }
  return Fail(ErrorCode::kInvalid, "invalid_database",
              "'" + text + "' is not sqlite:PATH or a postgresql:// URL");
}

Result<std::unique_ptr<Database>> Open(const DatabaseUrl& url, bool read_only) {
  if (url.engine == Engine::kSqlite) return OpenSqlite(url.target, read_only);
  return OpenPostgres(url.target);
}

}  // namespace bf::raw
