// The reminder rules of PRODUCT.md "Notifications", one table a rule.
#include "domain/reminders.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bf {
namespace {

Date D(const char* iso) { return *ParseIsoDate(iso); }

TEST(RemindersTest, DueThroughIsTodayFromTheSendHour) {
  struct Case {
    int hour, send_hour;
    const char* expected;
  } cases[] = {{0, 8, "2026-12-10"},  {7, 8, "2026-12-10"}, {8, 8, "2026-12-11"},
               {23, 8, "2026-12-11"}, {0, 0, "2026-12-11"}, {22, 23, "2026-12-10"},
               {23, 23, "2026-12-11"}};
  for (const Case& c : cases) {
    EXPECT_EQ(DueThrough(D("2026-12-11"), c.hour, c.send_hour), D(c.expected))
        << c.hour << " " << c.send_hour;
  }
}

TEST(RemindersTest, EffectiveLeadsAreTheTypesOrTheUsersPlusTheExpiryDay) {
  NotificationSettings s;
  EXPECT_EQ(EffectiveLeads(s, std::nullopt), (std::vector<int>{0, 1, 7, 30}));
  EXPECT_EQ(EffectiveLeads(s, std::vector<int>{14, 2}), (std::vector<int>{0, 2, 14}));
  s.on_expiry = false;
  EXPECT_EQ(EffectiveLeads(s, std::nullopt), (std::vector<int>{1, 7, 30}));
  s.expiry_reminders = false;
  EXPECT_TRUE(EffectiveLeads(s, std::vector<int>{14}).empty());
}

TEST(RemindersTest, TheScanWindowCoversEachLeadTimeAndItsCatchUpDays) {
  // Lead 0 and 1 touch and merge; 30 stands apart.
  auto windows = DueExpiryWindows({30, 1, 0}, D("2026-12-11"));
  ASSERT_EQ(windows.size(), 2u);
  EXPECT_EQ(windows[0].from, D("2026-12-04"));
  EXPECT_EQ(windows[0].to, D("2026-12-12"));
  EXPECT_EQ(windows[1].from, D("2027-01-03"));
  EXPECT_EQ(windows[1].to, D("2027-01-10"));
}

struct PlanCase {
  const char* what;
  std::vector<int> leads;
  const char* expiry;
  const char* created_on;
  std::vector<ClaimedReminder> claimed;
  const char* today;
  std::optional<int> send;
  std::vector<int> supersede;
};

TEST(RemindersTest, PlanRemindersTable) {
  const std::vector<int> defaults = {0, 1, 7, 30};
  const PlanCase cases[] = {
      {"nothing due yet", defaults, "2027-01-10", "2026-11-01", {}, "2026-12-10", std::nullopt, {}},
      {"30 days before", defaults, "2027-01-10", "2026-11-01", {}, "2026-12-11", 30, {}},
      {"already claimed",
       defaults,
       "2027-01-10",
       "2026-11-01",
       {{1, 30, true, D("2026-12-11")}},
       "2026-12-12",
       std::nullopt,
       {}},
      {"claimed for an older version only",
       defaults,
       "2027-01-10",
       "2026-11-01",
       {{0, 30, true, D("2026-12-01")}},
       "2026-12-11",
       30,
       {}},
      {"missed two days ago",
       defaults,
       "2027-01-10",
       "2026-11-01",
       {{1, 30, true, D("2026-12-11")}},
       "2027-01-05",
       7,
       {}},
      {"missed more than a week ago",
       defaults,
       "2027-01-10",
       "2026-11-01",
       {},
       "2026-12-19",
       std::nullopt,
       {}},
      {"piled up: the most urgent, the others superseded",
       defaults,
       "2027-01-10",
       "2026-11-01",
       {},
       "2027-01-09",
       1,
       {7}},
      {"the expiry day beats the rest",
       defaults,
       "2027-01-10",
       "2026-11-01",
       {},
       "2027-01-10",
       0,
       {1, 7}},
      {"expired three days ago: only the expiry-day notice",
       defaults,
       "2027-01-10",
       "2026-11-01",
       {},
       "2027-01-13",
       0,
       {}},
      {"one expiring reminder a day",
       {5, 4},
       "2027-01-10",
       "2026-11-01",
       {{1, 5, true, D("2027-01-06")}},
       "2027-01-06",
       std::nullopt,
       {}},
      {"a superseded one today does not count",
       {5, 4},
       "2027-01-10",
       "2026-11-01",
       {{1, 5, false, D("2027-01-06")}},
       "2027-01-06",
       4,
       {}},
      {"expired when created",
       defaults,
       "2026-10-31",
       "2026-11-01",
       {},
       "2026-11-01",
       std::nullopt,
       {}},
      {"created on its expiry day",
       defaults,
       "2026-11-01",
       "2026-11-01",
       {},
       "2026-11-01",
       0,
       {1, 7}},
  };
  for (const PlanCase& c : cases) {
    SCOPED_TRACE(c.what);
    ReminderSubject subject{1, D(c.expiry), D(c.created_on), c.leads};
    ReminderPlan plan = PlanReminders(subject, c.claimed, D(c.today), D(c.today));
    EXPECT_EQ(plan.send, c.send);
    EXPECT_EQ(plan.supersede, c.supersede);
  }
}

TEST(RemindersTest, RetriesBackOffByDoublingUpToTheLimit) {
  using std::chrono::minutes;
  EXPECT_EQ(RetryDelay(1, minutes(1), minutes(60)), minutes(1));
  EXPECT_EQ(RetryDelay(2, minutes(1), minutes(60)), minutes(2));
  EXPECT_EQ(RetryDelay(4, minutes(1), minutes(60)), minutes(8));
  EXPECT_EQ(RetryDelay(7, minutes(1), minutes(60)), minutes(60));
  EXPECT_EQ(RetryDelay(100, minutes(1), minutes(60)), minutes(60));
}

}  // namespace
}  // namespace bf
