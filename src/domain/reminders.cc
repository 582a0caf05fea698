#include "domain/reminders.h"

#include <algorithm>

namespace bf {

std::string_view ChannelName(Channel c) {
  switch (c) {
    case Channel::kEmail:
      return "email";
    case Channel::kInApp:
      return "in_app";
  }
  return "email";
}

std::string_view OutboxStatusName(OutboxStatus s) {
  switch (s) {
    case OutboxStatus::kPending:
      return "pending";
    case OutboxStatus::kSending:
      return "sending";
    case OutboxStatus::kSent:
      return "sent";
    case OutboxStatus::kFailed:
      return "failed";
  }
  return "pending";
}

Millis RetryDelay(int attempts, Millis base, Millis max) {
  Millis delay = base;
  for (int i = 1; i < attempts && delay < max; ++i) delay *= 2;
  return std::min(delay, max);
}

std::string_view ReminderKind(int lead_days) {
  return lead_days == kOnExpiryLead ? "expired" : "expiry_reminder";
}

Date DueThrough(Date today, int local_hour, int send_hour) {
  return local_hour >= send_hour ? today : today - date::days(1);
}

std::vector<int> EffectiveLeads(const NotificationSettings& holder,
                                const std::optional<std::vector<int>>& type_reminder_days) {
  std::vector<int> leads;
  if (!holder.expiry_reminders) return leads;
  leads = type_reminder_days ? *type_reminder_days : holder.days_before;
  if (holder.on_expiry) leads.push_back(kOnExpiryLead);
  std::sort(leads.begin(), leads.end());
  leads.erase(std::unique(leads.begin(), leads.end()), leads.end());
  return leads;
}

std::vector<ExpiryWindow> DueExpiryWindows(const std::vector<int>& leads, Date due_through) {
  std::vector<int> sorted = leads;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::vector<ExpiryWindow> windows;
  for (int lead : sorted) {
    // expiry − lead ∈ [due_through − catch-up, due_through]
    ExpiryWindow w{due_through - date::days(kReminderCatchUpDays) + date::days(lead),
                   due_through + date::days(lead)};
    if (!windows.empty() && w.from <= windows.back().to + date::days(1)) {
      windows.back().to = std::max(windows.back().to, w.to);
    } else {
      windows.push_back(w);
    }
  }
  return windows;
}

ReminderPlan PlanReminders(const ReminderSubject& subject,
                           const std::vector<ClaimedReminder>& claimed, Date today,
                           Date due_through) {
  ReminderPlan plan;
  if (subject.expiry < subject.created_on) return plan;  // expired when created
  const Date oldest = due_through - date::days(kReminderCatchUpDays);
  std::vector<int> due;
  for (int lead : subject.leads) {
    const Date reminder_date = subject.expiry - date::days(lead);
    if (reminder_date > due_through || reminder_date < oldest) continue;
    if (lead != kOnExpiryLead && subject.expiry < today) continue;  // no longer "expiring"
    bool taken = std::any_of(claimed.begin(), claimed.end(), [&](const ClaimedReminder& c) {
      return c.version == subject.version && c.lead_days == lead;
    });
    if (!taken) due.push_back(lead);
  }
  if (due.empty()) return plan;
  std::sort(due.begin(), due.end());
  const int most_urgent = due.front();
  if (most_urgent != kOnExpiryLead) {
    bool sent_today = std::any_of(claimed.begin(), claimed.end(), [&](const ClaimedReminder& c) {
      return c.sent && c.lead_days != kOnExpiryLead && c.local_date == today;
    });
    if (sent_today) return plan;  // tomorrow
  }
  plan.send = most_urgent;
  plan.supersede.assign(due.begin() + 1, due.end());
  return plan;
}

}  // namespace bf
