// Organisations and permission sets.
#include <string>

#include "domain/validation.h"
#include "store/sql/sql_util.h"
#include "store/sql/unit_of_work.h"

namespace bf::sql {
namespace {

constexpr char kInsertOrganization[] =
    "INSERT INTO organizations (id, name, timezone, date_format, media_required,"
    " approvals_required, expiring_soon_days, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

constexpr char kFindOrganization[] =
    "SELECT " BF_ORGANIZATION_COLUMNS("") " FROM organizations WHERE id = ?1";
constexpr char kFindOrganizationAtRevision[] = "SELECT " BF_ORGANIZATION_COLUMNS(
    "") ", " BF_CREDENTIAL_REVISION_OF("id") " FROM organizations WHERE id = ?1";

constexpr char kUpdateOrganization[] =
    "UPDATE organizations SET name = ?2, timezone = ?3, date_format = ?4, media_required = ?5,"
    " approvals_required = ?6, expiring_soon_days = ?7, updated_at = ?8"
    " WHERE id = ?1";

constexpr char kCountOrganizations[] = "SELECT COUNT(*) FROM organizations";

// Only where write units run beside each other (Dialect::locks_rows).
constexpr char kLockOrganization[] = "SELECT id FROM organizations WHERE id = ?1 FOR UPDATE";

constexpr char kInsertPermissionSet[] =
    "INSERT INTO permission_sets (id, org_id, name, name_key, permissions, builtin, created_at,"
    " updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

constexpr char kFindPermissionSet[] =
    "SELECT id, org_id, name, permissions, builtin, created_at, updated_at"
    " FROM permission_sets WHERE org_id = ?1 AND id = ?2";

constexpr char kFindPermissionSetByName[] =
    "SELECT id, org_id, name, permissions, builtin, created_at, updated_at"
    " FROM permission_sets WHERE org_id = ?1 AND name_key = ?2";

constexpr char kListPermissionSets[] =
    "SELECT id, org_id, name, permissions, builtin, created_at, updated_at"
    " FROM permission_sets WHERE org_id = ?1 ORDER BY name_key, id";

constexpr char kUpdatePermissionSet[] =
    "UPDATE permission_sets SET name = ?3, name_key = ?4, permissions = ?5, updated_at = ?6"
    " WHERE org_id = ?1 AND id = ?2";

constexpr char kDeletePermissionSet[] = "DELETE FROM permission_sets WHERE org_id = ?1 AND id = ?2";

constexpr char kCountUsersWithPermissionSet[] =
    "SELECT COUNT(*) FROM users WHERE org_id = ?1 AND permission_set_id = ?2";

// Columns as selected by kFindPermissionSet.
PermissionSet PermissionSetFromRow(const Stmt& row) {
  PermissionSet set;
  set.id = row.Text(0);
  set.org_id = row.Text(1);
  set.name = row.Text(2);
  set.permissions = Permissions(static_cast<uint32_t>(row.Int(3)));
  set.builtin = row.Int(4) != 0;
  set.created_at = FromMillis(row.Int(5));
  set.updated_at = FromMillis(row.Int(6));
  return set;
}

Error NameTaken(Connection* conn, Error failure) {
  return ConstraintError(conn, std::move(failure), Constraint::kUnique, "name_taken",
                         "a permission set with this name already exists");
}

}  // namespace

Result<Organization> OrganizationFromRow(const Stmt& row, int first) {
  Organization org;
  org.id = row.Text(first);
  org.name = row.Text(first + 1);
  org.timezone = row.Text(first + 2);
  std::string format = row.Text(first + 3);
  auto parsed = ParseDateFormat(format);
  if (!parsed) return Internal("organization " + org.id + " has unknown date_format " + format);
  org.date_format = *parsed;
  org.settings.media_required = row.Int(first + 4) != 0;
  org.settings.approvals_required = row.Int(first + 5) != 0;
  org.settings.expiring_soon_days = static_cast<int>(row.Int(first + 6));
  org.created_at = FromMillis(row.Int(first + 7));
  org.updated_at = FromMillis(row.Int(first + 8));
  return org;
}

Status SqlUnitOfWork::InsertOrganization(const Organization& org) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kInsertOrganization));
  stmt.Bind(1, org.id)
      .Bind(2, org.name)
      .Bind(3, org.timezone)
      .Bind(4, DateFormatName(org.date_format))
      .Bind(5, org.settings.media_required)
      .Bind(6, org.settings.approvals_required)
      .Bind(7, org.settings.expiring_soon_days)
      .Bind(8, ToMillis(org.created_at))
      .Bind(9, ToMillis(org.updated_at));
  return stmt.Run();
}

Result<std::optional<Organization>> SqlUnitOfWork::FindOrganization(const std::string& id) {
  if (const OrganizationAtRevision* known = conn_->ActorsOrganization(id)) return known->org;
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kFindOrganization));
  stmt.Bind(1, id);
  BF_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::nullopt;
  BF_ASSIGN_OR_RETURN(Organization org, OrganizationFromRow(stmt, 0));
  return org;
}

Result<std::optional<OrganizationAtRevision>> SqlUnitOfWork::FindOrganizationAtRevision(
    const std::string& org_id) {
  if (const OrganizationAtRevision* known = conn_->ActorsOrganization(org_id)) return *known;
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kFindOrganizationAtRevision));
  stmt.Bind(1, org_id);
  BF_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::nullopt;
  BF_ASSIGN_OR_RETURN(Organization org, OrganizationFromRow(stmt, 0));
  return OrganizationAtRevision{std::move(org), stmt.Int(kOrganizationColumns)};
}

Status SqlUnitOfWork::UpdateOrganization(const Organization& org) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kUpdateOrganization));
  stmt.Bind(1, org.id)
      .Bind(2, org.name)
      .Bind(3, org.timezone)
      .Bind(4, DateFormatName(org.date_format))
      .Bind(5, org.settings.media_required)
      .Bind(6, org.settings.approvals_required)
      .Bind(7, org.settings.expiring_soon_days)
      .Bind(8, ToMillis(org.updated_at));
  BF_RETURN_IF_ERROR(stmt.Run());
  return TouchedOne(stmt, "organization");
}

Result<int64_t> SqlUnitOfWork::CountOrganizations() {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kCountOrganizations));
  BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.Int(0) : 0;
}

Status SqlUnitOfWork::LockOrganization(const std::string& org_id) {
  // SQLite's write units already run one at a time (BEGIN IMMEDIATE): nothing more to hold.
  if (!dialect_.locks_rows) return Ok();
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kLockOrganization));
  stmt.Bind(1, org_id);
  BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
  (void)row;  // an organisation that is not there has nothing to protect
  return Ok();
}

Status SqlUnitOfWork::InsertPermissionSet(const PermissionSet& set) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kInsertPermissionSet));
  stmt.Bind(1, set.id)
      .Bind(2, set.org_id)
      .Bind(3, set.name)
      .Bind(4, Lower(set.name))
      .Bind(5, static_cast<int64_t>(set.permissions.bits()))
      .Bind(6, set.builtin)
      .Bind(7, ToMillis(set.created_at))
      .Bind(8, ToMillis(set.updated_at));
  auto ran = stmt.RunGuarded();
  if (!ran) return tl::unexpected(NameTaken(conn_, std::move(ran).error()));
  return Ok();
}

Result<std::optional<PermissionSet>> SqlUnitOfWork::FindPermissionSet(const std::string& org_id,
                                                                      const std::string& id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kFindPermissionSet));
  stmt.Bind(1, org_id).Bind(2, id);
  BF_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::nullopt;
  return PermissionSetFromRow(stmt);
}

Result<std::optional<PermissionSet>> SqlUnitOfWork::FindPermissionSetByName(
    const std::string& org_id, const std::string& name) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kFindPermissionSetByName));
  stmt.Bind(1, org_id).Bind(2, Lower(name));
  BF_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::nullopt;
  return PermissionSetFromRow(stmt);
}

Result<std::vector<PermissionSet>> SqlUnitOfWork::ListPermissionSets(const std::string& org_id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kListPermissionSets));
  stmt.Bind(1, org_id);
  std::vector<PermissionSet> sets;
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    sets.push_back(PermissionSetFromRow(stmt));
  }
  return sets;
}

Status SqlUnitOfWork::UpdatePermissionSet(const PermissionSet& set) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kUpdatePermissionSet));
  stmt.Bind(1, set.org_id)
      .Bind(2, set.id)
      .Bind(3, set.name)
      .Bind(4, Lower(set.name))
      .Bind(5, static_cast<int64_t>(set.permissions.bits()))
      .Bind(6, ToMillis(set.updated_at));
  auto ran = stmt.RunGuarded();
  if (!ran) return tl::unexpected(NameTaken(conn_, std::move(ran).error()));
  return TouchedOne(stmt, "permission set");
}

Status SqlUnitOfWork::DeletePermissionSet(const std::string& org_id, const std::string& id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kDeletePermissionSet));
  stmt.Bind(1, org_id).Bind(2, id);
  auto ran = stmt.RunGuarded();
  if (!ran) {
    return tl::unexpected(ConstraintError(conn_, std::move(ran).error(), Constraint::kForeignKey,
                                          "in_use", "the permission set is assigned to users"));
  }
  return TouchedOne(stmt, "permission set");
}

Result<int64_t> SqlUnitOfWork::CountUsersWithPermissionSet(const std::string& org_id,
                                                           const std::string& id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kCountUsersWithPermissionSet));
  stmt.Bind(1, org_id).Bind(2, id);
  BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.Int(0) : 0;
}

}  // namespace bf::sql
