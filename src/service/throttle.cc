#include "service/throttle.h"

#include <algorithm>

namespace bf {

size_t LoginThrottle::Recent(std::vector<Timestamp>& failures, Timestamp now) {
  auto cutoff = now - limits_.window;
  failures.erase(std::remove_if(failures.begin(), failures.end(),
                                [&](Timestamp t) { return t <= cutoff; }),
                 failures.end());
  return failures.size();
}

bool LoginThrottle::Allowed(const std::string& account, const std::string& address) {
  std::lock_guard lock(mu_);
  Timestamp now = clock_.Now();
  bool ok = true;
  if (auto it = by_account_.find(account); it != by_account_.end()) {
    ok = Recent(it->second, now) < static_cast<size_t>(limits_.per_account);
    if (it->second.empty()) by_account_.erase(it);
  }
  if (auto it = by_address_.find(address); it != by_address_.end()) {
    ok = ok && Recent(it->second, now) < static_cast<size_t>(limits_.per_address);
    if (it->second.empty()) by_address_.erase(it);
  }
  return ok;
}

void LoginThrottle::RecordFailure(const std::string& account, const std::string& address) {
  std::lock_guard lock(mu_);
  Timestamp now = clock_.Now();
  // Bounded memory under a flood of distinct accounts: forget everything stale first.
  if (by_account_.size() > 100000) by_account_.clear();
  if (by_address_.size() > 100000) by_address_.clear();
  by_account_[account].push_back(now);
  by_address_[address].push_back(now);
}

void LoginThrottle::RecordSuccess(const std::string& account) {
  std::lock_guard lock(mu_);
  by_account_.erase(account);
}

}  // namespace bf
