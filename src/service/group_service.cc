#include "service/group_service.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "core/csv.h"
#include "core/ids.h"
#include "domain/permissions.h"
#include "domain/validation.h"
#include "service/activity.h"
#include "service/requirement_notices.h"

namespace bf {
namespace {

bool MayReadGroups(const Actor& a) {
  return a.Can(Permission::kCredentialsManage) || a.Can(Permission::kUsersManage);
}

Status NeedReadGroups(const Actor& a) {
  if (MayReadGroups(a)) return Ok();
  return Forbidden("groups need credentials.manage or users.manage");
}
Status NeedCredentialsManage(const Actor& a, const char* what) {
  if (a.Can(Permission::kCredentialsManage)) return Ok();
  return Forbidden(std::string(what) + " need credentials.manage");
}
Status NeedUsersManage(const Actor& a) {
  if (a.Can(Permission::kUsersManage)) return Ok();
  return Forbidden("changing members needs users.manage");
}

Result<Group> LoadGroup(UnitOfWork& uow, const Actor& actor, const std::string& id) {
  if (!IsUuid(id)) return NotFound("group");
  BF_ASSIGN_OR_RETURN(auto group, uow.FindGroup(actor.org_id, id));
  if (!group) return NotFound("group");
  return *group;
}

Result<Requirement> LoadRequirement(UnitOfWork& uow, const Actor& actor, const std::string& id) {
  if (!IsUuid(id)) return NotFound("requirement");
  BF_ASSIGN_OR_RETURN(auto r, uow.FindRequirement(actor.org_id, id));
  if (!r) return NotFound("requirement");
  return *r;
}

Result<Organization> LoadOrg(UnitOfWork& uow, const std::string& org_id) {
  BF_ASSIGN_OR_RETURN(auto org, uow.FindOrganization(org_id));
  if (!org) return NotFound("organization");
  return *org;
}

ComplianceDay Today(const Organization& org, const Clock& clock) {
  return ComplianceDayAt(clock.Now(), org.timezone, org.settings.expiring_soon_days);
}

Result<Date> ParseDateField(const std::string& field, const std::string& text) {
  auto d = ParseIsoDate(text);
  if (!d)
    return FailField(field, "invalid_date", field + " must be a real date written YYYY-MM-DD");
  return *d;
}

// The credential types of the organisation by id (few: one read).
Result<std::unordered_map<std::string, std::string>> TypeNames(UnitOfWork& uow,
                                                               const std::string& org_id) {
  BF_ASSIGN_OR_RETURN(auto types, uow.ListCredentialTypes(org_id, ""));
  std::unordered_map<std::string, std::string> names;
  for (const CredentialType& t : types) names[t.id] = t.name;
  return names;
}

RequirementView ViewOf(const Requirement& r,
                       const std::unordered_map<std::string, std::string>& names) {
  RequirementView v{r, {}};
  for (const std::string& id : r.credential_type_ids) {
    auto it = names.find(id);
    v.types.push_back({id, it == names.end() ? "" : it->second});
  }
  return v;
}

RequirementRule RuleOf(const Requirement& r) {
  RequirementRule rule;
  rule.id = r.id;
  rule.credential_type_ids = r.credential_type_ids;
  rule.min_days_remaining = r.min_days_remaining;
  rule.grace_days = r.grace_days;
  rule.enforcement = r.enforcement;
  return rule;
}

ExemptionGrant GrantOf(const Exemption& e) { return {e.id, e.requirement_id, e.expires_on}; }

std::string TypesText(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : ",") + id;
  return out;
}

std::optional<std::string> OptDateText(const std::optional<Date>& d) {
  if (!d) return std::nullopt;
  return FormatIsoDate(*d);
}

void Count(DecisionCounts& counts, Decision d) {
  switch (d) {
    case Decision::kAllow:
      ++counts.allow;
      break;
    case Decision::kWarn:
      ++counts.warn;
      break;
    case Decision::kDeny:
      ++counts.deny;
      break;
  }
}

}  // namespace

// ---- Evaluating one group's members: shared by the matrix, the CSV, the summary, notices ----

Result<GroupEvaluation> EvaluateGroupMembers(UnitOfWork& uow, const std::string& org_id,
                                             const std::string& group_id,
                                             const ComplianceDay& day) {
  GroupEvaluation out;
  BF_ASSIGN_OR_RETURN(out.requirements, uow.ListRequirements(org_id, group_id));
  BF_ASSIGN_OR_RETURN(auto members, uow.ListGroupMembers(org_id, group_id, MemberFilter{}));
  std::unordered_map<std::string, std::vector<HeldCredential>> held;
  std::unordered_map<std::string, std::vector<ExemptionGrant>> grants;
  if (!out.requirements.empty()) {
    BF_ASSIGN_OR_RETURN(auto credentials, uow.ListGroupMemberCredentials(org_id, group_id));
    for (MemberCredential& c : credentials) held[c.user_id].push_back(std::move(c.credential));
    BF_ASSIGN_OR_RETURN(auto exemptions, uow.ListGroupExemptions(org_id, group_id));
    for (const Exemption& e : exemptions) grants[e.user_id].push_back(GrantOf(e));
  }
  std::vector<RequirementRule> rules;
  for (const Requirement& r : out.requirements) rules.push_back(RuleOf(r));
  out.rows.reserve(members.size());
  for (GroupMember& m : members) {
    CompliancePerson person{m.active, std::move(held[m.user_id])};
    GroupMembership membership{m.since, rules, std::move(grants[m.user_id])};
    out.rows.push_back({std::move(m), EvaluateGroup(membership, person, day)});
  }
  return out;
}

// ---- Groups ---------------------------------------------------------------------------------

Result<std::vector<Group>> GroupService::List(const Actor& actor, const GroupFilter& filter) {
  BF_RETURN_IF_ERROR(NeedReadGroups(actor));
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
  return uow->ListGroups(actor.org_id, filter);
}

Result<Group> GroupService::Get(const Actor& actor, const std::string& id) {
  BF_RETURN_IF_ERROR(NeedReadGroups(actor));
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
  return LoadGroup(*uow, actor, id);
}

namespace {

Status ApplyGroup(Group& group, const GroupInput& input) {
  if (input.name) {
    BF_RETURN_IF_ERROR(ValidateText("name", *input.name, kMaxNameLength));
    group.name = Trim(*input.name);
  }
  if (input.description) {
    BF_RETURN_IF_ERROR(ValidateOptionalText("description", *input.description,
                                            kMaxDescriptionLength, TextLines::kMultiple));
    group.description = Trim(*input.description);
  }
  return Ok();
}

auto GroupNameTaken() {
  return Fail(ErrorCode::kConflict, "name_taken", "a group with this name exists");
}

}  // namespace

Result<Group> GroupService::Create(const Actor& actor, const GroupInput& input) {
  BF_RETURN_IF_ERROR(NeedCredentialsManage(actor, "groups"));
  if (!input.name) return FailField("name", "required", "name is required");
  Group group;
  BF_RETURN_IF_ERROR(ApplyGroup(group, input));
  group.id = NewId();
  group.org_id = actor.org_id;
  group.created_at = group.updated_at = ctx_.clock.Now();
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_ASSIGN_OR_RETURN(auto existing, uow->FindGroupByName(actor.org_id, group.name));
  if (existing) return GroupNameTaken();
  BF_RETURN_IF_ERROR(uow->InsertGroup(group));
  Activity entry = NewActivity(&actor, group.created_at, "group.created", "group", group.id);
  AddChange(entry, "name", std::nullopt, group.name);
  AddChange(entry, "description", std::nullopt,
            group.description.empty() ? std::nullopt : std::optional(group.description));
  BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  BF_RETURN_IF_ERROR(uow->Commit());
  return group;
}

Result<Group> GroupService::Update(const Actor& actor, const std::string& id,
                                   const GroupInput& input) {
  BF_RETURN_IF_ERROR(NeedCredentialsManage(actor, "groups"));
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_ASSIGN_OR_RETURN(Group found, LoadGroup(*uow, actor, id));
  Group group = found;
  BF_RETURN_IF_ERROR(ApplyGroup(group, input));
  if (input.name) {
    BF_ASSIGN_OR_RETURN(auto existing, uow->FindGroupByName(actor.org_id, group.name));
    if (existing && existing->id != group.id) return GroupNameTaken();
  }
  Activity entry = NewActivity(&actor, ctx_.clock.Now(), "group.updated", "group", group.id);
  AddChange(entry, "name", found.name, group.name);
  AddChange(entry, "description", found.description, group.description);
  if (entry.changes.empty()) return found;
  group.updated_at = entry.at;
  BF_RETURN_IF_ERROR(uow->UpdateGroup(group));
  BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  BF_RETURN_IF_ERROR(uow->Commit());
  return group;
}

Status GroupService::Delete(const Actor& actor, const std::string& id) {
  BF_RETURN_IF_ERROR(NeedCredentialsManage(actor, "groups"));
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_ASSIGN_OR_RETURN(Group found, LoadGroup(*uow, actor, id));
  BF_RETURN_IF_ERROR(uow->DeleteGroup(actor.org_id, id));
  Activity entry = NewActivity(&actor, ctx_.clock.Now(), "group.deleted", "group", id);
  AddChange(entry, "name", found.name, std::nullopt);
  AddChange(entry, "member_count", std::to_string(found.member_count), std::nullopt);
  AddChange(entry, "requirement_count", std::to_string(found.requirement_count), std::nullopt);
  BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  return uow->Commit();
}

// ---- Members --------------------------------------------------------------------------------

Result<std::vector<GroupMember>> GroupService::ListMembers(const Actor& actor,
                                                           const std::string& group_id,
                                                           const MemberFilter& filter) {
  BF_RETURN_IF_ERROR(NeedReadGroups(actor));
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
  BF_ASSIGN_OR_RETURN(Group group, LoadGroup(*uow, actor, group_id));
  return uow->ListGroupMembers(actor.org_id, group.id, filter);
}

Result<AddMembersResult> GroupService::AddMembers(const Actor& actor, const std::string& group_id,
                                                  const AddMembersInput& input) {
  BF_RETURN_IF_ERROR(NeedUsersManage(actor));
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_ASSIGN_OR_RETURN(Group group, LoadGroup(*uow, actor, group_id));
  if (input.user_ids.empty()) return FailField("user_ids", "required", "name at least one user");
  if (input.user_ids.size() > kMaxMembersPerRequest) {
    return FailField("user_ids", "too_many", "at most 1000 users at a time");
  }
  BF_ASSIGN_OR_RETURN(Organization org, LoadOrg(*uow, actor.org_id));
  const Timestamp now = ctx_.clock.Now();
  const ComplianceDay day = Today(org, ctx_.clock);
  Date since = day.today;
  if (input.since) {
    BF_ASSIGN_OR_RETURN(since, ParseDateField("since", *input.since));
  }
  // Every user first, so that one unknown id changes nothing.
  std::vector<User> users;
  std::set<std::string> seen;
  for (const std::string& id : input.user_ids) {
    if (!seen.insert(id).second) continue;
    std::optional<User> user;
    if (IsUuid(id)) {
      BF_ASSIGN_OR_RETURN(user, uow->FindUser(actor.org_id, id));
    }
    if (!user) return FailField("user_ids", "unknown_user", "no such user: " + id);
    users.push_back(std::move(*user));
  }
  AddMembersResult result;
  std::vector<std::string> joined;
  for (const User& user : users) {
    BF_ASSIGN_OR_RETURN(bool added,
                        uow->InsertMembership(actor.org_id, group.id, user.id, since, now));
    if (!added) continue;
    ++result.added;
    joined.push_back(user.id);
    Activity entry = NewActivity(&actor, now, "group.member_added", "group", group.id);
    entry.subject_user_id = user.id;
    entry.subject_user_name = user.name;
    AddChange(entry, "group", std::nullopt, group.name);
    AddChange(entry, "since", std::nullopt, FormatIsoDate(since));
    BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  }
  if (!joined.empty()) {
    BF_RETURN_IF_ERROR(SendRequirementNotices(*uow, ctx_, org, group, joined, {}, day));
  }
  for (const User& user : users) {
    BF_ASSIGN_OR_RETURN(auto member_since, uow->FindMembership(actor.org_id, group.id, user.id));
    GroupMember m;
    m.user_id = user.id;
    m.name = user.name;
    m.name_key = Lower(user.name);
    m.email = user.email;
    m.active = user.status == UserStatus::kActive;
    m.since = member_since.value_or(since);
    m.added_at = now;
    result.members.push_back(std::move(m));
  }
  BF_RETURN_IF_ERROR(uow->Commit());
  return result;
}

Status GroupService::RemoveMember(const Actor& actor, const std::string& group_id,
                                  const std::string& user_id) {
  BF_RETURN_IF_ERROR(NeedUsersManage(actor));
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_ASSIGN_OR_RETURN(Group group, LoadGroup(*uow, actor, group_id));
  if (!IsUuid(user_id)) return NotFound("member");
  BF_ASSIGN_OR_RETURN(auto user, uow->FindUser(actor.org_id, user_id));
  BF_ASSIGN_OR_RETURN(auto since, uow->FindMembership(actor.org_id, group.id, user_id));
  if (!user || !since) return NotFound("member");
  BF_ASSIGN_OR_RETURN(bool removed, uow->DeleteMembership(actor.org_id, group.id, user_id));
  if (!removed) return NotFound("member");
  Activity entry = NewActivity(&actor, ctx_.clock.Now(), "group.member_removed", "group", group.id);
  entry.subject_user_id = user->id;
  entry.subject_user_name = user->name;
  AddChange(entry, "group", group.name, std::nullopt);
  AddChange(entry, "since", FormatIsoDate(*since), std::nullopt);
  BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  return uow->Commit();
}

// ---- Requirements ---------------------------------------------------------------------------

namespace {

// The requirement as `input` changes `base` (defaults on create), checked by the domain.
Result<RequirementRule> Draft(UnitOfWork& uow, const std::string& org_id, const Requirement& base,
                              const RequirementInput& input) {
  RequirementDraft draft;
  draft.credential_type_ids = input.credential_type_ids.value_or(base.credential_type_ids);
  draft.min_days_remaining = input.min_days_remaining.value_or(base.min_days_remaining);
  draft.grace_days = input.grace_days.value_or(base.grace_days);
  draft.enforcement = input.enforcement.value_or(std::string(EnforcementName(base.enforcement)));
  std::set<std::string> known;
  if (draft.credential_type_ids.size() <= static_cast<size_t>(kMaxRequirementTypes)) {
    for (const std::string& id : draft.credential_type_ids) {
      if (!IsUuid(id) || known.count(id)) continue;
      BF_ASSIGN_OR_RETURN(auto type, uow.FindCredentialType(org_id, id));
      if (type) known.insert(id);
    }
  }
  return ValidateRequirement(draft, known);
}

void RequirementChanges(Activity& entry, const std::optional<Requirement>& before,
                        const std::optional<Requirement>& after) {
  auto field = [](const std::optional<Requirement>& r, auto get) -> std::optional<std::string> {
    if (!r) return std::nullopt;
    return get(*r);
  };
  AddChange(entry, "credential_type_ids",
            field(before, [](const Requirement& r) { return TypesText(r.credential_type_ids); }),
            field(after, [](const Requirement& r) { return TypesText(r.credential_type_ids); }));
  AddChange(
      entry, "min_days_remaining",
      field(before, [](const Requirement& r) { return std::to_string(r.min_days_remaining); }),
      field(after, [](const Requirement& r) { return std::to_string(r.min_days_remaining); }));
  AddChange(entry, "grace_days",
            field(before, [](const Requirement& r) { return std::to_string(r.grace_days); }),
            field(after, [](const Requirement& r) { return std::to_string(r.grace_days); }));
  AddChange(entry, "enforcement",
            field(before,
                  [](const Requirement& r) { return std::string(EnforcementName(r.enforcement)); }),
            field(after, [](const Requirement& r) {
              return std::string(EnforcementName(r.enforcement));
            }));
}

}  // namespace

Result<std::vector<RequirementView>> GroupService::ListRequirements(const Actor& actor,
                                                                    const std::string& group_id) {
  BF_RETURN_IF_ERROR(NeedCredentialsManage(actor, "requirements"));
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
  BF_ASSIGN_OR_RETURN(Group group, LoadGroup(*uow, actor, group_id));
  BF_ASSIGN_OR_RETURN(auto requirements, uow->ListRequirements(actor.org_id, group.id));
  BF_ASSIGN_OR_RETURN(auto names, TypeNames(*uow, actor.org_id));
  std::vector<RequirementView> out;
  for (const Requirement& r : requirements) out.push_back(ViewOf(r, names));
  return out;
}

Result<RequirementView> GroupService::CreateRequirement(const Actor& actor,
                                                        const std::string& group_id,
                                                        const RequirementInput& input) {
  BF_RETURN_IF_ERROR(NeedCredentialsManage(actor, "requirements"));
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_ASSIGN_OR_RETURN(Group group, LoadGroup(*uow, actor, group_id));
  Requirement base;
  BF_ASSIGN_OR_RETURN(RequirementRule rule, Draft(*uow, actor.org_id, base, input));
  Requirement r;
  r.id = NewId();
  r.org_id = actor.org_id;
  r.group_id = group.id;
  r.credential_type_ids = rule.credential_type_ids;
  r.min_days_remaining = rule.min_days_remaining;
  r.grace_days = rule.grace_days;
  r.enforcement = rule.enforcement;
  r.created_at = r.updated_at = ctx_.clock.Now();
  BF_RETURN_IF_ERROR(uow->InsertRequirement(r));
  Activity entry = NewActivity(&actor, r.created_at, "requirement.created", "requirement", r.id);
  AddChange(entry, "group", std::nullopt, group.name);
  RequirementChanges(entry, std::nullopt, r);
  BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  BF_ASSIGN_OR_RETURN(Organization org, LoadOrg(*uow, actor.org_id));
  BF_RETURN_IF_ERROR(
      SendRequirementNotices(*uow, ctx_, org, group, {}, {r.id}, Today(org, ctx_.clock)));
  BF_ASSIGN_OR_RETURN(auto names, TypeNames(*uow, actor.org_id));
  BF_RETURN_IF_ERROR(uow->Commit());
  return ViewOf(r, names);
}

Result<RequirementView> GroupService::UpdateRequirement(const Actor& actor, const std::string& id,
                                                        const RequirementInput& input) {
  BF_RETURN_IF_ERROR(NeedCredentialsManage(actor, "requirements"));
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_ASSIGN_OR_RETURN(Requirement found, LoadRequirement(*uow, actor, id));
  BF_ASSIGN_OR_RETURN(RequirementRule rule, Draft(*uow, actor.org_id, found, input));
  Requirement r = found;
  r.credential_type_ids = rule.credential_type_ids;
  r.min_days_remaining = rule.min_days_remaining;
  r.grace_days = rule.grace_days;
  r.enforcement = rule.enforcement;
  BF_ASSIGN_OR_RETURN(auto names, TypeNames(*uow, actor.org_id));
  Activity entry =
      NewActivity(&actor, ctx_.clock.Now(), "requirement.updated", "requirement", r.id);
  RequirementChanges(entry, found, r);
  if (entry.changes.empty()) return ViewOf(found, names);
  // The notice ledger counts a change of the set of alternatives, not of their order.
  std::set<std::string> before(found.credential_type_ids.begin(), found.credential_type_ids.end());
  std::set<std::string> after(r.credential_type_ids.begin(), r.credential_type_ids.end());
  if (before != after) ++r.types_revision;
  r.updated_at = entry.at;
  BF_RETURN_IF_ERROR(uow->UpdateRequirement(r));
  BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  if (before != after) {
    BF_ASSIGN_OR_RETURN(Organization org, LoadOrg(*uow, actor.org_id));
    BF_ASSIGN_OR_RETURN(Group group, LoadGroup(*uow, actor, r.group_id));
    BF_RETURN_IF_ERROR(
        SendRequirementNotices(*uow, ctx_, org, group, {}, {r.id}, Today(org, ctx_.clock)));
  }
  BF_RETURN_IF_ERROR(uow->Commit());
  return ViewOf(r, names);
}

Status GroupService::DeleteRequirement(const Actor& actor, const std::string& id) {
  BF_RETURN_IF_ERROR(NeedCredentialsManage(actor, "requirements"));
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_ASSIGN_OR_RETURN(Requirement found, LoadRequirement(*uow, actor, id));
  BF_RETURN_IF_ERROR(uow->DeleteRequirement(actor.org_id, id));
  Activity entry = NewActivity(&actor, ctx_.clock.Now(), "requirement.deleted", "requirement", id);
  RequirementChanges(entry, found, std::nullopt);
  BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  return uow->Commit();
}

// ---- Exemptions -----------------------------------------------------------------------------

Result<std::vector<ExemptionView>> GroupService::ListExemptions(const Actor& actor,
                                                                const std::string& requirement_id) {
  BF_RETURN_IF_ERROR(NeedCredentialsManage(actor, "exemptions"));
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
  BF_ASSIGN_OR_RETURN(Requirement r, LoadRequirement(*uow, actor, requirement_id));
  BF_ASSIGN_OR_RETURN(Organization org, LoadOrg(*uow, actor.org_id));
  const Date today = Today(org, ctx_.clock).today;
  BF_ASSIGN_OR_RETURN(auto exemptions, uow->ListRequirementExemptions(actor.org_id, r.id));
  std::vector<ExemptionView> out;
  for (Exemption& e : exemptions) {
    bool active = !e.expires_on || today <= *e.expires_on;
    out.push_back({std::move(e), active});
  }
  return out;
}

Result<ExemptionView> GroupService::GrantExemption(const Actor& actor,
                                                   const std::string& requirement_id,
                                                   const ExemptionInput& input) {
  BF_RETURN_IF_ERROR(NeedCredentialsManage(actor, "exemptions"));
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_ASSIGN_OR_RETURN(Requirement r, LoadRequirement(*uow, actor, requirement_id));
  if (!input.user_id || input.user_id->empty()) {
    return FailField("user_id", "required", "user_id is required");
  }
  const std::string& user_id = *input.user_id;
  if (user_id == actor.user_id) {
    return Fail(ErrorCode::kPermissionDenied, "own_exemption", "nobody exempts themselves");
  }
  BF_ASSIGN_OR_RETURN(Organization org, LoadOrg(*uow, actor.org_id));
  const Date today = Today(org, ctx_.clock).today;
  std::optional<Date> expires_on;
  if (input.expires_on) {
    BF_ASSIGN_OR_RETURN(expires_on, ParseDateField("expires_on", *input.expires_on));
  }
  BF_RETURN_IF_ERROR(ValidateExemption(input.reason.value_or(""), expires_on, today));
  std::optional<User> user;
  std::optional<Date> since;
  if (IsUuid(user_id)) {
    BF_ASSIGN_OR_RETURN(user, uow->FindUser(actor.org_id, user_id));
    BF_ASSIGN_OR_RETURN(since, uow->FindMembership(actor.org_id, r.group_id, user_id));
  }
  BF_RETURN_IF_ERROR(CheckExemptionGrant(actor.user_id, user_id, user && since));
  Exemption e;
  e.id = NewId();
  e.org_id = actor.org_id;
  e.requirement_id = r.id;
  e.group_id = r.group_id;
  e.user_id = user->id;
  e.user_name = user->name;
  e.reason = Trim(*input.reason);
  e.expires_on = expires_on;
  e.granted_by = actor.user_id;
  e.granted_by_name = actor.name;
  e.created_at = ctx_.clock.Now();
  BF_RETURN_IF_ERROR(uow->InsertExemption(e));
  Activity entry = NewActivity(&actor, e.created_at, "exemption.granted", "exemption", e.id);
  entry.subject_user_id = user->id;
  entry.subject_user_name = user->name;
  AddChange(entry, "requirement_id", std::nullopt, r.id);
  AddChange(entry, "reason", std::nullopt, e.reason);
  AddChange(entry, "expires_on", std::nullopt, OptDateText(e.expires_on));
  BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  BF_RETURN_IF_ERROR(uow->Commit());
  return ExemptionView{e, true};
}

Status GroupService::RevokeExemption(const Actor& actor, const std::string& id) {
  BF_RETURN_IF_ERROR(NeedCredentialsManage(actor, "exemptions"));
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  if (!IsUuid(id)) return NotFound("exemption");
  BF_ASSIGN_OR_RETURN(auto found, uow->FindExemption(actor.org_id, id));
  if (!found) return NotFound("exemption");
  // Revoking one's own exemption would be granting oneself its absence: harmless, allowed.
  BF_RETURN_IF_ERROR(uow->DeleteExemption(actor.org_id, id));
  Activity entry = NewActivity(&actor, ctx_.clock.Now(), "exemption.revoked", "exemption", id);
  entry.subject_user_id = found->user_id;
  entry.subject_user_name = found->user_name;
  AddChange(entry, "requirement_id", found->requirement_id, std::nullopt);
  AddChange(entry, "reason", found->reason, std::nullopt);
  AddChange(entry, "expires_on", OptDateText(found->expires_on), std::nullopt);
  BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  return uow->Commit();
}

// ---- Compliance -----------------------------------------------------------------------------

namespace {

// A person's own rows as compliance reads them: every unarchived credential, and every
// exemption they hold (any group's: the rules ignore other requirements').
struct PersonRows {
  CompliancePerson person;
  std::vector<Exemption> exemptions;
};

Result<PersonRows> LoadPerson(UnitOfWork& uow, const std::string& org_id,
                              const std::string& user_id, bool active) {
  PersonRows out;
  out.person.active = active;
  BF_ASSIGN_OR_RETURN(out.person.credentials, uow.ListUserHeldCredentials(org_id, user_id));
  BF_ASSIGN_OR_RETURN(out.exemptions, uow.ListUserExemptions(org_id, user_id));
  return out;
}

std::vector<ExemptionGrant> GrantsOf(const std::vector<Exemption>& exemptions) {
  std::vector<ExemptionGrant> out;
  for (const Exemption& e : exemptions) out.push_back(GrantOf(e));
  return out;
}

std::vector<RequirementRule> RulesOf(const std::vector<Requirement>& requirements) {
  std::vector<RequirementRule> out;
  for (const Requirement& r : requirements) out.push_back(RuleOf(r));
  return out;
}

// Whether the matrix query's filter and cursor let the member through.
bool Wanted(const MatrixQuery& query, const GroupMember& member, Decision decision) {
  if (!query.decisions.empty() && std::find(query.decisions.begin(), query.decisions.end(),
                                            decision) == query.decisions.end()) {
    return false;
  }
  return !query.after || std::make_pair(member.name_key, member.user_id) > *query.after;
}

}  // namespace

Result<UserCompliance> GroupService::UserComplianceOf(const Actor& actor,
                                                      const std::string& user_id) {
  if (!IsUuid(user_id)) return NotFound("user");
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
  BF_ASSIGN_OR_RETURN(auto user, uow->FindUser(actor.org_id, user_id));
  if (!user) return NotFound("user");
  if (!MayViewUser(actor, user_id)) return Forbidden();
  BF_ASSIGN_OR_RETURN(Organization org, LoadOrg(*uow, actor.org_id));
  const ComplianceDay day = Today(org, ctx_.clock);
  UserCompliance out;
  out.user = *user;
  out.today = day.today;
  BF_ASSIGN_OR_RETURN(auto groups, uow->ListUserGroups(actor.org_id, user_id));
  std::vector<Decision> decisions;
  if (!groups.empty()) {
    BF_ASSIGN_OR_RETURN(auto names, TypeNames(*uow, actor.org_id));
    BF_ASSIGN_OR_RETURN(PersonRows rows, LoadPerson(*uow, actor.org_id, user_id,
                                                    user->status == UserStatus::kActive));
    const std::vector<ExemptionGrant> grants = GrantsOf(rows.exemptions);
    for (Exemption& e : rows.exemptions) {
      std::string id = e.id;
      out.exemptions.emplace(id, std::move(e));
    }
    for (const UserGroup& g : groups) {
      BF_ASSIGN_OR_RETURN(auto requirements, uow->ListRequirements(actor.org_id, g.group_id));
      GroupMembership membership{g.since, RulesOf(requirements), grants};
      for (const Requirement& r : requirements) out.requirements.emplace(r.id, ViewOf(r, names));
      GroupResult result{g.group_id, g.name, g.since, EvaluateGroup(membership, rows.person, day)};
      decisions.push_back(result.compliance.decision);
      out.groups.push_back(std::move(result));
    }
  }
  out.decision = OverallDecision(user->status == UserStatus::kActive, decisions);
  return out;
}

std::shared_ptr<const GroupDecisions> GroupService::Keep(const std::string& org_id,
                                                         const std::string& group_id,
                                                         const ComplianceVersion& version,
                                                         const GroupEvaluation& all) {
  auto decisions = std::make_shared<GroupDecisions>();
  decisions->reserve(all.rows.size());
  for (const MatrixRow& row : all.rows) decisions->push_back({row.member, row.compliance.decision});
  cache_->Store(org_id, group_id, version, decisions);
  return decisions;
}

Result<std::shared_ptr<const GroupDecisions>> GroupService::Decisions(UnitOfWork& uow,
                                                                      const std::string& org_id,
                                                                      const std::string& group_id,
                                                                      const ComplianceDay& day,
                                                                      GroupEvaluation* evaluated) {
  BF_ASSIGN_OR_RETURN(int64_t revision, uow.ComplianceRevision(group_id));
  const ComplianceVersion version{revision, day};
  if (auto kept = cache_->Find(org_id, group_id, version)) return kept;
  BF_ASSIGN_OR_RETURN(GroupEvaluation all, EvaluateGroupMembers(uow, org_id, group_id, day));
  auto decisions = Keep(org_id, group_id, version, all);
  if (evaluated != nullptr) *evaluated = std::move(all);
  return decisions;
}

Result<Matrix> GroupService::GroupMatrix(const Actor& actor, const std::string& group_id,
                                         const MatrixQuery& query) {
  BF_RETURN_IF_ERROR(NeedReadGroups(actor));
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
  Matrix out;
  BF_ASSIGN_OR_RETURN(out.group, LoadGroup(*uow, actor, group_id));
  BF_ASSIGN_OR_RETURN(Organization org, LoadOrg(*uow, actor.org_id));
  const ComplianceDay day = Today(org, ctx_.clock);
  BF_ASSIGN_OR_RETURN(auto names, TypeNames(*uow, actor.org_id));
  if (query.limit == 0) {
    // Every member (the CSV): one evaluation of the whole group, afresh; its decisions are kept
    // for the pages and the summary that may follow.
    BF_ASSIGN_OR_RETURN(int64_t revision, uow->ComplianceRevision(out.group.id));
    BF_ASSIGN_OR_RETURN(GroupEvaluation all,
                        EvaluateGroupMembers(*uow, actor.org_id, out.group.id, day));
    Keep(actor.org_id, out.group.id, ComplianceVersion{revision, day}, all);
    for (const Requirement& r : all.requirements) out.requirements.push_back(ViewOf(r, names));
    for (MatrixRow& row : all.rows) {
      Count(out.counts, row.compliance.decision);
      if (Wanted(query, row.member, row.compliance.decision)) out.rows.push_back(std::move(row));
    }
    return out;
  }
  // A page: the members and their decisions from the cache (or one evaluation of the whole
  // group, kept), the page's own cells evaluated afresh from the page members' rows.
  GroupEvaluation evaluated;
  BF_ASSIGN_OR_RETURN(auto decisions, Decisions(*uow, actor.org_id, out.group.id, day, &evaluated));
  std::vector<Requirement> requirements = std::move(evaluated.requirements);
  if (evaluated.rows.empty()) {
    BF_ASSIGN_OR_RETURN(requirements, uow->ListRequirements(actor.org_id, out.group.id));
  }
  for (const Requirement& r : requirements) out.requirements.push_back(ViewOf(r, names));
  const std::vector<RequirementRule> rules = RulesOf(requirements);
  for (size_t i = 0; i < decisions->size(); ++i) {
    const MemberDecision& row = (*decisions)[i];
    Count(out.counts, row.decision);
    if (!Wanted(query, row.member, row.decision)) continue;
    if (out.rows.size() == static_cast<size_t>(query.limit)) {
      const GroupMember& last = out.rows.back().member;
      out.next = std::make_pair(last.name_key, last.user_id);
      continue;  // keep counting: the counts cover every member
    }
    if (!evaluated.rows.empty()) {
      out.rows.push_back(std::move(evaluated.rows[i]));
      continue;
    }
    BF_ASSIGN_OR_RETURN(PersonRows person,
                        LoadPerson(*uow, actor.org_id, row.member.user_id, row.member.active));
    GroupMembership membership{row.member.since, rules, GrantsOf(person.exemptions)};
    out.rows.push_back({row.member, EvaluateGroup(membership, person.person, day)});
  }
  return out;
}

Result<GroupService::Export> GroupService::GroupMatrixCsv(const Actor& actor,
                                                          const std::string& group_id) {
  MatrixQuery all;
  all.limit = 0;
  BF_ASSIGN_OR_RETURN(Matrix matrix, GroupMatrix(actor, group_id, all));
  auto shared = std::make_shared<Matrix>(std::move(matrix));
  return Export([shared](const std::function<Status(std::string_view)>& out) -> Status {
    constexpr size_t kFlushBytes = 64 * 1024;
    std::vector<std::string> header = {"email", "name", "decision"};
    for (const RequirementView& r : shared->requirements) {
      std::string column;
      for (const TypeRef& t : r.types) column += (column.empty() ? "" : " or ") + t.name;
      header.push_back(column);
    }
    std::string buffer(kUtf8Bom);
    AppendCsvRecord(buffer, header);
    for (const MatrixRow& row : shared->rows) {
      std::vector<std::string> fields = {row.member.email, row.member.name,
                                         std::string(DecisionName(row.compliance.decision))};
      for (const RequirementResult& r : row.compliance.requirements)
        fields.push_back(StatusCell(r));
      AppendCsvRecord(buffer, fields);
      if (buffer.size() >= kFlushBytes) {
        BF_RETURN_IF_ERROR(out(buffer));
        buffer.clear();
      }
    }
    return out(buffer);
  });
}

Result<std::vector<SummaryRow>> GroupService::Summary(const Actor& actor) {
  BF_RETURN_IF_ERROR(NeedReadGroups(actor));
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
  BF_ASSIGN_OR_RETURN(Organization org, LoadOrg(*uow, actor.org_id));
  const ComplianceDay day = Today(org, ctx_.clock);
  GroupFilter every;
  every.limit = 0;
  BF_ASSIGN_OR_RETURN(auto groups, uow->ListGroups(actor.org_id, every));
  std::vector<SummaryRow> out;
  for (Group& g : groups) {
    BF_ASSIGN_OR_RETURN(auto decisions, Decisions(*uow, actor.org_id, g.id, day, nullptr));
    SummaryRow row{std::move(g), {}};
    for (const MemberDecision& m : *decisions) Count(row.counts, m.decision);
    out.push_back(std::move(row));
  }
  return out;
}

Result<CheckResult> GroupService::Check(const Actor& actor, const CheckInput& input) {
  BF_RETURN_IF_ERROR(NeedReadGroups(actor));
  if (!input.group_id || input.group_id->empty()) {
    return FailField("group_id", "required", "group_id is required");
  }
  const bool by_id = input.user_id && !input.user_id->empty();
  const bool by_email = input.email && !input.email->empty();
  if (by_id == by_email) {
    return FailField(by_id ? "email" : "user_id", by_id ? "not_both" : "required",
                     "give either user_id or email");
  }
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  CheckResult out;
  BF_ASSIGN_OR_RETURN(out.group, LoadGroup(*uow, actor, *input.group_id));
  std::optional<User> user;
  if (by_id) {
    if (IsUuid(*input.user_id)) {
      BF_ASSIGN_OR_RETURN(user, uow->FindUser(actor.org_id, *input.user_id));
    }
  } else {
    BF_ASSIGN_OR_RETURN(user, uow->FindUserByEmail(actor.org_id, Trim(*input.email)));
  }
  if (!user) return NotFound("user");
  out.user = *user;
  BF_ASSIGN_OR_RETURN(Organization org, LoadOrg(*uow, actor.org_id));
  const ComplianceDay day = Today(org, ctx_.clock);
  BF_ASSIGN_OR_RETURN(auto names, TypeNames(*uow, actor.org_id));
  BF_ASSIGN_OR_RETURN(auto requirements, uow->ListRequirements(actor.org_id, out.group.id));
  for (const Requirement& r : requirements) out.requirements.push_back(ViewOf(r, names));
  BF_ASSIGN_OR_RETURN(auto since, uow->FindMembership(actor.org_id, out.group.id, user->id));
  out.member = since.has_value();
  if (out.member) {
    BF_ASSIGN_OR_RETURN(PersonRows rows, LoadPerson(*uow, actor.org_id, user->id,
                                                    user->status == UserStatus::kActive));
    GroupMembership membership{*since, RulesOf(requirements), GrantsOf(rows.exemptions)};
    out.compliance = EvaluateGroup(membership, rows.person, day);
    out.decision = out.compliance.decision;
  } else {
    // Not in the group: the group's requirements were never asked of them, so the gate does
    // not let them through (architecture.md).
    out.decision = Decision::kDeny;
  }
  Activity entry =
      NewActivity(&actor, ctx_.clock.Now(), "compliance.checked", "group", out.group.id);
  entry.subject_user_id = user->id;
  entry.subject_user_name = user->name;
  AddChange(entry, "group", std::nullopt, out.group.name);
  AddChange(entry, "decision", std::nullopt, std::string(DecisionName(out.decision)));
  if (!out.member) AddChange(entry, "member", std::nullopt, "false");
  BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  BF_RETURN_IF_ERROR(uow->Commit());
  return out;
}

}  // namespace bf
