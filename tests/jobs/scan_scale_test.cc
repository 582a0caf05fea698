// How long a reminder pass takes over an organisation with many credentials: a measurement,
// not a check (DISABLED_: run it with --gtest_also_run_disabled_tests). The numbers are in
// docs/architecture.md "Reminders and email".
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>

#include "notify_fixture.h"
#include "store/sqlite/database.h"

namespace bf::testing {
namespace {

class ScanScaleTest : public NotifyTest {};

TEST_F(ScanScaleTest, DISABLED_APassOverOneHundredThousandCredentials) {
  const int n = 100'000;
  std::string type = MakeType(R"({"name":"Licence"})");
  {
    auto conn = MustOk(
        sqlite::Connection::Open((server_.dir() / "bonafides.db").string(), SqliteOptions{}));
    // Expiry dates spread evenly over three years from 2026-01-01; holders alice and bob.
    std::string sql =
        "BEGIN;"
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < " +
        std::to_string(n - 1) +
        ")"
        " INSERT INTO credentials (id, org_id, user_id, type_id, archived, version, issue_date, "
        "expiry_date,"
        " approval_status, created_at, updated_at)"
        " SELECT printf('cred-%08d', i), '" +
        server_.org_a() +
        "',"
        " CASE i % 2 WHEN 0 THEN '" +
        Id("alice") + "' ELSE '" + Id("bob") + "' END, '" + type +
        "', 0, 1,"
        " '2020-01-01', date('2026-01-01', '+' || (i % 1095) || ' days'), 'not_required', 0, 0 "
        "FROM n;"
        "INSERT INTO credential_versions (credential_id, version, issue_date, expiry_date, "
        "approval_status,"
        " created_at, updated_at)"
        " SELECT id, 1, issue_date, expiry_date, approval_status, 0, 0 FROM credentials WHERE id "
        "LIKE 'cred-%';"
        "COMMIT;";
    auto done = conn->Exec(sql);
    ASSERT_TRUE(done.has_value()) << done.error().detail;
  }
  auto time = [](auto&& f) {
    auto start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
  };
  server_.clock().Set(LocalTime("UTC", "2027-06-01 08:00"));
  ScanReport first, second, next_day;
  double first_ms = time([&] { first = MustOk(notify_.reminders.Scan()); });
  double second_ms = time([&] { second = MustOk(notify_.reminders.Scan()); });
  server_.clock().Set(LocalTime("UTC", "2027-06-02 08:00"));
  double next_day_ms = time([&] { next_day = MustOk(notify_.reminders.Scan()); });
  RecordingMailer mailer;
  DeliveryReport delivered;
  double deliver_ms = time([&] { delivered = MustOk(notify_.reminders.Deliver(mailer, 1000)); });
  std::cout << n << " credentials:\n"
            << "  first pass (after a week down): " << first_ms << " ms, " << first.in_app
            << " in-app, " << first.emails_queued << " emails queued, " << first.superseded
            << " superseded\n"
            << "  same time again (all claimed):  " << second_ms << " ms, " << second.in_app
            << " in-app\n"
            << "  next day:                       " << next_day_ms << " ms, " << next_day.in_app
            << " in-app\n"
            << "  delivering " << delivered.sent << " emails to a fake mailer: " << deliver_ms
            << " ms\n";
}

}  // namespace
}  // namespace bf::testing
