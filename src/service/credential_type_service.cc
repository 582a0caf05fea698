#include "service/credential_type_service.h"

#include "core/ids.h"
#include "domain/validation.h"
#include "service/activity.h"

namespace bf {
namespace {

std::optional<std::string> DaysText(const std::optional<std::vector<int>>& days) {
  if (!days) return std::nullopt;
  std::string out;
  for (int d : *days) out += (out.empty() ? "" : ",") + std::to_string(d);
  return out;
}

auto NameTaken() {
  return Fail(ErrorCode::kConflict, "name_taken", "a credential type with this name exists");
}

// Applies `input` to `type`, validating each given field.
Status Apply(CredentialType& type, const CredentialTypeInput& input) {
  if (input.name) {
    BF_RETURN_IF_ERROR(ValidateText("name", *input.name, kMaxNameLength));
    type.name = Trim(*input.name);
  }
  if (input.description) {
    BF_RETURN_IF_ERROR(ValidateOptionalText("description", *input.description,
                                            kMaxDescriptionLength, TextLines::kMultiple));
    type.description = Trim(*input.description);
  }
  if (input.expires) type.expires = *input.expires;
  if (input.reminder_days) {
    if (*input.reminder_days)
      BF_RETURN_IF_ERROR(ValidateLeadTimes("reminder_days", **input.reminder_days));
    type.reminder_days = *input.reminder_days;
  }
  return Ok();
}

}  // namespace

Result<CredentialType> CredentialTypeService::CreateAsSystem(UnitOfWork& uow,
                                                             const ServiceContext& ctx,
                                                             const std::string& org_id,
                                                             const CredentialTypeInput& input) {
  if (!input.name) return FailField("name", "required", "name is required");
  CredentialType type;
  BF_RETURN_IF_ERROR(Apply(type, input));
  type.id = NewId();
  type.org_id = org_id;
  type.created_at = type.updated_at = ctx.clock.Now();
  BF_ASSIGN_OR_RETURN(auto existing, uow.FindCredentialTypeByName(org_id, type.name));
  if (existing) return NameTaken();
  BF_RETURN_IF_ERROR(uow.InsertCredentialType(type));
  return type;
}

Result<std::vector<CredentialType>> CredentialTypeService::List(const Actor& actor,
                                                                const std::string& q) {
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
  return uow->ListCredentialTypes(actor.org_id, q);
}

Result<CredentialType> CredentialTypeService::Get(const Actor& actor, const std::string& id) {
  if (!IsUuid(id)) return NotFound("credential type");
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
  BF_ASSIGN_OR_RETURN(auto type, uow->FindCredentialType(actor.org_id, id));
  if (!type) return NotFound("credential type");
  return *type;
}

Result<CredentialType> CredentialTypeService::Create(const Actor& actor,
                                                     const CredentialTypeInput& input) {
  if (!actor.Can(Permission::kCredentialsManage)) {
    return Forbidden("credential types need credentials.manage");
  }
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_ASSIGN_OR_RETURN(CredentialType type, CreateAsSystem(*uow, ctx_, actor.org_id, input));
  Activity entry =
      NewActivity(&actor, type.created_at, "credential_type.created", "credential_type", type.id);
  AddChange(entry, "name", std::nullopt, type.name);
  AddChange(entry, "expires", std::nullopt, type.expires ? "true" : "false");
  AddChange(entry, "reminder_days", std::nullopt, DaysText(type.reminder_days));
  BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  BF_RETURN_IF_ERROR(uow->Commit());
  return type;
}

Result<CredentialType> CredentialTypeService::Update(const Actor& actor, const std::string& id,
                                                     const CredentialTypeInput& input) {
  if (!IsUuid(id)) return NotFound("credential type");
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_ASSIGN_OR_RETURN(auto found, uow->FindCredentialType(actor.org_id, id));
  if (!found) return NotFound("credential type");
  if (!actor.Can(Permission::kCredentialsManage)) {
    return Forbidden("credential types need credentials.manage");
  }
  CredentialType type = *found;
  BF_RETURN_IF_ERROR(Apply(type, input));
  if (input.expires && !*input.expires && found->expires && found->credential_count > 0) {
    return Fail(
        ErrorCode::kConflict, "type_in_use",
        "credentials of this type carry expiry dates; it cannot stop expiring while in use");
  }
  if (input.name) {
    BF_ASSIGN_OR_RETURN(auto existing, uow->FindCredentialTypeByName(actor.org_id, type.name));
    if (existing && existing->id != type.id) return NameTaken();
  }
  Activity entry =
      NewActivity(&actor, ctx_.clock.Now(), "credential_type.updated", "credential_type", type.id);
  AddChange(entry, "name", found->name, type.name);
  AddChange(entry, "description", found->description, type.description);
  AddChange(entry, "expires", found->expires ? "true" : "false", type.expires ? "true" : "false");
  AddChange(entry, "reminder_days", DaysText(found->reminder_days), DaysText(type.reminder_days));
  if (entry.changes.empty()) return *found;  // nothing changed: nothing written
  type.updated_at = entry.at;
  BF_RETURN_IF_ERROR(uow->UpdateCredentialType(type));
  BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  BF_RETURN_IF_ERROR(uow->Commit());
  return type;
}

Status CredentialTypeService::Delete(const Actor& actor, const std::string& id) {
  if (!IsUuid(id)) return NotFound("credential type");
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_ASSIGN_OR_RETURN(auto found, uow->FindCredentialType(actor.org_id, id));
  if (!found) return NotFound("credential type");
  if (!actor.Can(Permission::kCredentialsManage)) {
    return Forbidden("credential types need credentials.manage");
  }
  BF_ASSIGN_OR_RETURN(int64_t requirements, uow->CountRequirementsNamingType(actor.org_id, id));
  if (requirements > 0) {
    return Fail(ErrorCode::kConflict, "type_in_use",
                std::to_string(requirements) +
                    " requirement(s) name this type; change or delete them first");
  }
  if (found->credential_count > 0) {
    return Fail(ErrorCode::kConflict, "type_in_use",
                std::to_string(found->credential_count) +
                    " credential(s), archived ones included, use this type; delete them first");
  }
  BF_RETURN_IF_ERROR(uow->DeleteCredentialType(actor.org_id, id));
  Activity entry =
      NewActivity(&actor, ctx_.clock.Now(), "credential_type.deleted", "credential_type", id);
  AddChange(entry, "name", found->name, std::nullopt);
  BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  return uow->Commit();
}

}  // namespace bf
