#include "core/ids.h"
#include "http/codec.h"
#include "http/handlers.h"
#include "http/json_io.h"

namespace bf::http {
namespace {

// A user-list cursor carries the last (lower-cased name, id) seen.
std::string UserCursor(const User& last) {
  std::string key;
  for (char c : last.name) key.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c);
  return Base64UrlEncode(key + '\n' + last.id);
}

Result<std::optional<std::pair<std::string, std::string>>> ParseUserCursor(const Context& ctx) {
  auto text = ctx.Query("cursor");
  if (!text || text->empty()) return std::nullopt;
  auto raw = Base64UrlDecode(*text);
  size_t nl = raw ? raw->rfind('\n') : std::string::npos;
  if (nl == std::string::npos || !IsUuid(raw->substr(nl + 1))) {
    return Fail(ErrorCode::kBadRequest, "invalid_cursor", "the cursor is not one this server gave");
  }
  return std::make_pair(raw->substr(0, nl), raw->substr(nl + 1));
}

Result<UserStatus> ParseStatus(const std::string& s, ErrorCode code) {
  if (s == "active") return UserStatus::kActive;
  if (s == "deactivated") return UserStatus::kDeactivated;
  Error e{code, code == ErrorCode::kBadRequest ? "invalid_parameter" : "invalid_status",
          "status must be active or deactivated", {}, {}};
  e.fields.push_back({"status", e.reason, e.message});
  return tl::unexpected(std::move(e));
}

Result<PermissionSetInput> DecodePermissionSet(const Request& req) {
  BF_ASSIGN_OR_RETURN(auto body, ParseJsonObject(req));
  JsonFields f(body, {"name", "permissions"});
  PermissionSetInput input{f.String("name"), f.StringList("permissions")};
  BF_RETURN_IF_ERROR(f.Check());
  return input;
}

}  // namespace

Result<Response> ListUsers(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(ctx.AllowQuery({"q", "status", "permission_set_id", "limit", "cursor"}));
  UserFilter filter;
  BF_ASSIGN_OR_RETURN(int limit, ParseLimit(ctx));
  filter.limit = limit + 1;
  BF_ASSIGN_OR_RETURN(filter.after, ParseUserCursor(ctx));
  filter.q = ctx.Query("q").value_or("");
  if (auto status = ctx.Query("status"); status && !status->empty()) {
    BF_ASSIGN_OR_RETURN(filter.status, ParseStatus(*status, ErrorCode::kBadRequest));
  }
  filter.permission_set_id = ctx.Query("permission_set_id").value_or("");
  BF_ASSIGN_OR_RETURN(auto users, api.services.users.List(ctx.actor(), filter));
  std::string next;
  if (users.size() > static_cast<size_t>(limit)) {
    users.resize(static_cast<size_t>(limit));
    next = UserCursor(users.back());
  }
  boost::json::array items;
  for (const User& u : users) items.push_back(UserJson(u));
  return JsonResponse(200, Page(std::move(items), next));
}

Result<Response> CreateUser(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.request));
  JsonFields f(body, {"email", "name", "permission_set_id", "password"});
  NewUser input;
  input.email = f.String("email").value_or("");
  input.name = f.String("name").value_or("");
  input.permission_set_id = f.String("permission_set_id").value_or("");
  input.password = f.String("password").value_or("");
  BF_RETURN_IF_ERROR(f.Check());
  BF_ASSIGN_OR_RETURN(User user, api.services.users.Create(ctx.actor(), input));
  return JsonResponse(201, UserJson(user));
}

Result<Response> GetUser(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(User user, api.services.users.Get(ctx.actor(), ctx.Param("id")));
  return JsonResponse(200, UserJson(user));
}

Result<Response> UpdateUser(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.request));
  JsonFields f(body, {"name", "status", "permission_set_id"});
  UserPatch patch;
  patch.name = f.String("name");
  auto status = f.String("status");
  patch.permission_set_id = f.String("permission_set_id");
  BF_RETURN_IF_ERROR(f.Check());
  if (status) {
    BF_ASSIGN_OR_RETURN(patch.status, ParseStatus(*status, ErrorCode::kInvalid));
  }
  BF_ASSIGN_OR_RETURN(User user, api.services.users.Update(ctx.actor(), ctx.Param("id"), patch));
  return JsonResponse(200, UserJson(user));
}

Result<Response> ListPermissionSets(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto sets, api.services.users.ListPermissionSets(ctx.actor()));
  boost::json::array items;
  for (const PermissionSet& s : sets) items.push_back(PermissionSetJson(s));
  return JsonResponse(200, Page(std::move(items), ""));
}

Result<Response> CreatePermissionSet(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto input, DecodePermissionSet(ctx.request));
  BF_ASSIGN_OR_RETURN(auto set, api.services.users.CreatePermissionSet(ctx.actor(), input));
  return JsonResponse(201, PermissionSetJson(set));
}

Result<Response> UpdatePermissionSet(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto input, DecodePermissionSet(ctx.request));
  BF_ASSIGN_OR_RETURN(auto set, api.services.users.UpdatePermissionSet(ctx.actor(), ctx.Param("id"), input));
  return JsonResponse(200, PermissionSetJson(set));
}

Result<Response> DeletePermissionSet(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(api.services.users.DeletePermissionSet(ctx.actor(), ctx.Param("id")));
  return NoContent();
}

}  // namespace bf::http
