#include "http/codec.h"

#include "http/json_io.h"

namespace bf::http {
namespace {

boost::json::array StringArray(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

boost::json::value RefOrNull(const UserRef& ref) {
  if (ref.id.empty()) return nullptr;
  return boost::json::object{{"id", ref.id}, {"name", ref.name}};
}

boost::json::value DateOrNull(const std::optional<Date>& d) {
  if (!d) return nullptr;
  return boost::json::string(FormatIsoDate(*d));
}

boost::json::value TextOrNull(const std::string& s) {
  if (s.empty()) return nullptr;
  return boost::json::string(s);
}

boost::json::array MediaJson(const std::vector<MediaRef>& media) {
  boost::json::array out;
  for (const MediaRef& m : media) {
    out.push_back(boost::json::object{
        {"id", m.id}, {"filename", m.filename}, {"content_type", m.content_type}, {"size", m.size}});
  }
  return out;
}

boost::json::object CountsJson(const StatusCounts& c) {
  return {{"total", c.total},         {"valid", c.valid},
          {"expiring_soon", c.expiring_soon}, {"expired", c.expired},
          {"no_expiry", c.no_expiry}, {"pending_approval", c.pending_approval},
          {"rejected", c.rejected}};
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

boost::json::object CredentialJson(const CredentialView& view) {
  const Credential& c = view.credential;
  const CredentialVersion& v = c.latest;
  return {
      {"id", c.id},
      {"user", {{"id", c.user.id}, {"name", c.user.name}, {"email", c.user.email}}},
      {"type", {{"id", c.type_id}, {"name", c.type_name}}},
      {"archived", c.archived},
      {"version", v.version},
      {"issue_date", FormatIsoDate(v.issue_date)},
      {"expiry_date", DateOrNull(v.expiry_date)},
      {"credential_number", TextOrNull(v.credential_number)},
      {"expiry_status", ExpiryStatusName(view.expiry_status)},
      {"approval_status", ApprovalStatusName(v.approval_status)},
      {"rejection_reason", OrNull(v.rejection_reason)},
      {"compliant", IsCompliant(c.archived, v.approval_status, view.expiry_status)},
      {"media", MediaJson(v.media)},
      {"created_at", FormatTimestamp(c.created_at)},
      {"created_by", RefOrNull(c.created_by)},
      {"updated_at", FormatTimestamp(c.updated_at)},
      {"updated_by", RefOrNull(c.updated_by)},
  };
}

boost::json::object VersionJson(const CredentialVersion& v) {
  boost::json::value approved_at = nullptr;
  if (v.approved_at) approved_at = FormatTimestamp(*v.approved_at);
  return {
      {"version", v.version},
      {"issue_date", FormatIsoDate(v.issue_date)},
      {"expiry_date", DateOrNull(v.expiry_date)},
      {"credential_number", TextOrNull(v.credential_number)},
      {"media", MediaJson(v.media)},
      {"approval_status", ApprovalStatusName(v.approval_status)},
      {"rejection_reason", OrNull(v.rejection_reason)},
      {"approved_by", RefOrNull(v.approved_by)},
      {"approved_at", std::move(approved_at)},
      {"created_at", FormatTimestamp(v.created_at)},
      {"created_by", RefOrNull(v.created_by)},
      {"updated_at", FormatTimestamp(v.updated_at)},
      {"updated_by", RefOrNull(v.updated_by)},
  };
}

boost::json::object VersionChangeJson(const VersionChange& c) {
  return {
      {"at", FormatTimestamp(c.at)},
      {"actor", RefOrNull(UserRef{c.actor_id, c.actor_name, ""})},
      {"field", c.change.field},
      {"old", OrNull(c.change.old_value)},
      {"new", OrNull(c.change.new_value)},
  };
}

boost::json::object SummaryJson(const CredentialSummary& summary) {
  boost::json::object out = CountsJson(summary.all);
  boost::json::array by_type;
  for (const TypeCounts& t : summary.by_type) {
    boost::json::object entry = CountsJson(t.counts);
    entry["type"] = {{"id", t.type_id}, {"name", t.type_name}};
    by_type.push_back(std::move(entry));
  }
  out["by_type"] = std::move(by_type);
  return out;
}

boost::json::object NotificationJson(const Notification& n) {
  boost::json::value read_at = nullptr;
  if (n.read_at) read_at = FormatTimestamp(*n.read_at);
  return {
      {"id", n.id},
      {"kind", n.kind},
      {"credential_id", TextOrNull(n.credential_id)},
      {"title", n.title},
      {"body", n.body},
      {"created_at", FormatTimestamp(n.created_at)},
      {"read_at", std::move(read_at)},
  };
}

boost::json::object ActivityJson(const Activity& a) {
  boost::json::array changes;
  for (const Change& c : a.changes) {
    changes.push_back(boost::json::object{
        {"field", c.field}, {"old", OrNull(c.old_value)}, {"new", OrNull(c.new_value)}});
  }
  boost::json::value version = nullptr;
  if (a.version > 0) version = a.version;
  return {
      {"id", a.id},
      {"at", FormatTimestamp(a.at)},
      {"actor", RefOrNull(UserRef{a.actor_id, a.actor_name, ""})},
      {"action", a.action},
      {"entity", a.entity},
      {"entity_id", a.entity_id},
      {"subject_user", RefOrNull(UserRef{a.subject_user_id, a.subject_user_name, ""})},
      {"credential_id", TextOrNull(a.credential_id)},
      {"version", std::move(version)},
      {"changes", std::move(changes)},
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
