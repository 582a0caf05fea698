// The route table and dispatch: match → authenticate → check origin (CSRF) → handler → problem
// documents for every error. No sockets here.
#pragma once

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "http/message.h"
#include "service/auth_service.h"

namespace bf::http {

inline constexpr size_t kDefaultBodyLimit = 64 * 1024;  // routes opt into more
inline constexpr char kSessionCookie[] = "bonafides_session";

enum class Access { kPublic, kSignedIn };

// What a handler gets: the request, the path parameters and, on signed-in routes, the actor.
struct Context {
  const Request& request;
  std::vector<std::pair<std::string, std::string>> params;
  std::optional<Authenticated> auth;

  const Actor& actor() const { return auth->actor; }
  // The path parameter `name` ("id" for "/users/{id}").
  const std::string& Param(std::string_view name) const;
  // The query parameter's value, or nullopt.
  std::optional<std::string> Query(std::string_view name) const;
  // 400 "unknown_parameter" if the query names a parameter not in `allowed`, or one twice.
  Status AllowQuery(std::initializer_list<std::string_view> allowed) const;
};

using Handler = std::function<Result<Response>(Context&)>;

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/users/{id}": {name} matches one non-empty segment
  Access access;
  Handler handler;
  std::string summary;  // for the OpenAPI document
  size_t body_limit = kDefaultBodyLimit;
  // Streaming routes run on the blocking pool: the handler reads the body as it arrives
  // (Request::body_reader) and may stream its answer (Response::stream). For uploads, imports
  // and exports: memory stays bounded whatever the size.
  bool streaming = false;
  // The 413 message when a declared body is over body_limit ("" for the generic one).
  std::string too_large_message;
  // A streaming route that decodes media (thumbnails): it runs on the server's small media pool,
  // never on the blocking pool that uploads, imports and exports need.
  bool media = false;
  // The 413's code when the body is over body_limit ("" for "too_large").
  std::string too_large_code;
};

// What the transport needs to know about the route of a request before reading its body.
struct RouteInfo {
  size_t body_limit = kDefaultBodyLimit;
  bool streaming = false;
  std::string too_large_message;
  bool media = false;
  std::string too_large_code;
};

class Router {
 public:
  // `fallback` answers GET requests outside /api/ that match no route (the web interface);
  // may be empty.
  Router(std::vector<Route> routes, AuthService& auth, Handler fallback = {});

  // The body limit and streaming mode of the route for `method` `path` (defaults when none
  // matches).
  RouteInfo Lookup(std::string_view method, std::string_view path) const;
  // Answers one request. Never throws; every error becomes a problem document.
  Response Handle(const Request& request) const;
  // Whether a request may go on to have its body read, judged on its header alone: the
  // authentication a signed-in route requires (401 as Handle would answer it). Ok for public
  // routes and for requests no route matches (Handle answers those). The transport calls it
  // before it spends memory, disk or time on a body. Never throws.
  Status Admit(const Request& header) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Match {
    const Route* route = nullptr;
    std::vector<std::pair<std::string, std::string>> params;
    std::vector<std::string> allowed_methods;  // when the path matched but the method did not
  };
  Match Find(std::string_view method, std::string_view path) const;
  Result<Response> Dispatch(const Request& request) const;
  // The actor of a signed-in route's request (nullopt on public routes); `by_cookie` tells
  // whether a session cookie said who it is.
  Result<std::optional<Authenticated>> Authenticate(const Route& route, const Request& request,
                                                    bool& by_cookie) const;

  std::vector<Route> routes_;
  // Each route's pattern split at '/', made once: splitting every pattern on every lookup (a
  // request looks its route up twice) cost a list request ~50 small allocations.
  std::vector<std::vector<std::string>> patterns_;
  AuthService& auth_;
  Handler fallback_;
};

// The session cookie's value from a Cookie header, or "".
std::string SessionCookie(std::string_view cookie_header);
// True when Origin / Referer / Sec-Fetch-Site say the request comes from another site.
bool IsCrossSite(const Request& request);

}  // namespace bf::http
