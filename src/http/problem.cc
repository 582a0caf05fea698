#include "http/problem.h"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

namespace bf::http {
namespace {

const char* Title(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return "Internal Server Error";
  }
}

}  // namespace

int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadRequest: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kPreconditionFailed: return 412;
    case ErrorCode::kTooLarge: return 413;
    case ErrorCode::kUnsupportedMediaType: return 415;
    case ErrorCode::kInvalid: return 422;
    case ErrorCode::kTooManyRequests: return 429;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

namespace {

Response Problem(int status, const Error& error, const Request& request) {
  // A 503 is load shedding (too many password checks, a busy database): the client is told to
  // retry, so it is a warning; anything else at 5xx is a fault someone must look at.
  if (status == 503) {
    spdlog::warn("request {} {} {} shed: {}", request.request_id, request.method, request.path,
                 error.message);
  } else if (status >= 500) {
    spdlog::error("request {} {} {} failed: {} ({})", request.request_id, request.method,
                  request.path, error.message, error.detail);
  }
  std::string code = error.reason.empty() ? "error" : error.reason;
  boost::json::object body;
  body["type"] = "/problems/" + code;
  body["title"] = Title(status);
  body["status"] = status;
  body["detail"] = status >= 500 && error.message.empty() ? "internal error" : error.message;
  body["code"] = code;
  boost::json::array errors;
  for (const FieldError& f : error.fields) {
    errors.push_back(boost::json::object{{"field", f.field}, {"code", f.code}, {"message", f.message}});
  }
  body["errors"] = std::move(errors);
  Response r;
  r.status = status;
  r.body = boost::json::serialize(body);
  r.Set("Content-Type", "application/problem+json");
  if (status == 401) r.Set("WWW-Authenticate", "Bearer realm=\"bonafides\"");
  // A busy server (database, or too many password checks at once) is a matter of a moment:
  // say when to come back.
  if (code == "server_busy" || code == "database_busy") r.Set("Retry-After", "1");
  return r;
}

}  // namespace

Response ProblemResponse(const Error& error, const Request& request) {
  return Problem(HttpStatus(error.code), error, request);
}

Response ProblemResponse(HttpFailure failure, std::string reason, std::string message,
                         const Request& request) {
  return Problem(static_cast<int>(failure),
                 Error{ErrorCode::kBadRequest, std::move(reason), std::move(message), {}, {}},
                 request);
}

}  // namespace bf::http
