#include "support/http_client.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <optional>

#include "support/openapi_contract.h"

namespace bf::testing {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

HttpResult Convert(bhttp::response<bhttp::string_body>& res) {
  HttpResult out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    out.headers[name] = std::string(field.value());
  }
  out.body = res.body();
  return out;
}

HttpResult ReadResponse(beast::tcp_stream& stream) {
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  beast::error_code ec;
  bhttp::read(stream, buffer, parser, ec);
  if (ec) return HttpResult{};  // status 0: no answer
  return Convert(parser.get());
}

// The server's OpenAPI document, fetched once a process: every test server serves the same.
const boost::json::value* Document(const HttpClient& client) {
  static std::mutex mutex;
  static std::optional<boost::json::value> document;
  std::lock_guard lock(mutex);
  if (!document) {
    HttpResult r = client.SendUnchecked("GET", "/api/v1/openapi.json");
    if (r.status != 200) return nullptr;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(r.body, ec);
    if (ec || !v.is_object() || !v.as_object().contains("paths")) return nullptr;
    document = std::move(v);
  }
  return &*document;
}

}  // namespace

boost::json::value HttpResult::Json() const {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  return ec ? boost::json::value(nullptr) : v;
}

std::string HttpResult::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

std::string HttpResult::Code() const {
  auto v = Json();
  if (!v.is_object() || !v.as_object().contains("code")) return "";
  return std::string(v.at("code").as_string());
}

std::string HttpResult::FieldCode() const {
  auto v = Json();
  if (!v.is_object() || !v.as_object().contains("errors")) return "";
  const auto& errors = v.at("errors").as_array();
  if (errors.empty()) return "";
  return std::string(errors[0].at("code").as_string());
}

HttpResult HttpClient::Send(const std::string& method, const std::string& target,
                            const std::string& body,
                            const std::map<std::string, std::string>& headers) const {
  HttpResult out = SendUnchecked(method, target, body, headers);
  if (const boost::json::value* document = Document(*this)) {
    for (const std::string& violation : CheckAnswer(*document, method, target, out, body)) {
      ADD_FAILURE() << "the answer breaks the OpenAPI document: " << violation;
    }
  }
  return out;
}

HttpResult HttpClient::SendUnchecked(const std::string& method, const std::string& target,
                                     const std::string& body,
                                     const std::map<std::string, std::string>& headers) const {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
  stream.expires_after(std::chrono::seconds(30));
  bhttp::request<bhttp::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  req.set(bhttp::field::host, "127.0.0.1:" + std::to_string(port_));
  bool has_type = false;
  for (const auto& [k, v] : headers) {
    req.set(k, v);
    std::string lower = k;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (lower == "content-type") has_type = true;
  }
  if (!body.empty() && !has_type) req.set(bhttp::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  bhttp::write(stream, req);
  HttpResult out = ReadResponse(stream);
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  return out;
}

HttpResult HttpClient::SendRaw(const std::string& raw) const {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
  stream.expires_after(std::chrono::seconds(40));
  beast::error_code ec;
  net::write(stream.socket(), net::buffer(raw), ec);
  return ReadResponse(stream);
}

}  // namespace bf::testing
