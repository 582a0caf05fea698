// JSON shapes of API.md for each entity.
#pragma once

#include <boost/json.hpp>

#include "domain/model.h"

namespace bf::http {

boost::json::object UserJson(const User& user);
boost::json::object PermissionSetJson(const PermissionSet& set);
boost::json::object OrganizationJson(const Organization& org);
boost::json::object SettingsJson(const CredentialSettings& settings);
boost::json::object CredentialTypeJson(const CredentialType& type);
boost::json::object TokenJson(const ApiToken& token);

// {"items": [...], "next_cursor": cursor or null}
boost::json::object Page(boost::json::array items, const std::string& next_cursor);

}  // namespace bf::http
