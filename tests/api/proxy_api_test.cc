// Behind a reverse proxy (docs/deployment.md): with --trusted-proxy the sign-in throttle counts
// the client the proxy names, so one guesser behind the load balancer cannot lock out everyone
// else who comes through it; without it, X-Forwarded-For from anyone is ignored.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/test_server.h"

namespace bf::testing {
namespace {

HttpResult SignInFrom(TestServer& server, const std::string& forwarded_for,
                      const std::string& email, const std::string& password) {
  boost::json::object body{{"email", email}, {"password", password}};
  return server.client().Send("POST", "/api/v1/auth/login", boost::json::serialize(body),
                              {{"X-Forwarded-For", forwarded_for}});
}

TEST(ProxyApiTest, BehindATrustedProxyEachClientIsThrottledOnItsOwn) {
  TestServer server([](http::ServerOptions& options) {
    auto trusted = http::TrustedProxies::Parse({"127.0.0.1", "::1"});
    ASSERT_TRUE(trusted.has_value());
    options.trusted_proxies = *trusted;
  });
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(SignInFrom(server, "203.0.113.9", "alice@a.example", "wrong password").status, 401);
  }
  auto guesser = SignInFrom(server, "203.0.113.9", "alice@a.example", TestServer::kPassword);
  EXPECT_EQ(guesser.status, 429);
  EXPECT_EQ(guesser.Code(), "too_many_attempts");
  // Alice herself comes through the same proxy from her own address.
  auto owner = SignInFrom(server, "198.51.100.7", "alice@a.example", TestServer::kPassword);
  EXPECT_EQ(owner.status, 200) << owner.body;
  // A client that writes its own X-Forwarded-For before the proxy's gains nothing: the proxy
  // appended the guesser's real address last.
  auto spoofed =
      SignInFrom(server, "192.0.2.44, 203.0.113.9", "alice@a.example", TestServer::kPassword);
  EXPECT_EQ(spoofed.status, 429);
}

TEST(ProxyApiTest, WithoutATrustedProxyTheHeaderIsIgnored) {
  TestServer server;
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(SignInFrom(server, "203.0.113.9", "alice@a.example", "wrong password").status, 401);
  }
  // Claiming another address does not get round the throttle: the peer is the client.
  auto claimed = SignInFrom(server, "198.51.100.7", "alice@a.example", TestServer::kPassword);
  EXPECT_EQ(claimed.status, 429);
  EXPECT_EQ(claimed.Code(), "too_many_attempts");
}

}  // namespace
}  // namespace bf::testing
