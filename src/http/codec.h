// JSON shapes of API.md for each entity.
#pragma once

#include <boost/json.hpp>

#include "domain/credentials.h"
#include "domain/model.h"
#include "service/credential_service.h"
#include "store/store.h"

namespace bf::http {

boost::json::object UserJson(const User& user);
boost::json::object PermissionSetJson(const PermissionSet& set);
boost::json::object OrganizationJson(const Organization& org);
boost::json::object SettingsJson(const CredentialSettings& settings);
boost::json::object CredentialTypeJson(const CredentialType& type);
boost::json::object TokenJson(const ApiToken& token);

boost::json::object CredentialJson(const CredentialView& view);
boost::json::object VersionJson(const CredentialVersion& version);
boost::json::object VersionChangeJson(const VersionChange& change);
boost::json::object NotificationJson(const Notification& notification);
boost::json::object ActivityJson(const Activity& entry);

// {"items": [...], "next_cursor": cursor or null}
boost::json::object Page(boost::json::array items, const std::string& next_cursor);

// The text boost::json::serialize(CredentialJson(view)) gives, byte for byte, appended to `out`
// without building the object tree: a list page's credentials are most of its time
// (micro_bench's BM_CredentialPageJson; tests/http/codec_test.cc compares the two).
void AppendCredentialJson(std::string& out, const CredentialView& view);
// serialize(Page(CredentialJson of each of `items`, next_cursor)), written the same way.
std::string CredentialPageJson(const std::vector<CredentialView>& items,
                               const std::string& next_cursor);
// The credential summary: {"total", "valid", "expiring_soon", "expired", "no_expiry",
// "pending_approval", "rejected", "by_type": [{the same counts, "type": {"id", "name"}}]}, in
// that order, written the same way: its object tree and serialize cost more than reading the
// summary does once it is kept (docs/performance.md, session 9).
std::string SummaryJson(const CredentialSummary& summary);

}  // namespace bf::http
