#include "http/metrics.h"

#include "http/problem.h"

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

}  // namespace

void RequestCounts::Count(const std::string& method, const std::string& route, int status) {
  std::lock_guard lock(mu_);
  ++counts_[{method, route, status}];
}

std::map<std::tuple<std::string, std::string, int>, int64_t> RequestCounts::Snapshot() const {
  std::lock_guard lock(mu_);
  return counts_;
}

RequestCounts& ProcessRequestCounts() {
  static RequestCounts counts;
  return counts;
}

void CountRequests(std::vector<Route>& routes) {
  for (Route& route : routes) {
    route.handler = [inner = std::move(route.handler), method = route.method,
                     pattern = route.pattern](Context& ctx) -> Result<Response> {
      Result<Response> answer = inner(ctx);
      ProcessRequestCounts().Count(method, pattern,
                                   answer ? answer->status : HttpStatus(answer.error().code));
      return answer;
    };
  }
}

Result<Response> Metrics(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(ctx.AllowQuery({}));
  std::string out;
  Header(out, "bonafides_http_requests_total", "counter",
         "Requests answered by a route handler, by method, route and status.");
  for (const auto& [key, n] : ProcessRequestCounts().Snapshot()) {
    const auto& [method, route, status] = key;
    out += "bonafides_http_requests_total{method=\"" + Label(method) + "\",route=\"" +
           Label(route) + "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(n) +
           "\n";
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
