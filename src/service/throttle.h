// Sign-in throttling: too many failed attempts answer 429 for a while. Counted three ways, each
// over a sliding window:
//  - per account and address pair (lower-cased email + client address): a guesser at one
//    address is stopped quickly, and only there: five wrong tries from elsewhere do not lock the
//    owner out;
//  - per account, whatever the address: a higher ceiling that bounds guessing spread over many
//    addresses (the price: that many failures from enough addresses do lock the account);
//  - per address, whatever the account: bounds one address trying many accounts.
// The failures live in the database (UnitOfWork::CountLoginFailures and friends), so every node
// of a cluster counts the same ones: spreading guesses over nodes gains nothing. This class is
// the rule; AuthService reads and writes the counts inside its own short transactions.
#pragma once

#include <cstdint>
#include <string>
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
  explicit LoginThrottle(ThrottleLimits limits) : limits_(limits) {}

  // The keys a sign-in of `account` from `address` counts under: the pair's first (the one a
  // success clears), then the account's, then the address's. Hashes, so that the table holds
  // neither emails nor addresses in clear.
  static std::vector<std::string> Keys(const std::string& account, const std::string& address);

  // Failures older than this do not count (and may be forgotten).
  Timestamp WindowStart(Timestamp now) const { return now - limits_.window; }

  // True when a sign-in may be tried, given the failures of each of Keys() within the window.
  bool Allowed(const std::vector<int64_t>& counts) const;

 private:
  ThrottleLimits limits_;
};

}  // namespace bf
