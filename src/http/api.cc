#include "http/api.h"

#include <cstdint>
#include <cstdio>
#include <memory>
#include <utility>

#include "http/group_handlers.h"
#include "http/import_handlers.h"
#include "http/json_io.h"
#include "http/metrics.h"
#include "http/notification_handlers.h"
#include "http/web_assets.h"

namespace bf::http {

namespace {

Route MetricsRoute(Api& api) {
  return {"GET", "/metrics", Access::kPublic, [&api](Context& ctx) { return Metrics(api, ctx); },
          "Prometheus metrics: requests, latencies, database pool, imports, reminders, outbox "
          "(Authorization: Bearer <metrics token> when the server has one)"};
}

}  // namespace

std::vector<Route> ApiRoutes(Api& api) {
  // Wraps a handler of (Api&, Context&) as a route handler.
  auto h = [&api](Result<Response> (*fn)(Api&, Context&)) {
    return [&api, fn](Context& ctx) { return fn(api, ctx); };
  };
  constexpr Access kPublic = Access::kPublic;
  constexpr Access kUser = Access::kSignedIn;
  // One route a line, however long: the table reads as the API's index.
  // clang-format off
  std::vector<Route> routes = {
      {"GET", "/healthz", kPublic, h(Healthz), "The process is up"},
      {"GET", "/readyz", kPublic, h(Readyz), "The database is reachable"},

      // These three hash or verify a password (about 1/3 s of a core each): they run on the
      // blocking pool, never on an I/O thread (the body is read by ParseJsonObject).
      {"POST", "/api/v1/auth/login", kPublic, h(Login), "Sign in; sets the session cookie", kDefaultBodyLimit, true},
      {"POST", "/api/v1/auth/logout", kUser, h(Logout), "End this session"},
      {"GET", "/api/v1/me", kUser, h(GetMe), "The signed-in user with permissions"},
      {"GET", "/api/v1/me/tokens", kUser, h(ListTokens), "List one's API tokens"},
      {"POST", "/api/v1/me/tokens", kUser, h(CreateToken), "Create an API token (shown once)"},
      {"DELETE", "/api/v1/me/tokens/{id}", kUser, h(RevokeToken), "Revoke an API token"},
      {"POST", "/api/v1/me/password", kUser, h(ChangePassword), "Change one's password", kDefaultBodyLimit, true},

      {"GET", "/api/v1/users", kUser, h(ListUsers), "List users"},
      {"POST", "/api/v1/users", kUser, h(CreateUser), "Create a user", kDefaultBodyLimit, true},
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
      // Before /credentials/{id}, which would take "export.csv" for an id.
      {"GET", "/api/v1/credentials/export.csv", kUser, h(ExportCredentialsCsv),
       "Export credentials as CSV (CSV.md; the filters and sort of GET /credentials), streamed", kDefaultBodyLimit, true},
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
      {"GET", "/api/v1/me/notification-settings", kUser, h(GetMyNotificationSettings), "One's notification settings"},
      {"PUT", "/api/v1/me/notification-settings", kUser, h(PutMyNotificationSettings), "Change one's notification settings"},
      {"GET", "/api/v1/users/{id}/notification-settings", kUser, h(GetUserNotificationSettings), "A user's notification settings"},
      {"PUT", "/api/v1/users/{id}/notification-settings", kUser, h(PutUserNotificationSettings), "Change a user's notification settings"},
      {"GET", "/api/v1/activity", kUser, h(ListActivity), "The activity log"},

      {"GET", "/api/v1/groups", kUser, h(ListGroups), "List groups"},
      {"POST", "/api/v1/groups", kUser, h(CreateGroup), "Create a group"},
      {"GET", "/api/v1/groups/{id}", kUser, h(GetGroup), "Get a group"},
      {"PATCH", "/api/v1/groups/{id}", kUser, h(UpdateGroup), "Change a group"},
      {"DELETE", "/api/v1/groups/{id}", kUser, h(DeleteGroup), "Delete a group with its memberships and requirements"},
      {"GET", "/api/v1/groups/{id}/members", kUser, h(ListGroupMembers), "A group's members"},
      {"POST", "/api/v1/groups/{id}/members", kUser, h(AddGroupMembers), "Add members to a group"},
      {"DELETE", "/api/v1/groups/{id}/members/{user_id}", kUser, h(RemoveGroupMember), "Remove a member"},
      {"GET", "/api/v1/groups/{id}/requirements", kUser, h(ListRequirements), "A group's requirements"},
      {"POST", "/api/v1/groups/{id}/requirements", kUser, h(CreateRequirement), "Add a requirement to a group"},
      {"GET", "/api/v1/groups/{id}/compliance", kUser, h(GetGroupCompliance), "The compliance matrix of a group"},
      {"GET", "/api/v1/groups/{id}/compliance.csv", kUser, h(GetGroupComplianceCsv), "The compliance matrix as CSV, streamed", kDefaultBodyLimit, true},
      {"PATCH", "/api/v1/requirements/{id}", kUser, h(UpdateRequirement), "Change a requirement"},
      {"DELETE", "/api/v1/requirements/{id}", kUser, h(DeleteRequirement), "Delete a requirement"},
      {"GET", "/api/v1/requirements/{id}/exemptions", kUser, h(ListExemptions), "A requirement's exemptions"},
      {"POST", "/api/v1/requirements/{id}/exemptions", kUser, h(GrantExemption), "Exempt a member from a requirement"},
      {"DELETE", "/api/v1/exemptions/{id}", kUser, h(RevokeExemption), "Revoke an exemption"},
      {"GET", "/api/v1/users/{id}/compliance", kUser, h(GetUserCompliance), "A user's compliance in every group"},
      {"GET", "/api/v1/me/compliance", kUser, h(GetMyCompliance), "One's compliance in every group"},
      {"GET", "/api/v1/compliance/summary", kUser, h(GetComplianceSummary), "Allow, warn and deny counts per group"},
      {"POST", "/api/v1/compliance/check", kUser, h(CheckCompliance), "May this person start work in this group?"},
  };
  // clang-format on
  if (!api.options.metrics_apart) routes.insert(routes.begin() + 2, MetricsRoute(api));
  // Media: the upload reads its body as it arrives (the file limit plus room for the multipart
  // framing); the thumbnail runs on the media pool, as making one takes a while and must never
  // take the workers uploads, imports and exports need.
  const int64_t max_file = api.services.media.max_upload_bytes();
  const size_t upload_limit = static_cast<size_t>(max_file) + kMultipartOverhead;
  const std::string too_large =
      "the file is larger than the limit of " +
      (max_file % (1024 * 1024) == 0 ? std::to_string(max_file / (1024 * 1024)) + " MiB"
                                     : std::to_string(max_file) + " bytes") +
      " per file";
  routes.push_back({"POST", "/api/v1/media", kUser, h(UploadMedia),
                    "Upload a photo or PDF (multipart field file, or the raw body)", upload_limit,
                    true, too_large, false, "file_too_large"});
  routes.push_back({"GET", "/api/v1/media/{id}", kUser, h(DownloadMedia),
                    "Download a media file (Range supported)"});
  routes.push_back({"GET", "/api/v1/media/{id}/thumbnail", kUser, h(MediaThumbnail),
                    "A small JPEG preview of a media file", kDefaultBodyLimit, true, "",
                    /*media=*/true});
  // Bulk upload and export by CSV: the upload reads its body as it arrives.
  routes.push_back({"GET", "/api/v1/credential-imports/template.csv", kUser, h(ImportTemplate),
                    "The CSV header of a bulk upload and one example row"});
  routes.push_back({"POST", "/api/v1/credential-imports", kUser, h(CreateImport),
                    "Bulk upload of credentials (text/csv or multipart field file); "
                    "?dry_run=&approve=&date_format="
                    "&format=json|csv (csv: the rows back with an import_errors column)",
                    kImportBodyLimit, true});
  routes.push_back({"GET", "/api/v1/activity.csv", kUser, h(ExportActivityCsv),
                    "Export the activity log as CSV (the filters of GET /activity), streamed",
                    kDefaultBodyLimit, true});
  routes.push_back({"GET", "/api/docs", kPublic, [](Context&) { return ServeApiReference(); },
                    "The API reference page, rendered from this document"});
  // The document and its ETag are made once, when the routes are: they change only with the
  // binary.
  auto document = std::make_shared<std::pair<std::string, std::string>>();
  routes.push_back({"GET", "/api/v1/openapi.json", kPublic,
                    [document](Context&) -> Result<Response> {
                      Response r;
                      r.body = document->first;
                      r.Set("Content-Type", "application/json; charset=utf-8");
                      r.Set("ETag", document->second);
                      return r;
                    },
                    "This OpenAPI document"});
  document->first = OpenApiDocument(routes);
  uint64_t hash = 1469598103934665603ULL;  // FNV-1a: a stable tag, not a security measure
  for (unsigned char c : document->first) hash = (hash ^ c) * 1099511628211ULL;
  char tag[24];
  std::snprintf(tag, sizeof tag, "\"%016llx\"", static_cast<unsigned long long>(hash));
  document->second = tag;
  CountRequests(routes);  // http/metrics.h
  return routes;
}

}  // namespace bf::http

namespace bf::http {

std::unique_ptr<Router> MakeRouter(Api& api) {
  return std::make_unique<Router>(ApiRoutes(api), api.services.auth,
                                  [](Context& ctx) -> Result<Response> {
                                    // /metrics served on a listener of its own is absent here, not
                                    // a page of the web interface.
                                    if (ctx.request.path == "/metrics") return NotFound("route");
                                    return ServeWebAsset(ctx.request);
                                  });
}

std::unique_ptr<Router> MakeMetricsRouter(Api& api) {
  std::vector<Route> routes = {
      {"GET", "/healthz", Access::kPublic, [&api](Context& ctx) { return Healthz(api, ctx); },
       "The process is up"},
      MetricsRoute(api)};
  CountRequests(routes);
  return std::make_unique<Router>(std::move(routes), api.services.auth);
}

}  // namespace bf::http
