#include "http/router.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

#include "http/problem.h"

namespace bf::http {
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

bool IsSafe(std::string_view method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

// "https://host:port/path" → "host:port"; "" when it cannot be read.
std::string_view HostOf(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme + 3);
  return rest.substr(0, rest.find_first_of("/?#"));
}

}  // namespace

const std::string& Context::Param(std::string_view name) const {
  static const std::string empty;
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  return empty;
}

std::optional<std::string> Context::Query(std::string_view name) const {
  for (const auto& [k, v] : request.query) {
    if (k == name) return v;
  }
  return std::nullopt;
}

Status Context::AllowQuery(std::initializer_list<std::string_view> allowed) const {
  std::vector<std::string_view> seen;
  for (const auto& [k, v] : request.query) {
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
      Error e{ErrorCode::kBadRequest, "unknown_parameter", "unknown query parameter: " + k, {}, {}};
      e.fields.push_back({k, "unknown_parameter", "unknown query parameter"});
      return tl::unexpected(std::move(e));
    }
    if (std::find(seen.begin(), seen.end(), k) != seen.end()) {
      return Fail(ErrorCode::kBadRequest, "bad_request", "query parameter given twice: " + k);
    }
    seen.push_back(k);
  }
  return Ok();
}

std::string SessionCookie(std::string_view header) {
  std::string_view name = kSessionCookie;
  while (!header.empty()) {
    auto semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name &&
        pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
  }
  return {};
}

bool IsCrossSite(const Request& request) {
  if (request.Header("Sec-Fetch-Site") == "cross-site") return true;
  std::string_view host = request.Header("Host");
  std::string_view origin = request.Header("Origin");
  if (!origin.empty()) return origin == "null" || HostOf(origin) != host;
  std::string_view referer = request.Header("Referer");
  if (!referer.empty()) return HostOf(referer) != host;
  return false;  // neither header: a script using the cookie
}

Router::Router(std::vector<Route> routes, AuthService& auth, Handler fallback)
    : routes_(std::move(routes)), auth_(auth), fallback_(std::move(fallback)) {
  patterns_.reserve(routes_.size());
  for (const Route& route : routes_) {
    std::vector<std::string> pattern;
    for (std::string_view segment : Segments(route.pattern)) pattern.emplace_back(segment);
    patterns_.push_back(std::move(pattern));
  }
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  Match match;
  auto segments = Segments(path);
  for (size_t r = 0; r < routes_.size(); ++r) {
    const Route& route = routes_[r];
    const std::vector<std::string>& pattern = patterns_[r];
    if (pattern.size() != segments.size()) continue;
    std::vector<std::pair<std::string, std::string>> params;
    bool ok = true;
    for (size_t i = 0; i < pattern.size() && ok; ++i) {
      std::string_view p = pattern[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        ok = !segments[i].empty();
        params.emplace_back(std::string(p.substr(1, p.size() - 2)), std::string(segments[i]));
      } else {
        ok = p == segments[i];
      }
    }
    if (!ok) continue;
    if (route.method == method) {
      match.route = &route;
      match.params = std::move(params);
      return match;
    }
    match.allowed_methods.push_back(route.method);
  }
  return match;
}

RouteInfo Router::Lookup(std::string_view method, std::string_view path) const {
  Match m = Find(method, path);
  if (m.route == nullptr) return RouteInfo{};
  return RouteInfo{m.route->body_limit, m.route->streaming, m.route->too_large_message,
                   m.route->media, m.route->too_large_code};
}

Result<std::optional<Authenticated>> Router::Authenticate(const Route& route,
                                                          const Request& request,
                                                          bool& by_cookie) const {
  if (route.access != Access::kSignedIn) return std::optional<Authenticated>();
  std::string_view authorization = request.Header("Authorization");
  if (!authorization.empty()) {
    if (authorization.substr(0, 7) != "Bearer ") {
      return Fail(ErrorCode::kUnauthenticated, "unauthenticated",
                  "use Authorization: Bearer <token>");
    }
    BF_ASSIGN_OR_RETURN(auto auth, auth_.AuthenticateToken(std::string(authorization.substr(7))));
    return std::optional<Authenticated>(std::move(auth));
  }
  std::string cookie = SessionCookie(request.Header("Cookie"));
  if (cookie.empty()) return Fail(ErrorCode::kUnauthenticated, "unauthenticated", "sign in first");
  BF_ASSIGN_OR_RETURN(auto auth, auth_.AuthenticateSession(cookie));
  by_cookie = true;
  return std::optional<Authenticated>(std::move(auth));
}

Status Router::Admit(const Request& header) const {
  try {
    Match m = Find(header.method, header.path);
    if (m.route == nullptr) return Ok();
    bool by_cookie = false;
    BF_ASSIGN_OR_RETURN(auto auth, Authenticate(*m.route, header, by_cookie));
    (void)auth;
    return Ok();
  } catch (const std::exception& e) {
    return Internal(std::string("unhandled exception: ") + e.what());
  }
}

Result<Response> Router::Dispatch(const Request& request) const {
  Match m = Find(request.method, request.path);
  if (m.route == nullptr) {
    bool api = request.path.rfind("/api/", 0) == 0;
    if (fallback_ && !api && m.allowed_methods.empty() && request.method == "GET") {
      Context ctx{request, {}, std::nullopt};
      return fallback_(ctx);
    }
    if (!m.allowed_methods.empty()) {
      Response r = ProblemResponse(HttpFailure::kMethodNotAllowed, "method_not_allowed",
                                   request.method + " is not allowed here", request);
      std::string allow;
      for (const auto& method : Find("", request.path).allowed_methods) {
        allow += (allow.empty() ? "" : ", ") + method;
      }
      r.Set("Allow", allow);
      return r;
    }
    return Fail(ErrorCode::kNotFound, "not_found", "no such route: " + request.path);
  }
  Context ctx{request, std::move(m.params), std::nullopt};
  // A signed-in read authenticates and answers in one read transaction: the token or session,
  // the user's status and the answer come from one snapshot, so a revocation or deactivation
  // committed before it is seen as before, for one transaction instead of two.
  std::unique_ptr<ReadScope> shared_read;
  if (IsSafe(request.method) && m.route->access == Access::kSignedIn) {
    shared_read = auth_.ShareReads();
  }
  bool by_cookie = false;
  BF_ASSIGN_OR_RETURN(ctx.auth, Authenticate(*m.route, request, by_cookie));
  // Changes made with a cookie (and sign-in itself) must come from our own pages.
  if (!IsSafe(request.method) && (by_cookie || m.route->access == Access::kPublic) &&
      IsCrossSite(request)) {
    return Fail(ErrorCode::kPermissionDenied, "cross_site_request",
                "cross-site requests may not change anything");
  }
  return m.route->handler(ctx);
}

Response Router::Handle(const Request& request) const {
  Result<Response> result;
  try {
    result = Dispatch(request);
  } catch (const std::exception& e) {
    result = Internal(std::string("unhandled exception: ") + e.what());
  }
  return result ? std::move(*result) : ProblemResponse(result.error(), request);
}

}  // namespace bf::http
