// Writers of one server queue for SQLite's single write lock in the store (SqliteStore::Begin),
// not in SQLite's sleeping busy handler.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <string>

#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace bf::testing {
namespace {

class SqliteWritersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "bf_writers_XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    path_ = (dir_ / "bonafides.db").string();
    ASSERT_TRUE(MigrateSqlite(path_).has_value());
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  std::unique_ptr<Store> Open(int busy_timeout_ms) {
    auto store =
        OpenSqliteStore(path_, SqliteOptions{.pool_size = 4, .busy_timeout_ms = busy_timeout_ms});
    EXPECT_TRUE(store.has_value());
    return std::move(*store);
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(SqliteWritersTest, AWriterWaitsForTheOneBeforeAndGoesOnWhenItCommits) {
  auto store = Open(5000);
  auto first = store->Begin(true);
  ASSERT_TRUE(first.has_value());
  auto second = std::async(std::launch::async, [&] { return store->Begin(true); });
  // Still waiting while the first holds the lock (it has up to 5 s).
  EXPECT_EQ(second.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
  // A reader is not held up by either.
  auto reader = store->Begin(false);
  ASSERT_TRUE(reader.has_value());
  reader->reset();
  ASSERT_TRUE((*first)->Commit().has_value());
  auto got = second.get();
  ASSERT_TRUE(got.has_value()) << got.error().detail;
  EXPECT_TRUE((*got)->Commit().has_value());
}

TEST_F(SqliteWritersTest, AWriterRolledBackLetsTheNextIn) {
  auto store = Open(5000);
  auto first = store->Begin(true);
  ASSERT_TRUE(first.has_value());
  auto second = std::async(std::launch::async, [&] { return store->Begin(true); });
  first->reset();  // no Commit: rolled back
  auto got = second.get();
  ASSERT_TRUE(got.has_value()) << got.error().detail;
}

TEST_F(SqliteWritersTest, AWriterWaitingLongerThanTheBusyTimeoutIsToldTheDatabaseIsBusy) {
  auto store = Open(100);
  auto first = store->Begin(true);
  ASSERT_TRUE(first.has_value());
  auto second = std::async(std::launch::async, [&] { return store->Begin(true); }).get();
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(second.error().reason, "database_busy");
  // The holder is unaffected and can still commit.
  EXPECT_TRUE((*first)->Commit().has_value());
}

}  // namespace
}  // namespace bf::testing
