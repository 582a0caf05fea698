// The HTTP layer itself: routing, limits, malformed input, timeouts, keep-alive, request ids,
// health and the OpenAPI document.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include <boost/asio.hpp>

#include "support/test_server.h"

namespace bf::testing {
namespace {

class ProtocolApiTest : public ::testing::Test {
 protected:
  TestServer server_;
};

TEST_F(ProtocolApiTest, HealthAndReadiness) {
  auto health = server_.Call("", "GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.Json().at("status"), "ok");
  EXPECT_EQ(server_.Call("", "GET", "/readyz").status, 200);
}

TEST_F(ProtocolApiTest, UnknownRoutesAre404AndWrongMethods405) {
  auto missing = server_.Call("admin", "GET", "/api/v1/nothing-here");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.Header("content-type"), "application/problem+json");
  EXPECT_EQ(missing.Json().at("status"), 404);
  auto wrong = server_.Call("admin", "PUT", "/api/v1/users");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.Code(), "method_not_allowed");
  EXPECT_EQ(wrong.Header("allow"), "GET, POST");
}

TEST_F(ProtocolApiTest, IdsThatAreNotUuidsAre404) {
  EXPECT_EQ(server_.Call("admin", "GET", "/api/v1/users/42").status, 404);
  EXPECT_EQ(server_.Call("admin", "GET", "/api/v1/credential-types/../../etc").status, 404);
  EXPECT_EQ(server_.Call("admin", "PATCH", "/api/v1/credential-types/1", J(R"({"name":"x"})")).status, 404);
}

TEST_F(ProtocolApiTest, MalformedBodiesAre400AndChangeNothing) {
  const char* bodies[] = {"{", "[1,2]", "\"just a string\"", "{\"name\": }", "nul"};
  for (const char* body : bodies) {
    auto res = server_.Call("manager", "POST", "/api/v1/credential-types", body);
    EXPECT_EQ(res.status, 400) << body;
    EXPECT_EQ(res.Code(), "bad_request") << body;
  }
  std::string deep(100, '[');
  deep = R"({"name":)" + deep + std::string(100, ']') + "}";
  EXPECT_EQ(server_.Call("manager", "POST", "/api/v1/credential-types", deep).status, 400);
  EXPECT_EQ(server_.Call("manager", "GET", "/api/v1/credential-types").Json().at("items").as_array().size(), 0u);
}

TEST_F(ProtocolApiTest, NonJsonContentTypeIs415) {
  auto res = server_.Call("manager", "POST", "/api/v1/credential-types", "name=x",
                          {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(res.status, 415);
  EXPECT_EQ(res.Code(), "unsupported_media_type");
}

TEST_F(ProtocolApiTest, BodiesOverTheLimitAre413) {
  std::string big = R"({"name":")" + std::string(70 * 1024, 'x') + "\"}";
  auto res = server_.Call("manager", "POST", "/api/v1/credential-types", big);
  EXPECT_EQ(res.status, 413);
  EXPECT_EQ(res.Code(), "too_large");
  // Chunked, so the size is only known while reading.
  std::string chunk = std::string(70 * 1024, 'x');
  char size_hex[16];
  std::snprintf(size_hex, sizeof size_hex, "%zx", chunk.size());
  std::string raw = "POST /api/v1/credential-types HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                    server_.person("manager").token +
                    "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
                    size_hex + "\r\n" + chunk + "\r\n0\r\n\r\n";
  EXPECT_EQ(server_.client().SendRaw(raw).status, 413);
  EXPECT_EQ(server_.Call("manager", "GET", "/api/v1/credential-types").Json().at("items").as_array().size(), 0u);
}

TEST_F(ProtocolApiTest, OversizedHeadersAre431) {
  auto res = server_.Call("admin", "GET", "/api/v1/me", "", {{"X-Padding", std::string(20 * 1024, 'p')}});
  EXPECT_EQ(res.status, 431);
}

TEST_F(ProtocolApiTest, AnUnfinishedRequestIsClosedAfterTheTimeout) {
  // The harness sets a 3 s request timeout (30 s in production).
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket(ioc);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), server_.client().port()});
  std::string partial = "GET /healthz HTTP/1.1\r\nHost: x\r\n";  // never finished
  boost::asio::write(socket, boost::asio::buffer(partial));
  auto start = std::chrono::steady_clock::now();
  char buf[64];
  boost::system::error_code ec;
  socket.read_some(boost::asio::buffer(buf), ec);  // blocks until the server closes
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset) << ec.message();
  EXPECT_LT(waited, std::chrono::seconds(10));
}

TEST_F(ProtocolApiTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  std::string two = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket(ioc);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), server_.client().port()});
  boost::asio::write(socket, boost::asio::buffer(two));
  std::string all;
  boost::system::error_code ec;
  char buf[4096];
  for (;;) {
    size_t n = socket.read_some(boost::asio::buffer(buf), ec);
    all.append(buf, n);
    if (ec) break;
  }
  size_t count = 0;
  for (size_t pos = 0; (pos = all.find("HTTP/1.1 200", pos)) != std::string::npos; ++pos) ++count;
  EXPECT_EQ(count, 2u);
}

TEST_F(ProtocolApiTest, EveryAnswerCarriesARequestId) {
  auto mine = server_.Call("", "GET", "/healthz", "", {{"X-Request-Id", "trace-123"}});
  EXPECT_EQ(mine.Header("x-request-id"), "trace-123");
  auto generated = server_.Call("", "GET", "/healthz", "", {{"X-Request-Id", "bad id with spaces"}});
  EXPECT_FALSE(generated.Header("x-request-id").empty());
  EXPECT_NE(generated.Header("x-request-id"), "bad id with spaces");
  EXPECT_EQ(generated.Header("x-content-type-options"), "nosniff");
}

TEST_F(ProtocolApiTest, OpenApiListsExactlyTheRoutesThatExist) {
  auto res = server_.Call("", "GET", "/api/v1/openapi.json");
  ASSERT_EQ(res.status, 200);
  auto doc = res.Json();
  EXPECT_EQ(doc.at("openapi"), "3.1.0");
  const auto& paths = doc.at("paths").as_object();
  size_t operations = 0;
  for (const auto& [path, ops] : paths) {
    for (const auto& [method, op] : ops.as_object()) {
      ++operations;
      std::string upper(method);
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      // Each documented operation is routed: it never answers 404 for "no such route" or 405.
      std::string target(path);
      for (size_t b; (b = target.find('{')) != std::string::npos;) {
        target.replace(b, target.find('}', b) - b + 1, "00000000-0000-4000-8000-000000000000");
      }
      auto probe = server_.Call("admin", upper, target, upper == "GET" || upper == "DELETE" ? "" : "{}");
      EXPECT_NE(probe.status, 405) << upper << " " << target;
      EXPECT_FALSE(probe.status == 404 && probe.Json().at("detail").as_string().starts_with("no such route"))
          << upper << " " << target;
    }
  }
  // foundation 27 (this document included) + credentials 18 + media 3 + notifications 5 (metrics
  // included) + CSV 4 + the API reference page (/api/docs) 1 + groups, requirements and
  // compliance 21
  EXPECT_EQ(operations, 79u);
  EXPECT_TRUE(paths.contains("/api/v1/credential-types/{id}"));
  EXPECT_TRUE(paths.at("/api/v1/credential-types/{id}").as_object().contains("delete"));
}

TEST_F(ProtocolApiTest, ConcurrentRequestsAreServed) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        if (server_.Call("alice", "GET", "/api/v1/me").status == 200) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 160);
}

}  // namespace
}  // namespace bf::testing
