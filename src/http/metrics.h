// GET /metrics in the Prometheus text format, and the request counts and latencies it reports.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "http/handlers.h"
#include "http/router.h"

namespace bf::http {

// The upper bounds of the latency histogram's buckets, from 0.1 ms to 10 s (a +Inf bucket
// follows). Finer from 1 to 100 ms, where the API's answers fall; the two below 0.5 ms give
// /healthz and cached reads a server-side p50 worth reading (bench/report.py).
struct LatencyBucket {
  int64_t nanoseconds;
  const char* le;  // the bound in seconds as the exposition writes it
};
inline constexpr std::array<LatencyBucket, 20> kLatencyBuckets = {{
    {100'000, "0.0001"},   {250'000, "0.00025"},   {500'000, "0.0005"},   {1'000'000, "0.001"},
    {2'000'000, "0.002"},  {3'000'000, "0.003"},   {5'000'000, "0.005"},  {7'500'000, "0.0075"},
    {10'000'000, "0.01"},  {15'000'000, "0.015"},  {25'000'000, "0.025"}, {50'000'000, "0.05"},
    {75'000'000, "0.075"}, {100'000'000, "0.1"},   {250'000'000, "0.25"}, {500'000'000, "0.5"},
    {1'000'000'000, "1"},  {2'500'000'000, "2.5"}, {5'000'000'000, "5"},  {10'000'000'000, "10"},
}};

// The answers of one route (method and pattern): counts by status and a latency histogram.
// Thread-safe, and Record takes no lock: a few relaxed atomic operations, so a concurrent
// reader may see an answer in a bucket a moment before its status count or its time.
class RouteStats {
 public:
  static constexpr size_t kBuckets = kLatencyBuckets.size() + 1;  // the last is +Inf

  RouteStats(std::string method, std::string route);

  // One answer with `status`, `elapsed` after the request arrived.
  void Record(int status, std::chrono::nanoseconds elapsed);

  const std::string& method() const { return method_; }
  const std::string& route() const { return route_; }
  // (status, count) for every status answered at least once, by status.
  std::map<int, int64_t> StatusCounts() const;
  // Cumulative counts: [i] is the answers that took at most kLatencyBuckets[i]; the last is
  // every answer (+Inf, the histogram's count).
  std::array<int64_t, kBuckets> CumulativeBuckets() const;
  // The time of every answer, in nanoseconds.
  int64_t SumNanoseconds() const { return sum_ns_.load(std::memory_order_relaxed); }

 private:
  std::string method_;
  std::string route_;
  // Counts by status in slots taken on first use (a route answers a handful of statuses): a
  // short scan and an atomic addition, no lock. A status past the last slot goes to the
  // locked map, which only a very unusual route would ever reach.
  struct StatusSlot {
    std::atomic<int> status{0};  // 0: free
    std::atomic<int64_t> count{0};
  };
  std::array<StatusSlot, 12> status_slots_;
  mutable std::mutex overflow_mu_;
  std::map<int, int64_t> overflow_;
  std::array<std::atomic<int64_t>, kBuckets> buckets_{};  // not cumulative
  std::atomic<int64_t> sum_ns_{0};
};

// Every route's stats in the process (Prometheus counters are per process). Thread-safe; the
// mutex is only taken to add a route and to list them, never to record an answer.
class RequestMetrics {
 public:
  // The stats of `method` `route`, made on first use; the same object (never destroyed) for
  // every router the process builds.
  RouteStats& For(const std::string& method, const std::string& route);
  // Every route's stats, by method then route.
  std::vector<const RouteStats*> All() const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<RouteStats>> routes_;
};

// The process's request metrics.
RequestMetrics& ProcessRequestMetrics();

// Wraps every route's handler so that its answers are counted and timed under the route's
// pattern: from Request::received (when the header was parsed; when unset, from the handler's
// start) to when the handler returns its response (for a streamed answer, before the body is
// produced). An exception out of the handler counts as a 500 and is thrown on. Requests that
// never reach a handler (no route, 401, a cross-site refusal) are not counted.
void CountRequests(std::vector<Route>& routes);

// bonafides_http_requests_total{method,route,status}, the histogram
// bonafides_http_request_duration_seconds{method,route}, the database pool's
// bonafides_db_pool_* (store/pool_counters.h), bonafides_imports_total{mode} and
// bonafides_import_rows_total{mode,outcome}, bonafides_reminders_sent_total{kind,channel},
// bonafides_reminders_failed_total{kind}, bonafides_email_retries_total and the gauge
// bonafides_outbox_emails{status}. docs/architecture.md "Metrics" lists them.
Result<Response> Metrics(Api& api, Context& ctx);

}  // namespace bf::http
