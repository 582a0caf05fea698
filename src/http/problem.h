// The one place that turns an Error into an HTTP answer: an RFC 9457 problem document.
#pragma once

#include "core/result.h"
#include "http/message.h"

namespace bf::http {

int HttpStatus(ErrorCode code);

// Failures of HTTP itself, which no layer below it can have (so no ErrorCode): each its status.
enum class HttpFailure {
  kMethodNotAllowed = 405,  // the path exists, the method does not (the router adds Allow)
  kHeaderTooLarge = 431,    // the request header is over the server's limit
};

// `{"type","title","status","detail","code","errors":[{"field","code","message"}]}` as
// application/problem+json. Only 5xx log the error's detail (with the request id); it is never
// sent.
Response ProblemResponse(const Error& error, const Request& request);
// The same for a failure of HTTP itself: `reason` is the document's "code", `message` its
// "detail".
Response ProblemResponse(HttpFailure failure, std::string reason, std::string message,
                         const Request& request);

}  // namespace bf::http
