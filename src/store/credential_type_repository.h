// Credential types (store/sql/credential_types.cc). Part of every UnitOfWork (store.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "domain/model.h"

namespace bf {

class CredentialTypeRepository {
 public:
  virtual ~CredentialTypeRepository() = default;

  // Credential types. Reads fill credential_count (archived credentials included).
  virtual Status InsertCredentialType(const CredentialType& type) = 0;
  virtual Result<std::optional<CredentialType>> FindCredentialType(const std::string& org_id,
                                                                   const std::string& id) = 0;
  virtual Result<std::optional<CredentialType>> FindCredentialTypeByName(
      const std::string& org_id, const std::string& name) = 0;  // case-insensitive
  // Sorted by name (case-insensitive); q: case-insensitive substring of the name.
  virtual Result<std::vector<CredentialType>> ListCredentialTypes(const std::string& org_id,
                                                                  const std::string& q) = 0;
  virtual Status UpdateCredentialType(const CredentialType& type) = 0;
  virtual Status DeleteCredentialType(const std::string& org_id, const std::string& id) = 0;
};

}  // namespace bf
