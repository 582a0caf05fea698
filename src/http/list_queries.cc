#include "http/list_queries.h"

#include <algorithm>
#include <iterator>
#include <string_view>
#include <utility>
#include <vector>

#include "core/dates.h"
#include "core/ids.h"

namespace bf::http {
namespace {

std::vector<std::string> SplitCommas(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string::npos) comma = s.size();
    out.push_back(s.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

auto BadParameter(const std::string& name, const std::string& message) {
  return tl::unexpected(BadParameterError(name, message));
}

// An optional id parameter: empty when absent, 400 when not an id.
Result<std::string> IdParameter(const Context& ctx, const std::string& name) {
  std::string value = ctx.Query(name).value_or("");
  if (!value.empty() && !IsUuid(value)) return BadParameter(name, name + " must be an id");
  return value;
}

}  // namespace

Error BadParameterError(const std::string& name, const std::string& message) {
  Error e{ErrorCode::kBadRequest, "invalid_parameter", message, {}, {}};
  e.fields.push_back({name, "invalid_parameter", message});
  return e;
}

Result<CredentialQuery> ParseCredentialFilters(const Context& ctx) {
  CredentialQuery q;
  BF_ASSIGN_OR_RETURN(q.user_id, IdParameter(ctx, "user_id"));
  BF_ASSIGN_OR_RETURN(q.type_id, IdParameter(ctx, "type_id"));
  if (auto list = ctx.Query("expiry_status"); list && !list->empty()) {
    for (const std::string& item : SplitCommas(*list)) {
      auto s = ParseExpiryStatus(item);
      if (!s) return BadParameter("expiry_status", "unknown expiry_status: " + item);
      q.expiry_statuses.push_back(*s);
    }
  }
  if (auto list = ctx.Query("approval_status"); list && !list->empty()) {
    for (const std::string& item : SplitCommas(*list)) {
      auto s = ParseApprovalStatus(item);
      if (!s) return BadParameter("approval_status", "unknown approval_status: " + item);
      q.approval_statuses.push_back(*s);
    }
  }
  if (auto archived = ctx.Query("archived")) {
    if (*archived == "false") {
      q.archived = false;
    } else if (*archived == "true") {
      q.archived = true;
    } else if (*archived == "all") {
      q.archived = std::nullopt;
    } else {
      return BadParameter("archived", "archived must be false, true or all");
    }
  }
  if (auto before = ctx.Query("expiring_before")) {
    q.expiring_before = ParseIsoDate(*before);
    if (!q.expiring_before) return BadParameter("expiring_before", "expiring_before must be a date YYYY-MM-DD");
  }
  q.q = ctx.Query("q").value_or("");
  if (auto sort = ctx.Query("sort")) {
    static const std::pair<std::string_view, CredentialSort> kSorts[] = {
        {"expiry_date", CredentialSort::kExpiryDate}, {"-expiry_date", CredentialSort::kExpiryDateDesc},
        {"updated_at", CredentialSort::kUpdatedAt},   {"-updated_at", CredentialSort::kUpdatedAtDesc},
        {"user_name", CredentialSort::kUserName}};
    const auto* found = std::find_if(std::begin(kSorts), std::end(kSorts),
                                     [&](const auto& entry) { return entry.first == *sort; });
    if (found == std::end(kSorts)) {
      return BadParameter("sort", "sort must be expiry_date, -expiry_date, updated_at, -updated_at or user_name");
    }
    q.sort = found->second;
  }
  return q;
}

Result<ActivityFilter> ParseActivityFilters(const Context& ctx) {
  ActivityFilter filter;
  BF_ASSIGN_OR_RETURN(filter.actor_id, IdParameter(ctx, "actor_id"));
  BF_ASSIGN_OR_RETURN(filter.credential_id, IdParameter(ctx, "credential_id"));
  BF_ASSIGN_OR_RETURN(filter.user_id, IdParameter(ctx, "user_id"));
  filter.action = ctx.Query("action").value_or("");
  for (const char* name : {"since", "until"}) {
    auto text = ctx.Query(name);
    if (!text || text->empty()) continue;
    std::optional<Timestamp> t = ParseTimestamp(*text);
    if (!t) {
      if (auto d = ParseIsoDate(*text)) t = Timestamp(*d);
    }
    if (!t) return BadParameter(name, std::string(name) + " must be an RFC 3339 time or a date");
    (std::string_view(name) == "since" ? filter.since : filter.until) = t;
  }
  return filter;
}

}  // namespace bf::http
