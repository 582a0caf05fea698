#include "unit_of_work.h"

#include <spdlog/spdlog.h>

#include <cstring>

namespace bf::postgres {

PgUnitOfWork::~PgUnitOfWork() {
  if (!done_ && connection_->Healthy()) {
    auto rolled_back = conn_->Run("ROLLBACK");
    if (!rolled_back) spdlog::error("rollback failed: {}", rolled_back.error().detail);
  }
  pool_->Release(connection_);
}

Status PgUnitOfWork::Commit() {
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

// The write pass sends one short prepared statement a row, each well inside the statement
// timeout, and PostgreSQL's shared buffers are the server's to size: nothing to change here.
Status PgUnitOfWork::PrepareForBulkWrite() { return Ok(); }

}  // namespace bf::postgres
