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
  BF_RETURN_IF_ERROR(ctx.AllowQuery({"q"}));
  BF_ASSIGN_OR_RETURN(auto types, api.services.types.List(ctx.actor(), ctx.Query("q").value_or("")));
  boost::json::array items;
  for (const CredentialType& t : types) items.push_back(CredentialTypeJson(t));
  return JsonResponse(200, Page(std::move(items), ""));
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
