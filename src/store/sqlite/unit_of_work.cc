#include "unit_of_work.h"

#include <spdlog/spdlog.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace bf::sqlite {

SharedRead& ThisThreadSharedRead() {
  static thread_local SharedRead shared;
  return shared;
}

SqliteUnitOfWork::~SqliteUnitOfWork() {
  if (shared_) {
    shared_->unit = nullptr;  // the transaction goes on for the next read of the scope
    return;
  }
  if (!done_) {
    auto rolled_back = conn_->Run("ROLLBACK");
    if (!rolled_back) spdlog::error("rollback failed: {}", rolled_back.error().detail);
  }
  if (cache_size_to_restore_) {
    auto restored = SwapPageCacheSize(*cache_size_to_restore_);
    if (!restored) spdlog::error("restoring cache_size failed: {}", restored.error().detail);
  }
  pool_->Release(connection_);
}

Status SqliteUnitOfWork::Commit() {
  if (shared_) return Ok();  // a read: the scope ends the transaction
  BF_RETURN_IF_ERROR(conn_->Run("COMMIT"));
  done_ = true;
  if (writer_.owns_lock()) writer_.unlock();
  return Ok();
}

Status SqliteUnitOfWork::PrepareForBulkWrite() {
  if (cache_size_to_restore_) return Ok();
  BF_ASSIGN_OR_RETURN(int64_t before, SwapPageCacheSize(-kSqliteBulkWritePageCacheKiB));
  cache_size_to_restore_ = before;
  return Ok();
}

Result<int64_t> SqliteUnitOfWork::SwapPageCacheSize(int64_t value) {
  int64_t before = 0;
  {
    BF_ASSIGN_OR_RETURN(auto read, conn_->Prepare("PRAGMA cache_size"));
    BF_ASSIGN_OR_RETURN(bool row, read.Step());
    if (!row) return Internal("PRAGMA cache_size answered nothing");
    before = read.Int(0);
  }
  // A pragma takes no bound parameters; the value is a number formatted here.
  BF_RETURN_IF_ERROR(conn_->Exec("PRAGMA cache_size = " + std::to_string(value)));
  // A smaller cache frees its pages, but glibc keeps freed small blocks in the arena of the
  // thread that freed them, and requests run on several threads: hand the memory back, or
  // the server keeps the peak of every import it ran on another thread.
  sqlite3_db_release_memory(connection_->handle());
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
  return before;
}

}  // namespace bf::sqlite
