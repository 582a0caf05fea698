// The PostgreSQL unit of work: one connection, one transaction. Every repository method is
// SqlUnitOfWork's (store/sql/), written once for both engines; this adds how PostgreSQL's
// transaction ends and what it does for a bulk write.
#pragma once

#include <optional>

#include "database.h"
#include "import_staging.h"
#include "store/sql/unit_of_work.h"
#include "store/store.h"

namespace bf::postgres {

class PgUnitOfWork final : public sql::SqlUnitOfWork {
 public:
  // Takes over `conn`, on which a transaction has begun; returns it to `pool` when destroyed.
  PgUnitOfWork(Pool* pool, Connection* conn)
      : SqlUnitOfWork(conn, sql::kPostgresDialect),
        pool_(pool),
        connection_(conn),
        staging_(conn) {}
  ~PgUnitOfWork() override;

  // Writes what an import staged and did not finish, then commits.
  Status Commit() override;
  Status PrepareForBulkWrite() override;
  // The bulk path of the import's write pass: COPY into a staging table (import_staging.h).
  Status StageImportedCredential(const std::string& org_id,
                                 const ImportedVersion& version) override;
  Status StageImportedVersion(const std::string& org_id, const ImportedVersion& version) override;
  Status FinishImportedWrites() override;

 private:
  Pool* pool_;
  Connection* connection_;  // conn_, as PostgreSQL's
  ImportStaging staging_;
  bool done_ = false;
};

}  // namespace bf::postgres
