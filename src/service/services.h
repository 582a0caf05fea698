// Every service, built once over one store and clock, shared by HTTP, jobs and the command line.
#pragma once

#include "service/activity_service.h"
#include "service/auth_service.h"
#include "service/context.h"
#include "service/credential_service.h"
#include "service/credential_type_service.h"
#include "service/export_service.h"
#include "service/group_service.h"
#include "service/import_service.h"
#include "service/media_service.h"
#include "service/notification_service.h"
#include "service/notification_settings_service.h"
#include "service/org_service.h"
#include "service/reminder_service.h"
#include "service/user_service.h"

namespace bf {

struct Services {
  explicit Services(ServiceContext context, ThrottleLimits limits = {})
      : ctx(WithPasswords(std::move(context))),
        auth(ctx, limits),
        users(ctx),
        orgs(ctx),
        types(ctx),
        credentials(ctx),
        notifications(ctx),
        activity(ctx),
        notification_settings(ctx),
        reminders(ctx),
        media(ctx),
        imports(ctx),
        exports(ctx),
        groups(ctx) {}

  ServiceContext ctx;
  AuthService auth;
  UserService users;
  OrgService orgs;
  CredentialTypeService types;
  CredentialService credentials;
  NotificationService notifications;
  ActivityService activity;
  // Notifications and reminders.
  NotificationSettingsService notification_settings;
  ReminderService reminders;
  // Media files.
  MediaService media;
  // Bulk upload and export by CSV.
  ImportService imports;
  ExportService exports;
  // Groups, requirements and compliance.
  GroupService groups;
};

}  // namespace bf
