// What the reminder and email tests share: a real server (tests/support) over a fresh
// database with a FakeClock, a second set of services over the same store playing the
// scheduler (email on), a mailer that records, and helpers that read like the rules.
#pragma once

#include <date/tz.h>
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "jobs/scheduler.h"
#include "service/mailer.h"
#include "service/services.h"
#include "support/test_server.h"

namespace bf::testing {

// Keeps every message; can be told to fail or to "crash" (throw) from the n-th message on.
class RecordingMailer final : public Mailer {
 public:
  Status Send(const MailMessage& m) override {
    std::lock_guard lock(mu_);
    ++attempts_;
    if (crash_from_ >= 0 && static_cast<int>(messages_.size()) >= crash_from_) {
      throw std::runtime_error("the process died mid-message");
    }
    if (fail_from_ >= 0 && static_cast<int>(messages_.size()) >= fail_from_) {
      return Fail(ErrorCode::kUnavailable, "smtp_unavailable", "the mail server is unavailable");
    }
    messages_.push_back(m);
    return Ok();
  }
  std::vector<MailMessage> messages() const {
    std::lock_guard lock(mu_);
    return messages_;
  }
  void FailFrom(int n) { fail_from_ = n; }
  void CrashFrom(int n) { crash_from_ = n; }
  void Heal() { fail_from_ = crash_from_ = -1; }
  int attempts() const { return attempts_; }

 private:
  mutable std::mutex mu_;
  std::vector<MailMessage> messages_;
  int fail_from_ = -1, crash_from_ = -1, attempts_ = 0;
};

// The instant of local time `local` ("2026-12-11 08:00") in zone `tz`.
inline Timestamp LocalTime(const std::string& tz, const std::string& local) {
  std::istringstream in(local);
  date::local_seconds t;
  in >> date::parse("%Y-%m-%d %H:%M", t);
  if (in.fail()) throw std::runtime_error("bad local time " + local);
  return std::chrono::time_point_cast<Millis>(
      date::locate_zone(tz)->to_sys(t, date::choose::earliest));
}

inline Date Day(const std::string& iso) { return *ParseIsoDate(iso); }

template <typename T>
T MustOk(Result<T> r) {
  if (!r) throw std::runtime_error(r.error().message + " (" + r.error().detail + ")");
  return std::move(*r);
}

class NotifyTest : public ::testing::Test {
 protected:
  NotifyTest() : notify_(ServiceContext{server_.store(), server_.clock(), Options()}) {}

  // The scheduler's options: email on, retries a minute apart (doubling), 3 attempts.
  static ServiceOptions Options() {
    ServiceOptions o;
    o.fast_password_hash = true;
    o.notify.email_enabled = true;
    o.notify.public_url = "https://bf.example/";
    o.notify.retry_base = std::chrono::minutes(1);
    o.notify.retry_max = std::chrono::minutes(30);
    o.notify.max_attempts = 3;
    return o;
  }

  void Zone(const std::string& tz) {
    ASSERT_EQ(
        server_.Call("admin", "PATCH", "/api/v1/organization", "{\"timezone\":\"" + tz + "\"}")
            .status,
        200);
  }

  std::string MakeType(const std::string& body) {
    auto res = server_.Call("admin", "POST", "/api/v1/credential-types", body);
    EXPECT_EQ(res.status, 201) << res.body;
    return std::string(res.Json().at("id").as_string());
  }

  // A credential of `type` held by `who`, expiring on `expiry` (issued a year before).
  std::string Create(const std::string& who, const std::string& type, const std::string& expiry,
                     const std::string& number = "") {
    auto res = server_.Call("admin", "POST", "/api/v1/credentials",
                            "{\"user_id\":\"" + Id(who) + "\",\"type_id\":\"" + type +
                                "\",\"issue_date\":\"2020-01-01\",\"expiry_date\":\"" + expiry +
                                "\",\"credential_number\":\"" + number + "\"}");
    EXPECT_EQ(res.status, 201) << res.body;
    return std::string(res.Json().at("id").as_string());
  }

  void Renew(const std::string& id, const std::string& expiry) {
    auto res = server_.Call("admin", "POST", "/api/v1/credentials/" + id + "/versions",
                            "{\"issue_date\":\"2020-01-01\",\"expiry_date\":\"" + expiry + "\"}");
    ASSERT_EQ(res.status, 201) << res.body;
  }

  const std::string& Id(const std::string& who) { return server_.person(who).user.id; }

  // One pass of the scheduler at the clock's now, through `mailer_`.
  jobs::PassReport Pass() { return MustOk(jobs::RunPassOnce(notify_.reminders, &mailer_)); }

  // Sets the clock to local time `local` in `tz` and runs a pass.
  jobs::PassReport PassAt(const std::string& tz, const std::string& local) {
    server_.clock().Set(LocalTime(tz, local));
    return Pass();
  }

  // `who`'s in-app notifications, oldest first.
  std::vector<Notification> InApp(const std::string& who) {
    auto uow = MustOk(server_.store().Begin(false));
    auto list = MustOk(uow->ListNotifications(Id(who), false, 1000, ""));
    return std::vector<Notification>(list.rbegin(), list.rend());
  }

  // Emails sent to `who`'s address.
  std::vector<MailMessage> Emails(const std::string& who) {
    std::vector<MailMessage> out;
    for (const MailMessage& m : mailer_.messages()) {
      if (m.to == server_.person(who).user.email) out.push_back(m);
    }
    return out;
  }

  TestServer server_;
  Services notify_;
  RecordingMailer mailer_;
};

}  // namespace bf::testing
