// Notification settings, the reminder scan's candidates, claims and the email outbox.
#include <chrono>
#include <latch>
#include <thread>

#include "store_test.h"

namespace bf::testing {
namespace {

Date D(const char* iso) { return *ParseIsoDate(iso); }

class RemindersStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    SeedTwoOrganizations();
    auto uow = Write();
    User idle = MakeUser("org-a", "user-idle", "Ida Idle", "ida@a.test", "set-org-a-standard");
    idle.status = UserStatus::kDeactivated;
    Must(uow->InsertUser(idle));
    Must(uow->InsertUser(
        MakeUser("org-a", "user-c", "Cy Standard", "cy@a.test", "set-org-a-standard")));
    CredentialType licence = MakeCredentialType("org-a", "type-a", "Licence");
    licence.reminder_days = std::vector<int>{14, 2};
    Must(uow->InsertCredentialType(licence));
    Must(uow->InsertCredentialType(MakeCredentialType("org-b", "type-b", "Licence")));
    Must(uow->Commit());
  }

  Credential Make(const std::string& id, const std::string& org, const std::string& user,
                  const std::string& type, std::optional<Date> expiry, bool archived = false) {
    Credential c;
    c.id = id;
    c.org_id = org;
    c.user.id = user;
    c.type_id = type;
    c.archived = archived;
    c.created_at = c.updated_at = kT0;
    c.latest.credential_id = id;
    c.latest.issue_date = D("2020-01-01");
    c.latest.expiry_date = expiry;
    c.latest.credential_number = "N-" + id;
    c.latest.created_at = c.latest.updated_at = At(5);
    return c;
  }

  OutboxEmail Email(const std::string& id, const std::string& key, int64_t due_seconds) {
    OutboxEmail e;
    e.id = id;
    e.dedupe_key = key;
    e.org_id = "org-a";
    e.user_id = "user-a";
    e.credential_id = "cred-" + id;
    e.kind = "expiry_reminder";
    e.recipient = "ada@a.test";
    e.subject = "Subject " + id;
    e.text_body = "text " + id;
    e.html_body = "<p>" + id + "</p>";
    e.created_at = At(0);
    e.next_attempt_at = At(due_seconds);
    return e;
  }
};

std::vector<std::string> CandidateIds(const std::vector<ReminderCandidate>& list) {
  std::vector<std::string> out;
  for (const auto& c : list) out.push_back(c.credential_id);
  return out;
}

TEST_P(RemindersStoreTest, SettingsRoundTripPerUserAndOrganisation) {
  auto uow = Write();
  EXPECT_EQ(Must(uow->FindNotificationSettings("org-a", "user-a")), std::nullopt);
  NotificationSettings s;
  s.user_id = "user-a";
  s.org_id = "org-a";
  s.email = false;
  s.days_before = {60, 14, 3};
  s.on_expiry = false;
  s.manager_digest = true;
  s.updated_at = At(10);
  Must(uow->SaveNotificationSettings(s));
  auto found = Must(uow->FindNotificationSettings("org-a", "user-a"));
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->email);
  EXPECT_TRUE(found->in_app);
  EXPECT_TRUE(found->expiry_reminders);
  EXPECT_EQ(found->days_before, (std::vector<int>{60, 14, 3}));
  EXPECT_FALSE(found->on_expiry);
  EXPECT_TRUE(found->manager_digest);
  EXPECT_EQ(found->updated_at, At(10));
  // Saving again replaces; another organisation does not see it.
  s.days_before = {1};
  s.manager_digest = false;
  Must(uow->SaveNotificationSettings(s));
  EXPECT_EQ(Must(uow->FindNotificationSettings("org-a", "user-a"))->days_before,
            (std::vector<int>{1}));
  EXPECT_EQ(Must(uow->FindNotificationSettings("org-b", "user-a")), std::nullopt);

  NotificationSettings c = s;
  c.user_id = "user-c";
  c.days_before = {1};
  c.manager_digest = true;
  Must(uow->SaveNotificationSettings(c));
  EXPECT_EQ(Must(uow->ListChosenLeadTimes("org-a")), (std::vector<std::vector<int>>{{1}}));
  EXPECT_TRUE(Must(uow->ListChosenLeadTimes("org-b")).empty());
  EXPECT_EQ(Must(uow->ListDigestSubscribers("org-a")), (std::vector<std::string>{"user-c"}));
  EXPECT_TRUE(Must(uow->ListDigestSubscribers("org-b")).empty());
}

TEST_P(RemindersStoreTest, CandidatesAreUnarchivedCredentialsOfActiveUsersInTheRangeInOrder) {
  {
    auto uow = Write();
    Must(uow->InsertCredential(Make("c1", "org-a", "user-a", "type-a", D("2027-01-10"))));
    Must(uow->InsertCredential(Make("c2", "org-a", "user-c", "type-a", D("2027-01-05"))));
    Must(uow->InsertCredential(Make("c3", "org-a", "user-a", "type-a", D("2027-01-05"))));
    Must(uow->InsertCredential(
        Make("archived", "org-a", "user-a", "type-a", D("2027-01-06"), true)));
    Must(uow->InsertCredential(Make("idle", "org-a", "user-idle", "type-a", D("2027-01-06"))));
    Must(uow->InsertCredential(Make("undated", "org-a", "user-a", "type-a", std::nullopt)));
    Must(uow->InsertCredential(Make("late", "org-a", "user-a", "type-a", D("2027-01-11"))));
    Must(uow->InsertCredential(Make("other-org", "org-b", "user-b", "type-b", D("2027-01-06"))));
    Must(uow->Commit());
  }
  auto uow = Read();
  auto all = Must(
      uow->ListReminderCandidates("org-a", D("2027-01-01"), D("2027-01-10"), std::nullopt, 50));
  EXPECT_EQ(CandidateIds(all), (std::vector<std::string>{"c2", "c3", "c1"}));
  const ReminderCandidate& c3 = all[1];
  EXPECT_EQ(c3.org_id, "org-a");
  EXPECT_EQ(c3.user_id, "user-a");
  EXPECT_EQ(c3.user_name, "Ada Admin");
  EXPECT_EQ(c3.user_email, "ada@a.test");
  EXPECT_EQ(c3.type_id, "type-a");
  EXPECT_EQ(c3.type_name, "Licence");
  EXPECT_EQ(c3.type_reminder_days, (std::vector<int>{14, 2}));
  EXPECT_EQ(c3.version, 1);
  EXPECT_EQ(c3.expiry, D("2027-01-05"));
  EXPECT_EQ(c3.credential_number, "N-c3");
  EXPECT_EQ(c3.version_created_at, At(5));
  // Keyset pages.
  auto first =
      Must(uow->ListReminderCandidates("org-a", D("2027-01-01"), D("2027-01-10"), std::nullopt, 2));
  EXPECT_EQ(CandidateIds(first), (std::vector<std::string>{"c2", "c3"}));
  auto rest =
      Must(uow->ListReminderCandidates("org-a", D("2027-01-01"), D("2027-01-10"),
                                       std::make_pair(D("2027-01-05"), std::string("c3")), 2));
  EXPECT_EQ(CandidateIds(rest), (std::vector<std::string>{"c1"}));
  EXPECT_EQ(CandidateIds(Must(uow->ListReminderCandidates("org-b", D("2027-01-01"), D("2027-01-10"),
                                                          std::nullopt, 50))),
            (std::vector<std::string>{"other-org"}));
}

TEST_P(RemindersStoreTest, AReminderIsClaimedOncePerVersionLeadTimeAndChannel) {
  {
    auto uow = Write();
    Must(uow->InsertCredential(Make("c1", "org-a", "user-a", "type-a", D("2027-01-10"))));
    Must(uow->Commit());
  }
  auto uow = Write();
  ReminderClaim claim{"c1", 1, 30, Channel::kEmail, "org-a", "user-a", true, D("2026-12-11"),
                      At(1)};
  EXPECT_TRUE(Must(uow->ClaimReminder(claim)));
  EXPECT_FALSE(Must(uow->ClaimReminder(claim)));
  claim.channel = Channel::kInApp;
  EXPECT_TRUE(Must(uow->ClaimReminder(claim)));
  claim.lead_days = 7;
  claim.sent = false;
  EXPECT_TRUE(Must(uow->ClaimReminder(claim)));
  claim.version = 2;
  EXPECT_TRUE(Must(uow->ClaimReminder(claim)));
  auto email = Must(uow->ListReminderClaims("c1", Channel::kEmail));
  ASSERT_EQ(email.size(), 1u);
  EXPECT_EQ(email[0].version, 1);
  EXPECT_EQ(email[0].lead_days, 30);
  EXPECT_TRUE(email[0].sent);
  EXPECT_EQ(email[0].local_date, D("2026-12-11"));
  EXPECT_EQ(Must(uow->ListReminderClaims("c1", Channel::kInApp)).size(), 3u);
  EXPECT_TRUE(Must(uow->ClaimDigest("org-a", "user-a", D("2026-12-11"), Channel::kEmail, At(1))));
  EXPECT_FALSE(Must(uow->ClaimDigest("org-a", "user-a", D("2026-12-11"), Channel::kEmail, At(2))));
  EXPECT_TRUE(Must(uow->ClaimDigest("org-a", "user-a", D("2026-12-12"), Channel::kEmail, At(2))));
  // Deleting a credential takes its claims with it.
  Must(uow->DeleteCredential("org-a", "c1"));
  EXPECT_TRUE(Must(uow->ListReminderClaims("c1", Channel::kInApp)).empty());
}

// Two senders (threads here, nodes in production) lease at the same moment with one email due:
// the lease is one statement, so exactly one of them gets it.
TEST_P(RemindersStoreTest, TwoSendersLeasingAtOnceNeverTakeTheSameEmail) {
  {
    auto uow = Write();
    EXPECT_TRUE(Must(uow->EnqueueEmail(Email("e1", "key-1", 10))));
    Must(uow->Commit());
  }
  std::latch start(2);
  Result<std::optional<OutboxEmail>> leased[2];
  auto sender = [&](int i) {
    start.arrive_and_wait();
    auto began = store_->Begin(true);
    if (!began) {
      leased[i] = tl::unexpected(began.error());
      return;
    }
    leased[i] = (*began)->LeaseEmail(At(20), At(80));
    if (!leased[i]) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // hold the row a while
    auto committed = (*began)->Commit();
    if (!committed) leased[i] = tl::unexpected(committed.error());
  };
  std::thread first(sender, 0);
  std::thread second(sender, 1);
  first.join();
  second.join();

  int got = 0;
  for (const auto& r : leased) {
    ASSERT_TRUE(r.has_value()) << r.error().detail;
    if (*r) ++got;
  }
  EXPECT_EQ(got, 1);
  auto email = Must(Read()->FindEmail("key-1"));
  ASSERT_TRUE(email);
  EXPECT_EQ(email->attempts, 1);
  EXPECT_EQ(email->status, OutboxStatus::kSending);
}

TEST_P(RemindersStoreTest, TheOutboxQueuesOnceAndLeasesTheOldestDueEmail) {
  auto uow = Write();
  EXPECT_TRUE(Must(uow->EnqueueEmail(Email("e1", "key-1", 10))));
  EXPECT_FALSE(Must(uow->EnqueueEmail(Email("e1-again", "key-1", 10))));  // same dedupe key
  EXPECT_TRUE(Must(uow->EnqueueEmail(Email("e2", "key-2", 5))));
  EXPECT_TRUE(Must(uow->EnqueueEmail(Email("e3", "key-3", 100))));

  EXPECT_EQ(Must(uow->LeaseEmail(At(4), At(64))), std::nullopt);  // none due yet
  auto first = Must(uow->LeaseEmail(At(10), At(70)));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->id, "e2");
  EXPECT_EQ(first->status, OutboxStatus::kSending);
  EXPECT_EQ(first->attempts, 1);
  EXPECT_EQ(first->lease_until, At(70));
  EXPECT_EQ(first->subject, "Subject e2");
  EXPECT_EQ(first->html_body, "<p>e2</p>");
  EXPECT_EQ(first->credential_id, "cred-e2");
  EXPECT_EQ(first->recipient, "ada@a.test");
  EXPECT_EQ(first->kind, "expiry_reminder");
  auto second = Must(uow->LeaseEmail(At(10), At(70)));
  ASSERT_TRUE(second);
  EXPECT_EQ(second->id, "e1");
  EXPECT_EQ(Must(uow->LeaseEmail(At(10), At(70))), std::nullopt);  // e2 and e1 are leased

  // e1 is sent; e2's sender dies: its lease runs out and it is leased again.
  second->status = OutboxStatus::kSent;
  second->sent_at = At(11);
  Must(uow->FinishEmail(*second));
  auto again = Must(uow->LeaseEmail(At(70), At(130)));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, "e2");
  EXPECT_EQ(again->attempts, 2);
  again->status = OutboxStatus::kPending;
  again->next_attempt_at = At(200);
  again->last_error = "451 try later";
  Must(uow->FinishEmail(*again));
  auto retried = Must(uow->FindEmail("key-2"));
  ASSERT_TRUE(retried);
  EXPECT_EQ(retried->status, OutboxStatus::kPending);
  EXPECT_EQ(retried->lease_until, std::nullopt);
  EXPECT_EQ(retried->last_error, "451 try later");
  EXPECT_EQ(Must(uow->LeaseEmail(At(150), At(210)))->id, "e3");

  auto counts = Must(uow->CountOutbox());
  EXPECT_EQ(counts.pending, 1);
  EXPECT_EQ(counts.sending, 1);
  EXPECT_EQ(counts.sent, 1);
  EXPECT_EQ(counts.failed, 0);
  auto sent = Must(uow->FindEmail("key-1"));
  EXPECT_EQ(sent->sent_at, At(11));
  EXPECT_EQ(Must(uow->FindEmail("nope")), std::nullopt);
}

TEST_P(RemindersStoreTest, EveryOrganisationIsListedOldestFirst) {
  auto uow = Read();
  auto orgs = Must(uow->ListOrganizations());
  ASSERT_EQ(orgs.size(), 2u);
  EXPECT_EQ(orgs[0].id, "org-a");
  EXPECT_EQ(orgs[1].id, "org-b");
}

INSTANTIATE_TEST_SUITE_P(Backends, RemindersStoreTest, ::testing::ValuesIn(Backends()),
                         BackendName);

}  // namespace
}  // namespace bf::testing
