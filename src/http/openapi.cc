// The OpenAPI document is generated from the route table, so it lists exactly the routes that
// exist: a route cannot be added without appearing here.
#include <algorithm>
#include <cctype>

#include <boost/json.hpp>

#include "http/api.h"

namespace bf::http {
namespace {

boost::json::array PathParameters(const std::string& pattern) {
  boost::json::array params;
  size_t pos = 0;
  while ((pos = pattern.find('{', pos)) != std::string::npos) {
    size_t end = pattern.find('}', pos);
    params.push_back(boost::json::object{{"name", pattern.substr(pos + 1, end - pos - 1)},
                                         {"in", "path"},
                                         {"required", true},
                                         {"schema", {{"type", "string"}}}});
    pos = end;
  }
  return params;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

std::string OpenApiDocument(const std::vector<Route>& routes) {
  boost::json::object paths;
  for (const Route& route : routes) {
    boost::json::object op;
    op["summary"] = route.summary;
    op["operationId"] = Lower(route.method) + route.pattern;
    boost::json::array params = PathParameters(route.pattern);
    if (!params.empty()) op["parameters"] = std::move(params);
    if (route.access == Access::kPublic) op["security"] = boost::json::array();
    boost::json::object responses;
    responses["default"] = {{"description", "application/json, or application/problem+json on error"}};
    op["responses"] = std::move(responses);
    boost::json::value& entry = paths[route.pattern];
    if (!entry.is_object()) entry.emplace_object();
    entry.as_object()[Lower(route.method)] = std::move(op);
  }
  boost::json::object doc{
      {"openapi", "3.1.0"},
      {"info", {{"title", "Bonafides API"}, {"version", "1"}}},
      {"components",
       {{"securitySchemes",
         {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", kSessionCookie}}},
          {"token", {{"type", "http"}, {"scheme", "bearer"}}}}}}},
      {"security", boost::json::array{boost::json::object{{"session", boost::json::array()}},
                                      boost::json::object{{"token", boost::json::array()}}}},
      {"paths", std::move(paths)},
  };
  return boost::json::serialize(doc);
}

}  // namespace bf::http
