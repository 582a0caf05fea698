#include "support/openapi_contract.h"

#include <algorithm>
#include <regex>
#include <string_view>

#include "support/http_client.h"

namespace bf::testing {
namespace {

namespace json = boost::json;

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    out.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

const json::value* Resolve(const json::value& root, const json::value& node) {
  const json::value* v = &node;
  for (int depth = 0; depth < 16 && v->is_object() && v->as_object().contains("$ref"); ++depth) {
    std::string ref(v->at("$ref").as_string());
    if (ref.rfind("#/", 0) != 0) return nullptr;
    const json::value* target = &root;
    for (const std::string& part : Split(ref.substr(2))) {
      if (!target->is_object() || !target->as_object().contains(part)) return nullptr;
      target = &target->at(part);
    }
    v = target;
  }
  return v;
}

bool IsType(const json::value& v, std::string_view type) {
  if (type == "null") return v.is_null();
  if (type == "boolean") return v.is_bool();
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "integer") {
    return v.is_int64() || v.is_uint64() ||
           (v.is_double() && v.as_double() == static_cast<int64_t>(v.as_double()));
  }
  if (type == "number") return v.is_number();
  return false;
}

bool FormatHolds(std::string_view format, const std::string& s) {
  static const std::regex kUuid(
      "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
  static const std::regex kDate("^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$");
  static const std::regex kDateTime(
      "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]("
      "\\.[0-9]+)?"
      "(Z|[+-][0-9]{2}:[0-9]{2})$");
  if (format == "uuid") return std::regex_match(s, kUuid);
  if (format == "date") return std::regex_match(s, kDate);
  if (format == "date-time") return std::regex_match(s, kDateTime);
  if (format == "email") return s.find('@') != std::string::npos;
  return true;
}

// JSON Schema lengths count code points, as the server's limits do.
double CodePoints(const std::string& s) {
  return static_cast<double>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

double Number(const json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.as_int64());
  if (v.is_uint64()) return static_cast<double>(v.as_uint64());
  return v.as_double();
}

void Validate(const json::value& root, const json::value& schema_node, const json::value& v,
              const std::string& path, std::vector<std::string>& errors) {
  const json::value* resolved = Resolve(root, schema_node);
  if (resolved == nullptr) {
    errors.push_back(path + ": unresolvable $ref");
    return;
  }
  if (resolved->is_bool()) {
    if (!resolved->as_bool()) errors.push_back(path + ": no value is allowed here");
    return;
  }
  const json::object& s = resolved->as_object();
  if (const json::value* any = s.if_contains("anyOf")) {
    std::vector<std::string> first;
    bool matched = false;
    for (const json::value& alt : any->as_array()) {
      std::vector<std::string> e;
      Validate(root, alt, v, path, e);
      if (e.empty()) {
        matched = true;
        break;
      }
      if (first.empty()) first = e;
    }
    if (!matched) {
      errors.push_back(path + ": matches none of anyOf");
      errors.insert(errors.end(), first.begin(), first.end());
    }
  }
  if (const json::value* type = s.if_contains("type")) {
    bool ok = false;
    if (type->is_string()) {
      ok = IsType(v, type->as_string());
    } else {
      for (const json::value& t : type->as_array()) ok = ok || IsType(v, t.as_string());
    }
    if (!ok) {
      errors.push_back(path + ": " + json::serialize(v).substr(0, 80) + " is not of type " +
                       json::serialize(*type));
      return;
    }
  }
  if (const json::value* allowed = s.if_contains("enum")) {
    const json::array& a = allowed->as_array();
    if (std::find(a.begin(), a.end(), v) == a.end()) {
      errors.push_back(path + ": " + json::serialize(v) + " is not one of " +
                       json::serialize(*allowed));
    }
  }
  if (v.is_string()) {
    std::string text(v.as_string());
    if (const json::value* f = s.if_contains("format"); f && !FormatHolds(f->as_string(), text)) {
      errors.push_back(path + ": \"" + text + "\" is not a " + std::string(f->as_string()));
    }
    if (const json::value* p = s.if_contains("pattern");
        p && !std::regex_search(text, std::regex(std::string(p->as_string())))) {
      errors.push_back(path + ": \"" + text + "\" does not match " + std::string(p->as_string()));
    }
    if (const json::value* n = s.if_contains("minLength"); n && CodePoints(text) < Number(*n)) {
      errors.push_back(path + ": shorter than " + json::serialize(*n));
    }
    if (const json::value* n = s.if_contains("maxLength"); n && CodePoints(text) > Number(*n)) {
      errors.push_back(path + ": longer than " + json::serialize(*n));
    }
  }
  if (v.is_number()) {
    if (const json::value* n = s.if_contains("minimum"); n && Number(v) < Number(*n)) {
      errors.push_back(path + ": below " + json::serialize(*n));
    }
    if (const json::value* n = s.if_contains("maximum"); n && Number(v) > Number(*n)) {
      errors.push_back(path + ": above " + json::serialize(*n));
    }
  }
  if (v.is_object()) {
    const json::object& o = v.as_object();
    static const json::object kNone;
    const json::object& props = s.contains("properties") ? s.at("properties").as_object() : kNone;
    if (const json::value* req = s.if_contains("required")) {
      for (const json::value& name : req->as_array()) {
        if (!o.contains(name.as_string()))
          errors.push_back(path + ": missing required " + std::string(name.as_string()));
      }
    }
    const json::value* additional = s.if_contains("additionalProperties");
    for (const auto& [key, value] : o) {
      std::string child = path + "." + std::string(key);
      if (const json::value* p = props.if_contains(key)) {
        Validate(root, *p, value, child, errors);
      } else if (additional && additional->is_bool() && !additional->as_bool()) {
        errors.push_back(child + ": not in the schema (additionalProperties is false)");
      } else if (additional && additional->is_object()) {
        Validate(root, *additional, value, child, errors);
      }
    }
    if (const json::value* n = s.if_contains("maxProperties"); n && o.size() > Number(*n)) {
      errors.push_back(path + ": more than " + json::serialize(*n) + " properties");
    }
    if (const json::value* n = s.if_contains("minProperties"); n && o.size() < Number(*n)) {
      errors.push_back(path + ": fewer than " + json::serialize(*n) + " properties");
    }
  }
  if (v.is_array()) {
    if (const json::value* items = s.if_contains("items")) {
      const json::array& a = v.as_array();
      for (size_t i = 0; i < a.size(); ++i)
        Validate(root, *items, a[i], path + "[" + std::to_string(i) + "]", errors);
    }
  }
}

// The document's path template that `path` matches, preferring the one with the most literal
// segments, as the router does ("/credentials/summary" before "/credentials/{id}").
const json::object* FindPathItem(const json::value& document, const std::string& path,
                                 std::string* pattern) {
  const json::object* best = nullptr;
  int best_literals = -1;
  std::vector<std::string> segments = Split(path);
  for (const auto& [key, item] : document.at("paths").as_object()) {
    std::vector<std::string> parts = Split(key);
    if (parts.size() != segments.size()) continue;
    int literals = 0;
    bool match = true;
    for (size_t i = 0; i < parts.size() && match; ++i) {
      if (!parts[i].empty() && parts[i].front() == '{') {
        match = !segments[i].empty();
      } else {
        match = parts[i] == segments[i];
        ++literals;
      }
    }
    if (match && literals > best_literals) {
      best = &item.as_object();
      best_literals = literals;
      *pattern = std::string(key);
    }
  }
  return best;
}

std::string MediaType(const std::string& content_type) {
  std::string t = content_type.substr(0, content_type.find(';'));
  while (!t.empty() && t.back() == ' ') t.pop_back();
  std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
  return t;
}

}  // namespace

std::vector<std::string> ValidateSchema(const json::value& root, const json::value& schema,
                                        const json::value& value) {
  std::vector<std::string> errors;
  Validate(root, schema, value, "$", errors);
  return errors;
}

std::vector<std::string> CheckAnswer(const json::value& document, const std::string& method,
                                     const std::string& target, const HttpResult& result,
                                     const std::string& request_body) {
  std::vector<std::string> errors;
  if (result.status == 0) return errors;  // no answer: the test asserts on that itself
  std::string path = target.substr(0, target.find('?'));
  std::string pattern;
  const json::object* item = FindPathItem(document, path, &pattern);
  if (item == nullptr) return errors;
  std::string lower = method;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  const json::value* op = item->if_contains(lower);
  if (op == nullptr) return errors;  // 405 or HEAD: the router's, not an operation's
  const std::string where = method + " " + pattern + " " + std::to_string(result.status);
  // A JSON body the server accepted must fit the documented request schema, so the document
  // is never stricter than the server (lengths, required fields, enums).
  if (result.status / 100 == 2 && !request_body.empty() &&
      op->as_object().contains("requestBody")) {
    boost::system::error_code ec;
    json::value sent = json::parse(request_body, ec);
    const json::value* body_doc = Resolve(document, op->at("requestBody"));
    const json::value* json_media =
        body_doc ? body_doc->at("content").as_object().if_contains("application/json") : nullptr;
    if (!ec && json_media != nullptr) {
      for (const std::string& e : ValidateSchema(document, json_media->at("schema"), sent)) {
        errors.push_back(where + ": the accepted request body breaks its schema: " + e);
      }
    }
  }
  const json::value* response_ref =
      op->at("responses").as_object().if_contains(std::to_string(result.status));
  if (response_ref == nullptr) {
    errors.push_back(where + ": the status is not documented for the operation (body " +
                     result.body.substr(0, 200) + ")");
    return errors;
  }
  const json::value* response = Resolve(document, *response_ref);
  if (response == nullptr) {
    errors.push_back(where + ": unresolvable response $ref");
    return errors;
  }
  const json::value* content = response->as_object().if_contains("content");
  std::string type = MediaType(result.Header("content-type"));
  if (result.body.empty() && (content == nullptr || result.status == 304 || result.status == 204))
    return errors;
  if (content == nullptr) {
    errors.push_back(where + ": a body (" + type + ") where the document says none");
    return errors;
  }
  const json::value* media = content->as_object().if_contains(type);
  const bool is_json = type == "application/json" || type == "application/problem+json";
  if (media == nullptr) {
    if (!is_json && content->as_object().contains("application/octet-stream")) return errors;
    errors.push_back(where + ": content type " + type + " is not documented (" +
                     json::serialize(*content).substr(0, 200) + ")");
    return errors;
  }
  if (!is_json) return errors;
  boost::system::error_code ec;
  json::value body = json::parse(result.body, ec);
  if (ec) {
    errors.push_back(where + ": the body is not JSON");
    return errors;
  }
  const json::value* schema = media->as_object().if_contains("schema");
  if (schema == nullptr) return errors;
  for (const std::string& e : ValidateSchema(document, *schema, body))
    errors.push_back(where + ": " + e);
  return errors;
}

}  // namespace bf::testing
