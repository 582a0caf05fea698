#include "domain/credentials.h"

namespace bf {

std::string_view ExpiryStatusName(ExpiryStatus s) {
  switch (s) {
    case ExpiryStatus::kValid:
      return "valid";
    case ExpiryStatus::kExpiringSoon:
      return "expiring_soon";
    case ExpiryStatus::kExpired:
      return "expired";
    case ExpiryStatus::kNoExpiry:
      return "no_expiry";
  }
  return "valid";
}

std::optional<ExpiryStatus> ParseExpiryStatus(std::string_view name) {
  for (auto s : {ExpiryStatus::kValid, ExpiryStatus::kExpiringSoon, ExpiryStatus::kExpired,
                 ExpiryStatus::kNoExpiry}) {
    if (ExpiryStatusName(s) == name) return s;
  }
  return std::nullopt;
}

std::string_view ApprovalStatusName(ApprovalStatus s) {
  switch (s) {
    case ApprovalStatus::kNotRequired:
      return "not_required";
    case ApprovalStatus::kPending:
      return "pending";
    case ApprovalStatus::kApproved:
      return "approved";
    case ApprovalStatus::kRejected:
      return "rejected";
  }
  return "not_required";
}

std::optional<ApprovalStatus> ParseApprovalStatus(std::string_view name) {
  for (auto s : {ApprovalStatus::kNotRequired, ApprovalStatus::kPending, ApprovalStatus::kApproved,
                 ApprovalStatus::kRejected}) {
    if (ApprovalStatusName(s) == name) return s;
  }
  return std::nullopt;
}

ExpiryStatus ComputeExpiryStatus(std::optional<Date> expiry, Date today, int expiring_soon_days) {
  if (!expiry) return ExpiryStatus::kNoExpiry;
  if (today > *expiry) return ExpiryStatus::kExpired;
  if ((*expiry - today).count() <= expiring_soon_days) return ExpiryStatus::kExpiringSoon;
  return ExpiryStatus::kValid;
}

bool IsCompliant(bool archived, ApprovalStatus approval, ExpiryStatus expiry) {
  bool approved = approval == ApprovalStatus::kApproved || approval == ApprovalStatus::kNotRequired;
  return !archived && approved && expiry != ExpiryStatus::kExpired;
}

Status ValidateVersionDates(bool type_expires, Date issue, std::optional<Date> expiry) {
  if (!type_expires && expiry) {
    return FailField("expiry_date", "expiry_not_allowed",
                     "this credential type does not expire: leave the expiry date empty");
  }
  if (type_expires && !expiry) {
    return FailField("expiry_date", "expiry_required", "this credential type needs an expiry date");
  }
  if (expiry && *expiry <= issue) {
    return FailField("expiry_date", "expiry_before_issue",
                     "the expiry date must be after the issue date");
  }
  return Ok();
}

ApprovalStatus ApprovalForNewVersion(bool approvals_required) {
  return approvals_required ? ApprovalStatus::kPending : ApprovalStatus::kNotRequired;
}

ApprovalStatus ApprovalAfterEdit(bool approvals_required, ApprovalStatus current) {
  if (approvals_required) return ApprovalStatus::kPending;
  if (current == ApprovalStatus::kApproved || current == ApprovalStatus::kNotRequired)
    return current;
  return ApprovalStatus::kNotRequired;
}

Status CheckDecidable(ApprovalStatus current) {
  if (current == ApprovalStatus::kPending) return Ok();
  return Fail(ErrorCode::kConflict, "not_pending",
              "the latest version is " + std::string(ApprovalStatusName(current)) +
                  ", not pending: a decision is final");
}

Status CheckChangeable(bool archived) {
  if (!archived) return Ok();
  return Fail(ErrorCode::kConflict, "archived", "the credential is archived: restore it first");
}

Status CheckArchivable(bool archived) {
  if (!archived) return Ok();
  return Fail(ErrorCode::kConflict, "already_archived", "the credential is already archived");
}

Status CheckRestorable(bool archived) {
  if (archived) return Ok();
  return Fail(ErrorCode::kConflict, "not_archived", "the credential is not archived");
}

}  // namespace bf
