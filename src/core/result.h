// Errors are values. Every fallible function returns Result<T> (or Status, for no value):
// either the value or an Error that says what went wrong in words safe for the client.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

namespace bf {

// The kinds of failure, as any caller can have them (HTTP, the command line, jobs). Each maps to
// exactly one HTTP status in http/problem.cc; failures of HTTP itself (a method a route does not
// take, a header too large) are not among them: http/problem.h has those.
enum class ErrorCode {
  kBadRequest,            // 400: malformed JSON, wrong types, unknown fields or query values
  kUnauthenticated,       // 401
  kPermissionDenied,      // 403
  kNotFound,              // 404: absent, or in another organisation
  kConflict,              // 409
  kPreconditionFailed,    // 412
  kTooLarge,              // 413
  kUnsupportedMediaType,  // 415
  kInvalid,               // 422: well-formed but invalid values
  kTooManyRequests,       // 429
  kInternal,              // 500
  kUnavailable,           // 503
};

// One problem with one input field, as listed in a problem document's "errors".
struct FieldError {
  std::string field;
  std::string code;     // machine-readable, e.g. "expiry_before_issue"
  std::string message;  // for people
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string reason;   // machine-readable, e.g. "name_taken"; the problem document's "code"
  std::string message;  // safe to show the client
  std::string detail;   // for the server log only; never sent
  std::vector<FieldError> fields;
};

template <typename T>
using Result = tl::expected<T, Error>;
using Status = tl::expected<void, Error>;

inline tl::unexpected<Error> Fail(ErrorCode code, std::string reason, std::string message,
                                  std::string detail = {}) {
  return tl::unexpected<Error>(
      Error{code, std::move(reason), std::move(message), std::move(detail), {}});
}

// 422 naming one field.
inline tl::unexpected<Error> FailField(std::string field, std::string code, std::string message) {
  Error e{ErrorCode::kInvalid, code, message, {}, {}};
  e.fields.push_back({std::move(field), std::move(code), std::move(message)});
  return tl::unexpected<Error>(std::move(e));
}

inline tl::unexpected<Error> NotFound(std::string what) {
  return Fail(ErrorCode::kNotFound, "not_found", std::move(what) + " not found");
}
inline tl::unexpected<Error> Forbidden(std::string message = "not allowed") {
  return Fail(ErrorCode::kPermissionDenied, "forbidden", std::move(message));
}
inline tl::unexpected<Error> Internal(std::string detail) {
  return Fail(ErrorCode::kInternal, "internal", "internal error", std::move(detail));
}

inline Status Ok() { return {}; }

// Ok, or the error of `r`: for callers that need only whether it worked.
template <typename T>
Status StatusOf(const Result<T>& r) {
  if (r) return Ok();
  return tl::unexpected(r.error());
}

}  // namespace bf

#define BF_CONCAT_INNER(a, b) a##b
#define BF_CONCAT(a, b) BF_CONCAT_INNER(a, b)

// Returns the error of `expr` (a Status or Result) from the enclosing function.
#define BF_RETURN_IF_ERROR(expr)                                         \
  do {                                                                   \
    auto bf_status_ = (expr);                                            \
    if (!bf_status_) return ::tl::unexpected(std::move(bf_status_).error()); \
  } while (false)

// `lhs = value of rexpr`, or returns its error from the enclosing function.
#define BF_ASSIGN_OR_RETURN(lhs, rexpr) \
  BF_ASSIGN_OR_RETURN_IMPL(BF_CONCAT(bf_result_, __LINE__), lhs, rexpr)
#define BF_ASSIGN_OR_RETURN_IMPL(tmp, lhs, rexpr)                 \
  auto tmp = (rexpr);                                             \
  if (!tmp) return ::tl::unexpected(std::move(tmp).error());      \
  lhs = std::move(*tmp)
