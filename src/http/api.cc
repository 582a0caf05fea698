#include "http/api.h"

#include <memory>

#include "http/json_io.h"
#include "http/web_assets.h"

namespace bf::http {

std::vector<Route> ApiRoutes(Api& api) {
  // Wraps a handler of (Api&, Context&) as a route handler.
  auto h = [&api](Result<Response> (*fn)(Api&, Context&)) {
    return [&api, fn](Context& ctx) { return fn(api, ctx); };
  };
  constexpr Access kPublic = Access::kPublic;
  constexpr Access kUser = Access::kSignedIn;
  std::vector<Route> routes = {
      {"GET", "/healthz", kPublic, h(Healthz), "The process is up"},
      {"GET", "/readyz", kPublic, h(Readyz), "The database is reachable"},

      {"POST", "/api/v1/auth/login", kPublic, h(Login), "Sign in; sets the session cookie"},
      {"POST", "/api/v1/auth/logout", kUser, h(Logout), "End this session"},
      {"GET", "/api/v1/me", kUser, h(GetMe), "The signed-in user with permissions"},
      {"GET", "/api/v1/me/tokens", kUser, h(ListTokens), "List one's API tokens"},
      {"POST", "/api/v1/me/tokens", kUser, h(CreateToken), "Create an API token (shown once)"},
      {"DELETE", "/api/v1/me/tokens/{id}", kUser, h(RevokeToken), "Revoke an API token"},
      {"POST", "/api/v1/me/password", kUser, h(ChangePassword), "Change one's password"},

      {"GET", "/api/v1/users", kUser, h(ListUsers), "List users"},
      {"POST", "/api/v1/users", kUser, h(CreateUser), "Create a user"},
      {"GET", "/api/v1/users/{id}", kUser, h(GetUser), "Get a user"},
      {"PATCH", "/api/v1/users/{id}", kUser, h(UpdateUser), "Change a user"},
      {"GET", "/api/v1/permission-sets", kUser, h(ListPermissionSets), "List permission sets"},
      {"POST", "/api/v1/permission-sets", kUser, h(CreatePermissionSet), "Create a permission set"},
      {"PATCH", "/api/v1/permission-sets/{id}", kUser, h(UpdatePermissionSet), "Change a permission set"},
      {"DELETE", "/api/v1/permission-sets/{id}", kUser, h(DeletePermissionSet), "Delete a permission set"},

      {"GET", "/api/v1/organization", kUser, h(GetOrganization), "The organisation"},
      {"PATCH", "/api/v1/organization", kUser, h(UpdateOrganization), "Change the organisation"},
      {"GET", "/api/v1/settings/credentials", kUser, h(GetCredentialSettings), "Credential settings"},
      {"PATCH", "/api/v1/settings/credentials", kUser, h(UpdateCredentialSettings), "Change credential settings"},

      {"GET", "/api/v1/credential-types", kUser, h(ListCredentialTypes), "List credential types"},
      {"POST", "/api/v1/credential-types", kUser, h(CreateCredentialType), "Create a credential type"},
      {"GET", "/api/v1/credential-types/{id}", kUser, h(GetCredentialType), "Get a credential type"},
      {"PATCH", "/api/v1/credential-types/{id}", kUser, h(UpdateCredentialType), "Change a credential type"},
      {"DELETE", "/api/v1/credential-types/{id}", kUser, h(DeleteCredentialType), "Delete an unused credential type"},

      {"GET", "/api/v1/credentials", kUser, h(ListCredentials), "List credentials with filters"},
      {"POST", "/api/v1/credentials", kUser, h(CreateCredential), "Add a credential (version 1)"},
      {"GET", "/api/v1/credentials/summary", kUser, h(CredentialSummaryHandler), "Counts by status and type"},
      {"POST", "/api/v1/credentials/bulk", kUser, h(BulkCredentials), "Archive, restore, delete or approve many"},
      {"GET", "/api/v1/credentials/{id}", kUser, h(GetCredential), "A credential with its latest version"},
      {"DELETE", "/api/v1/credentials/{id}", kUser, h(DeleteCredential), "Delete an archived credential"},
      {"GET", "/api/v1/credentials/{id}/versions", kUser, h(ListVersions), "Every version, newest first"},
      {"POST", "/api/v1/credentials/{id}/versions", kUser, h(AddVersion), "Add a version (renewal)"},
      {"PATCH", "/api/v1/credentials/{id}/versions/{n}", kUser, h(EditVersion), "Edit the latest version"},
      {"GET", "/api/v1/credentials/{id}/versions/{n}/activity", kUser, h(VersionActivity), "A version's changes"},
      {"POST", "/api/v1/credentials/{id}/approve", kUser, h(ApproveCredential), "Approve the latest version"},
      {"POST", "/api/v1/credentials/{id}/reject", kUser, h(RejectCredential), "Reject the latest version"},
      {"POST", "/api/v1/credentials/{id}/archive", kUser, h(ArchiveCredential), "Archive"},
      {"POST", "/api/v1/credentials/{id}/restore", kUser, h(RestoreCredential), "Restore"},

      {"GET", "/api/v1/me/notifications", kUser, h(ListNotifications), "One's in-app notifications"},
      {"POST", "/api/v1/me/notifications/read-all", kUser, h(MarkAllNotificationsRead), "Mark all read"},
      {"POST", "/api/v1/me/notifications/{id}/read", kUser, h(MarkNotificationRead), "Mark one read"},
      {"GET", "/api/v1/activity", kUser, h(ListActivity), "The activity log"},
  };
  auto document = std::make_shared<std::string>();
  routes.push_back({"GET", "/api/v1/openapi.json", kPublic,
                    [document](Context&) -> Result<Response> {
                      Response r;
                      r.body = *document;
                      r.Set("Content-Type", "application/json; charset=utf-8");
                      return r;
                    },
                    "This OpenAPI document"});
  *document = OpenApiDocument(routes);
  return routes;
}

}  // namespace bf::http

namespace bf::http {

std::unique_ptr<Router> MakeRouter(Api& api) {
  return std::make_unique<Router>(ApiRoutes(api), api.services.auth,
                                  [](Context& ctx) { return ServeWebAsset(ctx.request); });
}

}  // namespace bf::http
