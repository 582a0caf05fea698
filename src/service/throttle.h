// Sign-in throttling: too many failed attempts answer 429 for a while. Counted three ways, each
// over a sliding window:
//  - per account and address pair (lower-cased email + client address): a guesser at one
//    address is stopped quickly, and only there: five wrong tries from elsewhere do not lock the
//    owner out;
//  - per account, whatever the address: a higher ceiling that bounds guessing spread over many
//    addresses (the price: that many failures from enough addresses do lock the account);
//  - per address, whatever the account: bounds one address trying many accounts.
// Kept in memory per server node; a multi-node deployment multiplies the allowance by the node
// count, which still bounds guessing.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/clock.h"

namespace bf {

struct ThrottleLimits {
  int per_pair = 5;      // failures per window for one account from one address
  int per_account = 50;  // failures per window for one (lower-cased) email, from anywhere
  int per_address = 30;  // failures per window from one client address, for any account
  Millis window = std::chrono::minutes(15);
};

class LoginThrottle {
 public:
  LoginThrottle(const Clock& clock, ThrottleLimits limits) : clock_(clock), limits_(limits) {}

  // True when a sign-in for `account` from `address` may be tried now. Thread-safe.
  bool Allowed(const std::string& account, const std::string& address);
  void RecordFailure(const std::string& account, const std::string& address);
  // A successful sign-in clears the failures of its account and address pair; the account's and
  // the address's own counts stay (a success does not excuse guessing elsewhere).
  void RecordSuccess(const std::string& account, const std::string& address);

 private:
  using Failures = std::unordered_map<std::string, std::vector<Timestamp>>;
  // Under the window's limit for `key` (dropping failures older than the window).
  bool Under(Failures& failures, const std::string& key, int limit, Timestamp now);
  static std::string PairKey(const std::string& account, const std::string& address);

  const Clock& clock_;
  ThrottleLimits limits_;
  std::mutex mu_;
  Failures by_pair_;
  Failures by_account_;
  Failures by_address_;
};

}  // namespace bf
