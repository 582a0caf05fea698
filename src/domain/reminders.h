// Notification settings and the rules of PRODUCT.md "Notifications": which expiry reminder of a
// credential is due, and which is sent when several are. Pure: no I/O, no clock — "today" and
// the hour are always passed in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/dates.h"

namespace bf {

inline constexpr int kDefaultSendHour = 8;
// A reminder whose date passed more than this many days ago (the server was down, or the
// credential was added after it) is not sent; the later ones of the same version are.
inline constexpr int kReminderCatchUpDays = 7;
// The lead time of the notice on the day of expiry (kind "expired"); real lead times are ≥ 1.
inline constexpr int kOnExpiryLead = 0;

// One user's choices. A user who never changed them has these defaults.
struct NotificationSettings {
  std::string user_id;
  std::string org_id;
  bool email = true;
  bool in_app = true;
  bool expiry_reminders = true;  // off: neither reminders nor the expiry-day notice
  std::vector<int> days_before = {30, 7, 1};
  bool on_expiry = true;
  bool manager_digest = false;  // only for users with credentials.manage
  Timestamp updated_at;
};

enum class Channel { kEmail, kInApp };
std::string_view ChannelName(Channel c);  // "email", "in_app"

// The kind of a reminder with lead time `lead_days`: "expired" for kOnExpiryLead, else
// "expiry_reminder".
std::string_view ReminderKind(int lead_days);

// The last date whose reminders are due at local `today`, `local_hour`: today once the hour
// has reached `send_hour`, else yesterday.
Date DueThrough(Date today, int local_hour, int send_hour);

// The lead times that apply to a credential: the type's own when set, else the holder's; with
// kOnExpiryLead added when the holder wants the expiry-day notice. Empty when the holder turned
// expiry reminders off.
std::vector<int> EffectiveLeads(const NotificationSettings& holder,
                                const std::optional<std::vector<int>>& type_reminder_days);

// The expiry dates whose reminders with one of `leads` may be due through `due_through`
// (catch-up window included), as closed ranges, sorted and merged.
struct ExpiryWindow {
  Date from;
  Date to;
};
std::vector<ExpiryWindow> DueExpiryWindows(const std::vector<int>& leads, Date due_through);

// A reminder already claimed for a credential (any version) on one channel.
struct ClaimedReminder {
  int version = 0;
  int lead_days = 0;
  bool sent = true;  // false: superseded
  Date local_date;   // the organisation's date when it was claimed
};

// The latest version of one credential, as the scan sees it.
struct ReminderSubject {
  int version = 1;
  Date expiry;
  Date created_on;         // the organisation's date when the version was created
  std::vector<int> leads;  // EffectiveLeads
};

// What to do for one credential on one channel: send at most one reminder and claim the other
// due ones as superseded, so that they never go out later.
struct ReminderPlan {
  std::optional<int> send;     // the lead time to send, if any
  std::vector<int> supersede;  // due lead times claimed without sending
};

// ---- What the store keeps for reminders and email ------------------------------------------

// One unarchived credential of an active user, with an expiry date, as the reminder scan reads
// it: the latest version with its holder and type.
struct ReminderCandidate {
  std::string credential_id;
  std::string org_id;
  std::string user_id;
  std::string user_name;
  std::string user_email;
  std::string type_id;
  std::string type_name;
  std::optional<std::vector<int>> type_reminder_days;
  int version = 1;
  Date expiry;
  std::string credential_number;  // "" when none
  Timestamp version_created_at;
};

// A claim of one reminder, one row per (credential, version, lead time, channel).
struct ReminderClaim {
  std::string credential_id;
  int version = 1;
  int lead_days = 0;
  Channel channel = Channel::kInApp;
  std::string org_id;
  std::string user_id;
  bool sent = true;  // false: superseded
  Date local_date;
  Timestamp claimed_at;
};

enum class OutboxStatus { kPending, kSending, kSent, kFailed };
std::string_view OutboxStatusName(OutboxStatus s);

// One email in the outbox, rendered when it was queued.
struct OutboxEmail {
  std::string id;
  std::string dedupe_key;  // what it is about; never queued twice
  std::string org_id;
  std::string user_id;        // the recipient's id, "" when none
  std::string credential_id;  // the credential it is about, "" when none
  std::string kind;           // expiry_reminder, expired, approved, rejected, digest
  std::string recipient;
  std::string subject;
  std::string text_body;
  std::string html_body;
  OutboxStatus status = OutboxStatus::kPending;
  int attempts = 0;
  Timestamp next_attempt_at;
  std::optional<Timestamp> lease_until;
  std::string last_error;
  Timestamp created_at;
  std::optional<Timestamp> sent_at;
};

struct OutboxCounts {
  int64_t pending = 0, sending = 0, sent = 0, failed = 0;
};

// How long to wait before attempt `attempts` + 1 after `attempts` failed ones: `base` doubled
// each time, at most `max`.
Millis RetryDelay(int attempts, Millis base, Millis max);

// The rules, one channel at a time:
//  - a version that had already expired when it was created gets nothing;
//  - a reminder is due when its date (expiry − lead) is ≤ `due_through` and at most
//    kReminderCatchUpDays before it, and it is not claimed yet for this version;
//  - "expiry_reminder"s are due only while the credential has not expired (expiry ≥ today);
//  - of the due ones, the most urgent (smallest lead) is sent, the others superseded;
//  - at most one "expiry_reminder" a credential a day: when one was sent on `today` already,
//    the next waits for tomorrow (the expiry-day notice does not wait).
ReminderPlan PlanReminders(const ReminderSubject& subject,
                           const std::vector<ClaimedReminder>& claimed, Date today,
                           Date due_through);

}  // namespace bf
