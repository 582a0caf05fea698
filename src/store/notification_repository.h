// In-app notifications, reminders and the email outbox (store/sql/notifications.cc,
// reminders.cc). Part of every UnitOfWork (store.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/dates.h"
#include "core/result.h"
#include "domain/model.h"
#include "domain/reminders.h"

namespace bf {

class NotificationRepository {
 public:
  virtual ~NotificationRepository() = default;

  // In-app notifications.
  virtual Status InsertNotification(const Notification& notification) = 0;
  // Newest first; `before_id`: keyset (entries created before that one); limit rows.
  virtual Result<std::vector<Notification>> ListNotifications(const std::string& user_id,
                                                              bool unread_only, int limit,
                                                              const std::string& before_id) = 0;
  // False when the user has no such notification.
  virtual Result<bool> MarkNotificationRead(const std::string& user_id, const std::string& id,
                                            Timestamp at) = 0;
  virtual Status MarkAllNotificationsRead(const std::string& user_id, Timestamp at) = 0;
  virtual Result<int64_t> CountUnreadNotifications(const std::string& user_id) = 0;

  // Reminders and digests.
  // The user's settings; nullopt when they never changed them (the defaults apply).
  virtual Result<std::optional<NotificationSettings>> FindNotificationSettings(
      const std::string& org_id, const std::string& user_id) = 0;
  // Inserts or replaces the user's settings.
  virtual Status SaveNotificationSettings(const NotificationSettings& settings) = 0;
  // The distinct lead-time lists that users of the organisation chose (not the defaults).
  virtual Result<std::vector<std::vector<int>>> ListChosenLeadTimes(const std::string& org_id) = 0;
  // Users of the organisation who opted into the manager digest (active or not), by id.
  virtual Result<std::vector<std::string>> ListDigestSubscribers(const std::string& org_id) = 0;
  // Unarchived credentials of active users whose latest version expires within [from, to],
  // ordered by (expiry, id), strictly after `after` when given; at most `limit`. Reads the
  // expiry index: never every credential.
  virtual Result<std::vector<ReminderCandidate>> ListReminderCandidates(
      const std::string& org_id, Date from, Date to,
      const std::optional<std::pair<Date, std::string>>& after, int limit) = 0;
  // Every reminder claimed for the credential on `channel`, all versions.
  virtual Result<std::vector<ClaimedReminder>> ListReminderClaims(const std::string& credential_id,
                                                                  Channel channel) = 0;
  // Claims a reminder; false when it was claimed already (by another pass or node).
  virtual Result<bool> ClaimReminder(const ReminderClaim& claim) = 0;
  // Claims the digest of `local_date` for a user on a channel; false when claimed already.
  virtual Result<bool> ClaimDigest(const std::string& org_id, const std::string& user_id,
                                   Date local_date, Channel channel, Timestamp at) = 0;

  // The email outbox.
  // Queues an email; false (and nothing queued) when one with its dedupe_key exists.
  virtual Result<bool> EnqueueEmail(const OutboxEmail& email) = 0;
  // Takes the next email due at `now` (pending with next_attempt_at ≤ now, or sending with a
  // lease that ran out), marks it sending until `lease_until` and counts the attempt. nullopt
  // when none is due. The claim is one statement: two senders (threads or nodes) leasing at
  // once never take the same email.
  virtual Result<std::optional<OutboxEmail>> LeaseEmail(Timestamp now, Timestamp lease_until) = 0;
  // Writes the outcome of an attempt: status, next_attempt_at, last_error, sent_at; clears the
  // lease.
  virtual Status FinishEmail(const OutboxEmail& email) = 0;
  virtual Result<std::optional<OutboxEmail>> FindEmail(const std::string& dedupe_key) = 0;
  virtual Result<OutboxCounts> CountOutbox() = 0;
};

}  // namespace bf
