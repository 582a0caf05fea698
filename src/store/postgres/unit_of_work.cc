#include "unit_of_work.h"

#include <spdlog/spdlog.h>

#include <cstring>

namespace bf::postgres {

SharedRead& ThisThreadSharedRead() {
  static thread_local SharedRead shared;
  return shared;
}

PgUnitOfWork::~PgUnitOfWork() {
  if (shared_) {
    shared_->unit = nullptr;  // the transaction goes on for the next read of the scope
    return;
  }
  if (!done_ && connection_->begin_pending()) {
    connection_->DropPendingBegin();  // nothing ran: no transaction to end
  } else if (!done_ && connection_->Healthy()) {
    auto rolled_back = conn_->Run("ROLLBACK");
    if (!rolled_back) spdlog::error("rollback failed: {}", rolled_back.error().detail);
  }
  pool_->Release(connection_);
}

Status PgUnitOfWork::Commit() {
  if (shared_) return Ok();  // a read: the scope ends the transaction
  if (staging_.pending()) {
    if (Status written = staging_.Finish(); !written) return written;  // rolled back at the end
  }
  if (connection_->begin_pending()) {  // nothing ran: no transaction began
    connection_->DropPendingBegin();
    done_ = true;
    return Ok();
  }
  // COMMIT of a transaction that a failed statement aborted succeeds as a rollback: the unit's
  // writes are gone, which the caller must hear.
  PGresult* r = PQexec(connection_->handle(), "COMMIT");
  const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  const bool rolled_back = ok && std::strcmp(PQcmdStatus(r), "ROLLBACK") == 0;
  Error e;
  if (!ok) e = connection_->ErrorOf(r, "COMMIT");
  PQclear(r);
  done_ = true;
  if (!ok) return tl::unexpected(std::move(e));
  if (rolled_back) return Internal("the transaction was rolled back after a failed statement");
  return Ok();
}

// The write pass ends in a few statements over every row of the file (import_staging.h), which
// may run longer than the statement timeout that guards a request's statements: lifted for this
// transaction only (SET LOCAL ends with it, so the connection returns to its pool as it was).
// PostgreSQL's shared buffers are the server's to size.
Status PgUnitOfWork::PrepareForBulkWrite() { return conn_->Run("SET LOCAL statement_timeout = 0"); }

Status PgUnitOfWork::StageImportedCredential(const std::string& org_id,
                                             const ImportedVersion& version) {
  return staging_.Add(org_id, version);
}

Status PgUnitOfWork::StageImportedVersion(const std::string& org_id,
                                          const ImportedVersion& version) {
  return staging_.Add(org_id, version);
}

Status PgUnitOfWork::FinishImportedWrites() { return staging_.Finish(); }

}  // namespace bf::postgres
