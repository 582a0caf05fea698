// The rules of PRODUCT.md "Dates and statuses", "Approval" and "Archive, restore, delete", one
// table each, named after the domain function that holds the rule.
#include "domain/credentials.h"

#include <gtest/gtest.h>

#include "core/clock.h"
#include "core/dates.h"

namespace bf {
namespace {

Date D(const char* iso) { return *ParseIsoDate(iso); }
Timestamp T(const char* rfc3339) { return *ParseTimestamp(rfc3339); }

TEST(ComputeExpiryStatus, ValidThroughTheWholeExpiryDate) {
  struct Case {
    std::optional<const char*> expiry;
    const char* today;
    int soon;
    ExpiryStatus want;
  } cases[] = {
      {std::nullopt, "2026-11-29", 30, ExpiryStatus::kNoExpiry},
      {"2026-11-29", "2026-11-29", 30, ExpiryStatus::kExpiringSoon},  // the last valid day
      {"2026-11-28", "2026-11-29", 30, ExpiryStatus::kExpired},
      {"2026-12-29", "2026-11-29", 30, ExpiryStatus::kExpiringSoon},  // exactly 30 days
      {"2026-12-30", "2026-11-29", 30, ExpiryStatus::kValid},         // 31 days
      {"2026-11-29", "2026-11-29", 0, ExpiryStatus::kExpiringSoon},
      {"2026-11-30", "2026-11-29", 0, ExpiryStatus::kValid},
      {"2028-02-29", "2028-02-28", 0, ExpiryStatus::kValid},          // leap day
      {"2028-02-29", "2028-03-01", 30, ExpiryStatus::kExpired},
      {"2027-01-31", "2026-12-31", 31, ExpiryStatus::kExpiringSoon},  // across a year end
  };
  for (const Case& c : cases) {
    std::optional<Date> expiry;
    if (c.expiry) expiry = D(*c.expiry);
    EXPECT_EQ(ComputeExpiryStatus(expiry, D(c.today), c.soon), c.want)
        << c.expiry.value_or("none") << " on " << c.today;
  }
}

// "Today" is the date in the organisation's zone: stepping a FakeClock across local midnight,
// daylight-saving changes, month ends and 29 February flips the status exactly at local
// midnight, not at UTC midnight.
TEST(ComputeExpiryStatus, FollowsTheOrganisationsLocalMidnight) {
  struct Case {
    const char* zone;
    const char* expiry;
    const char* instant;  // UTC
    ExpiryStatus want;
  } cases[] = {
      // Sydney (UTC+11 in summer): 2026-11-29 ends at 2026-11-29T13:00Z.
      {"Australia/Sydney", "2026-11-29", "2026-11-29T12:59:59.999Z", ExpiryStatus::kExpiringSoon},
      {"Australia/Sydney", "2026-11-29", "2026-11-29T13:00:00.000Z", ExpiryStatus::kExpired},
      // Sydney, DST ends 2026-04-05 03:00 → 02:00 (UTC+11 → UTC+10): 2026-04-05 ends at 14:00Z.
      {"Australia/Sydney", "2026-04-05", "2026-04-05T13:59:59.999Z", ExpiryStatus::kExpiringSoon},
      {"Australia/Sydney", "2026-04-05", "2026-04-05T14:00:00.000Z", ExpiryStatus::kExpired},
      // Sydney, DST starts 2026-10-04 (UTC+10 → UTC+11): 2026-10-04 ends at 13:00Z.
      {"Australia/Sydney", "2026-10-04", "2026-10-04T12:59:59.999Z", ExpiryStatus::kExpiringSoon},
      {"Australia/Sydney", "2026-10-04", "2026-10-04T13:00:00.000Z", ExpiryStatus::kExpired},
      // New York, DST starts 2026-03-08 (UTC−5 → UTC−4): 2026-03-08 ends at 2026-03-09T04:00Z.
      {"America/New_York", "2026-03-08", "2026-03-09T03:59:59.999Z", ExpiryStatus::kExpiringSoon},
      {"America/New_York", "2026-03-08", "2026-03-09T04:00:00.000Z", ExpiryStatus::kExpired},
      // New York, DST ends 2026-11-01 (UTC−4 → UTC−5): 2026-11-01 ends at 2026-11-02T05:00Z.
      {"America/New_York", "2026-11-01", "2026-11-02T04:59:59.999Z", ExpiryStatus::kExpiringSoon},
      {"America/New_York", "2026-11-01", "2026-11-02T05:00:00.000Z", ExpiryStatus::kExpired},
      // Month end in New York: still 31 January there while it is 1 February in UTC.
      {"America/New_York", "2027-01-31", "2027-02-01T03:00:00.000Z", ExpiryStatus::kExpiringSoon},
      // 29 February 2028 in Sydney ends at 2028-02-29T13:00Z.
      {"Australia/Sydney", "2028-02-29", "2028-02-29T12:59:00.000Z", ExpiryStatus::kExpiringSoon},
      {"Australia/Sydney", "2028-02-29", "2028-02-29T13:00:00.000Z", ExpiryStatus::kExpired},
      {"UTC", "2028-02-29", "2028-02-29T23:59:59.999Z", ExpiryStatus::kExpiringSoon},
      {"UTC", "2028-02-29", "2028-03-01T00:00:00.000Z", ExpiryStatus::kExpired},
  };
  for (const Case& c : cases) {
    FakeClock clock(T(c.instant));
    Date today = LocalDate(clock.Now(), c.zone);
    EXPECT_EQ(ComputeExpiryStatus(D(c.expiry), today, 30), c.want) << c.zone << " " << c.instant;
  }
}

TEST(ComputeExpiryStatus, SteppingTheClockHourByHourFlipsOnceAtLocalMidnight) {
  // Across the New York DST end (a 25-hour day), the expiring → expired change happens once.
  FakeClock clock(T("2026-11-01T00:00:00.000Z"));
  int flips = 0;
  ExpiryStatus last = ExpiryStatus::kExpiringSoon;
  for (int hour = 0; hour < 48; ++hour) {
    ExpiryStatus now = ComputeExpiryStatus(D("2026-11-01"), LocalDate(clock.Now(), "America/New_York"), 30);
    if (now != last) {
      ++flips;
      EXPECT_EQ(clock.Now(), T("2026-11-02T05:00:00.000Z"));
    }
    last = now;
    clock.Advance(std::chrono::hours(1));
  }
  EXPECT_EQ(flips, 1);
  EXPECT_EQ(last, ExpiryStatus::kExpired);
}

TEST(IsCompliant, NotArchivedApprovedOrNotRequiredAndNotExpired) {
  struct Case {
    bool archived;
    ApprovalStatus approval;
    ExpiryStatus expiry;
    bool want;
  } cases[] = {
      {false, ApprovalStatus::kApproved, ExpiryStatus::kValid, true},
      {false, ApprovalStatus::kNotRequired, ExpiryStatus::kExpiringSoon, true},
      {false, ApprovalStatus::kApproved, ExpiryStatus::kNoExpiry, true},
      {false, ApprovalStatus::kApproved, ExpiryStatus::kExpired, false},
      {false, ApprovalStatus::kPending, ExpiryStatus::kValid, false},
      {false, ApprovalStatus::kRejected, ExpiryStatus::kValid, false},
      {true, ApprovalStatus::kApproved, ExpiryStatus::kValid, false},
  };
  for (const Case& c : cases) EXPECT_EQ(IsCompliant(c.archived, c.approval, c.expiry), c.want);
}

TEST(ValidateVersionDates, ExpiryAfterIssueAndOnlyForExpiringTypes) {
  struct Case {
    bool expires;
    const char* issue;
    std::optional<const char*> expiry;
    const char* code;  // "" for ok
  } cases[] = {
      {true, "2026-01-01", "2027-01-01", ""},
      {true, "2026-01-01", "2026-01-02", ""},
      {true, "2026-01-01", "2026-01-01", "expiry_before_issue"},  // on the issue date
      {true, "2026-01-01", "2025-12-31", "expiry_before_issue"},
      {true, "2026-01-01", std::nullopt, "expiry_required"},
      {false, "2026-01-01", std::nullopt, ""},
      {false, "2026-01-01", "2027-01-01", "expiry_not_allowed"},
  };
  for (const Case& c : cases) {
    std::optional<Date> expiry;
    if (c.expiry) expiry = D(*c.expiry);
    Status s = ValidateVersionDates(c.expires, D(c.issue), expiry);
    if (std::string(c.code).empty()) {
      EXPECT_TRUE(s) << c.issue;
    } else {
      ASSERT_FALSE(s) << c.issue;
      EXPECT_EQ(s.error().code, ErrorCode::kInvalid);
      ASSERT_EQ(s.error().fields.size(), 1u);
      EXPECT_EQ(s.error().fields[0].field, "expiry_date");
      EXPECT_EQ(s.error().fields[0].code, c.code);
    }
  }
}

TEST(ApprovalForNewVersion, PendingOnlyWhenApprovalsAreRequired) {
  EXPECT_EQ(ApprovalForNewVersion(true), ApprovalStatus::kPending);
  EXPECT_EQ(ApprovalForNewVersion(false), ApprovalStatus::kNotRequired);
}

TEST(ApprovalAfterEdit, ResubmitsWithApprovalsOn) {
  struct Case {
    bool approvals;
    ApprovalStatus before, after;
  } cases[] = {
      {true, ApprovalStatus::kApproved, ApprovalStatus::kPending},
      {true, ApprovalStatus::kRejected, ApprovalStatus::kPending},
      {true, ApprovalStatus::kPending, ApprovalStatus::kPending},
      {true, ApprovalStatus::kNotRequired, ApprovalStatus::kPending},
      {false, ApprovalStatus::kApproved, ApprovalStatus::kApproved},
      {false, ApprovalStatus::kNotRequired, ApprovalStatus::kNotRequired},
      {false, ApprovalStatus::kRejected, ApprovalStatus::kNotRequired},
      {false, ApprovalStatus::kPending, ApprovalStatus::kNotRequired},
  };
  for (const Case& c : cases) EXPECT_EQ(ApprovalAfterEdit(c.approvals, c.before), c.after);
}

TEST(CheckDecidable, OnlyPendingAndNeverTwice) {
  EXPECT_TRUE(CheckDecidable(ApprovalStatus::kPending));
  for (ApprovalStatus s : {ApprovalStatus::kApproved, ApprovalStatus::kRejected, ApprovalStatus::kNotRequired}) {
    Status r = CheckDecidable(s);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kConflict);
    EXPECT_EQ(r.error().reason, "not_pending");
  }
}

TEST(CheckArchiveRules, ArchivedRefusesChanges) {
  struct Case {
    Status (*check)(bool);
    bool archived;
    const char* reason;  // "" for ok
  } cases[] = {
      {CheckChangeable, false, ""},        {CheckChangeable, true, "archived"},
      {CheckArchivable, false, ""},        {CheckArchivable, true, "already_archived"},
      {CheckRestorable, true, ""},         {CheckRestorable, false, "not_archived"},
  };
  for (const Case& c : cases) {
    Status s = c.check(c.archived);
    if (std::string(c.reason).empty()) {
      EXPECT_TRUE(s);
    } else {
      ASSERT_FALSE(s);
      EXPECT_EQ(s.error().code, ErrorCode::kConflict);
      EXPECT_EQ(s.error().reason, c.reason);
    }
  }
}

TEST(StatusNames, RoundTrip) {
  for (auto s : {ExpiryStatus::kValid, ExpiryStatus::kExpiringSoon, ExpiryStatus::kExpired, ExpiryStatus::kNoExpiry}) {
    EXPECT_EQ(ParseExpiryStatus(ExpiryStatusName(s)), s);
  }
  for (auto s : {ApprovalStatus::kNotRequired, ApprovalStatus::kPending, ApprovalStatus::kApproved,
                 ApprovalStatus::kRejected}) {
    EXPECT_EQ(ParseApprovalStatus(ApprovalStatusName(s)), s);
  }
  EXPECT_FALSE(ParseExpiryStatus("soon"));
  EXPECT_FALSE(ParseApprovalStatus("Approved"));
}

}  // namespace
}  // namespace bf
