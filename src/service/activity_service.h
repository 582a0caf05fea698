// Reading the activity log (credentials.manage).
#pragma once

#include <vector>

#include "core/result.h"
#include "domain/model.h"
#include "service/context.h"

namespace bf {

class ActivityService {
 public:
  explicit ActivityService(ServiceContext ctx) : ctx_(ctx) {}

  // Newest first, filtered; kPermissionDenied without credentials.manage.
  Result<std::vector<ActivityRow>> List(const Actor& actor, const ActivityFilter& filter);

 private:
  ServiceContext ctx_;
};

}  // namespace bf
