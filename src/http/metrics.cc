#include "http/metrics.h"

#include <algorithm>
#include <charconv>

#include "core/ids.h"
#include "http/problem.h"
#include "store/pool_counters.h"

namespace bf::http {
namespace {

// A label value with \, " and newlines escaped.
std::string Label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

void Header(std::string& out, const char* name, const char* type, const char* help) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

// Nanoseconds as seconds, in the shortest form that reads back exactly.
std::string Seconds(int64_t nanoseconds) {
  char buffer[64];
  auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, static_cast<double>(nanoseconds) / 1e9);
  return ec == std::errc() ? std::string(buffer, end) : "0";
}

}  // namespace

RouteStats::RouteStats(std::string method, std::string route)
    : method_(std::move(method)), route_(std::move(route)) {}

void RouteStats::Record(int status, std::chrono::nanoseconds elapsed) {
  const int64_t ns = std::max<int64_t>(0, elapsed.count());
  // Prometheus buckets count observations <= le: the first bound at or above the time.
  auto bucket =
      std::lower_bound(kLatencyBuckets.begin(), kLatencyBuckets.end(), ns,
                       [](const LatencyBucket& b, int64_t v) { return b.nanoseconds < v; });
  buckets_[static_cast<size_t>(bucket - kLatencyBuckets.begin())].fetch_add(
      1, std::memory_order_relaxed);
  sum_ns_.fetch_add(ns, std::memory_order_relaxed);
  for (StatusSlot& slot : status_slots_) {
    int seen = slot.status.load(std::memory_order_acquire);
    // A free slot: take it for this status, unless another thread took it first (for this
    // status or another; `seen` then says which).
    if (seen == 0 && slot.status.compare_exchange_strong(seen, status, std::memory_order_acq_rel))
      seen = status;
    if (seen == status) {
      slot.count.fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }
  std::lock_guard lock(overflow_mu_);
  ++overflow_[status];
}

std::map<int, int64_t> RouteStats::StatusCounts() const {
  std::map<int, int64_t> out;
  {
    std::lock_guard lock(overflow_mu_);
    out = overflow_;
  }
  for (const StatusSlot& slot : status_slots_) {
    int status = slot.status.load(std::memory_order_acquire);
    if (status == 0) break;  // slots are taken in order
    if (int64_t n = slot.count.load(std::memory_order_relaxed); n > 0) out[status] += n;
  }
  return out;
}

std::array<int64_t, RouteStats::kBuckets> RouteStats::CumulativeBuckets() const {
  std::array<int64_t, kBuckets> out{};
  int64_t total = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    total += buckets_[i].load(std::memory_order_relaxed);
    out[i] = total;
  }
  return out;
}

RouteStats& RequestMetrics::For(const std::string& method, const std::string& route) {
  std::lock_guard lock(mu_);
  auto& stats = routes_[{method, route}];
  if (!stats) stats = std::make_unique<RouteStats>(method, route);
  return *stats;
}

std::vector<const RouteStats*> RequestMetrics::All() const {
  std::lock_guard lock(mu_);
  std::vector<const RouteStats*> out;
  out.reserve(routes_.size());
  for (const auto& [key, stats] : routes_) out.push_back(stats.get());
  return out;
}

RequestMetrics& ProcessRequestMetrics() {
  // Never destroyed: route handlers keep references, and may outlive static destruction.
  static RequestMetrics* metrics = new RequestMetrics;
  return *metrics;
}

void CountRequests(std::vector<Route>& routes) {
  for (Route& route : routes) {
    RouteStats& stats = ProcessRequestMetrics().For(route.method, route.pattern);
    route.handler = [inner = std::move(route.handler), &stats](Context& ctx) -> Result<Response> {
      const auto entered = std::chrono::steady_clock::now();
      const auto start = ctx.request.received == std::chrono::steady_clock::time_point{}
                             ? entered
                             : ctx.request.received;
      try {
        Result<Response> answer = inner(ctx);
        stats.Record(answer ? answer->status : HttpStatus(answer.error().code),
                     std::chrono::steady_clock::now() - start);
        return answer;
      } catch (...) {
        stats.Record(500, std::chrono::steady_clock::now() - start);  // Router::Handle answers 500
        throw;
      }
    };
  }
}

Result<Response> Metrics(Api& api, Context& ctx) {
  if (!api.options.metrics_token.empty()) {
    std::string_view given = ctx.request.Header("Authorization");
    if (given.substr(0, 7) != "Bearer " ||
        !ConstantTimeEquals(given.substr(7), api.options.metrics_token)) {
      return Fail(ErrorCode::kUnauthenticated, "unauthenticated",
                  "use Authorization: Bearer <metrics token>");
    }
  }
  BF_RETURN_IF_ERROR(ctx.AllowQuery({}));
  std::string out;
  const std::vector<const RouteStats*> routes = ProcessRequestMetrics().All();
  Header(out, "bonafides_http_requests_total", "counter",
         "Requests answered by a route handler, by method, route and status.");
  for (const RouteStats* stats : routes) {
    const std::string labels =
        "method=\"" + Label(stats->method()) + "\",route=\"" + Label(stats->route()) + "\"";
    for (const auto& [status, n] : stats->StatusCounts()) {
      out += "bonafides_http_requests_total{" + labels + ",status=\"" + std::to_string(status) +
             "\"} " + std::to_string(n) + "\n";
    }
  }
  Header(out, "bonafides_http_request_duration_seconds", "histogram",
         "Time from a request's header being read to its route handler's answer (for streamed "
         "answers, to the handler's return), by method and route.");
  for (const RouteStats* stats : routes) {
    const auto buckets = stats->CumulativeBuckets();
    if (buckets.back() == 0) continue;  // never asked
    const std::string labels =
        "method=\"" + Label(stats->method()) + "\",route=\"" + Label(stats->route()) + "\"";
    for (size_t i = 0; i < buckets.size(); ++i) {
      const char* le = i < kLatencyBuckets.size() ? kLatencyBuckets[i].le : "+Inf";
      out += "bonafides_http_request_duration_seconds_bucket{" + labels + ",le=\"" + le + "\"} " +
             std::to_string(buckets[i]) + "\n";
    }
    out += "bonafides_http_request_duration_seconds_sum{" + labels + "} " +
           Seconds(stats->SumNanoseconds()) + "\n";
    out += "bonafides_http_request_duration_seconds_count{" + labels + "} " +
           std::to_string(buckets.back()) + "\n";
  }

  const PoolCounters& pool = ProcessPoolCounters();
  auto load = [](const std::atomic<int64_t>& n) { return n.load(std::memory_order_relaxed); };
  Header(out, "bonafides_db_pool_acquisitions_total", "counter",
         "Database connections taken from the pool (a unit of work or a readiness check each).");
  out += "bonafides_db_pool_acquisitions_total " + std::to_string(load(pool.acquisitions)) + "\n";
  Header(out, "bonafides_db_pool_waits_total", "counter",
         "Acquisitions that found no free connection and waited (timeouts included).");
  out += "bonafides_db_pool_waits_total " + std::to_string(load(pool.waits)) + "\n";
  Header(out, "bonafides_db_pool_wait_seconds_total", "counter",
         "Time acquisitions spent waiting for a free connection.");
  out += "bonafides_db_pool_wait_seconds_total " + Seconds(load(pool.wait_nanoseconds)) + "\n";
  Header(out, "bonafides_db_pool_timeouts_total", "counter",
         "Acquisitions that gave up after the acquire timeout (answered 503).");
  out += "bonafides_db_pool_timeouts_total " + std::to_string(load(pool.timeouts)) + "\n";
  Header(out, "bonafides_db_pool_connections", "gauge", "Connections of the database pool.");
  out += "bonafides_db_pool_connections " + std::to_string(load(pool.connections)) + "\n";
  Header(out, "bonafides_db_pool_connections_in_use", "gauge",
         "Connections lent to a unit of work at the moment.");
  out += "bonafides_db_pool_connections_in_use " + std::to_string(load(pool.in_use)) + "\n";

  using Mode = ImportCounters::Mode;
  using Outcome = ImportCounters::Outcome;
  const ImportCounters& imports = api.services.imports.counters();
  constexpr Mode kModes[] = {Mode::kCommitted, Mode::kDryRun, Mode::kRejected};
  constexpr Outcome kOutcomes[] = {Outcome::kCreated, Outcome::kNewVersion, Outcome::kUnchanged,
                                   Outcome::kInvalid};
  Header(out, "bonafides_imports_total", "counter",
         "CSV imports finished with a report, by mode (committed, dry_run, rejected: had errors, "
         "nothing written).");
  for (Mode mode : kModes) {
    out += std::string("bonafides_imports_total{mode=\"") + ImportCounters::Name(mode) + "\"} " +
           std::to_string(imports.imports(mode)) + "\n";
  }
  Header(out, "bonafides_import_rows_total", "counter",
         "Rows of those imports, by mode and what the row did or would do (created, new_version, "
         "unchanged, invalid).");
  for (Mode mode : kModes) {
    for (Outcome outcome : kOutcomes) {
      out += std::string("bonafides_import_rows_total{mode=\"") + ImportCounters::Name(mode) +
             "\",outcome=\"" + ImportCounters::Name(outcome) + "\"} " +
             std::to_string(imports.rows(mode, outcome)) + "\n";
    }
  }

  const NotifyCounters& counters = api.services.reminders.counters();
  Header(out, "bonafides_reminders_sent_total", "counter",
         "Notifications delivered by the scheduler (in-app written, email accepted by the mail "
         "server), by kind and channel.");
  for (const auto& [key, n] : counters.sent()) {
    out += "bonafides_reminders_sent_total{kind=\"" + Label(key.first) + "\",channel=\"" +
           Label(key.second) + "\"} " + std::to_string(n) + "\n";
  }
  Header(out, "bonafides_reminders_failed_total", "counter",
         "Emails marked failed after their last attempt, by kind.");
  for (const auto& [kind, n] : counters.failed()) {
    out += "bonafides_reminders_failed_total{kind=\"" + Label(kind) + "\"} " + std::to_string(n) +
           "\n";
  }
  Header(out, "bonafides_email_retries_total", "counter",
         "Email attempts that failed and were scheduled again.");
  out += "bonafides_email_retries_total " + std::to_string(counters.retried()) + "\n";
  BF_ASSIGN_OR_RETURN(OutboxCounts outbox, api.services.reminders.CountOutbox());
  Header(out, "bonafides_outbox_emails", "gauge", "Emails in the outbox, by status.");
  for (const auto& [status, n] : {std::pair<const char*, int64_t>{"pending", outbox.pending},
                                  {"sending", outbox.sending},
                                  {"sent", outbox.sent},
                                  {"failed", outbox.failed}}) {
    out += std::string("bonafides_outbox_emails{status=\"") + status + "\"} " + std::to_string(n) +
           "\n";
  }
  Response r;
  r.body = std::move(out);
  r.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  return r;
}

}  // namespace bf::http
