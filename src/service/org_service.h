// Organisations and their credential settings.
#pragma once

#include <optional>
#include <string>

#include "core/result.h"
#include "domain/model.h"
#include "service/context.h"
#include "service/user_service.h"

namespace bf {

struct OrganizationPatch {
  std::optional<std::string> name;
  std::optional<std::string> timezone;     // an IANA zone
  std::optional<std::string> date_format;  // YYYY-MM-DD, DD/MM/YYYY or MM/DD/YYYY
};

struct SettingsPatch {
  std::optional<bool> media_required;
  std::optional<bool> approvals_required;
  std::optional<int64_t> expiring_soon_days;  // 0..3650
};

struct NewOrganization {
  std::string name;
  std::string timezone = "UTC";
  NewUser admin;  // permission_set_id is ignored: the administrator set
};

struct CreatedOrganization {
  Organization org;
  User admin;
};

class OrgService {
 public:
  explicit OrgService(ServiceContext ctx) : ctx_(WithPasswords(ctx)) {}

  // Creates the organisation, its built-in permission sets and its first administrator in one
  // transaction. For the command line and the demo.
  Result<CreatedOrganization> Create(const NewOrganization& input);

  Result<Organization> Get(const Actor& actor);
  Result<Organization> Update(const Actor& actor, const OrganizationPatch& patch);  // org.manage
  Result<Organization> UpdateSettings(const Actor& actor,
                                      const SettingsPatch& patch);  // credentials.manage

 private:
  ServiceContext ctx_;
};

}  // namespace bf
