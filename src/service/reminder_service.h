// Expiry reminders, the manager digest and the email outbox: what one pass of the scheduler
// (jobs/scheduler.h) or `bonafides notify --once` does.
//
// Exactly once: every reminder is claimed (store: ClaimReminder, ClaimDigest) in the same unit
// of work that writes its in-app notification or queues its email; the claim's key refuses a
// second one whichever pass, node or restart tries. Emails are then delivered from the outbox
// one at a time under a lease; a failure is retried with backoff, then marked failed.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "core/result.h"
#include "domain/reminders.h"
#include "service/context.h"
#include "service/mailer.h"

namespace bf {

struct ScanReport {
  int in_app = 0;         // reminders written in-app
  int emails_queued = 0;  // reminder emails queued
  int superseded = 0;     // due reminders claimed without sending (a more urgent one went)
  int digests = 0;        // digests delivered (per channel)
};

struct DeliveryReport {
  int sent = 0;
  int retrying = 0;            // failed this time, tried again later
  int failed = 0;              // failed for the last time
  bool stopped_early = false;  // the mail server was unreachable: the rest waits
};

// Counts since the process started, for /metrics. Thread-safe.
class NotifyCounters {
 public:
  void Sent(const std::string& kind, Channel channel, int64_t n = 1);
  void Failed(const std::string& kind, int64_t n = 1);
  void Retried(int64_t n = 1);
  // (kind, channel) → count.
  std::map<std::pair<std::string, std::string>, int64_t> sent() const;
  std::map<std::string, int64_t> failed() const;  // kind → count
  int64_t retried() const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, int64_t> sent_;
  std::map<std::string, int64_t> failed_;
  int64_t retried_ = 0;
};

class ReminderService {
 public:
  explicit ReminderService(ServiceContext ctx) : ctx_(ctx) {}

  // Claims and delivers (in-app) or queues (email) every reminder and digest due at the clock's
  // now, in every organisation. Safe to run concurrently with itself and on several nodes: a
  // reminder is claimed once. A failure part-way leaves what was committed claimed and
  // delivered; running again finishes the rest.
  Result<ScanReport> Scan();

  // Sends up to `max_messages` due emails through `mailer`, one at a time. Stops early when the
  // server is unreachable. A crash mid-message leaves the email leased; it is retried once the
  // lease runs out.
  Result<DeliveryReport> Deliver(Mailer& mailer, int max_messages = 100);

  Result<OutboxCounts> CountOutbox();
  const NotifyCounters& counters() const { return counters_; }
  const NotifyOptions& options() const { return ctx_.options.notify; }

 private:
  Status ScanOrganization(const Organization& org, Timestamp now, ScanReport& report);
  Status SendDigests(const Organization& org, Timestamp now, Date today, ScanReport& report);

  ServiceContext ctx_;
  NotifyCounters counters_;
};

}  // namespace bf
