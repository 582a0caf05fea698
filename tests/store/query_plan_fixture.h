// A fresh migrated SQLite database and EXPLAIN QUERY PLAN of any statement on it, for the tests
// that check which index a query searches.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "store/sql/credential_queries.h"  // SqlValue
#include "store/sqlite/database.h"
#include "store/sqlite/sqlite_store.h"

namespace bf::testing {

class QueryPlanFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "bf_plan_XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    const std::string path = (dir_ / "bonafides.db").string();
    ASSERT_TRUE(MigrateSqlite(path).has_value());
    auto conn = sqlite::Connection::Open(path, SqliteOptions{});
    ASSERT_TRUE(conn.has_value());
    conn_ = std::move(*conn);
  }
  void TearDown() override {
    conn_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // The lines of EXPLAIN QUERY PLAN for `sql` with `args` bound (unbound parameters are null).
  std::vector<std::string> PlanLines(const std::string& sql,
                                     const std::vector<bf::sql::SqlValue>& args = {}) {
    auto stmt = conn_->Prepare("EXPLAIN QUERY PLAN " + sql);
    if (!stmt) {
      ADD_FAILURE() << stmt.error().detail;
      return {};
    }
    for (size_t i = 0; i < args.size(); ++i) {
      std::visit([&](const auto& v) { stmt->Bind(static_cast<int>(i + 1), v); }, args[i]);
    }
    std::vector<std::string> lines;
    for (;;) {
      auto row = stmt->Step();
      if (!row || !*row) break;
      lines.push_back(stmt->Text(3));
    }
    return lines;
  }

  // The same lines joined, one per line, parameters left unbound.
  std::string PlanText(const char* sql) {
    std::string out;
    for (const std::string& line : PlanLines(sql)) out += line + "\n";
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<sqlite::Connection> conn_;
};

}  // namespace bf::testing
