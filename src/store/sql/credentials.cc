// Credentials and their versions. A credential row carries its latest version's dates, number
// and approval status, so lists, filters and counts read credential rows (and their indexes)
// alone; credential_versions keeps every version.
#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>

#include "domain/validation.h"
#include "store/sql/credential_queries.h"
#include "store/sql/sql_util.h"
#include "store/sql/unit_of_work.h"

namespace bf::sql {

// From the counts the triggers of migration 0005 keep (the arithmetic is explained there), one
// row per type of the organisation, in name order: the total, pending, rejected and dated; the
// dated ones expiring before today's month, and from it to before the month of the last
// expiring-soon day; in those two months, the ones expiring before today and by that last day.
// Each figure is a short range of one type's counts: about 30 types, each a few dozen month rows
// and a month of day rows, read in about 0.3 ms (a GROUP BY over the tables took three times as
// long, sorting).
const char kSummarizeCredentials[] =
    "SELECT t.id, t.name,"
    " (SELECT SUM(n) FROM credential_counts_by_approval"
    "  WHERE org_id = ?1 AND type_id = t.id AND archived = 0),"
    " (SELECT SUM(n) FROM credential_counts_by_approval"
    "  WHERE org_id = ?1 AND type_id = t.id AND archived = 0 AND approval_status = 'pending'),"
    " (SELECT SUM(n) FROM credential_counts_by_approval"
    "  WHERE org_id = ?1 AND type_id = t.id AND archived = 0 AND approval_status = 'rejected'),"
    " (SELECT SUM(n) FROM credential_counts_by_approval"
    "  WHERE org_id = ?1 AND type_id = t.id AND archived = 0 AND dated = 1),"
    " (SELECT SUM(n) FROM credential_counts_by_month"
    "  WHERE org_id = ?1 AND type_id = t.id AND month < ?2),"
    " (SELECT SUM(n) FROM credential_counts_by_month"
    "  WHERE org_id = ?1 AND type_id = t.id AND month >= ?2 AND month < ?3),"
    " (SELECT SUM(n) FROM credential_counts_by_day"
    "  WHERE org_id = ?1 AND type_id = t.id AND expiry_date >= ?4 AND expiry_date < ?5),"
    " (SELECT SUM(n) FROM credential_counts_by_day"
    "  WHERE org_id = ?1 AND type_id = t.id AND expiry_date >= ?6 AND expiry_date <= ?7)"
    " FROM credential_types t WHERE t.org_id = ?1"
    " ORDER BY t.name_key, t.id";

namespace {

constexpr char kInsertCredential[] =
    "INSERT INTO credentials (id, org_id, user_id, type_id, archived, version, issue_date,"
    " expiry_date, credential_number, number_key, approval_status, etag_counter, created_at,"
    " created_by, updated_at, updated_by)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";

constexpr char kUpdateCredential[] =
    "UPDATE credentials SET archived = ?3, version = ?4, issue_date = ?5, expiry_date = ?6,"
    " credential_number = ?7, number_key = ?8, approval_status = ?9, etag_counter = ?10,"
    " updated_at = ?11, updated_by = ?12"
    " WHERE org_id = ?1 AND id = ?2 AND etag_counter = ?13";

constexpr char kCredentialExists[] = "SELECT 1 FROM credentials WHERE org_id = ?1 AND id = ?2";

// The versions go with it (ON DELETE CASCADE).
constexpr char kDeleteCredential[] = "DELETE FROM credentials WHERE org_id = ?1 AND id = ?2";
// Only at the revision the caller read (DeleteCredential with read_revision).
constexpr char kDeleteCredentialAt[] =
    "DELETE FROM credentials WHERE org_id = ?1 AND id = ?2 AND etag_counter = ?3";

constexpr char kInsertVersion[] =
    "INSERT INTO credential_versions (credential_id, version, issue_date, expiry_date,"
    " credential_number, approval_status, rejection_reason, approved_by, approved_at,"
    " created_at, created_by, updated_at, updated_by)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";

constexpr char kUpdateVersion[] =
    "UPDATE credential_versions SET issue_date = ?3, expiry_date = ?4, credential_number = ?5,"
    " approval_status = ?6, rejection_reason = ?7, approved_by = ?8, approved_at = ?9,"
    " updated_at = ?10, updated_by = ?11"
    " WHERE credential_id = ?1 AND version = ?2";

// The columns VersionFromRow reads, of version `v` and the users who decided, created and last
// changed it (LEFT JOINs: the system acts without a user).
#define BF_VERSION_COLUMNS                                                         \
  "v.credential_id, v.version, v.issue_date, v.expiry_date, v.credential_number,"  \
  " v.approval_status, v.rejection_reason, v.approved_by, ab.name, v.approved_at," \
  " v.created_at, v.created_by, vc.name, v.updated_at, v.updated_by, vu.name"
#define BF_VERSION_JOINS                         \
  " LEFT JOIN users ab ON ab.id = v.approved_by" \
  " LEFT JOIN users vc ON vc.id = v.created_by"  \
  " LEFT JOIN users vu ON vu.id = v.updated_by"

// Every join is a primary-key lookup; the latest version is found by (id, version).
#define BF_CREDENTIAL_COLUMNS                                                                  \
  "SELECT c.id, c.org_id, c.user_id, u.name, u.email, c.type_id, t.name, c.archived,"          \
  " c.etag_counter, c.created_at, c.created_by, cc.name, c.updated_at, c.updated_by, cu.name," \
  " " BF_VERSION_COLUMNS
#define BF_CREDENTIAL_JOINS                      \
  " JOIN users u ON u.id = c.user_id"            \
  " JOIN credential_types t ON t.id = c.type_id" \
  " LEFT JOIN users cc ON cc.id = c.created_by"  \
  " LEFT JOIN users cu ON cu.id = c.updated_by"  \
  " LEFT JOIN credential_versions v"             \
  " ON v.credential_id = c.id AND v.version = c.version" BF_VERSION_JOINS

constexpr char kFindCredential[] = BF_CREDENTIAL_COLUMNS " FROM credentials c" BF_CREDENTIAL_JOINS
                                                         " WHERE c.org_id = ?1 AND c.id = ?2";

// The credentials of a list page that is not a holder's, in no particular order; ?2 is a JSON
// array of their ids. The credential row's columns (FillPageRowFromRow), its type's name and its
// holder's, without the names of the users who created and changed it: a page mentions few
// people (often one administrator for every row), so ListCredentials reads their names once for
// the page (kFindUserNames*) instead of joins a row, each two B-tree seeks (an id's index entry,
// then its row). The holder is joined: holders are as many as the rows here, and reading them
// with the names cost 8% more (callgrind, the expiring-soon page). A holder's list reads its rows
// with its keys (CredentialPageQueries) and its holder once with those names: the same person on
// every row. No version is joined: the credential row carries its latest version's number,
// dates, credential number and approval status, all a list item shows of it but the rejection
// reason, which is read for the page's rejected rows alone (kFindRejections*). So a list item's
// latest version carries no approver, approval time, nor the version's creation and change (see
// CredentialRepository).
#define BF_HOLDER_COLUMNS "u.name, u.email,"
#define BF_HOLDER_JOIN " JOIN users u ON u.id = c.user_id"
constexpr char kFindCredentialsJsonEach[] = "SELECT " BF_PAGE_ROW_COLUMNS(BF_HOLDER_COLUMNS)
    BF_JSON_ROWIDS_JOIN_CREDENTIALS_SQLITE BF_HOLDER_JOIN BF_PAGE_ROW_JOINS " WHERE c.org_id = ?1";
constexpr char kFindCredentialsJsonArray[] = "SELECT " BF_PAGE_ROW_COLUMNS(BF_HOLDER_COLUMNS)
    BF_JSON_IDS_JOIN_CREDENTIALS_POSTGRES BF_HOLDER_JOIN BF_PAGE_ROW_JOINS " WHERE c.org_id = ?1";
#undef BF_HOLDER_COLUMNS
#undef BF_HOLDER_JOIN

// The names of the users whose ids ?1 (a JSON array) lists, the ids leading (CROSS JOIN, as in
// BF_JSON_ROWIDS_JOIN_CREDENTIALS_SQLITE). Not limited to an organisation, like the joins of
// kFindCredential.
constexpr char kFindUserNamesJsonEach[] =
    "SELECT u.id, u.name, u.email FROM json_each(?1) p CROSS JOIN users u ON u.id = p.value";
constexpr char kFindUserNamesJsonArray[] =
    "SELECT u.id, u.name, u.email FROM json_array_elements_text(?1::json) p(value)"
    " JOIN users u ON u.id = p.value";

// The rejection reasons of the versions ?1 (a JSON object of credential id: version) names.
constexpr char kFindRejectionsJsonEach[] =
    "SELECT v.credential_id, v.rejection_reason FROM json_each(?1) p"
    " CROSS JOIN credential_versions v ON v.credential_id = p.key AND v.version = p.value";
constexpr char kFindRejectionsJsonArray[] =
    "SELECT v.credential_id, v.rejection_reason FROM json_each_text(?1::json) p"
    " JOIN credential_versions v ON v.credential_id = p.key AND v.version = p.value::int";

#undef BF_CREDENTIAL_COLUMNS
#undef BF_CREDENTIAL_JOINS

}  // namespace

// Ids are UUIDs or other plain text, but quotes, backslashes and control characters are
// escaped all the same.
void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  size_t plain = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto ch = static_cast<unsigned char>(text[i]);
    if (ch >= 0x20 && ch != '"' && ch != '\\') continue;
    out.append(text.data() + plain, i - plain);
    plain = i + 1;
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += static_cast<char>(ch);
    } else {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(ch));
      out += escaped;
    }
  }
  out.append(text.data() + plain, text.size() - plain);
  out += '"';
}

const char* FindCredentialsSql(const Dialect& dialect) {
  return dialect.json_each ? kFindCredentialsJsonEach : kFindCredentialsJsonArray;
}

namespace {

constexpr char kListVersions[] =
    "SELECT " BF_VERSION_COLUMNS " FROM credential_versions v" BF_VERSION_JOINS
    " WHERE v.credential_id = ?1 ORDER BY v.version DESC";

#undef BF_VERSION_COLUMNS
#undef BF_VERSION_JOINS

constexpr int kCredentialColumns = 15;  // before the version's in kFindCredential

// "version N of credential ID", for the errors of a malformed row (built only for them: a list
// page maps thousands of good rows).
std::string VersionName(const CredentialVersion& v) {
  return "version " + std::to_string(v.version) + " of credential " + v.credential_id;
}

// A date column, parsed where the engine keeps it.
Result<Date> DateFromColumn(const Stmt& row, int col, const CredentialVersion& v) {
  const std::string_view text = row.TextView(col);
  if (auto date = ParseIsoDate(text)) return *date;
  return Internal(VersionName(v) + " has a malformed date: '" + std::string(text) + "'");
}

// An approval status column.
Result<ApprovalStatus> ApprovalFromColumn(const Stmt& row, int col, const CredentialVersion& v) {
  const std::string_view text = row.TextView(col);
  if (auto status = ParseApprovalStatus(text)) return *status;
  return Internal(VersionName(v) + " has unknown approval_status " + std::string(text));
}

// `ref` from an id column and a name column (NULL reads as "").
void RefFromColumns(const Stmt& row, int col, UserRef& ref) {
  ref.id.assign(row.TextView(col));
  ref.name.assign(row.TextView(col + 1));
}

// Columns as selected by BF_VERSION_COLUMNS, starting at `col`, into `v`.
Status FillVersionFromRow(const Stmt& row, int col, CredentialVersion& v) {
  v.credential_id.assign(row.TextView(col));
  v.version = static_cast<int>(row.Int(col + 1));
  BF_ASSIGN_OR_RETURN(v.issue_date, DateFromColumn(row, col + 2, v));
  if (!row.IsNull(col + 3)) {
    BF_ASSIGN_OR_RETURN(v.expiry_date, DateFromColumn(row, col + 3, v));
  }
  v.credential_number.assign(row.TextView(col + 4));
  BF_ASSIGN_OR_RETURN(v.approval_status, ApprovalFromColumn(row, col + 5, v));
  if (!row.IsNull(col + 6)) v.rejection_reason.emplace(row.TextView(col + 6));
  RefFromColumns(row, col + 7, v.approved_by);
  if (auto at = row.OptInt(col + 9)) v.approved_at = FromMillis(*at);
  v.created_at = FromMillis(row.Int(col + 10));
  RefFromColumns(row, col + 11, v.created_by);
  v.updated_at = FromMillis(row.Int(col + 13));
  RefFromColumns(row, col + 14, v.updated_by);
  return Ok();
}

Result<CredentialVersion> VersionFromRow(const Stmt& row, int col) {
  CredentialVersion v;
  BF_RETURN_IF_ERROR(FillVersionFromRow(row, col, v));
  return v;
}

// Columns as selected by kFindCredential.
Result<Credential> CredentialFromRow(const Stmt& row) {
  Credential c;
  c.id.assign(row.TextView(0));
  c.org_id.assign(row.TextView(1));
  c.user.id.assign(row.TextView(2));
  c.user.name.assign(row.TextView(3));
  c.user.email.assign(row.TextView(4));
  c.type_id.assign(row.TextView(5));
  c.type_name.assign(row.TextView(6));
  c.archived = row.Int(7) != 0;
  c.revision = row.Int(8);
  c.created_at = FromMillis(row.Int(9));
  RefFromColumns(row, 10, c.created_by);
  c.updated_at = FromMillis(row.Int(12));
  RefFromColumns(row, 13, c.updated_by);
  // A row without its latest version reads as a NULL credential_id and fails below.
  BF_RETURN_IF_ERROR(FillVersionFromRow(row, kCredentialColumns, c.latest));
  return c;
}

// Columns as BF_PAGE_ROW_COLUMNS selects them, into `c` (a fresh Credential); `holder`: with the
// holder's name and email address (columns 3 and 4). Every column is one the row asks for: the
// NULLs the page statement selected in kFindCredential's places were 1.5-2% of a list request.
Status FillPageRowFromRow(const Stmt& row, bool holder, Credential& c) {
  c.id.assign(row.TextView(0));
  c.org_id.assign(row.TextView(1));
  c.user.id.assign(row.TextView(2));
  int col = 3;
  if (holder) {
    c.user.name.assign(row.TextView(3));
    c.user.email.assign(row.TextView(4));
    col = 5;
  }
  c.type_id.assign(row.TextView(col));
  c.type_name.assign(row.TextView(col + 1));
  c.archived = row.Int(col + 2) != 0;
  c.revision = row.Int(col + 3);
  c.created_at = FromMillis(row.Int(col + 4));
  c.created_by.id.assign(row.TextView(col + 5));
  c.updated_at = FromMillis(row.Int(col + 6));
  c.updated_by.id.assign(row.TextView(col + 7));
  CredentialVersion& v = c.latest;
  v.credential_id = c.id;
  v.version = static_cast<int>(row.Int(col + 8));
  BF_ASSIGN_OR_RETURN(v.issue_date, DateFromColumn(row, col + 9, v));
  if (!row.IsNull(col + 10)) {
    BF_ASSIGN_OR_RETURN(v.expiry_date, DateFromColumn(row, col + 10, v));
  }
  v.credential_number.assign(row.TextView(col + 11));
  BF_ASSIGN_OR_RETURN(v.approval_status, ApprovalFromColumn(row, col + 12, v));
  return Ok();
}

// ?1-?9 of kInsertVersion and kUpdateVersion, which agree on them: the version's key, dates,
// number and approval.
Stmt& BindVersionContent(Stmt& stmt, const CredentialVersion& version) {
  return stmt.Bind(1, version.credential_id)
      .Bind(2, version.version)
      .Bind(3, FormatIsoDate(version.issue_date))
      .Bind(4, OptDate(version.expiry_date))
      .Bind(5, version.credential_number)
      .Bind(6, ApprovalStatusName(version.approval_status))
      .Bind(7, version.rejection_reason)
      .BindOrNull(8, version.approved_by.id)
      .Bind(9, OptMillis(version.approved_at));
}

}  // namespace

// The names of the users who created, changed and decided the page's credentials (selected
// NULL by FindCredentialsSql), and with `holders` the holders' names and email addresses, in
// one statement for the page. A user not found keeps an empty name, as kFindCredential's LEFT
// JOINs give (a holder is always found: credentials.user_id references users). The references
// are sorted by id, so each id is asked for once and its name handed to its references in one
// merge (a page of 50 has 250 references, often to a handful of people).
Status SqlUnitOfWork::ReadPageUserNames(std::vector<Credential>& page, bool holders) {
  struct Ref {
    UserRef* ref;
    bool holder;  // also gets the email address
  };
  std::vector<Ref> refs;
  refs.reserve(page.size() * 6);
  for (Credential& c : page) {
    if (holders) refs.push_back({&c.user, true});
    for (UserRef* ref : {&c.created_by, &c.updated_by, &c.latest.approved_by, &c.latest.created_by,
                         &c.latest.updated_by}) {
      if (!ref->id.empty()) refs.push_back({ref, false});
    }
  }
  if (refs.empty()) return Ok();
  std::sort(refs.begin(), refs.end(),
            [](const Ref& a, const Ref& b) { return a.ref->id < b.ref->id; });
  std::string ids = "[";
  ids.reserve(refs.size() * 8 + 40);
  for (size_t i = 0; i < refs.size(); ++i) {
    if (i > 0 && refs[i].ref->id == refs[i - 1].ref->id) continue;
    if (ids.size() > 1) ids += ',';
    AppendJsonString(ids, refs[i].ref->id);
  }
  ids += ']';
  struct Name {
    std::string id, name, email;
  };
  std::vector<Name> names;
  {
    BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(dialect_.json_each ? kFindUserNamesJsonEach
                                                                     : kFindUserNamesJsonArray));
    stmt.Bind(1, ids);
    for (;;) {
      BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      names.push_back({stmt.Text(0), stmt.Text(1), stmt.Text(2)});
    }
  }
  std::sort(names.begin(), names.end(), [](const Name& a, const Name& b) { return a.id < b.id; });
  auto name = names.begin();
  for (const Ref& r : refs) {
    while (name != names.end() && name->id < r.ref->id) ++name;
    if (name == names.end() || name->id != r.ref->id) continue;
    r.ref->name = name->name;
    if (r.holder) r.ref->email = name->email;
  }
  return Ok();
}

// The rejection reasons of the page's rejected credentials (FindCredentialsSql selects none): a
// version has one only while rejected (an edit or a decision clears it otherwise), and few rows
// of a page are rejected, so this reads a handful of versions where a join read every row's.
Status SqlUnitOfWork::ReadPageRejections(std::vector<Credential>& page) {
  std::string versions = "{";
  for (const Credential& c : page) {
    if (c.latest.approval_status != ApprovalStatus::kRejected) continue;
    if (versions.size() > 1) versions += ',';
    AppendJsonString(versions, c.id);
    versions += ':';
    versions += std::to_string(c.latest.version);
  }
  if (versions.size() == 1) return Ok();
  versions += '}';
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(dialect_.json_each ? kFindRejectionsJsonEach
                                                                   : kFindRejectionsJsonArray));
  stmt.Bind(1, versions);
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    if (stmt.IsNull(1)) continue;
    const std::string_view id = stmt.TextView(0);
    for (Credential& c : page) {  // a page is at most a few hundred rows, few of them rejected
      if (c.id == id) c.latest.rejection_reason.emplace(stmt.TextView(1));
    }
  }
  return Ok();
}

Status SqlUnitOfWork::InsertCredential(const Credential& credential) {
  const CredentialVersion& latest = credential.latest;
  {
    BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kInsertCredential));
    stmt.Bind(1, credential.id)
        .Bind(2, credential.org_id)
        .Bind(3, credential.user.id)
        .Bind(4, credential.type_id)
        .Bind(5, credential.archived)
        .Bind(6, latest.version)
        .Bind(7, FormatIsoDate(latest.issue_date))
        .Bind(8, OptDate(latest.expiry_date))
        .Bind(9, latest.credential_number)
        .Bind(10, Lower(latest.credential_number))
        .Bind(11, ApprovalStatusName(latest.approval_status))
        .Bind(12, credential.revision)
        .Bind(13, ToMillis(credential.created_at))
        .BindOrNull(14, credential.created_by.id)
        .Bind(15, ToMillis(credential.updated_at))
        .BindOrNull(16, credential.updated_by.id);
    BF_RETURN_IF_ERROR(stmt.Run());
  }
  CredentialVersion first = latest;
  first.credential_id = credential.id;
  return InsertVersion(first);
}

Result<std::optional<Credential>> SqlUnitOfWork::FindCredential(const std::string& org_id,
                                                                const std::string& id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kFindCredential));
  stmt.Bind(1, org_id).Bind(2, id);
  BF_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::nullopt;
  BF_ASSIGN_OR_RETURN(Credential credential, CredentialFromRow(stmt));
  BF_ASSIGN_OR_RETURN(credential.latest.media,
                      ReadVersionMedia(credential.id, credential.latest.version));
  return credential;
}

Status SqlUnitOfWork::UpdateCredential(const Credential& credential, int64_t read_revision) {
  const CredentialVersion& latest = credential.latest;
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kUpdateCredential));
  stmt.Bind(1, credential.org_id)
      .Bind(2, credential.id)
      .Bind(3, credential.archived)
      .Bind(4, latest.version)
      .Bind(5, FormatIsoDate(latest.issue_date))
      .Bind(6, OptDate(latest.expiry_date))
      .Bind(7, latest.credential_number)
      .Bind(8, Lower(latest.credential_number))
      .Bind(9, ApprovalStatusName(latest.approval_status))
      .Bind(10, credential.revision)
      .Bind(11, ToMillis(credential.updated_at))
      .BindOrNull(12, credential.updated_by.id)
      .Bind(13, read_revision);
  BF_RETURN_IF_ERROR(stmt.Run());
  if (stmt.Changes() > 0) return Ok();
  // No row had that revision: gone, or changed since the caller read it.
  BF_ASSIGN_OR_RETURN(auto exists, conn_->Prepare(kCredentialExists));
  exists.Bind(1, credential.org_id).Bind(2, credential.id);
  BF_ASSIGN_OR_RETURN(bool found, exists.Step());
  if (!found) return NotFound("credential");
  return RevisionMoved();
}

Status SqlUnitOfWork::InsertVersion(const CredentialVersion& version) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kInsertVersion));
  BindVersionContent(stmt, version)
      .Bind(10, ToMillis(version.created_at))
      .BindOrNull(11, version.created_by.id)
      .Bind(12, ToMillis(version.updated_at))
      .BindOrNull(13, version.updated_by.id);
  BF_RETURN_IF_ERROR(stmt.Run());
  return WriteVersionMedia(version);
}

Status SqlUnitOfWork::UpdateVersion(const CredentialVersion& version) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kUpdateVersion));
  BindVersionContent(stmt, version)
      .Bind(10, ToMillis(version.updated_at))
      .BindOrNull(11, version.updated_by.id);
  BF_RETURN_IF_ERROR(stmt.Run());
  BF_RETURN_IF_ERROR(TouchedOne(stmt, "credential version"));
  return WriteVersionMedia(version);
}

Result<std::vector<CredentialVersion>> SqlUnitOfWork::ListVersions(
    const std::string& credential_id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kListVersions));
  stmt.Bind(1, credential_id);
  std::vector<CredentialVersion> versions;
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    BF_ASSIGN_OR_RETURN(CredentialVersion version, VersionFromRow(stmt, 0));
    versions.push_back(std::move(version));
  }
  for (CredentialVersion& version : versions) {
    BF_ASSIGN_OR_RETURN(version.media, ReadVersionMedia(credential_id, version.version));
  }
  return versions;
}

Result<CredentialPage> SqlUnitOfWork::ListCredentials(const std::string& org_id,
                                                      const CredentialFilter& filter) {
  BF_ASSIGN_OR_RETURN(std::vector<Query> queries, CredentialPageQueries(org_id, filter, dialect_));
  const size_t limit = static_cast<size_t>(std::max(filter.limit, 1));
  std::vector<PageKey> keys;  // up to limit + 1: one more tells that another page follows
  CredentialPage page;
  std::vector<Credential>& items = page.items;
  // A holder's rows come whole with their keys; other pages' rows are read by the keys below.
  const bool whole_rows = PageSelectsWholeRows(filter);
  const int key_column = whole_rows ? kPageRowColumns : 1;
  const bool rowids = dialect_.rowids && !whole_rows;
  // A holder has a few credentials, rarely a page's worth: room for sixteen rows saves the
  // vector's regrowth (each moves every 900-byte Credential) without a page's 46 KB up front.
  if (whole_rows) items.reserve(std::min(limit + 1, size_t{16}));
  for (const Query& query : queries) {
    if (keys.size() > limit) break;
    BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(query.sql));
    BindAll(stmt, query.args);
    for (;;) {
      BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      keys.push_back(
          {stmt.Text(0), stmt.OptText(key_column), rowids ? stmt.Int(key_column + 1) : 0});
      if (whole_rows && keys.size() <= limit) {
        BF_RETURN_IF_ERROR(FillPageRowFromRow(stmt, false, items.emplace_back()));
      }
    }
  }

  if (keys.size() > limit) {
    keys.resize(limit);
    page.next_after = EncodeCursor(filter.sort, keys.back().sort_key, keys.back().id);
  }
  if (keys.empty()) return page;
  if (!whole_rows) BF_RETURN_IF_ERROR(ReadPageRows(org_id, keys, items));
  // Whole rows come without their holder's name (one person: read once, with the names).
  BF_RETURN_IF_ERROR(ReadPageUserNames(items, whole_rows));
  BF_RETURN_IF_ERROR(ReadPageRejections(items));
  BF_RETURN_IF_ERROR(ReadPageMedia(org_id, items));
  return page;
}

// The rows of a page that is not a holder's in one statement, not one per row: one per row was
// half of a list request's time (perf, bench/run.sh).
Status SqlUnitOfWork::ReadPageRows(const std::string& org_id, const std::vector<PageKey>& keys,
                                   std::vector<Credential>& items) {
  std::string ids = "[";
  ids.reserve(keys.size() * 40 + 2);
  for (const PageKey& key : keys) {
    if (ids.size() > 1) ids += ',';
    if (dialect_.rowids) {
      ids += std::to_string(key.rowid);
    } else {
      AppendJsonString(ids, key.id);
    }
  }
  ids += ']';
  items.reserve(keys.size());
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(FindCredentialsSql(dialect_)));
  stmt.Bind(1, org_id).Bind(2, ids);
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    BF_RETURN_IF_ERROR(FillPageRowFromRow(stmt, true, items.emplace_back()));
  }
  // In the keys' order. SQLite gives the rows in that order already (the ids lead its join);
  // another engine may not, and a row deleted since the keys were read is missing.
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i < items.size() && items[i].id == keys[i].id) continue;
    auto it = std::find_if(items.begin() + static_cast<std::ptrdiff_t>(std::min(i, items.size())),
                           items.end(), [&](const Credential& c) { return c.id == keys[i].id; });
    if (it == items.end()) return Internal("credential " + keys[i].id + " vanished while listing");
    std::swap(items[i], *it);
  }
  return Ok();
}

Status SqlUnitOfWork::DeleteCredential(const std::string& org_id, const std::string& id,
                                       std::optional<int64_t> read_revision) {
  BF_RETURN_IF_ERROR(DeleteCredentialMedia(org_id, id));
  BF_ASSIGN_OR_RETURN(auto stmt,
                      conn_->Prepare(read_revision ? kDeleteCredentialAt : kDeleteCredential));
  stmt.Bind(1, org_id).Bind(2, id);
  if (read_revision) stmt.Bind(3, *read_revision);
  BF_RETURN_IF_ERROR(stmt.Run());
  if (stmt.Changes() > 0) return Ok();
  if (!read_revision) return NotFound("credential");
  // No row had that revision: gone, or changed since the caller read it.
  BF_ASSIGN_OR_RETURN(auto exists, conn_->Prepare(kCredentialExists));
  exists.Bind(1, org_id).Bind(2, id);
  BF_ASSIGN_OR_RETURN(bool found, exists.Step());
  if (!found) return NotFound("credential");
  return RevisionMoved();
}

Result<CredentialSummary> SqlUnitOfWork::SummarizeCredentials(const std::string& org_id, Date today,
                                                              int expiring_soon_days) {
  const std::string first = FormatIsoDate(today);
  const std::string last = FormatIsoDate(today + date::days{expiring_soon_days});
  const std::string first_month = first.substr(0, 7);  // YYYY-MM
  const std::string last_month = last.substr(0, 7);
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kSummarizeCredentials));
  stmt.Bind(1, org_id)
      .Bind(2, first_month)
      .Bind(3, last_month)
      .Bind(4, first_month + "-01")
      .Bind(5, first)
      .Bind(6, last_month + "-01")
      .Bind(7, last);
  CredentialSummary summary;
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    const int64_t total = stmt.OptInt(2).value_or(0);  // SUM of no rows is NULL
    if (total == 0) continue;  // a type without unarchived credentials is left out
    TypeCounts type{stmt.Text(0), stmt.Text(1), {}};
    StatusCounts& c = type.counts;
    c.total = total;
    c.pending_approval = stmt.OptInt(3).value_or(0);
    c.rejected = stmt.OptInt(4).value_or(0);
    const int64_t dated = stmt.OptInt(5).value_or(0);
    const int64_t before_today_month = stmt.OptInt(6).value_or(0);
    const int64_t to_last_month = stmt.OptInt(7).value_or(0);  // from today's month
    const int64_t before_today = before_today_month + stmt.OptInt(8).value_or(0);
    const int64_t by_last_day = before_today_month + to_last_month + stmt.OptInt(9).value_or(0);
    c.expired = before_today;
    c.expiring_soon = by_last_day - before_today;
    c.valid = dated - by_last_day;
    c.no_expiry = c.total - dated;
    StatusCounts& all = summary.all;
    all.total += c.total;
    all.valid += c.valid;
    all.expiring_soon += c.expiring_soon;
    all.expired += c.expired;
    all.no_expiry += c.no_expiry;
    all.pending_approval += c.pending_approval;
    all.rejected += c.rejected;
    summary.by_type.push_back(std::move(type));
  }
  return summary;
}

}  // namespace bf::sql
