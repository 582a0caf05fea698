#include "service/credential_service.h"

#include <algorithm>

#include "core/ids.h"
#include "domain/permissions.h"
#include "domain/validation.h"
#include "service/activity.h"
#include "service/notices.h"

namespace bf {
namespace {

constexpr size_t kMaxBulkIds = 500;

UserRef Ref(const Actor& actor) { return UserRef{actor.user_id, actor.name, ""}; }

std::optional<std::string> DateText(const std::optional<Date>& d) {
  if (!d) return std::nullopt;
  return FormatIsoDate(*d);
}

std::optional<std::string> NumberText(const std::string& n) {
  if (n.empty()) return std::nullopt;
  return n;
}

std::optional<std::string> MediaText(const std::vector<MediaRef>& media) {
  if (media.empty()) return std::nullopt;
  std::string out;
  for (const MediaRef& m : media) out += (out.empty() ? "" : ", ") + m.filename;
  return out;
}

std::string ApprovalText(ApprovalStatus s) { return std::string(ApprovalStatusName(s)); }

// The changes between two states of a version, in the fields the version activity shows.
void AddVersionChanges(Activity& entry, const CredentialVersion* before,
                       const CredentialVersion& after) {
  auto old_or_null = [&](auto get) -> std::optional<std::string> {
    return before ? get(*before) : std::nullopt;
  };
  AddChange(entry, "issue_date",
            old_or_null([](const CredentialVersion& v) { return DateText(v.issue_date); }),
            FormatIsoDate(after.issue_date));
  AddChange(entry, "expiry_date",
            old_or_null([](const CredentialVersion& v) { return DateText(v.expiry_date); }),
            DateText(after.expiry_date));
  AddChange(entry, "credential_number",
            old_or_null([](const CredentialVersion& v) { return NumberText(v.credential_number); }),
            NumberText(after.credential_number));
  AddChange(entry, "media",
            old_or_null([](const CredentialVersion& v) { return MediaText(v.media); }),
            MediaText(after.media));
  AddChange(entry, "approval_status",
            old_or_null([](const CredentialVersion& v) -> std::optional<std::string> {
              return ApprovalText(v.approval_status);
            }),
            ApprovalText(after.approval_status));
}

Activity CredentialActivity(const Actor& actor, Timestamp at, std::string action,
                            const Credential& c, int version) {
  Activity entry = NewActivity(&actor, at, std::move(action), "credential", c.id);
  entry.subject_user_id = c.user.id;
  entry.subject_user_name = c.user.name;
  entry.credential_id = c.id;
  entry.version = version;
  return entry;
}

Result<Date> ParseDateField(const std::string& field, const std::optional<std::string>& text) {
  if (!text || Trim(*text).empty()) return FailField(field, "required", field + " is required");
  auto date = ParseIsoDate(Trim(*text));
  if (!date) {
    return FailField(field, "invalid_date", field + " must be a real date written YYYY-MM-DD");
  }
  return *date;
}

Result<std::optional<Date>> ParseOptionalDate(const std::string& field,
                                              const std::optional<std::string>& text) {
  if (!text || Trim(*text).empty()) return std::optional<Date>();
  BF_ASSIGN_OR_RETURN(Date d, ParseDateField(field, text));
  return std::optional<Date>(d);
}

Result<std::string> ParseNumber(const std::optional<std::string>& text) {
  BF_RETURN_IF_ERROR(
      ValidateOptionalText("credential_number", text.value_or(""), kMaxCredentialNumberLength));
  return Trim(text.value_or(""));
}

// The files a version shows, from `ids` in order. Each must be a complete file of the
// organisation that is either the actor's own upload not yet attached, or already the
// credential's (`credential_id`, "" on create): a renewal or an edit may keep files of earlier
// versions. 422 too_many, duplicate_media, unknown_media (another organisation's, another
// uploader's, another credential's, or no such file).
Result<std::vector<MediaRef>> ResolveMedia(UnitOfWork& uow, const Actor& actor,
                                           const std::string& credential_id,
                                           const std::vector<std::string>& ids) {
  if (ids.size() > static_cast<size_t>(kMaxMediaPerVersion)) {
    return FailField("media_ids", "too_many", "a version holds at most 10 media files");
  }
  std::vector<MediaRef> media;
  for (const std::string& id : ids) {
    auto unknown = [&] {
      return FailField("media_ids", "unknown_media", "no uploaded media with id " + id);
    };
    if (std::any_of(media.begin(), media.end(), [&](const MediaRef& m) { return m.id == id; })) {
      return FailField("media_ids", "duplicate_media", "media id " + id + " is listed twice");
    }
    if (!IsUuid(id)) return unknown();
    BF_ASSIGN_OR_RETURN(auto file, uow.FindMedia(actor.org_id, id));
    if (!file) return unknown();
    bool mine_unattached = file->credential_id.empty() && file->uploaded_by == actor.user_id;
    bool this_credentials = !credential_id.empty() && file->credential_id == credential_id;
    if (!mine_unattached && !this_credentials) return unknown();
    media.push_back(MediaRef{file->id, file->filename, file->content_type, file->size});
  }
  return media;
}

bool SameMedia(const std::vector<MediaRef>& a, const std::vector<MediaRef>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const MediaRef& x, const MediaRef& y) { return x.id == y.id; });
}

Status CheckMediaRequired(const Organization& org, const std::vector<MediaRef>& media) {
  if (org.settings.media_required && media.empty()) {
    return FailField("media_ids", "media_required",
                     "this organisation requires a photo or PDF of every credential");
  }
  return Ok();
}

Result<Organization> LoadOrg(UnitOfWork& uow, const std::string& org_id) {
  BF_ASSIGN_OR_RETURN(auto org, uow.FindOrganization(org_id));
  if (!org) return NotFound("organization");
  return *org;
}

auto CredentialNotFound() { return NotFound("credential"); }

}  // namespace

bool RevisionCondition::Allows(int64_t revision) const {
  return !given || any ||
         std::find(revisions.begin(), revisions.end(), revision) != revisions.end();
}

namespace {

class Work {
 public:
  // Loads the organisation and "today" in its zone for one unit of work.
  static Result<Work> Start(ServiceContext& ctx, const Actor& actor, bool write) {
    BF_ASSIGN_OR_RETURN(auto uow, ctx.store.Begin(write));
    BF_ASSIGN_OR_RETURN(Organization org, LoadOrg(*uow, actor.org_id));
    Timestamp now = ctx.clock.Now();
    Date today = LocalDate(now, org.timezone);
    return Work(std::move(uow), std::move(org), now, today);
  }

  CredentialView View(Credential c) const {
    CredentialView v;
    v.expiry_status =
        ComputeExpiryStatus(c.latest.expiry_date, today, org.settings.expiring_soon_days);
    v.credential = std::move(c);
    return v;
  }

  // The credential, if the actor may see it (404 across organisations, 403 within).
  Result<Credential> Visible(const Actor& actor, const std::string& id) {
    if (!IsUuid(id)) return CredentialNotFound();
    BF_ASSIGN_OR_RETURN(auto c, uow->FindCredential(actor.org_id, id));
    if (!c) return CredentialNotFound();
    if (!MayViewCredentialsOf(actor, c->user.id)) return Forbidden("this credential is not yours");
    return *c;
  }

  // The credential, if the actor may change it and If-Match allows.
  Result<Credential> Changeable(const Actor& actor, const std::string& id,
                                const RevisionCondition& if_match) {
    BF_ASSIGN_OR_RETURN(Credential c, Visible(actor, id));
    if (!MayManageCredentialsOf(actor, c.user.id)) {
      return Forbidden("changing another user's credentials needs users.manage");
    }
    BF_RETURN_IF_ERROR(CheckIfMatch(c, if_match));
    return c;
  }

  static Status CheckIfMatch(const Credential& c, const RevisionCondition& if_match) {
    if (if_match.Allows(c.revision)) return Ok();
    return Fail(ErrorCode::kPreconditionFailed, "precondition_failed",
                "the credential changed since you read it (it is now at revision " +
                    std::to_string(c.revision) + "); reload and try again");
  }

  // Marks `c` changed by `actor` now and writes its row, if nobody changed it since it was read
  // (412 otherwise). Runs before the versions are written, so that of two edits of the same
  // revision the second fails here, whatever the engine lets run at once.
  Status Save(Credential& c, const Actor& actor) const {
    const int64_t read_revision = c.revision;
    c.revision += 1;
    c.updated_at = now;
    c.updated_by = Ref(actor);
    return uow->UpdateCredential(c, read_revision);
  }

  std::unique_ptr<UnitOfWork> uow;
  Organization org;
  Timestamp now;
  Date today;

 private:
  Work(std::unique_ptr<UnitOfWork> u, Organization o, Timestamp n, Date t)
      : uow(std::move(u)), org(std::move(o)), now(n), today(t) {}
};

// Fills a new version's fields from `input`, validated for `type`.
Result<CredentialVersion> NewVersionFrom(const CredentialInput& input, const CredentialType& type,
                                         const Organization& org, UnitOfWork& uow,
                                         const Actor& actor, const std::string& credential_id) {
  CredentialVersion v;
  BF_ASSIGN_OR_RETURN(v.issue_date, ParseDateField("issue_date", input.issue_date));
  std::optional<std::string> expiry_text = input.expiry_date ? *input.expiry_date : std::nullopt;
  BF_ASSIGN_OR_RETURN(v.expiry_date, ParseOptionalDate("expiry_date", expiry_text));
  BF_RETURN_IF_ERROR(ValidateVersionDates(type.expires, v.issue_date, v.expiry_date));
  std::optional<std::string> number =
      input.credential_number ? *input.credential_number : std::nullopt;
  BF_ASSIGN_OR_RETURN(v.credential_number, ParseNumber(number));
  BF_ASSIGN_OR_RETURN(v.media, ResolveMedia(uow, actor, credential_id,
                                            input.media_ids.value_or(std::vector<std::string>())));
  BF_RETURN_IF_ERROR(CheckMediaRequired(org, v.media));
  v.approval_status = ApprovalForNewVersion(org.settings.approvals_required);
  return v;
}

Result<CredentialType> LoadType(UnitOfWork& uow, const std::string& org_id,
                                const std::string& type_id) {
  if (type_id.empty()) return FailField("type_id", "required", "type_id is required");
  std::optional<CredentialType> type;
  if (IsUuid(type_id)) {
    BF_ASSIGN_OR_RETURN(type, uow.FindCredentialType(org_id, type_id));
  }
  if (!type) return FailField("type_id", "unknown_type", "no such credential type");
  return *type;
}

}  // namespace

Result<CredentialView> CredentialService::Create(const Actor& actor, const CredentialInput& input) {
  std::string holder_id = input.user_id.empty() ? actor.user_id : input.user_id;
  BF_ASSIGN_OR_RETURN(Work w, Work::Start(ctx_, actor, true));
  std::optional<User> holder;
  if (IsUuid(holder_id)) {
    BF_ASSIGN_OR_RETURN(holder, w.uow->FindUser(actor.org_id, holder_id));
  }
  if (!holder) return FailField("user_id", "unknown_user", "no such user");
  if (!MayManageCredentialsOf(actor, holder->id)) {
    return Forbidden("adding credentials for another user needs users.manage");
  }
  if (holder->status != UserStatus::kActive) {
    return FailField("user_id", "inactive_user", "the user is deactivated");
  }
  BF_ASSIGN_OR_RETURN(CredentialType type, LoadType(*w.uow, actor.org_id, input.type_id));
  BF_ASSIGN_OR_RETURN(CredentialVersion version,
                      NewVersionFrom(input, type, w.org, *w.uow, actor, ""));

  Credential c;
  c.id = NewId();
  c.org_id = actor.org_id;
  c.user = UserRef{holder->id, holder->name, holder->email};
  c.type_id = type.id;
  c.type_name = type.name;
  c.created_at = c.updated_at = w.now;
  c.created_by = c.updated_by = Ref(actor);
  version.credential_id = c.id;
  version.version = 1;
  version.created_at = version.updated_at = w.now;
  version.created_by = version.updated_by = Ref(actor);
  c.latest = version;
  BF_RETURN_IF_ERROR(w.uow->InsertCredential(c));
  Activity entry = CredentialActivity(actor, w.now, "credential.created", c, 1);
  AddChange(entry, "type", std::nullopt, type.name);
  AddVersionChanges(entry, nullptr, version);
  BF_RETURN_IF_ERROR(w.uow->AppendActivity(entry));
  BF_RETURN_IF_ERROR(w.uow->Commit());
  return w.View(std::move(c));
}

Result<CredentialView> CredentialService::Get(const Actor& actor, const std::string& id) {
  BF_ASSIGN_OR_RETURN(Work w, Work::Start(ctx_, actor, false));
  BF_ASSIGN_OR_RETURN(Credential c, w.Visible(actor, id));
  return w.View(std::move(c));
}

Result<std::vector<CredentialVersion>> CredentialService::Versions(const Actor& actor,
                                                                   const std::string& id) {
  BF_ASSIGN_OR_RETURN(Work w, Work::Start(ctx_, actor, false));
  BF_ASSIGN_OR_RETURN(Credential c, w.Visible(actor, id));
  return w.uow->ListVersions(c.id);
}

Result<std::vector<VersionChange>> CredentialService::VersionActivity(const Actor& actor,
                                                                      const std::string& id,
                                                                      int version) {
  BF_ASSIGN_OR_RETURN(Work w, Work::Start(ctx_, actor, false));
  BF_ASSIGN_OR_RETURN(Credential c, w.Visible(actor, id));
  if (version < 1 || version > c.latest.version) return NotFound("version");
  ActivityFilter filter;
  filter.credential_id = c.id;
  filter.version = version;
  filter.limit = 1000;
  BF_ASSIGN_OR_RETURN(auto rows, w.uow->ListActivity(actor.org_id, filter));
  static const std::vector<std::string> kFields = {"issue_date", "expiry_date", "credential_number",
                                                   "media", "approval_status"};
  std::vector<VersionChange> out;
  for (const ActivityRow& row : rows) {
    for (const Change& change : row.activity.changes) {
      if (std::find(kFields.begin(), kFields.end(), change.field) == kFields.end()) continue;
      out.push_back({row.activity.at, row.activity.actor_id, row.activity.actor_name, change});
    }
  }
  return out;
}

Result<CredentialView> CredentialService::AddVersion(const Actor& actor, const std::string& id,
                                                     const CredentialInput& input,
                                                     const RevisionCondition& if_match) {
  BF_ASSIGN_OR_RETURN(Work w, Work::Start(ctx_, actor, true));
  BF_ASSIGN_OR_RETURN(Credential c, w.Changeable(actor, id, if_match));
  BF_RETURN_IF_ERROR(CheckChangeable(c.archived));
  BF_ASSIGN_OR_RETURN(CredentialType type, LoadType(*w.uow, actor.org_id, c.type_id));
  BF_ASSIGN_OR_RETURN(CredentialVersion version,
                      NewVersionFrom(input, type, w.org, *w.uow, actor, c.id));
  version.credential_id = c.id;
  version.version = c.latest.version + 1;
  version.created_at = version.updated_at = w.now;
  version.created_by = version.updated_by = Ref(actor);
  c.latest = version;
  BF_RETURN_IF_ERROR(w.Save(c, actor));
  BF_RETURN_IF_ERROR(w.uow->InsertVersion(version));
  Activity entry = CredentialActivity(actor, w.now, "credential.version_added", c, version.version);
  AddVersionChanges(entry, nullptr, version);
  BF_RETURN_IF_ERROR(w.uow->AppendActivity(entry));
  BF_RETURN_IF_ERROR(w.uow->Commit());
  return w.View(std::move(c));
}

Result<CredentialView> CredentialService::EditVersion(const Actor& actor, const std::string& id,
                                                      int version, const CredentialInput& input,
                                                      const RevisionCondition& if_match) {
  BF_ASSIGN_OR_RETURN(Work w, Work::Start(ctx_, actor, true));
  BF_ASSIGN_OR_RETURN(Credential c, w.Changeable(actor, id, if_match));
  if (version < 1 || version > c.latest.version) return NotFound("version");
  if (version != c.latest.version) {
    return Fail(ErrorCode::kConflict, "not_latest",
                "only the latest version (" + std::to_string(c.latest.version) +
                    ") can be edited; add a version instead");
  }
  BF_RETURN_IF_ERROR(CheckChangeable(c.archived));
  BF_ASSIGN_OR_RETURN(CredentialType type, LoadType(*w.uow, actor.org_id, c.type_id));
  const CredentialVersion before = c.latest;
  CredentialVersion after = before;
  if (input.issue_date) {
    BF_ASSIGN_OR_RETURN(after.issue_date, ParseDateField("issue_date", input.issue_date));
  }
  if (input.expiry_date) {
    BF_ASSIGN_OR_RETURN(after.expiry_date, ParseOptionalDate("expiry_date", *input.expiry_date));
  }
  if (input.credential_number) {
    BF_ASSIGN_OR_RETURN(after.credential_number, ParseNumber(*input.credential_number));
  }
  if (input.media_ids) {
    BF_ASSIGN_OR_RETURN(after.media, ResolveMedia(*w.uow, actor, c.id, *input.media_ids));
  }
  BF_RETURN_IF_ERROR(ValidateVersionDates(type.expires, after.issue_date, after.expiry_date));
  BF_RETURN_IF_ERROR(CheckMediaRequired(w.org, after.media));
  bool changed = after.issue_date != before.issue_date || after.expiry_date != before.expiry_date ||
                 after.credential_number != before.credential_number ||
                 !SameMedia(after.media, before.media);
  if (!changed) return w.View(std::move(c));  // nothing to do: no new state, no activity
  after.approval_status =
      ApprovalAfterEdit(w.org.settings.approvals_required, before.approval_status);
  if (after.approval_status != ApprovalStatus::kRejected) after.rejection_reason.reset();
  if (after.approval_status != before.approval_status) {
    after.approved_by = UserRef{};
    after.approved_at.reset();
  }
  after.updated_at = w.now;
  after.updated_by = Ref(actor);
  c.latest = after;
  BF_RETURN_IF_ERROR(w.Save(c, actor));
  BF_RETURN_IF_ERROR(w.uow->UpdateVersion(after));
  // Files no version shows any more are removed with the change (the activity keeps their names).
  BF_RETURN_IF_ERROR(w.uow->DeleteUnlinkedMedia(actor.org_id, c.id));
  Activity entry = CredentialActivity(actor, w.now, "credential.version_edited", c, version);
  AddVersionChanges(entry, &before, after);
  BF_RETURN_IF_ERROR(w.uow->AppendActivity(entry));
  BF_RETURN_IF_ERROR(w.uow->Commit());
  return w.View(std::move(c));
}

Result<CredentialView> CredentialService::Archive(const Actor& actor, const std::string& id,
                                                  const RevisionCondition& if_match) {
  BF_ASSIGN_OR_RETURN(Work w, Work::Start(ctx_, actor, true));
  BF_ASSIGN_OR_RETURN(Credential c, w.Changeable(actor, id, if_match));
  BF_RETURN_IF_ERROR(CheckArchivable(c.archived));
  c.archived = true;
  BF_RETURN_IF_ERROR(w.Save(c, actor));
  Activity entry = CredentialActivity(actor, w.now, "credential.archived", c, c.latest.version);
  AddChange(entry, "archived", std::string("false"), std::string("true"));
  BF_RETURN_IF_ERROR(w.uow->AppendActivity(entry));
  BF_RETURN_IF_ERROR(w.uow->Commit());
  return w.View(std::move(c));
}

Result<CredentialView> CredentialService::Restore(const Actor& actor, const std::string& id,
                                                  const RevisionCondition& if_match) {
  BF_ASSIGN_OR_RETURN(Work w, Work::Start(ctx_, actor, true));
  BF_ASSIGN_OR_RETURN(Credential c, w.Changeable(actor, id, if_match));
  BF_RETURN_IF_ERROR(CheckRestorable(c.archived));
  c.archived = false;
  BF_RETURN_IF_ERROR(w.Save(c, actor));
  Activity entry = CredentialActivity(actor, w.now, "credential.restored", c, c.latest.version);
  AddChange(entry, "archived", std::string("true"), std::string("false"));
  BF_RETURN_IF_ERROR(w.uow->AppendActivity(entry));
  BF_RETURN_IF_ERROR(w.uow->Commit());
  return w.View(std::move(c));
}

// Deletes any credential, archived or not: the interface asks for confirmation first, and this
// request is that confirmation. The delete is conditional on the revision read (so the activity
// entry describes what was deleted): with If-Match, a revision that moved on answers 412; without,
// the unit runs again on the fresh row, up to kDeleteRetries times, then 409 `conflict`.
Status CredentialService::Delete(const Actor& actor, const std::string& id,
                                 const RevisionCondition& if_match) {
  constexpr int kDeleteRetries = 3;
  for (int attempt = 0;; ++attempt) {
    BF_ASSIGN_OR_RETURN(Work w, Work::Start(ctx_, actor, true));
    BF_ASSIGN_OR_RETURN(Credential c, w.Changeable(actor, id, if_match));
    auto deleted = w.uow->DeleteCredential(actor.org_id, c.id, c.revision);
    if (!deleted) {
      if (deleted.error().code != ErrorCode::kPreconditionFailed || if_match.given) return deleted;
      if (attempt < kDeleteRetries) continue;
      return Fail(ErrorCode::kConflict, "conflict",
                  "the credential kept changing while it was being deleted; try again");
    }
    // The log keeps that it existed and was deleted, never its media.
    Activity entry = CredentialActivity(actor, w.now, "credential.deleted", c, 0);
    AddChange(entry, "type", c.type_name, std::nullopt);
    AddChange(entry, "holder", c.user.name, std::nullopt);
    AddChange(entry, "versions", std::to_string(c.latest.version), std::nullopt);
    BF_RETURN_IF_ERROR(w.uow->AppendActivity(entry));
    return w.uow->Commit();
  }
}

namespace {

// Approve and reject share everything but the outcome.
Result<CredentialView> Decide(ServiceContext& ctx, const Actor& actor, const std::string& id,
                              const RevisionCondition& if_match,
                              std::optional<std::string> rejection) {
  BF_ASSIGN_OR_RETURN(Work w, Work::Start(ctx, actor, true));
  BF_ASSIGN_OR_RETURN(Credential c, w.Visible(actor, id));
  if (!actor.Can(Permission::kCredentialsManage)) {
    return Forbidden("approving needs credentials.manage");
  }
  if (c.user.id == actor.user_id) {
    return Fail(ErrorCode::kPermissionDenied, "own_credential",
                "nobody approves or rejects their own credential");
  }
  BF_RETURN_IF_ERROR(Work::CheckIfMatch(c, if_match));
  BF_RETURN_IF_ERROR(CheckChangeable(c.archived));
  BF_RETURN_IF_ERROR(CheckDecidable(c.latest.approval_status));
  CredentialVersion before = c.latest;
  CredentialVersion& v = c.latest;
  v.approval_status = rejection ? ApprovalStatus::kRejected : ApprovalStatus::kApproved;
  v.rejection_reason = rejection;
  v.approved_by = Ref(actor);
  v.approved_at = w.now;
  v.updated_at = w.now;
  v.updated_by = Ref(actor);
  BF_RETURN_IF_ERROR(w.Save(c, actor));
  BF_RETURN_IF_ERROR(w.uow->UpdateVersion(v));
  Activity entry = CredentialActivity(
      actor, w.now, rejection ? "credential.rejected" : "credential.approved", c, v.version);
  AddVersionChanges(entry, &before, v);
  if (rejection) AddChange(entry, "rejection_reason", std::nullopt, rejection);
  BF_RETURN_IF_ERROR(w.uow->AppendActivity(entry));
  // The holder hears at once.
  Notification note;
  note.id = NewId();
  note.org_id = c.org_id;
  note.user_id = c.user.id;
  note.kind = rejection ? "rejected" : "approved";
  note.credential_id = c.id;
  note.title =
      rejection ? c.type_name + " is requested for resubmission" : c.type_name + " was approved";
  note.body = rejection ? "Add a new version or correct the latest one. Reason: " + *rejection
                        : actor.name + " approved version " + std::to_string(v.version) + ".";
  note.created_at = w.now;
  // In-app and by email, as the holder's notification settings say (service/notices.h).
  BF_RETURN_IF_ERROR(SendDecisionNotice(*w.uow, ctx, w.org, c, note));
  BF_RETURN_IF_ERROR(w.uow->Commit());
  return w.View(std::move(c));
}

}  // namespace

Result<CredentialView> CredentialService::Approve(const Actor& actor, const std::string& id,
                                                  const RevisionCondition& if_match) {
  return Decide(ctx_, actor, id, if_match, std::nullopt);
}

Result<CredentialView> CredentialService::Reject(const Actor& actor, const std::string& id,
                                                 const std::string& reason,
                                                 const RevisionCondition& if_match) {
  std::string trimmed = Trim(reason);
  if (trimmed.empty()) return FailField("reason", "required", "a reason is required to reject");
  BF_RETURN_IF_ERROR(
      ValidateOptionalText("reason", trimmed, kMaxDescriptionLength, TextLines::kMultiple));
  return Decide(ctx_, actor, id, if_match, trimmed);
}

Result<std::vector<BulkResult>> CredentialService::Bulk(const Actor& actor, BulkAction action,
                                                        const std::vector<std::string>& ids) {
  if (ids.empty()) return FailField("ids", "required", "ids needs at least one credential id");
  if (ids.size() > kMaxBulkIds) return FailField("ids", "too_many", "at most 500 ids at once");
  std::vector<std::string> sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
    return FailField("ids", "duplicate", "an id is listed twice");
  }
  std::vector<BulkResult> out;
  for (const std::string& id : ids) {
    Status outcome;
    switch (action) {
      case BulkAction::kArchive:
        outcome = StatusOf(Archive(actor, id, {}));
        break;
      case BulkAction::kRestore:
        outcome = StatusOf(Restore(actor, id, {}));
        break;
      case BulkAction::kDelete:
        outcome = Delete(actor, id, {});
        break;
      case BulkAction::kApprove:
        outcome = StatusOf(Approve(actor, id, {}));
        break;
    }
    out.push_back({id, std::move(outcome)});
  }
  return out;
}

}  // namespace bf
