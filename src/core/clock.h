// Time is injected: nothing outside app/ reads the wall clock directly.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace bf {

using Millis = std::chrono::milliseconds;
using Timestamp = std::chrono::time_point<std::chrono::system_clock, Millis>;

class Clock {
 public:
  virtual ~Clock() = default;
  // The current time, to the millisecond. Thread-safe.
  virtual Timestamp Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp Now() const override {
    return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
  }
};

// A clock tests set and step by hand. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Timestamp start) : now_ms_(start.time_since_epoch().count()) {}
  Timestamp Now() const override { return Timestamp(Millis(now_ms_.load())); }
  void Set(Timestamp t) { now_ms_.store(t.time_since_epoch().count()); }
  void Advance(Millis d) { now_ms_.fetch_add(d.count()); }

 private:
  std::atomic<int64_t> now_ms_;
};

inline int64_t ToMillis(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp FromMillis(int64_t ms) { return Timestamp(Millis(ms)); }

}  // namespace bf
