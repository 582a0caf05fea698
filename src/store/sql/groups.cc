// Groups, memberships, requirements, exemptions and the requirement-notice ledger
// (store/group_repository.h). Compliance reads start from one group's memberships or one
// user's, and reach credentials through credentials_by_user (org_id, user_id, type_id, …).
#include <string>
#include <vector>

#include "domain/validation.h"
#include "store/sql/compliance_queries.h"
#include "store/sql/sql_util.h"
#include "store/sql/unit_of_work.h"

namespace bf::sql {
namespace {

constexpr int64_t kNoLimit = int64_t{1} << 40;

#define BF_SELECT_GROUP                                                       \
  "SELECT g.id, g.org_id, g.name, g.description, g.created_at, g.updated_at," \
  " (SELECT COUNT(*) FROM memberships m WHERE m.group_id = g.id),"            \
  " (SELECT COUNT(*) FROM requirements r WHERE r.group_id = g.id)"            \
  " FROM user_groups g "

constexpr char kInsertGroup[] =
    "INSERT INTO user_groups (id, org_id, name, name_key, description, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
constexpr char kFindGroup[] = BF_SELECT_GROUP "WHERE g.org_id = ?1 AND g.id = ?2";
constexpr char kFindGroupByName[] = BF_SELECT_GROUP "WHERE g.org_id = ?1 AND g.name_key = ?2";
// ?2: '' or a LIKE pattern over the lower-cased name; (?3, ?4): the keyset position.
constexpr char kListGroups[] = BF_SELECT_GROUP
    "WHERE g.org_id = ?1 AND (?2 = '' OR g.name_key LIKE ?2 ESCAPE '\\')"
    " AND (g.name_key, g.id) > (?3, ?4) ORDER BY g.name_key, g.id LIMIT ?5";
#undef BF_SELECT_GROUP
constexpr char kUpdateGroup[] =
    "UPDATE user_groups SET name = ?3, name_key = ?4, description = ?5, updated_at = ?6"
    " WHERE org_id = ?1 AND id = ?2";
// Memberships, requirements (with their types, exemptions and ledger) go by ON DELETE CASCADE.
constexpr char kDeleteGroup[] = "DELETE FROM user_groups WHERE org_id = ?1 AND id = ?2";

constexpr char kInsertMembership[] =
    "INSERT INTO memberships (group_id, user_id, org_id, since, created_at)"
    " VALUES (?2, ?3, ?1, ?4, ?5) ON CONFLICT (group_id, user_id) DO NOTHING";
constexpr char kFindMembership[] =
    "SELECT since FROM memberships WHERE org_id = ?1 AND group_id = ?2 AND user_id = ?3";
constexpr char kDeleteMemberExemptions[] =
    "DELETE FROM exemptions WHERE org_id = ?1 AND user_id = ?3"
    " AND requirement_id IN (SELECT id FROM requirements WHERE group_id = ?2)";
constexpr char kDeleteMembership[] =
    "DELETE FROM memberships WHERE org_id = ?1 AND group_id = ?2 AND user_id = ?3";
constexpr char kListGroupMembers[] =
    "SELECT u.id, u.name, u.name_key, u.email, u.status, m.since, m.created_at"
    " FROM memberships m JOIN users u ON u.id = m.user_id"
    " WHERE m.org_id = ?1 AND m.group_id = ?2 AND (u.name_key, u.id) > (?3, ?4)"
    " ORDER BY u.name_key, u.id LIMIT ?5";
constexpr char kListUserGroups[] =
    "SELECT g.id, g.name, m.since FROM memberships m JOIN user_groups g ON g.id = m.group_id"
    " WHERE m.org_id = ?1 AND m.user_id = ?2 ORDER BY g.name_key, g.id";

constexpr char kInsertRequirement[] =
    "INSERT INTO requirements (id, org_id, group_id, position, min_days_remaining, grace_days,"
    " enforcement, types_revision, created_at, updated_at)"
    " VALUES (?1, ?2, ?3,"
    " (SELECT COALESCE(MAX(position), 0) + 1 FROM requirements WHERE group_id = ?3),"
    " ?4, ?5, ?6, ?7, ?8, ?9)";
constexpr char kInsertRequirementType[] =
    "INSERT INTO requirement_types (requirement_id, position, type_id, org_id)"
    " VALUES (?1, ?2, ?3, ?4)";
constexpr char kDeleteRequirementTypes[] =
    "DELETE FROM requirement_types WHERE requirement_id = ?1";
#define BF_SELECT_REQUIREMENT                                                             \
  "SELECT r.id, r.org_id, r.group_id, r.min_days_remaining, r.grace_days, r.enforcement," \
  " r.types_revision, r.created_at, r.updated_at FROM requirements r "
constexpr char kFindRequirement[] = BF_SELECT_REQUIREMENT "WHERE r.org_id = ?1 AND r.id = ?2";
constexpr char kListRequirements[] =
    BF_SELECT_REQUIREMENT "WHERE r.org_id = ?1 AND r.group_id = ?2 ORDER BY r.position, r.id";
#undef BF_SELECT_REQUIREMENT
constexpr char kRequirementTypes[] =
    "SELECT type_id FROM requirement_types WHERE requirement_id = ?1 ORDER BY position";
constexpr char kGroupRequirementTypes[] =
    "SELECT rt.requirement_id, rt.type_id FROM requirements r"
    " JOIN requirement_types rt ON rt.requirement_id = r.id"
    " WHERE r.org_id = ?1 AND r.group_id = ?2 ORDER BY rt.requirement_id, rt.position";
constexpr char kUpdateRequirement[] =
    "UPDATE requirements SET min_days_remaining = ?3, grace_days = ?4, enforcement = ?5,"
    " types_revision = ?6, updated_at = ?7 WHERE org_id = ?1 AND id = ?2";
constexpr char kDeleteRequirement[] = "DELETE FROM requirements WHERE org_id = ?1 AND id = ?2";
constexpr char kCountRequirementsNamingType[] =
    "SELECT COUNT(*) FROM requirement_types WHERE org_id = ?1 AND type_id = ?2";

#define BF_EXEMPTION_COLUMNS                                                          \
  "SELECT e.id, e.org_id, e.requirement_id, r.group_id, e.user_id, u.name, e.reason," \
  " e.expires_on, e.granted_by, COALESCE(gb.name, ''), e.created_at"
#define BF_EXEMPTION_NAMES \
  " JOIN users u ON u.id = e.user_id LEFT JOIN users gb ON gb.id = e.granted_by "
#define BF_SELECT_EXEMPTION \
  BF_EXEMPTION_COLUMNS      \
  " FROM exemptions e JOIN requirements r ON r.id = e.requirement_id" BF_EXEMPTION_NAMES
constexpr char kInsertExemption[] =
    "INSERT INTO exemptions (id, org_id, requirement_id, user_id, reason, expires_on,"
    " granted_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
constexpr char kFindExemption[] = BF_SELECT_EXEMPTION "WHERE e.org_id = ?1 AND e.id = ?2";
constexpr char kDeleteExemption[] = "DELETE FROM exemptions WHERE org_id = ?1 AND id = ?2";
constexpr char kListRequirementExemptions[] =
    BF_SELECT_EXEMPTION "WHERE e.org_id = ?1 AND e.requirement_id = ?2 ORDER BY e.created_at, e.id";
constexpr char kListUserExemptions[] =
    BF_SELECT_EXEMPTION "WHERE e.org_id = ?1 AND e.user_id = ?2 ORDER BY e.created_at, e.id";
#undef BF_SELECT_EXEMPTION

}  // namespace

// The reads compliance is computed from, each in two forms: as written for a planner with
// statistics (PostgreSQL), and, for SQLite's (the database is never ANALYZEd: store/sql/dialect.h),
// with the loop order and the index named. Left to itself SQLite read a user's credentials
// through credentials_summary (org_id, archived, …), every unarchived credential of the
// organisation, and a group's through memberships_by_user and credentials_summary by type: on
// the benchmark data 4 s for one user and over 40 s for a group (docs/performance.md).
// Declared in compliance_queries.h for the query-plan test.

// The latest version's fields, and, when it awaits review or was refused, the newest earlier
// version that is approved (or needs no approval): version number and expiry.
#define BF_HELD_COLUMNS                                                                \
  " c.id, c.type_id, c.approval_status, c.expiry_date,"                                \
  " CASE WHEN c.approval_status IN ('pending', 'rejected') THEN"                       \
  "  (SELECT v.version FROM credential_versions v WHERE v.credential_id = c.id"        \
  "   AND v.version < c.version AND v.approval_status IN ('approved', 'not_required')" \
  "   ORDER BY v.version DESC LIMIT 1) END,"                                           \
  " CASE WHEN c.approval_status IN ('pending', 'rejected') THEN"                       \
  "  (SELECT v.expiry_date FROM credential_versions v WHERE v.credential_id = c.id"    \
  "   AND v.version < c.version AND v.approval_status IN ('approved', 'not_required')" \
  "   ORDER BY v.version DESC LIMIT 1) END"

// The group's members by its key (group_id, user_id), then per member one range of
// credentials_by_user per type the group requires. The group was found in the organisation;
// c.org_id keeps every credential in it.
#define BF_GROUP_MEMBER_CREDENTIALS(JOIN)                                          \
  "SELECT m.user_id," BF_HELD_COLUMNS " FROM memberships m" JOIN                   \
  " ON c.org_id = ?1 AND c.user_id = m.user_id"                                    \
  " WHERE m.group_id = ?2 AND c.archived = 0"                                      \
  " AND c.type_id IN (SELECT rt.type_id FROM requirements r"                       \
  "  JOIN requirement_types rt ON rt.requirement_id = r.id WHERE r.group_id = ?2)" \
  " ORDER BY m.user_id, c.id"
const char kListGroupMemberCredentials[] = BF_GROUP_MEMBER_CREDENTIALS(" JOIN credentials c");
const char kListGroupMemberCredentialsIndexed[] =
    BF_GROUP_MEMBER_CREDENTIALS(" CROSS JOIN credentials c INDEXED BY credentials_by_user");
#undef BF_GROUP_MEMBER_CREDENTIALS

// One range of credentials_by_user.
#define BF_USER_HELD_CREDENTIALS(INDEX)                           \
  "SELECT c.user_id," BF_HELD_COLUMNS " FROM credentials c" INDEX \
  " WHERE c.org_id = ?1 AND c.user_id = ?2 AND c.archived = 0 ORDER BY c.id"
const char kListUserHeldCredentials[] = BF_USER_HELD_CREDENTIALS("");
const char kListUserHeldCredentialsIndexed[] =
    BF_USER_HELD_CREDENTIALS(" INDEXED BY credentials_by_user");
#undef BF_USER_HELD_CREDENTIALS
#undef BF_HELD_COLUMNS

// The group's requirements first (requirements_by_group), then each one's exemptions.
#define BF_GROUP_EXEMPTIONS(JOIN)                                       \
  BF_EXEMPTION_COLUMNS " FROM requirements r" JOIN                      \
                       " ON e.requirement_id = r.id" BF_EXEMPTION_NAMES \
                       "WHERE r.group_id = ?2 AND e.org_id = ?1 ORDER BY e.created_at, e.id"
const char kListGroupExemptions[] = BF_GROUP_EXEMPTIONS(" JOIN exemptions e");
const char kListGroupExemptionsIndexed[] =
    BF_GROUP_EXEMPTIONS(" CROSS JOIN exemptions e INDEXED BY exemptions_by_requirement");
#undef BF_GROUP_EXEMPTIONS
#undef BF_EXEMPTION_COLUMNS
#undef BF_EXEMPTION_NAMES

namespace {

constexpr char kComplianceRevision[] =
    "SELECT revision FROM compliance_revisions WHERE group_id = ?1";

// Claims when no row exists, or when the row is of an older revision of the types.
constexpr char kClaimRequirementNotice[] =
    "INSERT INTO requirement_notices (requirement_id, user_id, types_revision, sent_at)"
    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (requirement_id, user_id) DO UPDATE"
    " SET types_revision = excluded.types_revision, sent_at = excluded.sent_at"
    " WHERE requirement_notices.types_revision < excluded.types_revision";

Result<Date> DateAt(const Stmt& row, int col, std::string_view what) {
  std::string text = row.Text(col);
  auto date = ParseIsoDate(text);
  if (!date) return Internal(std::string(what) + " has a malformed date: '" + text + "'");
  return *date;
}

Result<std::optional<Date>> OptDateAt(const Stmt& row, int col, std::string_view what) {
  if (!row.OptText(col)) return std::optional<Date>();
  BF_ASSIGN_OR_RETURN(Date d, DateAt(row, col, what));
  return std::optional<Date>(d);
}

Group GroupFromRow(const Stmt& row) {
  Group g;
  g.id = row.Text(0);
  g.org_id = row.Text(1);
  g.name = row.Text(2);
  g.description = row.Text(3);
  g.created_at = FromMillis(row.Int(4));
  g.updated_at = FromMillis(row.Int(5));
  g.member_count = row.Int(6);
  g.requirement_count = row.Int(7);
  return g;
}

Result<std::vector<Group>> Groups(Stmt& stmt) {
  std::vector<Group> out;
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(GroupFromRow(stmt));
  }
  return out;
}

Result<Requirement> RequirementFromRow(const Stmt& row) {
  Requirement r;
  r.id = row.Text(0);
  r.org_id = row.Text(1);
  r.group_id = row.Text(2);
  r.min_days_remaining = static_cast<int>(row.Int(3));
  r.grace_days = static_cast<int>(row.Int(4));
  auto enforcement = ParseEnforcement(row.Text(5));
  if (!enforcement) return Internal("requirement " + r.id + " has a bad enforcement");
  r.enforcement = *enforcement;
  r.types_revision = row.Int(6);
  r.created_at = FromMillis(row.Int(7));
  r.updated_at = FromMillis(row.Int(8));
  return r;
}

Result<Exemption> ExemptionFromRow(const Stmt& row) {
  Exemption e;
  e.id = row.Text(0);
  e.org_id = row.Text(1);
  e.requirement_id = row.Text(2);
  e.group_id = row.Text(3);
  e.user_id = row.Text(4);
  e.user_name = row.Text(5);
  e.reason = row.Text(6);
  BF_ASSIGN_OR_RETURN(e.expires_on, OptDateAt(row, 7, "exemption " + e.id));
  e.granted_by = row.OptText(8).value_or("");
  e.granted_by_name = row.Text(9);
  e.created_at = FromMillis(row.Int(10));
  return e;
}

Result<std::vector<Exemption>> Exemptions(Stmt& stmt) {
  std::vector<Exemption> out;
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    BF_ASSIGN_OR_RETURN(Exemption e, ExemptionFromRow(stmt));
    out.push_back(std::move(e));
  }
  return out;
}

// Columns of BF_HELD_COLUMNS, from column 1 (0 is the user id).
Result<HeldCredential> HeldFromRow(const Stmt& row) {
  HeldCredential c;
  c.id = row.Text(1);
  c.type_id = row.Text(2);
  auto approval = ParseApprovalStatus(row.Text(3));
  if (!approval) return Internal("credential " + c.id + " has a bad approval status");
  c.approval = *approval;
  BF_ASSIGN_OR_RETURN(c.expiry_date, OptDateAt(row, 4, "credential " + c.id));
  if (auto earlier = row.OptInt(5)) {
    EarlierApprovedVersion v;
    v.version = static_cast<int>(*earlier);
    BF_ASSIGN_OR_RETURN(v.expiry_date, OptDateAt(row, 6, "credential " + c.id));
    c.earlier_approved = v;
  }
  return c;
}

Error GroupNameTaken(Connection* conn, Error failure) {
  return ConstraintError(conn, std::move(failure), Constraint::kUnique, "name_taken",
                         "a group with this name already exists");
}

// Replaces the requirement's types with credential_type_ids, in order.
Status WriteRequirementTypes(Connection* conn, const Requirement& requirement) {
  BF_ASSIGN_OR_RETURN(auto clear, conn->Prepare(kDeleteRequirementTypes));
  clear.Bind(1, requirement.id);
  BF_RETURN_IF_ERROR(clear.Run());
  for (size_t i = 0; i < requirement.credential_type_ids.size(); ++i) {
    BF_ASSIGN_OR_RETURN(auto stmt, conn->Prepare(kInsertRequirementType));
    stmt.Bind(1, requirement.id)
        .Bind(2, static_cast<int64_t>(i + 1))
        .Bind(3, requirement.credential_type_ids[i])
        .Bind(4, requirement.org_id);
    BF_RETURN_IF_ERROR(stmt.Run());
  }
  return Ok();
}

}  // namespace

Status SqlUnitOfWork::InsertGroup(const Group& group) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kInsertGroup));
  stmt.Bind(1, group.id)
      .Bind(2, group.org_id)
      .Bind(3, group.name)
      .Bind(4, Lower(group.name))
      .Bind(5, group.description)
      .Bind(6, ToMillis(group.created_at))
      .Bind(7, ToMillis(group.updated_at));
  auto ran = stmt.RunGuarded();
  if (!ran) return tl::unexpected(GroupNameTaken(conn_, std::move(ran).error()));
  return Ok();
}

Result<std::optional<Group>> SqlUnitOfWork::FindGroup(const std::string& org_id,
                                                      const std::string& id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kFindGroup));
  stmt.Bind(1, org_id).Bind(2, id);
  BF_ASSIGN_OR_RETURN(auto groups, Groups(stmt));
  if (groups.empty()) return std::nullopt;
  return groups.front();
}

Result<std::optional<Group>> SqlUnitOfWork::FindGroupByName(const std::string& org_id,
                                                            const std::string& name) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kFindGroupByName));
  stmt.Bind(1, org_id).Bind(2, Lower(name));
  BF_ASSIGN_OR_RETURN(auto groups, Groups(stmt));
  if (groups.empty()) return std::nullopt;
  return groups.front();
}

Result<std::vector<Group>> SqlUnitOfWork::ListGroups(const std::string& org_id,
                                                     const GroupFilter& filter) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kListGroups));
  stmt.Bind(1, org_id)
      .Bind(2, filter.q.empty() ? std::string() : ContainsPattern(Lower(filter.q)))
      .Bind(3, filter.after ? filter.after->first : std::string())
      .Bind(4, filter.after ? filter.after->second : std::string())
      .Bind(5, filter.limit > 0 ? int64_t{filter.limit} : kNoLimit);
  return Groups(stmt);
}

Status SqlUnitOfWork::UpdateGroup(const Group& group) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kUpdateGroup));
  stmt.Bind(1, group.org_id)
      .Bind(2, group.id)
      .Bind(3, group.name)
      .Bind(4, Lower(group.name))
      .Bind(5, group.description)
      .Bind(6, ToMillis(group.updated_at));
  auto ran = stmt.RunGuarded();
  if (!ran) return tl::unexpected(GroupNameTaken(conn_, std::move(ran).error()));
  return TouchedOne(stmt, "group");
}

Status SqlUnitOfWork::DeleteGroup(const std::string& org_id, const std::string& id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kDeleteGroup));
  stmt.Bind(1, org_id).Bind(2, id);
  BF_RETURN_IF_ERROR(stmt.Run());
  return TouchedOne(stmt, "group");
}

Result<bool> SqlUnitOfWork::InsertMembership(const std::string& org_id, const std::string& group_id,
                                             const std::string& user_id, Date since, Timestamp at) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kInsertMembership));
  stmt.Bind(1, org_id)
      .Bind(2, group_id)
      .Bind(3, user_id)
      .Bind(4, FormatIsoDate(since))
      .Bind(5, ToMillis(at));
  BF_RETURN_IF_ERROR(stmt.Run());
  return stmt.Changes() > 0;
}

Result<std::optional<Date>> SqlUnitOfWork::FindMembership(const std::string& org_id,
                                                          const std::string& group_id,
                                                          const std::string& user_id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kFindMembership));
  stmt.Bind(1, org_id).Bind(2, group_id).Bind(3, user_id);
  BF_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::nullopt;
  BF_ASSIGN_OR_RETURN(Date since, DateAt(stmt, 0, "membership"));
  return since;
}

Result<bool> SqlUnitOfWork::DeleteMembership(const std::string& org_id, const std::string& group_id,
                                             const std::string& user_id) {
  BF_ASSIGN_OR_RETURN(auto exemptions, conn_->Prepare(kDeleteMemberExemptions));
  exemptions.Bind(1, org_id).Bind(2, group_id).Bind(3, user_id);
  BF_RETURN_IF_ERROR(exemptions.Run());
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kDeleteMembership));
  stmt.Bind(1, org_id).Bind(2, group_id).Bind(3, user_id);
  BF_RETURN_IF_ERROR(stmt.Run());
  return stmt.Changes() > 0;
}

Result<std::vector<GroupMember>> SqlUnitOfWork::ListGroupMembers(const std::string& org_id,
                                                                 const std::string& group_id,
                                                                 const MemberFilter& filter) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kListGroupMembers));
  stmt.Bind(1, org_id)
      .Bind(2, group_id)
      .Bind(3, filter.after ? filter.after->first : std::string())
      .Bind(4, filter.after ? filter.after->second : std::string())
      .Bind(5, filter.limit > 0 ? int64_t{filter.limit} : kNoLimit);
  std::vector<GroupMember> out;
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    GroupMember m;
    m.user_id = stmt.Text(0);
    m.name = stmt.Text(1);
    m.name_key = stmt.Text(2);
    m.email = stmt.Text(3);
    m.active = stmt.Text(4) == "active";
    BF_ASSIGN_OR_RETURN(m.since, DateAt(stmt, 5, "membership of " + m.user_id));
    m.added_at = FromMillis(stmt.Int(6));
    out.push_back(std::move(m));
  }
  return out;
}

Result<std::vector<UserGroup>> SqlUnitOfWork::ListUserGroups(const std::string& org_id,
                                                             const std::string& user_id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kListUserGroups));
  stmt.Bind(1, org_id).Bind(2, user_id);
  std::vector<UserGroup> out;
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    UserGroup g;
    g.group_id = stmt.Text(0);
    g.name = stmt.Text(1);
    BF_ASSIGN_OR_RETURN(g.since, DateAt(stmt, 2, "membership in " + g.group_id));
    out.push_back(std::move(g));
  }
  return out;
}

Status SqlUnitOfWork::InsertRequirement(const Requirement& requirement) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kInsertRequirement));
  stmt.Bind(1, requirement.id)
      .Bind(2, requirement.org_id)
      .Bind(3, requirement.group_id)
      .Bind(4, requirement.min_days_remaining)
      .Bind(5, requirement.grace_days)
      .Bind(6, EnforcementName(requirement.enforcement))
      .Bind(7, requirement.types_revision)
      .Bind(8, ToMillis(requirement.created_at))
      .Bind(9, ToMillis(requirement.updated_at));
  BF_RETURN_IF_ERROR(stmt.Run());
  return WriteRequirementTypes(conn_, requirement);
}

Result<std::optional<Requirement>> SqlUnitOfWork::FindRequirement(const std::string& org_id,
                                                                  const std::string& id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kFindRequirement));
  stmt.Bind(1, org_id).Bind(2, id);
  BF_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::nullopt;
  BF_ASSIGN_OR_RETURN(Requirement r, RequirementFromRow(stmt));
  BF_ASSIGN_OR_RETURN(auto types, conn_->Prepare(kRequirementTypes));
  types.Bind(1, r.id);
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, types.Step());
    if (!row) break;
    r.credential_type_ids.push_back(types.Text(0));
  }
  return r;
}

Result<std::vector<Requirement>> SqlUnitOfWork::ListRequirements(const std::string& org_id,
                                                                 const std::string& group_id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kListRequirements));
  stmt.Bind(1, org_id).Bind(2, group_id);
  std::vector<Requirement> out;
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    BF_ASSIGN_OR_RETURN(Requirement r, RequirementFromRow(stmt));
    out.push_back(std::move(r));
  }
  BF_ASSIGN_OR_RETURN(auto types, conn_->Prepare(kGroupRequirementTypes));
  types.Bind(1, org_id).Bind(2, group_id);
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, types.Step());
    if (!row) break;
    std::string requirement_id = types.Text(0);
    for (Requirement& r : out) {
      if (r.id == requirement_id) r.credential_type_ids.push_back(types.Text(1));
    }
  }
  return out;
}

Status SqlUnitOfWork::UpdateRequirement(const Requirement& requirement) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kUpdateRequirement));
  stmt.Bind(1, requirement.org_id)
      .Bind(2, requirement.id)
      .Bind(3, requirement.min_days_remaining)
      .Bind(4, requirement.grace_days)
      .Bind(5, EnforcementName(requirement.enforcement))
      .Bind(6, requirement.types_revision)
      .Bind(7, ToMillis(requirement.updated_at));
  BF_RETURN_IF_ERROR(stmt.Run());
  BF_RETURN_IF_ERROR(TouchedOne(stmt, "requirement"));
  return WriteRequirementTypes(conn_, requirement);
}

Status SqlUnitOfWork::DeleteRequirement(const std::string& org_id, const std::string& id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kDeleteRequirement));
  stmt.Bind(1, org_id).Bind(2, id);
  BF_RETURN_IF_ERROR(stmt.Run());
  return TouchedOne(stmt, "requirement");
}

Result<int64_t> SqlUnitOfWork::CountRequirementsNamingType(const std::string& org_id,
                                                           const std::string& type_id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kCountRequirementsNamingType));
  stmt.Bind(1, org_id).Bind(2, type_id);
  BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.Int(0) : 0;
}

Status SqlUnitOfWork::InsertExemption(const Exemption& e) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kInsertExemption));
  stmt.Bind(1, e.id)
      .Bind(2, e.org_id)
      .Bind(3, e.requirement_id)
      .Bind(4, e.user_id)
      .Bind(5, e.reason)
      .Bind(6, OptDate(e.expires_on))
      .BindOrNull(7, e.granted_by)
      .Bind(8, ToMillis(e.created_at));
  return stmt.Run();
}

Result<std::optional<Exemption>> SqlUnitOfWork::FindExemption(const std::string& org_id,
                                                              const std::string& id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kFindExemption));
  stmt.Bind(1, org_id).Bind(2, id);
  BF_ASSIGN_OR_RETURN(auto found, Exemptions(stmt));
  if (found.empty()) return std::nullopt;
  return found.front();
}

Status SqlUnitOfWork::DeleteExemption(const std::string& org_id, const std::string& id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kDeleteExemption));
  stmt.Bind(1, org_id).Bind(2, id);
  BF_RETURN_IF_ERROR(stmt.Run());
  return TouchedOne(stmt, "exemption");
}

Result<std::vector<Exemption>> SqlUnitOfWork::ListRequirementExemptions(
    const std::string& org_id, const std::string& requirement_id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kListRequirementExemptions));
  stmt.Bind(1, org_id).Bind(2, requirement_id);
  return Exemptions(stmt);
}

Result<std::vector<Exemption>> SqlUnitOfWork::ListGroupExemptions(const std::string& org_id,
                                                                  const std::string& group_id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(dialect_.names_indexes ? kListGroupExemptionsIndexed
                                                                       : kListGroupExemptions));
  stmt.Bind(1, org_id).Bind(2, group_id);
  return Exemptions(stmt);
}

Result<std::vector<Exemption>> SqlUnitOfWork::ListUserExemptions(const std::string& org_id,
                                                                 const std::string& user_id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kListUserExemptions));
  stmt.Bind(1, org_id).Bind(2, user_id);
  return Exemptions(stmt);
}

Result<std::vector<MemberCredential>> SqlUnitOfWork::ListGroupMemberCredentials(
    const std::string& org_id, const std::string& group_id) {
  BF_ASSIGN_OR_RETURN(auto stmt,
                      conn_->Prepare(dialect_.names_indexes ? kListGroupMemberCredentialsIndexed
                                                            : kListGroupMemberCredentials));
  stmt.Bind(1, org_id).Bind(2, group_id);
  std::vector<MemberCredential> out;
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    MemberCredential m;
    m.user_id = stmt.Text(0);
    BF_ASSIGN_OR_RETURN(m.credential, HeldFromRow(stmt));
    out.push_back(std::move(m));
  }
  return out;
}

Result<std::vector<HeldCredential>> SqlUnitOfWork::ListUserHeldCredentials(
    const std::string& org_id, const std::string& user_id) {
  BF_ASSIGN_OR_RETURN(auto stmt,
                      conn_->Prepare(dialect_.names_indexes ? kListUserHeldCredentialsIndexed
                                                            : kListUserHeldCredentials));
  stmt.Bind(1, org_id).Bind(2, user_id);
  std::vector<HeldCredential> out;
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    BF_ASSIGN_OR_RETURN(HeldCredential c, HeldFromRow(stmt));
    out.push_back(std::move(c));
  }
  return out;
}

Result<int64_t> SqlUnitOfWork::ComplianceRevision(const std::string& group_id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kComplianceRevision));
  stmt.Bind(1, group_id);
  BF_ASSIGN_OR_RETURN(bool found, stmt.Step());
  return found ? stmt.Int(0) : int64_t{0};
}

Result<bool> SqlUnitOfWork::ClaimRequirementNotice(const std::string& requirement_id,
                                                   const std::string& user_id,
                                                   int64_t types_revision, Timestamp at) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kClaimRequirementNotice));
  stmt.Bind(1, requirement_id).Bind(2, user_id).Bind(3, types_revision).Bind(4, ToMillis(at));
  BF_RETURN_IF_ERROR(stmt.Run());
  return stmt.Changes() > 0;
}

}  // namespace bf::sql
