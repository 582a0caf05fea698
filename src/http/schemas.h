// The API's contract beside its codecs: the JSON Schema of every body the codecs write or read,
// and, for every route, what the OpenAPI document says of it (operationId, tag, parameters,
// request body, each status it answers with). The document is generated from these and the
// route table (http/openapi.cc); the API tests validate every answer against it
// (tests/support/http_client.cc), so a field added to a codec without its schema fails a test.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bf::http {

// What the document says of one route beyond its summary.
struct OperationDoc {
  std::string method;
  std::string pattern;
  std::string operation_id;  // unique, camelCase
  std::string tag;
  std::string description;              // "" for none; the spec's words
  std::vector<std::string> parameters;  // names in components.parameters (query and headers)
  std::string body;                     // a name in components.requestBodies, or ""
  std::vector<std::pair<int, std::string>> responses;  // status → components.responses name
};

// components.schemas, components.parameters, components.requestBodies, components.responses.
boost::json::object Components();

// The documentation of every route, in no particular order.
const std::vector<OperationDoc>& OperationDocs();

// The description of an OperationDoc's tag ("" for an unknown one).
std::string TagDescription(std::string_view tag);

// Groups, requirements and compliance (group_schemas.cc): the same four kinds of components and
// their operations, which Components() and OperationDocs() include.
boost::json::object GroupComponents();
const std::vector<OperationDoc>& GroupOperationDocs();

// The documentation of `method` `pattern`, or nullptr when the route has none.
const OperationDoc* FindOperationDoc(std::string_view method, std::string_view pattern);

}  // namespace bf::http
