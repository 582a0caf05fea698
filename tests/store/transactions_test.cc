// Migrations and units of work: what every backend promises about transactions.
#include <chrono>
#include <latch>
#include <thread>

#include "store/migrations.h"
#include "store/postgres/postgres_store.h"
#include "store_test.h"

namespace bf::testing {
namespace {

TEST_P(StoreTest, MigrationsApplyToAnEmptyDatabaseOnceInOrder) {
  auto fresh = GetParam().create();
  ASSERT_NE(fresh, nullptr);
  auto applied = Must(fresh->Migrate());
  ASSERT_FALSE(applied.empty());
  EXPECT_EQ(applied.front(), 1);
  for (size_t i = 1; i < applied.size(); ++i) EXPECT_LT(applied[i - 1], applied[i]);

  EXPECT_EQ(Must(fresh->Migrate()), std::vector<int>{});

  auto store = Must(fresh->Open());
  Must(store->Ping());
  auto uow = Must(store->Begin(false));
  EXPECT_EQ(Must(uow->CountOrganizations()), 0);
}

// vaultwarden's rule: every engine has the same migrations, step for step.
TEST(MigrationsTest, BothEnginesListTheSameNumbersAndNames) {
  const auto& lite = sqlite::Migrations();
  const auto& pg = postgres::Migrations();
  ASSERT_EQ(lite.size(), pg.size());
  for (size_t i = 0; i < lite.size(); ++i) {
    EXPECT_EQ(lite[i].number, pg[i].number);
    EXPECT_STREQ(lite[i].name, pg[i].name);
  }
}

TEST_P(StoreTest, ANodeRefusesASchemaNewerThanItKnows) {
  Must(db_->Exec(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)"));
  Error refused = ErrorOf(db_->Migrate());
  EXPECT_EQ(refused.code, ErrorCode::kUnavailable);
  EXPECT_EQ(refused.reason, "schema_too_new");
  EXPECT_NE(refused.message.find("9999"), std::string::npos) << refused.message;
}

// Store::ShareReads (a signed-in read request's one transaction): the reads of a scope, one
// after another, see one snapshot; a write of the same thread ends it first, and the reads
// after the write see it; a read unit that outlives the scope keeps its transaction.
TEST_P(StoreTest, ReadsInAScopeShareOneSnapshotUntilAWriteOfTheirOwn) {
  {
    auto uow = Write();
    Must(uow->InsertOrganization(MakeOrganization("org-1", "First")));
    Must(uow->Commit());
  }
  auto scope = store_->ShareReads();
  ASSERT_NE(scope, nullptr);
  EXPECT_EQ(store_->ShareReads(), nullptr);  // a scope inside a scope does nothing
  {
    auto read = Read();
    EXPECT_EQ(Must(read->CountOrganizations()), 1);
  }
  std::thread([&] {
    auto other = Must(store_->Begin(true));
    Must(other->InsertOrganization(MakeOrganization("org-2", "Another thread's")));
    Must(other->Commit());
  }).join();
  {
    auto read = Read();
    EXPECT_EQ(Must(read->CountOrganizations()), 1) << "the scope's snapshot";
  }
  {
    auto write = Write();
    Must(write->InsertOrganization(MakeOrganization("org-3", "Own")));
    Must(write->Commit());
  }
  {
    auto read = Read();
    EXPECT_EQ(Must(read->CountOrganizations()), 3) << "a new snapshot after the write";
  }
  auto kept = Read();
  scope.reset();
  EXPECT_EQ(Must(kept->CountOrganizations()), 3);
  kept.reset();
  auto after = Read();
  EXPECT_EQ(Must(after->CountOrganizations()), 3);
}

// A node keeps serving when PostgreSQL drops its connections (a restart of the server): the
// unit that finds its connection dead connects again and runs, with no error for its caller.
// Nothing of the unit had reached the server (its BEGIN goes with its first statement), so
// running it again on the new session is safe. Each pooled connection is held by a unit of its
// own, so that every one of them finds out; the first round prepares a statement on the dead
// connections, the second runs one prepared in the session the server dropped.
TEST_P(StoreTest, UnitsOnConnectionsTheServerDroppedConnectAgain) {
  if (GetParam().name != "Postgres") GTEST_SKIP() << "only a server can drop a connection";
  SeedTwoOrganizations();
  const std::string drop_the_store_connections =
      "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
      " WHERE application_name = current_setting('application_name')"
      " AND pid <> pg_backend_pid()";
  for (int round = 0; round < 2; ++round) {
    for (bool write : {false, true}) {
      SCOPED_TRACE(std::string(write ? "writes" : "reads") + ", round " + std::to_string(round));
      Must(db_->Exec(drop_the_store_connections));
      std::vector<std::unique_ptr<UnitOfWork>> units;
      for (int i = 0; i < PostgresOptions{}.pool_size; ++i)
        units.push_back(Must(store_->Begin(write)));
      for (auto& uow : units) {
        EXPECT_EQ(Must(uow->CountOrganizations()), 2);
        Must(uow->Commit());
      }
    }
  }
  // A write whose first statement is the write: run once more on the new session, it is
  // written once.
  Must(db_->Exec(drop_the_store_connections));
  {
    std::vector<std::unique_ptr<UnitOfWork>> units;
    for (int i = 0; i < PostgresOptions{}.pool_size; ++i) units.push_back(Write());
    for (size_t i = 0; i < units.size(); ++i) {
      const std::string id = "org-new-" + std::to_string(i);
      Must(units[i]->InsertOrganization(MakeOrganization(id, id)));
      Must(units[i]->Commit());
    }
  }
  EXPECT_EQ(Must(Read()->CountOrganizations()), 2 + PostgresOptions{}.pool_size);
  // A shared read (a signed-in GET) begins the same way.
  Must(db_->Exec(drop_the_store_connections));
  auto scope = store_->ShareReads();
  EXPECT_EQ(Must(Read()->CountOrganizations()), 2 + PostgresOptions{}.pool_size);
}

// A shared read ends its transaction when its scope ends, though it does not wait for the
// server to say so (the ROLLBACK's result is read when the pool next lends the connection): no
// connection of the store stays idle in a transaction, holding its snapshot and locks. And the
// connection serves the next read.
TEST_P(StoreTest, AScopeEndsItsTransactionWithoutWaitingForIt) {
  if (GetParam().name != "Postgres") GTEST_SKIP() << "SQLite's reads end in the process";
  SeedTwoOrganizations();
  {
    auto scope = store_->ShareReads();
    EXPECT_EQ(Must(Read()->CountOrganizations()), 2);
  }
  const std::string none_in_a_transaction =
      "DO $$ BEGIN IF (SELECT count(*) FROM pg_stat_activity"
      " WHERE application_name = current_setting('application_name')"
      " AND state LIKE 'idle in transaction%') > 0"
      " THEN RAISE EXCEPTION 'a connection is idle in a transaction'; END IF; END $$";
  Status ended = db_->Exec(none_in_a_transaction);
  for (int i = 0; i < 50 && !ended; ++i) {  // the ROLLBACK may still be on its way
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ended = db_->Exec(none_in_a_transaction);
  }
  EXPECT_TRUE(ended) << ended.error().detail;
  auto scope = store_->ShareReads();
  EXPECT_EQ(Must(Read()->CountOrganizations()), 2);
}

TEST_P(StoreTest, AUnitDestroyedWithoutCommitRollsBack) {
  {
    auto uow = Write();
    Must(uow->InsertOrganization(MakeOrganization("org-1", "Kept")));
    Must(uow->Commit());
  }
  {
    auto uow = Write();
    Must(uow->InsertOrganization(MakeOrganization("org-2", "Dropped")));
    Organization renamed = MakeOrganization("org-1", "Renamed");
    Must(uow->UpdateOrganization(renamed));
    // Destroyed here without Commit.
  }
  auto uow = Read();
  EXPECT_EQ(Must(uow->CountOrganizations()), 1);
  EXPECT_FALSE(Must(uow->FindOrganization("org-2")).has_value());
  auto kept = Must(uow->FindOrganization("org-1"));
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->name, "Kept");
}

TEST_P(StoreTest, TwoWritersOnTwoThreadsBothCommit) {
  // Both threads begin together; whichever gets the write lock second waits for the first to
  // commit (the busy timeout) instead of failing.
  std::latch start(2);
  Status results[2];
  auto writer = [&](int i) {
    start.arrive_and_wait();
    auto began = store_->Begin(true);
    if (!began) {
      results[i] = tl::unexpected(began.error());
      return;
    }
    auto& uow = *began;
    results[i] = uow->InsertOrganization(
        MakeOrganization("org-" + std::to_string(i), "Writer " + std::to_string(i)));
    if (!results[i]) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // hold the lock a while
    results[i] = uow->Commit();
  };
  std::thread first(writer, 0);
  std::thread second(writer, 1);
  first.join();
  second.join();

  for (const Status& r : results) {
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().detail);
  }
  EXPECT_EQ(Must(Read()->CountOrganizations()), 2);
}

TEST_P(StoreTest, AConflictLeavesTheUnitUsable) {
  SeedTwoOrganizations();
  auto uow = Write();
  EXPECT_EQ(
      ErrorOf(uow->InsertUser(MakeUser("org-a", "user-2", "Dup", "ada@a.test", "set-org-a-admin")))
          .reason,
      "email_taken");
  Must(uow->InsertUser(MakeUser("org-a", "user-3", "Cy", "cy@a.test", "set-org-a-admin")));
  Must(uow->Commit());
  EXPECT_TRUE(Must(Read()->FindUser("org-a", "user-3")).has_value());
}

}  // namespace
}  // namespace bf::testing
