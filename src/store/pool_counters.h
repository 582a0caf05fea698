// How often the database connection pools of this process made a unit of work wait, for
// /metrics. The store implementations write these; the HTTP layer reads them (it may see the
// store's interface, never the reverse).
#pragma once

#include <atomic>
#include <cstdint>

namespace bf {

// Counts since the process started, summed over every pool the process opened. Thread-safe:
// each field is an independent relaxed atomic, so a reader may see one acquisition's wait in
// `waits` a moment before its time is in `wait_nanoseconds`.
struct PoolCounters {
  std::atomic<int64_t> acquisitions{0};      // connections asked for (timeouts included)
  std::atomic<int64_t> waits{0};             // of those, found no free connection at once
  std::atomic<int64_t> wait_nanoseconds{0};  // time spent waiting by those (timeouts included)
  std::atomic<int64_t> timeouts{0};          // gave up after the acquire timeout (kUnavailable)
  std::atomic<int64_t> connections{0};       // gauge: connections of the open pools
  std::atomic<int64_t> in_use{0};            // gauge: of those, lent to a unit of work now
};

// The process's counters (Prometheus counters are per process).
inline PoolCounters& ProcessPoolCounters() {
  static PoolCounters counters;
  return counters;
}

}  // namespace bf
