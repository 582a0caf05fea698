// What a notification says, in-app and by email, and how one is handed to its channels. Shared
// by the reminder scan, the daily digest and the approval decisions.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "domain/credentials.h"
#include "domain/model.h"
#include "domain/reminders.h"
#include "service/context.h"
#include "store/store.h"

namespace bf {

// One notice in every form it may take.
struct NoticeText {
  std::string kind;   // expiry_reminder, expired, approved, rejected, digest
  std::string title;  // in-app title, also the email subject
  std::string body;   // in-app body
  std::string email_text;
  std::string email_html;
};

// The link to a credential in the web interface.
std::string CredentialLink(const std::string& public_url, const std::string& credential_id);

// The reminder with lead time `lead_days` (kOnExpiryLead: the expiry-day notice) of
// `credential`, written on the organisation's local date `today`. Dates are in the
// organisation's format.
NoticeText ReminderNotice(const ReminderCandidate& credential, int lead_days, Date today,
                          const Organization& org, const std::string& public_url);

// An approval or rejection of the latest version of `credential`, already decided: in-app
// title and body as given, and the email built around them.
NoticeText DecisionNotice(const Credential& credential, const Notification& in_app,
                          const Organization& org, const std::string& public_url);

// What the manager digest lists: counts and the first credentials of each kind.
struct DigestContent {
  int64_t pending = 0, expired = 0, expiring_soon = 0;
  std::vector<Credential> pending_items, expired_items, expiring_items;
  // Per group with members who may not start work (REQUIREMENTS.md "Notices"): name, deny count.
  std::vector<std::pair<std::string, int64_t>> group_denies;
};
NoticeText DigestNotice(const DigestContent& content, const User& manager, Date today,
                        const Organization& org, const std::string& public_url);

// The holder's settings, or the defaults when they never changed them.
Result<NotificationSettings> SettingsOrDefaults(UnitOfWork& uow, const std::string& org_id,
                                                const std::string& user_id);

// The in-app notification of `notice` for `user_id`, written in the caller's unit of work.
// Returns its id.
Result<std::string> WriteInApp(UnitOfWork& uow, const ServiceContext& ctx,
                               const std::string& org_id, const std::string& user_id,
                               const std::string& credential_id, const NoticeText& notice);
// Queues `notice` as an email to `address` in the caller's unit of work; false when an email
// with `dedupe_key` was queued before (nothing is queued then).
Result<bool> QueueEmail(UnitOfWork& uow, const ServiceContext& ctx, const std::string& org_id,
                        const std::string& user_id, const std::string& address,
                        const std::string& credential_id, const NoticeText& notice,
                        const std::string& dedupe_key);

// Appends `notification.sent` to the activity log: the system delivered notice `id` (an in-app
// notification or an outbox email) of `kind` on `channel` to the user.
Status LogSent(UnitOfWork& uow, Timestamp at, const std::string& org_id, const std::string& id,
               const std::string& user_id, const std::string& user_name,
               const std::string& credential_id, const std::string& kind, Channel channel,
               const std::string& title);

// A notice of an approval or rejection (`note`, as CredentialService writes it) to the holder
// of `credential`, on the holder's channels. In the caller's unit of work.
Status SendDecisionNotice(UnitOfWork& uow, const ServiceContext& ctx, const Organization& org,
                          const Credential& credential, const Notification& note);

}  // namespace bf
