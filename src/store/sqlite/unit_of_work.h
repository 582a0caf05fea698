// The SQLite unit of work: one connection, one transaction. Every repository method is
// SqlUnitOfWork's (store/sql/), written once for both engines; this adds how SQLite's
// transaction ends and what it does for a bulk write.
#pragma once

#include <mutex>
#include <optional>

#include "database.h"
#include "store/sql/unit_of_work.h"
#include "store/store.h"

namespace bf::sqlite {

class SqliteUnitOfWork;

// This thread's shared read (Store::ShareReads): the store whose scope the thread is in, the
// connection on which the shared transaction is open once a read has begun it, and the unit of
// work that is using it now, if any.
struct SharedRead {
  const void* store = nullptr;
  Connection* conn = nullptr;
  SqliteUnitOfWork* unit = nullptr;
};
SharedRead& ThisThreadSharedRead();

class SqliteUnitOfWork final : public sql::SqlUnitOfWork {
 public:
  // Takes over `conn`, on which a transaction has begun; returns it to `pool` when destroyed.
  // `writer` is the store's writer lock for a write unit of work (not held for a read): given
  // back at Commit, or after the rollback.
  SqliteUnitOfWork(Pool* pool, Connection* conn, std::unique_lock<std::timed_mutex> writer = {})
      : SqlUnitOfWork(conn, sql::kSqliteDialect),
        pool_(pool),
        connection_(conn),
        writer_(std::move(writer)) {}
  // A read unit in this thread's shared read: ends neither the transaction nor the connection's
  // loan (the scope does), unless the scope ended first and Detach() handed both over.
  SqliteUnitOfWork(Pool* pool, Connection* conn, SharedRead* shared)
      : SqlUnitOfWork(conn, sql::kSqliteDialect), pool_(pool), connection_(conn), shared_(shared) {}
  ~SqliteUnitOfWork() override;

  // The scope of the shared read ends while this unit lives: the unit now owns the transaction
  // and the connection, as a unit of its own would.
  void Detach() { shared_ = nullptr; }

  Status Commit() override;
  Status PrepareForBulkWrite() override;

 private:
  // Sets SQLite's cache_size (negative KiB, positive pages) of this connection; returns the
  // value it had.
  Result<int64_t> SwapPageCacheSize(int64_t value);

  Pool* pool_;
  Connection* connection_;  // conn_, as SQLite's
  std::unique_lock<std::timed_mutex> writer_;
  SharedRead* shared_ = nullptr;  // set while the unit is this thread's shared read
  bool done_ = false;
  // Set by PrepareForBulkWrite: the connection's cache_size, given back when the unit ends.
  std::optional<int64_t> cache_size_to_restore_;
};

}  // namespace bf::sqlite
