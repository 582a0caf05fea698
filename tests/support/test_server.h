// A real server on an ephemeral loopback port over a fresh database, with a FakeClock,
// and two organisations to test against:
//   org A: admin (administrator), manager (manager), alice and bob (standard);
//   org B: other_admin (administrator).
// Each person has an API token; `Call` sends a request as one of them. Media files are encrypted
// under a key file created in the data directory (dir()/media.key), as `serve` does. The database
// is SQLite, or a throwaway PostgreSQL schema when BF_TEST_BACKEND=postgres (ctest runs these
// suites once per engine; support/postgres_schema.h).
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/clock.h"
#include "domain/model.h"
#include "http/api.h"
#include "http/server.h"
#include "media/thumbnail_sandbox.h"
#include "service/services.h"
#include "store/store.h"
#include "support/http_client.h"
#include "support/postgres_schema.h"

namespace bf::testing {

struct Person {
  User user;
  std::string token;  // "Bearer <token>" value without the prefix
};

class TestServer {
 public:
  // `start` is the FakeClock's first reading.
  explicit TestServer(
      Timestamp start = Timestamp(std::chrono::milliseconds(1795939200000)));  // 2026-11-29T08:00Z
  // The same, with `configure` changing the server's options first (limits, timeouts).
  explicit TestServer(const std::function<void(http::ServerOptions&)>& configure,
                      Timestamp start = Timestamp(std::chrono::milliseconds(1795939200000)));
  // The same, with the limits of the thumbnail processes and the HTTP layer's options too.
  // Thumbnails are made as `serve` makes them: by the built bonafides binary in a child process.
  struct Setup {
    http::ServerOptions server;
    media::SandboxOptions sandbox;
    http::HttpOptions http;
  };
  explicit TestServer(const std::function<void(Setup&)>& configure,
                      Timestamp start = Timestamp(std::chrono::milliseconds(1795939200000)));
  ~TestServer();

  // Sends as `who` ("admin", "manager", "alice", "bob", "other_admin"; "" for nobody).
  HttpResult Call(const std::string& who, const std::string& method, const std::string& target,
                  const std::string& body = "",
                  std::map<std::string, std::string> headers = {}) const;
  // Signs in by password and returns the session cookie ("bonafides_session=...").
  std::string Login(const std::string& email, const std::string& password = kPassword) const;

  // Creates a user in org A through the service (no HTTP) and gives them a token.
  Person AddPerson(const std::string& key, const std::string& email, const std::string& name,
                   const std::string& permission_set);

  const Person& person(const std::string& key) const { return people_.at(key); }
  const std::string& org_a() const { return org_a_; }
  const std::string& org_b() const { return org_b_; }
  std::string PermissionSetId(const std::string& org_id, const std::string& name) const;

  HttpClient& client() { return *client_; }
  http::Api& api() { return *api_; }
  FakeClock& clock() { return clock_; }
  Store& store() { return *store_; }
  Services& services() { return *services_; }
  const std::filesystem::path& dir() const { return dir_; }

  static constexpr char kPassword[] = "correct horse battery";

 private:
  std::filesystem::path dir_;
  std::unique_ptr<PostgresSchema> postgres_;  // with BF_TEST_BACKEND=postgres
  FakeClock clock_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<MediaProcessor> media_processor_;
  std::unique_ptr<Services> services_;
  std::unique_ptr<http::Api> api_;
  std::unique_ptr<http::Router> router_;
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<HttpClient> client_;
  std::string org_a_, org_b_;
  std::map<std::string, Person> people_;
};

// Parses a JSON literal (tests write bodies as raw strings).
std::string J(const char* json);

// A whole PUT body for notification settings (PUT replaces: every field is required): the
// defaults, {"email":true,"in_app":true,"expiry_reminders":true,"days_before":[30,7,1],
// "on_expiry":true,"manager_digest":false}, with the fields of the JSON object `changes` put in.
std::string NotificationSettingsBody(const char* changes = "{}");

}  // namespace bf::testing
