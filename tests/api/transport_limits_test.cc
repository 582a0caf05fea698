// The transport's defences over real sockets: strict message framing (RFC 9112 §6), no-store on
// API answers, the connection cap, and the minimum body rate that keeps slow clients from
// holding the workers uploads, imports and exports need.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/asio.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/media_fixtures.h"
#include "support/test_server.h"

namespace bf::testing {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

std::unique_ptr<tcp::socket> Connect(net::io_context& ioc, uint16_t port) {
  auto socket = std::make_unique<tcp::socket>(ioc);
  socket->connect({net::ip::make_address("127.0.0.1"), port});
  timeval tv{10, 0};
  ::setsockopt(socket->native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return socket;
}

// Everything the server sends until it closes the connection (or 10 s pass); `closed` tells
// whether it did close.
std::string ReadToEnd(tcp::socket& socket, bool& closed) {
  std::string all;
  char buf[4096];
  boost::system::error_code ec;
  for (;;) {
    size_t n = socket.read_some(net::buffer(buf), ec);
    all.append(buf, n);
    if (ec) break;
  }
  closed = ec == net::error::eof || ec == net::error::connection_reset;
  return all;
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t pos = 0; (pos = text.find(what, pos)) != std::string::npos; pos += what.size()) ++n;
  return n;
}

// True when the server has closed `socket` (a read would see the end), without waiting.
bool ClosedByServer(tcp::socket& socket) {
  pollfd p{socket.native_handle(), POLLIN, 0};
  if (::poll(&p, 1, 200) <= 0) return false;
  char c;
  return ::recv(socket.native_handle(), &c, 1, MSG_PEEK | MSG_DONTWAIT) == 0 ||
         (p.revents & (POLLHUP | POLLERR)) != 0;
}

class TransportTest : public ::testing::Test {
 protected:
  size_t CredentialTypes() {
    auto res = server_.Call("manager", "GET", "/api/v1/credential-types");
    EXPECT_EQ(res.status, 200);
    return res.Json().at("items").as_array().size();
  }

  TestServer server_;
};

// ---- Framing ------------------------------------------------------------------------------

// A request that, framed by Content-Length or by nothing, would leave a second request behind
// it: a POST creating a credential type. None of them may run it.
TEST_F(TransportTest, UnknownOrConflictingTransferCodingsAre400AndCloseTheConnection) {
  const std::string body = R"({"name":"smuggled"})";
  const std::string smuggled =
      "POST /api/v1/credential-types HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
      server_.person("manager").token +
      "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\n\r\n" + body;
  const std::vector<std::string> framings = {
      "Transfer-Encoding: xchunked\r\nContent-Length: 0\r\n",
      "Transfer-Encoding: chunked, identity\r\nContent-Length: 0\r\n",
      "Transfer-Encoding: xchunked\r\n",
      "Transfer-Encoding: identity\r\n",
      "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
      "Content-Length: 0\r\nTransfer-Encoding: chunked\r\n",
      "Transfer-Encoding: chunked\r\nContent-Length: 0\r\n",
  };
  for (const std::string& framing : framings) {
    net::io_context ioc;
    auto socket = Connect(ioc, server_.client().port());
    std::string raw = "GET /healthz HTTP/1.1\r\nHost: x\r\n" + framing + "\r\n" + smuggled;
    net::write(*socket, net::buffer(raw));
    bool closed = false;
    std::string answer = ReadToEnd(*socket, closed);
    EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << framing << answer;
    EXPECT_NE(answer.find("\"code\":\"bad_request\""), std::string::npos) << framing << answer;
    EXPECT_EQ(Count(answer, "HTTP/1.1 "), 1u) << framing << answer;
    EXPECT_TRUE(closed) << framing;
  }
  EXPECT_EQ(CredentialTypes(), 0u);
}

TEST_F(TransportTest, BadContentLengthsAndGarbageRequestLinesAre400) {
  const std::vector<std::string> requests = {
      "POST /api/v1/credential-types HTTP/1.1\r\nHost: x\r\nContent-Length: 12abc\r\n\r\n{}",
      "POST /api/v1/credential-types HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}",
      "POST /api/v1/credential-types HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: "
      "3\r\n\r\n{}",
      "HELLO THERE\r\n\r\n",
      "GET /healthz HTTP/7\r\nHost: x\r\n\r\n",
      "GET\x01 / HTTP/1.1\r\n\r\n",
      "POST /api/v1/credential-types HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
      "chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
  };
  for (const std::string& raw : requests) {
    net::io_context ioc;
    auto socket = Connect(ioc, server_.client().port());
    net::write(*socket, net::buffer(raw));
    bool closed = false;
    std::string answer = ReadToEnd(*socket, closed);
    EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << raw << "\n" << answer;
    EXPECT_NE(answer.find("application/problem+json"), std::string::npos) << raw;
    EXPECT_EQ(Count(answer, "HTTP/1.1 "), 1u) << raw;
    EXPECT_TRUE(closed) << raw;
  }
  EXPECT_EQ(CredentialTypes(), 0u);
}

TEST_F(TransportTest, ChunkedAloneStillWorks) {
  std::string body = R"({"name":"Forklift"})";
  char size_hex[16];
  std::snprintf(size_hex, sizeof size_hex, "%zx", body.size());
  std::string raw = "POST /api/v1/credential-types HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                    server_.person("manager").token +
                    "\r\nContent-Type: application/json\r\nTransfer-Encoding: Chunked \r\n"
                    "Connection: close\r\n\r\n" +
                    size_hex + "\r\n" + body + "\r\n0\r\n\r\n";
  EXPECT_EQ(server_.client().SendRaw(raw).status, 201);
  EXPECT_EQ(CredentialTypes(), 1u);
}

// ---- Caching ------------------------------------------------------------------------------

TEST_F(TransportTest, ApiAnswersAreNotStored) {
  EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/me").Header("cache-control"), "no-store");
  EXPECT_EQ(server_.Call("", "GET", "/api/v1/me").Header("cache-control"), "no-store");  // 401
  EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/nothing").Header("cache-control"), "no-store");
  EXPECT_EQ(server_.Call("", "GET", "/healthz").Header("cache-control"), "no-store");
  auto csv = server_.Call("admin", "GET", "/api/v1/activity.csv");  // streamed
  EXPECT_EQ(csv.status, 200);
  EXPECT_EQ(csv.Header("cache-control"), "no-store");
  // A route that says how it may be cached keeps it: a media file's download.
  auto upload = server_.Call("alice", "POST", "/api/v1/media?filename=card.png", PngWithText("c"),
                             {{"Content-Type", "image/png"}});
  ASSERT_EQ(upload.status, 201) << upload.body;
  EXPECT_EQ(upload.Header("cache-control"), "no-store");
  auto file = server_.Call("alice", "GET",
                           "/api/v1/media/" + std::string(upload.Json().at("id").as_string()));
  EXPECT_EQ(file.status, 200);
  EXPECT_EQ(file.Header("cache-control"), "private, no-cache");
}

// ---- /metrics -----------------------------------------------------------------------------

TEST(MetricsAccessTest, WithATokenMetricsAnswerOnlyItsBearer) {
  TestServer server(
      [](TestServer::Setup& setup) { setup.http.metrics_token = "m3trics-t0ken-for-tests"; });
  auto anonymous = server.Call("", "GET", "/metrics");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.Code(), "unauthenticated");
  EXPECT_EQ(anonymous.Header("cache-control"), "no-store");
  EXPECT_EQ(
      server.Call("", "GET", "/metrics", "", {{"Authorization", "Bearer m3trics-t0ken-for-test"}})
          .status,
      401);
  EXPECT_EQ(server.Call("admin", "GET", "/metrics").status, 401);  // a user's API token is not it
  auto scraped =
      server.Call("", "GET", "/metrics", "", {{"Authorization", "Bearer m3trics-t0ken-for-tests"}});
  EXPECT_EQ(scraped.status, 200);
  EXPECT_NE(scraped.body.find("bonafides_http_requests_total"), std::string::npos);
}

TEST(MetricsAccessTest, OnAListenerOfItsOwnMetricsLeaveTheApiListener) {
  TestServer server([](TestServer::Setup& setup) { setup.http.metrics_apart = true; });
  EXPECT_EQ(server.Call("", "GET", "/metrics").status, 404);
  EXPECT_EQ(server.Call("", "GET", "/healthz").status, 200);
  auto router = http::MakeMetricsRouter(server.api());
  http::ServerOptions options;
  options.port = 0;
  options.threads = 1;
  http::Server metrics(*router, options);
  auto port = metrics.Listen();
  ASSERT_TRUE(port);
  metrics.Start();
  HttpClient client(*port);
  auto scraped = client.Send("GET", "/metrics");
  EXPECT_EQ(scraped.status, 200);
  EXPECT_NE(scraped.body.find("bonafides_http_requests_total"), std::string::npos);
  EXPECT_EQ(client.Send("GET", "/healthz").status, 200);
  // The API is not on this listener, so the API's document does not describe its answer.
  EXPECT_EQ(client.SendUnchecked("GET", "/api/v1/me").status, 404);
  metrics.Stop();
}

// ---- Connections --------------------------------------------------------------------------

TEST(TransportConnectionsTest, AtTheCapTheLongestIdleConnectionsAreClosed) {
  TestServer server([](http::ServerOptions& o) {
    o.max_connections = 8;
    o.request_timeout = seconds(20);  // idle connections would stay that long
  });
  net::io_context ioc;
  std::vector<std::unique_ptr<tcp::socket>> idle;
  for (int i = 0; i < 12; ++i) {
    idle.push_back(Connect(ioc, server.client().port()));
    std::this_thread::sleep_for(milliseconds(20));  // so that their ages differ
  }
  auto start = Clock::now();
  auto health = server.Call("", "GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_LT(Clock::now() - start, seconds(2));
  // 13 connections for 8 places: the five oldest idle ones were closed, the newest kept.
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(ClosedByServer(*idle[i])) << "connection " << i;
  for (int i = 6; i < 12; ++i) EXPECT_FALSE(ClosedByServer(*idle[i])) << "connection " << i;
  // A kept one still works.
  std::string get = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  net::write(*idle[11], net::buffer(get));
  bool closed = false;
  EXPECT_EQ(ReadToEnd(*idle[11], closed).rfind("HTTP/1.1 200", 0), 0u);
}

TEST(TransportConnectionsTest, TheDefaultCapLeavesRoomForFilesAndTheDatabase) {
  EXPECT_EQ(http::DefaultMaxConnections(256), 192);
  EXPECT_EQ(http::DefaultMaxConnections(1024), 960);
  EXPECT_EQ(http::DefaultMaxConnections(1 << 20), 4096);
  EXPECT_EQ(http::DefaultMaxConnections(20), 15);
}

// ---- Slow bodies --------------------------------------------------------------------------

// Four uploads that announce 1 MiB and send a byte now and then: before, each held one of the
// four blocking workers for as long as bytes kept coming, and every upload and export waited.
TEST(TransportSlowBodyTest, SlowUploadsHoldNoWorkerAndAreCutOffBelowTheMinimumRate) {
  TestServer server([](http::ServerOptions& o) {
    o.request_timeout = seconds(2);
    o.min_body_rate = 1024;
    o.blocking_threads = 4;
  });
  net::io_context ioc;
  std::vector<std::unique_ptr<tcp::socket>> slow;
  for (int i = 0; i < 4; ++i) {
    slow.push_back(Connect(ioc, server.client().port()));
    std::string head =
        "POST /api/v1/media?filename=slow.png HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
        server.person("alice").token +
        "\r\nContent-Type: image/png\r\nContent-Length: 1048576\r\n\r\n\x89PNG";
    net::write(*slow.back(), net::buffer(head));
  }
  std::atomic<bool> stop{false};
  std::thread trickle([&] {
    while (!stop) {
      for (auto& s : slow) {
        boost::system::error_code ec;
        net::write(*s, net::buffer("x", 1), ec);
      }
      std::this_thread::sleep_for(milliseconds(100));
    }
  });
  std::this_thread::sleep_for(milliseconds(300));

  auto start = Clock::now();
  auto upload = server.Call("bob", "POST", "/api/v1/media?filename=card.png", PngWithText("small"),
                            {{"Content-Type", "image/png"}});
  EXPECT_EQ(upload.status, 201) << upload.body;
  auto csv = server.Call("admin", "GET", "/api/v1/credentials/export.csv");
  EXPECT_EQ(csv.status, 200);
  EXPECT_LT(Clock::now() - start, milliseconds(1500));

  // Below 1 KiB/s after 2 s of grace: cut off, however steadily the bytes trickle.
  auto cut = Clock::now();
  for (auto& s : slow) {
    bool closed = false;
    std::string answer = ReadToEnd(*s, closed);
    EXPECT_TRUE(closed);
    EXPECT_EQ(answer.find("201"), std::string::npos) << answer;
  }
  EXPECT_LT(Clock::now() - cut, seconds(4));
  stop = true;
  trickle.join();
}

// A body at a good rate takes as long as it needs: the deadline grows with what arrives.
TEST(TransportSlowBodyTest, ABodyAboveTheMinimumRateMayTakeLongerThanTheTimeout) {
  TestServer server([](http::ServerOptions& o) {
    o.request_timeout = seconds(1);
    o.min_body_rate = 16 * 1024;
  });
  std::string png = JpegWithComment("steady", 96 * 1024);
  net::io_context ioc;
  auto socket = Connect(ioc, server.client().port());
  std::string head =
      "POST /api/v1/media?filename=steady.jpg HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
      server.person("alice").token +
      "\r\nContent-Type: image/jpeg\r\nConnection: close\r\nContent-Length: " +
      std::to_string(png.size()) + "\r\n\r\n";
  net::write(*socket, net::buffer(head));
  // ~32 KiB/s for ~3 s: twice the minimum rate, three times the timeout.
  for (size_t at = 0; at < png.size(); at += 8 * 1024) {
    net::write(*socket, net::buffer(png.data() + at, std::min<size_t>(8 * 1024, png.size() - at)));
    std::this_thread::sleep_for(milliseconds(250));
  }
  bool closed = false;
  std::string answer = ReadToEnd(*socket, closed);
  EXPECT_EQ(answer.rfind("HTTP/1.1 201", 0), 0u) << answer;
}

}  // namespace
}  // namespace bf::testing
