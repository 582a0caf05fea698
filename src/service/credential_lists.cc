// Credentials: the list reads (one page of a filter, a page kept for the next asker, the
// kept summary). The changes are credential_service.cc's.
#include <memory>
#include <string>
#include <utility>

#include "core/dates.h"
#include "domain/permissions.h"
#include "service/credential_service.h"

namespace bf {
namespace {

// A kept page's key: the organisation and every field of the filter, each string with its length
// before it, so that no two questions share a key.
std::string PageKey(const std::string& org_id, const CredentialFilter& f) {
  std::string key;
  auto text = [&](std::string_view s) {
    key += std::to_string(s.size());
    key += ':';
    key += s;
  };
  auto number = [&](int64_t n) {
    key += std::to_string(n);
    key += ',';
  };
  auto date = [&](const std::optional<Date>& d) {
    if (d) {
      number(d->time_since_epoch().count());
    } else {
      key += "-,";
    }
  };
  text(org_id);
  text(f.user_id);
  text(f.type_id);
  number(f.by_expiry);
  number(static_cast<int64_t>(f.expiry_ranges.size()));
  for (const DateRange& r : f.expiry_ranges) {
    date(r.from);
    date(r.to);
  }
  number(f.no_expiry);
  number(static_cast<int64_t>(f.approval.size()));
  for (ApprovalStatus a : f.approval) number(static_cast<int64_t>(a));
  number(f.archived ? int64_t{*f.archived} : int64_t{-1});
  text(f.q);
  number(static_cast<int64_t>(f.sort));
  number(f.limit);
  text(f.after);
  return key;
}

// The filter of `query` as `actor` may ask it, on `today`: 403 for another holder's credentials
// without users.manage or credentials.manage.
Result<CredentialFilter> ListFilter(const Actor& actor, const CredentialQuery& query, Date today,
                                    int expiring_soon_days) {
  bool sees_all = actor.Can(Permission::kUsersManage) || actor.Can(Permission::kCredentialsManage);
  CredentialFilter filter;
  filter.user_id = query.user_id;
  if (!sees_all) {
    if (!query.user_id.empty() && query.user_id != actor.user_id) {
      return Forbidden("seeing other users' credentials needs users.manage or credentials.manage");
    }
    filter.user_id = actor.user_id;
  }
  const int soon = expiring_soon_days;
  std::optional<Date> before_end;  // expiring_before=D: expiry ≤ D − 1
  if (query.expiring_before) before_end = *query.expiring_before - date::days(1);
  auto clip = [&](DateRange r) -> std::optional<DateRange> {
    if (before_end && (!r.to || *r.to > *before_end)) r.to = before_end;
    if (r.from && r.to && *r.from > *r.to) return std::nullopt;
    return r;
  };
  if (!query.expiry_statuses.empty() || query.expiring_before) {
    filter.by_expiry = true;
    std::vector<DateRange> wanted;
    if (query.expiry_statuses.empty()) {
      wanted.push_back(DateRange{});
    }
    for (ExpiryStatus s : query.expiry_statuses) {
      switch (s) {
        case ExpiryStatus::kExpired:
          wanted.push_back({std::nullopt, today - date::days(1)});
          break;
        case ExpiryStatus::kExpiringSoon:
          wanted.push_back({today, today + date::days(soon)});
          break;
        case ExpiryStatus::kValid:
          wanted.push_back({today + date::days(soon + 1), std::nullopt});
          break;
        case ExpiryStatus::kNoExpiry:
          filter.no_expiry = !query.expiring_before;
          break;
      }
    }
    for (const DateRange& r : wanted) {
      if (auto clipped = clip(r)) filter.expiry_ranges.push_back(*clipped);
    }
  }
  filter.type_id = query.type_id;
  filter.approval = query.approval_statuses;
  filter.archived = query.archived;
  filter.q = query.q;
  filter.sort = query.sort;
  filter.limit = query.limit;
  filter.after = query.after;
  return filter;
}

// A list read's unit of work: the organisation and "today" in its zone, and the version a kept
// answer must match, its credential revision read with the organisation in one statement, in
// the snapshot the answer is read from if it is not kept.
struct ListRead {
  std::unique_ptr<UnitOfWork> uow;
  Organization org;
  ReadVersion version;  // version.today: today in the organisation's zone

  static Result<ListRead> Start(ServiceContext& ctx, const Actor& actor) {
    BF_ASSIGN_OR_RETURN(auto uow, ctx.store.Begin(false));
    BF_ASSIGN_OR_RETURN(auto found, uow->FindOrganizationAtRevision(actor.org_id));
    if (!found) return NotFound("organization");
    const Date today = LocalDate(ctx.clock.Now(), found->org.timezone);
    ReadVersion version{found->credential_revision, today, found->org.settings.expiring_soon_days};
    return ListRead{std::move(uow), std::move(found->org), version};
  }

  Result<CredentialFilter> Filter(const Actor& actor, const CredentialQuery& query) const {
    return ListFilter(actor, query, version.today, version.expiring_soon_days);
  }

  Result<CredentialListView> Page(const CredentialFilter& filter) {
    BF_ASSIGN_OR_RETURN(CredentialPage page, uow->ListCredentials(org.id, filter));
    CredentialListView out;
    out.next_after = page.next_after;
    out.items.reserve(page.items.size());
    for (Credential& c : page.items) {  // in place: a Credential is twenty strings to move
      CredentialView& view = out.items.emplace_back();
      view.expiry_status =
          ComputeExpiryStatus(c.latest.expiry_date, version.today, version.expiring_soon_days);
      view.credential = std::move(c);
    }
    return out;
  }
};

}  // namespace

Result<CredentialListView> CredentialService::List(const Actor& actor,
                                                   const CredentialQuery& query) {
  BF_ASSIGN_OR_RETURN(ListRead read, ListRead::Start(ctx_, actor));
  BF_ASSIGN_OR_RETURN(CredentialFilter filter, read.Filter(actor, query));
  return read.Page(filter);
}

Result<std::shared_ptr<const std::string>> CredentialService::RenderedList(
    const Actor& actor, const CredentialQuery& query, const PageRenderer& render) {
  BF_ASSIGN_OR_RETURN(ListRead read, ListRead::Start(ctx_, actor));
  BF_ASSIGN_OR_RETURN(CredentialFilter filter, read.Filter(actor, query));
  const std::string key = PageKey(actor.org_id, filter);
  if (auto kept = pages_->Find(key, read.version)) return kept;
  BF_ASSIGN_OR_RETURN(CredentialListView list, read.Page(filter));
  auto rendered = std::make_shared<const std::string>(render(list));
  pages_->Store(key, read.version, rendered, key.size() + rendered->size() + kEntryOverhead);
  return rendered;
}

Result<std::shared_ptr<const std::string>> CredentialService::RenderedSummary(
    const Actor& actor, const SummaryRenderer& render) {
  if (!actor.Can(Permission::kCredentialsManage))
    return Forbidden("the summary needs credentials.manage");
  BF_ASSIGN_OR_RETURN(ListRead read, ListRead::Start(ctx_, actor));
  if (auto kept = summaries_->Find(actor.org_id, read.version)) return kept;
  BF_ASSIGN_OR_RETURN(CredentialSummary summary,
                      read.uow->SummarizeCredentials(actor.org_id, read.version.today,
                                                     read.version.expiring_soon_days));
  auto rendered = std::make_shared<const std::string>(render(summary));
  summaries_->Store(actor.org_id, read.version, rendered,
                    actor.org_id.size() + rendered->size() + kEntryOverhead);
  return rendered;
}

}  // namespace bf
