// The one place that turns an Error into an HTTP answer: an RFC 9457 problem document.
#pragma once

#include "core/result.h"
#include "http/message.h"

namespace bf::http {

int HttpStatus(ErrorCode code);

// `{"type","title","status","detail","code","errors":[{"field","code","message"}]}` as
// application/problem+json. Only 5xx log the error's detail (with the request id); it is never
// sent.
Response ProblemResponse(const Error& error, const Request& request);

}  // namespace bf::http
