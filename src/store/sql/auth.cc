// Sign-in: browser sessions and API tokens. Both are looked up by the SHA-256 of their secret.
#include <string>

#include "store/sql/unit_of_work.h"

namespace bf::sql {
namespace {

constexpr char kInsertSession[] =
    "INSERT INTO sessions (id_hash, org_id, user_id, created_at, expires_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";

constexpr char kFindSession[] =
    "SELECT id_hash, org_id, user_id, created_at, expires_at FROM sessions WHERE id_hash = ?1";

constexpr char kDeleteSession[] = "DELETE FROM sessions WHERE id_hash = ?1";

constexpr char kDeleteSessionsOfUser[] = "DELETE FROM sessions WHERE user_id = ?1";

// A session is over at its expiry instant.
constexpr char kDeleteExpiredSessions[] = "DELETE FROM sessions WHERE expires_at <= ?1";

constexpr char kInsertToken[] =
    "INSERT INTO api_tokens (id, org_id, user_id, name, token_hash, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

constexpr char kFindTokenByHash[] =
    "SELECT id, org_id, user_id, name, token_hash, created_at FROM api_tokens"
    " WHERE token_hash = ?1";

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

// Columns as selected by kFindSession.
Session SessionFromRow(const Stmt& row) {
  Session session;
  session.id_hash = row.Text(0);
  session.org_id = row.Text(1);
  session.user_id = row.Text(2);
  session.created_at = FromMillis(row.Int(3));
  session.expires_at = FromMillis(row.Int(4));
  return session;
}

// Columns as selected by kFindTokenByHash and kListTokens.
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

Result<std::optional<Session>> SqlUnitOfWork::FindSession(const std::string& id_hash) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kFindSession));
  stmt.Bind(1, id_hash);
  BF_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::nullopt;
  return SessionFromRow(stmt);
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

Result<std::optional<ApiToken>> SqlUnitOfWork::FindTokenByHash(const std::string& token_hash) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kFindTokenByHash));
  stmt.Bind(1, token_hash);
  BF_ASSIGN_OR_RETURN(bool found, stmt.Step());
  if (!found) return std::nullopt;
  return TokenFromRow(stmt);
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
Result<std::vector<int64_t>> SqlUnitOfWork::CountLoginFailures(
    const std::vector<std::string>& keys, Timestamp since) {
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
