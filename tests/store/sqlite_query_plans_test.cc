// The SQLite query plans of the credential list and summary: each indexed filter is searched
// through its index, so no list reads the whole table when such a filter applies. SQLite's
// planner works without statistics here (nothing runs ANALYZE), as in production, so the plans
// of an empty database are the plans of a large one.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/query_plan_fixture.h"
#include "store/sql/credential_queries.h"
#include "store/sql/dialect.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace bf::testing {
namespace {

namespace fs = std::filesystem;

class SqliteQueryPlanTest : public QueryPlanFixture {
 protected:
  std::vector<std::string> Plan(const std::string& sql,
                                const std::vector<bf::sql::SqlValue>& args) {
    return PlanLines(sql, args);
  }

  // The plans of every statement of the first page of `filter`.
  std::vector<std::vector<std::string>> ListPlans(const CredentialFilter& filter) {
    auto queries = bf::sql::CredentialPageQueries("org-a", filter, bf::sql::kSqliteDialect);
    if (!queries) {
      ADD_FAILURE() << queries.error().message;
      return {};
    }
    std::vector<std::vector<std::string>> plans;
    for (const auto& q : *queries) plans.push_back(Plan(q.sql, q.args));
    return plans;
  }
};

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "\n  " + l;
  return out;
}

bool Contains(const std::vector<std::string>& lines, const std::string& needle) {
  for (const auto& l : lines) {
    if (l.find(needle) != std::string::npos) return true;
  }
  return false;
}

// No line reads the credentials table (alias c) front to back.
bool ScansCredentials(const std::vector<std::string>& lines) {
  for (const auto& l : lines) {
    if ((l.starts_with("SCAN c") || l.starts_with("SCAN credentials")) &&
        l.find("INDEX") == std::string::npos) {
      return true;
    }
  }
  return false;
}

TEST_F(SqliteQueryPlanTest, EachIndexedFilterSearchesItsIndex) {
  using enum CredentialSort;
  const Date d = *ParseIsoDate("2026-01-01");
  struct Case {
    const char* what;
    CredentialFilter filter;
    std::string search;  // a line of every statement's plan contains this
  };
  const Case cases[] = {
      {"holder",
       {.user_id = "u", .archived = false},
       "SEARCH c USING COVERING INDEX credentials_by_holder (user_id=? AND org_id=? AND "
       "archived=? AND expiry_date"},
      {"holder, by update",
       {.user_id = "u", .archived = false, .sort = kUpdatedAtDesc},
       "SEARCH c USING COVERING INDEX credentials_by_holder (user_id=? AND org_id=? AND "
       "archived=?)"},
      {"holder, by name",
       {.user_id = "u", .sort = kUserName},
       "SEARCH c USING COVERING INDEX credentials_by_holder (user_id=? AND org_id=? AND "
       "archived=?)"},
      {"type",
       {.type_id = "t", .archived = false},
       "SEARCH c USING INDEX credentials_summary (org_id=? AND archived=? AND type_id=?"},
      {"type, archived or not",
       {.type_id = "t"},
       "SEARCH c USING INDEX credentials_summary (org_id=? AND archived=? AND type_id=?"},
      {"type, by update",
       {.type_id = "t", .archived = false, .sort = kUpdatedAt},
       "SEARCH c USING INDEX credentials_summary (org_id=? AND archived=? AND type_id=?)"},
      {"expiry range",
       {.by_expiry = true, .expiry_ranges = {{d, d + date::days{30}}}, .archived = false},
       "credentials_by_expiry (org_id=? AND archived=? AND expiry_date>? AND expiry_date<?)"},
      {"expiry range, by update",
       {.by_expiry = true,
        .expiry_ranges = {{d, d + date::days{30}}},
        .archived = false,
        .sort = kUpdatedAt},
       "credentials_by_expiry (org_id=? AND archived=? AND expiry_date>? AND expiry_date<?)"},
      {"expired, by name",
       {.by_expiry = true,
        .expiry_ranges = {{std::nullopt, d}},
        .archived = false,
        .sort = kUserName},
       "SEARCH c USING INDEX credentials_by_expiry (org_id=? AND archived=? AND expiry_date<?)"},
      {"pending approval",
       {.approval = {ApprovalStatus::kPending}, .archived = false},
       "SEARCH c USING INDEX credentials_by_approval (org_id=? AND archived=? AND "
       "approval_status=?)"},
      {"default list, by expiry",
       {.archived = false},
       "SEARCH c USING COVERING INDEX credentials_by_expiry (org_id=? AND archived=? AND "
       "expiry_date"},
      {"default list, after a cursor",
       {.archived = false,
        .after = "expiry_date\x1f"
                 "2026-01-01\x1f"
                 "c1"},
       "SEARCH c USING COVERING INDEX credentials_by_expiry (org_id=? AND archived=? AND "},
      {"default list, by update",
       {.archived = false, .sort = kUpdatedAtDesc},
       "SEARCH c USING COVERING INDEX credentials_by_updated (org_id=? AND archived=?)"},
      {"default list, by name",
       {.archived = false, .sort = kUserName},
       "SEARCH c USING INDEX credentials_by_user (org_id=? AND user_id=?)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    auto plans = ListPlans(c.filter);
    ASSERT_FALSE(plans.empty());
    for (const auto& plan : plans) {
      EXPECT_FALSE(ScansCredentials(plan)) << Joined(plan);
      EXPECT_TRUE(Contains(plan, c.search)) << Joined(plan);
    }
  }
}

// credentials_by_holder holds every column a list reads (migration 0013), so SQLite, which
// prefers an index that covers a statement, would walk a whole organisation through it for a
// statement that names no index: every list that is not a holder's names the index it reads.
TEST_F(SqliteQueryPlanTest, OnlyAHoldersListReadsTheHolderIndex) {
  using enum CredentialSort;
  using enum ApprovalStatus;
  const Date d = *ParseIsoDate("2026-01-01");
  const std::vector<std::vector<ApprovalStatus>> approvals = {
      {}, {kApproved}, {kPending}, {kApproved, kPending}, {kNotRequired, kRejected}};
  const std::vector<std::vector<DateRange>> expiries = {
      {},
      {{std::nullopt, d}},
      {{d, d + date::days{30}}},
      {{d + date::days{31}, std::nullopt}},
      {{std::nullopt, d}, {d + date::days{31}, std::nullopt}}};
  int shapes = 0;
  for (const std::string type_id : {"", "t"}) {
    for (const auto& approval : approvals) {
      for (const auto& ranges : expiries) {
        for (bool no_expiry : {false, true}) {
          for (std::optional<bool> archived : {std::optional<bool>(), std::optional<bool>(false)}) {
            for (CredentialSort sort :
                 {kExpiryDate, kExpiryDateDesc, kUpdatedAt, kUpdatedAtDesc, kUserName}) {
              for (const std::string q : {"", "abc"}) {
                CredentialFilter filter{.type_id = type_id,
                                        .by_expiry = !ranges.empty() || no_expiry,
                                        .expiry_ranges = ranges,
                                        .no_expiry = no_expiry,
                                        .approval = approval,
                                        .archived = archived,
                                        .q = q,
                                        .sort = sort};
                for (const auto& plan : ListPlans(filter)) {
                  ++shapes;
                  EXPECT_FALSE(Contains(plan, "credentials_by_holder")) << Joined(plan);
                }
              }
            }
          }
        }
      }
    }
  }
  EXPECT_GT(shapes, 1000);
}

TEST_F(SqliteQueryPlanTest, UnfilteredListsReadTheirPageInIndexOrder) {
  using enum CredentialSort;
  // The sort's own index yields the order, so a page stops after limit+1 rows instead of
  // sorting the organisation.
  for (CredentialSort sort : {kExpiryDate, kExpiryDateDesc, kUpdatedAt, kUpdatedAtDesc}) {
    for (const auto& plan : ListPlans({.archived = false, .sort = sort})) {
      EXPECT_FALSE(Contains(plan, "TEMP B-TREE")) << Joined(plan);
    }
  }
  // A holder's list in its default order: their index yields it, dated then undated, with no
  // sort and no row read: the index holds every column the page shows (migration 0013), and
  // the type is one search by its key.
  for (const auto& plan : ListPlans({.user_id = "u", .archived = false})) {
    EXPECT_FALSE(Contains(plan, "TEMP B-TREE")) << Joined(plan);
    EXPECT_TRUE(Contains(plan, "COVERING INDEX credentials_by_holder")) << Joined(plan);
    EXPECT_TRUE(Contains(plan, "SEARCH t USING INDEX sqlite_autoindex_credential_types_1 (id=?)"))
        << Joined(plan);
  }
  // By holder name: users in name order, each holder's few credentials sorted by id.
  auto by_name = ListPlans({.archived = false, .sort = kUserName});
  ASSERT_EQ(by_name.size(), 1u);
  EXPECT_TRUE(Contains(by_name[0], "SEARCH u USING COVERING INDEX users_by_name (org_id=?)"))
      << Joined(by_name[0]);
  EXPECT_FALSE(Contains(by_name[0], "USE TEMP B-TREE FOR ORDER BY")) << Joined(by_name[0]);
}

// A list page's rows and files are read by rowid or id, the page's keys leading: never a walk
// of the organisation's credentials to test each against the page.
TEST_F(SqliteQueryPlanTest, APageIsReadByItsIds) {
  {
    auto plan = Plan(bf::sql::FindCredentialsSql(bf::sql::kSqliteDialect),
                     {std::string("org-a"), std::string("[17,4]")});
    EXPECT_FALSE(ScansCredentials(plan)) << Joined(plan);
    ASSERT_GE(plan.size(), 2u) << Joined(plan);
    EXPECT_TRUE(plan[0].starts_with("SCAN p VIRTUAL TABLE")) << Joined(plan);
    EXPECT_TRUE(Contains(plan, "SEARCH c USING INTEGER PRIMARY KEY (rowid=?)")) << Joined(plan);
    EXPECT_TRUE(Contains(plan, "SEARCH u USING INDEX sqlite_autoindex_users_1 (id=?)"))
        << Joined(plan);
  }

  // The files: one search of the links by (credential, version) a credential, no sort.
  auto plan = Plan(bf::sql::PageMediaSql(bf::sql::kSqliteDialect),
                   {std::string("org-a"), std::string("{\"cred-01\":1,\"cred-02\":3}")});
  ASSERT_GE(plan.size(), 3u) << Joined(plan);
  EXPECT_TRUE(plan[0].starts_with("SCAN p VIRTUAL TABLE")) << Joined(plan);
  EXPECT_TRUE(Contains(plan,
                       "SEARCH l USING INDEX sqlite_autoindex_version_media_1 "
                       "(credential_id=? AND version=?)"))
      << Joined(plan);
  EXPECT_FALSE(Contains(plan, "TEMP B-TREE")) << Joined(plan);
}

// The summary reads the counts of migration 0005, never the credentials: each type's counts as
// short ranges of their primary keys, the day counts only in the two months it needs.
TEST_F(SqliteQueryPlanTest, TheSummaryReadsCountsNotCredentials) {
  auto plan = Plan(bf::sql::kSummarizeCredentials,
                   {std::string("org-a"), std::string("2026-01"), std::string("2026-02"),
                    std::string("2026-01-01"), std::string("2026-01-20"), std::string("2026-02-01"),
                    std::string("2026-02-19")});
  EXPECT_FALSE(ScansCredentials(plan)) << Joined(plan);
  EXPECT_FALSE(Contains(plan, "credentials_summary")) << Joined(plan);
  for (const char* search : {
           "SEARCH credential_counts_by_approval USING PRIMARY KEY (org_id=? AND type_id=? AND "
           "archived=?)",
           "SEARCH credential_counts_by_month USING PRIMARY KEY (org_id=? AND type_id=? AND "
           "month<?)",
           "SEARCH credential_counts_by_month USING PRIMARY KEY (org_id=? AND type_id=? AND "
           "month>? AND month<?)",
           "SEARCH credential_counts_by_day USING PRIMARY KEY (org_id=? AND type_id=? AND "
           "expiry_date>? AND expiry_date<?)",
       }) {
    EXPECT_TRUE(Contains(plan, search)) << search << " in\n" << Joined(plan);
  }
  EXPECT_FALSE(Contains(plan, "TEMP B-TREE FOR GROUP BY")) << Joined(plan);
}

}  // namespace
}  // namespace bf::testing
