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

class PgUnitOfWork;

// This thread's shared read (Store::ShareReads), as SQLite's (store/sqlite/unit_of_work.h): the
// store whose scope the thread is in, the connection of the shared transaction once a read has
// begun it, and the unit of work using it now, if any.
struct SharedRead {
  const void* store = nullptr;
  Connection* conn = nullptr;
  PgUnitOfWork* unit = nullptr;
};
SharedRead& ThisThreadSharedRead();

class PgUnitOfWork final : public sql::SqlUnitOfWork {
 public:
  // Takes over `conn`, on which a transaction has begun; returns it to `pool` when destroyed.
  PgUnitOfWork(Pool* pool, Connection* conn)
      : SqlUnitOfWork(conn, sql::kPostgresDialect),
        pool_(pool),
        connection_(conn),
        staging_(conn) {}
  // A read unit in this thread's shared read: ends neither the transaction nor the connection's
  // loan (the scope does), unless the scope ended first and Detach() handed both over.
  PgUnitOfWork(Pool* pool, Connection* conn, SharedRead* shared)
      : SqlUnitOfWork(conn, sql::kPostgresDialect),
        pool_(pool),
        connection_(conn),
        staging_(conn),
        shared_(shared) {}
  ~PgUnitOfWork() override;

  // The scope of the shared read ends while this unit lives: the unit now owns the transaction
  // and the connection, as a unit of its own would.
  void Detach() { shared_ = nullptr; }

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
  SharedRead* shared_ = nullptr;  // set while the unit is this thread's shared read
  bool done_ = false;
};

}  // namespace bf::postgres
