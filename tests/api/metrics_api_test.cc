// GET /metrics over real sockets: the latency histogram by route (counts, cumulative buckets,
// timed from the request header), the database pool's waits and timeouts, and the rows of CSV
// imports. Counters are per process and tests may share one, so each test compares a scrape
// before with one after.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "http/metrics.h"
#include "store/sqlite/sqlite_store.h"
#include "support/test_server.h"

namespace bf::testing {
namespace {

using Series = std::map<std::string, double>;  // "name{labels}" → value

// The samples of an exposition, by their name and labels exactly as written.
Series Parse(const std::string& text) {
  Series out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line[0] == '#') continue;
    size_t space = line.rfind(' ');
    EXPECT_NE(space, std::string::npos) << line;
    if (space == std::string::npos) continue;
    out[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return out;
}

// The value of `key`, 0 when the series is absent (a counter not yet incremented).
double Value(const Series& s, const std::string& key) {
  auto it = s.find(key);
  return it == s.end() ? 0 : it->second;
}

std::string Labels(const std::string& method, const std::string& route) {
  return "method=\"" + method + "\",route=\"" + route + "\"";
}

std::string Bucket(const std::string& method, const std::string& route, const std::string& le) {
  return "bonafides_http_request_duration_seconds_bucket{" + Labels(method, route) + ",le=\"" + le +
         "\"}";
}

std::string Count(const std::string& method, const std::string& route) {
  return "bonafides_http_request_duration_seconds_count{" + Labels(method, route) + "}";
}

std::string Sum(const std::string& method, const std::string& route) {
  return "bonafides_http_request_duration_seconds_sum{" + Labels(method, route) + "}";
}

std::string Rows(const std::string& mode, const std::string& outcome) {
  return "bonafides_import_rows_total{mode=\"" + mode + "\",outcome=\"" + outcome + "\"}";
}

class MetricsApiTest : public ::testing::Test {
 protected:
  Series Scrape() {
    auto res = server_.Call("", "GET", "/metrics");
    EXPECT_EQ(res.status, 200) << res.body;
    text_ = res.body;
    return Parse(res.body);
  }

  TestServer server_;
  std::string text_;  // the last scrape
};

TEST_F(MetricsApiTest, EachAnswerIsInTheHistogramOfItsRouteTemplate) {
  const Series before = Scrape();
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(server_.Call("alice", "GET", "/api/v1/credential-types").status, 200);
  // Two different ids, one template.
  EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/credentials/no-such-1").status, 404);
  EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/credentials/no-such-2").status, 404);
  const Series after = Scrape();

  EXPECT_NE(text_.find("# TYPE bonafides_http_request_duration_seconds histogram\n"),
            std::string::npos);
  const std::string types = "/api/v1/credential-types";
  EXPECT_EQ(Value(after, Count("GET", types)) - Value(before, Count("GET", types)), 3);
  EXPECT_EQ(
      Value(after, Bucket("GET", types, "+Inf")) - Value(before, Bucket("GET", types, "+Inf")), 3);
  EXPECT_GT(Value(after, Sum("GET", types)), Value(before, Sum("GET", types)));
  EXPECT_EQ(
      Value(after, "bonafides_http_requests_total{" + Labels("GET", types) + ",status=\"200\"}") -
          Value(before,
                "bonafides_http_requests_total{" + Labels("GET", types) + ",status=\"200\"}"),
      3);
  const std::string one = "/api/v1/credentials/{id}";
  EXPECT_EQ(Value(after, Count("GET", one)) - Value(before, Count("GET", one)), 2) << text_;
  EXPECT_EQ(text_.find("no-such-1"), std::string::npos);
  // The route's buckets are there, every one of them.
  for (const auto& bucket : http::kLatencyBuckets) {
    EXPECT_TRUE(after.contains(Bucket("GET", types, bucket.le))) << bucket.le;
  }
}

TEST_F(MetricsApiTest, BucketsAreCumulativeAndEndInTheCount) {
  for (int i = 0; i < 5; ++i) server_.Call("bob", "GET", "/api/v1/me");
  server_.Call("", "GET", "/healthz");
  Scrape();
  const Series after = Scrape();  // the first scrape is in the second's histogram
  int routes = 0;
  for (const std::string route : {"/api/v1/me", "/healthz", "/metrics"}) {
    ++routes;
    double previous = 0;
    for (const auto& bucket : http::kLatencyBuckets) {
      const double n = Value(after, Bucket("GET", route, bucket.le));
      EXPECT_GE(n, previous) << route << " le=" << bucket.le;
      previous = n;
    }
    const double all = Value(after, Bucket("GET", route, "+Inf"));
    EXPECT_GE(all, previous) << route;
    EXPECT_EQ(all, Value(after, Count("GET", route))) << route;
    EXPECT_GE(all, 1) << route;
  }
  EXPECT_GE(Value(after, Count("GET", "/api/v1/me")), 5);
  // The bounds are in increasing order, as Prometheus requires.
  for (size_t i = 1; i < http::kLatencyBuckets.size(); ++i) {
    EXPECT_LT(http::kLatencyBuckets[i - 1].nanoseconds, http::kLatencyBuckets[i].nanoseconds);
    EXPECT_LT(std::stod(http::kLatencyBuckets[i - 1].le), std::stod(http::kLatencyBuckets[i].le));
  }
  EXPECT_EQ(routes, 3);
}

// The time starts when the header is in: a body that arrives 300 ms later is in the latency.
TEST_F(MetricsApiTest, LatencyStartsWhenTheHeaderIsRead) {
  const std::string route = "/api/v1/credential-types";
  const Series before = Scrape();
  const std::string body = R"({"name":"Forklift ticket"})";
  const std::string header =
      "POST " + route + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
      server_.person("manager").token +
      "\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n";
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(server_.client().port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::send(fd, header.data(), header.size(), 0), static_cast<ssize_t>(header.size()));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_EQ(::send(fd, body.data(), body.size(), 0), static_cast<ssize_t>(body.size()));
  std::string answer;
  char buffer[4096];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;)
    answer.append(buffer, static_cast<size_t>(n));
  ::close(fd);
  ASSERT_EQ(answer.rfind("HTTP/1.1 201", 0), 0u) << answer;

  const Series after = Scrape();
  EXPECT_EQ(Value(after, Count("POST", route)) - Value(before, Count("POST", route)), 1);
  EXPECT_EQ(
      Value(after, Bucket("POST", route, "0.25")) - Value(before, Bucket("POST", route, "0.25")),
      0);
  EXPECT_EQ(
      Value(after, Bucket("POST", route, "0.5")) - Value(before, Bucket("POST", route, "0.5")), 1);
  EXPECT_GE(Value(after, Sum("POST", route)) - Value(before, Sum("POST", route)), 0.29);
}

TEST_F(MetricsApiTest, PoolWaitsAreCounted) {
  const Series before = Scrape();
  EXPECT_NE(text_.find("# TYPE bonafides_db_pool_waits_total counter\n"), std::string::npos);
  EXPECT_GE(Value(before, "bonafides_db_pool_connections"), 6);  // the test server's pool
  {
    // Every connection of the server's pool is taken; a request waits for one.
    std::vector<std::unique_ptr<UnitOfWork>> held;
    for (int i = 0; i < 6; ++i) {
      auto uow = server_.store().Begin(false);
      ASSERT_TRUE(uow) << uow.error().detail;
      held.push_back(std::move(*uow));
    }
    std::thread request([&] { EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/me").status, 200); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    held.clear();
    request.join();
  }
  const Series after = Scrape();
  EXPECT_GE(Value(after, "bonafides_db_pool_waits_total") -
                Value(before, "bonafides_db_pool_waits_total"),
            1);
  EXPECT_GE(Value(after, "bonafides_db_pool_wait_seconds_total") -
                Value(before, "bonafides_db_pool_wait_seconds_total"),
            0.1);
  // 6 units of work, the request's, the scrape's.
  EXPECT_GE(Value(after, "bonafides_db_pool_acquisitions_total") -
                Value(before, "bonafides_db_pool_acquisitions_total"),
            8);
  EXPECT_EQ(Value(after, "bonafides_db_pool_timeouts_total"),
            Value(before, "bonafides_db_pool_timeouts_total"));
}

TEST_F(MetricsApiTest, PoolTimeoutsAreCounted) {
  const Series before = Scrape();
  {
    // A pool of its own in this process: one connection, a 50 ms acquire timeout.
    auto store = OpenSqliteStore((server_.dir() / "small.db").string(),
                                 SqliteOptions{.pool_size = 1, .acquire_timeout_ms = 50});
    ASSERT_TRUE(store) << store.error().detail;
    auto first = (*store)->Begin(false);
    ASSERT_TRUE(first);
    auto second = (*store)->Begin(false);
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().code, ErrorCode::kUnavailable);
    const Series during = Scrape();
    EXPECT_EQ(Value(during, "bonafides_db_pool_connections") -
                  Value(before, "bonafides_db_pool_connections"),
              1);
    EXPECT_GE(Value(during, "bonafides_db_pool_connections_in_use"), 1);
  }
  const Series after = Scrape();
  EXPECT_EQ(Value(after, "bonafides_db_pool_timeouts_total") -
                Value(before, "bonafides_db_pool_timeouts_total"),
            1);
  EXPECT_GE(Value(after, "bonafides_db_pool_wait_seconds_total") -
                Value(before, "bonafides_db_pool_wait_seconds_total"),
            0.05);
  EXPECT_EQ(Value(after, "bonafides_db_pool_connections"),
            Value(before, "bonafides_db_pool_connections"));
}

TEST_F(MetricsApiTest, ImportedRowsAreCountedByModeAndOutcome) {
  ASSERT_EQ(
      server_.Call("manager", "POST", "/api/v1/credential-types", R"({"name":"Driver's licence"})")
          .status,
      201);
  auto import = [&](const std::string& rows, const std::string& query) {
    return server_.Call("manager", "POST", "/api/v1/credential-imports" + query,
                        "email,credential_type,issue_date,expiry_date,credential_number\n" + rows,
                        {{"Content-Type", "text/csv"}});
  };
  const std::string imports = "/api/v1/credential-imports";
  const Series before = Scrape();
  auto committed = import(
      "alice@a.example,Driver's licence,2026-01-01,2031-01-01,A1\n"
      "bob@a.example,Driver's licence,2026-01-01,2031-01-01,B1\n"
      "bob@a.example,Driver's licence,2026-01-01,2031-01-01,B2\n",
      "");
  ASSERT_EQ(committed.status, 200) << committed.body;
  const Series after_commit = Scrape();
  EXPECT_EQ(Value(after_commit, Rows("committed", "created")) -
                Value(before, Rows("committed", "created")),
            3);
  EXPECT_EQ(Value(after_commit, "bonafides_imports_total{mode=\"committed\"}") -
                Value(before, "bonafides_imports_total{mode=\"committed\"}"),
            1);
  // The streaming route is timed too.
  EXPECT_EQ(Value(after_commit, Count("POST", imports)) - Value(before, Count("POST", imports)), 1);

  // A dry run: one row renews A1, one is unchanged, one has an error; nothing is committed.
  auto dry = import(
      "alice@a.example,Driver's licence,2027-01-01,2032-01-01,A1\n"
      "bob@a.example,Driver's licence,2026-01-01,2031-01-01,B1\n"
      "bob@a.example,Driver's licence,2026-13-01,2031-01-01,B9\n",
      "?dry_run=true");
  ASSERT_EQ(dry.status, 200) << dry.body;
  // The same file for real: rejected, nothing written.
  auto rejected = import("bob@a.example,Driver's licence,2026-13-01,2031-01-01,B9\n", "");
  ASSERT_EQ(rejected.status, 422) << rejected.body;
  const Series after = Scrape();
  auto delta = [&](const std::string& key) { return Value(after, key) - Value(after_commit, key); };
  EXPECT_EQ(delta(Rows("committed", "created")), 0);
  EXPECT_EQ(delta(Rows("dry_run", "new_version")), 1) << text_;
  EXPECT_EQ(delta(Rows("dry_run", "unchanged")), 1);
  EXPECT_EQ(delta(Rows("dry_run", "invalid")), 1);
  EXPECT_EQ(delta(Rows("dry_run", "created")), 0);
  EXPECT_EQ(delta(Rows("rejected", "invalid")), 1);
  EXPECT_EQ(delta("bonafides_imports_total{mode=\"dry_run\"}"), 1);
  EXPECT_EQ(delta("bonafides_imports_total{mode=\"rejected\"}"), 1);
  EXPECT_EQ(delta(Count("POST", imports)), 2);
}

}  // namespace
}  // namespace bf::testing
