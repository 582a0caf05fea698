// Reading JSON request bodies strictly and writing JSON responses.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "http/message.h"

namespace bf::http {

inline constexpr int kMaxJsonDepth = 16;

// The body as a JSON object. 415 unless the Content-Type is application/json; 400 for bad
// JSON, nesting deeper than kMaxJsonDepth, or a value that is not an object. On a streaming
// route, reads the whole body from Request::body_reader first (413 past the route's limit).
Result<boost::json::object> ParseJsonObject(const Request& req);

// Reads the fields of one JSON object. Each getter answers nullopt when the field is absent; a
// field of the wrong type, or one not in `allowed`, is remembered and reported by Check() as 400.
class JsonFields {
 public:
  JsonFields(const boost::json::object& object, std::initializer_list<std::string_view> allowed);

  std::optional<std::string> String(std::string_view name);
  // Outer: given or not; inner nullopt: given as null.
  std::optional<std::optional<std::string>> NullableString(std::string_view name);
  std::optional<bool> Bool(std::string_view name);
  std::optional<int64_t> Int(std::string_view name);
  std::optional<std::vector<std::string>> StringList(std::string_view name);
  std::optional<std::optional<std::vector<int>>> NullableIntList(std::string_view name);

  // 400 "bad_request" naming every unknown or mistyped field; Ok otherwise.
  Status Check() const;
  // For a PUT, which replaces the resource (docs/architecture.md): 422 "required" naming each
  // allowed field the body leaves out, in the order they were allowed; Ok when it names them
  // all. Call it after Check, so a malformed body is a 400 first.
  Status RequireAll() const;

 private:
  const boost::json::value* Find(std::string_view name) const;
  void WrongType(std::string_view name, std::string_view expected);

  const boost::json::object& object_;
  std::vector<std::string_view> allowed_;
  std::vector<FieldError> errors_;
};

Response JsonResponse(int status, const boost::json::value& body);
// The same for JSON text written already (codec.h's writers).
Response JsonTextResponse(int status, std::string body);
// The same for JSON text kept between requests (Response::kept_body).
Response JsonTextResponse(int status, std::shared_ptr<const std::string> body);
Response NoContent();

// null for nullopt.
boost::json::value OrNull(const std::optional<std::string>& s);

}  // namespace bf::http
