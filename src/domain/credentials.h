// Credentials and their versions, and the rules of PRODUCT.md "Dates and statuses",
// "Approval" and "Archive, restore, delete": one function a rule. Pure: no I/O, no clock —
// "today" is always passed in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/dates.h"
#include "core/result.h"

namespace bf {

enum class ExpiryStatus { kValid, kExpiringSoon, kExpired, kNoExpiry };
enum class ApprovalStatus { kNotRequired, kPending, kApproved, kRejected };

std::string_view ExpiryStatusName(ExpiryStatus s);
std::optional<ExpiryStatus> ParseExpiryStatus(std::string_view name);
std::string_view ApprovalStatusName(ApprovalStatus s);
std::optional<ApprovalStatus> ParseApprovalStatus(std::string_view name);

// A user named in a credential (holder, creator, approver): id and display name.
struct UserRef {
  std::string id;
  std::string name;
  std::string email;
};

struct MediaRef {
  std::string id;
  std::string filename;
  std::string content_type;
  int64_t size = 0;
};

struct CredentialVersion {
  std::string credential_id;
  int version = 1;
  Date issue_date;
  std::optional<Date> expiry_date;
  std::string credential_number;  // "" when none
  std::vector<MediaRef> media;
  ApprovalStatus approval_status = ApprovalStatus::kNotRequired;
  std::optional<std::string> rejection_reason;
  UserRef approved_by;  // id empty when not decided
  std::optional<Timestamp> approved_at;
  Timestamp created_at;
  UserRef created_by;
  Timestamp updated_at;
  UserRef updated_by;
};

// A credential with its latest version. `revision` grows with every change; it is the ETag.
struct Credential {
  std::string id;
  std::string org_id;
  UserRef user;  // the holder
  std::string type_id;
  std::string type_name;
  bool archived = false;
  int64_t revision = 1;
  CredentialVersion latest;
  Timestamp created_at;
  UserRef created_by;
  Timestamp updated_at;
  UserRef updated_by;
};

// ---- Dates and statuses -------------------------------------------------------------------

// no_expiry without a date; expired when today > expiry; expiring_soon when
// expiry − today ≤ expiring_soon_days; else valid. A credential is valid through the whole of
// its expiry date.
ExpiryStatus ComputeExpiryStatus(std::optional<Date> expiry, Date today, int expiring_soon_days);

// Not archived, latest version approved or not required, and not expired.
bool IsCompliant(bool archived, ApprovalStatus approval, ExpiryStatus expiry);

// The dates of a version for a type that does (`type_expires`) or does not expire: 422
// expiry_required, expiry_not_allowed or expiry_before_issue (expiry must be after issue).
Status ValidateVersionDates(bool type_expires, Date issue, std::optional<Date> expiry);

// ---- Approval -----------------------------------------------------------------------------

// The status of a new version (creation or renewal).
ApprovalStatus ApprovalForNewVersion(bool approvals_required);
// The status after editing the latest version: with approvals on, pending again (resubmitted);
// with approvals off, an approved or not-required version keeps its status, a pending or
// rejected one no longer needs a decision (not_required).
ApprovalStatus ApprovalAfterEdit(bool approvals_required, ApprovalStatus current);
// Approve or reject needs the latest version pending: 409 not_pending otherwise (approving an
// approved version twice is refused, and a decision is never undone).
Status CheckDecidable(ApprovalStatus current);

// ---- Archive, restore, delete -------------------------------------------------------------

// Archived credentials refuse edits, versions and decisions: 409 archived.
Status CheckChangeable(bool archived);
Status CheckArchivable(bool archived);  // 409 already_archived
Status CheckRestorable(bool archived);  // 409 not_archived
// Delete works on any credential, archived or not (PRODUCT.md): there is nothing to check.

}  // namespace bf
