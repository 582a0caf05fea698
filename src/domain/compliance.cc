#include "domain/compliance.h"

#include <algorithm>
#include <tuple>

#include "domain/validation.h"

namespace bf {

std::string_view EnforcementName(Enforcement e) {
  return e == Enforcement::kWarn ? "warn" : "block";
}

std::optional<Enforcement> ParseEnforcement(std::string_view name) {
  if (name == "block") return Enforcement::kBlock;
  if (name == "warn") return Enforcement::kWarn;
  return std::nullopt;
}

std::string_view RequirementStatusName(RequirementStatus s) {
  switch (s) {
    case RequirementStatus::kMet:
      return "met";
    case RequirementStatus::kExpiring:
      return "expiring";
    case RequirementStatus::kExempt:
      return "exempt";
    case RequirementStatus::kInGrace:
      return "in_grace";
    case RequirementStatus::kUnmet:
      return "unmet";
  }
  return "unmet";
}

std::optional<RequirementStatus> ParseRequirementStatus(std::string_view name) {
  for (auto s : {RequirementStatus::kMet, RequirementStatus::kExpiring, RequirementStatus::kExempt,
                 RequirementStatus::kInGrace, RequirementStatus::kUnmet}) {
    if (RequirementStatusName(s) == name) return s;
  }
  return std::nullopt;
}

std::string_view ComplianceReasonName(ComplianceReason r) {
  switch (r) {
    case ComplianceReason::kExpiresTooSoon:
      return "expires_too_soon";
    case ComplianceReason::kPendingApproval:
      return "pending_approval";
    case ComplianceReason::kRejected:
      return "rejected";
    case ComplianceReason::kExpired:
      return "expired";
    case ComplianceReason::kMissing:
      return "missing";
    case ComplianceReason::kInactiveUser:
      return "inactive_user";
  }
  return "missing";
}

std::optional<ComplianceReason> ParseComplianceReason(std::string_view name) {
  for (auto r : {ComplianceReason::kExpiresTooSoon, ComplianceReason::kPendingApproval,
                 ComplianceReason::kRejected, ComplianceReason::kExpired,
                 ComplianceReason::kMissing, ComplianceReason::kInactiveUser}) {
    if (ComplianceReasonName(r) == name) return r;
  }
  return std::nullopt;
}

std::string_view DecisionName(Decision d) {
  switch (d) {
    case Decision::kAllow:
      return "allow";
    case Decision::kWarn:
      return "warn";
    case Decision::kDeny:
      return "deny";
  }
  return "deny";
}

std::optional<Decision> ParseDecision(std::string_view name) {
  for (auto d : {Decision::kAllow, Decision::kWarn, Decision::kDeny}) {
    if (DecisionName(d) == name) return d;
  }
  return std::nullopt;
}

Decision Worse(Decision a, Decision b) { return a > b ? a : b; }

ComplianceDay ComplianceDayAt(Timestamp now, std::string_view timezone, int expiring_soon_days) {
  return ComplianceDay{LocalDate(now, timezone), expiring_soon_days};
}

bool RequirementResult::Satisfied() const {
  return status == RequirementStatus::kMet || status == RequirementStatus::kExpiring ||
         status == RequirementStatus::kExempt;
}

namespace {

// How far one credential goes towards a requirement; lower is better. kSatisfies is a
// compliant candidate with enough days left; the others are the reasons, in the spec's order.
enum class Standing { kSatisfies, kExpiresTooSoon, kPendingApproval, kRejected, kExpired };

struct Candidate {
  Standing standing = Standing::kExpired;
  const HeldCredential* credential = nullptr;
  std::optional<Date> expiry;  // of the version relied on
  bool earlier = false;
};

bool Approved(ApprovalStatus a) {
  return a == ApprovalStatus::kApproved || a == ApprovalStatus::kNotRequired;
}

bool Expired(std::optional<Date> expiry, Date today) { return expiry && today > *expiry; }

// A compliant version (approved, unexpired): satisfies unless it ends within min_days_remaining.
Standing CompliantStanding(std::optional<Date> expiry, Date today, int min_days_remaining) {
  if (!expiry || (*expiry - today).count() >= min_days_remaining) return Standing::kSatisfies;
  return Standing::kExpiresTooSoon;
}

Candidate Assess(const HeldCredential& c, Date today, int min_days_remaining) {
  Candidate out{Standing::kExpired, &c, c.expiry_date, false};
  if (Approved(c.approval)) {
    if (!Expired(c.expiry_date, today)) {
      out.standing = CompliantStanding(c.expiry_date, today, min_days_remaining);
    }
    return out;
  }
  // A renewal awaiting review (or refused) does not take away the approved version before it
  // while that one lasts: the worker who renews early is not sent home (architecture.md).
  if (c.earlier_approved && !Expired(c.earlier_approved->expiry_date, today)) {
    out.expiry = c.earlier_approved->expiry_date;
    out.earlier = true;
    out.standing = CompliantStanding(out.expiry, today, min_days_remaining);
    return out;
  }
  if (Expired(c.expiry_date, today)) return out;
  out.standing =
      c.approval == ApprovalStatus::kPending ? Standing::kPendingApproval : Standing::kRejected;
  return out;
}

// Better standing first; within one, the latest expiry (none is latest); then the smallest id,
// so that the input order never matters.
bool Better(const Candidate& a, const Candidate& b) {
  if (a.standing != b.standing) return a.standing < b.standing;
  if (a.expiry != b.expiry) {
    if (!a.expiry) return true;
    if (!b.expiry) return false;
    return *a.expiry > *b.expiry;
  }
  return a.credential->id < b.credential->id;
}

ComplianceReason ReasonOf(Standing s) {
  switch (s) {
    case Standing::kExpiresTooSoon:
      return ComplianceReason::kExpiresTooSoon;
    case Standing::kPendingApproval:
      return ComplianceReason::kPendingApproval;
    case Standing::kRejected:
      return ComplianceReason::kRejected;
    case Standing::kExpired:
      return ComplianceReason::kExpired;
    case Standing::kSatisfies:
      break;
  }
  return ComplianceReason::kMissing;
}

// The active exemption lasting longest (none is longest), then the smallest id.
const ExemptionGrant* ActiveExemption(const std::string& requirement_id,
                                      const std::vector<ExemptionGrant>& exemptions, Date today) {
  const ExemptionGrant* best = nullptr;
  for (const ExemptionGrant& e : exemptions) {
    if (e.requirement_id != requirement_id) continue;
    if (e.expires_on && today > *e.expires_on) continue;
    if (!best) {
      best = &e;
      continue;
    }
    bool longer = !e.expires_on ? best->expires_on.has_value()
                                : best->expires_on && *e.expires_on > *best->expires_on;
    bool same = e.expires_on == best->expires_on;
    if (longer || (same && e.id < best->id)) best = &e;
  }
  return best;
}

}  // namespace

RequirementResult EvaluateRequirement(const RequirementRule& requirement,
                                      const CompliancePerson& person, Date member_since,
                                      const std::vector<ExemptionGrant>& exemptions,
                                      const ComplianceDay& day) {
  RequirementResult r;
  r.requirement_id = requirement.id;
  r.enforcement = requirement.enforcement;

  std::optional<Candidate> best;
  for (const HeldCredential& c : person.credentials) {
    if (c.archived) continue;
    const auto& types = requirement.credential_type_ids;
    if (std::find(types.begin(), types.end(), c.type_id) == types.end()) continue;
    Candidate candidate = Assess(c, day.today, requirement.min_days_remaining);
    if (!best || Better(candidate, *best)) best = candidate;
  }
  if (best) {
    r.credential_id = best->credential->id;
    r.expiry_date = best->expiry;
    r.relies_on_earlier_version = best->earlier;
  }
  const ExemptionGrant* exemption = ActiveExemption(requirement.id, exemptions, day.today);
  if (exemption) r.exemption_id = exemption->id;

  if (!person.active) {
    r.status = RequirementStatus::kUnmet;
    r.reason = ComplianceReason::kInactiveUser;
    return r;
  }
  if (best && best->standing == Standing::kSatisfies) {
    bool soon = ComputeExpiryStatus(best->expiry, day.today, day.expiring_soon_days) ==
                ExpiryStatus::kExpiringSoon;
    r.status = soon ? RequirementStatus::kExpiring : RequirementStatus::kMet;
    return r;
  }
  r.reason = best ? ReasonOf(best->standing) : ComplianceReason::kMissing;
  if (exemption) {
    r.status = RequirementStatus::kExempt;
    return r;
  }
  // Grace covers the days member_since .. member_since + grace_days − 1.
  Date grace_end = member_since + date::days(requirement.grace_days);
  if (day.today < grace_end) {
    r.status = RequirementStatus::kInGrace;
    r.grace_until = grace_end - date::days(1);
    return r;
  }
  r.status = RequirementStatus::kUnmet;
  return r;
}

Decision DecideGroup(bool person_active, const std::vector<RequirementResult>& requirements) {
  if (!person_active) return Decision::kDeny;
  Decision d = Decision::kAllow;
  for (const RequirementResult& r : requirements) {
    switch (r.status) {
      case RequirementStatus::kMet:
      case RequirementStatus::kExempt:
        break;
      case RequirementStatus::kExpiring:
      case RequirementStatus::kInGrace:
        d = Worse(d, Decision::kWarn);
        break;
      case RequirementStatus::kUnmet:
        d = Worse(d, r.enforcement == Enforcement::kBlock ? Decision::kDeny : Decision::kWarn);
        break;
    }
  }
  return d;
}

GroupCompliance EvaluateGroup(const GroupMembership& group, const CompliancePerson& person,
                              const ComplianceDay& day) {
  GroupCompliance out;
  out.requirements.reserve(group.requirements.size());
  for (const RequirementRule& rule : group.requirements) {
    out.requirements.push_back(
        EvaluateRequirement(rule, person, group.member_since, group.exemptions, day));
  }
  out.decision = DecideGroup(person.active, out.requirements);
  return out;
}

Decision OverallDecision(bool person_active, const std::vector<Decision>& group_decisions) {
  if (!person_active) return Decision::kDeny;
  Decision d = Decision::kAllow;
  for (Decision g : group_decisions) d = Worse(d, g);
  return d;
}

std::vector<size_t> DecisionReasons(const GroupCompliance& group) {
  std::vector<size_t> deny, warn, exempt;
  for (size_t i = 0; i < group.requirements.size(); ++i) {
    const RequirementResult& r = group.requirements[i];
    switch (r.status) {
      case RequirementStatus::kMet:
        break;
      case RequirementStatus::kExempt:
        exempt.push_back(i);
        break;
      case RequirementStatus::kExpiring:
      case RequirementStatus::kInGrace:
        warn.push_back(i);
        break;
      case RequirementStatus::kUnmet:
        (r.enforcement == Enforcement::kBlock ? deny : warn).push_back(i);
        break;
    }
  }
  deny.insert(deny.end(), warn.begin(), warn.end());
  deny.insert(deny.end(), exempt.begin(), exempt.end());
  return deny;
}

std::string StatusCell(const RequirementResult& r) {
  std::string cell(RequirementStatusName(r.status));
  if (r.reason) cell += ":" + std::string(ComplianceReasonName(*r.reason));
  return cell;
}

// ---- Input checks -------------------------------------------------------------------------

Status ValidateRequirementTypes(const std::vector<std::string>& ids,
                                const std::set<std::string>& known) {
  const std::string f = "credential_type_ids";
  if (ids.empty())
    return FailField(f, "required", "a requirement needs at least one credential type");
  if (ids.size() > static_cast<size_t>(kMaxRequirementTypes)) {
    return FailField(f, "too_many", "a requirement names at most 10 credential types");
  }
  std::set<std::string> seen;
  for (const std::string& id : ids) {
    if (!known.count(id)) return FailField(f, "unknown_type", "no such credential type: " + id);
    if (!seen.insert(id).second) {
      return FailField(f, "duplicate_type", "credential type " + id + " is listed twice");
    }
  }
  return Ok();
}

Status ValidateDayCount(std::string_view field, int64_t value, int max) {
  if (value < 0 || value > max) {
    std::string f(field);
    return FailField(f, "out_of_range", f + " must be between 0 and " + std::to_string(max));
  }
  return Ok();
}

Result<Enforcement> ValidateEnforcement(std::string_view name) {
  if (auto e = ParseEnforcement(name)) return *e;
  return FailField("enforcement", "invalid_enforcement", "enforcement is \"block\" or \"warn\"");
}

Result<RequirementRule> ValidateRequirement(const RequirementDraft& draft,
                                            const std::set<std::string>& known) {
  BF_RETURN_IF_ERROR(ValidateRequirementTypes(draft.credential_type_ids, known));
  BF_RETURN_IF_ERROR(
      ValidateDayCount("min_days_remaining", draft.min_days_remaining, kMaxMinDaysRemaining));
  BF_RETURN_IF_ERROR(ValidateDayCount("grace_days", draft.grace_days, kMaxGraceDays));
  BF_ASSIGN_OR_RETURN(Enforcement enforcement, ValidateEnforcement(draft.enforcement));
  RequirementRule rule;
  rule.credential_type_ids = draft.credential_type_ids;
  rule.min_days_remaining = static_cast<int>(draft.min_days_remaining);
  rule.grace_days = static_cast<int>(draft.grace_days);
  rule.enforcement = enforcement;
  return rule;
}

Status ValidateExemption(std::string_view reason, std::optional<Date> expires_on, Date today) {
  std::string trimmed = Trim(reason);
  if (trimmed.empty()) return FailField("reason", "required", "an exemption needs a reason");
  BF_RETURN_IF_ERROR(
      ValidateOptionalText("reason", trimmed, kMaxExemptionReasonLength, TextLines::kMultiple));
  if (expires_on && *expires_on < today) {
    return FailField("expires_on", "in_past", "the exemption's last day cannot be in the past");
  }
  return Ok();
}

Status CheckExemptionGrant(std::string_view grantor_id, std::string_view user_id, bool is_member) {
  if (grantor_id == user_id) {
    return Fail(ErrorCode::kPermissionDenied, "own_exemption", "nobody exempts themselves");
  }
  if (!is_member) {
    return FailField("user_id", "not_a_member", "the user is not a member of this group");
  }
  return Ok();
}

}  // namespace bf
