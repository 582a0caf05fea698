// The `bonafides` command line: builds everything and starts it. The only place that reads the
// wall clock, the environment and the file system for configuration.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "app/demo.h"
#include "core/clock.h"
#include "core/ids.h"
#include "http/api.h"
#include "http/server.h"
#include "service/services.h"
#include "store/sqlite/sqlite_store.h"

#ifndef BONAFIDES_VERSION
#define BONAFIDES_VERSION "0.0.0"
#endif

namespace bf {
namespace {

struct DatabaseOptions {
  std::string data_dir = "./var";
  std::string database;  // sqlite:PATH or postgresql://...; empty: DATA_DIR/bonafides.db
};

void AddDatabaseOptions(CLI::App* cmd, DatabaseOptions& db) {
  cmd->add_option("--data-dir", db.data_dir, "Directory of the SQLite database and media key")
      ->envname("BONAFIDES_DATA_DIR")
      ->capture_default_str();
  cmd->add_option("--database", db.database, "sqlite:PATH or a postgresql:// URL")
      ->envname("BONAFIDES_DATABASE");
}

// The SQLite path the options name, creating the data directory if needed.
Result<std::string> SqlitePath(const DatabaseOptions& db) {
  if (db.database.rfind("postgres", 0) == 0) {
    return Fail(ErrorCode::kInvalid, "unsupported_database",
                "PostgreSQL is not supported by this build yet; use sqlite:PATH");
  }
  if (!db.database.empty()) {
    if (db.database.rfind("sqlite:", 0) != 0) {
      return Fail(ErrorCode::kInvalid, "invalid_database", "--database must be sqlite:PATH or postgresql://...");
    }
    return db.database.substr(7);
  }
  std::error_code ec;
  std::filesystem::create_directories(db.data_dir, ec);
  if (ec) {
    return Fail(ErrorCode::kInvalid, "invalid_data_dir",
                "cannot create data directory " + db.data_dir + ": " + ec.message());
  }
  return (std::filesystem::path(db.data_dir) / "bonafides.db").string();
}

// Migrates, then opens.
Result<std::unique_ptr<Store>> OpenStore(const DatabaseOptions& db, int pool_size) {
  BF_ASSIGN_OR_RETURN(std::string path, SqlitePath(db));
  BF_RETURN_IF_ERROR(MigrateSqlite(path));
  SqliteOptions options;
  options.pool_size = pool_size;
  return OpenSqliteStore(path, options);
}

// The password from BONAFIDES_ADMIN_PASSWORD, or a new one (printed by the caller).
std::string PasswordFromEnv(bool& generated) {
  const char* env = std::getenv("BONAFIDES_ADMIN_PASSWORD");
  generated = env == nullptr || *env == '\0';
  return generated ? RandomToken(12) : std::string(env);
}

int Report(const Error& e) {
  std::cerr << "bonafides: " << e.message;
  for (const FieldError& f : e.fields) {
    if (f.message != e.message) std::cerr << " (" << f.field << ": " << f.message << ")";
  }
  std::cerr << "\n";
  if (!e.detail.empty()) spdlog::debug("{}", e.detail);
  return 1;
}

// host:port → parts; false when malformed.
bool SplitListen(const std::string& listen, std::string& host, uint16_t& port) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  host = listen.substr(0, colon);
  std::string digits = listen.substr(colon + 1);
  if (host.empty() || digits.empty() || digits.size() > 5 ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  int value = std::stoi(digits);
  if (value > 65535) return false;
  port = static_cast<uint16_t>(value);
  if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return true;
}

int Serve(const DatabaseOptions& db, const std::string& listen, bool demo) {
  http::ServerOptions server_options;
  if (!SplitListen(listen, server_options.address, server_options.port)) {
    std::cerr << "bonafides: --listen must be HOST:PORT, e.g. 127.0.0.1:8080\n";
    return 2;
  }
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  auto store = OpenStore(db, threads + 2);
  if (!store) return Report(store.error());
  SystemClock clock;
  Services services(ServiceContext{**store, clock, {}});
  if (demo) {
    auto created = CreateDemoIfEmpty(services);
    if (!created) return Report(created.error());
    if (!created->empty()) std::cout << *created << std::flush;
  }
  http::Api api{services, **store, {}};
  auto router = http::MakeRouter(api);
  http::Server server(*router, server_options);
  auto port = server.Listen();
  if (!port) return Report(port.error());
  spdlog::info("bonafides {} serving http://{}:{} with {} threads", BONAFIDES_VERSION,
               server_options.address, *port, threads);
  std::cout << "Serving http://" << server_options.address << ":" << *port << std::endl;
  server.Run(true);
  spdlog::info("stopped");
  return 0;
}

}  // namespace
}  // namespace bf

int main(int argc, char** argv) {
  using namespace bf;
  spdlog::set_default_logger(spdlog::stderr_color_mt("bonafides"));
  if (const char* level = std::getenv("BONAFIDES_LOG_LEVEL")) {
    spdlog::set_level(spdlog::level::from_str(level));
  }

  CLI::App app{"Bonafides: workforce licences and certificates, kept current.", "bonafides"};
  app.set_version_flag("--version", std::string("bonafides ") + BONAFIDES_VERSION);
  app.require_subcommand(1);

  // Each command has its own options: CLI11 fills environment values for every command, used or
  // not, so a shared struct would let BONAFIDES_DATA_DIR override an unused command's flag.
  DatabaseOptions serve_db, migrate_db, org_db, user_db;
  std::string listen = "127.0.0.1:8080";
  bool demo = false;
  auto* serve = app.add_subcommand("serve", "Migrate, then serve the API and the web interface");
  serve->add_option("--listen", listen, "Address and port to listen on")
      ->envname("BONAFIDES_LISTEN")
      ->capture_default_str();
  serve->add_flag("--demo", demo, "Create the demo organisation if the database is empty")
      ->envname("BONAFIDES_DEMO");
  AddDatabaseOptions(serve, serve_db);

  auto* migrate = app.add_subcommand("migrate", "Apply pending database migrations and exit");
  AddDatabaseOptions(migrate, migrate_db);

  std::string org_name, admin_email, admin_name, org_timezone = "UTC";
  auto* org = app.add_subcommand("org", "Organisations");
  org->require_subcommand(1);
  auto* org_create = org->add_subcommand("create", "Create an organisation and its first administrator");
  org_create->add_option("--name", org_name, "Organisation name")->required();
  org_create->add_option("--admin-email", admin_email, "Administrator's email")->required();
  org_create->add_option("--admin-name", admin_name, "Administrator's name")->required();
  org_create->add_option("--timezone", org_timezone, "IANA time zone")->capture_default_str();
  AddDatabaseOptions(org_create, org_db);

  std::string user_org, user_email, user_name, permission_set;
  auto* user = app.add_subcommand("user", "Users");
  user->require_subcommand(1);
  auto* user_create = user->add_subcommand("create", "Create a user");
  user_create->add_option("--org", user_org, "Organisation id")->required()->envname("BONAFIDES_ORG");
  user_create->add_option("--email", user_email, "Email")->required();
  user_create->add_option("--name", user_name, "Name")->required();
  user_create->add_option("--permission-set", permission_set, "administrator, manager or standard")
      ->required()
      ->check(CLI::IsMember({"administrator", "manager", "standard"}));
  AddDatabaseOptions(user_create, user_db);

  // Usage errors: one clear line on stderr.
  app.failure_message([](const CLI::App* cmd, const CLI::Error& e) {
    return std::string("bonafides: ") + e.what() + " (see " + cmd->get_name() + " --help)\n";
  });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }

  if (serve->parsed()) return Serve(serve_db, listen, demo);

  if (migrate->parsed()) {
    auto path = SqlitePath(migrate_db);
    if (!path) return Report(path.error());
    auto applied = MigrateSqlite(*path);
    if (!applied) return Report(applied.error());
    std::cout << "applied " << applied->size() << " migration(s)\n";
    return 0;
  }

  auto store = OpenStore(org_create->parsed() ? org_db : user_db, 2);
  if (!store) return Report(store.error());
  SystemClock clock;
  Services services(ServiceContext{**store, clock, {}});
  bool generated = false;
  std::string password = PasswordFromEnv(generated);

  if (org_create->parsed()) {
    NewOrganization input{org_name, org_timezone, NewUser{admin_email, admin_name, "", password}};
    auto created = services.orgs.Create(input);
    if (!created) return Report(created.error());
    std::cout << created->org.id << "\n";
    if (generated) std::cerr << "administrator password: " << password << "\n";
    return 0;
  }

  if (user_create->parsed()) {
    auto uow = (*store)->Begin(true);
    if (!uow) return Report(uow.error());
    auto organization = IsUuid(user_org) ? (*uow)->FindOrganization(user_org)
                                         : Result<std::optional<Organization>>(std::nullopt);
    if (!organization) return Report(organization.error());
    if (!*organization) return Report(Error{ErrorCode::kNotFound, "not_found", "no organisation " + user_org, {}, {}});
    auto set = (*uow)->FindPermissionSetByName(user_org, permission_set);
    if (!set || !*set) return Report(set ? Error{ErrorCode::kNotFound, "not_found", "no permission set", {}, {}} : set.error());
    auto created = UserService::CreateAsSystem(**uow, services.ctx, user_org,
                                               NewUser{user_email, user_name, (*set)->id, password});
    if (!created) return Report(created.error());
    auto committed = (*uow)->Commit();
    if (!committed) return Report(committed.error());
    std::cout << created->id << "\n";
    if (generated) std::cerr << "password: " << password << "\n";
    return 0;
  }
  return 2;
}
