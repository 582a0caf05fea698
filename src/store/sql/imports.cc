// The bulk upload of CSV.md: the lookups an import runs once (users, types) or once a row
// (the credential a row targets), and writes that do not read back. Each is one prepared
// statement, cached by the connection, so a million rows prepare nothing twice.
#include <string>

#include "domain/validation.h"
#include "store/sql/sql_util.h"
#include "store/sql/unit_of_work.h"

namespace bf::sql {
namespace {

constexpr char kListImportUsers[] = "SELECT id, name, email, status FROM users WHERE org_id = ?1";

constexpr char kListImportTypes[] =
    "SELECT id, name, expires FROM credential_types WHERE org_id = ?1";

#define BF_TARGET_COLUMNS                                                                       \
  "SELECT id, user_id, type_id, archived, version, issue_date, expiry_date, credential_number " \
  "FROM credentials"

constexpr char kFindImportTarget[] = BF_TARGET_COLUMNS " WHERE org_id = ?1 AND id = ?2";

// One range of credentials_by_user (org_id, user_id, type_id, number_key); archived rows of it
// are skipped. Named where the dialect names indexes.
#define BF_TARGETS_BY_KEY(INDEX)                                                                  \
  BF_TARGET_COLUMNS INDEX                                                                         \
      " WHERE org_id = ?1 AND user_id = ?2 AND type_id = ?3 AND number_key = ?4 AND archived = 0" \
      " ORDER BY id"
constexpr char kFindImportTargetsByKey[] = BF_TARGETS_BY_KEY("");
constexpr char kFindImportTargetsByKeyIndexed[] =
    BF_TARGETS_BY_KEY(" INDEXED BY credentials_by_user");
#undef BF_TARGETS_BY_KEY

#undef BF_TARGET_COLUMNS

constexpr char kInsertImportedCredential[] =
    "INSERT INTO credentials (id, org_id, user_id, type_id, archived, version, issue_date,"
    " expiry_date, credential_number, number_key, approval_status, etag_counter, created_at,"
    " created_by, updated_at, updated_by)"
    " VALUES (?1, ?2, ?3, ?4, 0, 1, ?5, ?6, ?7, ?8, ?9, 1, ?10, ?11, ?10, ?11)";

constexpr char kInsertImportedVersion[] =
    "INSERT INTO credential_versions (credential_id, version, issue_date, expiry_date,"
    " credential_number, approval_status, rejection_reason, approved_by, approved_at,"
    " created_at, created_by, updated_at, updated_by)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, ?8, ?9, ?10, ?9, ?10)";

// The credential row follows its latest version; its revision (the ETag) grows by one.
constexpr char kAdvanceCredential[] =
    "UPDATE credentials SET version = ?3, issue_date = ?4, expiry_date = ?5,"
    " credential_number = ?6, number_key = ?7, approval_status = ?8,"
    " etag_counter = etag_counter + 1, updated_at = ?9, updated_by = ?10"
    " WHERE org_id = ?1 AND id = ?2";

// Columns as selected by BF_TARGET_COLUMNS.
Result<ImportTarget> TargetFromRow(const Stmt& row) {
  ImportTarget t;
  t.id = row.Text(0);
  t.user_id = row.Text(1);
  t.type_id = row.Text(2);
  t.archived = row.Int(3) != 0;
  t.version = static_cast<int>(row.Int(4));
  const std::string issue = row.Text(5);
  auto issue_date = ParseIsoDate(issue);
  if (!issue_date)
    return Internal("credential " + t.id + " has a malformed issue_date: '" + issue + "'");
  t.issue_date = *issue_date;
  if (!row.IsNull(6)) {
    const std::string expiry = row.Text(6);
    t.expiry_date = ParseIsoDate(expiry);
    if (!t.expiry_date)
      return Internal("credential " + t.id + " has a malformed expiry_date: '" + expiry + "'");
  }
  t.credential_number = row.Text(7);
  return t;
}

// Binds ?1..?10 of kInsertImportedVersion.
void BindVersion(Stmt& stmt, const ImportedVersion& v) {
  const bool approved = v.approval_status == ApprovalStatus::kApproved;
  stmt.Bind(1, v.credential_id)
      .Bind(2, v.version)
      .Bind(3, FormatIsoDate(v.issue_date))
      .Bind(4, OptDate(v.expiry_date))
      .Bind(5, v.credential_number)
      .Bind(6, ApprovalStatusName(v.approval_status))
      .BindOrNull(7, v.approved_by);
  if (approved) {
    stmt.Bind(8, ToMillis(v.at));
  } else {
    stmt.Bind(8, std::nullopt);
  }
  stmt.Bind(9, ToMillis(v.at)).BindOrNull(10, v.actor_id);
}

}  // namespace

Result<std::vector<ImportUser>> SqlUnitOfWork::ListImportUsers(const std::string& org_id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kListImportUsers));
  stmt.Bind(1, org_id);
  std::vector<ImportUser> users;
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    users.push_back({stmt.Text(0), stmt.Text(1), stmt.Text(2), stmt.Text(3) == "active"});
  }
  return users;
}

Result<std::vector<ImportType>> SqlUnitOfWork::ListImportTypes(const std::string& org_id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kListImportTypes));
  stmt.Bind(1, org_id);
  std::vector<ImportType> types;
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    types.push_back({stmt.Text(0), stmt.Text(1), stmt.Int(2) != 0});
  }
  return types;
}

Result<std::optional<ImportTarget>> SqlUnitOfWork::FindImportTarget(const std::string& org_id,
                                                                    const std::string& id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kFindImportTarget));
  stmt.Bind(1, org_id).Bind(2, id);
  BF_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::nullopt;
  BF_ASSIGN_OR_RETURN(ImportTarget target, TargetFromRow(stmt));
  return target;
}

Result<std::vector<ImportTarget>> SqlUnitOfWork::FindImportTargetsByKey(
    const std::string& org_id, const std::string& user_id, const std::string& type_id,
    const std::string& number_key) {
  BF_ASSIGN_OR_RETURN(auto stmt,
                      conn_->Prepare(dialect_.names_indexes ? kFindImportTargetsByKeyIndexed
                                                            : kFindImportTargetsByKey));
  stmt.Bind(1, org_id).Bind(2, user_id).Bind(3, type_id).Bind(4, number_key);
  std::vector<ImportTarget> targets;
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    BF_ASSIGN_OR_RETURN(ImportTarget target, TargetFromRow(stmt));
    targets.push_back(std::move(target));
  }
  return targets;
}

Status SqlUnitOfWork::InsertImportedCredential(const std::string& org_id,
                                               const ImportedVersion& v) {
  {
    BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kInsertImportedCredential));
    stmt.Bind(1, v.credential_id)
        .Bind(2, org_id)
        .Bind(3, v.user_id)
        .Bind(4, v.type_id)
        .Bind(5, FormatIsoDate(v.issue_date))
        .Bind(6, OptDate(v.expiry_date))
        .Bind(7, v.credential_number)
        .Bind(8, Lower(v.credential_number))
        .Bind(9, ApprovalStatusName(v.approval_status))
        .Bind(10, ToMillis(v.at))
        .BindOrNull(11, v.actor_id);
    BF_RETURN_IF_ERROR(stmt.Run());
  }
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kInsertImportedVersion));
  BindVersion(stmt, v);
  return stmt.Run();
}

Status SqlUnitOfWork::InsertImportedVersion(const std::string& org_id, const ImportedVersion& v) {
  {
    BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kAdvanceCredential));
    stmt.Bind(1, org_id)
        .Bind(2, v.credential_id)
        .Bind(3, v.version)
        .Bind(4, FormatIsoDate(v.issue_date))
        .Bind(5, OptDate(v.expiry_date))
        .Bind(6, v.credential_number)
        .Bind(7, Lower(v.credential_number))
        .Bind(8, ApprovalStatusName(v.approval_status))
        .Bind(9, ToMillis(v.at))
        .BindOrNull(10, v.actor_id);
    BF_RETURN_IF_ERROR(stmt.Run());
    if (stmt.Changes() == 0) return NotFound("credential");
  }
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kInsertImportedVersion));
  BindVersion(stmt, v);
  return stmt.Run();
}

Status SqlUnitOfWork::StageImportedCredential(const std::string& org_id,
                                              const ImportedVersion& v) {
  return InsertImportedCredential(org_id, v);
}

Status SqlUnitOfWork::StageImportedVersion(const std::string& org_id, const ImportedVersion& v) {
  return InsertImportedVersion(org_id, v);
}

Status SqlUnitOfWork::FinishImportedWrites() { return Ok(); }

}  // namespace bf::sql
