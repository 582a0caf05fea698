// Helpers shared by the per-aggregate files of SqlUnitOfWork.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/dates.h"
#include "core/result.h"
#include "domain/model.h"
#include "store/sql/statement.h"

namespace bf::sql {

// Optional values as bound: a date as YYYY-MM-DD, a timestamp as milliseconds; NULL when absent.
inline std::optional<std::string> OptDate(const std::optional<Date>& d) {
  if (!d) return std::nullopt;
  return FormatIsoDate(*d);
}
inline std::optional<int64_t> OptMillis(const std::optional<Timestamp>& t) {
  if (!t) return std::nullopt;
  return ToMillis(*t);
}

// An organisation's columns, each prefixed by P ("" or a table alias with its dot), and how many
// they are; OrganizationFromRow reads them from `first` on (organizations.cc).
#define BF_ORGANIZATION_COLUMNS(P)                                            \
  P "id, " P "name, " P "timezone, " P "date_format, " P "media_required, " P \
    "approvals_required, " P "expiring_soon_days, " P "created_at, " P "updated_at"
inline constexpr int kOrganizationColumns = 9;
Result<Organization> OrganizationFromRow(const Stmt& row, int first);
// The credential revision of the organisation whose id is the SQL expression ORG_ID: 0 before
// its first change, when credential_revisions has no row.
#define BF_CREDENTIAL_REVISION_OF(ORG_ID) \
  "COALESCE((SELECT r.revision FROM credential_revisions r WHERE r.org_id = " ORG_ID "), 0)"

// A LIKE pattern matching `needle` anywhere, with `%`, `_` and `\` escaped. Statements that use
// it say `LIKE ? ESCAPE '\'`.
inline std::string ContainsPattern(std::string_view needle) {
  std::string out = "%";
  for (char c : needle) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('%');
  return out;
}

// The error of `conn`'s last failed statement, given `reason` and `message` when it broke a
// constraint of kind `constraint` (Connection::LastConstraint: by the engine's code, never by
// message text). A statement that uses it has one such constraint a caller can break (ids are
// generated: a primary key never collides). Call it before running anything else on `conn`.
inline Error ConstraintError(const Connection* conn, Error failure, Constraint constraint,
                             std::string reason, std::string message) {
  if (failure.code != ErrorCode::kConflict) return failure;
  if (conn->LastConstraint() != constraint) return failure;
  failure.reason = std::move(reason);
  failure.message = std::move(message);
  return failure;
}

// The error of a conditional write that found its row at another revision than the caller
// read (UnitOfWork::UpdateCredential, DeleteCredential).
inline tl::unexpected<Error> RevisionMoved() {
  return Fail(ErrorCode::kPreconditionFailed, "precondition_failed",
              "the credential changed since you read it; reload and try again");
}

// Status for an UPDATE or DELETE: kNotFound naming `what` when it touched no row.
inline Status TouchedOne(const Stmt& stmt, std::string what) {
  if (stmt.Changes() == 0) return NotFound(std::move(what));
  return Ok();
}

}  // namespace bf::sql
