// Exports as CSV, streamed while they are sent: credentials (CSV.md's export columns, the
// filters of GET /api/v1/credentials) and the activity log (GET /api/v1/activity.csv).
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "service/activity_service.h"
#include "service/context.h"
#include "service/credential_service.h"
#include "service/import_service.h"  // ByteSink

namespace bf {

class ExportService {
 public:
  // An export is produced while it is sent: the function writes the whole file to its sink.
  using Export = std::function<Status(const ByteSink&)>;

  explicit ExportService(ServiceContext ctx);

  // credentials.manage. The credentials `query` selects (as CredentialService::List; its limit
  // and cursor are not used), as CSV.md export rows, in pages of a few hundred, each read in
  // its own read transaction: memory stays bounded and no connection is held while the client
  // reads. The first page is read before this returns, so bad filters fail here.
  Result<Export> ExportCredentials(const Actor& actor, CredentialQuery query);
  // credentials.manage. The activity entries `filter` selects (its limit and before_seq are not
  // used), newest first, one line each.
  Result<Export> ExportActivity(const Actor& actor, ActivityFilter filter);

 private:
  CredentialService credentials_;
  ActivityService activity_;
};

// The columns of GET /api/v1/activity.csv.
const std::vector<std::string_view>& ActivityCsvColumns();

}  // namespace bf
