// The reads compliance is computed from (store/sql/groups.cc), declared so that the query-plan
// test can EXPLAIN them on SQLite (tests/store/compliance_query_plan_test.cc). Nothing else
// needs this header.
#pragma once

namespace bf::sql {

// ?1 org_id, ?2 group_id.
extern const char kListGroupMemberCredentials[];
extern const char kListGroupMemberCredentialsIndexed[];  // where the dialect names indexes
extern const char kListGroupExemptions[];
extern const char kListGroupExemptionsIndexed[];
// ?1 org_id, ?2 user_id.
extern const char kListUserHeldCredentials[];
extern const char kListUserHeldCredentialsIndexed[];

}  // namespace bf::sql
