// In-app notifications.
#include "store_test.h"

namespace bf::testing {
namespace {

Notification MakeNotification(const std::string& id, const std::string& org_id,
                              const std::string& user_id, int64_t at_seconds) {
  Notification n;
  n.id = id;
  n.org_id = org_id;
  n.user_id = user_id;
  n.kind = "expiry_reminder";
  n.title = "Title of " + id;
  n.body = "Body of " + id;
  n.created_at = At(at_seconds);
  return n;
}

std::vector<std::string> Ids(const std::vector<Notification>& notifications) {
  std::vector<std::string> out;
  for (const auto& n : notifications) out.push_back(n.id);
  return out;
}

// user-a: n1..n5, written in that order (n3 already read); user-b: m1. The creation times do
// not follow the order of writing: the order of writing is what lists follow.
class NotificationsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    SeedTwoOrganizations();
    Notification n2 = MakeNotification("n2", "org-a", "user-a", 2);
    n2.kind = "rejected";
    n2.credential_id = "cred-1";
    n2.body = "";
    Notification n3 = MakeNotification("n3", "org-a", "user-a", 1);
    n3.read_at = At(50);
    auto uow = Write();
    for (const Notification& n : {MakeNotification("n1", "org-a", "user-a", 3), n2, n3,
                                  MakeNotification("m1", "org-b", "user-b", 4),
                                  MakeNotification("n4", "org-a", "user-a", 5),
                                  MakeNotification("n5", "org-a", "user-a", 5)}) {
      Must(uow->InsertNotification(n));
    }
    Must(uow->Commit());
  }
};

TEST_P(NotificationsTest, NotificationsRoundTripNewestFirst) {
  auto uow = Read();
  auto all = Must(uow->ListNotifications("user-a", false, 50, ""));
  ASSERT_EQ(Ids(all), (std::vector<std::string>{"n5", "n4", "n3", "n2", "n1"}));

  const Notification& n2 = all[3];
  EXPECT_EQ(n2.org_id, "org-a");
  EXPECT_EQ(n2.user_id, "user-a");
  EXPECT_EQ(n2.kind, "rejected");
  EXPECT_EQ(n2.credential_id, "cred-1");
  EXPECT_EQ(n2.title, "Title of n2");
  EXPECT_EQ(n2.body, "");
  EXPECT_EQ(n2.created_at, At(2));
  EXPECT_EQ(n2.read_at, std::nullopt);

  const Notification& n3 = all[2];
  EXPECT_EQ(n3.kind, "expiry_reminder");
  EXPECT_EQ(n3.credential_id, "");
  EXPECT_EQ(n3.body, "Body of n3");
  EXPECT_EQ(n3.read_at, At(50));

  EXPECT_EQ(Ids(Must(uow->ListNotifications("user-a", true, 50, ""))),
            (std::vector<std::string>{"n5", "n4", "n2", "n1"}));
  EXPECT_EQ(Ids(Must(uow->ListNotifications("user-b", false, 50, ""))),
            (std::vector<std::string>{"m1"}));
  EXPECT_TRUE(Must(uow->ListNotifications("nobody", false, 50, "")).empty());
  EXPECT_EQ(Ids(Must(uow->ListNotifications("user-a", false, 2, ""))),
            (std::vector<std::string>{"n5", "n4"}));
}

TEST_P(NotificationsTest, BeforeIdPagesWalkOlderEntries) {
  auto uow = Read();
  for (bool unread_only : {false, true}) {
    SCOPED_TRACE(unread_only ? "unread" : "all");
    std::vector<std::vector<std::string>> pages;
    std::string before;
    for (int guard = 0; guard < 10; ++guard) {
      auto page = Must(uow->ListNotifications("user-a", unread_only, 2, before));
      if (page.empty()) break;
      pages.push_back(Ids(page));
      before = page.back().id;
    }
    EXPECT_EQ(pages,
              unread_only
                  ? (std::vector<std::vector<std::string>>{{"n5", "n4"}, {"n2", "n1"}})
                  : (std::vector<std::vector<std::string>>{{"n5", "n4"}, {"n3", "n2"}, {"n1"}}));
  }
  // A read entry still marks a position in the unread list.
  EXPECT_EQ(Ids(Must(uow->ListNotifications("user-a", true, 50, "n3"))),
            (std::vector<std::string>{"n2", "n1"}));

  // Another user's notification, or none, is no position in this list.
  for (const char* id : {"m1", "nope"}) {
    Error e = ErrorOf(uow->ListNotifications("user-a", false, 50, id));
    EXPECT_EQ(e.code, ErrorCode::kBadRequest) << id;
    EXPECT_EQ(e.reason, "invalid_cursor") << id;
  }
}

TEST_P(NotificationsTest, MarkReadAndCountUnread) {
  {
    auto uow = Write();
    EXPECT_EQ(Must(uow->CountUnreadNotifications("user-a")), 4);
    EXPECT_EQ(Must(uow->CountUnreadNotifications("user-b")), 1);
    EXPECT_EQ(Must(uow->CountUnreadNotifications("nobody")), 0);

    EXPECT_TRUE(Must(uow->MarkNotificationRead("user-a", "n4", At(60))));
    // Marking again keeps the first time; an entry read before keeps its time.
    EXPECT_TRUE(Must(uow->MarkNotificationRead("user-a", "n4", At(70))));
    EXPECT_TRUE(Must(uow->MarkNotificationRead("user-a", "n3", At(70))));
    // Another user's notification is not this user's to mark.
    EXPECT_FALSE(Must(uow->MarkNotificationRead("user-a", "m1", At(60))));
    EXPECT_FALSE(Must(uow->MarkNotificationRead("user-a", "nope", At(60))));
    Must(uow->Commit());
  }
  {
    auto uow = Read();
    EXPECT_EQ(Must(uow->CountUnreadNotifications("user-a")), 3);
    EXPECT_EQ(Must(uow->CountUnreadNotifications("user-b")), 1);
    auto all = Must(uow->ListNotifications("user-a", false, 50, ""));
    ASSERT_EQ(Ids(all), (std::vector<std::string>{"n5", "n4", "n3", "n2", "n1"}));
    EXPECT_EQ(all[1].read_at, At(60));
    EXPECT_EQ(all[2].read_at, At(50));
    EXPECT_EQ(Ids(Must(uow->ListNotifications("user-a", true, 50, ""))),
              (std::vector<std::string>{"n5", "n2", "n1"}));
  }
  {
    auto uow = Write();
    Must(uow->MarkAllNotificationsRead("user-a", At(80)));
    Must(uow->Commit());
  }
  auto uow = Read();
  EXPECT_EQ(Must(uow->CountUnreadNotifications("user-a")), 0);
  EXPECT_EQ(Must(uow->CountUnreadNotifications("user-b")), 1);
  EXPECT_TRUE(Must(uow->ListNotifications("user-a", true, 50, "")).empty());
  std::vector<std::optional<Timestamp>> read_at;
  for (const auto& n : Must(uow->ListNotifications("user-a", false, 50, ""))) {
    read_at.push_back(n.read_at);
  }
  EXPECT_EQ(read_at,
            (std::vector<std::optional<Timestamp>>{At(80), At(60), At(50), At(80), At(80)}));
  auto others = Must(uow->ListNotifications("user-b", false, 50, ""));
  ASSERT_EQ(others.size(), 1u);
  EXPECT_EQ(others[0].read_at, std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(Backends, NotificationsTest, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace bf::testing
