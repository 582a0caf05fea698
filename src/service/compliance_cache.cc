#include "service/compliance_cache.h"

namespace bf {

std::shared_ptr<const GroupDecisions> ComplianceCache::Find(const std::string& org_id,
                                                            const std::string& group_id,
                                                            const ComplianceVersion& version) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(Key(org_id, group_id));
  if (it == entries_.end()) return nullptr;
  if (!(it->second.version == version)) return nullptr;
  recent_.splice(recent_.begin(), recent_, it->second.recency);
  return it->second.decisions;
}

void ComplianceCache::Store(const std::string& org_id, const std::string& group_id,
                            const ComplianceVersion& version,
                            std::shared_ptr<const GroupDecisions> decisions) {
  std::lock_guard lock(mu_);
  Key key(org_id, group_id);
  if (auto it = entries_.find(key); it != entries_.end()) EraseLocked(it);
  if (decisions->size() > max_members_) return;
  while (members_ + decisions->size() > max_members_ && !recent_.empty()) {
    EraseLocked(entries_.find(recent_.back()));
  }
  recent_.push_front(key);
  members_ += decisions->size();
  entries_.emplace(std::move(key), Entry{version, std::move(decisions), recent_.begin()});
}

size_t ComplianceCache::members() const {
  std::lock_guard lock(mu_);
  return members_;
}

void ComplianceCache::EraseLocked(std::map<Key, Entry>::iterator it) {
  members_ -= it->second.decisions->size();
  recent_.erase(it->second.recency);
  entries_.erase(it);
}

}  // namespace bf
