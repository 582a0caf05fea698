#include "http/forwarded.h"

#include <boost/system/error_code.hpp>

namespace bf::http {

namespace ip = boost::asio::ip;

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// An IPv4-mapped IPv6 peer (a dual-stack socket) compares as its IPv4 address.
ip::address Unmapped(const ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    return ip::make_address_v4(ip::v4_mapped, a.to_v6());
  }
  return a;
}

}  // namespace

Result<TrustedProxies> TrustedProxies::Parse(const std::vector<std::string>& entries) {
  TrustedProxies out;
  for (const std::string& raw : entries) {
    std::string_view entry = Trim(raw);
    if (entry.empty()) continue;
    boost::system::error_code ec;
    std::string text(entry);
    if (text.find('/') == std::string::npos) {
      ip::address a = ip::make_address(text, ec);
      if (!ec) text += a.is_v4() ? "/32" : "/128";
    }
    if (!ec && text.find(':') == std::string::npos) {
      ip::network_v4 n = ip::make_network_v4(text, ec);
      if (!ec) {
        out.networks_.emplace_back(n.canonical());
        continue;
      }
    } else if (!ec) {
      ip::network_v6 n = ip::make_network_v6(text, ec);
      if (!ec) {
        out.networks_.emplace_back(n.canonical());
        continue;
      }
    }
    return Fail(ErrorCode::kInvalid, "invalid_trusted_proxy",
                "not an address or network: " + std::string(entry));
  }
  return out;
}

bool TrustedProxies::Contains(std::string_view address) const {
  boost::system::error_code ec;
  ip::address parsed = ip::make_address(std::string(Trim(address)), ec);
  if (ec) return false;
  ip::address a = Unmapped(parsed);
  for (const auto& network : networks_) {
    if (const auto* v4 = std::get_if<ip::network_v4>(&network)) {
      if (!a.is_v4()) continue;
      ip::network_v4 host(a.to_v4(), 32);
      if (host == *v4 || host.is_subnet_of(*v4)) return true;
    } else {
      const auto& v6 = std::get<ip::network_v6>(network);
      if (!a.is_v6()) continue;
      ip::network_v6 host(a.to_v6(), 128);
      if (host == v6 || host.is_subnet_of(v6)) return true;
    }
  }
  return false;
}

std::string ClientAddress(std::string_view peer, std::string_view forwarded_for,
                          const TrustedProxies& trusted) {
  if (trusted.empty() || Trim(forwarded_for).empty() || !trusted.Contains(peer)) {
    return std::string(peer);
  }
  std::vector<std::string_view> hops;
  for (size_t start = 0; start <= forwarded_for.size();) {
    size_t comma = forwarded_for.find(',', start);
    if (comma == std::string_view::npos) comma = forwarded_for.size();
    hops.push_back(Trim(forwarded_for.substr(start, comma - start)));
    start = comma + 1;
  }
  for (std::string_view hop : hops) {
    boost::system::error_code ec;
    ip::make_address(std::string(hop), ec);
    if (ec) return std::string(peer);  // not a list of addresses: believe none of it
  }
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    if (!trusted.Contains(*it)) return std::string(*it);
  }
  return std::string(hops.front());
}

}  // namespace bf::http
