// Credential types: "Driver's licence", "First aid", ...
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "domain/model.h"
#include "service/context.h"

namespace bf {

struct CredentialTypeInput {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<bool> expires;
  // Outer: whether the field was given; inner nullopt: null (use the users' lead times).
  std::optional<std::optional<std::vector<int>>> reminder_days;
};

class CredentialTypeService {
 public:
  explicit CredentialTypeService(ServiceContext ctx) : ctx_(ctx) {}

  Result<std::vector<CredentialType>> List(const Actor& actor, const std::string& q);
  Result<CredentialType> Get(const Actor& actor, const std::string& id);
  // credentials.manage; kConflict "name_taken".
  Result<CredentialType> Create(const Actor& actor, const CredentialTypeInput& input);
  Result<CredentialType> Update(const Actor& actor, const std::string& id,
                                const CredentialTypeInput& input);
  // credentials.manage; kConflict "type_in_use" while any credential, archived or not, uses it.
  Status Delete(const Actor& actor, const std::string& id);

  // For the demo: creates a type with no acting user.
  static Result<CredentialType> CreateAsSystem(UnitOfWork& uow, const ServiceContext& ctx,
                                               const std::string& org_id,
                                               const CredentialTypeInput& input);

 private:
  ServiceContext ctx_;
};

}  // namespace bf
