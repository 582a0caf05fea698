// libFuzzer target for the request head as the server reads it (src/http/server.cc): Beast's
// request parser with the server's header limit, then the target split into path and query
// (src/http/message.h ParseTarget). fuzz_http_head, built by `make fuzz`.
//
// Checks: no crash or undefined behaviour; bytes fed in two pieces, split where the input says,
// parse exactly as bytes fed at once (the server reads from a socket in pieces of any size); a
// target that parses decodes to a path that starts with '/' whenever the target does.
#include <boost/beast/http.hpp>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/message.h"

namespace bhttp = boost::beast::http;

namespace {

constexpr std::uint32_t kHeaderLimit = 16 * 1024;  // ServerOptions::header_limit's default

// Feeds `text` in two pieces (at `split`); answers what was parsed, or the error.
std::string Parse(std::string_view text, size_t split) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(kHeaderLimit);
  parser.body_limit(64 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  std::string_view pending(text.data(), std::min(split, text.size()));
  std::string_view rest = text.substr(pending.size());
  std::string carry;
  for (int piece = 0; piece < 2; ++piece) {
    carry.append(piece == 0 ? pending : rest);
    while (!carry.empty() && !parser.is_done()) {
      size_t used = parser.put(boost::asio::buffer(carry.data(), carry.size()), ec);
      if (ec == bhttp::error::need_more) {
        ec = {};
        carry.erase(0, used);
        break;
      }
      if (ec) return "error " + ec.message();
      carry.erase(0, used);
      if (used == 0) break;
    }
  }
  if (!parser.is_header_done()) return "incomplete";
  const auto& req = parser.get();
  std::string out = std::string(req.method_string()) + " " + std::string(req.target()) + "\n";
  for (const auto& field : req)
    out += std::string(field.name_string()) + ": " + std::string(field.value()) + "\n";
  out += parser.is_done() ? "done " + req.body() : "body pending";
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  size_t split = data[0];
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

  std::string whole = Parse(text, text.size());
  std::string pieces = Parse(text, split);
  // Beast reports need_more at a different place when split, but what it finally parsed must
  // agree whenever both finished the header.
  if (whole.rfind("error", 0) != 0 && pieces.rfind("error", 0) != 0 && whole != pieces &&
      whole != "incomplete" && pieces != "incomplete")
    std::abort();

  // The target as the server decodes it.
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  if (bf::http::ParseTarget(text, path, query)) {
    if (!text.empty() && text[0] == '/' && (path.empty() || path[0] != '/')) std::abort();
  }
  std::string decoded;
  (void)bf::http::PercentDecode(text, decoded, true);
  return 0;
}
