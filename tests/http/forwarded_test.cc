// The client's address behind a reverse proxy: X-Forwarded-For believed from trusted proxies only.
#include "http/forwarded.h"

#include <gtest/gtest.h>

namespace bf::http {
namespace {

TrustedProxies Trust(std::vector<std::string> entries) {
  auto parsed = TrustedProxies::Parse(entries);
  EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().message);
  return parsed ? *parsed : TrustedProxies();
}

TEST(TrustedProxiesTest, AddressesAndNetworksOfBothFamilies) {
  TrustedProxies t = Trust({"127.0.0.1", "10.0.0.0/8", "fd00::/8", " ::1 "});
  EXPECT_TRUE(t.Contains("127.0.0.1"));
  EXPECT_FALSE(t.Contains("127.0.0.2"));
  EXPECT_TRUE(t.Contains("10.200.3.4"));
  EXPECT_FALSE(t.Contains("11.0.0.1"));
  EXPECT_TRUE(t.Contains("fd12::7"));
  EXPECT_TRUE(t.Contains("::1"));
  EXPECT_TRUE(t.Contains("::ffff:10.1.1.1"));  // a dual-stack socket's view of 10.1.1.1
  EXPECT_FALSE(t.Contains("not an address"));
  EXPECT_FALSE(t.Contains(""));
}

TEST(TrustedProxiesTest, ANonCanonicalNetworkIsItsNetwork) {
  TrustedProxies t = Trust({"192.168.7.9/24"});
  EXPECT_TRUE(t.Contains("192.168.7.1"));
  EXPECT_FALSE(t.Contains("192.168.8.1"));
}

TEST(TrustedProxiesTest, SomethingElseIsRefusedByName) {
  for (std::string bad : {"localhost", "10.0.0.0/33", "1.2.3", "fd00::/129", "10.0.0.1/"}) {
    auto parsed = TrustedProxies::Parse({bad});
    ASSERT_FALSE(parsed.has_value()) << bad;
    EXPECT_EQ(parsed.error().reason, "invalid_trusted_proxy");
    EXPECT_NE(parsed.error().message.find(bad), std::string::npos);
  }
}

TEST(ClientAddressTest, WithoutTrustedProxiesThePeerIsTheClient) {
  EXPECT_EQ(ClientAddress("203.0.113.9", "198.51.100.1", TrustedProxies()), "203.0.113.9");
}

TEST(ClientAddressTest, AnUntrustedPeerCannotNameAnotherClient) {
  EXPECT_EQ(ClientAddress("203.0.113.9", "198.51.100.1", Trust({"127.0.0.1"})), "203.0.113.9");
}

TEST(ClientAddressTest, ATrustedProxyNamesTheClient) {
  EXPECT_EQ(ClientAddress("127.0.0.1", "198.51.100.1", Trust({"127.0.0.1"})), "198.51.100.1");
  EXPECT_EQ(ClientAddress("127.0.0.1", "", Trust({"127.0.0.1"})), "127.0.0.1");
}

// The client can write anything left of what its first proxy appended: the rightmost address
// that is not a trusted proxy is the one the chain vouches for.
TEST(ClientAddressTest, TheRightmostUntrustedHopWinsOverWhatTheClientWrote) {
  TrustedProxies t = Trust({"127.0.0.1", "10.0.0.0/8"});
  EXPECT_EQ(ClientAddress("127.0.0.1", "6.6.6.6, 198.51.100.1, 10.0.0.2", t), "198.51.100.1");
  EXPECT_EQ(ClientAddress("127.0.0.1", "10.0.0.3,10.0.0.2", t), "10.0.0.3");
}

TEST(ClientAddressTest, AListThatIsNotAddressesIsNotBelieved) {
  TrustedProxies t = Trust({"127.0.0.1"});
  EXPECT_EQ(ClientAddress("127.0.0.1", "198.51.100.1, unknown", t), "127.0.0.1");
  EXPECT_EQ(ClientAddress("127.0.0.1", ",", t), "127.0.0.1");
}

}  // namespace
}  // namespace bf::http
