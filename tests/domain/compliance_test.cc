// The rules of spec/REQUIREMENTS.md "Status of one user against one requirement" and
// "Decision for a user in a group, and overall", one table a rule, and the input checks.
#include "domain/compliance.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/dates.h"

namespace bf {
namespace {

Date D(const char* iso) { return *ParseIsoDate(iso); }
Timestamp T(const char* rfc3339) { return *ParseTimestamp(rfc3339); }

constexpr ApprovalStatus kApproved = ApprovalStatus::kApproved;
constexpr ApprovalStatus kNotRequired = ApprovalStatus::kNotRequired;
constexpr ApprovalStatus kPending = ApprovalStatus::kPending;
constexpr ApprovalStatus kRejected = ApprovalStatus::kRejected;

// A credential of type `type` expiring on `expiry` ("" for none).
HeldCredential Cred(std::string id, std::string type, ApprovalStatus approval, const char* expiry,
                    bool archived = false) {
  HeldCredential c;
  c.id = std::move(id);
  c.type_id = std::move(type);
  c.approval = approval;
  if (*expiry) c.expiry_date = D(expiry);
  c.archived = archived;
  return c;
}

// A first-aid requirement satisfied by type "fa" or its alternative "fa2".
RequirementRule Rule(int min_days = 0, int grace_days = 0,
                     Enforcement enforcement = Enforcement::kBlock) {
  return RequirementRule{"r1", {"fa", "fa2"}, min_days, grace_days, enforcement};
}

ComplianceDay Day(const char* today, int soon = 30) { return ComplianceDay{D(today), soon}; }

RequirementResult Eval(const RequirementRule& rule, std::vector<HeldCredential> creds,
                       const ComplianceDay& day, const char* since = "2020-01-01",
                       std::vector<ExemptionGrant> exemptions = {}, bool active = true) {
  CompliancePerson person{active, std::move(creds)};
  return EvaluateRequirement(rule, person, D(since), exemptions, day);
}

std::string Cell(const RequirementResult& r) { return StatusCell(r); }

// ---- Statuses and reasons -----------------------------------------------------------------

// Every status and every reason, each from the smallest situation that produces it.
TEST(EvaluateRequirement, EveryStatusAndReason) {
  const ExemptionGrant open{"e1", "r1", std::nullopt};
  struct Case {
    const char* name;
    std::vector<HeldCredential> creds;
    int min_days;
    int grace_days;
    const char* since;
    std::vector<ExemptionGrant> exemptions;
    bool active;
    const char* want;             // StatusCell
    const char* want_credential;  // "" for none
  } cases[] = {
      {"met: approved, far from expiry",
       {Cred("c1", "fa", kApproved, "2027-06-01")},
       0,
       0,
       "2020-01-01",
       {},
       true,
       "met",
       "c1"},
      {"met: approvals not required",
       {Cred("c1", "fa", kNotRequired, "2027-06-01")},
       0,
       0,
       "2020-01-01",
       {},
       true,
       "met",
       "c1"},
      {"met: no expiry",
       {Cred("c1", "fa", kApproved, "")},
       3650,
       0,
       "2020-01-01",
       {},
       true,
       "met",
       "c1"},
      {"expiring: within expiring_soon_days",
       {Cred("c1", "fa", kApproved, "2026-12-10")},
       0,
       0,
       "2020-01-01",
       {},
       true,
       "expiring",
       "c1"},
      {"unmet expires_too_soon",
       {Cred("c1", "fa", kApproved, "2026-12-10")},
       60,
       0,
       "2020-01-01",
       {},
       true,
       "unmet:expires_too_soon",
       "c1"},
      {"unmet pending_approval",
       {Cred("c1", "fa", kPending, "2027-06-01")},
       0,
       0,
       "2020-01-01",
       {},
       true,
       "unmet:pending_approval",
       "c1"},
      {"unmet rejected",
       {Cred("c1", "fa", kRejected, "2027-06-01")},
       0,
       0,
       "2020-01-01",
       {},
       true,
       "unmet:rejected",
       "c1"},
      {"unmet expired",
       {Cred("c1", "fa", kApproved, "2026-11-30")},
       0,
       0,
       "2020-01-01",
       {},
       true,
       "unmet:expired",
       "c1"},
      {"unmet expired even when pending",
       {Cred("c1", "fa", kPending, "2026-11-30")},
       0,
       0,
       "2020-01-01",
       {},
       true,
       "unmet:expired",
       "c1"},
      {"unmet missing", {}, 0, 0, "2020-01-01", {}, true, "unmet:missing", ""},
      {"unmet missing: other types do not count",
       {Cred("c1", "forklift", kApproved, "")},
       0,
       0,
       "2020-01-01",
       {},
       true,
       "unmet:missing",
       ""},
      {"exempt carries the reason", {}, 0, 0, "2020-01-01", {open}, true, "exempt:missing", ""},
      {"exempt: another requirement's exemption does not count",
       {},
       0,
       0,
       "2020-01-01",
       {{"e9", "r9", std::nullopt}},
       true,
       "unmet:missing",
       ""},
      {"in_grace carries the reason",
       {Cred("c1", "fa", kPending, "2027-06-01")},
       0,
       14,
       "2026-11-25",
       {},
       true,
       "in_grace:pending_approval",
       "c1"},
      {"inactive_user overrides met",
       {Cred("c1", "fa", kApproved, "2027-06-01")},
       0,
       0,
       "2020-01-01",
       {},
       false,
       "unmet:inactive_user",
       "c1"},
      {"inactive_user overrides exempt and grace",
       {},
       0,
       30,
       "2026-12-01",
       {open},
       false,
       "unmet:inactive_user",
       ""},
  };
  for (const Case& c : cases) {
    RequirementResult r = Eval(Rule(c.min_days, c.grace_days), c.creds, Day("2026-12-01"), c.since,
                               c.exemptions, c.active);
    EXPECT_EQ(Cell(r), c.want) << c.name;
    EXPECT_EQ(r.credential_id.value_or(""), c.want_credential) << c.name;
    EXPECT_EQ(r.reason.has_value(), !r.Satisfied() || r.status == RequirementStatus::kExempt)
        << c.name;
  }
}

// A satisfied requirement wins over exemption and grace; an exemption wins over grace.
TEST(EvaluateRequirement, MetBeforeExemptBeforeGrace) {
  const std::vector<ExemptionGrant> exempt{{"e1", "r1", std::nullopt}};
  RequirementResult met =
      Eval(Rule(0, 30), {Cred("c1", "fa", kApproved, "")}, Day("2026-12-01"), "2026-12-01", exempt);
  EXPECT_EQ(Cell(met), "met");
  EXPECT_EQ(met.exemption_id.value_or(""), "e1");  // shown, though not needed
  EXPECT_FALSE(met.grace_until.has_value());
  RequirementResult ex = Eval(Rule(0, 30), {}, Day("2026-12-01"), "2026-12-01", exempt);
  EXPECT_EQ(Cell(ex), "exempt:missing");
  EXPECT_FALSE(ex.grace_until.has_value());
}

// "The most helpful reason": expires_too_soon, pending_approval, rejected, expired, missing —
// whichever candidate of the alternatives gives the earliest one in that order.
TEST(EvaluateRequirement, MostHelpfulReasonAmongCandidates) {
  struct Case {
    std::vector<HeldCredential> creds;
    const char* want;
    const char* want_credential;
  } cases[] = {
      {{Cred("a", "fa", kApproved, "2026-11-01"), Cred("b", "fa2", kRejected, "2027-01-01"),
        Cred("c", "fa", kPending, "2027-02-01"), Cred("d", "fa2", kApproved, "2026-12-20")},
       "unmet:expires_too_soon",
       "d"},
      {{Cred("a", "fa", kApproved, "2026-11-01"), Cred("b", "fa2", kRejected, "2027-01-01"),
        Cred("c", "fa", kPending, "2027-02-01")},
       "unmet:pending_approval",
       "c"},
      {{Cred("a", "fa", kApproved, "2026-11-01"), Cred("b", "fa2", kRejected, "2027-01-01")},
       "unmet:rejected",
       "b"},
      {{Cred("a", "fa", kApproved, "2026-11-01"), Cred("b", "fa2", kRejected, "2026-11-02")},
       "unmet:expired",
       "b"},  // the one that expired last
      {{Cred("a", "fa", kApproved, "2026-11-01", /*archived=*/true)}, "unmet:missing", ""},
  };
  for (const Case& c : cases) {
    RequirementResult r = Eval(Rule(60), c.creds, Day("2026-12-01"));
    EXPECT_EQ(Cell(r), c.want);
    EXPECT_EQ(r.credential_id.value_or(""), c.want_credential) << c.want;
  }
}

// ---- The best candidate -------------------------------------------------------------------

// The best candidate is the compliant one with the latest expiry (no expiry is latest),
// whatever its alternative type and whatever order the credentials come in.
TEST(EvaluateRequirement, BestCandidateIsCompliantWithLatestExpiry) {
  struct Case {
    const char* name;
    std::vector<HeldCredential> creds;
    const char* want_credential;
    const char* want;
  } cases[] = {
      {"latest expiry across alternative types",
       {Cred("a", "fa", kApproved, "2026-12-15"), Cred("b", "fa2", kApproved, "2028-01-01"),
        Cred("c", "fa", kApproved, "2027-01-01")},
       "b",
       "met"},
      {"no expiry beats any date",
       {Cred("a", "fa", kApproved, "2030-01-01"), Cred("b", "fa2", kNotRequired, "")},
       "b",
       "met"},
      {"a later but pending one loses to a compliant one",
       {Cred("a", "fa", kApproved, "2026-12-15"), Cred("b", "fa2", kPending, "2030-01-01")},
       "a",
       "expiring"},
      {"a later but archived one does not count",
       {Cred("a", "fa", kApproved, "2026-12-15"), Cred("b", "fa2", kApproved, "2030-01-01", true)},
       "a",
       "expiring"},
      {"an expired one loses to a later compliant one",
       {Cred("a", "fa", kApproved, "2026-11-30"), Cred("b", "fa2", kApproved, "2026-12-31")},
       "b",
       "expiring"},
      {"equal expiry: the smallest id",
       {Cred("z", "fa", kApproved, "2027-06-01"), Cred("m", "fa2", kApproved, "2027-06-01")},
       "m",
       "met"},
  };
  for (const Case& c : cases) {
    std::vector<HeldCredential> creds = c.creds;
    for (int turn = 0; turn < 2; ++turn) {  // forwards and backwards: order never matters
      RequirementResult r = Eval(Rule(), creds, Day("2026-12-01"));
      EXPECT_EQ(r.credential_id.value_or(""), c.want_credential) << c.name;
      EXPECT_EQ(Cell(r), c.want) << c.name;
      std::reverse(creds.begin(), creds.end());
    }
  }
}

TEST(EvaluateRequirement, ReportsTheCandidatesExpiry) {
  RequirementResult r = Eval(Rule(), {Cred("a", "fa", kApproved, "2027-06-01")}, Day("2026-12-01"));
  EXPECT_EQ(r.expiry_date, D("2027-06-01"));
  RequirementResult none = Eval(Rule(), {Cred("a", "fa", kApproved, "")}, Day("2026-12-01"));
  EXPECT_FALSE(none.expiry_date.has_value());
}

// ---- Versions, archive, delete ------------------------------------------------------------

// A renewal awaiting approval (or rejected) over an approved version: the approved version
// keeps the requirement satisfied until it expires; then the new version's state is the reason.
TEST(EvaluateRequirement, PendingNewVersionOverApprovedOldOne) {
  struct Case {
    const char* name;
    ApprovalStatus latest;
    const char* latest_expiry;
    std::optional<const char*> earlier_expiry;  // nullopt: no approved earlier version
    const char* today;
    const char* want;
    std::optional<const char*> want_expiry;
    bool want_earlier;
  } cases[] = {
      {"old approved version still counts", kPending, "2029-12-01", "2027-06-01", "2026-12-01",
       "met", "2027-06-01", true},
      {"old version expiring soon", kPending, "2029-12-01", "2026-12-20", "2026-12-01", "expiring",
       "2026-12-20", true},
      {"old version's last day", kPending, "2029-12-01", "2026-12-01", "2026-12-01", "expiring",
       "2026-12-01", true},
      {"old version expired: the pending one is the reason", kPending, "2029-12-01", "2026-11-30",
       "2026-12-01", "unmet:pending_approval", "2029-12-01", false},
      {"rejected renewal over an approved old one", kRejected, "2029-12-01", "2027-06-01",
       "2026-12-01", "met", "2027-06-01", true},
      {"rejected renewal, old one expired", kRejected, "2029-12-01", "2026-11-30", "2026-12-01",
       "unmet:rejected", "2029-12-01", false},
      {"edited only version, pending again: nothing approved remains", kPending, "2029-12-01",
       std::nullopt, "2026-12-01", "unmet:pending_approval", "2029-12-01", false},
      {"old approved version without expiry", kPending, "2029-12-01", "", "2026-12-01", "met",
       std::nullopt, true},
  };
  for (const Case& c : cases) {
    HeldCredential cred = Cred("c1", "fa", c.latest, c.latest_expiry);
    if (c.earlier_expiry) {
      EarlierApprovedVersion earlier;
      if (**c.earlier_expiry) earlier.expiry_date = D(*c.earlier_expiry);
      cred.earlier_approved = earlier;
    }
    RequirementResult r = Eval(Rule(), {cred}, Day(c.today));
    EXPECT_EQ(Cell(r), c.want) << c.name;
    std::optional<Date> want_expiry;
    if (c.want_expiry) want_expiry = D(*c.want_expiry);
    EXPECT_EQ(r.expiry_date, want_expiry) << c.name;
    EXPECT_EQ(r.relies_on_earlier_version, c.want_earlier) << c.name;
  }
}

// The earlier approved version is read only when the latest is not approved: an approved
// latest version is the credential's state even if an older one lasted longer.
TEST(EvaluateRequirement, ApprovedLatestVersionIgnoresEarlierOnes) {
  HeldCredential cred = Cred("c1", "fa", kApproved, "2026-11-30");
  cred.earlier_approved = EarlierApprovedVersion{1, D("2030-01-01")};
  EXPECT_EQ(Cell(Eval(Rule(), {cred}, Day("2026-12-01"))), "unmet:expired");
}

// Archived credentials stop counting (the reason is missing, as if absent); deleted ones no
// longer exist and are never passed.
TEST(EvaluateRequirement, ArchivedAndDeletedCredentialsDoNotCount) {
  std::vector<HeldCredential> held{Cred("c1", "fa", kApproved, "2027-06-01")};
  EXPECT_EQ(Cell(Eval(Rule(), held, Day("2026-12-01"))), "met");
  held[0].archived = true;  // archived
  RequirementResult archived = Eval(Rule(), held, Day("2026-12-01"));
  EXPECT_EQ(Cell(archived), "unmet:missing");
  EXPECT_FALSE(archived.credential_id.has_value());
  held.clear();  // deleted
  EXPECT_EQ(Cell(Eval(Rule(), held, Day("2026-12-01"))), "unmet:missing");
  // An archived expired one does not turn "missing" into "expired" either.
  EXPECT_EQ(
      Cell(Eval(Rule(), {Cred("c1", "fa", kApproved, "2026-01-01", true)}, Day("2026-12-01"))),
      "unmet:missing");
}

// A type removed from a requirement's alternatives no longer satisfies it.
TEST(EvaluateRequirement, TypeRemovedFromAlternativesNoLongerCounts) {
  std::vector<HeldCredential> held{Cred("c1", "fa2", kApproved, "2027-06-01")};
  EXPECT_EQ(Cell(Eval(Rule(), held, Day("2026-12-01"))), "met");
  RequirementRule narrowed = Rule();
  narrowed.credential_type_ids = {"fa"};
  EXPECT_EQ(Cell(Eval(narrowed, held, Day("2026-12-01"))), "unmet:missing");
}

// ---- Boundaries ---------------------------------------------------------------------------

// met needs expiry − today ≥ min_days_remaining; a credential is valid through its expiry date.
TEST(EvaluateRequirement, BoundaryAtMinDaysRemaining) {
  struct Case {
    const char* expiry;
    int min_days;
    const char* want;
  } cases[] = {
      {"2027-03-01", 90, "met"},                     // exactly 90 days left
      {"2027-02-28", 90, "unmet:expires_too_soon"},  // 89
      {"2026-12-01", 0, "expiring"},                 // its last day, no minimum
      {"2026-12-01", 1, "unmet:expires_too_soon"},
      {"2026-11-30", 0, "unmet:expired"},
      {"2036-11-28", 3650, "met"},  // the largest minimum, exactly
      {"2036-11-27", 3650, "unmet:expires_too_soon"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(
        Cell(Eval(Rule(c.min_days), {Cred("c1", "fa", kApproved, c.expiry)}, Day("2026-12-01"))),
        c.want)
        << c.expiry << " min " << c.min_days;
  }
}

// expiring when expiry − today ≤ expiring_soon_days (PRODUCT.md's "expiring soon").
TEST(EvaluateRequirement, BoundaryAtExpiringSoonDays) {
  struct Case {
    const char* expiry;
    int soon;
    int min_days;
    const char* want;
  } cases[] = {
      {"2026-12-31", 30, 0, "expiring"},  // exactly 30 days
      {"2027-01-01", 30, 0, "met"},       // 31
      {"2026-12-01", 0, 0, "expiring"},   // expiring_soon_days 0: the last day only
      {"2026-12-02", 0, 0, "met"},
      // The minimum is checked first: 20 days left against a minimum of 21 is not "expiring".
      {"2026-12-21", 30, 21, "unmet:expires_too_soon"},
      {"2026-12-22", 30, 21, "expiring"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Cell(Eval(Rule(c.min_days), {Cred("c1", "fa", kApproved, c.expiry)},
                        Day("2026-12-01", c.soon))),
              c.want)
        << c.expiry << " soon " << c.soon;
  }
}

// in_grace while today < member_since + grace_days: the last grace day is since + grace − 1.
TEST(EvaluateRequirement, BoundaryAtLastGraceDay) {
  struct Case {
    const char* since;
    int grace;
    const char* today;
    const char* want;
    std::optional<const char*> grace_until;
  } cases[] = {
      {"2026-12-01", 14, "2026-12-01", "in_grace:missing", "2026-12-14"},  // the first day
      {"2026-12-01", 14, "2026-12-14", "in_grace:missing", "2026-12-14"},  // the last day
      {"2026-12-01", 14, "2026-12-15", "unmet:missing", std::nullopt},
      {"2026-12-01", 0, "2026-12-01", "unmet:missing", std::nullopt},  // no grace at all
      {"2026-12-01", 1, "2026-12-01", "in_grace:missing", "2026-12-01"},
      {"2026-12-10", 0, "2026-12-01", "in_grace:missing", "2026-12-09"},   // starts later
      {"2026-02-15", 14, "2026-02-28", "in_grace:missing", "2026-02-28"},  // month end
      {"2028-02-16", 14, "2028-02-29", "in_grace:missing", "2028-02-29"},  // leap day
      {"2028-02-16", 14, "2028-03-01", "unmet:missing", std::nullopt},
  };
  for (const Case& c : cases) {
    RequirementResult r = Eval(Rule(0, c.grace), {}, Day(c.today), c.since);
    EXPECT_EQ(Cell(r), c.want) << c.since << " +" << c.grace << " on " << c.today;
    std::optional<Date> want;
    if (c.grace_until) want = D(*c.grace_until);
    EXPECT_EQ(r.grace_until, want) << c.since << " +" << c.grace << " on " << c.today;
  }
}

// An exemption is active with no end, or while today ≤ expires_on (its last day, inclusive).
TEST(EvaluateRequirement, BoundaryAtExemptionsLastDay) {
  struct Case {
    std::vector<ExemptionGrant> exemptions;
    const char* today;
    const char* want;
    const char* want_exemption;
  } cases[] = {
      {{{"e1", "r1", D("2026-12-01")}}, "2026-12-01", "exempt:missing", "e1"},  // the last day
      {{{"e1", "r1", D("2026-12-01")}}, "2026-12-02", "unmet:missing", ""},
      {{{"e1", "r1", std::nullopt}}, "2099-12-31", "exempt:missing", "e1"},
      // Of several active ones, the one lasting longest is shown.
      {{{"e1", "r1", D("2026-12-05")}, {"e2", "r1", D("2026-12-20")}},
       "2026-12-01",
       "exempt:missing",
       "e2"},
      {{{"e1", "r1", D("2026-12-05")}, {"e2", "r1", std::nullopt}},
       "2026-12-01",
       "exempt:missing",
       "e2"},
      {{{"e1", "r1", D("2026-11-30")}, {"e2", "r1", D("2026-12-01")}},
       "2026-12-01",
       "exempt:missing",
       "e2"},
  };
  for (const Case& c : cases) {
    std::vector<ExemptionGrant> ex = c.exemptions;
    for (int turn = 0; turn < 2; ++turn) {
      RequirementResult r = Eval(Rule(), {}, Day(c.today), "2020-01-01", ex);
      EXPECT_EQ(Cell(r), c.want) << c.today;
      EXPECT_EQ(r.exemption_id.value_or(""), c.want_exemption) << c.today;
      std::reverse(ex.begin(), ex.end());
    }
  }
}

// ---- Time zones: "today" is the organisation's date at the instant ------------------------

// Stepping a FakeClock across local midnight flips expiry, grace and exemption exactly at the
// organisation's midnight, in zones far from UTC and across daylight-saving changes.
TEST(ComplianceDayAt, FlipsAtTheOrganisationsMidnight) {
  struct Case {
    const char* zone;
    const char* instant;  // UTC
    const char* local_date;
  } cases[] = {
      // Kiritimati, UTC+14: 2026-12-01 ends at 2026-12-01T10:00Z.
      {"Pacific/Kiritimati", "2026-12-01T09:59:59.999Z", "2026-12-01"},
      {"Pacific/Kiritimati", "2026-12-01T10:00:00.000Z", "2026-12-02"},
      // Pago Pago, UTC−11: 2026-12-01 ends at 2026-12-02T11:00Z.
      {"Pacific/Pago_Pago", "2026-12-02T10:59:59.999Z", "2026-12-01"},
      {"Pacific/Pago_Pago", "2026-12-02T11:00:00.000Z", "2026-12-02"},
      // New York, DST starts 2026-03-08 (UTC−5 → UTC−4): that day ends at 2026-03-09T04:00Z.
      {"America/New_York", "2026-03-09T03:59:59.999Z", "2026-03-08"},
      {"America/New_York", "2026-03-09T04:00:00.000Z", "2026-03-09"},
      // New York, DST ends 2026-11-01 (UTC−4 → UTC−5): that day ends at 2026-11-02T05:00Z.
      {"America/New_York", "2026-11-02T04:59:59.999Z", "2026-11-01"},
      {"America/New_York", "2026-11-02T05:00:00.000Z", "2026-11-02"},
      // Sydney, DST ends 2026-04-05 (UTC+11 → UTC+10): that day ends at 2026-04-05T14:00Z.
      {"Australia/Sydney", "2026-04-05T13:59:59.999Z", "2026-04-05"},
      {"Australia/Sydney", "2026-04-05T14:00:00.000Z", "2026-04-06"},
  };
  for (const Case& c : cases) {
    FakeClock clock(T(c.instant));
    ComplianceDay day = ComplianceDayAt(clock.Now(), c.zone, 30);
    EXPECT_EQ(day.today, D(c.local_date)) << c.zone << " " << c.instant;
    EXPECT_EQ(day.expiring_soon_days, 30);
  }
}

TEST(EvaluateRequirement, AroundMidnightFarFromUtcAndAcrossDst) {
  enum What { kExpiry, kGrace, kExemption };
  struct Case {
    const char* zone;
    What what;
    const char* last_day;  // the credential's expiry, the last grace day, the exemption's end
    const char* before;    // UTC instants: 1 ms before and at the local midnight after last_day
    const char* at;
  } cases[] = {
      {"Pacific/Kiritimati", kExpiry, "2026-12-01", "2026-12-01T09:59:59.999Z",
       "2026-12-01T10:00:00.000Z"},
      {"Pacific/Pago_Pago", kExpiry, "2026-12-01", "2026-12-02T10:59:59.999Z",
       "2026-12-02T11:00:00.000Z"},
      {"Pacific/Kiritimati", kGrace, "2026-12-01", "2026-12-01T09:59:59.999Z",
       "2026-12-01T10:00:00.000Z"},
      {"Pacific/Pago_Pago", kExemption, "2026-12-01", "2026-12-02T10:59:59.999Z",
       "2026-12-02T11:00:00.000Z"},
      // A grace period counted in calendar days over the autumn change (a 25-hour day): it
      // ends at local midnight, not an hour early as 24-hour steps from the start would say.
      {"America/New_York", kGrace, "2026-11-01", "2026-11-02T04:59:59.999Z",
       "2026-11-02T05:00:00.000Z"},
      {"America/New_York", kExpiry, "2026-03-08", "2026-03-09T03:59:59.999Z",
       "2026-03-09T04:00:00.000Z"},
      {"Australia/Sydney", kExemption, "2026-04-05", "2026-04-05T13:59:59.999Z",
       "2026-04-05T14:00:00.000Z"},
      {"Australia/Sydney", kExpiry, "2026-10-04", "2026-10-04T12:59:59.999Z",
       "2026-10-04T13:00:00.000Z"},
  };
  for (const Case& c : cases) {
    Date last = D(c.last_day);
    std::vector<HeldCredential> creds;
    std::vector<ExemptionGrant> exemptions;
    Date since = D("2020-01-01");
    int grace = 0;
    const char* want_before = "";
    const char* want_at = "";
    switch (c.what) {
      case kExpiry:
        creds.push_back(Cred("c1", "fa", kApproved, c.last_day));
        want_before = "expiring";
        want_at = "unmet:expired";
        break;
      case kGrace:
        since = last - date::days(9);
        grace = 10;
        want_before = "in_grace:missing";
        want_at = "unmet:missing";
        break;
      case kExemption:
        exemptions.push_back({"e1", "r1", last});
        want_before = "exempt:missing";
        want_at = "unmet:missing";
        break;
    }
    FakeClock clock(T(c.before));
    CompliancePerson person{true, creds};
    auto eval = [&] {
      return StatusCell(EvaluateRequirement(Rule(0, grace), person, since, exemptions,
                                            ComplianceDayAt(clock.Now(), c.zone, 30)));
    };
    EXPECT_EQ(eval(), want_before) << c.zone << " " << c.before;
    clock.Set(T(c.at));
    EXPECT_EQ(eval(), want_at) << c.zone << " " << c.at;
  }
}

// ---- Decisions ----------------------------------------------------------------------------

RequirementResult WithStatus(RequirementStatus s, Enforcement e = Enforcement::kBlock) {
  RequirementResult r;
  r.status = s;
  r.enforcement = e;
  return r;
}

// allow: all met or exempt; warn: expiring, in_grace, or unmet with warn; deny: unmet with block.
TEST(DecideGroup, AllowWarnDeny) {
  using S = RequirementStatus;
  constexpr Enforcement kWarn = Enforcement::kWarn;
  struct Case {
    const char* name;
    std::vector<RequirementResult> reqs;
    bool active;
    Decision want;
  } cases[] = {
      {"no requirements allows everyone", {}, true, Decision::kAllow},
      {"met and exempt allow",
       {WithStatus(S::kMet), WithStatus(S::kExempt)},
       true,
       Decision::kAllow},
      {"expiring warns", {WithStatus(S::kMet), WithStatus(S::kExpiring)}, true, Decision::kWarn},
      {"in_grace warns, even on a blocking requirement",
       {WithStatus(S::kInGrace)},
       true,
       Decision::kWarn},
      {"unmet with warn warns", {WithStatus(S::kUnmet, kWarn)}, true, Decision::kWarn},
      {"unmet with block denies", {WithStatus(S::kUnmet)}, true, Decision::kDeny},
      {"deny wins over warn",
       {WithStatus(S::kExpiring), WithStatus(S::kUnmet), WithStatus(S::kUnmet, kWarn)},
       true,
       Decision::kDeny},
      {"a deactivated user is denied even with no requirements", {}, false, Decision::kDeny},
      {"a deactivated user is denied on warn-only requirements",
       {WithStatus(S::kUnmet, kWarn)},
       false,
       Decision::kDeny},
  };
  for (const Case& c : cases) EXPECT_EQ(DecideGroup(c.active, c.reqs), c.want) << c.name;
}

// Any-of within a requirement, all-of across a group's requirements.
TEST(EvaluateGroup, AllOfRequirementsAnyOfTypes) {
  GroupMembership group;
  group.member_since = D("2020-01-01");
  group.requirements = {RequirementRule{"first-aid", {"fa", "fa2"}, 0, 0, Enforcement::kBlock},
                        RequirementRule{"induction", {"ind"}, 0, 0, Enforcement::kBlock},
                        RequirementRule{"ppe", {"ppe"}, 0, 0, Enforcement::kWarn}};
  CompliancePerson person;
  person.credentials = {Cred("a", "fa2", kApproved, "2030-01-01"), Cred("b", "ind", kApproved, "")};
  GroupCompliance g = EvaluateGroup(group, person, Day("2026-12-01"));
  ASSERT_EQ(g.requirements.size(), 3u);
  EXPECT_EQ(g.requirements[0].requirement_id, "first-aid");
  EXPECT_EQ(StatusCell(g.requirements[0]), "met");
  EXPECT_EQ(StatusCell(g.requirements[1]), "met");
  EXPECT_EQ(StatusCell(g.requirements[2]), "unmet:missing");
  EXPECT_EQ(g.decision, Decision::kWarn);  // only the warn requirement is missing

  person.credentials.erase(person.credentials.begin() + 1);  // the induction goes
  g = EvaluateGroup(group, person, Day("2026-12-01"));
  EXPECT_EQ(g.decision, Decision::kDeny);
  EXPECT_EQ(DecisionReasons(g), (std::vector<size_t>{1, 2}));

  group.exemptions = {{"e1", "induction", std::nullopt}, {"e2", "ppe", D("2026-12-31")}};
  g = EvaluateGroup(group, person, Day("2026-12-01"));
  EXPECT_EQ(StatusCell(g.requirements[1]), "exempt:missing");
  EXPECT_EQ(StatusCell(g.requirements[2]), "exempt:missing");
  EXPECT_EQ(g.decision, Decision::kAllow);
  EXPECT_EQ(DecisionReasons(g), (std::vector<size_t>{1, 2}));
}

// Reasons list every requirement not met: those that deny, then those that warn, then exempt.
TEST(DecisionReasons, DenyThenWarnThenExempt) {
  using S = RequirementStatus;
  GroupCompliance g;
  g.requirements = {WithStatus(S::kExempt),   WithStatus(S::kMet),
                    WithStatus(S::kExpiring), WithStatus(S::kUnmet, Enforcement::kWarn),
                    WithStatus(S::kUnmet),    WithStatus(S::kInGrace)};
  EXPECT_EQ(DecisionReasons(g), (std::vector<size_t>{4, 2, 3, 5, 0}));
}

// The worst over the groups; a person in no group is allowed; a deactivated one never is.
TEST(OverallDecision, WorstOverGroups) {
  EXPECT_EQ(OverallDecision(true, {}), Decision::kAllow);
  EXPECT_EQ(OverallDecision(true, {Decision::kAllow, Decision::kWarn}), Decision::kWarn);
  EXPECT_EQ(OverallDecision(true, {Decision::kDeny, Decision::kWarn, Decision::kAllow}),
            Decision::kDeny);
  EXPECT_EQ(OverallDecision(false, {}), Decision::kDeny);
}

// A deactivated user: every requirement unmet with inactive_user, every group deny.
TEST(EvaluateGroup, DeactivatedUser) {
  GroupMembership group;
  group.member_since = D("2026-12-01");
  group.requirements = {RequirementRule{"r1", {"fa"}, 0, 30, Enforcement::kWarn}};
  group.exemptions = {{"e1", "r1", std::nullopt}};
  CompliancePerson person{false, {Cred("a", "fa", kApproved, "")}};
  GroupCompliance g = EvaluateGroup(group, person, Day("2026-12-01"));
  EXPECT_EQ(StatusCell(g.requirements[0]), "unmet:inactive_user");
  EXPECT_EQ(g.decision, Decision::kDeny);
  person.active = true;
  EXPECT_EQ(EvaluateGroup(group, person, Day("2026-12-01")).decision, Decision::kAllow);
}

TEST(Names, RoundTrip) {
  for (auto s : {RequirementStatus::kMet, RequirementStatus::kExpiring, RequirementStatus::kExempt,
                 RequirementStatus::kInGrace, RequirementStatus::kUnmet}) {
    EXPECT_EQ(ParseRequirementStatus(RequirementStatusName(s)), s);
  }
  for (auto r : {ComplianceReason::kExpiresTooSoon, ComplianceReason::kPendingApproval,
                 ComplianceReason::kRejected, ComplianceReason::kExpired,
                 ComplianceReason::kMissing, ComplianceReason::kInactiveUser}) {
    EXPECT_EQ(ParseComplianceReason(ComplianceReasonName(r)), r);
  }
  for (auto d : {Decision::kAllow, Decision::kWarn, Decision::kDeny}) {
    EXPECT_EQ(ParseDecision(DecisionName(d)), d);
  }
  EXPECT_EQ(ParseEnforcement("block"), Enforcement::kBlock);
  EXPECT_EQ(ParseEnforcement("warn"), Enforcement::kWarn);
  EXPECT_EQ(ParseEnforcement("Block"), std::nullopt);
  EXPECT_EQ(ParseDecision("maybe"), std::nullopt);
}

// ---- Input checks -------------------------------------------------------------------------

// "ok", or "field:code" of the one field error (422).
std::string FieldCode(const Status& s) {
  if (s) return "ok";
  if (s.error().fields.size() != 1)
    return "(fields: " + std::to_string(s.error().fields.size()) + ")";
  EXPECT_EQ(s.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(s.error().reason, s.error().fields[0].code);
  return s.error().fields[0].field + ":" + s.error().fields[0].code;
}

TEST(ValidateRequirement, TypesDaysAndEnforcement) {
  const std::set<std::string> known{"t1", "t2", "t3", "t4",  "t5", "t6",
                                    "t7", "t8", "t9", "t10", "t11"};
  const std::vector<std::string> ten{"t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "t10"};
  std::vector<std::string> eleven = ten;
  eleven.push_back("t11");
  struct Case {
    const char* name;
    RequirementDraft draft;
    const char* want;
  } cases[] = {
      {"one type, defaults", {{"t1"}, 0, 0, "block"}, "ok"},
      {"ten types, largest counts", {ten, 3650, 365, "warn"}, "ok"},
      {"no type", {{}, 0, 0, "block"}, "credential_type_ids:required"},
      {"eleven types", {eleven, 0, 0, "block"}, "credential_type_ids:too_many"},
      {"unknown type", {{"t1", "nope"}, 0, 0, "block"}, "credential_type_ids:unknown_type"},
      {"duplicate type", {{"t1", "t2", "t1"}, 0, 0, "block"}, "credential_type_ids:duplicate_type"},
      {"negative minimum", {{"t1"}, -1, 0, "block"}, "min_days_remaining:out_of_range"},
      {"minimum over 3650", {{"t1"}, 3651, 0, "block"}, "min_days_remaining:out_of_range"},
      {"huge minimum", {{"t1"}, INT64_MAX, 0, "block"}, "min_days_remaining:out_of_range"},
      {"huge negative minimum", {{"t1"}, INT64_MIN, 0, "block"}, "min_days_remaining:out_of_range"},
      {"negative grace", {{"t1"}, 0, -1, "block"}, "grace_days:out_of_range"},
      {"grace over 365", {{"t1"}, 0, 366, "block"}, "grace_days:out_of_range"},
      {"huge grace (wraps to 0 as 32 bits)",
       {{"t1"}, 0, int64_t{1} << 32, "block"},
       "grace_days:out_of_range"},
      {"unknown enforcement", {{"t1"}, 0, 0, "deny"}, "enforcement:invalid_enforcement"},
      {"empty enforcement", {{"t1"}, 0, 0, ""}, "enforcement:invalid_enforcement"},
      {"the first field in order wins", {{}, -1, -1, "x"}, "credential_type_ids:required"},
  };
  for (const Case& c : cases) {
    Result<RequirementRule> r = ValidateRequirement(c.draft, known);
    EXPECT_EQ(FieldCode(StatusOf(r)), c.want) << c.name;
  }
  Result<RequirementRule> rule = ValidateRequirement({{"t2", "t1"}, 7, 14, "warn"}, known);
  ASSERT_TRUE(rule.has_value());
  EXPECT_EQ(rule->credential_type_ids, (std::vector<std::string>{"t2", "t1"}));
  EXPECT_EQ(rule->min_days_remaining, 7);
  EXPECT_EQ(rule->grace_days, 14);
  EXPECT_EQ(rule->enforcement, Enforcement::kWarn);
}

TEST(ValidateExemption, ReasonAndLastDay) {
  const Date today = D("2026-12-01");
  std::string long_reason(2000, 'x');
  struct Case {
    const char* name;
    std::string reason;
    std::optional<Date> expires_on;
    const char* want;
  } cases[] = {
      {"no end", "Medical leave", std::nullopt, "ok"},
      {"ends today", "Medical leave", today, "ok"},
      {"ends yesterday", "Medical leave", D("2026-11-30"), "expires_on:in_past"},
      {"empty reason", "  ", std::nullopt, "reason:required"},
      {"2000 characters", long_reason, std::nullopt, "ok"},
      {"2001 characters", long_reason + "y", std::nullopt, "reason:too_long"},
      {"line feeds allowed", "line one\nline two", std::nullopt, "ok"},
      {"other controls refused", "bell\a", std::nullopt, "reason:invalid_characters"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FieldCode(ValidateExemption(c.reason, c.expires_on, today)), c.want) << c.name;
  }
}

TEST(CheckExemptionGrant, NeverOneselfOnlyMembers) {
  EXPECT_TRUE(CheckExemptionGrant("manager", "worker", true).has_value());
  Status own = CheckExemptionGrant("manager", "manager", true);
  ASSERT_FALSE(own.has_value());
  EXPECT_EQ(own.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(own.error().reason, "own_exemption");
  // 403 before 422: a manager who is no member still learns first that it is their own.
  EXPECT_EQ(CheckExemptionGrant("manager", "manager", false).error().reason, "own_exemption");
  EXPECT_EQ(FieldCode(CheckExemptionGrant("manager", "worker", false)), "user_id:not_a_member");
}

}  // namespace
}  // namespace bf
