// Every handler: authenticate (done by the router) → authorise and decode → one service call →
// encode. Rules live in the services and the domain, never here.
#pragma once

#include "core/result.h"
#include "http/message.h"
#include "http/router.h"
#include "service/services.h"

namespace bf::http {

// Options of the HTTP layer that handlers need.
struct HttpOptions {
  bool secure_cookies = false;  // always mark the session cookie Secure (behind TLS)
  // GET /metrics answers only `Authorization: Bearer <metrics_token>` when it is set (401
  // otherwise); unset, it answers anyone who reaches it (keep it off public listeners).
  std::string metrics_token;
  // /metrics is served on a listener of its own (MakeMetricsRouter), not among the API's routes.
  bool metrics_apart = false;
};

struct Api {
  Services& services;
  Store& store;
  HttpOptions options;
};

// Operations.
Result<Response> Healthz(Api& api, Context& ctx);
Result<Response> Readyz(Api& api, Context& ctx);

// Authentication.
Result<Response> Login(Api& api, Context& ctx);
Result<Response> Logout(Api& api, Context& ctx);
Result<Response> GetMe(Api& api, Context& ctx);
Result<Response> CreateToken(Api& api, Context& ctx);
Result<Response> ListTokens(Api& api, Context& ctx);
Result<Response> RevokeToken(Api& api, Context& ctx);
Result<Response> ChangePassword(Api& api, Context& ctx);

// Users and permission sets.
Result<Response> ListUsers(Api& api, Context& ctx);
Result<Response> CreateUser(Api& api, Context& ctx);
Result<Response> GetUser(Api& api, Context& ctx);
Result<Response> UpdateUser(Api& api, Context& ctx);
Result<Response> ListPermissionSets(Api& api, Context& ctx);
Result<Response> CreatePermissionSet(Api& api, Context& ctx);
Result<Response> UpdatePermissionSet(Api& api, Context& ctx);
Result<Response> DeletePermissionSet(Api& api, Context& ctx);

// Organisation and credential settings.
Result<Response> GetOrganization(Api& api, Context& ctx);
Result<Response> UpdateOrganization(Api& api, Context& ctx);
Result<Response> GetCredentialSettings(Api& api, Context& ctx);
Result<Response> UpdateCredentialSettings(Api& api, Context& ctx);

// Credential types.
Result<Response> ListCredentialTypes(Api& api, Context& ctx);
Result<Response> CreateCredentialType(Api& api, Context& ctx);
Result<Response> GetCredentialType(Api& api, Context& ctx);
Result<Response> UpdateCredentialType(Api& api, Context& ctx);
Result<Response> DeleteCredentialType(Api& api, Context& ctx);

// Credentials.
Result<Response> ListCredentials(Api& api, Context& ctx);
Result<Response> CreateCredential(Api& api, Context& ctx);
Result<Response> GetCredential(Api& api, Context& ctx);
Result<Response> ListVersions(Api& api, Context& ctx);
Result<Response> AddVersion(Api& api, Context& ctx);
Result<Response> EditVersion(Api& api, Context& ctx);
Result<Response> VersionActivity(Api& api, Context& ctx);
Result<Response> ApproveCredential(Api& api, Context& ctx);
Result<Response> RejectCredential(Api& api, Context& ctx);
Result<Response> ArchiveCredential(Api& api, Context& ctx);
Result<Response> RestoreCredential(Api& api, Context& ctx);
Result<Response> DeleteCredential(Api& api, Context& ctx);
Result<Response> BulkCredentials(Api& api, Context& ctx);
Result<Response> CredentialSummaryHandler(Api& api, Context& ctx);

// Notifications and the activity log.
Result<Response> ListNotifications(Api& api, Context& ctx);
Result<Response> MarkNotificationRead(Api& api, Context& ctx);
Result<Response> MarkAllNotificationsRead(Api& api, Context& ctx);
Result<Response> ListActivity(Api& api, Context& ctx);

// Media files (media_handlers.cc). The upload route accepts the file limit plus this much for
// the multipart framing and other form fields.
inline constexpr size_t kMultipartOverhead = 64 * 1024;
// Media files (media_handlers.cc). UploadMedia is a streaming route: it reads the body as it
// arrives.
Result<Response> UploadMedia(Api& api, Context& ctx);
Result<Response> DownloadMedia(Api& api, Context& ctx);
Result<Response> MediaThumbnail(Api& api, Context& ctx);

// Shared by list handlers: `limit` (1..200, default 50), 400 "invalid_limit" otherwise.
Result<int> ParseLimit(const Context& ctx);

}  // namespace bf::http
