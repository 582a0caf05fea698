// Answers a node keeps between requests: the credential summary of each organisation and the
// list pages it rendered (GET /api/v1/credentials). The summary reads every type's counts (about
// 3 million instructions for 30 types), a page of fifty credentials about 2 million, and a
// dashboard asks the same questions again and again.
//
// Every answer is still computed on read: an entry is used only by a read whose transaction sees
// the same organisation credential revision (migrations/*/0012: it grows in the transaction of
// every change a credential read could show) on the same day with the same expiring_soon_days.
// Whatever node wrote last, a read never sees an answer computed from other rows than its own
// snapshot holds. An entry of an older version is not removed when the revision moves on; it is
// replaced by the next answer under its key, or it ages out.
//
// The answers are kept as the HTTP layer rendered them, and sent from here without a copy
// (http/message.h Response::kept_body).
//
// Thread-safe. Bounded by cost (the caller's: the bytes of an entry); the least recently used
// entries go first.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/dates.h"

namespace bf {

// What a kept answer depends on besides its key (the organisation and the question).
struct ReadVersion {
  int64_t revision = 0;  // the organisation's credential revision
  Date today;            // in the organisation's time zone
  int expiring_soon_days = 0;

  bool operator==(const ReadVersion&) const = default;
};

template <class Value>
class KeptReads {
 public:
  explicit KeptReads(size_t max_cost) : max_cost_(max_cost) {}
  KeptReads(const KeptReads&) = delete;
  KeptReads& operator=(const KeptReads&) = delete;

  // The answer kept under `key` at `version`, or null.
  std::shared_ptr<const Value> Find(const std::string& key, const ReadVersion& version) {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() || !(it->second.version == version)) return nullptr;
    recent_.splice(recent_.begin(), recent_, it->second.recency);
    return it->second.value;
  }

  // Keeps `value`, computed at `version`, under `key` (replacing what was kept there), unless its
  // cost alone is more than the bound.
  void Store(const std::string& key, const ReadVersion& version, std::shared_ptr<const Value> value,
             size_t cost) {
    std::lock_guard lock(mu_);
    if (auto it = entries_.find(key); it != entries_.end()) Erase(it);
    if (cost > max_cost_) return;
    while (cost_ + cost > max_cost_) Erase(entries_.find(recent_.back()));
    recent_.push_front(key);
    entries_.emplace(key, Entry{version, std::move(value), cost, recent_.begin()});
    cost_ += cost;
  }

  size_t size() const {
    std::lock_guard lock(mu_);
    return entries_.size();
  }
  size_t cost() const {
    std::lock_guard lock(mu_);
    return cost_;
  }

 private:
  struct Entry {
    ReadVersion version;
    std::shared_ptr<const Value> value;
    size_t cost;
    std::list<std::string>::iterator recency;  // in recent_, most recent first
  };
  using Entries = std::unordered_map<std::string, Entry>;

  void Erase(typename Entries::iterator it) {
    cost_ -= it->second.cost;
    recent_.erase(it->second.recency);
    entries_.erase(it);
  }

  const size_t max_cost_;
  mutable std::mutex mu_;
  Entries entries_;
  std::list<std::string> recent_;
  size_t cost_ = 0;
};

}  // namespace bf
