// Users. Every read joins the user's permission set for its name and permissions.
#include <string>

#include "domain/validation.h"
#include "store/sql/sql_util.h"
#include "store/sql/unit_of_work.h"

namespace bf::sql {
namespace {

// The select list that UserFromRow reads; each read below appends its WHERE.
#define BF_SELECT_USER                                                             \
  "SELECT u.id, u.org_id, u.email, u.name, u.status, u.permission_set_id, p.name," \
  " p.permissions, u.password_hash, u.created_at, u.updated_at"                    \
  " FROM users u JOIN permission_sets p ON p.id = u.permission_set_id "

constexpr char kInsertUser[] =
    "INSERT INTO users (id, org_id, email, email_key, name, name_key, status, permission_set_id,"
    " password_hash, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

constexpr char kFindUser[] = BF_SELECT_USER "WHERE u.org_id = ?1 AND u.id = ?2";

constexpr char kFindUserByEmail[] = BF_SELECT_USER "WHERE u.org_id = ?1 AND u.email_key = ?2";

constexpr char kFindUsersByEmailInAnyOrg[] =
    BF_SELECT_USER "WHERE u.email_key = ?1 ORDER BY u.created_at, u.id";

// ?2: '' or a LIKE pattern over the lower-cased keys; ?3: '' or a status; ?4: '' or a set id.
// The keyset pair (?5, ?6) is always bound ('' and '' before the first page: every row sorts
// after it), so the row-value comparison can use users_by_name.
constexpr char kListUsers[] = BF_SELECT_USER
    "WHERE u.org_id = ?1"
    " AND (?2 = '' OR u.name_key LIKE ?2 ESCAPE '\\' OR u.email_key LIKE ?2 ESCAPE '\\')"
    " AND (?3 = '' OR u.status = ?3)"
    " AND (?4 = '' OR u.permission_set_id = ?4)"
    " AND (u.name_key, u.id) > (?5, ?6)"
    " ORDER BY u.name_key, u.id LIMIT ?7";

#undef BF_SELECT_USER

constexpr char kUpdateUser[] =
    "UPDATE users SET email = ?3, email_key = ?4, name = ?5, name_key = ?6, status = ?7,"
    " permission_set_id = ?8, password_hash = ?9, updated_at = ?10"
    " WHERE org_id = ?1 AND id = ?2";

std::string_view StatusName(UserStatus status) {
  return status == UserStatus::kDeactivated ? "deactivated" : "active";
}

// Columns as selected by BF_SELECT_USER.
User UserFromRow(const Stmt& row) {
  User user;
  user.id = row.Text(0);
  user.org_id = row.Text(1);
  user.email = row.Text(2);
  user.name = row.Text(3);
  // The CHECK constraint admits only these two.
  user.status = row.Text(4) == "deactivated" ? UserStatus::kDeactivated : UserStatus::kActive;
  user.permission_set_id = row.Text(5);
  user.permission_set_name = row.Text(6);
  user.permissions = Permissions(static_cast<uint32_t>(row.Int(7)));
  user.password_hash = row.Text(8);
  user.created_at = FromMillis(row.Int(9));
  user.updated_at = FromMillis(row.Int(10));
  return user;
}

Result<std::vector<User>> CollectUsers(Stmt& stmt) {
  std::vector<User> users;
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    users.push_back(UserFromRow(stmt));
  }
  return users;
}

Error EmailTaken(Connection* conn, Error failure) {
  return ConstraintError(conn, std::move(failure), Constraint::kUnique, "email_taken",
                         "a user with this email already exists");
}

}  // namespace

Status SqlUnitOfWork::InsertUser(const User& user) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kInsertUser));
  stmt.Bind(1, user.id)
      .Bind(2, user.org_id)
      .Bind(3, user.email)
      .Bind(4, Lower(user.email))
      .Bind(5, user.name)
      .Bind(6, Lower(user.name))
      .Bind(7, StatusName(user.status))
      .Bind(8, user.permission_set_id)
      .Bind(9, user.password_hash)
      .Bind(10, ToMillis(user.created_at))
      .Bind(11, ToMillis(user.updated_at));
  auto ran = stmt.RunGuarded();
  if (!ran) return tl::unexpected(EmailTaken(conn_, std::move(ran).error()));
  return Ok();
}

Result<std::optional<User>> SqlUnitOfWork::FindUser(const std::string& org_id,
                                                    const std::string& id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kFindUser));
  stmt.Bind(1, org_id).Bind(2, id);
  BF_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::nullopt;
  return UserFromRow(stmt);
}

Result<std::optional<User>> SqlUnitOfWork::FindUserByEmail(const std::string& org_id,
                                                           const std::string& email) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kFindUserByEmail));
  stmt.Bind(1, org_id).Bind(2, Lower(email));
  BF_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::nullopt;
  return UserFromRow(stmt);
}

Result<std::vector<User>> SqlUnitOfWork::FindUsersByEmailInAnyOrg(const std::string& email) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kFindUsersByEmailInAnyOrg));
  stmt.Bind(1, Lower(email));
  return CollectUsers(stmt);
}

Result<std::vector<User>> SqlUnitOfWork::ListUsers(const std::string& org_id,
                                                   const UserFilter& filter) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kListUsers));
  stmt.Bind(1, org_id)
      .Bind(2, filter.q.empty() ? std::string() : ContainsPattern(Lower(filter.q)))
      .Bind(3, filter.status ? StatusName(*filter.status) : std::string_view(""))
      .Bind(4, filter.permission_set_id)
      .Bind(5, filter.after ? Lower(filter.after->first) : std::string())
      .Bind(6, filter.after ? filter.after->second : std::string())
      .Bind(7, filter.limit);
  return CollectUsers(stmt);
}

Status SqlUnitOfWork::UpdateUser(const User& user) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kUpdateUser));
  stmt.Bind(1, user.org_id)
      .Bind(2, user.id)
      .Bind(3, user.email)
      .Bind(4, Lower(user.email))
      .Bind(5, user.name)
      .Bind(6, Lower(user.name))
      .Bind(7, StatusName(user.status))
      .Bind(8, user.permission_set_id)
      .Bind(9, user.password_hash)
      .Bind(10, ToMillis(user.updated_at));
  auto ran = stmt.RunGuarded();
  if (!ran) return tl::unexpected(EmailTaken(conn_, std::move(ran).error()));
  return TouchedOne(stmt, "user");
}

}  // namespace bf::sql
