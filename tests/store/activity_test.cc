// The activity log.
#include "store_test.h"

// GCC 12 reports members left out of a designated initializer as missing (a compiler bug: the
// standard value-initialises them, and GCC's own manual says the warning skips designated
// initializers), so the filter tables below would not build under -Werror.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace bf::testing {
namespace {

Activity Entry(const std::string& id, const std::string& org_id, int64_t at_seconds,
               const std::string& actor_id, const std::string& action,
               const std::string& subject_user_id, const std::string& credential_id = "",
               int version = 0) {
  Activity a;
  a.id = id;
  a.org_id = org_id;
  a.at = At(at_seconds);
  a.actor_id = actor_id;
  a.actor_name = actor_id.empty() ? "" : "Name of " + actor_id;
  a.action = action;
  a.entity = action.substr(0, action.find('.'));
  a.entity_id = credential_id.empty() ? subject_user_id : credential_id;
  a.subject_user_id = subject_user_id;
  a.subject_user_name = subject_user_id.empty() ? "" : "Name of " + subject_user_id;
  a.credential_id = credential_id;
  a.version = version;
  return a;
}

std::vector<std::string> Ids(const std::vector<ActivityRow>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.activity.id);
  return out;
}

class ActivityTest : public StoreTest {
 protected:
  // e1..e5 in org-a, one second apart, and e6 in org-b.
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    Activity e1 = Entry("e1", "org-a", 0, "alice", "user.created", "bob");
    e1.changes = {{"name", std::nullopt, "Bob"}, {"email", std::nullopt, "bob@a.test"}};
    Activity e4 = Entry("e4", "org-a", 3, "", "user.updated", "carol");
    e4.changes = {{"status", "active", "deactivated"}};
    auto uow = Write();
    for (const Activity& a :
         {e1, Entry("e2", "org-a", 1, "alice", "credential.created", "bob", "c1", 1),
          Entry("e3", "org-a", 2, "bob", "credential.version_added", "bob", "c1", 2), e4,
          Entry("e4b", "org-b", 3, "alice", "user.updated", "carol"),
          Entry("e5", "org-a", 4, "alice", "credential.approved", "carol", "c2", 1)}) {
      Must(uow->AppendActivity(a));
    }
    Must(uow->Commit());
  }
};

TEST_P(ActivityTest, EntriesRoundTripWithTheirChangesNewestFirst) {
  auto rows = Must(Read()->ListActivity("org-a", {}));
  ASSERT_EQ(Ids(rows), (std::vector<std::string>{"e5", "e4", "e3", "e2", "e1"}));
  for (size_t i = 1; i < rows.size(); ++i) EXPECT_GT(rows[i - 1].seq, rows[i].seq);

  const Activity& e3 = rows[2].activity;
  EXPECT_EQ(e3.org_id, "org-a");
  EXPECT_EQ(e3.at, At(2));
  EXPECT_EQ(e3.actor_id, "bob");
  EXPECT_EQ(e3.actor_name, "Name of bob");
  EXPECT_EQ(e3.action, "credential.version_added");
  EXPECT_EQ(e3.entity, "credential");
  EXPECT_EQ(e3.entity_id, "c1");
  EXPECT_EQ(e3.subject_user_id, "bob");
  EXPECT_EQ(e3.subject_user_name, "Name of bob");
  EXPECT_EQ(e3.credential_id, "c1");
  EXPECT_EQ(e3.version, 2);
  EXPECT_TRUE(e3.changes.empty());

  const Activity& e4 = rows[1].activity;  // written by the system: no actor, no credential
  EXPECT_EQ(e4.actor_id, "");
  EXPECT_EQ(e4.actor_name, "");
  EXPECT_EQ(e4.credential_id, "");
  EXPECT_EQ(e4.version, 0);
  ASSERT_EQ(e4.changes.size(), 1u);
  EXPECT_EQ(e4.changes[0].field, "status");
  EXPECT_EQ(e4.changes[0].old_value, "active");
  EXPECT_EQ(e4.changes[0].new_value, "deactivated");

  const Activity& e1 = rows[4].activity;  // changes keep their order; absent values stay absent
  ASSERT_EQ(e1.changes.size(), 2u);
  EXPECT_EQ(e1.changes[0].field, "name");
  EXPECT_EQ(e1.changes[0].old_value, std::nullopt);
  EXPECT_EQ(e1.changes[0].new_value, "Bob");
  EXPECT_EQ(e1.changes[1].field, "email");
  EXPECT_EQ(e1.changes[1].new_value, "bob@a.test");
}

TEST_P(ActivityTest, EachFilterSelectsItsEntries) {
  struct Case {
    const char* what;
    ActivityFilter filter;
    std::vector<std::string> ids;
  };
  const Case cases[] = {
      {"actor", {.actor_id = "alice"}, {"e5", "e2", "e1"}},
      {"credential", {.credential_id = "c1"}, {"e3", "e2"}},
      {"credential and version", {.credential_id = "c1", .version = 2}, {"e3"}},
      {"credential and its first version", {.credential_id = "c1", .version = 1}, {"e2"}},
      {"credential and a version it never had", {.credential_id = "c1", .version = 3}, {}},
      {"a version without a credential is ignored", {.version = 1}, {"e5", "e4", "e3", "e2", "e1"}},
      {"credential and actor", {.actor_id = "bob", .credential_id = "c1"}, {"e3"}},
      {"credential and time", {.credential_id = "c1", .until = At(2)}, {"e2"}},
      {"user means the subject user", {.user_id = "bob"}, {"e3", "e2", "e1"}},
      {"action is an exact match", {.action = "user.updated"}, {"e4"}},
      {"action prefix matches nothing", {.action = "user"}, {}},
      {"since is inclusive", {.since = At(2)}, {"e5", "e4", "e3"}},
      {"until is exclusive", {.until = At(2)}, {"e2", "e1"}},
      {"since and until", {.since = At(1), .until = At(3)}, {"e3", "e2"}},
      {"filters combine", {.actor_id = "alice", .user_id = "carol"}, {"e5"}},
      {"limit keeps the newest", {.limit = 2}, {"e5", "e4"}},
      {"unknown actor", {.actor_id = "nobody"}, {}},
  };
  auto uow = Read();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    EXPECT_EQ(Ids(Must(uow->ListActivity("org-a", c.filter))), c.ids);
  }
  EXPECT_EQ(Ids(Must(uow->ListActivity("org-b", {}))), (std::vector<std::string>{"e4b"}));
  EXPECT_TRUE(Must(uow->ListActivity("org-b", {.credential_id = "c1"})).empty());
}

TEST_P(ActivityTest, BeforeSeqPagesWalkOlderEntries) {
  auto uow = Read();
  ActivityFilter filter{.limit = 2};
  std::vector<std::vector<std::string>> pages;
  for (int guard = 0; guard < 10; ++guard) {
    auto page = Must(uow->ListActivity("org-a", filter));
    if (page.empty()) break;
    pages.push_back(Ids(page));
    filter.before_seq = page.back().seq;
  }
  EXPECT_EQ(pages, (std::vector<std::vector<std::string>>{{"e5", "e4"}, {"e3", "e2"}, {"e1"}}));

  // Pages of a filtered list.
  ActivityFilter alice{.actor_id = "alice", .limit = 1};
  auto first = Must(uow->ListActivity("org-a", alice));
  ASSERT_EQ(Ids(first), (std::vector<std::string>{"e5"}));
  alice.before_seq = first.back().seq;
  alice.limit = 50;
  EXPECT_EQ(Ids(Must(uow->ListActivity("org-a", alice))), (std::vector<std::string>{"e2", "e1"}));

  // Pages of one credential's history.
  ActivityFilter c1{.credential_id = "c1", .limit = 1};
  auto newest = Must(uow->ListActivity("org-a", c1));
  ASSERT_EQ(Ids(newest), (std::vector<std::string>{"e3"}));
  c1.before_seq = newest.back().seq;
  EXPECT_EQ(Ids(Must(uow->ListActivity("org-a", c1))), (std::vector<std::string>{"e2"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, ActivityTest, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace bf::testing
