#include "jobs/scheduler.h"

#include <spdlog/spdlog.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <thread>

namespace bf::jobs {

class Scheduler::Impl {
 public:
  Impl(ReminderService& reminders, Mailer* mailer, SchedulerOptions options)
      : reminders_(reminders), mailer_(mailer), options_(options), timer_(io_) {}

  void Start() {
    if (thread_.joinable()) return;
    timer_.expires_after(std::chrono::milliseconds(0));
    timer_.async_wait([this](const boost::system::error_code& ec) { Tick(ec); });
    thread_ = std::thread([this] { io_.run(); });
  }

  void Stop() {
    io_.stop();  // thread-safe: the pass in progress (if any) ends, then run() returns
    if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
  }

 private:
  void Tick(const boost::system::error_code& ec) {
    if (ec) return;  // cancelled
    const auto started = std::chrono::steady_clock::now();
    if (!scanned_once_ || started - last_scan_ >= options_.scan_interval) {
      last_scan_ = started;
      scanned_once_ = true;
      auto scan = reminders_.Scan();
      if (!scan) {
        spdlog::error("reminder scan failed: {} ({})", scan.error().message, scan.error().detail);
      } else if (scan->in_app + scan->emails_queued + scan->digests > 0) {
        spdlog::info("reminders: {} in-app, {} emails queued, {} superseded, {} digests",
                     scan->in_app, scan->emails_queued, scan->superseded, scan->digests);
      }
    }
    if (mailer_ != nullptr) {
      auto delivered = reminders_.Deliver(*mailer_, options_.max_messages_per_tick);
      if (!delivered) {
        spdlog::error("email delivery failed: {} ({})", delivered.error().message,
                      delivered.error().detail);
      } else if (delivered->sent + delivered->retrying + delivered->failed > 0) {
        spdlog::info("emails: {} sent, {} to retry, {} failed{}", delivered->sent,
                     delivered->retrying, delivered->failed,
                     delivered->stopped_early ? " (mail server unavailable)" : "");
      }
    }
    timer_.expires_after(options_.deliver_interval);
    timer_.async_wait([this](const boost::system::error_code& e) { Tick(e); });
  }

  ReminderService& reminders_;
  Mailer* mailer_;
  SchedulerOptions options_;
  boost::asio::io_context io_;
  boost::asio::steady_timer timer_;
  std::thread thread_;
  bool scanned_once_ = false;
  std::chrono::steady_clock::time_point last_scan_;
};

Scheduler::Scheduler(ReminderService& reminders, Mailer* mailer, SchedulerOptions options)
    : impl_(std::make_unique<Impl>(reminders, mailer, options)) {}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Start() { impl_->Start(); }
void Scheduler::Stop() { impl_->Stop(); }

Result<PassReport> RunPassOnce(ReminderService& reminders, Mailer* mailer) {
  PassReport report;
  BF_ASSIGN_OR_RETURN(report.scan, reminders.Scan());
  if (mailer == nullptr) return report;
  // Every email due now, in rounds, until none is left or the server is unreachable.
  for (;;) {
    BF_ASSIGN_OR_RETURN(DeliveryReport round, reminders.Deliver(*mailer, 100));
    report.delivery.sent += round.sent;
    report.delivery.retrying += round.retrying;
    report.delivery.failed += round.failed;
    if (round.stopped_early) report.delivery.stopped_early = true;
    if (round.stopped_early || round.sent + round.retrying + round.failed < 100) break;
  }
  return report;
}

}  // namespace bf::jobs
