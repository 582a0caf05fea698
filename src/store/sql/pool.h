// A fixed set of connections of one engine, lent to one unit of work at a time. Thread-safe.
// Counts its acquisitions, waits and timeouts in ProcessPoolCounters() (store/pool_counters.h).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "core/result.h"
#include "store/pool_counters.h"

namespace bf::sql {

// `C` is the engine's connection. It has `Status Revive()`, called on a connection about to be
// lent, outside the pool's lock: PostgreSQL connects again a connection the server dropped
// (a restart costs the requests in flight, not the process); SQLite has nothing to do. A
// connection that cannot be revived goes back to the pool and waits for the next try.
template <typename C>
class Pool {
 public:
  Pool(std::vector<std::unique_ptr<C>> conns, int acquire_timeout_ms)
      : all_(std::move(conns)), acquire_timeout_ms_(acquire_timeout_ms) {
    for (auto& c : all_) free_.push_back(c.get());
    ProcessPoolCounters().connections.fetch_add(static_cast<int64_t>(all_.size()),
                                                std::memory_order_relaxed);
  }
  // Every connection must have been released.
  ~Pool() {
    PoolCounters& counters = ProcessPoolCounters();
    counters.connections.fetch_sub(static_cast<int64_t>(all_.size()), std::memory_order_relaxed);
    counters.in_use.fetch_sub(static_cast<int64_t>(all_.size() - free_.size()),
                              std::memory_order_relaxed);
  }
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // A connection, waiting up to the acquire timeout; kUnavailable after it.
  Result<C*> Acquire() {
    // The counters are process-wide atomics, updated once or twice an acquisition: no lock of
    // their own, and none of this pool's beyond the one taken anyway.
    PoolCounters& counters = ProcessPoolCounters();
    counters.acquisitions.fetch_add(1, std::memory_order_relaxed);
    C* c = nullptr;
    {
      std::unique_lock lock(mu_);
      if (free_.empty()) {
        counters.waits.fetch_add(1, std::memory_order_relaxed);
        auto start = std::chrono::steady_clock::now();
        bool got = cv_.wait_for(lock, std::chrono::milliseconds(acquire_timeout_ms_),
                                [&] { return !free_.empty(); });
        const std::chrono::nanoseconds waited = std::chrono::steady_clock::now() - start;
        counters.wait_nanoseconds.fetch_add(waited.count(), std::memory_order_relaxed);
        if (!got) {
          counters.timeouts.fetch_add(1, std::memory_order_relaxed);
          return Fail(ErrorCode::kUnavailable, "database_busy", "the server is busy, try again",
                      "no free database connection");
        }
      }
      c = free_.back();
      free_.pop_back();
    }
    counters.in_use.fetch_add(1, std::memory_order_relaxed);
    auto revived = c->Revive();
    if (!revived) {
      Release(c);
      return tl::unexpected(revived.error());
    }
    return c;
  }

  void Release(C* conn) {
    ProcessPoolCounters().in_use.fetch_sub(1, std::memory_order_relaxed);
    {
      std::lock_guard lock(mu_);
      free_.push_back(conn);
    }
    cv_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<C>> all_;
  std::vector<C*> free_;
  int acquire_timeout_ms_;
};

}  // namespace bf::sql
