// The query parameters shared by a list and its CSV export: one parser each, so the two never
// drift apart.
#pragma once

#include <string>

#include "core/result.h"
#include "http/router.h"
#include "service/credential_service.h"
#include "store/store.h"

namespace bf::http {

// 400 "invalid_parameter" naming the parameter.
Error BadParameterError(const std::string& name, const std::string& message);

// The filters and sort of GET /api/v1/credentials (user_id, type_id, expiry_status,
// approval_status, archived, expiring_before, q, sort). Callers check which parameters they
// allow (AllowQuery) and read limit and cursor themselves.
Result<CredentialQuery> ParseCredentialFilters(const Context& ctx);

// The filters of GET /api/v1/activity (actor_id, credential_id, user_id, action, since, until).
Result<ActivityFilter> ParseActivityFilters(const Context& ctx);

}  // namespace bf::http
