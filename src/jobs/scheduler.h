// The reminder scheduler inside the server: one thread of its own running an Asio timer, so a
// slow mail server never holds up a request, and requests never hold up reminders.
#pragma once

#include <chrono>
#include <memory>

#include "service/mailer.h"
#include "service/reminder_service.h"

namespace bf::jobs {

struct SchedulerOptions {
  std::chrono::milliseconds scan_interval{60'000};    // how often due reminders are claimed
  std::chrono::milliseconds deliver_interval{5'000};  // how often the outbox is sent
  int max_messages_per_tick = 100;
};

class Scheduler {
 public:
  // `mailer` may be null (email off); both must outlive the scheduler.
  Scheduler(ReminderService& reminders, Mailer* mailer, SchedulerOptions options);
  ~Scheduler();  // Stop()
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Starts the thread; the first pass runs at once.
  void Start();
  // Stops the timer and waits for a pass in progress to end. Thread-safe; idempotent.
  void Stop();

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// One pass as `bonafides notify --once` runs it: scan, then deliver every due email (mailer may
// be null). Returns what it did; errors are the store's.
struct PassReport {
  ScanReport scan;
  DeliveryReport delivery;
};
Result<PassReport> RunPassOnce(ReminderService& reminders, Mailer* mailer);

}  // namespace bf::jobs
