// Handlers of the notification settings (notification_handlers.cc), kept apart from handlers.h
// so that the notifications work does not touch that shared file.
#pragma once

#include "http/handlers.h"

namespace bf::http {

Result<Response> GetMyNotificationSettings(Api& api, Context& ctx);
Result<Response> PutMyNotificationSettings(Api& api, Context& ctx);
Result<Response> GetUserNotificationSettings(Api& api, Context& ctx);  // users.manage
Result<Response> PutUserNotificationSettings(Api& api, Context& ctx);  // users.manage

}  // namespace bf::http
