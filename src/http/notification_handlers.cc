// Notification settings: one's own (/me) and, with users.manage, anyone's (/users/{id}).
#include "http/notification_handlers.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "http/handlers.h"
#include "http/json_io.h"

namespace bf::http {
namespace {

boost::json::object SettingsJson(const NotificationSettings& s) {
  boost::json::array days;
  for (int d : s.days_before) days.push_back(d);
  return {
      {"email", s.email},
      {"in_app", s.in_app},
      {"expiry_reminders", s.expiry_reminders},
      {"days_before", std::move(days)},
      {"on_expiry", s.on_expiry},
      {"manager_digest", s.manager_digest},
  };
}

// days_before as sent. Any integer is read (clamped: one too large for an int is out of the
// accepted range anyway, and ValidateLeadTimes says so with a 422 naming the field); anything
// but a list of integers is a 400 wrong_type.
std::optional<std::vector<int>> LeadTimes(const boost::json::object& body,
                                          std::vector<FieldError>& errors) {
  const boost::json::value* v = body.if_contains("days_before");
  if (v == nullptr) return std::nullopt;
  auto wrong = [&] {
    errors.push_back({"days_before", "wrong_type", "must be a list of whole numbers of days"});
    return std::nullopt;
  };
  if (!v->is_array()) return wrong();
  std::vector<int> days;
  constexpr double kClamp = 1'000'000;
  for (const auto& item : v->as_array()) {
    double n = 0;
    if (item.is_int64())
      n = static_cast<double>(item.as_int64());
    else if (item.is_uint64())
      n = static_cast<double>(item.as_uint64());
    else if (item.is_double() && std::trunc(item.as_double()) == item.as_double())
      n = item.as_double();
    else
      return wrong();
    days.push_back(static_cast<int>(std::clamp(n, -kClamp, kClamp)));
  }
  return days;
}

Result<NotificationSettingsPatch> DecodeSettings(const Request& req) {
  BF_ASSIGN_OR_RETURN(auto body, ParseJsonObject(req));
  JsonFields f(
      body, {"email", "in_app", "expiry_reminders", "days_before", "on_expiry", "manager_digest"});
  NotificationSettingsPatch patch;
  patch.email = f.Bool("email");
  patch.in_app = f.Bool("in_app");
  patch.expiry_reminders = f.Bool("expiry_reminders");
  patch.on_expiry = f.Bool("on_expiry");
  patch.manager_digest = f.Bool("manager_digest");
  Status checked = f.Check();
  std::vector<FieldError> errors = checked ? std::vector<FieldError>() : checked.error().fields;
  patch.days_before = LeadTimes(body, errors);
  if (!errors.empty()) {
    return tl::unexpected(Error{ErrorCode::kBadRequest,
                                "bad_request",
                                "the request body has unknown or mistyped fields",
                                {},
                                errors});
  }
  // PUT replaces: every field is given, so the "patch" sets them all.
  BF_RETURN_IF_ERROR(f.RequireAll());
  return patch;
}

}  // namespace

Result<Response> GetMyNotificationSettings(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto s, api.services.notification_settings.Get(ctx.actor(), ""));
  return JsonResponse(200, SettingsJson(s));
}

Result<Response> PutMyNotificationSettings(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto patch, DecodeSettings(ctx.request));
  BF_ASSIGN_OR_RETURN(auto s, api.services.notification_settings.Update(ctx.actor(), "", patch));
  return JsonResponse(200, SettingsJson(s));
}

Result<Response> GetUserNotificationSettings(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto s, api.services.notification_settings.Get(ctx.actor(), ctx.Param("id")));
  return JsonResponse(200, SettingsJson(s));
}

Result<Response> PutUserNotificationSettings(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto patch, DecodeSettings(ctx.request));
  BF_ASSIGN_OR_RETURN(
      auto s, api.services.notification_settings.Update(ctx.actor(), ctx.Param("id"), patch));
  return JsonResponse(200, SettingsJson(s));
}

}  // namespace bf::http
