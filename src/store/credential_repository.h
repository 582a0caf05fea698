// Credentials and their versions (store/sql/credentials.cc, credential_pages.cc). Part of
// every UnitOfWork (store.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/dates.h"
#include "core/result.h"
#include "domain/credentials.h"
#include "domain/model.h"

namespace bf {

// A closed range of dates; either end may be open.
struct DateRange {
  std::optional<Date> from;  // inclusive
  std::optional<Date> to;    // inclusive
};

enum class CredentialSort { kExpiryDate, kExpiryDateDesc, kUpdatedAt, kUpdatedAtDesc, kUserName };

// Which credentials a list returns. Expiry statuses arrive already turned into date ranges by
// the service (they depend on "today" in the organisation's zone), so the store never needs the
// clock.
struct CredentialFilter {
  std::string user_id;  // empty: any holder
  std::string type_id;  // empty: any type
  // Expiry: when `by_expiry` is set, a credential matches if its expiry date lies in one of
  // `expiry_ranges`, or it has no expiry date and `no_expiry` is set.
  bool by_expiry = false;
  std::vector<DateRange> expiry_ranges;
  bool no_expiry = false;
  std::vector<ApprovalStatus> approval;  // empty: any
  std::optional<bool> archived;          // nullopt: both
  std::string q;  // case-insensitive substring of holder name or email, type name or number
  CredentialSort sort = CredentialSort::kExpiryDate;
  int limit = 50;
  // Keyset: the sort key and id of the last row of the previous page, as the store encoded
  // them in ListCredentials' `next_after`.
  std::string after;
};

// An organisation with its credential revision (CredentialRepository::FindOrganizationAtRevision).
struct OrganizationAtRevision {
  Organization org;
  int64_t credential_revision = 0;
};

struct CredentialPage {
  std::vector<Credential> items;
  std::string next_after;  // "" when this is the last page
};

struct StatusCounts {
  int64_t total = 0, valid = 0, expiring_soon = 0, expired = 0, no_expiry = 0;
  int64_t pending_approval = 0, rejected = 0;
};

struct TypeCounts {
  std::string type_id;
  std::string type_name;
  StatusCounts counts;
};

struct CredentialSummary {
  StatusCounts all;
  std::vector<TypeCounts> by_type;  // types with at least one unarchived credential, by name
};

class CredentialRepository {
 public:
  virtual ~CredentialRepository() = default;

  // Credentials. A credential row carries its latest version; both are written together.
  // Inserts the credential and its version 1 (`credential.latest`).
  virtual Status InsertCredential(const Credential& credential) = 0;
  // The credential with its latest version, holder, type name and media filled.
  virtual Result<std::optional<Credential>> FindCredential(const std::string& org_id,
                                                           const std::string& id) = 0;
  // Writes the credential row (archived, revision, the latest version's fields, updated_*) only
  // if its stored revision is still `read_revision`, the one the caller read: the condition is
  // in the statement, so of two units that read the same revision exactly one writes, on any
  // engine and any number of nodes. kPreconditionFailed "precondition_failed" when the revision
  // moved on; kNotFound without the credential. Call it before writing the credential's
  // versions, so that the loser of a race fails here (412) rather than on a version's key.
  virtual Status UpdateCredential(const Credential& credential, int64_t read_revision) = 0;
  // Inserts a version (with its media links).
  virtual Status InsertVersion(const CredentialVersion& version) = 0;
  // Rewrites a version's fields (and its media links).
  virtual Status UpdateVersion(const CredentialVersion& version) = 0;
  // Every version, newest first, media filled.
  virtual Result<std::vector<CredentialVersion>> ListVersions(const std::string& credential_id) = 0;
  // A page of the credentials `filter` selects. A list item carries what a list shows: the
  // credential's fields with its holder's, type's, creator's and changer's names, and of its
  // latest version the number, dates, credential number, approval status, rejection reason and
  // files; the version's approver, approval time and its own creation and change are left
  // empty (read one credential with FindCredential, or ListVersions, for them).
  virtual Result<CredentialPage> ListCredentials(const std::string& org_id,
                                                 const CredentialFilter& filter) = 0;
  // Removes the credential, every version and every media file attached to it irreversibly.
  // With `read_revision`, only if the stored revision is still the one the caller read (the
  // condition is in the statement, as in UpdateCredential): kPreconditionFailed
  // "precondition_failed" when it moved on. kNotFound without the credential.
  virtual Status DeleteCredential(const std::string& org_id, const std::string& id,
                                  std::optional<int64_t> read_revision = std::nullopt) = 0;
  // Counts over unarchived credentials: statuses as of `today` with `expiring_soon_days`.
  virtual Result<CredentialSummary> SummarizeCredentials(const std::string& org_id, Date today,
                                                         int expiring_soon_days) = 0;
  // The organisation, and its credential revision (migrations/*/0012) in the same statement:
  // all a kept read asks before it can answer (on PostgreSQL, one round trip). The revision
  // grows in the transaction of every change SummarizeCredentials or ListCredentials could see
  // (a credential's row, a type's name, a person's name or email, a version's files or
  // rejection reason); 0 before the first such change. Read in the same transaction as the
  // summary or page it vouches for. nullopt when there is no such organisation.
  virtual Result<std::optional<OrganizationAtRevision>> FindOrganizationAtRevision(
      const std::string& org_id) = 0;
};

}  // namespace bf
