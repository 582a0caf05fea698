// Building activity-log entries. Every service change appends one in its own unit of work.
#pragma once

#include <optional>
#include <string>

#include "domain/model.h"

namespace bf {

// An entry for `action` on `entity`/`entity_id` by `actor` (nullptr: the system, e.g. the
// command line) at `at`.
Activity NewActivity(const Actor* actor, Timestamp at, std::string action, std::string entity,
                     std::string entity_id);

// Appends a change to `entry` when old and new differ.
void AddChange(Activity& entry, std::string field, const std::optional<std::string>& old_value,
               const std::optional<std::string>& new_value);

}  // namespace bf
