#include "import_staging.h"

#include <optional>

#include "domain/credentials.h"
#include "domain/validation.h"

namespace bf::postgres {
namespace {

// How much COPY text is buffered before it is sent: few round trips, little memory.
constexpr size_t kSendBytes = 4 << 20;

// Private to the transaction; dropped by Finish, or at the end of the transaction whatever it
// does. Columns as ImportedVersion, with the values the statements below need computed once by
// the caller, exactly as the row-at-a-time statements of store/sql/imports.cc compute them
// (number_key by Lower, approved_at only when approved), so both engines store the same bytes.
constexpr char kCreateStaging[] =
    "CREATE TEMPORARY TABLE bf_import_staging ("
    " credential_id text NOT NULL, user_id text NOT NULL, type_id text NOT NULL,"
    " version integer NOT NULL, issue_date date NOT NULL, expiry_date date,"
    " credential_number text NOT NULL, number_key text NOT NULL, approval_status text NOT NULL,"
    " approved_by text, approved_at bigint, at bigint NOT NULL, actor_id text"
    ") ON COMMIT DROP";

constexpr char kCopyStaging[] = "COPY bf_import_staging FROM STDIN";

// As kInsertImportedCredential, for every staged version 1.
constexpr char kInsertCredentials[] =
    "INSERT INTO credentials (id, org_id, user_id, type_id, archived, version, issue_date,"
    " expiry_date, credential_number, number_key, approval_status, etag_counter, created_at,"
    " created_by, updated_at, updated_by)"
    " SELECT credential_id, ?1, user_id, type_id, 0, 1, issue_date, expiry_date,"
    " credential_number, number_key, approval_status, 1, at, actor_id, at, actor_id"
    " FROM bf_import_staging WHERE version = 1";

// As kAdvanceCredential, for every staged next version; conditional on the version the import
// read and on the credential being unarchived, so that a concurrent writer's change is found
// (fewer rows than staged) instead of overwritten.
constexpr char kAdvanceCredentials[] =
    "UPDATE credentials AS c SET version = s.version, issue_date = s.issue_date,"
    " expiry_date = s.expiry_date, credential_number = s.credential_number,"
    " number_key = s.number_key, approval_status = s.approval_status,"
    " etag_counter = c.etag_counter + 1, updated_at = s.at, updated_by = s.actor_id"
    " FROM bf_import_staging AS s"
    " WHERE s.version > 1 AND c.org_id = ?1 AND c.id = s.credential_id"
    " AND c.version = s.version - 1 AND c.archived = 0";

// After kAdvanceCredentials fell short: are some of its credentials gone?
constexpr char kCountMissing[] =
    "SELECT count(*) FROM bf_import_staging AS s WHERE s.version > 1 AND NOT EXISTS"
    " (SELECT 1 FROM credentials AS c WHERE c.org_id = ?1 AND c.id = s.credential_id)";

// As kInsertImportedVersion, for every staged row.
constexpr char kInsertVersions[] =
    "INSERT INTO credential_versions (credential_id, version, issue_date, expiry_date,"
    " credential_number, approval_status, rejection_reason, approved_by, approved_at,"
    " created_at, created_by, updated_at, updated_by)"
    " SELECT credential_id, version, issue_date, expiry_date, credential_number,"
    " approval_status, NULL, approved_by, approved_at, at, actor_id, at, actor_id"
    " FROM bf_import_staging";

constexpr char kDropStaging[] = "DROP TABLE bf_import_staging";

// One field of COPY's text format: backslash, tab, newline and carriage return escaped.
void AppendField(std::string& out, std::string_view v) {
  for (char c : v) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out.push_back(c);
    }
  }
}

void AppendNull(std::string& out) { out += "\\N"; }

}  // namespace

Status ImportStaging::Add(const std::string& org_id, const ImportedVersion& v) {
  if (rows_ == 0) {
    org_id_ = org_id;
  } else if (org_id != org_id_) {
    return Internal("an import staged rows of two organisations in one unit of work");
  }
  const bool approved = v.approval_status == ApprovalStatus::kApproved;
  const std::string at = std::to_string(ToMillis(v.at));
  std::string& b = buffer_;
  AppendField(b, v.credential_id);
  b.push_back('\t');
  AppendField(b, v.user_id);
  b.push_back('\t');
  AppendField(b, v.type_id);
  b.push_back('\t');
  b += std::to_string(v.version);
  b.push_back('\t');
  b += FormatIsoDate(v.issue_date);
  b.push_back('\t');
  if (v.expiry_date) {
    b += FormatIsoDate(*v.expiry_date);
  } else {
    AppendNull(b);
  }
  b.push_back('\t');
  AppendField(b, v.credential_number);
  b.push_back('\t');
  AppendField(b, Lower(v.credential_number));
  b.push_back('\t');
  AppendField(b, ApprovalStatusName(v.approval_status));
  b.push_back('\t');
  if (v.approved_by.empty()) {
    AppendNull(b);
  } else {
    AppendField(b, v.approved_by);
  }
  b.push_back('\t');
  if (approved) {
    b += at;
  } else {
    AppendNull(b);
  }
  b.push_back('\t');
  b += at;
  b.push_back('\t');
  if (v.actor_id.empty()) {
    AppendNull(b);
  } else {
    AppendField(b, v.actor_id);
  }
  b.push_back('\n');
  ++rows_;
  if (v.version != 1) ++versions_;
  if (buffer_.size() >= kSendBytes) return Send();
  return Ok();
}

Status ImportStaging::Send() {
  if (buffer_.empty()) return Ok();
  if (!table_) {
    BF_RETURN_IF_ERROR(conn_->Exec(kCreateStaging));
    table_ = true;
  }
  PGconn* pg = conn_->handle();
  PGresult* r = PQexec(pg, kCopyStaging);
  if (PQresultStatus(r) != PGRES_COPY_IN) {
    Error e = conn_->ErrorOf(r, kCopyStaging);
    PQclear(r);
    return tl::unexpected(std::move(e));
  }
  PQclear(r);
  const bool sent = PQputCopyData(pg, buffer_.data(), static_cast<int>(buffer_.size())) == 1;
  // Ending the COPY with a message aborts it; the server answers with the error either way.
  const bool ended = PQputCopyEnd(pg, sent ? nullptr : "the client could not send the rows") == 1;
  std::optional<Error> failed;
  while ((r = PQgetResult(pg)) != nullptr) {
    if (PQresultStatus(r) != PGRES_COMMAND_OK && !failed) failed = conn_->ErrorOf(r, kCopyStaging);
    PQclear(r);
  }
  if (!failed && !(sent && ended)) failed = conn_->ErrorOf(nullptr, kCopyStaging);
  if (failed) return tl::unexpected(std::move(*failed));
  buffer_.clear();
  return Ok();
}

Status ImportStaging::Finish() {
  if (rows_ == 0) return Ok();
  BF_RETURN_IF_ERROR(Send());
  {
    BF_ASSIGN_OR_RETURN(auto insert, conn_->Prepare(kInsertCredentials));
    insert.Bind(1, org_id_);
    BF_RETURN_IF_ERROR(insert.Run());
  }
  if (versions_ > 0) {
    BF_ASSIGN_OR_RETURN(auto advance, conn_->Prepare(kAdvanceCredentials));
    advance.Bind(1, org_id_);
    BF_RETURN_IF_ERROR(advance.Run());
    if (advance.Changes() != versions_) {
      BF_ASSIGN_OR_RETURN(auto missing, conn_->Prepare(kCountMissing));
      missing.Bind(1, org_id_);
      BF_ASSIGN_OR_RETURN(bool row, missing.Step());
      if (row && missing.Int(0) > 0) return NotFound("credential");
      return Fail(ErrorCode::kConflict, "conflict",
                  "a credential of the file changed while it was imported; nothing was written",
                  std::to_string(versions_ - advance.Changes()) +
                      " staged versions found their credential moved on or archived");
    }
  }
  {
    BF_ASSIGN_OR_RETURN(auto insert, conn_->Prepare(kInsertVersions));
    BF_RETURN_IF_ERROR(insert.Run());
  }
  BF_RETURN_IF_ERROR(conn_->Exec(kDropStaging));
  table_ = false;
  rows_ = 0;
  versions_ = 0;
  return Ok();
}

}  // namespace bf::postgres
