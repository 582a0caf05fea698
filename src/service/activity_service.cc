#include "service/activity_service.h"

namespace bf {

Result<std::vector<ActivityRow>> ActivityService::List(const Actor& actor,
                                                       const ActivityFilter& filter) {
  if (!actor.Can(Permission::kCredentialsManage))
    return Forbidden("the activity log needs credentials.manage");
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
  return uow->ListActivity(actor.org_id, filter);
}

}  // namespace bf
