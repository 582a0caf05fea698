#include "service/throttle.h"

#include <algorithm>

namespace bf {

std::string LoginThrottle::PairKey(const std::string& account, const std::string& address) {
  // '\n' cannot be in a trimmed email or an address, so no two pairs share a key.
  return account + '\n' + address;
}

bool LoginThrottle::Under(Failures& failures, const std::string& key, int limit, Timestamp now) {
  auto it = failures.find(key);
  if (it == failures.end()) return true;
  auto cutoff = now - limits_.window;
  auto& times = it->second;
  times.erase(std::remove_if(times.begin(), times.end(), [&](Timestamp t) { return t <= cutoff; }),
              times.end());
  bool under = times.size() < static_cast<size_t>(limit);
  if (times.empty()) failures.erase(it);
  return under;
}

bool LoginThrottle::Allowed(const std::string& account, const std::string& address) {
  std::lock_guard lock(mu_);
  Timestamp now = clock_.Now();
  bool pair = Under(by_pair_, PairKey(account, address), limits_.per_pair, now);
  bool acct = Under(by_account_, account, limits_.per_account, now);
  bool addr = Under(by_address_, address, limits_.per_address, now);
  return pair && acct && addr;
}

void LoginThrottle::RecordFailure(const std::string& account, const std::string& address) {
  std::lock_guard lock(mu_);
  Timestamp now = clock_.Now();
  // Bounded memory under a flood of distinct accounts: forget everything stale first.
  for (Failures* f : {&by_pair_, &by_account_, &by_address_}) {
    if (f->size() > 100000) f->clear();
  }
  by_pair_[PairKey(account, address)].push_back(now);
  by_account_[account].push_back(now);
  by_address_[address].push_back(now);
}

void LoginThrottle::RecordSuccess(const std::string& account, const std::string& address) {
  std::lock_guard lock(mu_);
  by_pair_.erase(PairKey(account, address));
}

}  // namespace bf
