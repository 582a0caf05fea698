// Role requirements and compliance: the rules of spec/REQUIREMENTS.md "Status of one user
// against one requirement" and "Decision for a user in a group, and overall", and the checks of
// requirement and exemption input. Pure: no SQL, no JSON, no I/O, no clock — "today" comes in
// as an argument (ComplianceDayAt turns an instant and the organisation's zone into it).
//
// Every function here is deterministic and independent of the order of its input lists (ties
// are broken by id), so the user page, the matrix, the CSV, the gate check and the summary give
// the same answer for the same person at the same instant whichever query fed them.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/dates.h"
#include "core/result.h"
#include "domain/credentials.h"

namespace bf {

inline constexpr int kMaxRequirementTypes = 10;
inline constexpr int kMaxMinDaysRemaining = 3650;
inline constexpr int kMaxGraceDays = 365;
inline constexpr size_t kMaxExemptionReasonLength = 2000;

enum class Enforcement { kBlock, kWarn };
std::string_view EnforcementName(Enforcement e);  // "block", "warn"
std::optional<Enforcement> ParseEnforcement(std::string_view name);

enum class RequirementStatus { kMet, kExpiring, kExempt, kInGrace, kUnmet };
std::string_view RequirementStatusName(RequirementStatus s);  // "met", "in_grace", ...
std::optional<RequirementStatus> ParseRequirementStatus(std::string_view name);

// Why a requirement is not met (also carried by exempt and in_grace), most helpful first:
// the order in which REQUIREMENTS.md ranks them; kInactiveUser overrides them all.
enum class ComplianceReason {
  kExpiresTooSoon,   // a compliant candidate, but expiry − today < min_days_remaining
  kPendingApproval,  // a candidate awaits approval and has not expired
  kRejected,         // a candidate was rejected and has not expired
  kExpired,          // a candidate has expired (whatever its approval)
  kMissing,          // no unarchived credential of any of the requirement's types
  kInactiveUser,     // the user is deactivated
};
std::string_view ComplianceReasonName(ComplianceReason r);  // "expires_too_soon", ...
std::optional<ComplianceReason> ParseComplianceReason(std::string_view name);

// Ordered by severity: a worse decision compares greater.
enum class Decision { kAllow, kWarn, kDeny };
std::string_view DecisionName(Decision d);                     // "allow", "warn", "deny"
std::optional<Decision> ParseDecision(std::string_view name);  // for the `decision=` filter
Decision Worse(Decision a, Decision b);

// ---- Input: what the rules need, nothing more ---------------------------------------------

// One requirement of a group. Assumed valid (ValidateRequirement).
struct RequirementRule {
  std::string id;
  std::vector<std::string> credential_type_ids;  // the alternatives: any one satisfies
  int min_days_remaining = 0;
  int grace_days = 0;
  Enforcement enforcement = Enforcement::kBlock;
};

// An unrevoked exemption of the person from one requirement (a revoked one is deleted, so it
// is never passed). Active while `expires_on` is absent or today ≤ `expires_on`.
struct ExemptionGrant {
  std::string id;
  std::string requirement_id;
  std::optional<Date> expires_on;  // the last exempt day, inclusive
};

// The newest version older than the latest one whose approval is `approved` or `not_required`.
struct EarlierApprovedVersion {
  int version = 1;
  std::optional<Date> expiry_date;
};

// One credential of the person, reduced to what the rules read. A deleted credential no longer
// exists and is simply not passed; an archived one may be passed and never counts.
struct HeldCredential {
  std::string id;
  std::string type_id;
  bool archived = false;
  ApprovalStatus approval = ApprovalStatus::kNotRequired;  // of the latest version
  std::optional<Date> expiry_date;                         // of the latest version
  // Only read when the latest version is pending or rejected (a renewal awaiting review, or
  // refused): the approved version it would replace keeps counting until that one expires.
  std::optional<EarlierApprovedVersion> earlier_approved;
};

// The person, as every group of theirs sees them.
struct CompliancePerson {
  bool active = true;                       // User::status == kActive
  std::vector<HeldCredential> credentials;  // any types, any order
};

// One group as it applies to one member.
struct GroupMembership {
  Date member_since;                          // the local date the membership began
  std::vector<RequirementRule> requirements;  // in the order the group lists them
  std::vector<ExemptionGrant> exemptions;     // the person's, for any of these requirements
};

// "Today" in the organisation's zone and the organisation's expiring_soon_days.
struct ComplianceDay {
  Date today;
  int expiring_soon_days = 30;
};
// The compliance day at instant `now` in zone `timezone` (core/dates.h LocalDate: a day begins
// at local midnight, whatever daylight saving does to the hours).
ComplianceDay ComplianceDayAt(Timestamp now, std::string_view timezone, int expiring_soon_days);

// ---- Output -------------------------------------------------------------------------------

struct RequirementResult {
  std::string requirement_id;
  Enforcement enforcement = Enforcement::kBlock;
  RequirementStatus status = RequirementStatus::kUnmet;
  std::optional<ComplianceReason> reason;  // absent exactly when met or expiring
  // The candidate the status rests on, where there is one: for met and expiring the best
  // compliant credential, otherwise the one behind `reason` (none for missing).
  std::optional<std::string> credential_id;
  std::optional<Date> expiry_date;  // the expiry of the version relied on (none: no expiry)
  // The candidate counts by an approved earlier version (its latest awaits review or was
  // rejected); `expiry_date` is that earlier version's.
  bool relies_on_earlier_version = false;
  std::optional<std::string> exemption_id;  // the active exemption, whatever the status
  std::optional<Date> grace_until;          // the last day of grace, set when in_grace

  bool Satisfied() const;  // met, expiring or exempt
};

struct GroupCompliance {
  Decision decision = Decision::kAllow;
  std::vector<RequirementResult> requirements;  // one per requirement, in the group's order
};

// ---- The rules ----------------------------------------------------------------------------

// The status of `person` against one requirement of a group they joined on `member_since`.
// `exemptions` may hold other requirements' exemptions; they are ignored.
RequirementResult EvaluateRequirement(const RequirementRule& requirement,
                                      const CompliancePerson& person, Date member_since,
                                      const std::vector<ExemptionGrant>& exemptions,
                                      const ComplianceDay& day);

// The decision over one group's requirement results: deny when a blocking requirement is
// unmet, warn when some requirement is expiring, in grace or unmet with warn, else allow (no
// requirements: allow). A deactivated person is deny in every group (architecture.md).
Decision DecideGroup(bool person_active, const std::vector<RequirementResult>& requirements);

// Every requirement of one group, and the group's decision.
GroupCompliance EvaluateGroup(const GroupMembership& group, const CompliancePerson& person,
                              const ComplianceDay& day);

// The worst of the groups' decisions; allow for a person in no group, deny for a deactivated one.
Decision OverallDecision(bool person_active, const std::vector<Decision>& group_decisions);

// The indices of the requirements to show as reasons (the gate check's `reasons`): every one
// not `met`, those that deny first, then those that warn, then the exempt ones; in the group's
// order within each.
std::vector<size_t> DecisionReasons(const GroupCompliance& group);

// A matrix or CSV cell: "met", "expiring", or "status:reason" ("unmet:missing").
std::string StatusCell(const RequirementResult& r);

// ---- Input checks (each the 422 naming the field, as spec/API.md) --------------------------

// `credential_type_ids`: 1..10 ("required", "too_many"), each a type of the organisation
// ("unknown_type"; `known` holds those of `ids` the organisation has), none twice
// ("duplicate_type"). The first offending id, in the order given, decides the code.
Status ValidateRequirementTypes(const std::vector<std::string>& ids,
                                const std::set<std::string>& known);
// 0..`max` days ("out_of_range"). 64 bits, so a huge JSON integer is refused here too.
Status ValidateDayCount(std::string_view field, int64_t value, int max);
// "block" or "warn" ("invalid_enforcement" on `enforcement`).
Result<Enforcement> ValidateEnforcement(std::string_view name);

// A requirement as given on create (absent fields already defaulted) or after a patch.
struct RequirementDraft {
  std::vector<std::string> credential_type_ids;
  int64_t min_days_remaining = 0;
  int64_t grace_days = 0;
  std::string enforcement = "block";
};
// All of the above, fields checked in the order credential_type_ids, min_days_remaining,
// grace_days, enforcement; the first error wins. On success, the rule (id left empty).
Result<RequirementRule> ValidateRequirement(const RequirementDraft& draft,
                                            const std::set<std::string>& known);

// An exemption's reason (1..2000 characters after trimming, line feeds allowed: "required",
// "too_long", "invalid_characters") and last day (today or later: "in_past" on `expires_on`).
Status ValidateExemption(std::string_view reason, std::optional<Date> expires_on, Date today);
// Who may be exempted: never oneself (403 "own_exemption"), only a member of the
// requirement's group (422 "not_a_member" on `user_id`); in that order.
Status CheckExemptionGrant(std::string_view grantor_id, std::string_view user_id, bool is_member);

}  // namespace bf
