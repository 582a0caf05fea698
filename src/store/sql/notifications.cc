// In-app notifications: one user's, newest first by seq (the order they were written).
#include <cstdint>
#include <limits>
#include <string>

#include "store/sql/sql_util.h"
#include "store/sql/unit_of_work.h"

namespace bf::sql {
namespace {

constexpr char kInsertNotification[] =
    "INSERT INTO notifications (id, org_id, user_id, kind, credential_id, title, body,"
    " created_at, read_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

// The position of a page's last entry, among the user's own.
constexpr char kFindNotificationSeq[] =
    "SELECT seq FROM notifications WHERE user_id = ?1 AND id = ?2";

// ?2: the keyset bound (the largest seq for the first page). Both read notifications_by_user
// (user_id, seq); the unread list says `read_at IS NULL` literally so that it can read the
// partial index notifications_unread instead.
#define BF_SELECT_NOTIFICATION                                                        \
  "SELECT id, org_id, user_id, kind, credential_id, title, body, created_at, read_at" \
  " FROM notifications WHERE user_id = ?1 AND seq < ?2"

constexpr char kListNotifications[] = BF_SELECT_NOTIFICATION " ORDER BY seq DESC LIMIT ?3";

constexpr char kListUnreadNotifications[] =
    BF_SELECT_NOTIFICATION " AND read_at IS NULL ORDER BY seq DESC LIMIT ?3";

#undef BF_SELECT_NOTIFICATION

// An entry already read keeps the time it was first read.
constexpr char kMarkNotificationRead[] =
    "UPDATE notifications SET read_at = COALESCE(read_at, ?3) WHERE user_id = ?1 AND id = ?2";

constexpr char kMarkAllNotificationsRead[] =
    "UPDATE notifications SET read_at = ?2 WHERE user_id = ?1 AND read_at IS NULL";

constexpr char kCountUnreadNotifications[] =
    "SELECT COUNT(*) FROM notifications WHERE user_id = ?1 AND read_at IS NULL";

// Columns as selected by BF_SELECT_NOTIFICATION.
Notification NotificationFromRow(const Stmt& row) {
  Notification n;
  n.id = row.Text(0);
  n.org_id = row.Text(1);
  n.user_id = row.Text(2);
  n.kind = row.Text(3);
  n.credential_id = row.Text(4);  // NULL reads as ""
  n.title = row.Text(5);
  n.body = row.Text(6);
  n.created_at = FromMillis(row.Int(7));
  if (auto at = row.OptInt(8)) n.read_at = FromMillis(*at);
  return n;
}

}  // namespace

Status SqlUnitOfWork::InsertNotification(const Notification& notification) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kInsertNotification));
  stmt.Bind(1, notification.id)
      .Bind(2, notification.org_id)
      .Bind(3, notification.user_id)
      .Bind(4, notification.kind)
      .BindOrNull(5, notification.credential_id)
      .Bind(6, notification.title)
      .Bind(7, notification.body)
      .Bind(8, ToMillis(notification.created_at));
  if (notification.read_at) {
    stmt.Bind(9, ToMillis(*notification.read_at));
  } else {
    stmt.Bind(9, std::nullopt);
  }
  return stmt.Run();
}

Result<std::vector<Notification>> SqlUnitOfWork::ListNotifications(const std::string& user_id,
                                                                   bool unread_only, int limit,
                                                                   const std::string& before_id) {
  int64_t before_seq = std::numeric_limits<int64_t>::max();
  if (!before_id.empty()) {
    BF_ASSIGN_OR_RETURN(auto find, conn_->Prepare(kFindNotificationSeq));
    find.Bind(1, user_id).Bind(2, before_id);
    BF_ASSIGN_OR_RETURN(bool found, find.Step());
    if (!found) {
      return Fail(ErrorCode::kBadRequest, "invalid_cursor", "the cursor is not one of this list");
    }
    before_seq = find.Int(0);
  }
  BF_ASSIGN_OR_RETURN(auto stmt,
                      conn_->Prepare(unread_only ? kListUnreadNotifications : kListNotifications));
  stmt.Bind(1, user_id).Bind(2, before_seq).Bind(3, limit);
  std::vector<Notification> out;
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(NotificationFromRow(stmt));
  }
  return out;
}

Result<bool> SqlUnitOfWork::MarkNotificationRead(const std::string& user_id, const std::string& id,
                                                 Timestamp at) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kMarkNotificationRead));
  stmt.Bind(1, user_id).Bind(2, id).Bind(3, ToMillis(at));
  BF_RETURN_IF_ERROR(stmt.Run());
  return stmt.Changes() > 0;
}

Status SqlUnitOfWork::MarkAllNotificationsRead(const std::string& user_id, Timestamp at) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kMarkAllNotificationsRead));
  stmt.Bind(1, user_id).Bind(2, ToMillis(at));
  return stmt.Run();
}

Result<int64_t> SqlUnitOfWork::CountUnreadNotifications(const std::string& user_id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kCountUnreadNotifications));
  stmt.Bind(1, user_id);
  BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Internal("COUNT returned no row");
  return stmt.Int(0);
}

}  // namespace bf::sql
