// Groups, members, requirements, exemptions and compliance (spec/REQUIREMENTS.md "API").
#pragma once

#include "core/result.h"
#include "http/handlers.h"
#include "http/message.h"
#include "http/router.h"

namespace bf::http {

Result<Response> ListGroups(Api& api, Context& ctx);
Result<Response> CreateGroup(Api& api, Context& ctx);
Result<Response> GetGroup(Api& api, Context& ctx);
Result<Response> UpdateGroup(Api& api, Context& ctx);
Result<Response> DeleteGroup(Api& api, Context& ctx);

Result<Response> ListGroupMembers(Api& api, Context& ctx);
Result<Response> AddGroupMembers(Api& api, Context& ctx);
Result<Response> RemoveGroupMember(Api& api, Context& ctx);

Result<Response> ListRequirements(Api& api, Context& ctx);
Result<Response> CreateRequirement(Api& api, Context& ctx);
Result<Response> UpdateRequirement(Api& api, Context& ctx);
Result<Response> DeleteRequirement(Api& api, Context& ctx);

Result<Response> ListExemptions(Api& api, Context& ctx);
Result<Response> GrantExemption(Api& api, Context& ctx);
Result<Response> RevokeExemption(Api& api, Context& ctx);

Result<Response> GetUserCompliance(Api& api, Context& ctx);
Result<Response> GetMyCompliance(Api& api, Context& ctx);
Result<Response> GetGroupCompliance(Api& api, Context& ctx);
Result<Response> GetGroupComplianceCsv(Api& api, Context& ctx);
Result<Response> GetComplianceSummary(Api& api, Context& ctx);
Result<Response> CheckCompliance(Api& api, Context& ctx);

}  // namespace bf::http
