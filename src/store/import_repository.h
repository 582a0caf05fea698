// The bulk upload of CSV.md (store/sql/imports.cc). Part of every UnitOfWork (store.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/dates.h"
#include "core/result.h"
#include "domain/credentials.h"
#include "domain/model.h"

namespace bf {

// A user as an import matches emails against.
struct ImportUser {
  std::string id;
  std::string name;
  std::string email;
  bool active = true;
};

// A credential type as an import matches names against.
struct ImportType {
  std::string id;
  std::string name;
  bool expires = true;
};

// An existing credential a row may target: holder, type, and its latest version's fields.
struct ImportTarget {
  std::string id;
  std::string user_id;
  std::string type_id;
  bool archived = false;
  int version = 1;
  Date issue_date;
  std::optional<Date> expiry_date;
  std::string credential_number;
};

// A version an import writes: version 1 of a new credential, or the next one of a credential.
struct ImportedVersion {
  std::string credential_id;
  std::string user_id;  // of a new credential
  std::string type_id;  // of a new credential
  int version = 1;
  Date issue_date;
  std::optional<Date> expiry_date;
  std::string credential_number;
  ApprovalStatus approval_status = ApprovalStatus::kNotRequired;
  std::string approved_by;  // "" unless approved by a user (the system approves as nobody)
  Timestamp at;             // created, updated and (when approved) approved at
  std::string actor_id;     // created and updated by; "" for the system
};

// Lookups an import runs once (users, types) or once a row (targets), and writes that do not
// read back: one prepared statement each.
class ImportRepository {
 public:
  virtual ~ImportRepository() = default;

  // Every user of the organisation, active or not.
  virtual Result<std::vector<ImportUser>> ListImportUsers(const std::string& org_id) = 0;
  // Every credential type of the organisation.
  virtual Result<std::vector<ImportType>> ListImportTypes(const std::string& org_id) = 0;
  // The credential `id` of the organisation, archived or not.
  virtual Result<std::optional<ImportTarget>> FindImportTarget(const std::string& org_id,
                                                               const std::string& id) = 0;
  // The unarchived credentials of `user_id` of type `type_id` whose lower-cased number is
  // `number_key` ("" for none): one range of the index credentials_by_user.
  virtual Result<std::vector<ImportTarget>> FindImportTargetsByKey(
      const std::string& org_id, const std::string& user_id, const std::string& type_id,
      const std::string& number_key) = 0;
  // Inserts a new credential with its version 1 (`version.version` is 1).
  virtual Status InsertImportedCredential(const std::string& org_id,
                                          const ImportedVersion& version) = 0;
  // Inserts the next version of an existing credential and makes it the latest: the
  // credential's fields follow it and its revision grows by one. kNotFound without the
  // credential.
  virtual Status InsertImportedVersion(const std::string& org_id,
                                       const ImportedVersion& version) = 0;
  // The write pass in bulk: the same rows as InsertImportedCredential and InsertImportedVersion
  // (a version staged with `version.version` 1 is a new credential), all of one organisation,
  // which an engine may hold back and write together when FinishImportedWrites is called
  // (PostgreSQL: COPY into a temporary staging table, then one set-based statement a table).
  // Until then the rows need not be visible to this unit's reads, not even to the import
  // lookups above; the caller keeps track of what it staged (service/import_service.cc). An
  // engine without a bulk path writes each row at once (SQLite). After any error the unit must
  // be rolled back: some rows may have been written.
  virtual Status StageImportedCredential(const std::string& org_id,
                                         const ImportedVersion& version) = 0;
  virtual Status StageImportedVersion(const std::string& org_id,
                                      const ImportedVersion& version) = 0;
  // Writes every row staged and not yet written. kConflict when a staged version collides with
  // a row another writer added meanwhile (its credential moved on from the version it was read
  // at, was archived, or already has that version number: SQLSTATE 23505); kNotFound when its
  // credential is gone. Commit writes what is still staged too, but reports no such error
  // apart: call this before Commit.
  virtual Status FinishImportedWrites() = 0;
  // Says that this unit is about to write many rows at scattered places of several indexes (an
  // import's write pass). The engine may give the unit's connection more memory for it; it
  // takes that back when the unit ends (commit or rollback), so the connection returns to its
  // pool as it was. Engines without such a knob do nothing.
  virtual Status PrepareForBulkWrite() = 0;
};

}  // namespace bf
