#include "support/test_server.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>

#include "app/media_setup.h"
#include "core/ids.h"
#include "media/vips_media.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "support/postgres_schema.h"

namespace bf::testing {
namespace {

std::filesystem::path FreshDir() {
  static std::atomic<int> counter{0};
  auto dir = std::filesystem::temp_directory_path() /
             ("bonafides-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r)
    throw std::runtime_error(std::string(what) + ": " + r.error().message + " " + r.error().detail);
  return std::move(*r);
}

// With BF_TEST_BACKEND=postgres and no test cluster, every test of the binary is skipped (its
// SQLite run covers the same tests).
class SkipPostgresWithoutCluster final : public ::testing::Environment {
 public:
  void SetUp() override {
    if (ServerTestsUsePostgres() && !PostgresConfigured()) {
      GTEST_SKIP() << "BF_TEST_BACKEND=postgres, but no test cluster (PGHOST) is configured";
    }
  }
};
[[maybe_unused]] ::testing::Environment* const kSkipPostgresWithoutCluster =
    ::testing::AddGlobalTestEnvironment(new SkipPostgresWithoutCluster);

}  // namespace

TestServer::TestServer(Timestamp start) : TestServer([](http::ServerOptions&) {}, start) {}

TestServer::TestServer(const std::function<void(http::ServerOptions&)>& configure, Timestamp start)
    : TestServer([&](Setup& setup) { configure(setup.server); }, start) {}

TestServer::TestServer(const std::function<void(Setup&)>& configure, Timestamp start)
    : dir_(FreshDir()), clock_(start) {
  spdlog::set_level(spdlog::level::warn);
  if (ServerTestsUsePostgres()) {
    if (!PostgresConfigured()) throw std::runtime_error("BF_TEST_BACKEND=postgres without PGHOST");
    postgres_ = PostgresSchema::Create();
    Must(MigratePostgres(postgres_->conninfo()), "migrate");
    store_ =
        Must(OpenPostgresStore(postgres_->conninfo(), PostgresOptions{.pool_size = 6}), "open");
  } else {
    std::string path = (dir_ / "bonafides.db").string();
    Must(MigrateSqlite(path), "migrate");
    store_ = Must(OpenSqliteStore(path, SqliteOptions{.pool_size = 6}), "open");
  }
  ServiceOptions options;
  options.fast_password_hash = true;
  // Media: a key file in the test's data directory, as `serve` makes one; thumbnails by libvips.
  options.media.key = Must(LoadOrCreateMediaKey(dir_, ""), "media key");
  // libvips in this process too: the fixtures draw their images with it.
  Must(media::InitVips("bonafides-tests").map([] { return 0; }), "libvips");
  Setup setup;
  setup.server.port = 0;
  setup.server.threads = 2;
  setup.server.request_timeout = std::chrono::seconds(3);
  setup.sandbox.executable = BF_BONAFIDES;
  configure(setup);
  const http::ServerOptions& server_options = setup.server;
  media_processor_ = std::make_unique<media::SandboxedMediaProcessor>(setup.sandbox);
  services_ =
      std::make_unique<Services>(ServiceContext{*store_, clock_, options, media_processor_.get()});
  api_ = std::make_unique<http::Api>(http::Api{*services_, *store_, setup.http});
  router_ = http::MakeRouter(*api_);
  server_ = std::make_unique<http::Server>(*router_, server_options);
  uint16_t port = Must(server_->Listen(), "listen");
  server_->Start();
  client_ = std::make_unique<HttpClient>(port);

  auto a = Must(services_->orgs.Create(
                    {"Org A", "UTC", NewUser{"admin@a.example", "Ada Admin", "", kPassword}}),
                "org A");
  org_a_ = a.org.id;
  auto b = Must(services_->orgs.Create(
                    {"Org B", "UTC", NewUser{"admin@b.example", "Bea Admin", "", kPassword}}),
                "org B");
  org_b_ = b.org.id;
  auto token_for = [&](const User& u) {
    Actor actor{u.org_id, u.id, u.name, u.permissions};
    return Must(services_->auth.CreateToken(actor, "test"), "token").secret;
  };
  people_["admin"] = Person{a.admin, token_for(a.admin)};
  people_["other_admin"] = Person{b.admin, token_for(b.admin)};
  AddPerson("manager", "manager@a.example", "Max Manager", "manager");
  AddPerson("alice", "alice@a.example", "Alice Standard", "standard");
  AddPerson("bob", "bob@a.example", "Bob Standard", "standard");
}

TestServer::~TestServer() {
  server_->Stop();
  server_.reset();
  store_.reset();
  postgres_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string TestServer::PermissionSetId(const std::string& org_id, const std::string& name) const {
  auto uow = Must(store_->Begin(false), "begin");
  auto set = Must(uow->FindPermissionSetByName(org_id, name), "find set");
  return set ? set->id : "";
}

Person TestServer::AddPerson(const std::string& key, const std::string& email,
                             const std::string& name, const std::string& permission_set) {
  auto uow = Must(store_->Begin(true), "begin");
  User user = Must(UserService::CreateAsSystem(
                       *uow, services_->ctx, org_a_,
                       NewUser{email, name, PermissionSetId(org_a_, permission_set), kPassword}),
                   "create user");
  Must(uow->Commit().map([] { return 0; }), "commit");
  Actor actor{user.org_id, user.id, user.name, user.permissions};
  Person p{user, Must(services_->auth.CreateToken(actor, "test"), "token").secret};
  people_[key] = p;
  return p;
}

HttpResult TestServer::Call(const std::string& who, const std::string& method,
                            const std::string& target, const std::string& body,
                            std::map<std::string, std::string> headers) const {
  if (!who.empty()) headers["Authorization"] = "Bearer " + people_.at(who).token;
  return client_->Send(method, target, body, headers);
}

std::string TestServer::Login(const std::string& email, const std::string& password) const {
  boost::json::object body{{"email", email}, {"password", password}};
  auto res = client_->Send("POST", "/api/v1/auth/login", boost::json::serialize(body));
  std::string cookie = res.Header("set-cookie");
  return cookie.substr(0, cookie.find(';'));
}

std::string J(const char* json) { return boost::json::serialize(boost::json::parse(json)); }

std::string NotificationSettingsBody(const char* changes) {
  boost::json::value body = boost::json::parse(R"({"email":true,"in_app":true,
      "expiry_reminders":true,"days_before":[30,7,1],"on_expiry":true,"manager_digest":false})");
  const boost::json::value given = boost::json::parse(changes);
  for (const auto& [name, value] : given.as_object()) body.as_object()[name] = value;
  return boost::json::serialize(body);
}

}  // namespace bf::testing
