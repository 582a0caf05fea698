#include "service/auth_service.h"

#include "core/ids.h"
#include "domain/validation.h"
#include "service/activity.h"

namespace bf {
namespace {

auto BadLogin() {
  return Fail(ErrorCode::kUnauthenticated, "invalid_credentials",
              "the email, password or organisation is not right");
}
auto NotSignedIn() { return Fail(ErrorCode::kUnauthenticated, "unauthenticated", "sign in first"); }
constexpr char kTokenPrefix[] = "bf_";

}  // namespace

Result<LoginResult> AuthService::Login(const std::string& email, const std::string& password,
                                       const std::string& org_id, const std::string& address) {
  std::string account = Lower(Trim(email));
  const std::vector<std::string> keys = LoginThrottle::Keys(account, address);
  // 1. May this be tried, and who could this be: a read, no lock held afterwards.
  std::vector<User> candidates;
  {
    BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
    BF_ASSIGN_OR_RETURN(auto failures,
                        uow->CountLoginFailures(keys, throttle_.WindowStart(ctx_.clock.Now())));
    if (!throttle_.Allowed(failures)) {
      return Fail(ErrorCode::kTooManyRequests, "too_many_attempts",
                  "too many failed sign-in attempts; try again in a few minutes");
    }
    if (!org_id.empty()) {
      if (IsUuid(org_id)) {
        BF_ASSIGN_OR_RETURN(auto user, uow->FindUserByEmail(org_id, account));
        if (user) candidates.push_back(std::move(*user));
      }
    } else {
      BF_ASSIGN_OR_RETURN(candidates, uow->FindUsersByEmailInAnyOrg(account));
    }
  }
  // 2. The password, outside any transaction. Exactly one verification per candidate, and one
  // when there is none: an unknown email, a wrong organisation, a deactivated account and one
  // without a password all take as long as a wrong password (an account that may not sign in is
  // checked against a hash nothing matches).
  std::vector<std::string> hashes;
  for (const User& u : candidates) {
    hashes.push_back(u.status == UserStatus::kActive ? u.password_hash : std::string());
  }
  if (hashes.empty()) hashes.emplace_back();
  BF_ASSIGN_OR_RETURN(std::vector<bool> matched, ctx_.passwords->VerifyEach(password, hashes));
  std::vector<User> matches;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (matched[i]) matches.push_back(std::move(candidates[i]));
  }
  if (matches.size() != 1) {
    BF_RETURN_IF_ERROR(RecordFailure(keys));
    if (matches.size() > 1) {
      return Fail(ErrorCode::kConflict, "organization_required",
                  "this email belongs to several organisations: give organization_id");
    }
    return BadLogin();
  }
  // 3. The session, in a short write transaction. The user is read again inside it: one
  // deactivated, or whose password changed, while we were verifying does not sign in.
  User& verified = matches.front();
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_ASSIGN_OR_RETURN(auto current, uow->FindUser(verified.org_id, verified.id));
  if (!current || current->status != UserStatus::kActive ||
      current->password_hash != verified.password_hash) {
    uow.reset();  // the failure is written in a transaction of its own
    BF_RETURN_IF_ERROR(RecordFailure(keys));
    return BadLogin();
  }
  User user = std::move(*current);
  Timestamp now = ctx_.clock.Now();
  LoginResult out;
  out.session_secret = RandomToken();
  out.expires_at = now + ctx_.options.session_ttl;
  BF_RETURN_IF_ERROR(uow->DeleteExpiredSessions(now));
  BF_RETURN_IF_ERROR(uow->InsertSession(
      Session{Sha256Hex(out.session_secret), user.org_id, user.id, now, out.expires_at}));
  Actor actor{user.org_id, user.id, user.name, user.permissions};
  Activity entry = NewActivity(&actor, now, "session.created", "session", user.id);
  entry.subject_user_id = user.id;
  entry.subject_user_name = user.name;
  BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  // A success clears the failures of its account and address pair; the account's and the
  // address's own counts stay (a success does not excuse guessing elsewhere).
  BF_RETURN_IF_ERROR(uow->ClearLoginFailures(keys.front()));
  BF_RETURN_IF_ERROR(uow->Commit());
  out.user = std::move(user);
  return out;
}

Status AuthService::RecordFailure(const std::vector<std::string>& keys) {
  Timestamp now = ctx_.clock.Now();
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_RETURN_IF_ERROR(uow->RecordLoginFailure(keys, now, throttle_.WindowStart(now)));
  return uow->Commit();
}

Status AuthService::Logout(const std::string& session_hash) {
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_RETURN_IF_ERROR(uow->DeleteSession(session_hash));
  return uow->Commit();
}

// One statement reads the token or session with its user (store/sql/auth.cc): a signed-in request
// pays one seek of each table, not two reads of whole rows.
Result<Authenticated> AuthService::AuthenticateSession(const std::string& secret) {
  if (secret.empty() || secret.size() > 128) return NotSignedIn();
  std::string hash = Sha256Hex(secret);
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
  BF_ASSIGN_OR_RETURN(auto actor, uow->ActorForSession(hash, ctx_.clock.Now()));
  if (!actor) return NotSignedIn();
  return Authenticated{std::move(*actor), std::move(hash)};
}

Result<Authenticated> AuthService::AuthenticateToken(const std::string& secret) {
  if (secret.rfind(kTokenPrefix, 0) != 0 || secret.size() > 128) return NotSignedIn();
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
  BF_ASSIGN_OR_RETURN(auto actor, uow->ActorForToken(Sha256Hex(secret)));
  if (!actor) return NotSignedIn();
  return Authenticated{std::move(*actor), ""};
}

Result<CreatedToken> AuthService::CreateToken(const Actor& actor, const std::string& name) {
  BF_RETURN_IF_ERROR(ValidateText("name", name, kMaxNameLength));
  CreatedToken out;
  out.secret = kTokenPrefix + RandomToken();
  out.token = ApiToken{NewId(),    actor.org_id,          actor.user_id,
                       Trim(name), Sha256Hex(out.secret), ctx_.clock.Now()};
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_RETURN_IF_ERROR(uow->InsertToken(out.token));
  Activity entry =
      NewActivity(&actor, out.token.created_at, "token.created", "token", out.token.id);
  entry.subject_user_id = actor.user_id;
  entry.subject_user_name = actor.name;
  AddChange(entry, "name", std::nullopt, out.token.name);
  BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  BF_RETURN_IF_ERROR(uow->Commit());
  return out;
}

Result<std::vector<ApiToken>> AuthService::ListTokens(const Actor& actor) {
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
  return uow->ListTokens(actor.user_id);
}

Status AuthService::RevokeToken(const Actor& actor, const std::string& id) {
  if (!IsUuid(id)) return NotFound("token");
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_ASSIGN_OR_RETURN(bool deleted, uow->DeleteToken(actor.user_id, id));
  if (!deleted) return NotFound("token");
  Activity entry = NewActivity(&actor, ctx_.clock.Now(), "token.revoked", "token", id);
  entry.subject_user_id = actor.user_id;
  entry.subject_user_name = actor.name;
  BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  return uow->Commit();
}

Status AuthService::ChangePassword(const Actor& actor, const std::string& current,
                                   const std::string& next, const std::string& keep_session_hash) {
  // Read, verify and hash outside any transaction (service/passwords.h), then write only if the
  // stored hash is still the one verified: a concurrent change makes this one fail as a wrong
  // current password would.
  User user;
  {
    BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
    BF_ASSIGN_OR_RETURN(auto found, uow->FindUser(actor.org_id, actor.user_id));
    if (!found) return NotSignedIn();
    user = std::move(*found);
  }
  BF_RETURN_IF_ERROR(ValidatePassword("new_password", next, user.email));
  auto wrong = [] {
    return FailField("current_password", "wrong_password", "the current password is not right");
  };
  BF_ASSIGN_OR_RETURN(bool right, ctx_.passwords->Verify(current, user.password_hash));
  if (!right) return wrong();
  BF_ASSIGN_OR_RETURN(std::string next_hash, ctx_.passwords->Hash(next));
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_ASSIGN_OR_RETURN(auto found, uow->FindUser(actor.org_id, actor.user_id));
  if (!found) return NotSignedIn();
  if (found->password_hash != user.password_hash) return wrong();
  user = std::move(*found);
  user.password_hash = std::move(next_hash);
  user.updated_at = ctx_.clock.Now();
  BF_RETURN_IF_ERROR(uow->UpdateUser(user));
  BF_RETURN_IF_ERROR(uow->DeleteSessionsOfUser(user.id));
  if (!keep_session_hash.empty()) {
    BF_RETURN_IF_ERROR(
        uow->InsertSession(Session{keep_session_hash, user.org_id, user.id, user.updated_at,
                                   user.updated_at + ctx_.options.session_ttl}));
  }
  Activity entry = NewActivity(&actor, user.updated_at, "user.updated", "user", user.id);
  entry.subject_user_id = user.id;
  entry.subject_user_name = user.name;
  AddChange(entry, "password", std::nullopt, std::string("changed"));
  BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  return uow->Commit();
}

}  // namespace bf
