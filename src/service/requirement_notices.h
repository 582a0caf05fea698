// The notices of REQUIREMENTS.md "Notices": when someone joins a group, or a requirement is added
// to a group they are in (or its types change), and a requirement is not satisfied for them,
// they get one notice naming the group and what is missing, in-app and by email as their
// settings say, at most once per user and requirement until its types change (the ledger:
// GroupRepository::ClaimRequirementNotice).
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "domain/compliance.h"
#include "domain/model.h"
#include "service/context.h"
#include "service/group_service.h"
#include "store/store.h"

namespace bf {

inline constexpr char kRequirementNoticeKind[] = "requirement";

// In the caller's unit of work: evaluates the members `user_ids` (empty: every member) of
// `group` against its requirements `requirement_ids` (empty: all) on `day`, claims each
// unsatisfied pair in the ledger, and sends each active user one notice listing what they newly
// miss. Deactivated users get none.
Status SendRequirementNotices(UnitOfWork& uow, const ServiceContext& ctx, const Organization& org,
                              const Group& group, const std::vector<std::string>& user_ids,
                              const std::vector<std::string>& requirement_ids,
                              const ComplianceDay& day);

}  // namespace bf
