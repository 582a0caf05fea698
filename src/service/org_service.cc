#include "service/org_service.h"

#include "core/ids.h"
#include "domain/validation.h"
#include "service/activity.h"

namespace bf {
namespace {

std::string Bool(bool b) { return b ? "true" : "false"; }

}  // namespace

Result<CreatedOrganization> OrgService::Create(const NewOrganization& input) {
  BF_RETURN_IF_ERROR(ValidateText("name", input.name, kMaxNameLength));
  if (!IsKnownTimeZone(input.timezone)) {
    return FailField("timezone", "unknown_timezone", "not an IANA time zone: " + input.timezone);
  }
  CreatedOrganization out;
  Organization& org = out.org;
  org.id = NewId();
  org.name = Trim(input.name);
  org.timezone = input.timezone;
  org.created_at = org.updated_at = ctx_.clock.Now();
  // The administrator's password is hashed before the transaction (service/passwords.h).
  BF_ASSIGN_OR_RETURN(NewUser admin, UserService::HashNewPassword(ctx_, input.admin));
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_RETURN_IF_ERROR(uow->InsertOrganization(org));
  std::string admin_set_id;
  for (const BuiltinPermissionSet& builtin : BuiltinPermissionSets()) {
    PermissionSet set{
        NewId(),        org.id,        std::string(builtin.name), builtin.permissions, true,
        org.created_at, org.created_at};
    if (builtin.permissions == Permissions::All()) admin_set_id = set.id;
    BF_RETURN_IF_ERROR(uow->InsertPermissionSet(set));
  }
  admin.permission_set_id = admin_set_id;
  BF_ASSIGN_OR_RETURN(out.admin, UserService::CreateAsSystem(*uow, ctx_, org.id, admin));
  Activity entry =
      NewActivity(nullptr, org.created_at, "organization.created", "organization", org.id);
  entry.org_id = org.id;
  AddChange(entry, "name", std::nullopt, org.name);
  BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  Activity user_entry = NewActivity(nullptr, org.created_at, "user.created", "user", out.admin.id);
  user_entry.org_id = org.id;
  user_entry.subject_user_id = out.admin.id;
  user_entry.subject_user_name = out.admin.name;
  AddChange(user_entry, "email", std::nullopt, out.admin.email);
  AddChange(user_entry, "permission_set", std::nullopt, out.admin.permission_set_name);
  BF_RETURN_IF_ERROR(uow->AppendActivity(user_entry));
  BF_RETURN_IF_ERROR(uow->Commit());
  return out;
}

Result<Organization> OrgService::Get(const Actor& actor) {
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
  BF_ASSIGN_OR_RETURN(auto org, uow->FindOrganization(actor.org_id));
  if (!org) return NotFound("organization");
  return *org;
}

Result<Organization> OrgService::Update(const Actor& actor, const OrganizationPatch& patch) {
  if (!actor.Can(Permission::kOrgManage)) return Forbidden("organisation settings need org.manage");
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_ASSIGN_OR_RETURN(auto found, uow->FindOrganization(actor.org_id));
  if (!found) return NotFound("organization");
  Organization org = *found;
  if (patch.name) {
    BF_RETURN_IF_ERROR(ValidateText("name", *patch.name, kMaxNameLength));
    org.name = Trim(*patch.name);
  }
  if (patch.timezone) {
    if (!IsKnownTimeZone(*patch.timezone)) {
      return FailField("timezone", "unknown_timezone", "not an IANA time zone: " + *patch.timezone);
    }
    org.timezone = *patch.timezone;
  }
  if (patch.date_format) {
    auto format = ParseDateFormat(*patch.date_format);
    if (!format) {
      return FailField("date_format", "invalid_date_format",
                       "date_format must be YYYY-MM-DD, DD/MM/YYYY or MM/DD/YYYY");
    }
    org.date_format = *format;
  }
  Activity entry =
      NewActivity(&actor, ctx_.clock.Now(), "organization.updated", "organization", org.id);
  AddChange(entry, "name", found->name, org.name);
  AddChange(entry, "timezone", found->timezone, org.timezone);
  AddChange(entry, "date_format", std::string(DateFormatName(found->date_format)),
            std::string(DateFormatName(org.date_format)));
  if (entry.changes.empty()) return *found;  // nothing changed: nothing written
  org.updated_at = entry.at;
  BF_RETURN_IF_ERROR(uow->UpdateOrganization(org));
  BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  BF_RETURN_IF_ERROR(uow->Commit());
  return org;
}

Result<Organization> OrgService::UpdateSettings(const Actor& actor, const SettingsPatch& patch) {
  if (!actor.Can(Permission::kCredentialsManage)) {
    return Forbidden("credential settings need credentials.manage");
  }
  if (patch.expiring_soon_days &&
      (*patch.expiring_soon_days < 0 || *patch.expiring_soon_days > kMaxExpiringSoonDays)) {
    return FailField("expiring_soon_days", "out_of_range",
                     "expiring_soon_days must be between 0 and 3650");
  }
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_ASSIGN_OR_RETURN(auto found, uow->FindOrganization(actor.org_id));
  if (!found) return NotFound("organization");
  Organization org = *found;
  CredentialSettings& s = org.settings;
  if (patch.media_required) s.media_required = *patch.media_required;
  if (patch.approvals_required) s.approvals_required = *patch.approvals_required;
  if (patch.expiring_soon_days) s.expiring_soon_days = static_cast<int>(*patch.expiring_soon_days);
  const CredentialSettings& old = found->settings;
  Activity entry = NewActivity(&actor, ctx_.clock.Now(), "settings.updated", "settings", org.id);
  AddChange(entry, "media_required", Bool(old.media_required), Bool(s.media_required));
  AddChange(entry, "approvals_required", Bool(old.approvals_required), Bool(s.approvals_required));
  AddChange(entry, "expiring_soon_days", std::to_string(old.expiring_soon_days),
            std::to_string(s.expiring_soon_days));
  if (entry.changes.empty()) return *found;  // nothing changed: nothing written
  org.updated_at = entry.at;
  BF_RETURN_IF_ERROR(uow->UpdateOrganization(org));
  BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  BF_RETURN_IF_ERROR(uow->Commit());
  return org;
}

}  // namespace bf
