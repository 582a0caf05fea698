// Permission sets (store/sql/organizations.cc). Part of every UnitOfWork (store.h).
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

class PermissionSetRepository {
 public:
  virtual ~PermissionSetRepository() = default;

  virtual Status InsertPermissionSet(const PermissionSet& set) = 0;
  virtual Result<std::optional<PermissionSet>> FindPermissionSet(const std::string& org_id,
                                                                 const std::string& id) = 0;
  virtual Result<std::optional<PermissionSet>> FindPermissionSetByName(
      const std::string& org_id, const std::string& name) = 0;  // case-insensitive
  virtual Result<std::vector<PermissionSet>> ListPermissionSets(const std::string& org_id) = 0;
  virtual Status UpdatePermissionSet(const PermissionSet& set) = 0;  // name, permissions
  virtual Status DeletePermissionSet(const std::string& org_id, const std::string& id) = 0;
  virtual Result<int64_t> CountUsersWithPermissionSet(const std::string& org_id,
                                                      const std::string& id) = 0;
};

}  // namespace bf
