// The reminder scan and the outbox search their indexes: a pass reads the credentials whose
// expiry falls in its window, never every credential; the sender never reads every email.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/query_plan_fixture.h"
#include "store/sql/reminder_queries.h"

namespace bf::testing {
namespace {

using ReminderQueryPlanTest = QueryPlanFixture;

TEST_F(ReminderQueryPlanTest, EachStatementSearchesAnIndexAndScansNoTable) {
  struct Case {
    const char* what;
    const char* sql;
    std::vector<std::string> expected;  // lines the plan must contain
  };
  const Case cases[] = {
      {"candidates",
       bf::sql::kListReminderCandidates,
       {"SEARCH c USING INDEX credentials_by_expiry (org_id=? AND archived=? AND expiry_date>? AND "
        "expiry_date<?)",
        "SEARCH u USING INDEX sqlite_autoindex_users_1 (id=?)",
        "SEARCH t USING INDEX sqlite_autoindex_credential_types_1 (id=?)",
        "SEARCH v USING INDEX sqlite_autoindex_credential_versions_1 (credential_id=? AND "
        "version=?)"}},
      {"claims",
       bf::sql::kListReminderClaims,
       {"SEARCH reminder_claims USING PRIMARY KEY (credential_id=?)"}},
      {"pending email",
       bf::sql::kNextPendingEmail,
       {"SEARCH outbox USING INDEX outbox_pending (next_attempt_at<?)"}},
      {"expired lease",
       bf::sql::kNextExpiredLease,
       {"SEARCH outbox USING INDEX outbox_leased (lease_until<?)"}},
      {"digest subscribers",
       bf::sql::kListDigestSubscribers,
       {"SEARCH notification_settings USING INDEX notification_settings_digest (org_id=?)"}},
      {"chosen lead times",
       bf::sql::kListChosenLeadTimes,
       {"SEARCH notification_settings USING COVERING INDEX notification_settings_by_org_days "
        "(org_id=?)"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    std::string plan = PlanText(c.sql);
    for (const std::string& line : c.expected)
      EXPECT_NE(plan.find(line), std::string::npos) << plan;
    EXPECT_EQ(plan.find("SCAN "), std::string::npos) << plan;
  }
}

}  // namespace
}  // namespace bf::testing
