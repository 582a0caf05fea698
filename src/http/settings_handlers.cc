#include <algorithm>

#include "http/codec.h"
#include "http/handlers.h"
#include "http/json_io.h"

namespace bf::http {
namespace {

Result<CredentialTypeInput> DecodeCredentialType(const Request& req) {
  BF_ASSIGN_OR_RETURN(auto body, ParseJsonObject(req));
  JsonFields f(body, {"name", "description", "expires", "reminder_days"});
  CredentialTypeInput input;
  input.name = f.String("name");
  if (auto d = f.NullableString("description")) input.description = d->value_or("");
  input.expires = f.Bool("expires");
  input.reminder_days = f.NullableIntList("reminder_days");
  BF_RETURN_IF_ERROR(f.Check());
  return input;
}

}  // namespace

Result<Response> GetOrganization(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(Organization org, api.services.orgs.Get(ctx.actor()));
  return JsonResponse(200, OrganizationJson(org));
}

Result<Response> UpdateOrganization(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.request));
  JsonFields f(body, {"name", "timezone", "date_format"});
  OrganizationPatch patch{f.String("name"), f.String("timezone"), f.String("date_format")};
  BF_RETURN_IF_ERROR(f.Check());
  BF_ASSIGN_OR_RETURN(Organization org, api.services.orgs.Update(ctx.actor(), patch));
  return JsonResponse(200, OrganizationJson(org));
}

Result<Response> GetCredentialSettings(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(Organization org, api.services.orgs.Get(ctx.actor()));
  return JsonResponse(200, SettingsJson(org.settings));
}

Result<Response> UpdateCredentialSettings(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.request));
  JsonFields f(body, {"media_required", "approvals_required", "expiring_soon_days"});
  SettingsPatch patch{f.Bool("media_required"), f.Bool("approvals_required"),
                      f.Int("expiring_soon_days")};
  BF_RETURN_IF_ERROR(f.Check());
  BF_ASSIGN_OR_RETURN(Organization org, api.services.orgs.UpdateSettings(ctx.actor(), patch));
  return JsonResponse(200, SettingsJson(org.settings));
}

Result<Response> ListCredentialTypes(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(ctx.AllowQuery({"q", "limit", "cursor"}));
  BF_ASSIGN_OR_RETURN(int limit, ParseLimit(ctx));
  BF_ASSIGN_OR_RETURN(auto types, api.services.types.List(ctx.actor(), ctx.Query("q").value_or("")));
  // An organisation has few types: the store answers all of them by name, and the page is cut
  // here. The cursor is the id of the last type of the previous page.
  size_t start = 0;
  if (auto cursor = ctx.Query("cursor"); cursor && !cursor->empty()) {
    auto after = std::find_if(types.begin(), types.end(), [&](const CredentialType& t) { return t.id == *cursor; });
    if (after == types.end()) {
      return Fail(ErrorCode::kBadRequest, "invalid_cursor", "the cursor is not one this server gave");
    }
    start = static_cast<size_t>(after - types.begin()) + 1;
  }
  size_t end = std::min(types.size(), start + static_cast<size_t>(limit));
  boost::json::array items;
  for (size_t i = start; i < end; ++i) items.push_back(CredentialTypeJson(types[i]));
  return JsonResponse(200, Page(std::move(items), end < types.size() ? types[end - 1].id : ""));
}

Result<Response> CreateCredentialType(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto input, DecodeCredentialType(ctx.request));
  BF_ASSIGN_OR_RETURN(auto type, api.services.types.Create(ctx.actor(), input));
  return JsonResponse(201, CredentialTypeJson(type));
}

Result<Response> GetCredentialType(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto type, api.services.types.Get(ctx.actor(), ctx.Param("id")));
  return JsonResponse(200, CredentialTypeJson(type));
}

Result<Response> UpdateCredentialType(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto input, DecodeCredentialType(ctx.request));
  BF_ASSIGN_OR_RETURN(auto type, api.services.types.Update(ctx.actor(), ctx.Param("id"), input));
  return JsonResponse(200, CredentialTypeJson(type));
}

Result<Response> DeleteCredentialType(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(api.services.types.Delete(ctx.actor(), ctx.Param("id")));
  return NoContent();
}

}  // namespace bf::http
