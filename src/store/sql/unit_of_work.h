// The unit of work both SQL engines share: every repository method of store.h, written once
// over a sql::Connection (store/sql/statement.h) and the engine's Dialect. The methods for each
// aggregate live in their own file here (organizations.cc, users.cc, …), with their SQL as named
// constants at the top. An engine (store/sqlite/, store/postgres/) derives from it and adds
// what only it knows: how its transaction ends, LockOrganization's lock, PrepareForBulkWrite.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/sql/dialect.h"
#include "store/sql/statement.h"
#include "store/store.h"

namespace bf::sql {

class SqlUnitOfWork : public UnitOfWork {
 public:
  // Runs on `conn`, on which the engine has begun a transaction; does not own it.
  SqlUnitOfWork(Connection* conn, const Dialect& dialect) : conn_(conn), dialect_(dialect) {}

  // Organisations and permission sets (organizations.cc).
  Status InsertOrganization(const Organization& org) override;
  Result<std::optional<Organization>> FindOrganization(const std::string& id) override;
  Status UpdateOrganization(const Organization& org) override;
  Result<int64_t> CountOrganizations() override;
  Status LockOrganization(const std::string& org_id) override;
  Status InsertPermissionSet(const PermissionSet& set) override;
  Result<std::optional<PermissionSet>> FindPermissionSet(const std::string& org_id,
                                                         const std::string& id) override;
  Result<std::optional<PermissionSet>> FindPermissionSetByName(const std::string& org_id,
                                                               const std::string& name) override;
  Result<std::vector<PermissionSet>> ListPermissionSets(const std::string& org_id) override;
  Status UpdatePermissionSet(const PermissionSet& set) override;
  Status DeletePermissionSet(const std::string& org_id, const std::string& id) override;
  Result<int64_t> CountUsersWithPermissionSet(const std::string& org_id,
                                              const std::string& id) override;

 protected:
  Connection* conn_;
  const Dialect& dialect_;
};

}  // namespace bf::sql
