// Sign-in throttling: too many failed attempts for one account or from one address answer 429
// for a while. Kept in memory per server node; a multi-node deployment multiplies the allowance
// by the node count, which still bounds guessing.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"

namespace bf {

struct ThrottleLimits {
  int per_account = 5;    // failures per window for one (lower-cased) email
  int per_address = 30;   // failures per window from one client address
  Millis window = std::chrono::minutes(15);
};

class LoginThrottle {
 public:
  LoginThrottle(const Clock& clock, ThrottleLimits limits) : clock_(clock), limits_(limits) {}

  // True when a sign-in for `account` from `address` may be tried now.
  bool Allowed(const std::string& account, const std::string& address);
  void RecordFailure(const std::string& account, const std::string& address);
  // A successful sign-in clears the account's failures (not the address's).
  void RecordSuccess(const std::string& account);

 private:
  // Drops failures older than the window; returns how many remain.
  size_t Recent(std::vector<Timestamp>& failures, Timestamp now);

  const Clock& clock_;
  ThrottleLimits limits_;
  std::mutex mu_;
  std::unordered_map<std::string, std::vector<Timestamp>> by_account_;
  std::unordered_map<std::string, std::vector<Timestamp>> by_address_;
};

}  // namespace bf
