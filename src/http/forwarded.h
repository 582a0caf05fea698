// The client's address behind a reverse proxy (docs/deployment.md): X-Forwarded-For is believed
// only from a proxy the operator named (--trusted-proxy), because anyone can send the header.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"

namespace bf::http {

class TrustedProxies {
 public:
  // Each entry an address ("10.0.0.5", "::1") or a network ("10.0.0.0/8", "fd00::/8"); 422
  // invalid_trusted_proxy naming the first that is neither.
  static Result<TrustedProxies> Parse(const std::vector<std::string>& entries);

  bool empty() const { return networks_.empty(); }
  bool Contains(std::string_view address) const;

 private:
  std::vector<std::variant<boost::asio::ip::network_v4, boost::asio::ip::network_v6>> networks_;
};

// The address a request came from: `peer` itself, unless `peer` is a trusted proxy and the
// request carries X-Forwarded-For; then the rightmost address of that list that is not a trusted
// proxy (the left part could be written by the client), or the leftmost if all are trusted. A
// list that doesn't parse leaves `peer`.
std::string ClientAddress(std::string_view peer, std::string_view forwarded_for,
                          const TrustedProxies& trusted);

}  // namespace bf::http
