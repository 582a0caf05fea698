#include "service/notification_settings_service.h"

#include "core/ids.h"
#include "domain/validation.h"
#include "service/notices.h"

namespace bf {
namespace {

// The user whose settings `actor` asks for, if the actor may see them.
Result<User> Target(UnitOfWork& uow, const Actor& actor, const std::string& user_id) {
  const std::string id = user_id.empty() ? actor.user_id : user_id;
  if (!IsUuid(id)) return NotFound("user");
  BF_ASSIGN_OR_RETURN(auto user, uow.FindUser(actor.org_id, id));
  if (!user) return NotFound("user");
  if (user->id != actor.user_id && !actor.Can(Permission::kUsersManage)) {
    return Forbidden("another user's notification settings need users.manage");
  }
  return *user;
}

}  // namespace

Result<NotificationSettings> NotificationSettingsService::Get(const Actor& actor,
                                                              const std::string& user_id) {
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
  BF_ASSIGN_OR_RETURN(User user, Target(*uow, actor, user_id));
  return SettingsOrDefaults(*uow, actor.org_id, user.id);
}

Result<NotificationSettings> NotificationSettingsService::Update(
    const Actor& actor, const std::string& user_id, const NotificationSettingsPatch& patch) {
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_ASSIGN_OR_RETURN(User user, Target(*uow, actor, user_id));
  if (patch.days_before) BF_RETURN_IF_ERROR(ValidateLeadTimes("days_before", *patch.days_before));
  BF_ASSIGN_OR_RETURN(NotificationSettings s, SettingsOrDefaults(*uow, actor.org_id, user.id));
  if (patch.manager_digest.value_or(false) &&
      !user.permissions.Has(Permission::kCredentialsManage)) {
    return FailField("manager_digest", "not_allowed",
                     "the manager digest is for users with credentials.manage");
  }
  if (patch.email) s.email = *patch.email;
  if (patch.in_app) s.in_app = *patch.in_app;
  if (patch.expiry_reminders) s.expiry_reminders = *patch.expiry_reminders;
  if (patch.days_before) s.days_before = *patch.days_before;
  if (patch.on_expiry) s.on_expiry = *patch.on_expiry;
  if (patch.manager_digest) s.manager_digest = *patch.manager_digest;
  s.updated_at = ctx_.clock.Now();
  BF_RETURN_IF_ERROR(uow->SaveNotificationSettings(s));
  BF_RETURN_IF_ERROR(uow->Commit());
  return s;
}

}  // namespace bf
