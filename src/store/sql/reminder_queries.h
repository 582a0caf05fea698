// The statements of the reminder scan and the outbox, declared so that the query-plan test can
// EXPLAIN them on SQLite (tests/store/reminders_query_plan_test.cc). Nothing else needs this
// header.
#pragma once

namespace bf::sql {

// As run where the dialect names indexes (Dialect::names_indexes, SQLite).
// ?1 org_id, ?2/?3 the expiry range (YYYY-MM-DD), ?4/?5 the keyset (expiry, id), ?6 limit.
extern const char kListReminderCandidates[];
// ?1 now (milliseconds): the two halves of kLeaseEmail.
extern const char kNextPendingEmail[];
extern const char kNextExpiredLease[];

// As every engine runs them.
// ?1 credential_id, ?2 channel.
extern const char kListReminderClaims[];
// ?1 org_id.
extern const char kListDigestSubscribers[];
extern const char kListChosenLeadTimes[];

}  // namespace bf::sql
