// Sign-in: browser sessions and API tokens. Both are looked up by the SHA-256 of their secret.
#include <string>

#include "store/sql/sql_util.h"
#include "store/sql/unit_of_work.h"

namespace bf::sql {
namespace {

constexpr char kInsertSession[] =
    "INSERT INTO sessions (id_hash, org_id, user_id, created_at, expires_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";

// The signed-in actor with its session or token, and its organisation with the organisation's
// credential revision, in one statement (a seek of each table): every signed-in request runs
// one of these two before anything else, and nearly every one then needs the organisation
// (Connection::RememberActorsOrganization).
#define BF_SELECT_ACTOR                                                     \
  "SELECT u.org_id, u.id, u.name, p.permissions, " BF_ORGANIZATION_COLUMNS( \
      "o.") ", " BF_CREDENTIAL_REVISION_OF("o.id") " FROM "
#define BF_JOIN_ACTIVE_USER                                   \
  " JOIN users u ON u.id = a.user_id AND u.org_id = a.org_id" \
  " JOIN permission_sets p ON p.id = u.permission_set_id"     \
  " JOIN organizations o ON o.id = u.org_id"
constexpr char kActorForSession[] =
    BF_SELECT_ACTOR "sessions a" BF_JOIN_ACTIVE_USER
                    " WHERE a.id_hash = ?1 AND a.expires_at > ?2 AND u.status = 'active'";
constexpr char kActorForToken[] = BF_SELECT_ACTOR
    "api_tokens a" BF_JOIN_ACTIVE_USER " WHERE a.token_hash = ?1 AND u.status = 'active'";
#undef BF_JOIN_ACTIVE_USER
#undef BF_SELECT_ACTOR

constexpr char kDeleteSession[] = "DELETE FROM sessions WHERE id_hash = ?1";

constexpr char kDeleteSessionsOfUser[] = "DELETE FROM sessions WHERE user_id = ?1";

// A session is over at its expiry instant.
constexpr char kDeleteExpiredSessions[] = "DELETE FROM sessions WHERE expires_at <= ?1";

constexpr char kInsertToken[] =
    "INSERT INTO api_tokens (id, org_id, user_id, name, token_hash, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

constexpr char kListTokens[] =
    "SELECT id, org_id, user_id, name, token_hash, created_at FROM api_tokens"
    " WHERE user_id = ?1 ORDER BY created_at, id";

constexpr char kDeleteToken[] = "DELETE FROM api_tokens WHERE user_id = ?1 AND id = ?2";

constexpr char kDeleteTokensOfUser[] = "DELETE FROM api_tokens WHERE user_id = ?1";

constexpr char kCountLoginFailures[] =
    "SELECT count(*) FROM login_failures WHERE key_hash = ?1 AND failed_at >= ?2";

constexpr char kInsertLoginFailure[] =
    "INSERT INTO login_failures (key_hash, failed_at) VALUES (?1, ?2)";

constexpr char kForgetLoginFailures[] = "DELETE FROM login_failures WHERE failed_at < ?1";

constexpr char kClearLoginFailures[] = "DELETE FROM login_failures WHERE key_hash = ?1";

// Columns as selected by kActorForSession and kActorForToken; their organisation goes to `conn`.
Result<std::optional<Actor>> ActorFromStep(Stmt& stmt, Connection& conn) {
  BF_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::nullopt;
  BF_ASSIGN_OR_RETURN(Organization org, OrganizationFromRow(stmt, 4));
  conn.RememberActorsOrganization({std::move(org), stmt.Int(4 + kOrganizationColumns)});
  return Actor{stmt.Text(0), stmt.Text(1), stmt.Text(2),
               Permissions(static_cast<uint32_t>(stmt.Int(3)))};
}

// Columns as selected by kListTokens.
ApiToken TokenFromRow(const Stmt& row) {
  ApiToken token;
  token.id = row.Text(0);
  token.org_id = row.Text(1);
  token.user_id = row.Text(2);
  token.name = row.Text(3);
  token.token_hash = row.Text(4);
  token.created_at = FromMillis(row.Int(5));
  return token;
}

}  // namespace

Status SqlUnitOfWork::InsertSession(const Session& session) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kInsertSession));
  stmt.Bind(1, session.id_hash)
      .Bind(2, session.org_id)
      .Bind(3, session.user_id)
      .Bind(4, ToMillis(session.created_at))
      .Bind(5, ToMillis(session.expires_at));
  return stmt.Run();
}

Result<std::optional<Actor>> SqlUnitOfWork::ActorForSession(const std::string& id_hash,
                                                            Timestamp now) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kActorForSession));
  stmt.Bind(1, id_hash).Bind(2, ToMillis(now));
  return ActorFromStep(stmt, *conn_);
}

Status SqlUnitOfWork::DeleteSession(const std::string& id_hash) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kDeleteSession));
  stmt.Bind(1, id_hash);
  return stmt.Run();
}

Status SqlUnitOfWork::DeleteSessionsOfUser(const std::string& user_id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kDeleteSessionsOfUser));
  stmt.Bind(1, user_id);
  return stmt.Run();
}

Status SqlUnitOfWork::DeleteExpiredSessions(Timestamp now) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kDeleteExpiredSessions));
  stmt.Bind(1, ToMillis(now));
  return stmt.Run();
}

Status SqlUnitOfWork::InsertToken(const ApiToken& token) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kInsertToken));
  stmt.Bind(1, token.id)
      .Bind(2, token.org_id)
      .Bind(3, token.user_id)
      .Bind(4, token.name)
      .Bind(5, token.token_hash)
      .Bind(6, ToMillis(token.created_at));
  return stmt.Run();
}

Result<std::optional<Actor>> SqlUnitOfWork::ActorForToken(const std::string& token_hash) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kActorForToken));
  stmt.Bind(1, token_hash);
  return ActorFromStep(stmt, *conn_);
}

Result<std::vector<ApiToken>> SqlUnitOfWork::ListTokens(const std::string& user_id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kListTokens));
  stmt.Bind(1, user_id);
  std::vector<ApiToken> tokens;
  for (;;) {
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    tokens.push_back(TokenFromRow(stmt));
  }
  return tokens;
}

Result<bool> SqlUnitOfWork::DeleteToken(const std::string& user_id, const std::string& id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kDeleteToken));
  stmt.Bind(1, user_id).Bind(2, id);
  BF_RETURN_IF_ERROR(stmt.Run());
  return stmt.Changes() > 0;
}

Status SqlUnitOfWork::DeleteTokensOfUser(const std::string& user_id) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kDeleteTokensOfUser));
  stmt.Bind(1, user_id);
  return stmt.Run();
}

// One indexed count a key (three keys a sign-in): cheaper than a GROUP BY over an IN list, and
// the statement is prepared once.
Result<std::vector<int64_t>> SqlUnitOfWork::CountLoginFailures(const std::vector<std::string>& keys,
                                                               Timestamp since) {
  std::vector<int64_t> counts;
  for (const std::string& key : keys) {
    BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kCountLoginFailures));
    stmt.Bind(1, key).Bind(2, ToMillis(since));
    BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
    counts.push_back(row ? stmt.Int(0) : 0);
  }
  return counts;
}

Status SqlUnitOfWork::RecordLoginFailure(const std::vector<std::string>& keys, Timestamp at,
                                         Timestamp forget_before) {
  {
    BF_ASSIGN_OR_RETURN(auto forget, conn_->Prepare(kForgetLoginFailures));
    forget.Bind(1, ToMillis(forget_before));
    BF_RETURN_IF_ERROR(forget.Run());
  }
  for (const std::string& key : keys) {
    BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kInsertLoginFailure));
    stmt.Bind(1, key).Bind(2, ToMillis(at));
    BF_RETURN_IF_ERROR(stmt.Run());
  }
  return Ok();
}

Status SqlUnitOfWork::ClearLoginFailures(const std::string& key) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kClearLoginFailures));
  stmt.Bind(1, key);
  return stmt.Run();
}

}  // namespace bf::sql
