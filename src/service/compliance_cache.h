// The decisions of a group's members, kept by a node between requests (spec/REQUIREMENTS.md
// "Performance": the summary of every group under 50 ms, a matrix page under 20 ms, on groups
// of 5,000 members; evaluating a group reads every member's credentials of the required types).
//
// Compliance is still computed on read: an entry is used only by a read whose transaction sees
// the same group compliance revision (migrations/*/0009: it grows in the transaction of every
// change the group's compliance reads) on the same compliance day (the local date and
// expiring_soon_days) as the read that computed it. Whatever node wrote last, a read never sees
// an entry computed from other rows than its own snapshot holds.
//
// An entry is slim: each member with their decision, no cells, so that the cache stays small
// (a matrix page evaluates its own members' cells afresh). At most `max_members` member rows
// are kept across all entries; the least recently used entries go first. Thread-safe.
#pragma once

#include <cstddef>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/dates.h"
#include "domain/compliance.h"
#include "store/group_repository.h"

namespace bf {

struct MemberDecision {
  GroupMember member;
  Decision decision = Decision::kAllow;
};

// What the computation depended on besides the group's id.
struct ComplianceVersion {
  int64_t revision = 0;  // the group's compliance revision
  ComplianceDay day;

  bool operator==(const ComplianceVersion& o) const {
    return revision == o.revision && day.today == o.day.today &&
           day.expiring_soon_days == o.day.expiring_soon_days;
  }
};

using GroupDecisions = std::vector<MemberDecision>;  // every member, by (lower(name), id)

class ComplianceCache {
 public:
  static constexpr size_t kDefaultMaxMembers = 250'000;

  explicit ComplianceCache(size_t max_members = kDefaultMaxMembers) : max_members_(max_members) {}
  ComplianceCache(const ComplianceCache&) = delete;
  ComplianceCache& operator=(const ComplianceCache&) = delete;

  // The group's decisions computed at `version`, or null.
  std::shared_ptr<const GroupDecisions> Find(const std::string& org_id, const std::string& group_id,
                                             const ComplianceVersion& version);
  // Keeps the decisions computed at `version`, replacing the group's older entry. An entry
  // larger than the whole cache is not kept.
  void Store(const std::string& org_id, const std::string& group_id,
             const ComplianceVersion& version, std::shared_ptr<const GroupDecisions> decisions);

  size_t members() const;  // member rows held now

 private:
  using Key = std::pair<std::string, std::string>;  // (org id, group id)
  struct Entry {
    ComplianceVersion version;
    std::shared_ptr<const GroupDecisions> decisions;
    std::list<Key>::iterator recency;  // in recent_, most recent first
  };
  void EraseLocked(std::map<Key, Entry>::iterator it);

  const size_t max_members_;
  mutable std::mutex mu_;
  std::map<Key, Entry> entries_;
  std::list<Key> recent_;
  size_t members_ = 0;
};

}  // namespace bf
