// Notification settings, reminder claims and the email outbox. A claim is a row whose primary
// key is what must happen once; inserting it with ON CONFLICT DO NOTHING tells whether this
// transaction got it.
#include <charconv>
#include <string>
#include <string_view>

#include "store/sql/reminder_queries.h"
#include "store/sql/sql_util.h"
#include "store/sql/unit_of_work.h"

namespace bf::sql {

// A range of credentials_by_expiry (org_id, archived, expiry_date, id); every join is a
// primary-key lookup. ?4/?5: the keyset (expiry, id) to start after. Where parameters are typed
// (Dialect::typed_parameters) NULL starts the first page; elsewhere '' and '' do (every date
// sorts after ''), which keeps the keyset a plain range of the index.
#define BF_REMINDER_CANDIDATES(INDEX, KEYSET)                                                      \
  "SELECT c.id, c.org_id, c.user_id, u.name, u.email, c.type_id, t.name, t.reminder_days,"         \
  " c.version, c.expiry_date, c.credential_number, v.created_at"                                   \
  " FROM credentials c" INDEX                                                                      \
  " JOIN users u ON u.id = c.user_id"                                                              \
  " JOIN credential_types t ON t.id = c.type_id"                                                   \
  " JOIN credential_versions v ON v.credential_id = c.id AND v.version = c.version"                \
  " WHERE c.org_id = ?1 AND c.archived = 0 AND c.expiry_date >= ?2 AND c.expiry_date <= ?3" KEYSET \
  " AND u.status = 'active'"                                                                       \
  " ORDER BY c.expiry_date, c.id LIMIT ?6"
const char kListReminderCandidates[] = BF_REMINDER_CANDIDATES(
    " INDEXED BY credentials_by_expiry", " AND (c.expiry_date, c.id) > (?4, ?5)");
constexpr char kListReminderCandidatesTyped[] = BF_REMINDER_CANDIDATES(
    "", " AND (?4::date IS NULL OR (c.expiry_date, c.id) > (?4::date, ?5::text))");
#undef BF_REMINDER_CANDIDATES

// The primary key's prefix: one credential's claims.
const char kListReminderClaims[] =
    "SELECT version, lead_days, outcome, local_date FROM reminder_claims"
    " WHERE credential_id = ?1 AND channel = ?2";

// Due emails, oldest due first: pending ones by next_attempt_at, and leases that ran out (a
// sender that died or hung mid-message: the email is tried again) by lease_until. Each is a
// partial index. Where the dialect names indexes, the two are read one by one (kLeaseEmail);
// PostgreSQL reads them together as a BitmapOr (kLeaseEmailSkipLocked).
#define BF_NEXT_PENDING_EMAIL                                                \
  "SELECT seq, next_attempt_at AS due FROM outbox INDEXED BY outbox_pending" \
  " WHERE status = 'pending' AND next_attempt_at <= ?1 ORDER BY next_attempt_at, seq LIMIT 1"
#define BF_NEXT_EXPIRED_LEASE                                           \
  "SELECT seq, lease_until AS due FROM outbox INDEXED BY outbox_leased" \
  " WHERE status = 'sending' AND lease_until <= ?1 ORDER BY lease_until, seq LIMIT 1"
#define BF_DUE_EMAIL \
  "((status = 'pending' AND next_attempt_at <= ?1) OR (status = 'sending' AND lease_until <= ?1))"
const char kNextPendingEmail[] = BF_NEXT_PENDING_EMAIL;
const char kNextExpiredLease[] = BF_NEXT_EXPIRED_LEASE;

// Reads the partial index notification_settings_digest.
const char kListDigestSubscribers[] =
    "SELECT user_id FROM notification_settings WHERE org_id = ?1 AND manager_digest = 1"
    " ORDER BY user_id";

// Reads notification_settings_by_org_days (org_id, days_before) only.
const char kListChosenLeadTimes[] =
    "SELECT DISTINCT days_before FROM notification_settings WHERE org_id = ?1";

namespace {

constexpr char kListOrganizationIds[] = "SELECT id FROM organizations ORDER BY created_at, id";

constexpr char kFindNotificationSettings[] =
    "SELECT user_id, org_id, email, in_app, expiry_reminders, days_before, on_expiry,"
    " manager_digest, updated_at"
    " FROM notification_settings WHERE org_id = ?1 AND user_id = ?2";

constexpr char kSaveNotificationSettings[] =
    "INSERT INTO notification_settings (user_id, org_id, email, in_app, expiry_reminders,"
    " days_before, on_expiry, manager_digest, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    " ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, in_app = excluded.in_app,"
    " expiry_reminders = excluded.expiry_reminders, days_before = excluded.days_before,"
    " on_expiry = excluded.on_expiry, manager_digest = excluded.manager_digest,"
    " updated_at = excluded.updated_at";

constexpr char kClaimReminder[] =
    "INSERT INTO reminder_claims (credential_id, version, lead_days, channel, org_id, user_id,"
    " kind, outcome, local_date, claimed_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT DO NOTHING";

constexpr char kClaimDigest[] =
    "INSERT INTO digest_claims (user_id, local_date, channel, org_id, claimed_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING";

constexpr char kEnqueueEmail[] =
    "INSERT INTO outbox (id, dedupe_key, org_id, user_id, kind, recipient, subject, text_body,"
    " html_body, status, attempts, next_attempt_at, created_at, credential_id)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'pending', 0, ?10, ?11, ?12)"
    " ON CONFLICT (dedupe_key) DO NOTHING";

#define BF_OUTBOX_COLUMNS                                                                    \
  "id, dedupe_key, org_id, user_id, kind, recipient, subject, text_body, html_body, status," \
  " attempts, next_attempt_at, lease_until, last_error, created_at, sent_at, credential_id"

// The claim is one statement: the older of the two candidates is chosen and leased together,
// and the outer WHERE checks again that it is still due, so a second sender can never take an
// email the first one holds.
constexpr char kLeaseEmail[] =
    "UPDATE outbox SET status = 'sending', lease_until = ?2, attempts = attempts + 1"
    " WHERE seq = (SELECT seq FROM (SELECT * FROM (" BF_NEXT_PENDING_EMAIL
    ")"
    " UNION ALL SELECT * FROM (" BF_NEXT_EXPIRED_LEASE
    ")) ORDER BY due, seq LIMIT 1)"
    " AND " BF_DUE_EMAIL " RETURNING " BF_OUTBOX_COLUMNS;

// Where write units run beside each other (Dialect::locks_rows), FOR UPDATE SKIP LOCKED: a
// sender passes over the email another sender is leasing this moment and takes the next; the
// outer WHERE is checked again on the locked row, so an email leased meanwhile is never taken
// twice.
constexpr char kLeaseEmailSkipLocked[] =
    "UPDATE outbox SET status = 'sending', lease_until = ?2, attempts = attempts + 1"
    " WHERE seq = (SELECT seq FROM outbox WHERE " BF_DUE_EMAIL
    " ORDER BY CASE status WHEN 'pending' THEN next_attempt_at ELSE lease_until END, seq"
    " LIMIT 1 FOR UPDATE SKIP LOCKED)"
    " AND " BF_DUE_EMAIL " RETURNING " BF_OUTBOX_COLUMNS;

#undef BF_NEXT_PENDING_EMAIL
#undef BF_NEXT_EXPIRED_LEASE
#undef BF_DUE_EMAIL

constexpr char kFinishEmail[] =
    "UPDATE outbox SET status = ?2, attempts = ?3, next_attempt_at = ?4, lease_until = NULL,"
    " last_error = ?5, sent_at = ?6 WHERE id = ?1";

constexpr char kFindEmail[] = "SELECT " BF_OUTBOX_COLUMNS " FROM outbox WHERE dedupe_key = ?1";

#undef BF_OUTBOX_COLUMNS

constexpr char kCountOutbox[] = "SELECT status, COUNT(*) FROM outbox GROUP BY status";

// Lead times are stored as "30,7,1".
std::string JoinDays(const std::vector<int>& days) {
  std::string out;
  for (int d : days) {
    if (!out.empty()) out.push_back(',');
    out += std::to_string(d);
  }
  return out;
}

Result<std::vector<int>> SplitDays(std::string_view text, std::string_view what) {
  std::vector<int> days;
  while (!text.empty()) {
    auto comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    int day = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), day);
    if (ec != std::errc() || end != item.data() + item.size()) {
      return Internal(std::string(what) + " has malformed lead times: " + std::string(text));
    }
    days.push_back(day);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
  }
  return days;
}

Result<Date> DateColumn(const Stmt& row, int col, std::string_view what) {
  std::string text = row.Text(col);
  auto d = ParseIsoDate(text);
  if (!d) return Internal(std::string(what) + " has a malformed date: '" + text + "'");
  return *d;
}

Result<OutboxStatus> ParseOutboxStatus(const std::string& text) {
  for (auto s : {OutboxStatus::kPending, OutboxStatus::kSending, OutboxStatus::kSent,
                 OutboxStatus::kFailed}) {
    if (OutboxStatusName(s) == text) return s;
  }
  return Internal("outbox row has unknown status " + text);
}

// Columns as listed by BF_OUTBOX_COLUMNS.
Result<OutboxEmail> EmailFromRow(const Stmt& row) {
  OutboxEmail e;
  e.id = row.Text(0);
  e.dedupe_key = row.Text(1);
  e.org_id = row.Text(2);
  e.user_id = row.Text(3);
  e.kind = row.Text(4);
  e.recipient = row.Text(5);
  e.subject = row.Text(6);
  e.text_body = row.Text(7);
  e.html_body = row.Text(8);
  BF_ASSIGN_OR_RETURN(e.status, ParseOutboxStatus(row.Text(9)));
  e.attempts = static_cast<int>(row.Int(10));
  e.next_attempt_at = FromMillis(row.Int(11));
  if (auto at = row.OptInt(12)) e.lease_until = FromMillis(*at);
  e.last_error = row.Text(13);
  e.created_at = FromMillis(row.Int(14));
  if (auto at = row.OptInt(15)) e.sent_at = FromMillis(*at);
  e.credential_id = row.Text(16);
  return e;
}

}  // namespace

Result<std::vector<Organization>> SqlUnitOfWork::ListOrganizations() {
  std::vector<std::string> ids;
  {
    BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kListOrganizationIds));
    for (;;) {
      BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      ids.push_back(stmt.Text(0));
    }
  }
  std::vector<Organization> out;
  for (const std::string& id : ids) {
    BF_ASSIGN_OR_RETURN(auto org, FindOrganization(id));
    if (org) out.push_back(std::move(*org));
  }
  return out;
}

Result<std::optional<NotificationSettings>> SqlUnitOfWork::FindNotificationSettings(
    const std::string& org_id, const std::string& user_id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kFindNotificationSettings));
  stmt.Bind(1, org_id).Bind(2, user_id);
  BF_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::nullopt;
  NotificationSettings s;
  s.user_id = stmt.Text(0);
  s.org_id = stmt.Text(1);
  s.email = stmt.Int(2) != 0;
  s.in_app = stmt.Int(3) != 0;
  s.expiry_reminders = stmt.Int(4) != 0;
  BF_ASSIGN_OR_RETURN(s.days_before,
                      SplitDays(stmt.Text(5), "notification settings of " + s.user_id));
  s.on_expiry = stmt.Int(6) != 0;
  s.manager_digest = stmt.Int(7) != 0;
  s.updated_at = FromMillis(stmt.Int(8));
  return s;
}

Status SqlUnitOfWork::SaveNotificationSettings(const NotificationSettings& s) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kSaveNotificationSettings));
  stmt.Bind(1, s.user_id)
      .Bind(2, s.org_id)
      .Bind(3, s.email)
      .Bind(4, s.in_app)
      .Bind(5, s.expiry_reminders)
      .Bind(6, JoinDays(s.days_before))
      .Bind(7, s.on_expiry)
      .Bind(8, s.manager_digest)
      .Bind(9, ToMillis(s.updated_at));
  return stmt.Run();
}

Result<std::vector<std::vector<int>>> SqlUnitOfWork::ListChosenLeadTimes(
    const std::string& org_id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kListChosenLeadTimes));
  stmt.Bind(1, org_id);
  std::vector<std::vector<int>> out;
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    BF_ASSIGN_OR_RETURN(auto days, SplitDays(stmt.Text(0), "notification settings"));
    out.push_back(std::move(days));
  }
  return out;
}

Result<std::vector<std::string>> SqlUnitOfWork::ListDigestSubscribers(const std::string& org_id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kListDigestSubscribers));
  stmt.Bind(1, org_id);
  std::vector<std::string> out;
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(stmt.Text(0));
  }
  return out;
}

Result<std::vector<ReminderCandidate>> SqlUnitOfWork::ListReminderCandidates(
    const std::string& org_id, Date from, Date to,
    const std::optional<std::pair<Date, std::string>>& after, int limit) {
  const std::optional<std::string> first_page =
      dialect_.typed_parameters ? std::nullopt : std::optional<std::string>("");
  BF_ASSIGN_OR_RETURN(auto stmt,
                      conn_->Prepare(dialect_.typed_parameters ? kListReminderCandidatesTyped
                                                               : kListReminderCandidates));
  stmt.Bind(1, org_id)
      .Bind(2, FormatIsoDate(from))
      .Bind(3, FormatIsoDate(to))
      .Bind(4, after ? std::optional<std::string>(FormatIsoDate(after->first)) : first_page)
      .Bind(5, after ? std::optional<std::string>(after->second) : first_page)
      .Bind(6, limit);
  std::vector<ReminderCandidate> out;
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    ReminderCandidate c;
    c.credential_id = stmt.Text(0);
    c.org_id = stmt.Text(1);
    c.user_id = stmt.Text(2);
    c.user_name = stmt.Text(3);
    c.user_email = stmt.Text(4);
    c.type_id = stmt.Text(5);
    c.type_name = stmt.Text(6);
    if (auto days = stmt.OptText(7)) {
      BF_ASSIGN_OR_RETURN(c.type_reminder_days, SplitDays(*days, "credential type " + c.type_id));
    }
    c.version = static_cast<int>(stmt.Int(8));
    BF_ASSIGN_OR_RETURN(c.expiry, DateColumn(stmt, 9, "credential " + c.credential_id));
    c.credential_number = stmt.Text(10);
    c.version_created_at = FromMillis(stmt.Int(11));
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<ClaimedReminder>> SqlUnitOfWork::ListReminderClaims(
    const std::string& credential_id, Channel channel) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kListReminderClaims));
  stmt.Bind(1, credential_id).Bind(2, ChannelName(channel));
  std::vector<ClaimedReminder> out;
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    ClaimedReminder c;
    c.version = static_cast<int>(stmt.Int(0));
    c.lead_days = static_cast<int>(stmt.Int(1));
    c.sent = stmt.Text(2) == "sent";
    BF_ASSIGN_OR_RETURN(c.local_date, DateColumn(stmt, 3, "reminder claim of " + credential_id));
    out.push_back(c);
  }
  return out;
}

Result<bool> SqlUnitOfWork::ClaimReminder(const ReminderClaim& claim) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kClaimReminder));
  stmt.Bind(1, claim.credential_id)
      .Bind(2, claim.version)
      .Bind(3, claim.lead_days)
      .Bind(4, ChannelName(claim.channel))
      .Bind(5, claim.org_id)
      .Bind(6, claim.user_id)
      .Bind(7, ReminderKind(claim.lead_days))
      .Bind(8, claim.sent ? "sent" : "superseded")
      .Bind(9, FormatIsoDate(claim.local_date))
      .Bind(10, ToMillis(claim.claimed_at));
  BF_RETURN_IF_ERROR(stmt.Run());
  return stmt.Changes() > 0;
}

Result<bool> SqlUnitOfWork::ClaimDigest(const std::string& org_id, const std::string& user_id,
                                        Date local_date, Channel channel, Timestamp at) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kClaimDigest));
  stmt.Bind(1, user_id)
      .Bind(2, FormatIsoDate(local_date))
      .Bind(3, ChannelName(channel))
      .Bind(4, org_id)
      .Bind(5, ToMillis(at));
  BF_RETURN_IF_ERROR(stmt.Run());
  return stmt.Changes() > 0;
}

Result<bool> SqlUnitOfWork::EnqueueEmail(const OutboxEmail& e) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kEnqueueEmail));
  stmt.Bind(1, e.id)
      .Bind(2, e.dedupe_key)
      .Bind(3, e.org_id)
      .BindOrNull(4, e.user_id)
      .Bind(5, e.kind)
      .Bind(6, e.recipient)
      .Bind(7, e.subject)
      .Bind(8, e.text_body)
      .Bind(9, e.html_body)
      .Bind(10, ToMillis(e.next_attempt_at))
      .Bind(11, ToMillis(e.created_at))
      .BindOrNull(12, e.credential_id);
  BF_RETURN_IF_ERROR(stmt.Run());
  return stmt.Changes() > 0;
}

Result<std::optional<OutboxEmail>> SqlUnitOfWork::LeaseEmail(Timestamp now, Timestamp lease_until) {
  BF_ASSIGN_OR_RETURN(auto stmt,
                      conn_->Prepare(dialect_.locks_rows ? kLeaseEmailSkipLocked : kLeaseEmail));
  stmt.Bind(1, ToMillis(now)).Bind(2, ToMillis(lease_until));
  BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::nullopt;
  BF_ASSIGN_OR_RETURN(OutboxEmail email, EmailFromRow(stmt));
  // RETURNING rows are all produced before the first is read; finish the statement.
  BF_ASSIGN_OR_RETURN(bool more, stmt.Step());
  (void)more;
  return email;
}

Status SqlUnitOfWork::FinishEmail(const OutboxEmail& e) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kFinishEmail));
  stmt.Bind(1, e.id)
      .Bind(2, OutboxStatusName(e.status))
      .Bind(3, e.attempts)
      .Bind(4, ToMillis(e.next_attempt_at))
      .BindOrNull(5, e.last_error)
      .Bind(6, OptMillis(e.sent_at));
  BF_RETURN_IF_ERROR(stmt.Run());
  return TouchedOne(stmt, "outbox email");
}

Result<std::optional<OutboxEmail>> SqlUnitOfWork::FindEmail(const std::string& dedupe_key) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kFindEmail));
  stmt.Bind(1, dedupe_key);
  BF_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::nullopt;
  BF_ASSIGN_OR_RETURN(OutboxEmail email, EmailFromRow(stmt));
  return email;
}

Result<OutboxCounts> SqlUnitOfWork::CountOutbox() {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kCountOutbox));
  OutboxCounts counts;
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    std::string status = stmt.Text(0);
    int64_t n = stmt.Int(1);
    if (status == "pending")
      counts.pending = n;
    else if (status == "sending")
      counts.sending = n;
    else if (status == "sent")
      counts.sent = n;
    else if (status == "failed")
      counts.failed = n;
  }
  return counts;
}

}  // namespace bf::sql
