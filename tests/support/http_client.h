// A small synchronous HTTP/1.1 client over a real socket, for API tests.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <map>
#include <string>

namespace bf::testing {

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  // The body as JSON (null when it is not JSON).
  boost::json::value Json() const;
  std::string Header(const std::string& lower_name) const;
  // The problem document's "code", or "" when the body has none.
  std::string Code() const;
  // The "code" of the first entry of the problem document's "errors", or "".
  std::string FieldCode() const;
};

class HttpClient {
 public:
  explicit HttpClient(uint16_t port) : port_(port) {}

  // Sends one request on a new connection. `headers` are added as given; a JSON body gets
  // Content-Type application/json unless headers name one. The answer is checked against the
  // server's OpenAPI document (support/openapi_contract.h): a status the document does not list
  // for the operation, or a JSON body its schema refuses, fails the running test.
  HttpResult Send(const std::string& method, const std::string& target,
                  const std::string& body = "",
                  const std::map<std::string, std::string>& headers = {}) const;
  // Send without the check against the document.
  HttpResult SendUnchecked(const std::string& method, const std::string& target,
                           const std::string& body = "",
                           const std::map<std::string, std::string>& headers = {}) const;
  // Writes `raw` bytes as they are and reads one response (for malformed requests).
  HttpResult SendRaw(const std::string& raw) const;

  uint16_t port() const { return port_; }

 private:
  uint16_t port_;
};

}  // namespace bf::testing
