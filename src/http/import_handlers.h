// Bulk upload and export by CSV (API.md "Bulk upload and export", "Activity log"): the
// template, the upload (streaming route), the credentials export and the activity export.
#pragma once

#include <cstddef>

#include <boost/json.hpp>

#include "core/result.h"
#include "http/handlers.h"
#include "http/message.h"
#include "http/router.h"

namespace bf::http {

// An upload may be this large; its rows are limited separately (kMaxImportRows).
inline constexpr size_t kImportBodyLimit = size_t{1} << 30;  // 1 GiB

// The report of an import as the API answers it: {"rows","created","new_versions","unchanged",
// "approved","dry_run","committed","errors":[{"row","column","code","message"}],
// "errors_truncated"}. The command line prints the same.
boost::json::object ImportReportJson(const ImportReport& report);

// GET /api/v1/credential-imports/template.csv
Result<Response> ImportTemplate(Api& api, Context& ctx);
// POST /api/v1/credential-imports?dry_run=&approve=&date_format=&format=json|csv
Result<Response> CreateImport(Api& api, Context& ctx);
// GET /api/v1/credentials/export.csv with the filters and sort of GET /api/v1/credentials
Result<Response> ExportCredentialsCsv(Api& api, Context& ctx);
// GET /api/v1/activity.csv with the filters of GET /api/v1/activity
Result<Response> ExportActivityCsv(Api& api, Context& ctx);

}  // namespace bf::http
