// Requests and responses as plain values, apart from the transport: the router and handlers
// work on these, and tests can call them without sockets.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bf::http {

// Header names compare case-insensitively.
struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
};
using Headers = std::map<std::string, std::string, CaseInsensitiveLess>;

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query as sent
  std::string path;    // decoded path without the query
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  Headers headers;
  std::string body;
  std::string remote_address;
  std::string request_id;
  bool secure = false;  // reached over TLS (directly or as said by a trusted proxy)

  // The header's value, or "" when absent.
  std::string_view Header(std::string_view name) const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  Response& Set(std::string name, std::string value) {
    headers[std::move(name)] = std::move(value);
    return *this;
  }
};

// Splits a request target into the decoded path and query pairs. False when the percent
// encoding is broken.
bool ParseTarget(std::string_view target, std::string& path,
                 std::vector<std::pair<std::string, std::string>>& query);

// Decodes %XX escapes (and '+' as space when `plus_is_space`); false on a broken escape.
bool PercentDecode(std::string_view in, std::string& out, bool plus_is_space);

}  // namespace bf::http
