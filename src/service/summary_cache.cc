#include "service/summary_cache.h"

namespace bf {

std::shared_ptr<const CredentialSummary> SummaryCache::Find(const std::string& org_id,
                                                            const SummaryVersion& version) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(org_id);
  if (it == entries_.end() || !(it->second.version == version)) return nullptr;
  recent_.splice(recent_.begin(), recent_, it->second.recency);
  return it->second.summary;
}

void SummaryCache::Store(const std::string& org_id, const SummaryVersion& version,
                         std::shared_ptr<const CredentialSummary> summary) {
  if (max_organizations_ == 0) return;
  std::lock_guard lock(mu_);
  if (auto it = entries_.find(org_id); it != entries_.end()) {
    it->second.version = version;
    it->second.summary = std::move(summary);
    recent_.splice(recent_.begin(), recent_, it->second.recency);
    return;
  }
  if (entries_.size() >= max_organizations_) {
    entries_.erase(recent_.back());
    recent_.pop_back();
  }
  recent_.push_front(org_id);
  entries_.emplace(org_id, Entry{version, std::move(summary), recent_.begin()});
}

size_t SummaryCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace bf
