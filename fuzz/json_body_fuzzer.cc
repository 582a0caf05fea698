// libFuzzer target for the strict reading of JSON request bodies (src/http/json_io.h):
// fuzz_json_body, built by `make fuzz`. Every handler decodes its body with ParseJsonObject and
// then JsonFields, so this is the code every JSON byte from outside meets first.
//
// Checks: no crash, leak or undefined behaviour; a body accepted as an object never nests
// deeper than kMaxJsonDepth; reading any field with any getter either gives a value or records
// a field error, and Check() fails exactly when a field was unknown or mistyped.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "http/json_io.h"

// Boost.JSON compiled into this target, so the fuzzer instruments the parser too.
#include <boost/json/src.hpp>

namespace {

int Depth(const boost::json::value& v) {
  int deepest = 0;
  if (v.is_object()) {
    for (const auto& kv : v.get_object()) deepest = std::max(deepest, Depth(kv.value()));
    return deepest + 1;
  }
  if (v.is_array()) {
    for (const auto& e : v.get_array()) deepest = std::max(deepest, Depth(e));
    return deepest + 1;
  }
  return 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  bf::http::Request req;
  req.method = "POST";
  req.headers.emplace("Content-Type", "application/json");
  req.body.assign(reinterpret_cast<const char*>(data), size);

  auto object = bf::http::ParseJsonObject(req);
  if (!object) return 0;
  if (Depth(*object) > bf::http::kMaxJsonDepth) std::abort();

  // The field names the handlers use most, read with every kind of getter a handler uses.
  bf::http::JsonFields fields(*object, {"name", "email", "issue_date", "reminder_days", "enabled"});
  (void)fields.String("name");
  (void)fields.NullableString("email");
  (void)fields.StringList("issue_date");
  (void)fields.NullableIntList("reminder_days");
  (void)fields.Bool("enabled");
  (void)fields.Int("name");
  bool unknown = false;
  for (const auto& kv : *object) {
    std::string_view k = kv.key();
    if (k != "name" && k != "email" && k != "issue_date" && k != "reminder_days" && k != "enabled")
      unknown = true;
  }
  if (unknown && fields.Check()) std::abort();  // an unknown field is always reported
  return 0;
}
