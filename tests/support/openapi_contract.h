// The API tests' check of the server against its own OpenAPI document: every answer the test
// client receives must have a status the document lists for its operation, and a JSON body
// that validates against the documented schema of that status.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <vector>

namespace bf::testing {

struct HttpResult;

// The violations of `value` against `schema` (JSON Schema, the subset the document uses: $ref
// to #/components/..., anyOf, type (or a list of types), enum, properties, required,
// additionalProperties: false, items, min/maxProperties, minimum, maximum, minLength,
// maxLength, pattern, format uuid/date/date-time/email). `root` resolves the $refs. Empty when
// valid; each entry names the JSON path.
std::vector<std::string> ValidateSchema(const boost::json::value& root,
                                        const boost::json::value& schema,
                                        const boost::json::value& value);

// The violations of `result`, the answer to `method` `target` with `request_body`, against
// `document`: an empty list when the route is not in the document (the web interface, unknown
// paths, 405s). A JSON request body answered with 2xx must also fit the documented request
// schema.
std::vector<std::string> CheckAnswer(const boost::json::value& document, const std::string& method,
                                     const std::string& target, const HttpResult& result,
                                     const std::string& request_body = "");

}  // namespace bf::testing
