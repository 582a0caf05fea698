#include "http/json_io.h"

#include <algorithm>
#include <limits>

namespace bf::http {
namespace {

auto BadRequest(std::string message) {
  return Fail(ErrorCode::kBadRequest, "bad_request", std::move(message));
}

}  // namespace

Result<boost::json::object> ParseJsonObject(const Request& req) {
  // A route that runs on the blocking pool (Route::streaming) reads its body here, whole: the
  // transport still stops it at the route's body limit.
  std::string streamed;
  if (req.body_reader != nullptr) {
    for (;;) {
      BF_ASSIGN_OR_RETURN(std::string_view piece, req.body_reader->Read());
      if (piece.empty()) break;
      streamed.append(piece);
    }
  }
  const std::string& body = req.body_reader != nullptr ? streamed : req.body;
  std::string_view type = req.Header("Content-Type");
  std::string_view media = type.substr(0, type.find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  if (body.empty() && media.empty()) return BadRequest("the request needs a JSON body");
  std::string lower(media);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (lower != "application/json") {
    return Fail(ErrorCode::kUnsupportedMediaType, "unsupported_media_type",
                "send the body as application/json");
  }
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(body, ec, {}, options);
  if (ec) return BadRequest("the body is not valid JSON: " + ec.message());
  if (!value.is_object()) return BadRequest("the body must be a JSON object");
  return std::move(value.as_object());
}

JsonFields::JsonFields(const boost::json::object& object,
                       std::initializer_list<std::string_view> allowed)
    : object_(object), allowed_(allowed) {
  for (const auto& kv : object) {
    if (std::find(allowed.begin(), allowed.end(), std::string_view(kv.key())) == allowed.end()) {
      errors_.push_back({std::string(kv.key()), "unknown_field", "unknown field"});
    }
  }
}

const boost::json::value* JsonFields::Find(std::string_view name) const {
  return object_.if_contains(name);
}

void JsonFields::WrongType(std::string_view name, std::string_view expected) {
  errors_.push_back({std::string(name), "wrong_type", "must be " + std::string(expected)});
}

std::optional<std::string> JsonFields::String(std::string_view name) {
  const auto* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    WrongType(name, "a string");
    return std::nullopt;
  }
  return std::string(v->as_string());
}

std::optional<std::optional<std::string>> JsonFields::NullableString(std::string_view name) {
  const auto* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) {
    WrongType(name, "a string or null");
    return std::nullopt;
  }
  return std::optional<std::string>(std::string(v->as_string()));
}

std::optional<bool> JsonFields::Bool(std::string_view name) {
  const auto* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (!v->is_bool()) {
    WrongType(name, "true or false");
    return std::nullopt;
  }
  return v->as_bool();
}

std::optional<int64_t> JsonFields::Int(std::string_view name) {
  const auto* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return std::numeric_limits<int64_t>::max();  // out of any range we accept
  WrongType(name, "an integer");
  return std::nullopt;
}

std::optional<std::vector<std::string>> JsonFields::StringList(std::string_view name) {
  const auto* v = Find(name);
  if (v == nullptr) return std::nullopt;
  std::vector<std::string> out;
  if (v->is_array()) {
    for (const auto& item : v->as_array()) {
      if (!item.is_string()) {
        WrongType(name, "a list of strings");
        return std::nullopt;
      }
      out.emplace_back(item.as_string());
    }
    return out;
  }
  WrongType(name, "a list of strings");
  return std::nullopt;
}

std::optional<std::optional<std::vector<int>>> JsonFields::NullableIntList(std::string_view name) {
  const auto* v = Find(name);
  if (v == nullptr) return std::nullopt;
  if (v->is_null()) return std::optional<std::vector<int>>();
  std::vector<int> out;
  if (v->is_array()) {
    for (const auto& item : v->as_array()) {
      if (!item.is_int64()) {
        WrongType(name, "a list of integers or null");
        return std::nullopt;
      }
      // Clamped: anything this large is out of every range we accept, and says so later.
      int64_t n = std::clamp<int64_t>(item.as_int64(), -1000000, 1000000);
      out.push_back(static_cast<int>(n));
    }
    return std::optional<std::vector<int>>(std::move(out));
  }
  WrongType(name, "a list of integers or null");
  return std::nullopt;
}

Status JsonFields::Check() const {
  if (errors_.empty()) return Ok();
  Error e{ErrorCode::kBadRequest,
          "bad_request",
          "the request body has unknown or mistyped fields",
          {},
          errors_};
  return tl::unexpected(std::move(e));
}

Status JsonFields::RequireAll() const {
  Error e{ErrorCode::kInvalid, "required", "the body must name every field: PUT replaces", {}, {}};
  for (std::string_view name : allowed_) {
    if (Find(name) == nullptr) {
      e.fields.push_back({std::string(name), "required", std::string(name) + " is required"});
    }
  }
  if (e.fields.empty()) return Ok();
  return tl::unexpected(std::move(e));
}

Response JsonResponse(int status, const boost::json::value& body) {
  return JsonTextResponse(status, boost::json::serialize(body));
}

Response JsonTextResponse(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.Set("Content-Type", "application/json; charset=utf-8");
  return r;
}

Response JsonTextResponse(int status, std::shared_ptr<const std::string> body) {
  Response r = JsonTextResponse(status, std::string());
  r.kept_body = std::move(body);
  return r;
}

Response NoContent() {
  Response r;
  r.status = 204;
  return r;
}

boost::json::value OrNull(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  return boost::json::string(*s);
}

}  // namespace bf::http
