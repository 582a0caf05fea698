// Sign-in, sessions, API tokens and passwords.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "domain/model.h"
#include "service/context.h"
#include "service/throttle.h"

namespace bf {

struct LoginResult {
  User user;
  std::string session_secret;  // the cookie value; only its hash is stored
  Timestamp expires_at;
};

struct CreatedToken {
  ApiToken token;
  std::string secret;  // shown once
};

// Who made a request and how: the session hash is set for cookie sign-ins.
struct Authenticated {
  Actor actor;
  std::string session_hash;
};

class AuthService {
 public:
  AuthService(ServiceContext ctx, ThrottleLimits limits = {})
      : ctx_(WithPasswords(ctx)), throttle_(limits) {}

  // kUnauthenticated for a wrong email, password, organisation or a deactivated user, all alike
  // and taking alike long (one password verification per account the email names, and one when
  // it names none); kTooManyRequests while throttled; kUnavailable "server_busy" when too many
  // passwords are being checked (service/passwords.h). With `org_id` empty, the email may be in
  // one organisation only (among those where the password matches). Holds no transaction
  // while verifying; writes the session in a short write transaction after.
  Result<LoginResult> Login(const std::string& email, const std::string& password,
                            const std::string& org_id, const std::string& address);
  Status Logout(const std::string& session_hash);

  // The actor of a session cookie or bearer token; kUnauthenticated when unknown, expired, or the
  // user is deactivated.
  Result<Authenticated> AuthenticateSession(const std::string& secret);
  Result<Authenticated> AuthenticateToken(const std::string& secret);
  // The store's shared read (Store::ShareReads): a read request authenticates in the same
  // transaction its answer is read in.
  std::unique_ptr<ReadScope> ShareReads() { return ctx_.store.ShareReads(); }

  Result<CreatedToken> CreateToken(const Actor& actor, const std::string& name);
  Result<std::vector<ApiToken>> ListTokens(const Actor& actor);
  Status RevokeToken(const Actor& actor, const std::string& id);

  // Changes the actor's password; ends every other session of the user (the current one,
  // `keep_session_hash`, stays signed in). Verifies and hashes outside any transaction.
  Status ChangePassword(const Actor& actor, const std::string& current, const std::string& next,
                        const std::string& keep_session_hash);

 private:
  // One failed sign-in under each of `keys`, in its own short transaction.
  Status RecordFailure(const std::vector<std::string>& keys);

  ServiceContext ctx_;
  LoginThrottle throttle_;
};

}  // namespace bf
