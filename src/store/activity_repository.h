// The activity log: append-only (store/sql/activity.cc). Part of every UnitOfWork (store.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/model.h"

namespace bf {

struct ActivityFilter {
  std::string actor_id, credential_id, user_id, action;  // empty: any
  int version = 0;  // with credential_id: only entries about this version; 0: any
  std::optional<Timestamp> since, until;  // since inclusive, until exclusive
  int limit = 50;
  std::optional<int64_t> before_seq;  // keyset: entries older than this
};

// An activity entry with its position in the log (for cursors).
struct ActivityRow {
  int64_t seq = 0;
  Activity activity;
};

class ActivityRepository {
 public:
  virtual ~ActivityRepository() = default;

  virtual Status AppendActivity(const Activity& entry) = 0;
  // Newest first.
  virtual Result<std::vector<ActivityRow>> ListActivity(const std::string& org_id,
                                                        const ActivityFilter& filter) = 0;
};

}  // namespace bf
