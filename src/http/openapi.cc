// The OpenAPI document is generated from the route table and the schemas beside the codecs
// (http/schemas.h), so it lists exactly the routes that exist: a route cannot be added without
// appearing here, and a route without its OperationDoc makes the document say so (and
// tests/api/openapi_test.cc fail).
#include <algorithm>
#include <boost/json.hpp>
#include <cctype>

#include "http/api.h"
#include "http/schemas.h"

namespace bf::http {
namespace {

boost::json::array PathParameters(const std::string& pattern) {
  boost::json::array params;
  size_t pos = 0;
  while ((pos = pattern.find('{', pos)) != std::string::npos) {
    size_t end = pattern.find('}', pos);
    std::string name = pattern.substr(pos + 1, end - pos - 1);
    boost::json::object schema = name == "n"
                                     ? boost::json::object{{"type", "integer"}, {"minimum", 1}}
                                     : boost::json::object{{"type", "string"}};
    params.push_back(boost::json::object{
        {"name", name},
        {"in", "path"},
        {"required", true},
        {"description", name == "n" ? "The version number, from 1." : "The id."},
        {"schema", std::move(schema)}});
    pos = end;
  }
  return params;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

boost::json::object Ref(const std::string& kind, const std::string& name) {
  return {{"$ref", "#/components/" + kind + "/" + name}};
}

// The statuses every operation of its kind can answer, beside those its OperationDoc lists:
// 400 for a malformed body or query, 401 and 403 (permissions, cross-site) on signed-in routes,
// 413 and 415 for a body too large or of the wrong type, 431 for any request.
void AddCommonResponses(const Route& route, const OperationDoc& doc,
                        boost::json::object& responses) {
  auto add = [&](int status, const char* name) {
    std::string key = std::to_string(status);
    if (!responses.contains(key)) responses[key] = Ref("responses", name);
  };
  const bool api = route.pattern.rfind("/api/", 0) == 0;
  if (api && (!doc.parameters.empty() || !doc.body.empty())) add(400, "BadRequest");
  if (route.access == Access::kSignedIn) {
    add(401, "Unauthorized");
    add(403, "Forbidden");
  }
  add(431, "HeaderTooLarge");  // the transport's, before any route
  if (!doc.body.empty()) {
    add(413, "TooLarge");
    add(415, "UnsupportedMediaType");  // a JSON body not sent as application/json
  }
}

boost::json::object Operation(const Route& route) {
  boost::json::object op;
  op["summary"] = route.summary;
  const OperationDoc* doc = FindOperationDoc(route.method, route.pattern);
  if (doc == nullptr) {
    // Keeps the document whole; openapi_test fails on the marker.
    op["operationId"] = "undocumented";
    op["responses"] = {{"default", {{"description", "undocumented route"}}}};
    return op;
  }
  op["operationId"] = doc->operation_id;
  op["tags"] = boost::json::array{boost::json::value(doc->tag)};
  if (!doc->description.empty()) op["description"] = doc->description;
  boost::json::array params = PathParameters(route.pattern);
  for (const std::string& name : doc->parameters) params.push_back(Ref("parameters", name));
  if (!params.empty()) op["parameters"] = std::move(params);
  if (!doc->body.empty()) op["requestBody"] = Ref("requestBodies", doc->body);
  if (route.access == Access::kPublic) op["security"] = boost::json::array();
  boost::json::object responses;
  for (const auto& [status, name] : doc->responses)
    responses[std::to_string(status)] = Ref("responses", name);
  AddCommonResponses(route, *doc, responses);
  // Statuses in order, for people reading the document.
  std::vector<std::string> keys;
  for (const auto& entry : responses) keys.emplace_back(entry.key());
  std::sort(keys.begin(), keys.end());
  boost::json::object sorted;
  for (const std::string& key : keys) sorted[key] = responses[key];
  op["responses"] = std::move(sorted);
  return op;
}

constexpr char kSessionDescription[] =
    "The session cookie set by login (HttpOnly, SameSite=Lax). A state-changing request "
    "authenticated by it is refused with 403 when its Origin (or, without one, its Referer) "
    "names another site, or when Sec-Fetch-Site says cross-site; requests with neither header "
    "pass.";

}  // namespace

std::string OpenApiDocument(const std::vector<Route>& routes) {
  boost::json::object paths;
  boost::json::array tags;
  for (const Route& route : routes) {
    boost::json::value& entry = paths[route.pattern];
    if (!entry.is_object()) entry.emplace_object();
    entry.as_object()[Lower(route.method)] = Operation(route);
    const OperationDoc* doc = FindOperationDoc(route.method, route.pattern);
    if (doc != nullptr && std::none_of(tags.begin(), tags.end(), [&](const boost::json::value& t) {
          return t.at("name").as_string() == doc->tag;
        })) {
      tags.push_back(
          boost::json::object{{"name", doc->tag}, {"description", TagDescription(doc->tag)}});
    }
  }
  boost::json::object components = Components();
  components["securitySchemes"] = {
      {"session",
       {{"type", "apiKey"},
        {"in", "cookie"},
        {"name", kSessionCookie},
        {"description", kSessionDescription}}},
      {"token",
       {{"type", "http"},
        {"scheme", "bearer"},
        {"description",
         "An API token from POST /api/v1/me/tokens: Authorization: Bearer <token>."}}}};
  boost::json::object doc{
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "Bonafides API"},
        {"version", "1"},
        {"summary", "Credentials of an organisation's people: types, versions, approvals, expiry."},
        {"description",
         "JSON in and out, field names in snake_case. IDs are opaque UUIDs; dates YYYY-MM-DD; "
         "timestamps RFC 3339 in UTC with milliseconds. Lists take ?limit= (1–200, default 50) "
         "and ?cursor= and answer {items, next_cursor}. Errors are RFC 9457 problem documents."},
        {"license", {{"name", "Proprietary"}, {"identifier", "LicenseRef-Bonafides"}}}}},
      {"servers", boost::json::array{boost::json::object{
                      {"url", "/"}, {"description", "The server that serves this document"}}}},
      {"tags", std::move(tags)},
      {"components", std::move(components)},
      {"security", boost::json::array{boost::json::object{{"session", boost::json::array()}},
                                      boost::json::object{{"token", boost::json::array()}}}},
      {"paths", std::move(paths)},
  };
  return boost::json::serialize(doc);
}

}  // namespace bf::http
