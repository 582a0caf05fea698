// One's own in-app notifications.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "domain/model.h"
#include "service/context.h"

namespace bf {

class NotificationService {
 public:
  explicit NotificationService(ServiceContext ctx) : ctx_(ctx) {}

  // Newest first; `before_id` continues a previous page.
  Result<std::vector<Notification>> List(const Actor& actor, bool unread_only, int limit,
                                         const std::string& before_id);
  Result<int64_t> UnreadCount(const Actor& actor);
  // 404 for a notification that is not the actor's.
  Status MarkRead(const Actor& actor, const std::string& id);
  Status MarkAllRead(const Actor& actor);

 private:
  ServiceContext ctx_;
};

}  // namespace bf
