// The `bonafides` command line: builds everything and starts it. The only place that reads the
// wall clock, the environment and the file system for configuration.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>

#include "app/copy_command.h"
#include "app/demo.h"
#include "app/import_command.h"
#include "app/media_setup.h"
#include "core/clock.h"
#include "core/ids.h"
#include "http/api.h"
#include "http/server.h"
#include "jobs/scheduler.h"
#include "jobs/smtp_mailer.h"
#include "media/thumbnail_sandbox.h"
#include "media/vips_media.h"
#include "service/activity.h"
#include "service/services.h"
#include "store/postgres/postgres_store.h"
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

bool UsesPostgres(const DatabaseOptions& db) { return IsPostgresUrl(db.database); }

// The SQLite path the options name, creating the data directory if needed.
Result<std::string> SqlitePath(const DatabaseOptions& db) {
  if (!db.database.empty()) {
    if (db.database.rfind("sqlite:", 0) != 0) {
      return Fail(ErrorCode::kInvalid, "invalid_database",
                  "--database must be sqlite:PATH or postgresql://...");
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

// Applies the pending migrations of the database the options name; the numbers applied.
Result<std::vector<int>> Migrate(const DatabaseOptions& db) {
  if (UsesPostgres(db)) return MigratePostgres(db.database);
  BF_ASSIGN_OR_RETURN(std::string path, SqlitePath(db));
  return MigrateSqlite(path);
}

// Migrates, then opens.
Result<std::unique_ptr<Store>> OpenStore(const DatabaseOptions& db, int pool_size) {
  if (UsesPostgres(db)) {
    BF_RETURN_IF_ERROR(MigratePostgres(db.database));
    PostgresOptions options;
    options.pool_size = pool_size;
    return OpenPostgresStore(db.database, options);
  }
  BF_ASSIGN_OR_RETURN(std::string path, SqlitePath(db));
  BF_RETURN_IF_ERROR(MigrateSqlite(path));
  SqliteOptions options;
  options.pool_size = pool_size;
  return OpenSqliteStore(path, options);
}

// Where bulk uploads spool their rows: the directory of the SQLite database; with PostgreSQL
// (a node keeps no state) the system's temporary directory.
std::string ImportSpoolDir(const DatabaseOptions& db) {
  if (UsesPostgres(db)) {
    std::error_code ec;
    auto tmp = std::filesystem::temp_directory_path(ec);
    return ec ? std::string("/tmp") : tmp.string();
  }
  auto path = SqlitePath(db);
  if (!path) return db.data_dir;
  auto dir = std::filesystem::path(*path).parent_path();
  return dir.empty() ? "." : dir.string();
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

// ---- Notifications: reminder options, the mailer, `notify --once` ---------------------------

struct NotifyConfig {
  int send_hour = kDefaultSendHour;
  std::string public_url;  // empty: http://<listen>
  int interval_seconds = 60;
  std::string smtp_host, smtp_security = "starttls", smtp_user, smtp_password, mail_from;
  int smtp_port = 0;
  int smtp_timeout_seconds = 30;
  bool smtp_insecure = false;
  int email_lease_seconds = 300;
};

void AddNotifyOptions(CLI::App* cmd, NotifyConfig& n) {
  cmd->add_option("--send-hour", n.send_hour, "Local hour (0-23) from which reminders go out")
      ->envname("BONAFIDES_SEND_HOUR")
      ->check(CLI::Range(0, 23))
      ->capture_default_str();
  cmd->add_option("--public-url", n.public_url,
                  "Base URL of the web interface, for links in emails")
      ->envname("BONAFIDES_PUBLIC_URL");
  cmd->add_option("--smtp-host", n.smtp_host, "SMTP server; email is off without one")
      ->envname("BONAFIDES_SMTP_HOST");
  cmd->add_option("--smtp-port", n.smtp_port, "SMTP port (default 587, 465 with tls, 25 with none)")
      ->envname("BONAFIDES_SMTP_PORT")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--smtp-security", n.smtp_security, "none, starttls or tls")
      ->envname("BONAFIDES_SMTP_SECURITY")
      ->check(CLI::IsMember({"none", "starttls", "tls"}))
      ->capture_default_str();
  cmd->add_option("--smtp-user", n.smtp_user, "SMTP login")->envname("BONAFIDES_SMTP_USER");
  cmd->add_option("--smtp-password", n.smtp_password, "SMTP password")
      ->envname("BONAFIDES_SMTP_PASSWORD");
  cmd->add_option("--mail-from", n.mail_from, "From address of emails")
      ->envname("BONAFIDES_MAIL_FROM");
  cmd->add_option("--smtp-timeout", n.smtp_timeout_seconds, "Seconds one message may take")
      ->envname("BONAFIDES_SMTP_TIMEOUT")
      ->check(CLI::Range(1, 600))
      ->capture_default_str();
  cmd->add_flag("--smtp-insecure", n.smtp_insecure, "Do not verify the SMTP server's certificate")
      ->envname("BONAFIDES_SMTP_INSECURE");
  cmd->add_option("--email-lease", n.email_lease_seconds,
                  "Seconds an email being sent is held; a sender that died is retried after them "
                  "(longer than --smtp-timeout)")
      ->envname("BONAFIDES_EMAIL_LEASE")
      ->check(CLI::Range(2, 86400))
      ->capture_default_str();
}

ServiceOptions ServiceOptionsFor(const NotifyConfig& n, const std::string& listen) {
  ServiceOptions options;
  options.notify.send_hour = n.send_hour;
  options.notify.email_enabled = !n.smtp_host.empty();
  options.notify.public_url = n.public_url.empty() ? "http://" + listen : n.public_url;
  options.notify.lease = std::chrono::seconds(n.email_lease_seconds);
  return options;
}

// The SMTP mailer, or null when no server is configured. kInvalid without a from address.
Result<std::unique_ptr<Mailer>> MakeMailer(const NotifyConfig& n) {
  if (n.smtp_host.empty()) return std::unique_ptr<Mailer>();
  if (n.mail_from.empty()) {
    return Fail(ErrorCode::kInvalid, "mail_from_required",
                "--mail-from is required with --smtp-host");
  }
  // A sender still inside one message's time must keep its lease, or a second sender would take
  // the email and send it again.
  if (n.email_lease_seconds <= n.smtp_timeout_seconds) {
    return Fail(ErrorCode::kInvalid, "email_lease_too_short",
                "--email-lease (" + std::to_string(n.email_lease_seconds) +
                    " s) must be longer than --smtp-timeout (" +
                    std::to_string(n.smtp_timeout_seconds) + " s)");
  }
  jobs::SmtpOptions smtp;
  smtp.host = n.smtp_host;
  smtp.port = n.smtp_port;
  smtp.security = jobs::ParseSmtpSecurity(n.smtp_security).value_or(jobs::SmtpSecurity::kStartTls);
  smtp.user = n.smtp_user;
  smtp.password = n.smtp_password;
  smtp.from = n.mail_from;
  smtp.verify_tls = !n.smtp_insecure;
  smtp.timeout = std::chrono::seconds(n.smtp_timeout_seconds);
  return std::unique_ptr<Mailer>(std::make_unique<jobs::SmtpMailer>(smtp));
}

// "As if the time were --now".
class FixedClock final : public Clock {
 public:
  explicit FixedClock(Timestamp t) : t_(t) {}
  Timestamp Now() const override { return t_; }

 private:
  Timestamp t_;
};

// `bonafides notify --once [--now T]`: one pass, then a line of what it did.
int NotifyOnce(const DatabaseOptions& db, const NotifyConfig& n, const std::string& now_text) {
  std::unique_ptr<Clock> clock = std::make_unique<SystemClock>();
  if (!now_text.empty()) {
    auto now = ParseTimestamp(now_text);
    if (!now) {
      std::cerr << "bonafides: --now must be an RFC 3339 time, e.g. 2026-11-29T08:00:00Z\n";
      return 2;
    }
    clock = std::make_unique<FixedClock>(*now);
  }
  auto mailer = MakeMailer(n);
  if (!mailer) return Report(mailer.error());
  auto store = OpenStore(db, 2);
  if (!store) return Report(store.error());
  Services services(ServiceContext{**store, *clock, ServiceOptionsFor(n, "127.0.0.1:8080")});
  auto pass = jobs::RunPassOnce(services.reminders, mailer->get());
  if (!pass) return Report(pass.error());
  std::cout << "reminders: " << pass->scan.in_app << " in-app, " << pass->scan.emails_queued
            << " emails queued, " << pass->scan.superseded << " superseded, " << pass->scan.digests
            << " digests; emails: " << pass->delivery.sent << " sent, " << pass->delivery.retrying
            << " to retry, " << pass->delivery.failed << " failed\n";
  return pass->delivery.stopped_early ? 1 : 0;
}

// ---- Media: the key, the size limit -----------------------------------------------------------

struct MediaConfig {
  std::string key;       // base64; empty: DATA_DIR/media.key
  std::string key_file;  // 32 bytes (or their base64); required with PostgreSQL
  int max_upload_mb = 20;
  int threads = 2;
  int thumbnail_memory_mb = 1024;
  int thumbnail_cpu_seconds = 10;
  int thumbnail_timeout_seconds = 20;
};

void AddMediaOptions(CLI::App* cmd, MediaConfig& m) {
  cmd->add_option("--media-key", m.key,
                  "Key that encrypts media files: base64 of 32 bytes (default: DATA_DIR/media.key, "
                  "created on first run)")
      ->envname("BONAFIDES_MEDIA_KEY");
  cmd->add_option("--media-key-file", m.key_file,
                  "File of the media key, 32 random bytes (required with a postgresql:// "
                  "database: the same file on every node)")
      ->envname("BONAFIDES_MEDIA_KEY_FILE");
  cmd->add_option("--max-upload-mb", m.max_upload_mb, "Largest media file accepted, in MiB")
      ->envname("BONAFIDES_MAX_UPLOAD_MB")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  cmd->add_option("--media-threads", m.threads,
                  "Thumbnails made at once (their own pool, apart from uploads and exports)")
      ->envname("BONAFIDES_MEDIA_THREADS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_option("--thumbnail-memory-mb", m.thumbnail_memory_mb,
                  "Address space of the process that decodes one file for a thumbnail, in MiB")
      ->envname("BONAFIDES_THUMBNAIL_MEMORY_MB")
      ->check(CLI::Range(256, 65536))
      ->capture_default_str();
  cmd->add_option("--thumbnail-cpu-seconds", m.thumbnail_cpu_seconds,
                  "CPU seconds one thumbnail may take")
      ->envname("BONAFIDES_THUMBNAIL_CPU_SECONDS")
      ->check(CLI::Range(1, 600))
      ->capture_default_str();
  cmd->add_option("--thumbnail-timeout-seconds", m.thumbnail_timeout_seconds,
                  "Seconds one thumbnail may take, waiting included, before its process is killed")
      ->envname("BONAFIDES_THUMBNAIL_TIMEOUT_SECONDS")
      ->check(CLI::Range(1, 600))
      ->capture_default_str();
}

struct TransportConfig {
  int max_connections = 0;
  size_t min_body_rate = 8 * 1024;
  std::string metrics_token_file;            // empty: /metrics answers without a token
  std::string metrics_listen;                // empty: /metrics on --listen
  std::vector<std::string> trusted_proxies;  // addresses or networks of reverse proxies
};

void AddTransportOptions(CLI::App* cmd, TransportConfig& t) {
  cmd->add_option("--max-connections", t.max_connections,
                  "Connections open at once (0: from the open-file limit, raised to its maximum "
                  "at start, less room for files; at most 4096)")
      ->envname("BONAFIDES_MAX_CONNECTIONS")
      ->check(CLI::Range(0, 1 << 20))
      ->capture_default_str();
  cmd->add_option("--min-body-rate", t.min_body_rate,
                  "Bytes per second a request body must average after the first 30 s")
      ->envname("BONAFIDES_MIN_BODY_RATE")
      ->check(CLI::Range(1, 1 << 30))
      ->capture_default_str();
  cmd->add_option("--metrics-token-file", t.metrics_token_file,
                  "File holding the bearer token GET /metrics requires (default: none required)")
      ->envname("BONAFIDES_METRICS_TOKEN_FILE");
  cmd->add_option("--metrics-listen", t.metrics_listen,
                  "HOST:PORT to serve /metrics on instead of --listen (default: on --listen)")
      ->envname("BONAFIDES_METRICS_LISTEN");
  cmd->add_option("--trusted-proxy", t.trusted_proxies,
                  "Address or network (CIDR) of a reverse proxy whose X-Forwarded-For and "
                  "X-Forwarded-Proto are believed; repeat or separate with commas (default: none)")
      ->delimiter(',')
      ->envname("BONAFIDES_TRUSTED_PROXY");
}

// The metrics token from its file (surrounding white space dropped); 422 for an empty file.
Result<std::string> ReadMetricsToken(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kInvalid, "invalid_metrics_token", "cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  std::string token = text.str();
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  size_t start = 0;
  while (start < token.size() && std::isspace(static_cast<unsigned char>(token[start]))) ++start;
  token = token.substr(start);
  if (token.size() < 16 || token.find_first_of(" \t\r\n") != std::string::npos) {
    return Fail(ErrorCode::kInvalid, "invalid_metrics_token",
                path + " must hold one token of 16 characters or more");
  }
  return token;
}

// Where the media key came from, for messages: "the media key in FILE", or the option.
std::string MediaKeySource(const DatabaseOptions& db, const MediaConfig& m) {
  if (UsesPostgres(db) || !m.key_file.empty()) return "the media key in " + m.key_file;
  if (!m.key.empty()) return "the media key given by --media-key (BONAFIDES_MEDIA_KEY)";
  return "the media key in " + (std::filesystem::path(db.data_dir) / kMediaKeyFile).string();
}

int Serve(const DatabaseOptions& db, const std::string& listen, bool demo, int kept_pages_mb,
          const NotifyConfig& notify, const MediaConfig& media_config,
          const TransportConfig& transport) {
  http::ServerOptions server_options;
  if (!SplitListen(listen, server_options.address, server_options.port)) {
    std::cerr << "bonafides: --listen must be HOST:PORT, e.g. 127.0.0.1:8080\n";
    return 2;
  }
  // The key first: a node without its key must not even migrate.
  auto media_key = UsesPostgres(db) || !media_config.key_file.empty()
                       ? LoadMediaKeyFile(media_config.key_file)
                       : LoadOrCreateMediaKey(db.data_dir, media_config.key);
  if (!media_key) return Report(media_key.error());
  // Idle connections cost a descriptor each: use all the system allows us, and keep the cap
  // below it so that the database, spools and thumbnail processes always get theirs.
  const int fd_limit = http::RaiseFileLimit();
  server_options.max_connections = transport.max_connections > 0
                                       ? transport.max_connections
                                       : http::DefaultMaxConnections(fd_limit);
  server_options.min_body_rate = transport.min_body_rate;
  server_options.media_threads = media_config.threads;
  server_options.spool_dir = ImportSpoolDir(db);
  auto proxies = http::TrustedProxies::Parse(transport.trusted_proxies);
  if (!proxies) return Report(proxies.error());
  server_options.trusted_proxies = std::move(*proxies);
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  auto store = OpenStore(db, threads + 2);
  if (!store) return Report(store.error());
  // Nor may it start with a key that cannot read the media already stored: it would answer every
  // download with an error and encrypt new files under a key the other nodes do not have.
  auto database = UsesPostgres(db) ? Result<std::string>(db.database) : SqlitePath(db);
  if (!database) return Report(database.error());
  auto opens =
      CheckKeyOpensStoredMedia(UsesPostgres(db) ? *database : "sqlite:" + *database, *media_key);
  if (!opens) {
    if (opens.error().reason != "media_key_mismatch") return Report(opens.error());
    std::cerr << "bonafides: " << MediaKeySource(db, media_config)
              << " does not open the media stored in this database\n";
    return 1;
  }
  SystemClock clock;
  ServiceOptions service_options = ServiceOptionsFor(notify, listen);
  service_options.media.key = *media_key;
  service_options.media.max_upload_bytes = int64_t{media_config.max_upload_mb} * 1024 * 1024;
  // Bulk uploads spool their rows next to the database (tmpfs would hold them in memory).
  service_options.import_spool_dir = ImportSpoolDir(db);
  service_options.kept_page_bytes = size_t(kept_pages_mb) << 20;
  // Thumbnails are decoded by a child process (this binary, `internal-thumbnail`) within these
  // limits: libvips is never mapped by the server itself (src/media/thumbnail_sandbox.h).
  media::SandboxOptions sandbox;
  sandbox.memory_bytes = uint64_t(media_config.thumbnail_memory_mb) * 1024 * 1024;
  sandbox.cpu_seconds = media_config.thumbnail_cpu_seconds;
  sandbox.wall_clock = std::chrono::seconds(media_config.thumbnail_timeout_seconds);
  media::SandboxedMediaProcessor thumbnails(sandbox);
  Services services(ServiceContext{**store, clock, service_options, &thumbnails});
  StaleUploadSweeper sweeper(services.media, std::chrono::hours(1));
  auto mailer = MakeMailer(notify);
  if (!mailer) return Report(mailer.error());
  if (demo) {
    auto created = CreateDemoIfEmpty(services);
    if (!created) return Report(created.error());
    if (!created->empty()) std::cout << *created << std::flush;
  }
  http::HttpOptions http_options;
  if (!transport.metrics_token_file.empty()) {
    auto token = ReadMetricsToken(transport.metrics_token_file);
    if (!token) return Report(token.error());
    http_options.metrics_token = *token;
  }
  http::ServerOptions metrics_options;
  if (!transport.metrics_listen.empty()) {
    if (!SplitListen(transport.metrics_listen, metrics_options.address, metrics_options.port)) {
      std::cerr << "bonafides: --metrics-listen must be HOST:PORT, e.g. 127.0.0.1:9090\n";
      return 2;
    }
    metrics_options.threads = 1;
    metrics_options.blocking_threads = 1;
    metrics_options.media_threads = 1;
    metrics_options.max_connections = 64;
    http_options.metrics_apart = true;
  }
  http::Api api{services, **store, http_options};
  auto router = http::MakeRouter(api);
  http::Server server(*router, server_options);
  auto port = server.Listen();
  if (!port) return Report(port.error());
  // Monitoring on a listener of its own, when asked: /metrics is then absent from --listen.
  std::unique_ptr<http::Router> metrics_router;
  std::unique_ptr<http::Server> metrics_server;
  if (http_options.metrics_apart) {
    metrics_router = http::MakeMetricsRouter(api);
    metrics_server = std::make_unique<http::Server>(*metrics_router, metrics_options);
    auto metrics_port = metrics_server->Listen();
    if (!metrics_port) return Report(metrics_port.error());
    metrics_server->Start();
    spdlog::info("metrics on http://{}:{}/metrics", metrics_options.address, *metrics_port);
  }
  spdlog::info("bonafides {} serving http://{}:{} with {} threads, at most {} connections",
               BONAFIDES_VERSION, server_options.address, *port, threads,
               server_options.max_connections);
  std::cout << "Serving http://" << server_options.address << ":" << *port << std::endl;
  // Reminders and email on their own thread, until the server stops.
  jobs::SchedulerOptions scheduler_options;
  scheduler_options.scan_interval = std::chrono::seconds(notify.interval_seconds);
  scheduler_options.deliver_interval =
      std::min<std::chrono::milliseconds>(std::chrono::seconds(5), scheduler_options.scan_interval);
  jobs::Scheduler scheduler(services.reminders, mailer->get(), scheduler_options);
  if (notify.interval_seconds > 0) scheduler.Start();
  server.Run(true);
  if (metrics_server) metrics_server->Stop();
  scheduler.Stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace
}  // namespace bf

int main(int argc, char** argv) {
  using namespace bf;
  // The thumbnail child (src/media/thumbnail_sandbox.h): not a command for people, so not in
  // --help; it starts nothing else.
  if (argc >= 2 && std::string_view(argv[1]) == media::kThumbnailSubcommand) {
    return media::ThumbnailChildMain(argc, argv);
  }
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
  int kept_pages_mb = 64;
  serve->add_option("--kept-pages-mb", kept_pages_mb,
                    "MiB of rendered credential list pages kept between requests (0: none)")
      ->envname("BONAFIDES_KEPT_PAGES_MB")
      ->check(CLI::Range(0, 1 << 16))
      ->capture_default_str();
  AddDatabaseOptions(serve, serve_db);
  MediaConfig serve_media;
  AddMediaOptions(serve, serve_media);
  TransportConfig serve_transport;
  AddTransportOptions(serve, serve_transport);

  auto* migrate = app.add_subcommand("migrate", "Apply pending database migrations and exit");
  AddDatabaseOptions(migrate, migrate_db);

  std::string org_name, admin_email, admin_name, org_timezone = "UTC";
  auto* org = app.add_subcommand("org", "Organisations");
  org->require_subcommand(1);
  auto* org_create =
      org->add_subcommand("create", "Create an organisation and its first administrator");
  org_create->add_option("--name", org_name, "Organisation name")->required();
  org_create->add_option("--admin-email", admin_email, "Administrator's email")->required();
  org_create->add_option("--admin-name", admin_name, "Administrator's name")->required();
  org_create->add_option("--timezone", org_timezone, "IANA time zone")->capture_default_str();
  AddDatabaseOptions(org_create, org_db);

  std::string user_org, user_email, user_name, permission_set;
  auto* user = app.add_subcommand("user", "Users");
  user->require_subcommand(1);
  auto* user_create = user->add_subcommand("create", "Create a user");
  user_create->add_option("--org", user_org, "Organisation id")
      ->required()
      ->envname("BONAFIDES_ORG");
  user_create->add_option("--email", user_email, "Email")->required();
  user_create->add_option("--name", user_name, "Name")->required();
  user_create->add_option("--permission-set", permission_set, "administrator, manager or standard")
      ->required()
      ->check(CLI::IsMember({"administrator", "manager", "standard"}));
  AddDatabaseOptions(user_create, user_db);

  // Reminders: the scheduler's options for serve, and one pass on demand.
  NotifyConfig serve_notify, notify_notify;
  AddNotifyOptions(serve, serve_notify);
  serve
      ->add_option("--notify-interval", serve_notify.interval_seconds,
                   "Seconds between reminder passes (0: no scheduler)")
      ->envname("BONAFIDES_NOTIFY_INTERVAL")
      ->check(CLI::Range(0, 86400))
      ->capture_default_str();
  DatabaseOptions notify_db;
  bool notify_once = false;
  std::string notify_now;
  auto* notify = app.add_subcommand("notify", "Send due reminders and emails once, then exit");
  notify->add_flag("--once", notify_once, "One pass of the reminder scheduler");
  notify->add_option("--now", notify_now, "Run as if the time were this RFC 3339 instant");
  AddNotifyOptions(notify, notify_notify);
  AddDatabaseOptions(notify, notify_db);

  // Bulk upload of a CSV file (app/import_command.h).
  DatabaseOptions import_db;
  ImportCommandOptions import_options;
  auto* import = AddImportCommand(app, import_options);
  AddDatabaseOptions(import, import_db);

  // A whole database into an empty one of the other engine (app/copy_command.h).
  CopyCommandOptions copy_options;
  auto* copy = AddCopyCommand(app, copy_options);

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

  if (serve->parsed()) {
    return Serve(serve_db, listen, demo, kept_pages_mb, serve_notify, serve_media,
                 serve_transport);
  }
  if (import->parsed()) {
    auto store = OpenStore(import_db, 2);
    if (!store) return Report(store.error());
    return RunImportCommand(**store, ImportSpoolDir(import_db), import_options);
  }
  if (copy->parsed()) return RunCopyCommand(copy_options);
  if (notify->parsed()) {
    if (!notify_once) {
      std::cerr << "bonafides: notify needs --once (the server runs the scheduler itself)\n";
      return 2;
    }
    return NotifyOnce(notify_db, notify_notify, notify_now);
  }

  if (migrate->parsed()) {
    auto applied = Migrate(migrate_db);
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
    // The command line is the operator, who has the database itself: it may create a user with
    // any permission set, administrator included (docs/architecture.md). The password is
    // checked and hashed before the write transaction, which would otherwise hold the write
    // lock of a running server while argon2id works.
    auto input =
        UserService::HashNewPassword(services.ctx, NewUser{user_email, user_name, "", password});
    if (!input) return Report(input.error());
    auto uow = (*store)->Begin(true);
    if (!uow) return Report(uow.error());
    auto organization = IsUuid(user_org) ? (*uow)->FindOrganization(user_org)
                                         : Result<std::optional<Organization>>(std::nullopt);
    if (!organization) return Report(organization.error());
    if (!*organization)
      return Report(
          Error{ErrorCode::kNotFound, "not_found", "no organisation " + user_org, {}, {}});
    auto set = (*uow)->FindPermissionSetByName(user_org, permission_set);
    if (!set || !*set)
      return Report(set ? Error{ErrorCode::kNotFound, "not_found", "no permission set", {}, {}}
                        : set.error());
    input->permission_set_id = (*set)->id;
    auto created = UserService::CreateAsSystem(**uow, services.ctx, user_org, *input);
    if (!created) return Report(created.error());
    // The log records the command line as the actor-less system.
    Activity entry = NewActivity(nullptr, clock.Now(), "user.created", "user", created->id);
    entry.org_id = user_org;
    entry.subject_user_id = created->id;
    entry.subject_user_name = created->name;
    AddChange(entry, "email", std::nullopt, created->email);
    AddChange(entry, "permission_set", std::nullopt, created->permission_set_name);
    auto logged = (*uow)->AppendActivity(entry);
    if (!logged) return Report(logged.error());
    auto committed = (*uow)->Commit();
    if (!committed) return Report(committed.error());
    std::cout << created->id << "\n";
    if (generated) std::cerr << "password: " << password << "\n";
    return 0;
  }
  return 2;
}
