#include "store_test.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "store/postgres/database.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/database.h"
#include "store/sqlite/sqlite_store.h"
#include "support/postgres_schema.h"

namespace bf::testing {
namespace {

namespace fs = std::filesystem;

// A database file in its own temporary directory (the WAL and shared-memory files go beside
// it), removed with the directory.
class SqliteTestDatabase final : public TestDatabase {
 public:
  SqliteTestDatabase() {
    std::string pattern = (fs::temp_directory_path() / "bf_store_test_XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    path_ = (dir_ / "bonafides.db").string();
  }
  ~SqliteTestDatabase() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  Result<std::vector<int>> Migrate() override { return MigrateSqlite(path_); }
  Result<std::unique_ptr<Store>> Open() override { return OpenSqliteStore(path_); }
  Status Exec(const std::string& sql) override {
    BF_ASSIGN_OR_RETURN(auto conn, sqlite::Connection::Open(path_, SqliteOptions{}));
    return conn->Exec(sql);
  }

 private:
  fs::path dir_;
  std::string path_;
};

// A schema of its own in the test cluster (support/postgres_schema.h).
class PostgresTestDatabase final : public TestDatabase {
 public:
  // nullptr when no test cluster is configured.
  static std::unique_ptr<TestDatabase> Create() {
    if (!PostgresConfigured()) return nullptr;
    return std::unique_ptr<TestDatabase>(new PostgresTestDatabase(PostgresSchema::Create()));
  }

  Result<std::vector<int>> Migrate() override { return MigratePostgres(schema_->conninfo()); }
  Result<std::unique_ptr<Store>> Open() override { return OpenPostgresStore(schema_->conninfo()); }
  Status Exec(const std::string& sql) override {
    BF_ASSIGN_OR_RETURN(auto conn,
                        postgres::Connection::Open(schema_->conninfo(), PostgresOptions{}));
    return conn->Exec(sql);
  }

 private:
  explicit PostgresTestDatabase(std::unique_ptr<PostgresSchema> schema)
      : schema_(std::move(schema)) {}
  std::unique_ptr<PostgresSchema> schema_;
};

}  // namespace

std::vector<Backend> Backends() {
  return {
      {"Sqlite", [] { return std::unique_ptr<TestDatabase>(new SqliteTestDatabase()); }},
      // Skipped (nullptr) where no test cluster is configured: `make test` starts one.
      {"Postgres", [] { return PostgresTestDatabase::Create(); }},
  };
}

std::string BackendName(const ::testing::TestParamInfo<Backend>& param) { return param.param.name; }

void Must(Status s, std::source_location at) {
  if (!s) {
    throw std::runtime_error(std::string(at.file_name()) + ":" + std::to_string(at.line()) + ": " +
                             s.error().reason + ": " + s.error().message + " (" + s.error().detail +
                             ")");
  }
}

Organization MakeOrganization(const std::string& id, const std::string& name) {
  Organization org;
  org.id = id;
  org.name = name;
  org.created_at = kT0;
  org.updated_at = kT0;
  return org;
}

PermissionSet MakePermissionSet(const std::string& org_id, const std::string& id,
                                const std::string& name, Permissions permissions) {
  PermissionSet set;
  set.id = id;
  set.org_id = org_id;
  set.name = name;
  set.permissions = permissions;
  set.created_at = kT0;
  set.updated_at = kT0;
  return set;
}

User MakeUser(const std::string& org_id, const std::string& id, const std::string& name,
              const std::string& email, const std::string& permission_set_id) {
  User user;
  user.id = id;
  user.org_id = org_id;
  user.name = name;
  user.email = email;
  user.permission_set_id = permission_set_id;
  user.password_hash = "hash-of-" + id;
  user.created_at = kT0;
  user.updated_at = kT0;
  return user;
}

CredentialType MakeCredentialType(const std::string& org_id, const std::string& id,
                                  const std::string& name) {
  CredentialType type;
  type.id = id;
  type.org_id = org_id;
  type.name = name;
  type.created_at = kT0;
  type.updated_at = kT0;
  return type;
}

void StoreTest::SetUp() {
  db_ = GetParam().create();
  if (db_ == nullptr) GTEST_SKIP() << GetParam().name << " is not set up here";
  Must(db_->Migrate());
  store_ = Must(db_->Open());
}

void StoreTest::SeedTwoOrganizations() {
  auto uow = Write();
  for (const std::string org : {"org-a", "org-b"}) {
    Must(uow->InsertOrganization(MakeOrganization(org, "Organisation " + org)));
    Must(uow->InsertPermissionSet(
        MakePermissionSet(org, "set-" + org + "-admin", "Administrator", Permissions::All())));
    Must(uow->InsertPermissionSet(
        MakePermissionSet(org, "set-" + org + "-standard", "Standard", Permissions())));
  }
  Must(uow->InsertUser(MakeUser("org-a", "user-a", "Ada Admin", "ada@a.test", "set-org-a-admin")));
  Must(uow->InsertUser(MakeUser("org-b", "user-b", "Ben Admin", "ben@b.test", "set-org-b-admin")));
  Must(uow->Commit());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace bf::testing
