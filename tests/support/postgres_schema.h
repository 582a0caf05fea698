// A throwaway schema in the test cluster's database, for the PostgreSQL leg of the suites.
// The cluster is the one `make test` starts with pg_virtualenv, which exports PGHOST, PGPORT,
// PGUSER, PGPASSWORD and PGDATABASE; libpq reads them. A store opened with conninfo() sees the
// schema alone (search_path), so each test migrates and uses an empty database of its own in a
// few milliseconds, where a CREATE DATABASE a test would cost far more.
#pragma once

#include <memory>
#include <string>

namespace bf::testing {

// True when the environment names a test cluster (PGHOST and PGDATABASE are set).
bool PostgresConfigured();

// Which engine the API, service, jobs and import suites run on: "postgres" when
// BF_TEST_BACKEND=postgres (ctest registers those suites a second time with it), else "sqlite".
bool ServerTestsUsePostgres();

class PostgresSchema {
 public:
  // A new, empty schema; throws std::runtime_error when the cluster cannot be reached.
  static std::unique_ptr<PostgresSchema> Create();
  ~PostgresSchema();  // drops the schema with everything in it
  PostgresSchema(const PostgresSchema&) = delete;
  PostgresSchema& operator=(const PostgresSchema&) = delete;

  // libpq connection string of the schema (the server itself from the environment). Its
  // connections carry the schema's name as their application_name.
  const std::string& conninfo() const { return conninfo_; }
  // The same as a postgresql:// URL (host, user and database from the environment), for what
  // takes URLs only (`bonafides copy`).
  std::string url() const;

 private:
  explicit PostgresSchema(std::string name);
  std::string name_;
  std::string conninfo_;
};

}  // namespace bf::testing
