#include <charconv>

#include "core/ids.h"
#include "http/codec.h"
#include "http/etag.h"
#include "http/handlers.h"
#include "http/json_io.h"
#include "http/list_queries.h"
#include "http/problem.h"

namespace bf::http {
namespace {

auto BadParameter(const std::string& name, const std::string& message) {
  return tl::unexpected(BadParameterError(name, message));
}

Response CredentialResponse(int status, const CredentialView& view) {
  Response r = JsonResponse(status, CredentialJson(view));
  r.Set("ETag", RevisionEtag(view.credential.revision));
  return r;
}

RevisionCondition IfMatch(const Context& ctx) {
  return ParseIfMatch(ctx.request.Header("If-Match"));
}

// The body of create, add version and edit.
Result<CredentialInput> DecodeCredential(const Request& req, bool with_holder_and_type) {
  BF_ASSIGN_OR_RETURN(auto body, ParseJsonObject(req));
  std::initializer_list<std::string_view> create_fields = {
      "user_id", "type_id", "issue_date", "expiry_date", "credential_number", "media_ids"};
  std::initializer_list<std::string_view> version_fields = {"issue_date", "expiry_date",
                                                            "credential_number", "media_ids"};
  JsonFields f(body, with_holder_and_type ? create_fields : version_fields);
  CredentialInput input;
  if (with_holder_and_type) {
    input.user_id = f.String("user_id").value_or("");
    input.type_id = f.String("type_id").value_or("");
  }
  input.issue_date = f.String("issue_date");
  input.expiry_date = f.NullableString("expiry_date");
  input.credential_number = f.NullableString("credential_number");
  input.media_ids = f.StringList("media_ids");
  BF_RETURN_IF_ERROR(f.Check());
  return input;
}

Result<int> ParseVersion(const Context& ctx) {
  const std::string& text = ctx.Param("n");
  int n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 1) return NotFound("version");
  return n;
}

// An empty body or an empty JSON object: for actions that take no fields.
Status ExpectNoFields(const Request& req) {
  if (req.body.empty()) return Ok();
  BF_ASSIGN_OR_RETURN(auto body, ParseJsonObject(req));
  JsonFields f(body, {});
  return f.Check();
}

Result<CredentialQuery> ParseCredentialQuery(const Context& ctx) {
  BF_RETURN_IF_ERROR(
      ctx.AllowQuery({"user_id", "type_id", "expiry_status", "approval_status", "archived",
                      "expiring_before", "q", "sort", "limit", "cursor"}));
  BF_ASSIGN_OR_RETURN(CredentialQuery q, ParseCredentialFilters(ctx));
  BF_ASSIGN_OR_RETURN(q.limit, ParseLimit(ctx));
  if (auto cursor = ctx.Query("cursor"); cursor && !cursor->empty()) {
    auto raw = Base64UrlDecode(*cursor);
    if (!raw)
      return Fail(ErrorCode::kBadRequest, "invalid_cursor",
                  "the cursor is not one this server gave");
    q.after = *raw;
  }
  return q;
}

}  // namespace

Result<Response> ListCredentials(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(CredentialQuery query, ParseCredentialQuery(ctx));
  BF_ASSIGN_OR_RETURN(
      auto page,
      api.services.credentials.RenderedList(ctx.actor(), query, [](const CredentialListView& list) {
        return CredentialPageJson(list.items,
                                  list.next_after.empty() ? "" : Base64UrlEncode(list.next_after));
      }));
  return JsonTextResponse(200, std::move(page));
}

Result<Response> CreateCredential(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(CredentialInput input, DecodeCredential(ctx.request, true));
  BF_ASSIGN_OR_RETURN(CredentialView view, api.services.credentials.Create(ctx.actor(), input));
  return CredentialResponse(201, view);
}

Result<Response> GetCredential(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(CredentialView view,
                      api.services.credentials.Get(ctx.actor(), ctx.Param("id")));
  return CredentialResponse(200, view);
}

Result<Response> ListVersions(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto versions,
                      api.services.credentials.Versions(ctx.actor(), ctx.Param("id")));
  boost::json::array items;
  for (const CredentialVersion& v : versions) items.push_back(VersionJson(v));
  return JsonResponse(200, Page(std::move(items), ""));
}

Result<Response> AddVersion(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(CredentialInput input, DecodeCredential(ctx.request, false));
  BF_ASSIGN_OR_RETURN(CredentialView view, api.services.credentials.AddVersion(
                                               ctx.actor(), ctx.Param("id"), input, IfMatch(ctx)));
  return CredentialResponse(201, view);
}

Result<Response> EditVersion(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(int n, ParseVersion(ctx));
  BF_ASSIGN_OR_RETURN(CredentialInput input, DecodeCredential(ctx.request, false));
  BF_ASSIGN_OR_RETURN(
      CredentialView view,
      api.services.credentials.EditVersion(ctx.actor(), ctx.Param("id"), n, input, IfMatch(ctx)));
  return CredentialResponse(200, view);
}

Result<Response> VersionActivity(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(int n, ParseVersion(ctx));
  BF_ASSIGN_OR_RETURN(auto changes,
                      api.services.credentials.VersionActivity(ctx.actor(), ctx.Param("id"), n));
  boost::json::array items;
  for (const VersionChange& c : changes) items.push_back(VersionChangeJson(c));
  return JsonResponse(200, Page(std::move(items), ""));
}

Result<Response> ApproveCredential(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(ExpectNoFields(ctx.request));
  BF_ASSIGN_OR_RETURN(CredentialView view,
                      api.services.credentials.Approve(ctx.actor(), ctx.Param("id"), IfMatch(ctx)));
  return CredentialResponse(200, view);
}

Result<Response> RejectCredential(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.request));
  JsonFields f(body, {"reason"});
  auto reason = f.String("reason");
  BF_RETURN_IF_ERROR(f.Check());
  BF_ASSIGN_OR_RETURN(CredentialView view,
                      api.services.credentials.Reject(ctx.actor(), ctx.Param("id"),
                                                      reason.value_or(""), IfMatch(ctx)));
  return CredentialResponse(200, view);
}

Result<Response> ArchiveCredential(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(ExpectNoFields(ctx.request));
  BF_ASSIGN_OR_RETURN(CredentialView view,
                      api.services.credentials.Archive(ctx.actor(), ctx.Param("id"), IfMatch(ctx)));
  return CredentialResponse(200, view);
}

Result<Response> RestoreCredential(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(ExpectNoFields(ctx.request));
  BF_ASSIGN_OR_RETURN(CredentialView view,
                      api.services.credentials.Restore(ctx.actor(), ctx.Param("id"), IfMatch(ctx)));
  return CredentialResponse(200, view);
}

Result<Response> DeleteCredential(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(api.services.credentials.Delete(ctx.actor(), ctx.Param("id"), IfMatch(ctx)));
  return NoContent();
}

Result<Response> BulkCredentials(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.request));
  JsonFields f(body, {"action", "ids"});
  auto action_name = f.String("action");
  auto ids = f.StringList("ids");
  BF_RETURN_IF_ERROR(f.Check());
  BulkAction action;
  if (action_name == "archive")
    action = BulkAction::kArchive;
  else if (action_name == "restore")
    action = BulkAction::kRestore;
  else if (action_name == "delete")
    action = BulkAction::kDelete;
  else if (action_name == "approve")
    action = BulkAction::kApprove;
  else
    return FailField("action", action_name ? "invalid_action" : "required",
                     "action must be archive, restore, delete or approve");
  BF_ASSIGN_OR_RETURN(
      auto results,
      api.services.credentials.Bulk(ctx.actor(), action, ids.value_or(std::vector<std::string>())));
  boost::json::array out;
  int succeeded = 0;
  for (const BulkResult& r : results) {
    boost::json::object item{{"id", r.id}};
    if (r.outcome) {
      item["status"] = action == BulkAction::kDelete ? 204 : 200;
      item["code"] = nullptr;
      item["message"] = nullptr;
      ++succeeded;
    } else {
      item["status"] = HttpStatus(r.outcome.error().code);
      item["code"] = r.outcome.error().reason;
      item["message"] = r.outcome.error().message;
    }
    out.push_back(std::move(item));
  }
  return JsonResponse(200,
                      boost::json::object{{"action", *action_name},
                                          {"succeeded", succeeded},
                                          {"failed", static_cast<int>(results.size()) - succeeded},
                                          {"results", std::move(out)}});
}

Result<Response> CredentialSummaryHandler(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto summary,
                      api.services.credentials.RenderedSummary(ctx.actor(), SummaryJson));
  return JsonTextResponse(200, std::move(summary));
}

Result<Response> ListNotifications(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(ctx.AllowQuery({"unread", "limit", "cursor"}));
  BF_ASSIGN_OR_RETURN(int limit, ParseLimit(ctx));
  bool unread = false;
  if (auto u = ctx.Query("unread")) {
    if (*u != "true" && *u != "false")
      return BadParameter("unread", "unread must be true or false");
    unread = *u == "true";
  }
  std::string before;
  if (auto cursor = ctx.Query("cursor"); cursor && !cursor->empty()) {
    auto raw = Base64UrlDecode(*cursor);
    if (!raw)
      return Fail(ErrorCode::kBadRequest, "invalid_cursor",
                  "the cursor is not one this server gave");
    before = *raw;
  }
  BF_ASSIGN_OR_RETURN(auto items,
                      api.services.notifications.List(ctx.actor(), unread, limit + 1, before));
  std::string next;
  if (items.size() > static_cast<size_t>(limit)) {
    items.resize(static_cast<size_t>(limit));
    next = Base64UrlEncode(items.back().id);
  }
  boost::json::array out;
  for (const Notification& n : items) out.push_back(NotificationJson(n));
  BF_ASSIGN_OR_RETURN(int64_t unread_count, api.services.notifications.UnreadCount(ctx.actor()));
  boost::json::object page = Page(std::move(out), next);
  page["unread_count"] = unread_count;
  return JsonResponse(200, page);
}

Result<Response> MarkNotificationRead(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(api.services.notifications.MarkRead(ctx.actor(), ctx.Param("id")));
  return NoContent();
}

Result<Response> MarkAllNotificationsRead(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(api.services.notifications.MarkAllRead(ctx.actor()));
  return NoContent();
}

Result<Response> ListActivity(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(ctx.AllowQuery(
      {"actor_id", "credential_id", "user_id", "action", "since", "until", "limit", "cursor"}));
  BF_ASSIGN_OR_RETURN(ActivityFilter filter, ParseActivityFilters(ctx));
  BF_ASSIGN_OR_RETURN(int limit, ParseLimit(ctx));
  filter.limit = limit + 1;
  if (auto cursor = ctx.Query("cursor"); cursor && !cursor->empty()) {
    auto raw = Base64UrlDecode(*cursor);
    int64_t seq = 0;
    if (!raw || std::from_chars(raw->data(), raw->data() + raw->size(), seq).ec != std::errc()) {
      return Fail(ErrorCode::kBadRequest, "invalid_cursor",
                  "the cursor is not one this server gave");
    }
    filter.before_seq = seq;
  }
  BF_ASSIGN_OR_RETURN(auto rows, api.services.activity.List(ctx.actor(), filter));
  std::string next;
  if (rows.size() > static_cast<size_t>(limit)) {
    rows.resize(static_cast<size_t>(limit));
    next = Base64UrlEncode(std::to_string(rows.back().seq));
  }
  boost::json::array items;
  for (const ActivityRow& row : rows) items.push_back(ActivityJson(row.activity));
  return JsonResponse(200, Page(std::move(items), next));
}

}  // namespace bf::http
