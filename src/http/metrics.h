// GET /metrics in the Prometheus text format, and the request counts it reports.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "http/handlers.h"
#include "http/router.h"

namespace bf::http {

// Answers counted by (method, route pattern, status). Thread-safe.
class RequestCounts {
 public:
  void Count(const std::string& method, const std::string& route, int status);
  std::map<std::tuple<std::string, std::string, int>, int64_t> Snapshot() const;

 private:
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, int64_t> counts_;
};

// The process's counts (Prometheus counters are per process).
RequestCounts& ProcessRequestCounts();

// Wraps every route's handler so that its answers are counted under the route's pattern.
// Requests that never reach a handler (no route, 401, a cross-site refusal) are not counted.
void CountRequests(std::vector<Route>& routes);

// bonafides_http_requests_total{method,route,status}, bonafides_reminders_sent_total{kind,
// channel}, bonafides_reminders_failed_total{kind}, bonafides_email_retries_total and the
// gauge bonafides_outbox_emails{status}.
Result<Response> Metrics(Api& api, Context& ctx);

}  // namespace bf::http
