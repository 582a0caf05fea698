// Requests and responses as plain values, apart from the transport: the router and handlers
// work on these, and tests can call them without sockets.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace bf::http {

// Header names compare case-insensitively.
struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
};
using Headers = std::map<std::string, std::string, CaseInsensitiveLess>;

// A request body read while it arrives, for routes that stream (Route::streaming). Read() blocks
// the calling thread (a worker of the blocking pool, never an I/O thread). Not thread-safe.
class BodyReader {
 public:
  virtual ~BodyReader() = default;
  // The next piece of the body, valid until the next call; empty once the body is complete.
  // kTooLarge past the route's body limit; kBadRequest when the client stops sending, sends a
  // malformed body or times out.
  virtual Result<std::string_view> Read() = 0;
};

// A response body written while it is produced, sent with chunked transfer encoding.
class BodyWriter {
 public:
  virtual ~BodyWriter() = default;
  // Buffers `data` and sends it in chunks. An error means the client is gone: stop producing.
  virtual Status Write(std::string_view data) = 0;
};

struct Request {
  std::string method;                                      // "GET", "POST", ...
  std::string target;                                      // path and query as sent
  std::string path;                                        // decoded path without the query
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  Headers headers;
  std::string body;
  std::string remote_address;
  std::string request_id;
  bool secure = false;  // reached over TLS (directly or as said by a trusted proxy)
  // Streaming routes: the body is not in `body` but read from here while the handler runs.
  BodyReader* body_reader = nullptr;
  // When the transport had parsed the request header (the start of the latency /metrics
  // reports); unset (the epoch) for requests that did not come through the server.
  std::chrono::steady_clock::time_point received{};

  // The header's value, or "" when absent.
  std::string_view Header(std::string_view name) const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // When set, the body instead of `body`: an answer kept between requests (service/kept_reads.h),
  // sent as it is, shared and not copied.
  std::shared_ptr<const std::string> kept_body;
  // When set, the body is produced by calling this after the header is sent (chunked), on the
  // blocking pool; `body` is ignored. Its error ends the response early.
  std::function<Status(BodyWriter&)> stream;

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
