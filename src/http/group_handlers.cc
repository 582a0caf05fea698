#include "http/group_handlers.h"

#include <sstream>

#include "core/ids.h"
#include "domain/validation.h"
#include "http/codec.h"
#include "http/json_io.h"

namespace bf::http {
namespace {

// ---- Cursors: (lower-cased name, id), as the user list's --------------------------------------

std::string NameCursor(const std::string& name_key, const std::string& id) {
  return Base64UrlEncode(name_key + '\n' + id);
}

Result<std::optional<std::pair<std::string, std::string>>> ParseNameCursor(const Context& ctx) {
  auto text = ctx.Query("cursor");
  if (!text || text->empty()) return std::nullopt;
  auto raw = Base64UrlDecode(*text);
  size_t nl = raw ? raw->rfind('\n') : std::string::npos;
  if (nl == std::string::npos || !IsUuid(raw->substr(nl + 1))) {
    return Fail(ErrorCode::kBadRequest, "invalid_cursor", "the cursor is not one this server gave");
  }
  return std::make_pair(raw->substr(0, nl), raw->substr(nl + 1));
}

// ---- Codecs ---------------------------------------------------------------------------------

boost::json::value DateOrNull(const std::optional<Date>& d) {
  if (!d) return nullptr;
  return boost::json::string(FormatIsoDate(*d));
}

boost::json::value RefOrNull(const std::string& id, const std::string& name) {
  if (id.empty()) return nullptr;
  return boost::json::object{{"id", id}, {"name", name}};
}

boost::json::object GroupJson(const Group& g) {
  return {{"id", g.id},
          {"name", g.name},
          {"description", g.description},
          {"member_count", g.member_count},
          {"requirement_count", g.requirement_count},
          {"created_at", FormatTimestamp(g.created_at)},
          {"updated_at", FormatTimestamp(g.updated_at)}};
}

boost::json::object MemberUserJson(const GroupMember& m) {
  return {{"id", m.user_id}, {"name", m.name}, {"email", m.email}};
}

boost::json::object MemberJson(const GroupMember& m) {
  return {{"user", MemberUserJson(m)},
          {"status", m.active ? "active" : "deactivated"},
          {"since", FormatIsoDate(m.since)}};
}

boost::json::array TypesJson(const std::vector<TypeRef>& types) {
  boost::json::array out;
  for (const TypeRef& t : types) out.push_back(boost::json::object{{"id", t.id}, {"name", t.name}});
  return out;
}

boost::json::object RequirementJson(const RequirementView& v) {
  const Requirement& r = v.requirement;
  boost::json::array ids;
  for (const std::string& id : r.credential_type_ids) ids.emplace_back(id);
  return {{"id", r.id},
          {"group_id", r.group_id},
          {"credential_type_ids", std::move(ids)},
          {"credential_types", TypesJson(v.types)},
          {"min_days_remaining", r.min_days_remaining},
          {"grace_days", r.grace_days},
          {"enforcement", EnforcementName(r.enforcement)},
          {"created_at", FormatTimestamp(r.created_at)},
          {"updated_at", FormatTimestamp(r.updated_at)}};
}

boost::json::object ExemptionJson(const Exemption& e, bool active) {
  return {{"id", e.id},
          {"requirement_id", e.requirement_id},
          {"group_id", e.group_id},
          {"user", {{"id", e.user_id}, {"name", e.user_name}}},
          {"reason", e.reason},
          {"expires_on", DateOrNull(e.expires_on)},
          {"active", active},
          {"granted_by", RefOrNull(e.granted_by, e.granted_by_name)},
          {"created_at", FormatTimestamp(e.created_at)}};
}

boost::json::value ReasonOrNull(const RequirementResult& r) {
  if (!r.reason) return nullptr;
  return boost::json::string(ComplianceReasonName(*r.reason));
}

boost::json::value TextOrNull(const std::optional<std::string>& s) {
  if (!s) return nullptr;
  return boost::json::string(*s);
}

// A matrix cell: {"requirement_id","status","reason","credential_id","expiry_date"}.
boost::json::object CellJson(const RequirementResult& r) {
  return {{"requirement_id", r.requirement_id},
          {"status", RequirementStatusName(r.status)},
          {"reason", ReasonOrNull(r)},
          {"credential_id", TextOrNull(r.credential_id)},
          {"expiry_date", DateOrNull(r.expiry_date)}};
}

boost::json::object CountsJson(const DecisionCounts& c) {
  return {{"allow", c.allow}, {"warn", c.warn}, {"deny", c.deny}};
}

boost::json::object UserComplianceJson(const UserCompliance& c, Date today) {
  boost::json::array groups;
  for (const GroupResult& g : c.groups) {
    boost::json::array requirements;
    for (const RequirementResult& r : g.compliance.requirements) {
      boost::json::object item = CellJson(r);
      const RequirementView& view = c.requirements.at(r.requirement_id);
      item["credential_types"] = TypesJson(view.types);
      item["enforcement"] = EnforcementName(r.enforcement);
      item["exemption"] = nullptr;
      if (r.exemption_id) {
        auto it = c.exemptions.find(*r.exemption_id);
        if (it != c.exemptions.end()) {
          const Exemption& e = it->second;
          item["exemption"] = ExemptionJson(e, !e.expires_on || today <= *e.expires_on);
        }
      }
      item["grace_until"] = DateOrNull(r.grace_until);
      requirements.push_back(std::move(item));
    }
    groups.push_back(boost::json::object{{"group_id", g.group_id},
                                         {"name", g.name},
                                         {"member_since", FormatIsoDate(g.member_since)},
                                         {"decision", DecisionName(g.compliance.decision)},
                                         {"requirements", std::move(requirements)}});
  }
  return {{"user_id", c.user.id},
          {"decision", DecisionName(c.decision)},
          {"groups", std::move(groups)}};
}

// ---- Bodies ---------------------------------------------------------------------------------

Result<GroupInput> DecodeGroup(const Request& req) {
  BF_ASSIGN_OR_RETURN(auto body, ParseJsonObject(req));
  JsonFields f(body, {"name", "description"});
  GroupInput input;
  input.name = f.String("name");
  if (auto d = f.NullableString("description")) input.description = d->value_or("");
  BF_RETURN_IF_ERROR(f.Check());
  return input;
}

Result<RequirementInput> DecodeRequirement(const Request& req) {
  BF_ASSIGN_OR_RETURN(auto body, ParseJsonObject(req));
  JsonFields f(body, {"credential_type_ids", "min_days_remaining", "grace_days", "enforcement"});
  RequirementInput input;
  input.credential_type_ids = f.StringList("credential_type_ids");
  input.min_days_remaining = f.Int("min_days_remaining");
  input.grace_days = f.Int("grace_days");
  input.enforcement = f.String("enforcement");
  BF_RETURN_IF_ERROR(f.Check());
  return input;
}

Result<std::vector<Decision>> ParseDecisions(const Context& ctx) {
  std::vector<Decision> out;
  auto text = ctx.Query("decision");
  if (!text || text->empty()) return out;
  std::stringstream in(*text);
  std::string item;
  while (std::getline(in, item, ',')) {
    auto d = ParseDecision(item);
    if (!d) {
      Error e{ErrorCode::kBadRequest,
              "invalid_parameter",
              "decision is a comma list of allow, warn, deny",
              {},
              {}};
      e.fields.push_back({"decision", e.reason, e.message});
      return tl::unexpected(std::move(e));
    }
    out.push_back(*d);
  }
  return out;
}

Result<Response> MatrixResponse(Api& api, Context& ctx, const std::string& group_id) {
  BF_RETURN_IF_ERROR(ctx.AllowQuery({"decision", "limit", "cursor"}));
  MatrixQuery query;
  BF_ASSIGN_OR_RETURN(query.limit, ParseLimit(ctx));
  BF_ASSIGN_OR_RETURN(query.after, ParseNameCursor(ctx));
  BF_ASSIGN_OR_RETURN(query.decisions, ParseDecisions(ctx));
  BF_ASSIGN_OR_RETURN(Matrix m, api.services.groups.GroupMatrix(ctx.actor(), group_id, query));
  boost::json::array columns;
  for (const RequirementView& r : m.requirements) columns.push_back(RequirementJson(r));
  boost::json::array items;
  for (const MatrixRow& row : m.rows) {
    boost::json::array cells;
    for (const RequirementResult& r : row.compliance.requirements) cells.push_back(CellJson(r));
    items.push_back(boost::json::object{{"user", MemberUserJson(row.member)},
                                        {"decision", DecisionName(row.compliance.decision)},
                                        {"requirements", std::move(cells)}});
  }
  boost::json::object out =
      Page(std::move(items), m.next ? NameCursor(m.next->first, m.next->second) : "");
  out["group"] = boost::json::object{{"id", m.group.id}, {"name", m.group.name}};
  out["requirements"] = std::move(columns);
  out["counts"] = CountsJson(m.counts);
  return JsonResponse(200, out);
}

Result<Response> UserComplianceResponse(Api& api, Context& ctx, const std::string& user_id) {
  BF_RETURN_IF_ERROR(ctx.AllowQuery({}));
  BF_ASSIGN_OR_RETURN(UserCompliance c, api.services.groups.UserComplianceOf(ctx.actor(), user_id));
  return JsonResponse(200, UserComplianceJson(c, c.today));
}

}  // namespace

// ---- Groups ---------------------------------------------------------------------------------

Result<Response> ListGroups(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(ctx.AllowQuery({"q", "limit", "cursor"}));
  GroupFilter filter;
  BF_ASSIGN_OR_RETURN(int limit, ParseLimit(ctx));
  filter.limit = limit + 1;
  BF_ASSIGN_OR_RETURN(filter.after, ParseNameCursor(ctx));
  filter.q = ctx.Query("q").value_or("");
  BF_ASSIGN_OR_RETURN(auto groups, api.services.groups.List(ctx.actor(), filter));
  std::string next;
  if (groups.size() > static_cast<size_t>(limit)) {
    groups.resize(static_cast<size_t>(limit));
    next = NameCursor(Lower(groups.back().name), groups.back().id);
  }
  boost::json::array items;
  for (const Group& g : groups) items.push_back(GroupJson(g));
  return JsonResponse(200, Page(std::move(items), next));
}

Result<Response> CreateGroup(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto input, DecodeGroup(ctx.request));
  BF_ASSIGN_OR_RETURN(Group g, api.services.groups.Create(ctx.actor(), input));
  return JsonResponse(201, GroupJson(g));
}

Result<Response> GetGroup(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(Group g, api.services.groups.Get(ctx.actor(), ctx.Param("id")));
  return JsonResponse(200, GroupJson(g));
}

Result<Response> UpdateGroup(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto input, DecodeGroup(ctx.request));
  BF_ASSIGN_OR_RETURN(Group g, api.services.groups.Update(ctx.actor(), ctx.Param("id"), input));
  return JsonResponse(200, GroupJson(g));
}

Result<Response> DeleteGroup(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(api.services.groups.Delete(ctx.actor(), ctx.Param("id")));
  return NoContent();
}

// ---- Members --------------------------------------------------------------------------------

Result<Response> ListGroupMembers(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(ctx.AllowQuery({"limit", "cursor"}));
  MemberFilter filter;
  BF_ASSIGN_OR_RETURN(int limit, ParseLimit(ctx));
  filter.limit = limit + 1;
  BF_ASSIGN_OR_RETURN(filter.after, ParseNameCursor(ctx));
  BF_ASSIGN_OR_RETURN(auto members,
                      api.services.groups.ListMembers(ctx.actor(), ctx.Param("id"), filter));
  std::string next;
  if (members.size() > static_cast<size_t>(limit)) {
    members.resize(static_cast<size_t>(limit));
    next = NameCursor(members.back().name_key, members.back().user_id);
  }
  boost::json::array items;
  for (const GroupMember& m : members) items.push_back(MemberJson(m));
  return JsonResponse(200, Page(std::move(items), next));
}

Result<Response> AddGroupMembers(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.request));
  JsonFields f(body, {"user_ids", "since"});
  AddMembersInput input;
  auto ids = f.StringList("user_ids");
  input.since = f.String("since");
  BF_RETURN_IF_ERROR(f.Check());
  if (ids) input.user_ids = std::move(*ids);
  BF_ASSIGN_OR_RETURN(AddMembersResult result,
                      api.services.groups.AddMembers(ctx.actor(), ctx.Param("id"), input));
  boost::json::array items;
  for (const GroupMember& m : result.members) items.push_back(MemberJson(m));
  return JsonResponse(200,
                      boost::json::object{{"added", result.added}, {"items", std::move(items)}});
}

Result<Response> RemoveGroupMember(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(
      api.services.groups.RemoveMember(ctx.actor(), ctx.Param("id"), ctx.Param("user_id")));
  return NoContent();
}

// ---- Requirements ---------------------------------------------------------------------------

Result<Response> ListRequirements(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(ctx.AllowQuery({}));
  BF_ASSIGN_OR_RETURN(auto list,
                      api.services.groups.ListRequirements(ctx.actor(), ctx.Param("id")));
  boost::json::array items;
  for (const RequirementView& r : list) items.push_back(RequirementJson(r));
  return JsonResponse(200, Page(std::move(items), ""));
}

Result<Response> CreateRequirement(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto input, DecodeRequirement(ctx.request));
  BF_ASSIGN_OR_RETURN(auto r,
                      api.services.groups.CreateRequirement(ctx.actor(), ctx.Param("id"), input));
  return JsonResponse(201, RequirementJson(r));
}

Result<Response> UpdateRequirement(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto input, DecodeRequirement(ctx.request));
  BF_ASSIGN_OR_RETURN(auto r,
                      api.services.groups.UpdateRequirement(ctx.actor(), ctx.Param("id"), input));
  return JsonResponse(200, RequirementJson(r));
}

Result<Response> DeleteRequirement(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(api.services.groups.DeleteRequirement(ctx.actor(), ctx.Param("id")));
  return NoContent();
}

// ---- Exemptions -----------------------------------------------------------------------------

Result<Response> ListExemptions(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(ctx.AllowQuery({}));
  BF_ASSIGN_OR_RETURN(auto list, api.services.groups.ListExemptions(ctx.actor(), ctx.Param("id")));
  boost::json::array items;
  for (const ExemptionView& e : list) items.push_back(ExemptionJson(e.exemption, e.active));
  return JsonResponse(200, Page(std::move(items), ""));
}

Result<Response> GrantExemption(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.request));
  JsonFields f(body, {"user_id", "reason", "expires_on"});
  ExemptionInput input;
  input.user_id = f.String("user_id");
  input.reason = f.String("reason");
  if (auto e = f.NullableString("expires_on")) input.expires_on = *e;
  BF_RETURN_IF_ERROR(f.Check());
  BF_ASSIGN_OR_RETURN(auto e,
                      api.services.groups.GrantExemption(ctx.actor(), ctx.Param("id"), input));
  return JsonResponse(201, ExemptionJson(e.exemption, e.active));
}

Result<Response> RevokeExemption(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(api.services.groups.RevokeExemption(ctx.actor(), ctx.Param("id")));
  return NoContent();
}

// ---- Compliance -----------------------------------------------------------------------------

Result<Response> GetUserCompliance(Api& api, Context& ctx) {
  return UserComplianceResponse(api, ctx, ctx.Param("id"));
}

Result<Response> GetMyCompliance(Api& api, Context& ctx) {
  return UserComplianceResponse(api, ctx, ctx.actor().user_id);
}

Result<Response> GetGroupCompliance(Api& api, Context& ctx) {
  return MatrixResponse(api, ctx, ctx.Param("id"));
}

Result<Response> GetGroupComplianceCsv(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(ctx.AllowQuery({}));
  BF_ASSIGN_OR_RETURN(auto produce,
                      api.services.groups.GroupMatrixCsv(ctx.actor(), ctx.Param("id")));
  Response r;
  r.Set("Content-Type", "text/csv; charset=utf-8");
  r.Set("Content-Disposition", "attachment; filename=\"compliance.csv\"");
  r.Set("Cache-Control", "no-store");
  r.stream = [produce = std::move(produce)](BodyWriter& out) -> Status {
    return produce([&out](std::string_view data) { return out.Write(data); });
  };
  return r;
}

Result<Response> GetComplianceSummary(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(ctx.AllowQuery({}));
  BF_ASSIGN_OR_RETURN(auto rows, api.services.groups.Summary(ctx.actor()));
  boost::json::array items;
  for (const SummaryRow& row : rows) {
    items.push_back(boost::json::object{{"group_id", row.group.id},
                                        {"name", row.group.name},
                                        {"members", row.group.member_count},
                                        {"allow", row.counts.allow},
                                        {"warn", row.counts.warn},
                                        {"deny", row.counts.deny}});
  }
  return JsonResponse(200, boost::json::object{{"items", std::move(items)}});
}

Result<Response> CheckCompliance(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.request));
  JsonFields f(body, {"group_id", "user_id", "email"});
  CheckInput input{f.String("group_id"), f.String("user_id"), f.String("email")};
  BF_RETURN_IF_ERROR(f.Check());
  BF_ASSIGN_OR_RETURN(CheckResult c, api.services.groups.Check(ctx.actor(), input));
  boost::json::array reasons;
  for (size_t i : DecisionReasons(c.compliance)) {
    const RequirementResult& r = c.compliance.requirements[i];
    reasons.push_back(boost::json::object{{"requirement_id", r.requirement_id},
                                          {"status", RequirementStatusName(r.status)},
                                          {"reason", ReasonOrNull(r)},
                                          {"enforcement", EnforcementName(r.enforcement)},
                                          {"credential_types", TypesJson(c.requirements[i].types)},
                                          {"grace_until", DateOrNull(r.grace_until)},
                                          {"expiry_date", DateOrNull(r.expiry_date)}});
  }
  return JsonResponse(200,
                      boost::json::object{{"decision", DecisionName(c.decision)},
                                          {"user", {{"id", c.user.id}, {"name", c.user.name}}},
                                          {"group", {{"id", c.group.id}, {"name", c.group.name}}},
                                          {"member", c.member},
                                          {"reasons", std::move(reasons)}});
}

}  // namespace bf::http
