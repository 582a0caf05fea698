// The bulk-upload benchmark (issue 5; not a test): `make bench`.
//
// Generates a CSV file of --rows rows (default 1,000,000) for an organisation of --users users
// and five credential types, then, in one run:
//   1. starts the real `bonafides serve` on that database and uploads the file over HTTP as a
//      dry run and then as a commit, timing each request from its first byte to the answer;
//   2. reads the server's peak resident memory (VmHWM) after the import, and again, reset, for
//      an export of everything and for re-importing that export (every row unchanged);
//   4. after the server stops, in process: the time of each pass of a dry run of the file, and
//      what its spool costs alone (the rows written to it and read back);
//   3. first of all, inserts the same rows (with ids made as the import makes them) into the
//      same tables of a copy of the database as it is before the import, with two bare
//      prepared statements in one transaction, on a connection set up as the server's write
//      pass is (the same page cache): the baseline;
// and prints the rates and the ratio commit / baseline (target: at least 0.40) and the peak
// memory (target: under 256 MB).
//
// With --database postgresql://… (an empty database it may fill; `make bench-pg` starts a
// throwaway cluster for it) the same run goes to PostgreSQL: the server runs on that database,
// and the baseline is a bare COPY of the same rows into the same two tables of a copy of the
// database as it is before the import (CREATE DATABASE … TEMPLATE), in one transaction.
#include <fcntl.h>
#include <libpq-fe.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/dates.h"
#include "core/ids.h"
#include "service/import_service.h"
#include "service/import_spool.h"
#include "service/services.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

#ifndef BF_BONAFIDES
#error "BF_BONAFIDES must name the bonafides binary"
#endif

extern char** environ;

namespace {

namespace fs = std::filesystem;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr char kPassword[] = "correct horse battery";
constexpr int kTypes = 5;  // "Type 0".."Type 4"; the last does not expire

[[noreturn]] void Die(const std::string& message) {
  std::cerr << "import_bench: " << message << "\n";
  std::exit(1);
}

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// ---- The rows -------------------------------------------------------------------------------

struct Row {
  int user;
  int type;
  bf::Date issue;
  std::optional<bf::Date> expiry;
  std::string number;
};

// Row i of the benchmark, the same every run.
Row MakeRow(int64_t i, int users) {
  Row r;
  r.user = static_cast<int>((i * 7919) % users);
  r.type = static_cast<int>(i % kTypes);
  r.issue = bf::Date(date::days(18262 + i % 2000));  // from 2020-01-01
  if (r.type != kTypes - 1) r.expiry = r.issue + date::days(1095);
  r.number = "N-" + std::to_string(i);
  return r;
}

std::string Email(int user) { return "user" + std::to_string(user) + "@bench.example"; }

// ---- SQLite ---------------------------------------------------------------------------------

sqlite3* Open(const fs::path& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) Die("cannot open " + path.string());
  // As the server opens its connections (src/store/sqlite/database.cc).
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
               "PRAGMA temp_store=MEMORY; PRAGMA busy_timeout=5000;",
               nullptr, nullptr, nullptr);
  return db;
}

void Exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK)
    Die(std::string(error) + " in " + sql);
}

sqlite3_stmt* Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) Die(sqlite3_errmsg(db));
  return stmt;
}

std::string Scalar(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = Prepare(db, sql);
  std::string out;
  if (sqlite3_step(stmt) == SQLITE_ROW)
    out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  return out;
}

void Text(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

void Step(sqlite3* db, sqlite3_stmt* s) {
  if (sqlite3_step(s) != SQLITE_DONE) Die(sqlite3_errmsg(db));
  sqlite3_reset(s);
}

// Users and types for the organisation, straight into the tables (the benchmark's setup).
void Seed(const fs::path& path, const std::string& org, int users,
          std::vector<std::string>& type_ids, std::vector<std::string>& user_ids) {
  sqlite3* db = Open(path);
  const std::string set = Scalar(db, "SELECT id FROM permission_sets WHERE name = 'standard'");
  Exec(db, "BEGIN");
  sqlite3_stmt* user =
      Prepare(db,
              "INSERT INTO users (id, org_id, email, email_key, name, name_key, status,"
              " permission_set_id, password_hash, created_at, updated_at)"
              " VALUES (?1, ?2, ?3, ?3, ?4, lower(?4), 'active', ?5, '', 0, 0)");
  for (int u = 0; u < users; ++u) {
    user_ids.push_back(bf::NewId());
    Text(user, 1, user_ids.back());
    Text(user, 2, org);
    Text(user, 3, Email(u));
    Text(user, 4, "User " + std::to_string(u));
    Text(user, 5, set);
    Step(db, user);
  }
  sqlite3_finalize(user);
  sqlite3_stmt* type =
      Prepare(db,
              "INSERT INTO credential_types (id, org_id, name, name_key, expires, created_at,"
              " updated_at) VALUES (?1, ?2, ?3, lower(?3), ?4, 0, 0)");
  for (int t = 0; t < kTypes; ++t) {
    type_ids.push_back(bf::NewId());
    Text(type, 1, type_ids.back());
    Text(type, 2, org);
    Text(type, 3, "Type " + std::to_string(t));
    sqlite3_bind_int(type, 4, t == kTypes - 1 ? 0 : 1);
    Step(db, type);
  }
  sqlite3_finalize(type);
  Exec(db, "COMMIT");
  Exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3_close(db);
}

// The baseline: the same rows into the same tables, two prepared statements, one transaction,
// as the import's write pass writes them (src/store/sqlite/imports.cc).
double Baseline(const fs::path& path, const std::string& org, const std::string& actor,
                int64_t rows, int users, const std::vector<std::string>& type_ids,
                const std::vector<std::string>& user_ids) {
  sqlite3* db = Open(path);
  Exec(db, "PRAGMA cache_size = " + std::to_string(-bf::kSqliteBulkWritePageCacheKiB));
  sqlite3_stmt* credential = Prepare(
      db,
      "INSERT INTO credentials (id, org_id, user_id, type_id, archived, version, issue_date,"
      " expiry_date, credential_number, number_key, approval_status, etag_counter, created_at,"
      " created_by, updated_at, updated_by)"
      " VALUES (?1, ?2, ?3, ?4, 0, 1, ?5, ?6, ?7, ?8, ?9, 1, ?10, ?11, ?10, ?11)");
  sqlite3_stmt* version =
      Prepare(db,
              "INSERT INTO credential_versions (credential_id, version, issue_date, expiry_date,"
              " credential_number, approval_status, rejection_reason, approved_by, approved_at,"
              " created_at, created_by, updated_at, updated_by)"
              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, ?8, ?9, ?10, ?9, ?10)");
  const auto start = Clock::now();
  const int64_t now = 1'800'000'000'000;
  Exec(db, "BEGIN IMMEDIATE");
  for (int64_t i = 0; i < rows; ++i) {
    const Row r = MakeRow(i, users);
    const std::string id = bf::ImportedCredentialId(bf::FromMillis(now), static_cast<uint32_t>(i));
    const std::string issue = bf::FormatIsoDate(r.issue);
    const std::string expiry = r.expiry ? bf::FormatIsoDate(*r.expiry) : "";
    Text(credential, 1, id);
    Text(credential, 2, org);
    Text(credential, 3, user_ids[static_cast<size_t>(r.user)]);
    Text(credential, 4, type_ids[static_cast<size_t>(r.type)]);
    Text(credential, 5, issue);
    if (r.expiry)
      Text(credential, 6, expiry);
    else
      sqlite3_bind_null(credential, 6);
    Text(credential, 7, r.number);
    Text(credential, 8, "n-" + std::to_string(i));
    Text(credential, 9, "not_required");
    sqlite3_bind_int64(credential, 10, now);
    Text(credential, 11, actor);
    Step(db, credential);
    Text(version, 1, id);
    sqlite3_bind_int(version, 2, 1);
    Text(version, 3, issue);
    if (r.expiry)
      Text(version, 4, expiry);
    else
      sqlite3_bind_null(version, 4);
    Text(version, 5, r.number);
    Text(version, 6, "not_required");
    sqlite3_bind_null(version, 7);
    sqlite3_bind_null(version, 8);
    sqlite3_bind_int64(version, 9, now);
    Text(version, 10, actor);
    Step(db, version);
  }
  Exec(db, "COMMIT");
  const double seconds = Seconds(start);
  sqlite3_finalize(credential);
  sqlite3_finalize(version);
  sqlite3_close(db);
  return seconds;
}

// ---- PostgreSQL -----------------------------------------------------------------------------

PGconn* Connect(const std::string& url, const std::string& dbname = "") {
  const char* keys[] = {"dbname", dbname.empty() ? nullptr : "dbname", nullptr};
  const char* values[] = {url.c_str(), dbname.empty() ? nullptr : dbname.c_str(), nullptr};
  PGconn* pg = PQconnectdbParams(keys, values, 1);
  if (PQstatus(pg) != CONNECTION_OK) Die(std::string("cannot connect: ") + PQerrorMessage(pg));
  return pg;
}

void PgExec(PGconn* pg, const std::string& sql) {
  PGresult* r = PQexec(pg, sql.c_str());
  const auto status = PQresultStatus(r);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    Die(std::string(PQerrorMessage(pg)) + " in " + sql);
  PQclear(r);
}

std::string PgScalar(PGconn* pg, const std::string& sql) {
  PGresult* r = PQexec(pg, sql.c_str());
  if (PQresultStatus(r) != PGRES_TUPLES_OK) Die(std::string(PQerrorMessage(pg)) + " in " + sql);
  std::string out = PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "";
  PQclear(r);
  return out;
}

// COPY … FROM STDIN of the text `fill` writes, sent in pieces of about a megabyte: fill(buffer)
// appends rows and returns false when it has no more.
void PgCopy(PGconn* pg, const std::string& copy, const std::function<bool(std::string&)>& fill) {
  PGresult* r = PQexec(pg, copy.c_str());
  if (PQresultStatus(r) != PGRES_COPY_IN) Die(std::string(PQerrorMessage(pg)) + " in " + copy);
  PQclear(r);
  std::string buffer;
  bool more = true;
  while (more) {
    buffer.clear();
    while ((more = fill(buffer)) && buffer.size() < (1 << 20)) {
    }
    if (!buffer.empty() && PQputCopyData(pg, buffer.data(), static_cast<int>(buffer.size())) != 1)
      Die(std::string(PQerrorMessage(pg)) + " in " + copy);
  }
  if (PQputCopyEnd(pg, nullptr) != 1) Die(PQerrorMessage(pg));
  while ((r = PQgetResult(pg)) != nullptr) {
    if (PQresultStatus(r) != PGRES_COMMAND_OK) Die(std::string(PQerrorMessage(pg)) + " in " + copy);
    PQclear(r);
  }
}

// Users and types for the organisation, straight into the tables (the benchmark's setup).
void SeedPg(const std::string& url, const std::string& org, int users,
            std::vector<std::string>& type_ids, std::vector<std::string>& user_ids) {
  PGconn* pg = Connect(url);
  const std::string set = PgScalar(
      pg, "SELECT id FROM permission_sets WHERE org_id = '" + org + "' AND name = 'standard'");
  PgExec(pg, "BEGIN");
  int u = 0;
  PgCopy(pg,
         "COPY users (id, org_id, email, email_key, name, name_key, status, permission_set_id,"
         " password_hash, created_at, updated_at) FROM STDIN",
         [&](std::string& out) {
           if (u == users) return false;
           user_ids.push_back(bf::NewId());
           const std::string name = "User " + std::to_string(u);
           out += user_ids.back() + "\t" + org + "\t" + Email(u) + "\t" + Email(u) + "\t" + name +
                  "\t" + "user " + std::to_string(u) + "\tactive\t" + set + "\t\t0\t0\n";
           return ++u < users;
         });
  for (int t = 0; t < kTypes; ++t) {
    type_ids.push_back(bf::NewId());
    PgExec(pg,
           "INSERT INTO credential_types (id, org_id, name, name_key, expires, created_at,"
           " updated_at) VALUES ('" +
               type_ids.back() + "', '" + org + "', 'Type " + std::to_string(t) + "', 'type " +
               std::to_string(t) + "', " + (t == kTypes - 1 ? "0" : "1") + ", 0, 0)");
  }
  PgExec(pg, "COMMIT");
  PgExec(pg, "ANALYZE");
  PQfinish(pg);
}

// The baseline: the same rows into the same tables, as the import's write pass writes them
// (src/store/postgres/import_staging.cc), with a bare COPY each, in one transaction, into
// `baseline`: a copy of the database made before the import.
double BaselinePg(const std::string& url, const std::string& baseline, const std::string& org,
                  const std::string& actor, int64_t rows, int users,
                  const std::vector<std::string>& type_ids,
                  const std::vector<std::string>& user_ids) {
  PGconn* pg = Connect(url, baseline);
  const int64_t now = 1'800'000'000'000;
  const std::string at = std::to_string(now);
  auto id_of = [&](int64_t i) {
    return bf::ImportedCredentialId(bf::FromMillis(now), static_cast<uint32_t>(i));
  };
  const auto start = Clock::now();
  PgExec(pg, "BEGIN");
  int64_t i = 0;
  std::vector<std::string> ids;
  ids.reserve(static_cast<size_t>(rows));
  PgCopy(pg,
         "COPY credentials (id, org_id, user_id, type_id, archived, version, issue_date,"
         " expiry_date, credential_number, number_key, approval_status, etag_counter, created_at,"
         " created_by, updated_at, updated_by) FROM STDIN",
         [&](std::string& out) {
           if (i == rows) return false;
           const Row r = MakeRow(i, users);
           ids.push_back(id_of(i));
           out += ids.back() + "\t" + org + "\t" + user_ids[static_cast<size_t>(r.user)] + "\t" +
                  type_ids[static_cast<size_t>(r.type)] + "\t0\t1\t" + bf::FormatIsoDate(r.issue) +
                  "\t" + (r.expiry ? bf::FormatIsoDate(*r.expiry) : "\\N") + "\t" + r.number +
                  "\tn-" + std::to_string(i) + "\tnot_required\t1\t" + at + "\t" + actor + "\t" +
                  at + "\t" + actor + "\n";
           return ++i < rows;
         });
  i = 0;
  PgCopy(pg,
         "COPY credential_versions (credential_id, version, issue_date, expiry_date,"
         " credential_number, approval_status, rejection_reason, approved_by, approved_at,"
         " created_at, created_by, updated_at, updated_by) FROM STDIN",
         [&](std::string& out) {
           if (i == rows) return false;
           const Row r = MakeRow(i, users);
           out += ids[static_cast<size_t>(i)] + "\t1\t" + bf::FormatIsoDate(r.issue) + "\t" +
                  (r.expiry ? bf::FormatIsoDate(*r.expiry) : "\\N") + "\t" + r.number +
                  "\tnot_required\t\\N\t\\N\t\\N\t" + at + "\t" + actor + "\t" + at + "\t" + actor +
                  "\n";
           return ++i < rows;
         });
  PgExec(pg, "COMMIT");
  const double seconds = Seconds(start);
  const std::string check = PgScalar(pg, "SELECT count(*) FROM credential_versions");
  if (check != std::to_string(rows)) Die("the baseline wrote " + check + " versions");
  PQfinish(pg);
  return seconds;
}

// ---- The server -----------------------------------------------------------------------------

pid_t Spawn(const fs::path& dir, const std::string& name, std::vector<std::string> args) {
  args.insert(args.begin(), BF_BONAFIDES);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string out = (dir / (name + ".out")).string(), err = (dir / (name + ".err")).string();
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  if (posix_spawn(&pid, BF_BONAFIDES, &actions, nullptr, argv.data(), environ) != 0)
    Die("cannot run bonafides");
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

int Wait(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

// A memory figure of `pid` from /proc/PID/status, in MiB: "VmHWM" (the peak), "VmRSS" (now).
double StatusMiB(pid_t pid, const std::string& field) {
  const std::string status = ReadFile("/proc/" + std::to_string(pid) + "/status");
  const auto at = status.find(field + ":");
  return at == std::string::npos ? 0 : std::stod(status.substr(at + field.size() + 1)) / 1024;
}

// The peak resident memory of `pid` in MiB (VmHWM) since the last reset, and resets it to what
// is resident now (clear_refs 5) when asked.
double PeakMiB(pid_t pid, bool reset) {
  const double mib = StatusMiB(pid, "VmHWM");
  if (reset) std::ofstream("/proc/" + std::to_string(pid) + "/clear_refs") << "5";
  return mib;
}

struct Answer {
  int status = 0;
  std::string set_cookie;
  std::string body;
};

// One request on a new connection; the body is a string or a file (streamed from disk).
Answer Send(uint16_t port, const std::string& method, const std::string& target,
            const std::string& cookie, const std::string& body, const fs::path& file = {},
            const std::string& type = "application/json") {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  auto prepare = [&](auto& req) {
    req.method_string(method);
    req.target(target);
    req.version(11);
    req.set(bhttp::field::host, "127.0.0.1");
    req.set(bhttp::field::content_type, type);
    if (!cookie.empty()) req.set(bhttp::field::cookie, cookie);
  };
  if (!file.empty()) {
    bhttp::request<bhttp::file_body> req;
    prepare(req);
    beast::error_code ec;
    req.body().open(file.c_str(), beast::file_mode::scan, ec);
    if (ec) Die("cannot open " + file.string());
    req.prepare_payload();
    bhttp::write(stream, req);
  } else {
    bhttp::request<bhttp::string_body> req;
    prepare(req);
    req.body() = body;
    req.prepare_payload();
    bhttp::write(stream, req);
  }
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(boost::none);
  bhttp::read(stream, buffer, parser);
  Answer a;
  a.status = static_cast<int>(parser.get().result_int());
  a.set_cookie = std::string(parser.get()[bhttp::field::set_cookie]);
  a.body = std::move(parser.get().body());
  return a;
}

std::string Field(const std::string& json, const std::string& name) {
  const auto at = json.find("\"" + name + "\":");
  if (at == std::string::npos) return "?";
  const auto start = at + name.size() + 3;
  return json.substr(start, json.find_first_of(",}", start) - start);
}

}  // namespace

int main(int argc, char** argv) {
  int64_t rows = 1'000'000;
  int users = 10'000;
  fs::path dir = "bench-data";
  std::string database;  // postgresql://…; "": SQLite in DIR/data
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--rows")
      rows = std::stoll(argv[i + 1]);
    else if (flag == "--users")
      users = std::stoi(argv[i + 1]);
    else if (flag == "--dir")
      dir = argv[i + 1];
    else if (flag == "--database")
      database = argv[i + 1];
    else
      Die("usage: import_bench [--rows N] [--users N] [--dir DIR] [--database postgresql://…]");
  }
  const bool pg = !database.empty();
  const std::string baseline_db = "bench_baseline";
  fs::remove_all(dir);
  fs::create_directories(dir / "data");
  dir = fs::absolute(dir);

  // The organisation, its users and types.
  ::setenv("BONAFIDES_ADMIN_PASSWORD", kPassword, 1);
  // Where the database is, as every command takes it.
  const std::vector<std::string> where =
      pg ? std::vector<std::string>{"--database", database}
         : std::vector<std::string>{"--data-dir", (dir / "data").string()};
  auto with_where = [&](std::vector<std::string> args) {
    args.insert(args.end(), where.begin(), where.end());
    return args;
  };
  if (pg) {
    // The media key a PostgreSQL node needs (it keeps no state of its own).
    std::ofstream key(dir / "media.key", std::ios::binary);
    key << std::string(32, 'k');
  }
  if (pg) {
    pid_t migrated = Spawn(dir, "migrate", with_where({"migrate"}));
    if (Wait(migrated) != 0) Die("migrate failed: " + ReadFile(dir / "migrate.err"));
  }
  pid_t created = Spawn(dir, "org",
                        with_where({"org", "create", "--name", "Bench", "--admin-email",
                                    "admin@bench.example", "--admin-name", "Ada Admin"}));
  if (Wait(created) != 0) Die("org create failed: " + ReadFile(dir / "org.err"));
  std::string org = ReadFile(dir / "org.out");
  org = org.substr(0, org.find('\n'));
  const fs::path db_path = dir / "data" / "bonafides.db";
  std::vector<std::string> type_ids, user_ids;
  if (pg) {
    SeedPg(database, org, users, type_ids, user_ids);
    // As it is before the import. No session may be connected to the template meanwhile.
    PGconn* admin = Connect(database);
    const std::string name = PQdb(admin);
    PgExec(admin, "DROP DATABASE IF EXISTS " + baseline_db);
    PQfinish(admin);
    admin = Connect(database, "postgres");
    PgExec(admin, "CREATE DATABASE " + baseline_db + " TEMPLATE \"" + name + "\"");
    PQfinish(admin);
  } else {
    Seed(db_path, org, users, type_ids, user_ids);
    fs::copy_file(db_path, dir / "baseline.db");  // as it is before the import
  }

  // The file.
  const fs::path csv = dir / "credentials.csv";
  {
    auto start = Clock::now();
    std::ofstream out(csv, std::ios::binary);
    out << "email,credential_type,issue_date,expiry_date,credential_number\n";
    std::string line;
    for (int64_t i = 0; i < rows; ++i) {
      const Row r = MakeRow(i, users);
      line = Email(r.user) + ",Type " + std::to_string(r.type) + "," + bf::FormatIsoDate(r.issue) +
             "," + (r.expiry ? bf::FormatIsoDate(*r.expiry) : "") + "," + r.number + "\n";
      out << line;
    }
    std::printf("generated %lld rows (%.1f MB) in %.1f s\n", static_cast<long long>(rows),
                static_cast<double>(fs::file_size(csv)) / 1e6, Seconds(start));
  }

  // The baseline, before anything else runs.
  double baseline_seconds = 0;
  if (pg) {
    PGconn* seeded = Connect(database, baseline_db);
    const std::string actor =
        PgScalar(seeded, "SELECT id FROM users WHERE email = 'admin@bench.example'");
    PQfinish(seeded);
    baseline_seconds =
        BaselinePg(database, baseline_db, org, actor, rows, users, type_ids, user_ids);
    std::printf(
        "%-22s %7.2f s  %9.0f rows/s  (PostgreSQL: a bare COPY into each table, one "
        "transaction)\n",
        "baseline", baseline_seconds, static_cast<double>(rows) / baseline_seconds);
    PGconn* admin = Connect(database, "postgres");
    PgExec(admin, "DROP DATABASE " + baseline_db);
    PQfinish(admin);
  } else {
    sqlite3* seeded = Open(dir / "baseline.db");
    const std::string actor =
        Scalar(seeded, "SELECT id FROM users WHERE email = 'admin@bench.example'");
    sqlite3_close(seeded);
    baseline_seconds = Baseline(dir / "baseline.db", org, actor, rows, users, type_ids, user_ids);
    std::printf(
        "%-22s %7.2f s  %9.0f rows/s  (two prepared INSERTs, one transaction, %lld KiB page "
        "cache)\n",
        "baseline", baseline_seconds, static_cast<double>(rows) / baseline_seconds,
        static_cast<long long>(bf::kSqliteBulkWritePageCacheKiB));
  }
  std::fflush(stdout);

  // The server.
  std::vector<std::string> serve = {"serve", "--listen", "127.0.0.1:0", "--notify-interval", "0"};
  if (pg) {
    serve.push_back("--media-key-file");
    serve.push_back((dir / "media.key").string());
  }
  pid_t server = Spawn(dir, "serve", with_where(serve));
  uint16_t port = 0;
  for (int i = 0; i < 300 && port == 0; ++i) {
    const std::string out = ReadFile(dir / "serve.out");
    const std::string prefix = "Serving http://127.0.0.1:";
    if (auto at = out.find(prefix);
        at != std::string::npos && out.find('\n', at) != std::string::npos) {
      port = static_cast<uint16_t>(std::stoi(out.substr(at + prefix.size())));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (port == 0) Die("serve did not start: " + ReadFile(dir / "serve.err"));
  Answer login =
      Send(port, "POST", "/api/v1/auth/login", "",
           std::string(R"({"email":"admin@bench.example","password":")") + kPassword + "\"}");
  if (login.status != 200) Die("sign-in failed: " + login.body);
  const std::string cookie = login.set_cookie.substr(0, login.set_cookie.find(';'));
  const double idle_mib = PeakMiB(server, true);

  auto timed = [&](const char* what, const std::string& target, const fs::path& file) {
    auto start = Clock::now();
    Answer a = Send(port, file.empty() ? "GET" : "POST", target, cookie, "", file, "text/csv");
    const double seconds = Seconds(start);
    if (a.status != 200)
      Die(std::string(what) + " answered " + std::to_string(a.status) + ": " +
          a.body.substr(0, 500));
    const double mib = PeakMiB(server, true);
    std::printf("%-22s %7.2f s  %9.0f rows/s  server RSS peak %6.1f MiB, after %6.1f MiB", what,
                seconds, static_cast<double>(rows) / seconds, mib, StatusMiB(server, "VmRSS"));
    if (!file.empty()) {
      std::printf("  created %s, new_versions %s, unchanged %s, errors %s",
                  Field(a.body, "created").c_str(), Field(a.body, "new_versions").c_str(),
                  Field(a.body, "unchanged").c_str(), Field(a.body, "errors_truncated").c_str());
    }
    std::printf("\n");
    std::fflush(stdout);
    return std::make_tuple(seconds, mib, std::move(a.body));
  };

  std::printf(
      "server started and signed in: RSS peak %.1f MiB (argon2id takes 64 MiB), now %.1f MiB\n",
      idle_mib, StatusMiB(server, "VmRSS"));
  auto [dry_seconds, dry_mib, dry_body] =
      timed("dry run", "/api/v1/credential-imports?dry_run=true", csv);
  auto [commit_seconds, commit_mib, commit_body] =
      timed("commit", "/api/v1/credential-imports", csv);
  auto [export_seconds, export_mib, export_body] =
      timed("export", "/api/v1/credentials/export.csv", {});
  const fs::path exported = dir / "export.csv";
  std::ofstream(exported, std::ios::binary) << export_body;
  export_body.clear();
  export_body.shrink_to_fit();
  auto [again_seconds, again_mib, again_body] =
      timed("re-import of export", "/api/v1/credential-imports", exported);
  ::kill(server, SIGTERM);
  Wait(server);

  // In process: the passes of a dry run (every row now unchanged: one lookup each), and the spool.
  {
    auto store = pg ? bf::OpenPostgresStore(database) : bf::OpenSqliteStore(db_path.string());
    if (!store) Die("cannot open the database: " + store.error().message);
    bf::SystemClock clock;
    bf::ServiceOptions options;
    options.import_spool_dir = (dir / "data").string();
    bf::Services services(bf::ServiceContext{**store, clock, options});
    std::ifstream in(csv, std::ios::binary);
    std::vector<char> buffer(1 << 16);
    bf::ByteSource source = [&]() -> bf::Result<std::string_view> {
      in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      return std::string_view(buffer.data(), static_cast<size_t>(in.gcount()));
    };
    bf::ImportRequest request;
    request.dry_run = true;
    Clock::time_point start = Clock::now(), matching{};
    request.progress = [&](const bf::ImportProgress& p) {
      if (p.phase == bf::ImportProgress::Phase::kMatching && matching == Clock::time_point{})
        matching = Clock::now();
    };
    auto outcome = services.imports.Import(bf::ImportService::SystemActor(org), request, source);
    if (!outcome) Die("in-process dry run failed: " + outcome.error().message);
    const double total = Seconds(start);
    const double pass1 = std::chrono::duration<double>(matching - start).count();
    std::printf(
        "in process, dry run    %7.2f s: pass 1 (read, validate, spool) %.2f s, pass 2 (match) "
        "%.2f s; unchanged %lld\n",
        total, pass1, total - pass1, static_cast<long long>(outcome->report.unchanged));

    auto spool = bf::SpoolFile::Create((dir / "data").string());
    if (!spool) Die("no spool");
    start = Clock::now();
    for (int64_t i = 0; i < rows; ++i) {  // a row as pass 1 spools it
      const Row r = MakeRow(i, users);
      (*spool)->PutI64(i + 2);
      (*spool)->PutU8(0);
      (*spool)->PutU8(0);
      (*spool)->PutU32(static_cast<uint32_t>(r.user));
      (*spool)->PutU32(static_cast<uint32_t>(r.type));
      (*spool)->PutI32(static_cast<int32_t>(r.issue.time_since_epoch().count()));
      (*spool)->PutI32(0);
      (*spool)->PutString(r.number);
    }
    if (!(*spool)->Rewind()) Die("spool rewind failed");
    int64_t read = 0, value = 0;
    uint8_t flag = 0;
    uint32_t index = 0;
    int32_t day = 0;
    std::string number;
    while ((*spool)->GetI64(value) && (*spool)->GetU8(flag) && (*spool)->GetU8(flag) &&
           (*spool)->GetU32(index) && (*spool)->GetU32(index) && (*spool)->GetI32(day) &&
           (*spool)->GetI32(day) && (*spool)->GetString(number)) {
      ++read;
    }
    std::printf("spool alone            %7.2f s: %lld rows, %.1f MB written and read back\n",
                Seconds(start), static_cast<long long>(read),
                static_cast<double>((*spool)->bytes_written()) / 1e6);
  }

  const double ratio = baseline_seconds / commit_seconds;
  const double peak = std::max({dry_mib, commit_mib, export_mib, again_mib});
  std::printf("\ncommit / baseline rate: %.2f (target >= 0.40) %s\n", ratio,
              ratio >= 0.40 ? "ok" : "MISSED");
  std::printf("server peak RSS: %.1f MiB (target < 256) %s\n", peak, peak < 256 ? "ok" : "MISSED");
  return 0;
}
