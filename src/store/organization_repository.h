// Organisations (store/sql/organizations.cc). Part of every UnitOfWork (store.h).
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

class OrganizationRepository {
 public:
  virtual ~OrganizationRepository() = default;

  virtual Status InsertOrganization(const Organization& org) = 0;
  virtual Result<std::optional<Organization>> FindOrganization(const std::string& id) = 0;
  virtual Status UpdateOrganization(const Organization& org) = 0;  // name, zone, format, settings
  virtual Result<int64_t> CountOrganizations() = 0;
  // Holds the organisation's lock until this unit ends: units that lock the same organisation
  // run one after the other. A rule checked over many rows before one is written (the
  // organisation keeps an active administrator) holds only if no second unit checks at the same
  // time. SQLite's single writer already serialises write units (a no-op there); PostgreSQL
  // locks the organisation's row (SELECT … FOR UPDATE).
  virtual Status LockOrganization(const std::string& org_id) = 0;

  // Every organisation, oldest first: the reminder scheduler walks them.
  virtual Result<std::vector<Organization>> ListOrganizations() = 0;
};

}  // namespace bf
