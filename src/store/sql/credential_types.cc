// Credential types. Reads count the credentials of each type, archived ones included.
#include <charconv>
#include <string>

#include "domain/validation.h"
#include "store/sql/sql_util.h"
#include "store/sql/unit_of_work.h"

namespace bf::sql {
namespace {

// The select list that CredentialTypeFromRow reads. The count, archived credentials included,
// is the sum of the type's few rows of credential_counts_by_approval (migration 0005): counting
// the type's entries of credentials_by_type took 2 ms at 33,000 credentials a type, under the
// write lock of every credential write that loads its type.
#define BF_SELECT_CREDENTIAL_TYPE                                             \
  "SELECT t.id, t.org_id, t.name, t.description, t.expires, t.reminder_days," \
  " t.created_at, t.updated_at,"                                              \
  " (SELECT COALESCE(SUM(n), 0) FROM credential_counts_by_approval k"         \
  "  WHERE k.org_id = t.org_id AND k.type_id = t.id)"                         \
  " FROM credential_types t "

constexpr char kInsertCredentialType[] =
    "INSERT INTO credential_types (id, org_id, name, name_key, description, expires,"
    " reminder_days, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

constexpr char kFindCredentialType[] =
    BF_SELECT_CREDENTIAL_TYPE "WHERE t.org_id = ?1 AND t.id = ?2";

constexpr char kFindCredentialTypeByName[] =
    BF_SELECT_CREDENTIAL_TYPE "WHERE t.org_id = ?1 AND t.name_key = ?2";

// ?2: '' or a LIKE pattern over the lower-cased name.
constexpr char kListCredentialTypes[] = BF_SELECT_CREDENTIAL_TYPE
    "WHERE t.org_id = ?1 AND (?2 = '' OR t.name_key LIKE ?2 ESCAPE '\\')"
    " ORDER BY t.name_key, t.id";

#undef BF_SELECT_CREDENTIAL_TYPE

constexpr char kUpdateCredentialType[] =
    "UPDATE credential_types SET name = ?3, name_key = ?4, description = ?5, expires = ?6,"
    " reminder_days = ?7, updated_at = ?8"
    " WHERE org_id = ?1 AND id = ?2";

constexpr char kDeleteCredentialType[] =
    "DELETE FROM credential_types WHERE org_id = ?1 AND id = ?2";

// reminder_days is stored as "30,7,1"; NULL means the users' own lead times.
std::optional<std::string> JoinDays(const std::optional<std::vector<int>>& days) {
  if (!days) return std::nullopt;
  std::string out;
  for (int d : *days) {
    if (!out.empty()) out.push_back(',');
    out += std::to_string(d);
  }
  return out;
}

Result<std::optional<std::vector<int>>> SplitDays(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  std::vector<int> days;
  std::string_view rest = *text;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    int day = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), day);
    if (ec != std::errc() || end != item.data() + item.size()) {
      return Internal("credential type has malformed reminder_days: " + *text);
    }
    days.push_back(day);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  return days;
}

// Columns as selected by BF_SELECT_CREDENTIAL_TYPE.
Result<CredentialType> CredentialTypeFromRow(const Stmt& row) {
  CredentialType type;
  type.id = row.Text(0);
  type.org_id = row.Text(1);
  type.name = row.Text(2);
  type.description = row.Text(3);
  type.expires = row.Int(4) != 0;
  BF_ASSIGN_OR_RETURN(type.reminder_days, SplitDays(row.OptText(5)));
  type.created_at = FromMillis(row.Int(6));
  type.updated_at = FromMillis(row.Int(7));
  type.credential_count = row.Int(8);
  return type;
}

Result<std::optional<CredentialType>> FindOne(Stmt& stmt) {
  BF_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::nullopt;
  BF_ASSIGN_OR_RETURN(CredentialType type, CredentialTypeFromRow(stmt));
  return type;
}

Error NameTaken(Connection* conn, Error failure) {
  return ConstraintError(conn, std::move(failure), Constraint::kUnique, "name_taken",
                         "a credential type with this name already exists");
}

}  // namespace

Status SqlUnitOfWork::InsertCredentialType(const CredentialType& type) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kInsertCredentialType));
  stmt.Bind(1, type.id)
      .Bind(2, type.org_id)
      .Bind(3, type.name)
      .Bind(4, Lower(type.name))
      .Bind(5, type.description)
      .Bind(6, type.expires)
      .Bind(7, JoinDays(type.reminder_days))
      .Bind(8, ToMillis(type.created_at))
      .Bind(9, ToMillis(type.updated_at));
  auto ran = stmt.RunGuarded();
  if (!ran) return tl::unexpected(NameTaken(conn_, std::move(ran).error()));
  return Ok();
}

Result<std::optional<CredentialType>> SqlUnitOfWork::FindCredentialType(const std::string& org_id,
                                                                        const std::string& id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kFindCredentialType));
  stmt.Bind(1, org_id).Bind(2, id);
  return FindOne(stmt);
}

Result<std::optional<CredentialType>> SqlUnitOfWork::FindCredentialTypeByName(
    const std::string& org_id, const std::string& name) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kFindCredentialTypeByName));
  stmt.Bind(1, org_id).Bind(2, Lower(name));
  return FindOne(stmt);
}

Result<std::vector<CredentialType>> SqlUnitOfWork::ListCredentialTypes(const std::string& org_id,
                                                                       const std::string& q) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kListCredentialTypes));
  stmt.Bind(1, org_id).Bind(2, q.empty() ? std::string() : ContainsPattern(Lower(q)));
  std::vector<CredentialType> types;
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    BF_ASSIGN_OR_RETURN(CredentialType type, CredentialTypeFromRow(stmt));
    types.push_back(std::move(type));
  }
  return types;
}

Status SqlUnitOfWork::UpdateCredentialType(const CredentialType& type) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kUpdateCredentialType));
  stmt.Bind(1, type.org_id)
      .Bind(2, type.id)
      .Bind(3, type.name)
      .Bind(4, Lower(type.name))
      .Bind(5, type.description)
      .Bind(6, type.expires)
      .Bind(7, JoinDays(type.reminder_days))
      .Bind(8, ToMillis(type.updated_at));
  auto ran = stmt.RunGuarded();
  if (!ran) return tl::unexpected(NameTaken(conn_, std::move(ran).error()));
  return TouchedOne(stmt, "credential type");
}

Status SqlUnitOfWork::DeleteCredentialType(const std::string& org_id, const std::string& id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kDeleteCredentialType));
  stmt.Bind(1, org_id).Bind(2, id);
  auto ran = stmt.RunGuarded();
  if (!ran) {
    return tl::unexpected(ConstraintError(conn_, std::move(ran).error(), Constraint::kForeignKey,
                                          "in_use", "the credential type has credentials"));
  }
  return TouchedOne(stmt, "credential type");
}

}  // namespace bf::sql
