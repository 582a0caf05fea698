#include "http/codec.h"

namespace bf::http {
namespace {

boost::json::array StringArray(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

}  // namespace

boost::json::object UserJson(const User& user) {
  return {
      {"id", user.id},
      {"email", user.email},
      {"name", user.name},
      {"status", user.status == UserStatus::kActive ? "active" : "deactivated"},
      {"permission_set", {{"id", user.permission_set_id}, {"name", user.permission_set_name}}},
      {"permissions", StringArray(user.permissions.Names())},
      {"created_at", FormatTimestamp(user.created_at)},
      {"updated_at", FormatTimestamp(user.updated_at)},
  };
}

boost::json::object PermissionSetJson(const PermissionSet& set) {
  return {
      {"id", set.id},
      {"name", set.name},
      {"permissions", StringArray(set.permissions.Names())},
      {"builtin", set.builtin},
      {"created_at", FormatTimestamp(set.created_at)},
      {"updated_at", FormatTimestamp(set.updated_at)},
  };
}

boost::json::object OrganizationJson(const Organization& org) {
  return {
      {"id", org.id},
      {"name", org.name},
      {"timezone", org.timezone},
      {"date_format", DateFormatName(org.date_format)},
      {"created_at", FormatTimestamp(org.created_at)},
      {"updated_at", FormatTimestamp(org.updated_at)},
  };
}

boost::json::object SettingsJson(const CredentialSettings& s) {
  return {
      {"media_required", s.media_required},
      {"approvals_required", s.approvals_required},
      {"expiring_soon_days", s.expiring_soon_days},
  };
}

boost::json::object CredentialTypeJson(const CredentialType& type) {
  boost::json::value days = nullptr;
  if (type.reminder_days) {
    boost::json::array a;
    for (int d : *type.reminder_days) a.emplace_back(d);
    days = std::move(a);
  }
  return {
      {"id", type.id},
      {"name", type.name},
      {"description", type.description},
      {"expires", type.expires},
      {"reminder_days", std::move(days)},
      {"credential_count", type.credential_count},
      {"created_at", FormatTimestamp(type.created_at)},
      {"updated_at", FormatTimestamp(type.updated_at)},
  };
}

boost::json::object TokenJson(const ApiToken& token) {
  return {
      {"id", token.id},
      {"name", token.name},
      {"created_at", FormatTimestamp(token.created_at)},
  };
}

boost::json::object Page(boost::json::array items, const std::string& next_cursor) {
  boost::json::object out;
  out["items"] = std::move(items);
  out["next_cursor"] = next_cursor.empty() ? boost::json::value(nullptr)
                                           : boost::json::value(next_cursor);
  return out;
}

}  // namespace bf::http
