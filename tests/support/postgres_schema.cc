#include "support/postgres_schema.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "store/postgres/database.h"

namespace bf::testing {
namespace {

void Admin(const std::string& sql) {
  auto conn = postgres::Connection::Open("", PostgresOptions{});
  if (!conn) throw std::runtime_error("test cluster: " + conn.error().detail);
  auto ran = (*conn)->Exec(sql);
  if (!ran) throw std::runtime_error("test cluster: " + ran.error().detail);
}

}  // namespace

bool PostgresConfigured() {
  return std::getenv("PGHOST") != nullptr && std::getenv("PGDATABASE") != nullptr;
}

bool ServerTestsUsePostgres() {
  const char* backend = std::getenv("BF_TEST_BACKEND");
  return backend != nullptr && std::string_view(backend) == "postgres";
}

std::unique_ptr<PostgresSchema> PostgresSchema::Create() {
  static std::atomic<int> counter{0};
  std::string name = "bf_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  Admin("DROP SCHEMA IF EXISTS " + name + " CASCADE; CREATE SCHEMA " + name);
  return std::unique_ptr<PostgresSchema>(new PostgresSchema(std::move(name)));
}

PostgresSchema::PostgresSchema(std::string name)
    : name_(std::move(name)),
      conninfo_("application_name=" + name_ + " options='-c search_path=" + name_ + "'") {}

std::string PostgresSchema::url() const {
  return "postgresql://?options=-c%20search_path%3D" + name_;
}

PostgresSchema::~PostgresSchema() {
  try {
    Admin("DROP SCHEMA " + name_ + " CASCADE");
  } catch (const std::exception&) {
    // The cluster went away with the test run; nothing left to drop.
  }
}

}  // namespace bf::testing
