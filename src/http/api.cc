#include "http/api.h"

#include <memory>

#include "http/json_io.h"

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
