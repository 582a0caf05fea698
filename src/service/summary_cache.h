// The credential summary of each organisation, kept by a node between requests
// (GET /api/v1/credentials/summary reads the counts of every type: about 3 million instructions
// for 30 types, ten times a list page, and a dashboard asks the same question again and again).
//
// The summary is still computed on read: an entry is used only by a read whose transaction sees
// the same organisation summary revision (migrations/*/0010: it grows in the transaction of
// every change the summary could see) on the same day with the same expiring_soon_days. Whatever
// node wrote last, a read never sees a summary computed from other rows than its own snapshot
// holds. Thread-safe; at most `max_organizations` entries, the least recently used go first.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/dates.h"
#include "store/credential_repository.h"

namespace bf {

// What a summary depends on besides the organisation's id.
struct SummaryVersion {
  int64_t revision = 0;  // the organisation's summary revision
  Date today;            // in the organisation's time zone
  int expiring_soon_days = 0;

  bool operator==(const SummaryVersion&) const = default;
};

class SummaryCache {
 public:
  static constexpr size_t kDefaultMaxOrganizations = 10'000;  // ~5 KB each for 30 types

  explicit SummaryCache(size_t max_organizations = kDefaultMaxOrganizations)
      : max_organizations_(max_organizations) {}
  SummaryCache(const SummaryCache&) = delete;
  SummaryCache& operator=(const SummaryCache&) = delete;

  // The organisation's summary computed at `version`, or null.
  std::shared_ptr<const CredentialSummary> Find(const std::string& org_id,
                                                const SummaryVersion& version);
  // Keeps the summary computed at `version`, replacing the organisation's older entry.
  void Store(const std::string& org_id, const SummaryVersion& version,
             std::shared_ptr<const CredentialSummary> summary);

  size_t size() const;

 private:
  struct Entry {
    SummaryVersion version;
    std::shared_ptr<const CredentialSummary> summary;
    std::list<std::string>::iterator recency;  // in recent_, most recent first
  };

  const size_t max_organizations_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> recent_;
};

}  // namespace bf
