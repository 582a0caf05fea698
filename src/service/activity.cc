#include "service/activity.h"

#include "core/ids.h"

namespace bf {

Activity NewActivity(const Actor* actor, Timestamp at, std::string action, std::string entity,
                     std::string entity_id) {
  Activity a;
  a.id = NewId();
  if (actor != nullptr) {
    a.org_id = actor->org_id;
    a.actor_id = actor->user_id;
    a.actor_name = actor->name;
  }
  a.at = at;
  a.action = std::move(action);
  a.entity = std::move(entity);
  a.entity_id = std::move(entity_id);
  return a;
}

void AddChange(Activity& entry, std::string field, const std::optional<std::string>& old_value,
               const std::optional<std::string>& new_value) {
  if (old_value == new_value) return;
  entry.changes.push_back({std::move(field), old_value, new_value});
}

}  // namespace bf
