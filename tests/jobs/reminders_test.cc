// Expiry reminders with a FakeClock: the right local day and hour across zones and
// daylight-saving changes, never twice, none for archived, deactivated or renewed credentials,
// missed ones once, and nothing twice when a pass dies part-way.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "notify_fixture.h"

namespace bf::testing {
namespace {

class RemindersTest : public NotifyTest {
 protected:
  // Runs a pass at each of `times` (local) on every day from `from` to `to` in `tz`, and returns
  // what reached `who`: "<local day> <time> <channel> <kind or subject>".
  std::vector<std::string> Walk(const std::string& tz, const std::string& who,
                                const std::string& from, const std::string& to,
                                const std::vector<std::string>& times = {"07:59", "08:00",
                                                                         "23:59"}) {
    std::vector<std::string> out;
    size_t seen_in_app = InApp(who).size(), seen_email = Emails(who).size();
    for (Date d = Day(from); d <= Day(to); d += date::days(1)) {
      for (const std::string& time : times) {
        PassAt(tz, FormatIsoDate(d) + " " + time);
        auto in_app = InApp(who);
        for (size_t i = seen_in_app; i < in_app.size(); ++i) {
          out.push_back(FormatIsoDate(d) + " " + time + " in_app " + in_app[i].kind + ": " +
                        in_app[i].title);
        }
        seen_in_app = in_app.size();
        auto emails = Emails(who);
        for (size_t i = seen_email; i < emails.size(); ++i) {
          out.push_back(FormatIsoDate(d) + " " + time + " email " + emails[i].subject);
        }
        seen_email = emails.size();
      }
    }
    return out;
  }

  // The two channels' lines for one reminder.
  static std::vector<std::string> Both(const std::string& when, const std::string& kind,
                                       const std::string& title) {
    return {when + " in_app " + kind + ": " + title, when + " email " + title};
  }
  static std::vector<std::string> Concat(std::initializer_list<std::vector<std::string>> parts) {
    std::vector<std::string> out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
  }
};

TEST_F(RemindersTest, EveryDefaultReminderOnItsLocalDayAtEightInSydney) {
  Zone("Australia/Sydney");  // UTC+11 in summer: 08:00 local is 21:00 UTC the day before
  std::string type = MakeType(R"({"name":"Driver's licence"})");
  Create("alice", type, "2027-01-10");
  EXPECT_EQ(
      Walk("Australia/Sydney", "alice", "2026-11-30", "2027-01-12"),
      Concat({Both("2026-12-11 08:00", "expiry_reminder",
                   "Driver's licence expires in 30 days (2027-01-10)"),
              Both("2027-01-03 08:00", "expiry_reminder",
                   "Driver's licence expires in 7 days (2027-01-10)"),
              Both("2027-01-09 08:00", "expiry_reminder",
                   "Driver's licence expires tomorrow (2027-01-10)"),
              Both("2027-01-10 08:00", "expired", "Driver's licence expires today (2027-01-10)")}));
}

// A reminder on the day the clocks change, in both hemispheres, at the configured hour.
struct DstCase {
  const char* zone;
  const char* expiry;  // the type reminds 7 days before, on the day of the change
  const char *day_before, *change_day;
  const char* utc_of_eight;  // 08:00 local on the change day, in UTC
};

TEST_F(RemindersTest, RemindersOnDaylightSavingChangeDaysGoOutAtLocalEight) {
  const DstCase cases[] = {
      // New York springs forward on 2027-03-14 (EST −5 → EDT −4).
      {"America/New_York", "2027-03-21", "2027-03-13", "2027-03-14", "2027-03-14T12:00:00.000Z"},
      // Sydney falls back on 2027-04-04 (AEDT +11 → AEST +10).
      {"Australia/Sydney", "2027-04-11", "2027-04-03", "2027-04-04", "2027-04-03T22:00:00.000Z"},
      // New York falls back on 2027-11-07 (EDT −4 → EST −5).
      {"America/New_York", "2027-11-14", "2027-11-06", "2027-11-07", "2027-11-07T13:00:00.000Z"},
  };
  std::string type = MakeType(R"({"name":"First aid","reminder_days":[7]})");
  ASSERT_EQ(server_
                .Call("alice", "PUT", "/api/v1/me/notification-settings",
                      NotificationSettingsBody(R"({"on_expiry":false,"email":false})"))
                .status,
            200);
  for (const DstCase& c : cases) {
    SCOPED_TRACE(std::string(c.zone) + " " + c.change_day);
    Zone(c.zone);
    std::string id = Create("alice", type, c.expiry);
    auto sent = Walk(c.zone, "alice", c.day_before, c.change_day, {"07:59", "08:00", "23:59"});
    EXPECT_EQ(
        sent,
        (std::vector<std::string>{std::string(c.change_day) +
                                  " 08:00 in_app expiry_reminder: First aid expires in 7 days (" +
                                  c.expiry + ")"}));
    // 08:00 local was exactly this instant: a minute earlier nothing was due.
    EXPECT_EQ(LocalTime(c.zone, std::string(c.change_day) + " 08:00"),
              *ParseTimestamp(c.utc_of_eight));
    ASSERT_EQ(server_.Call("admin", "POST", "/api/v1/credentials/" + id + "/archive").status, 200);
  }
}

TEST_F(RemindersTest, TheSendHourIsConfigurable) {
  ServiceOptions options = Options();
  options.notify.send_hour = 17;
  Services late(ServiceContext{server_.store(), server_.clock(), options});
  Zone("America/New_York");
  std::string type = MakeType(R"({"name":"Forklift","reminder_days":[3]})");
  Create("alice", type, "2026-12-10");
  server_.clock().Set(LocalTime("America/New_York", "2026-12-07 16:59"));
  EXPECT_EQ(MustOk(jobs::RunPassOnce(late.reminders, &mailer_)).scan.in_app, 0);
  server_.clock().Set(LocalTime("America/New_York", "2026-12-07 17:00"));
  EXPECT_EQ(MustOk(jobs::RunPassOnce(late.reminders, &mailer_)).scan.in_app, 1);
}

TEST_F(RemindersTest, NoneForArchivedDeactivatedOrRenewedCredentials) {
  server_.AddPerson("carol", "carol@a.example", "Carol Standard", "standard");
  std::string type = MakeType(R"({"name":"Licence"})");
  std::string control = Create("alice", type, "2027-01-10");
  std::string archived = Create("bob", type, "2027-01-10");
  std::string deactivated = Create("carol", type, "2027-01-10");
  std::string renewed = Create("alice", type, "2027-01-10", "R-2");
  ASSERT_EQ(server_.Call("admin", "POST", "/api/v1/credentials/" + archived + "/archive").status,
            200);
  ASSERT_EQ(
      server_.Call("admin", "PATCH", "/api/v1/users/" + Id("carol"), R"({"status":"deactivated"})")
          .status,
      200);
  Renew(renewed, "2028-01-10");

  Walk("UTC", "alice", "2026-12-10", "2027-01-11", {"08:00"});
  std::multiset<std::string> alice;
  for (const Notification& n : InApp("alice")) alice.insert(n.credential_id);
  EXPECT_EQ(alice, (std::multiset<std::string>{control, control, control, control}));
  EXPECT_EQ(Emails("alice").size(), 4u);
  EXPECT_TRUE(InApp("bob").empty());
  EXPECT_TRUE(InApp("carol").empty());
  EXPECT_TRUE(Emails("bob").empty());
  EXPECT_TRUE(Emails("carol").empty());
}

TEST_F(RemindersTest, NeverTwiceHoweverOftenPassesRun) {
  std::string type = MakeType(R"({"name":"Licence"})");
  Create("alice", type, "2027-01-10");
  for (const char* t :
       {"2026-12-11 08:00", "2026-12-11 08:00", "2026-12-11 08:01", "2026-12-11 23:59",
        "2026-12-12 08:00", "2026-12-11 09:00"}) {  // even with the clock going back
    PassAt("UTC", t);
  }
  EXPECT_EQ(InApp("alice").size(), 1u);
  EXPECT_EQ(Emails("alice").size(), 1u);
}

TEST_F(RemindersTest, AReminderMissedWhileDownIsSentOnceWhenBackUnlessRenewed) {
  std::string type = MakeType(R"({"name":"Licence"})");
  std::string missed = Create("alice", type, "2027-01-10");
  std::string renewed_meanwhile = Create("bob", type, "2027-01-10");
  PassAt("UTC", "2026-12-11 08:00");  // the 30-day reminders go out; then the server is down
  Renew(renewed_meanwhile, "2028-01-10");
  // Back on 2027-01-05 at 10:00: the 7-day reminder of 2027-01-03 was missed.
  EXPECT_EQ(
      Walk("UTC", "alice", "2027-01-05", "2027-01-10", {"10:00", "11:00"}),
      Concat({Both("2027-01-05 10:00", "expiry_reminder", "Licence expires in 5 days (2027-01-10)"),
              Both("2027-01-09 10:00", "expiry_reminder", "Licence expires tomorrow (2027-01-10)"),
              Both("2027-01-10 10:00", "expired", "Licence expires today (2027-01-10)")}));
  EXPECT_EQ(InApp("bob").size(), 1u);  // only the 30-day one, before the renewal
  // Down for more than a week: the notice of the expiry day is not sent 8 days late.
  std::string long_gone = Create("alice", type, "2027-01-20");
  PassAt("UTC", "2027-01-29 08:00");
  for (const Notification& n : InApp("alice")) EXPECT_NE(n.credential_id, long_gone);
}

TEST_F(RemindersTest, AtMostOneExpiringReminderPerCredentialPerDayWhenLeadTimesPileUp) {
  std::string type = MakeType(R"({"name":"Permit","reminder_days":[10,9,8]})");
  std::string id = Create("alice", type, "2027-01-15");
  // Back on 2027-01-07, when the reminders of the 5th, 6th and 7th are all due: one goes out.
  auto report = PassAt("UTC", "2027-01-07 09:00");
  EXPECT_EQ(report.scan.in_app, 1);
  EXPECT_EQ(report.scan.superseded, 4);  // 10 and 9 days, on both channels
  EXPECT_EQ(Walk("UTC", "alice", "2027-01-07", "2027-01-15", {"08:30"}),
            Both("2027-01-15 08:30", "expired", "Permit expires today (2027-01-15)"));
  ASSERT_EQ(InApp("alice").size(), 2u);
  EXPECT_EQ(InApp("alice")[0].title, "Permit expires in 8 days (2027-01-15)");

  // A correction that makes another lead time due the same day waits for tomorrow.
  std::string other = Create("bob", type, "2027-02-20");
  PassAt("UTC", "2027-02-10 08:00");  // 10 days before
  ASSERT_EQ(InApp("bob").size(), 1u);
  auto edited = server_.Call("admin", "PATCH", "/api/v1/credentials/" + other + "/versions/1",
                             R"({"expiry_date":"2027-02-19"})");
  ASSERT_EQ(edited.status, 200) << edited.body;
  PassAt("UTC", "2027-02-10 12:00");  // 9 days before the new date: due, but one went today
  EXPECT_EQ(InApp("bob").size(), 1u);
  PassAt("UTC", "2027-02-11 08:00");
  ASSERT_EQ(InApp("bob").size(), 2u);
  EXPECT_EQ(InApp("bob")[1].title, "Permit expires in 8 days (2027-02-19)");
}

TEST_F(RemindersTest, ANewVersionStartsItsOwnRemindersAndAnExpiredOneGetsNone) {
  std::string type = MakeType(R"({"name":"Licence"})");
  std::string id = Create("alice", type, "2027-01-10");
  PassAt("UTC", "2026-12-11 08:00");
  ASSERT_EQ(InApp("alice").size(), 1u);
  Renew(id, "2027-01-11");  // version 2, 30 days from tomorrow
  PassAt("UTC", "2026-12-12 08:00");
  ASSERT_EQ(InApp("alice").size(), 2u);
  EXPECT_EQ(InApp("alice")[1].title, "Licence expires in 30 days (2027-01-11)");

  // Added on 2026-12-12 already expired (a week ago): no reminder, no expiry notice.
  std::string expired = Create("bob", type, "2026-12-05");
  Walk("UTC", "bob", "2026-12-12", "2026-12-20", {"08:00"});
  EXPECT_TRUE(InApp("bob").empty());
  EXPECT_TRUE(Emails("bob").empty());
}

TEST_F(RemindersTest, SettingsChooseTheChannelsAndLeadTimesAndTypesOverrideThem) {
  std::string plain = MakeType(R"({"name":"Plain"})");
  std::string own = MakeType(R"({"name":"Own days","reminder_days":[3]})");
  ASSERT_EQ(
      server_
          .Call("alice", "PUT", "/api/v1/me/notification-settings",
                NotificationSettingsBody(R"({"days_before":[5],"on_expiry":false,"in_app":false})"))
          .status,
      200);
  ASSERT_EQ(server_
                .Call("bob", "PUT", "/api/v1/me/notification-settings",
                      NotificationSettingsBody(R"({"expiry_reminders":false})"))
                .status,
            200);
  Create("alice", plain, "2027-01-10");
  Create("alice", own, "2027-01-10");
  Create("bob", plain, "2027-01-10");
  Walk("UTC", "alice", "2026-12-01", "2027-01-11", {"08:00"});
  std::vector<std::string> subjects;
  for (const MailMessage& m : Emails("alice")) subjects.push_back(m.subject);
  EXPECT_EQ(subjects, (std::vector<std::string>{"Plain expires in 5 days (2027-01-10)",
                                                "Own days expires in 3 days (2027-01-10)"}));
  EXPECT_TRUE(InApp("alice").empty());
  EXPECT_TRUE(InApp("bob").empty());
  EXPECT_TRUE(Emails("bob").empty());
}

TEST_F(RemindersTest, EachDeliveryIsInTheActivityLog) {
  std::string type = MakeType(R"({"name":"Licence"})");
  std::string id = Create("alice", type, "2027-01-10");
  PassAt("UTC", "2026-12-11 08:00");
  auto res = server_.Call("admin", "GET", "/api/v1/activity?action=notification.sent");
  ASSERT_EQ(res.status, 200) << res.body;
  auto items = res.Json().at("items").as_array();
  ASSERT_EQ(items.size(), 2u);  // in-app and email
  std::multiset<std::string> channels;
  for (const auto& item : items) {
    EXPECT_TRUE(item.at("actor").is_null());  // the system
    EXPECT_EQ(item.at("entity"), "notification");
    EXPECT_EQ(item.at("subject_user").at("id"), boost::json::value(Id("alice")));
    EXPECT_EQ(item.at("subject_user").at("name"), "Alice Standard");
    EXPECT_EQ(item.at("credential_id"), boost::json::value(id));
    for (const auto& change : item.at("changes").as_array()) {
      if (change.at("field") == "channel")
        channels.insert(std::string(change.at("new").as_string()));
      if (change.at("field") == "kind") {
        EXPECT_EQ(change.at("new"), "expiry_reminder");
      }
    }
  }
  EXPECT_EQ(channels, (std::multiset<std::string>{"email", "in_app"}));
}

// ---- Crashes and several nodes -----------------------------------------------------------------

class CrashTest : public RemindersTest {
 protected:
  void SetUp() override {
    std::string type = MakeType(R"({"name":"Licence"})");
    for (int i = 0; i < 5; ++i)
      ids_.push_back(Create("alice", type, "2027-01-10", "N-" + std::to_string(i)));
    server_.clock().Set(LocalTime("UTC", "2026-12-11 08:00"));
  }

  // A new process: its own services over the same database.
  std::unique_ptr<Services> Restart() {
    return std::make_unique<Services>(ServiceContext{server_.store(), server_.clock(), Options()});
  }

  // Each credential's email arrived exactly once.
  void ExpectEachOnce() {
    std::map<std::string, int> per_credential;
    for (const MailMessage& m : Emails("alice")) {
      for (const std::string& id : ids_) {
        if (m.text.find(id) != std::string::npos) ++per_credential[id];
      }
    }
    for (const std::string& id : ids_) EXPECT_EQ(per_credential[id], 1) << id;
    EXPECT_EQ(Emails("alice").size(), ids_.size());
    EXPECT_EQ(InApp("alice").size(), ids_.size());
  }

  std::vector<std::string> ids_;
};

TEST_F(CrashTest, KilledBetweenClaimingAndSendingThenRestartedSendsEachOnce) {
  auto scanned = MustOk(notify_.reminders.Scan());  // then the process dies
  EXPECT_EQ(scanned.emails_queued, 5);
  auto restarted = Restart();
  auto pass = MustOk(jobs::RunPassOnce(restarted->reminders, &mailer_));
  EXPECT_EQ(pass.scan.emails_queued, 0);
  EXPECT_EQ(pass.delivery.sent, 5);
  MustOk(jobs::RunPassOnce(Restart()->reminders, &mailer_));
  ExpectEachOnce();
}

TEST_F(CrashTest, KilledMidMessageThenRestartedSendsEachOnce) {
  mailer_.CrashFrom(2);  // two go out, the third kills the process before the server accepts it
  EXPECT_THROW(Pass(), std::runtime_error);
  EXPECT_EQ(mailer_.messages().size(), 2u);
  mailer_.Heal();
  auto restarted = Restart();
  MustOk(jobs::RunPassOnce(restarted->reminders, &mailer_));
  EXPECT_EQ(mailer_.messages().size(), 4u);  // the interrupted one waits for its lease to run out
  server_.clock().Advance(std::chrono::minutes(6));
  MustOk(jobs::RunPassOnce(restarted->reminders, &mailer_));
  ExpectEachOnce();
}

TEST_F(CrashTest, AMailServerGoneAfterTwoMessagesIsRetriedAndNothingIsSentTwice) {
  mailer_.FailFrom(2);
  auto first = Pass();
  EXPECT_EQ(first.delivery.sent, 2);
  EXPECT_EQ(first.delivery.retrying, 1);
  EXPECT_TRUE(first.delivery.stopped_early);  // the other two were not even tried
  mailer_.Heal();
  EXPECT_EQ(Pass().delivery.sent, 2);  // not yet the retried one: a minute of backoff
  server_.clock().Advance(std::chrono::minutes(1));
  EXPECT_EQ(Pass().delivery.sent, 1);
  EXPECT_EQ(Pass().delivery.sent, 0);
  ExpectEachOnce();
}

TEST_F(CrashTest, TwoNodesScanningAtOnceClaimEachReminderOnce) {
  std::string type = MakeType(R"({"name":"More"})");
  for (int i = 0; i < 25; ++i)
    ids_.push_back(Create("alice", type, "2027-01-10", "M-" + std::to_string(i)));
  auto a = Restart(), b = Restart();
  std::atomic<int> in_app{0};
  auto scan = [&in_app](Services* s) {
    for (int i = 0; i < 3; ++i) in_app += MustOk(s->reminders.Scan()).in_app;
  };
  std::thread ta(scan, a.get()), tb(scan, b.get());
  ta.join();
  tb.join();
  EXPECT_EQ(in_app.load(), 30);
  MustOk(jobs::RunPassOnce(a->reminders, &mailer_));
  ExpectEachOnce();
}

}  // namespace
}  // namespace bf::testing
