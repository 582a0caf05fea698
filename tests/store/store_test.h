// The store contract suite: one parameterised fixture that every backend runs (STYLE habit 7).
// Each test gets a fresh, migrated database of the backend under test.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <source_location>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/model.h"
#include "store/store.h"

namespace bf::testing {

// One empty database, created for a test and removed after it.
class TestDatabase {
 public:
  virtual ~TestDatabase() = default;
  // Applies the backend's migrations; returns the numbers applied.
  virtual Result<std::vector<int>> Migrate() = 0;
  virtual Result<std::unique_ptr<Store>> Open() = 0;
  // Runs `sql` directly, outside any unit of work: fixtures for tables the store interface does
  // not write yet (credentials).
  virtual Status Exec(const std::string& sql) = 0;
};

struct Backend {
  std::string name;
  // A fresh database, or nullptr when this backend is not set up here (the test is skipped).
  std::function<std::unique_ptr<TestDatabase>()> create;
};

// Every backend the suite runs on, and the test-name suffix of each.
std::vector<Backend> Backends();
std::string BackendName(const ::testing::TestParamInfo<Backend>& param);
// How gtest shows a Backend in a failure message.
inline void PrintTo(const Backend& backend, std::ostream* os) { *os << backend.name; }

// The value of `r`, or the test fails with the error's detail (thrown, so gtest reports the
// failure and ends the test).
template <typename T>
T Must(Result<T> r, std::source_location at = std::source_location::current()) {
  if (!r) {
    throw std::runtime_error(std::string(at.file_name()) + ":" + std::to_string(at.line()) + ": " +
                             r.error().reason + ": " + r.error().message + " (" + r.error().detail +
                             ")");
  }
  return std::move(*r);
}
void Must(Status s, std::source_location at = std::source_location::current());

// The error of a result that should have failed; a default Error (kInternal, no reason) with a
// test failure if it did not.
template <typename R>
Error ErrorOf(const R& r) {
  EXPECT_FALSE(r.has_value()) << "expected an error";
  return r.has_value() ? Error{} : r.error();
}

// A fixed instant the fixtures count from.
inline const Timestamp kT0 = FromMillis(1'780'000'000'000);
inline Timestamp At(int64_t seconds_after_t0) { return kT0 + Millis(seconds_after_t0 * 1000); }

Organization MakeOrganization(const std::string& id, const std::string& name);
PermissionSet MakePermissionSet(const std::string& org_id, const std::string& id,
                                const std::string& name, Permissions permissions);
User MakeUser(const std::string& org_id, const std::string& id, const std::string& name,
              const std::string& email, const std::string& permission_set_id);
CredentialType MakeCredentialType(const std::string& org_id, const std::string& id,
                                  const std::string& name);

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;

  // Units of work that fail the test when they cannot begin.
  std::unique_ptr<UnitOfWork> Write() { return Must(store_->Begin(true)); }
  std::unique_ptr<UnitOfWork> Read() { return Must(store_->Begin(false)); }

  // Two organisations, "org-a" and "org-b", each with the sets "set-<org>-admin" (all
  // permissions) and "set-<org>-standard" (none), and one user each: "user-a" (admin of org-a)
  // and "user-b" (admin of org-b). Committed.
  void SeedTwoOrganizations();

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<Store> store_;
};

}  // namespace bf::testing
