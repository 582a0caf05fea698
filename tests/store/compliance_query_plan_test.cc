// The reads compliance is computed from search by the group or the user (store/sql/groups.cc):
// their cost grows with the group's members and requirements, never with the organisation's
// credentials (spec/REQUIREMENTS.md "Performance"). SQLite plans without statistics, so the
// statements it runs name their index; these are the plans it makes of them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/query_plan_fixture.h"
#include "store/sql/compliance_queries.h"

namespace bf::testing {
namespace {

using ComplianceQueryPlanTest = QueryPlanFixture;

TEST_F(ComplianceQueryPlanTest, EachReadStartsFromTheGroupOrTheUser) {
  struct Case {
    const char* what;
    const char* sql;
    std::vector<std::string> expected;  // lines the plan must contain, in this order
  };
  const Case cases[] = {
      {"a group's members' credentials",
       bf::sql::kListGroupMemberCredentialsIndexed,
       {"SEARCH m USING PRIMARY KEY (group_id=?)",
        "SEARCH c USING INDEX credentials_by_user (org_id=? AND user_id=? AND type_id=?)"}},
      {"a user's credentials",
       bf::sql::kListUserHeldCredentialsIndexed,
       {"SEARCH c USING INDEX credentials_by_user (org_id=? AND user_id=?)"}},
      {"a group's exemptions",
       bf::sql::kListGroupExemptionsIndexed,
       {"SEARCH r USING COVERING INDEX requirements_by_group (group_id=?)",
        "SEARCH e USING INDEX exemptions_by_requirement (requirement_id=?)"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    const std::string plan = PlanText(c.sql);
    size_t at = 0;
    for (const std::string& line : c.expected) {
      const size_t found = plan.find(line, at);
      EXPECT_NE(found, std::string::npos) << line << " in\n" << plan;
      if (found != std::string::npos) at = found + line.size();
    }
    EXPECT_EQ(plan.find("SCAN "), std::string::npos) << plan;
    EXPECT_EQ(plan.find("credentials_summary"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("memberships_by_user"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("exemptions_by_user"), std::string::npos) << plan;
  }
}

// Without the names, SQLite's planner picks the wrong indexes on a fresh database: what the
// named forms above are for. If this ever fails, SQLite learned to plan these alone and the
// names may go.
TEST_F(ComplianceQueryPlanTest, UnnamedFormsWouldSearchTheWholeOrganisation) {
  // A group's members' credentials: every credential of a required type in the organisation.
  EXPECT_NE(PlanText(bf::sql::kListGroupMemberCredentials).find("credentials_summary"),
            std::string::npos);
  // A user's unarchived credentials: since migration 0011, credentials_by_holder (user_id,
  // org_id, archived, … since 0013) matches the filter exactly and SQLite finds it alone (before,
  // it took credentials_summary); the named form stays with the other reads of
  // credentials_by_user.
  EXPECT_NE(PlanText(bf::sql::kListUserHeldCredentials).find("credentials_by_holder"),
            std::string::npos);
}

}  // namespace
}  // namespace bf::testing
