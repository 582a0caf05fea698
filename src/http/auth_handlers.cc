#include <string>

#include "core/dates.h"
#include "core/ids.h"
#include "http/codec.h"
#include "http/handlers.h"
#include "http/json_io.h"

namespace bf::http {
namespace {

std::string SessionCookieHeader(const std::string& value, int64_t max_age_seconds, bool secure) {
  std::string out = std::string(kSessionCookie) + "=" + value +
                    "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age_seconds);
  if (secure) out += "; Secure";
  return out;
}

bool Secure(const Api& api, const Request& req) {
  return api.options.secure_cookies || req.secure || req.Header("X-Forwarded-Proto") == "https";
}

}  // namespace

Result<Response> Healthz(Api&, Context&) {
  return JsonResponse(200, boost::json::object{{"status", "ok"}});
}

Result<Response> Readyz(Api& api, Context&) {
  BF_RETURN_IF_ERROR(api.store.Ping());
  return JsonResponse(200, boost::json::object{{"status", "ready"}});
}

Result<Response> Login(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.request));
  JsonFields f(body, {"email", "password", "organization_id"});
  auto email = f.String("email");
  auto password = f.String("password");
  auto org_id = f.String("organization_id");
  BF_RETURN_IF_ERROR(f.Check());
  if (!email || email->empty()) return FailField("email", "required", "email is required");
  if (!password || password->empty()) return FailField("password", "required", "password is required");
  BF_ASSIGN_OR_RETURN(LoginResult login, api.services.auth.Login(*email, *password, org_id.value_or(""),
                                                                 ctx.request.remote_address));
  auto max_age = std::chrono::duration_cast<std::chrono::seconds>(
                     login.expires_at - api.services.ctx.clock.Now()).count();
  Response r = JsonResponse(200, boost::json::object{{"user", UserJson(login.user)}});
  r.Set("Set-Cookie", SessionCookieHeader(login.session_secret, max_age, Secure(api, ctx.request)));
  return r;
}

Result<Response> Logout(Api& api, Context& ctx) {
  if (!ctx.auth->session_hash.empty()) BF_RETURN_IF_ERROR(api.services.auth.Logout(ctx.auth->session_hash));
  Response r = NoContent();
  r.Set("Set-Cookie", SessionCookieHeader("", 0, Secure(api, ctx.request)));
  return r;
}

Result<Response> GetMe(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(User me, api.services.users.Get(ctx.actor(), ctx.actor().user_id));
  return JsonResponse(200, UserJson(me));
}

Result<Response> CreateToken(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.request));
  JsonFields f(body, {"name"});
  auto name = f.String("name");
  BF_RETURN_IF_ERROR(f.Check());
  BF_ASSIGN_OR_RETURN(CreatedToken created, api.services.auth.CreateToken(ctx.actor(), name.value_or("")));
  boost::json::object out = TokenJson(created.token);
  out["token"] = created.secret;
  return JsonResponse(201, out);
}

Result<Response> ListTokens(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto tokens, api.services.auth.ListTokens(ctx.actor()));
  boost::json::array items;
  for (const ApiToken& t : tokens) items.push_back(TokenJson(t));
  return JsonResponse(200, Page(std::move(items), ""));
}

Result<Response> RevokeToken(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(api.services.auth.RevokeToken(ctx.actor(), ctx.Param("id")));
  return NoContent();
}

Result<Response> ChangePassword(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.request));
  JsonFields f(body, {"current_password", "new_password"});
  auto current = f.String("current_password");
  auto next = f.String("new_password");
  BF_RETURN_IF_ERROR(f.Check());
  if (!current) return FailField("current_password", "required", "current_password is required");
  if (!next) return FailField("new_password", "required", "new_password is required");
  BF_RETURN_IF_ERROR(api.services.auth.ChangePassword(ctx.actor(), *current, *next, ctx.auth->session_hash));
  return NoContent();
}

Result<int> ParseLimit(const Context& ctx) {
  auto text = ctx.Query("limit");
  if (!text) return 50;
  int value = 0;
  bool digits = !text->empty() && text->size() <= 3 &&
                text->find_first_not_of("0123456789") == std::string::npos;
  if (digits) value = std::stoi(*text);
  if (!digits || value < 1 || value > 200) {
    return Fail(ErrorCode::kBadRequest, "invalid_limit", "limit must be between 1 and 200");
  }
  return value;
}

}  // namespace bf::http
