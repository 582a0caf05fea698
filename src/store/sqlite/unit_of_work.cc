#include "unit_of_work.h"

#include <spdlog/spdlog.h>

namespace bf::sqlite {

SqliteUnitOfWork::~SqliteUnitOfWork() {
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
  BF_RETURN_IF_ERROR(conn_->Run("COMMIT"));
  done_ = true;
  if (writer_.owns_lock()) writer_.unlock();
  return Ok();
}

}  // namespace bf::sqlite
