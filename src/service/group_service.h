// Groups, members, requirements, exemptions and compliance (spec/REQUIREMENTS.md): the use
// cases HTTP, jobs and the command line share. Compliance is computed on read, from the
// injected clock's instant in the organisation's zone, by domain/compliance.h: every view here
// (the user page, the matrix, the CSV, the gate check, the summary) runs the same evaluation
// over the same rows, so they agree for the same person at the same instant.
//
// Permissions (REQUIREMENTS.md "API"): groups are read with credentials.manage or users.manage
// and changed with credentials.manage; members are changed with users.manage; requirements and
// exemptions need credentials.manage; nobody exempts themselves (403 own_exemption); compliance
// is read by the user themself, users.manage or credentials.manage. Ids of another organisation
// are 404. Every change appends an activity entry with before/after values.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "domain/compliance.h"
#include "domain/model.h"
#include "service/compliance_cache.h"
#include "service/context.h"
#include "store/store.h"

namespace bf {

struct GroupInput {
  std::optional<std::string> name;
  std::optional<std::string> description;
};

struct AddMembersInput {
  std::vector<std::string> user_ids;  // 1..kMaxMembersPerRequest users of the organisation
  std::optional<std::string> since;   // YYYY-MM-DD; absent: today in the organisation's zone
};
inline constexpr size_t kMaxMembersPerRequest = 1000;

struct AddMembersResult {
  std::vector<GroupMember> members;  // the users named, with their (possibly earlier) since
  int added = 0;                     // memberships that are new
};

// Absent fields: defaults on create, unchanged on update.
struct RequirementInput {
  std::optional<std::vector<std::string>> credential_type_ids;
  std::optional<int64_t> min_days_remaining;
  std::optional<int64_t> grace_days;
  std::optional<std::string> enforcement;
};

struct ExemptionInput {
  std::optional<std::string> user_id;
  std::optional<std::string> reason;
  std::optional<std::string> expires_on;  // YYYY-MM-DD; absent: open-ended
};

// A credential type as compliance answers name it.
struct TypeRef {
  std::string id;
  std::string name;
};

struct RequirementView {
  Requirement requirement;
  std::vector<TypeRef> types;  // in the requirement's order
};

struct ExemptionView {
  Exemption exemption;
  bool active = true;  // as of today in the organisation's zone
};

// One group as it applies to one person.
struct GroupResult {
  std::string group_id;
  std::string name;
  Date member_since;
  GroupCompliance compliance;  // requirements in the group's order
};

struct UserCompliance {
  User user;
  Date today;  // the organisation's day the evaluation used
  Decision decision = Decision::kAllow;
  std::vector<GroupResult> groups;                      // by name
  std::map<std::string, RequirementView> requirements;  // by id, for every result above
  std::map<std::string, Exemption> exemptions;          // by id, for every result's exemption
};

struct MatrixRow {
  GroupMember member;
  GroupCompliance compliance;
};

struct DecisionCounts {
  int64_t allow = 0, warn = 0, deny = 0;
};

struct MatrixQuery {
  std::vector<Decision> decisions;                           // empty: every member
  int limit = 50;                                            // 0: every member (the CSV)
  std::optional<std::pair<std::string, std::string>> after;  // (lower(name), user id)
};

struct Matrix {
  Group group;
  std::vector<RequirementView> requirements;  // the columns, in the group's order
  std::vector<MatrixRow> rows;                // the page, by name
  DecisionCounts counts;                      // over every member, whatever the filter
  std::optional<std::pair<std::string, std::string>> next;  // keyset of the next page
};

struct SummaryRow {
  Group group;
  DecisionCounts counts;
};

struct CheckInput {
  std::optional<std::string> group_id;
  std::optional<std::string> user_id;
  std::optional<std::string> email;
};

struct CheckResult {
  Group group;
  User user;
  bool member = true;
  Decision decision = Decision::kDeny;
  GroupCompliance compliance;
  std::vector<RequirementView> requirements;  // the group's, in order
};

// Every member of one group evaluated against its requirements on `day`: the one evaluation the
// matrix, the CSV, the summary and the notices share. Reads the group's requirements, members,
// their credentials of the required types and their exemptions: cost grows with the group.
struct GroupEvaluation {
  std::vector<Requirement> requirements;  // in the group's order
  std::vector<MatrixRow> rows;            // every member, by name
};
Result<GroupEvaluation> EvaluateGroupMembers(UnitOfWork& uow, const std::string& org_id,
                                             const std::string& group_id, const ComplianceDay& day);

class GroupService {
 public:
  using Export = std::function<Status(const std::function<Status(std::string_view)>&)>;

  explicit GroupService(ServiceContext ctx)
      : ctx_(ctx), cache_(std::make_shared<ComplianceCache>()) {}

  // Groups.
  Result<std::vector<Group>> List(const Actor& actor, const GroupFilter& filter);
  Result<Group> Get(const Actor& actor, const std::string& id);
  // 422 on name (required, too_long, …), 409 name_taken.
  Result<Group> Create(const Actor& actor, const GroupInput& input);
  Result<Group> Update(const Actor& actor, const std::string& id, const GroupInput& input);
  Status Delete(const Actor& actor, const std::string& id);

  // Members.
  Result<std::vector<GroupMember>> ListMembers(const Actor& actor, const std::string& group_id,
                                               const MemberFilter& filter);
  // users.manage. 422 on user_ids (required, too_many, unknown_user) or since (invalid_date).
  // A user already a member keeps the first date. Sends the notices of REQUIREMENTS.md.
  Result<AddMembersResult> AddMembers(const Actor& actor, const std::string& group_id,
                                      const AddMembersInput& input);
  // users.manage. 404 when the user is no member. The user's exemptions in the group go too.
  Status RemoveMember(const Actor& actor, const std::string& group_id, const std::string& user_id);

  // Requirements (credentials.manage).
  Result<std::vector<RequirementView>> ListRequirements(const Actor& actor,
                                                        const std::string& group_id);
  Result<RequirementView> CreateRequirement(const Actor& actor, const std::string& group_id,
                                            const RequirementInput& input);
  Result<RequirementView> UpdateRequirement(const Actor& actor, const std::string& id,
                                            const RequirementInput& input);
  Status DeleteRequirement(const Actor& actor, const std::string& id);

  // Exemptions (credentials.manage).
  Result<std::vector<ExemptionView>> ListExemptions(const Actor& actor,
                                                    const std::string& requirement_id);
  Result<ExemptionView> GrantExemption(const Actor& actor, const std::string& requirement_id,
                                       const ExemptionInput& input);
  Status RevokeExemption(const Actor& actor, const std::string& id);

  // Compliance.
  Result<UserCompliance> UserComplianceOf(const Actor& actor, const std::string& user_id);
  Result<Matrix> GroupMatrix(const Actor& actor, const std::string& group_id,
                             const MatrixQuery& query);
  // The whole matrix as CSV (email, name, decision, one column per requirement), formula-safe.
  // Evaluated before this returns (errors are answers, not a broken download).
  Result<Export> GroupMatrixCsv(const Actor& actor, const std::string& group_id);
  // The matrix pages and the summary read members' decisions through the cache
  // (service/compliance_cache.h); the CSV, the user page and the gate evaluate afresh (the
  // CSV keeps the decisions it computed).
  Result<std::vector<SummaryRow>> Summary(const Actor& actor);
  // Writes activity compliance.checked with the decision. 404 for an unknown group or user.
  Result<CheckResult> Check(const Actor& actor, const CheckInput& input);

 private:
  // The group's members with their decisions in `uow`'s snapshot: kept ones when the cache holds
  // them at this revision and day, else one evaluation of the whole group (then kept, and, when
  // `evaluated` is given, handed over whole so the caller need not evaluate cells again).
  Result<std::shared_ptr<const GroupDecisions>> Decisions(UnitOfWork& uow,
                                                          const std::string& org_id,
                                                          const std::string& group_id,
                                                          const ComplianceDay& day,
                                                          GroupEvaluation* evaluated);

  // Keeps the decisions of `all`, evaluated at `version`.
  std::shared_ptr<const GroupDecisions> Keep(const std::string& org_id, const std::string& group_id,
                                             const ComplianceVersion& version,
                                             const GroupEvaluation& all);

  ServiceContext ctx_;
  std::shared_ptr<ComplianceCache> cache_;  // shared by copies of this service
};

}  // namespace bf
