#include "service/notification_service.h"

#include "core/ids.h"

namespace bf {

Result<std::vector<Notification>> NotificationService::List(const Actor& actor, bool unread_only,
                                                            int limit,
                                                            const std::string& before_id) {
  if (!before_id.empty() && !IsUuid(before_id)) {
    return Fail(ErrorCode::kBadRequest, "invalid_cursor", "the cursor is not one this server gave");
  }
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
  return uow->ListNotifications(actor.user_id, unread_only, limit, before_id);
}

Result<int64_t> NotificationService::UnreadCount(const Actor& actor) {
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
  return uow->CountUnreadNotifications(actor.user_id);
}

Status NotificationService::MarkRead(const Actor& actor, const std::string& id) {
  if (!IsUuid(id)) return NotFound("notification");
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_ASSIGN_OR_RETURN(bool found, uow->MarkNotificationRead(actor.user_id, id, ctx_.clock.Now()));
  if (!found) return NotFound("notification");
  return uow->Commit();
}

Status NotificationService::MarkAllRead(const Actor& actor) {
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_RETURN_IF_ERROR(uow->MarkAllNotificationsRead(actor.user_id, ctx_.clock.Now()));
  return uow->Commit();
}

}  // namespace bf
