// Credentials: create, renew, correct, approve, reject, archive, restore, delete, list, count.
// Each call is one unit of work; each change appends to the activity log in the same
// transaction.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "domain/credentials.h"
#include "domain/model.h"
#include "service/context.h"
#include "service/kept_reads.h"
#include "store/credential_repository.h"

namespace bf {

// The fields of a create, add-version or edit body, as sent. Dates are raw text so the service
// can name the exact problem (invalid_date vs required).
struct CredentialInput {
  std::string user_id;  // create only; empty: the actor
  std::string type_id;  // create only
  std::optional<std::string> issue_date;
  std::optional<std::optional<std::string>> expiry_date;        // inner nullopt: null
  std::optional<std::optional<std::string>> credential_number;  // inner nullopt: null
  std::optional<std::vector<std::string>> media_ids;
};

// A credential as answered: with its expiry status as of today in the organisation's zone. Its
// revision (credential.revision) is what http/ answers as the ETag.
struct CredentialView {
  Credential credential;
  ExpiryStatus expiry_status = ExpiryStatus::kValid;
};

// What a change of a credential is conditional on: the revisions its client read. HTTP's
// If-Match carries it; http/etag.h reads its syntax. Default: unconditional.
struct RevisionCondition {
  bool given = false;              // the client said what it read: a change of another is 412
  bool any = false;                // "*": whatever the revision now is
  std::vector<int64_t> revisions;  // else: one of these

  bool Allows(int64_t revision) const;
};

struct CredentialQuery {
  std::string user_id, type_id, q;
  std::vector<ExpiryStatus> expiry_statuses;
  std::vector<ApprovalStatus> approval_statuses;
  std::optional<bool> archived = false;  // nullopt: all
  std::optional<Date> expiring_before;
  CredentialSort sort = CredentialSort::kExpiryDate;
  int limit = 50;
  std::string after;
};

struct CredentialListView {
  std::vector<CredentialView> items;
  std::string next_after;
};

// One entry of a version's activity.
struct VersionChange {
  Timestamp at;
  std::string actor_id, actor_name;
  Change change;
};

enum class BulkAction { kArchive, kRestore, kDelete, kApprove };

struct BulkResult {
  std::string id;
  Status outcome;
};

class CredentialService {
 public:
  explicit CredentialService(ServiceContext ctx)
      : ctx_(ctx),
        summaries_(std::make_shared<KeptReads<std::string>>(kKeptSummaryBytes)),
        pages_(std::make_shared<KeptReads<std::string>>(ctx.options.kept_page_bytes)) {}

  // Self (user_id empty or own), or users.manage for another holder. 422 unknown_user,
  // inactive_user, unknown_type, invalid_date, expiry_*, too_long, unknown_media, too_many,
  // duplicate_media (media_ids: see ResolveMedia in the .cc),
  // media_required.
  Result<CredentialView> Create(const Actor& actor, const CredentialInput& input);
  // Holder, users.manage or credentials.manage; 404 for another organisation.
  Result<CredentialView> Get(const Actor& actor, const std::string& id);
  Result<std::vector<CredentialVersion>> Versions(const Actor& actor, const std::string& id);
  Result<std::vector<VersionChange>> VersionActivity(const Actor& actor, const std::string& id,
                                                     int version);
  Result<CredentialListView> List(const Actor& actor, const CredentialQuery& query);
  // The page List gives, as `render` writes it (the HTTP layer's JSON: one renderer a service),
  // kept between requests while nothing it shows changes (kept_reads.h).
  using PageRenderer = std::function<std::string(const CredentialListView&)>;
  Result<std::shared_ptr<const std::string>> RenderedList(const Actor& actor,
                                                          const CredentialQuery& query,
                                                          const PageRenderer& render);
  // credentials.manage. The summary as `render` writes it, kept between requests while nothing
  // it counts changes (kept_reads.h).
  using SummaryRenderer = std::function<std::string(const CredentialSummary&)>;
  Result<std::shared_ptr<const std::string>> RenderedSummary(const Actor& actor,
                                                             const SummaryRenderer& render);

  // Holder or users.manage. `if_match`: the revisions the client read (412 when the credential
  // is at another one).
  Result<CredentialView> AddVersion(const Actor& actor, const std::string& id,
                                    const CredentialInput& input,
                                    const RevisionCondition& if_match);
  // The latest version only (409 not_latest).
  Result<CredentialView> EditVersion(const Actor& actor, const std::string& id, int version,
                                     const CredentialInput& input,
                                     const RevisionCondition& if_match);
  Result<CredentialView> Archive(const Actor& actor, const std::string& id,
                                 const RevisionCondition& if_match);
  Result<CredentialView> Restore(const Actor& actor, const std::string& id,
                                 const RevisionCondition& if_match);
  Status Delete(const Actor& actor, const std::string& id, const RevisionCondition& if_match);

  // credentials.manage, never one's own (403 own_credential); the latest version pending.
  Result<CredentialView> Approve(const Actor& actor, const std::string& id,
                                 const RevisionCondition& if_match);
  Result<CredentialView> Reject(const Actor& actor, const std::string& id,
                                const std::string& reason, const RevisionCondition& if_match);

  // Each id on its own, as the single action would be. 422 for no ids, more than 500, or an
  // id given twice.
  Result<std::vector<BulkResult>> Bulk(const Actor& actor, BulkAction action,
                                       const std::vector<std::string>& ids);

 private:
  // ~6 KB a summary of 30 types: about 2,500 organisations' summaries.
  static constexpr size_t kKeptSummaryBytes = 16 << 20;
  static constexpr size_t kEntryOverhead = 128;  // an entry's own bytes besides key and text

  ServiceContext ctx_;
  // Shared by copies of this service.
  std::shared_ptr<KeptReads<std::string>> summaries_;
  std::shared_ptr<KeptReads<std::string>> pages_;
};

}  // namespace bf
