// Notification settings: one's own, and with users.manage anyone's in the organisation.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "domain/model.h"
#include "domain/reminders.h"
#include "service/context.h"

namespace bf {

// The fields of a PUT body, as sent; an absent field keeps its current value.
struct NotificationSettingsPatch {
  std::optional<bool> email;
  std::optional<bool> in_app;
  std::optional<bool> expiry_reminders;
  std::optional<std::vector<int>> days_before;
  std::optional<bool> on_expiry;
  std::optional<bool> manager_digest;
};

class NotificationSettingsService {
 public:
  explicit NotificationSettingsService(ServiceContext ctx) : ctx_(ctx) {}

  // The settings of `user_id` ("" or the actor's own id: one's own). Another user's need
  // users.manage (403); a user of another organisation, or none, answers 404.
  Result<NotificationSettings> Get(const Actor& actor, const std::string& user_id);
  // As Get, then applies `patch`. 422 naming the field: days_before (ValidateLeadTimes:
  // required, too_many, out_of_range, duplicate), manager_digest ("not_allowed" for a user
  // without credentials.manage).
  Result<NotificationSettings> Update(const Actor& actor, const std::string& user_id,
                                      const NotificationSettingsPatch& patch);

 private:
  ServiceContext ctx_;
};

}  // namespace bf
