// Sign-in hardening over real sockets (issue #12): the password is verified outside any
// transaction and off the I/O threads, with a bounded number at once (503 server_busy beyond);
// every failed sign-in costs exactly one verification, whatever was wrong; sign-in is throttled
// per account and address pair with higher ceilings per account and per address; common
// passwords and the email as password are refused.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>

#include "core/ids.h"
#include "support/test_server.h"

namespace bf::testing {
namespace {

using namespace std::chrono_literals;

class LoginApiTest : public ::testing::Test {
 protected:
  PasswordHasher& hasher() { return *server_.services().ctx.passwords; }

  HttpResult SignIn(const std::string& email, const std::string& password,
                    const std::string& org_id = "") {
    boost::json::object body{{"email", email}, {"password", password}};
    if (!org_id.empty()) body["organization_id"] = org_id;
    return server_.client().Send("POST", "/api/v1/auth/login", boost::json::serialize(body));
  }

  TestServer server_;
};

// Counts verifications, and can hold each one until released.
class VerifyProbe {
 public:
  explicit VerifyProbe(bool hold) : hold_(hold), released_(release_.get_future().share()) {}

  PasswordHasher::VerifyFunction Function() {
    return [this](std::string_view password, const std::string& hash) {
      ++calls_;
      {
        std::lock_guard lock(mu_);
        ++entered_;
      }
      entered_cv_.notify_all();
      if (hold_) released_.wait();
      return VerifyPassword(password, hash);
    };
  }
  // Waits (bounded) until `n` verifications have started.
  bool WaitEntered(int n) {
    std::unique_lock lock(mu_);
    return entered_cv_.wait_for(lock, 10s, [&] { return entered_ >= n; });
  }
  void Release() { release_.set_value(); }
  int calls() const { return calls_; }

 private:
  bool hold_;
  std::promise<void> release_;
  std::shared_future<void> released_;
  std::atomic<int> calls_{0};
  std::mutex mu_;
  std::condition_variable entered_cv_;
  int entered_ = 0;
};

// Issue #12 item 6: deactivated and password-less accounts answered in 0.3 ms, a wrong password
// in ~330 ms. Now every path runs the verification exactly once, so they take alike long.
// An email in two organisations: without organization_id the right password is a 409
// organization_required (documented), with it the sign-in works.
TEST_F(LoginApiTest, AnEmailOfTwoOrganisationsNeedsTheOrganisation) {
  boost::json::object user{
      {"email", "alice@a.example"},
      {"name", "Alice Elsewhere"},
      {"permission_set_id", server_.PermissionSetId(server_.org_b(), "standard")},
      {"password", TestServer::kPassword}};
  ASSERT_EQ(
      server_.Call("other_admin", "POST", "/api/v1/users", boost::json::serialize(user)).status,
      201);
  auto res = SignIn("alice@a.example", TestServer::kPassword);
  EXPECT_EQ(res.status, 409) << res.body;
  EXPECT_EQ(res.Code(), "organization_required");
  EXPECT_EQ(SignIn("alice@a.example", TestServer::kPassword, server_.org_a()).status, 200);
  res = SignIn("alice@a.example", TestServer::kPassword, server_.org_b());
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.Json().at("user").at("name"), "Alice Elsewhere");
}

TEST_F(LoginApiTest, EveryFailedSignInRunsExactlyOneVerification) {
  // A user without a password, and a deactivated one.
  auto created =
      server_.Call("admin", "POST", "/api/v1/users",
                   R"({"email":"nopass@a.example","name":"No Password","permission_set_id":")" +
                       server_.PermissionSetId(server_.org_a(), "standard") + "\"}");
  ASSERT_EQ(created.status, 201) << created.body;
  ASSERT_EQ(server_
                .Call("admin", "PATCH", "/api/v1/users/" + server_.person("bob").user.id,
                      R"({"status":"deactivated"})")
                .status,
            200);
  VerifyProbe probe(/*hold=*/false);
  hasher().SetVerifyForTesting(probe.Function());
  struct Case {
    std::string what, email, password, org_id;
    int status;
  } cases[] = {
      {"unknown email", "ghost@a.example", TestServer::kPassword, "", 401},
      {"deactivated user, right password", "bob@a.example", TestServer::kPassword, "", 401},
      {"user without a password", "nopass@a.example", TestServer::kPassword, "", 401},
      {"wrong organisation", "alice@a.example", TestServer::kPassword, server_.org_b(), 401},
      {"organisation id that is no id", "alice@a.example", TestServer::kPassword, "org-a", 401},
      {"unknown organisation", "alice@a.example", TestServer::kPassword, NewId(), 401},
      {"wrong password", "alice@a.example", "not the password", "", 401},
      {"right password", "alice@a.example", TestServer::kPassword, "", 200},
      {"right password and organisation", "alice@a.example", TestServer::kPassword, server_.org_a(),
       200},
  };
  for (const Case& c : cases) {
    int before = probe.calls();
    auto res = SignIn(c.email, c.password, c.org_id);
    EXPECT_EQ(res.status, c.status) << c.what << ": " << res.body;
    if (c.status == 401) {
      EXPECT_EQ(res.Code(), "invalid_credentials") << c.what;
    }
    EXPECT_EQ(probe.calls() - before, 1) << c.what;
  }
}

// Issue #12 item 5: sign-in held the write lock while hashing, so one client signing in moved
// every writer's p50 from 1 ms to 253 ms. Now, while a verification is in progress, a writer
// completes at once, and the I/O threads stay free.
TEST_F(LoginApiTest, NoTransactionIsHeldWhileThePasswordIsVerified) {
  VerifyProbe probe(/*hold=*/true);
  hasher().SetVerifyForTesting(probe.Function());
  auto login = std::async(std::launch::async,
                          [&] { return SignIn("alice@a.example", TestServer::kPassword); });
  ASSERT_TRUE(probe.WaitEntered(1));

  // A write of another user (the store's write lock) and a plain read both answer promptly.
  auto started = std::chrono::steady_clock::now();
  auto write = server_.Call("manager", "PATCH", "/api/v1/users/" + server_.person("bob").user.id,
                            R"({"name":"Bob Written While Alice Signs In"})");
  auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(write.status, 200) << write.body;
  EXPECT_LT(elapsed, 2s) << "the writer waited for the sign-in";
  EXPECT_EQ(server_.client().Send("GET", "/healthz").status, 200);

  probe.Release();
  auto res = login.get();
  EXPECT_EQ(res.status, 200) << res.body;
  EXPECT_FALSE(res.Header("set-cookie").empty());
}

TEST_F(LoginApiTest, BeyondTheHashingSlotsSignInAnswers503WithRetryAfter) {
  VerifyProbe probe(/*hold=*/true);
  hasher().SetVerifyForTesting(probe.Function());
  // Default: two verifications at once. Hold both slots.
  auto first = std::async(std::launch::async,
                          [&] { return SignIn("alice@a.example", TestServer::kPassword); });
  auto second = std::async(std::launch::async,
                           [&] { return SignIn("bob@a.example", TestServer::kPassword); });
  ASSERT_TRUE(probe.WaitEntered(2));
  // The I/O threads are free (the test server has two; both sign-ins are waiting elsewhere).
  EXPECT_EQ(server_.client().Send("GET", "/healthz").status, 200);

  auto busy = SignIn("manager@a.example", TestServer::kPassword);
  EXPECT_EQ(busy.status, 503) << busy.body;
  EXPECT_EQ(busy.Code(), "server_busy");
  EXPECT_EQ(busy.Header("retry-after"), "1");
  EXPECT_EQ(busy.Header("content-type"), "application/problem+json");
  EXPECT_EQ(probe.calls(), 2);  // the refused one verified nothing

  probe.Release();
  EXPECT_EQ(first.get().status, 200);
  EXPECT_EQ(second.get().status, 200);
  // A busy answer is no failed attempt: the manager signs in at once afterwards.
  EXPECT_EQ(SignIn("manager@a.example", TestServer::kPassword).status, 200);
}

// ---- Throttle: per account and address pair, with higher ceilings ------------------------------

TEST_F(LoginApiTest, FiveWrongTriesFromElsewhereDoNotLockTheOwnerOut) {
  AuthService& auth = server_.services().auth;
  for (int i = 0; i < 5; ++i) {
    auto r = auth.Login("bob@a.example", "guess " + std::to_string(i), "", "203.0.113.9");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().reason, "invalid_credentials");
  }
  // The guesser's address is stopped for this account, even with the right password...
  auto stopped = auth.Login("bob@a.example", TestServer::kPassword, "", "203.0.113.9");
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().reason, "too_many_attempts");
  // ...and the owner, elsewhere (the test client's loopback address), is not.
  auto owner = SignIn("bob@a.example", TestServer::kPassword);
  EXPECT_EQ(owner.status, 200) << owner.body;
  // From the same address, five wrong tries do stop the next one (429 too_many_attempts).
  for (int i = 0; i < 5; ++i) EXPECT_EQ(SignIn("alice@a.example", "wrong password").status, 401);
  auto throttled = SignIn("alice@a.example", TestServer::kPassword);
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(throttled.Code(), "too_many_attempts");
  server_.clock().Advance(16min);
  EXPECT_EQ(SignIn("alice@a.example", TestServer::kPassword).status, 200);
}

// Two nodes of a cluster: their own services, one database. The failures are counted in the
// database, so guesses spread over the nodes meet the same five.
TEST_F(LoginApiTest, TwoNodesOnOneDatabaseShareOneThrottle) {
  ServiceOptions options;
  options.fast_password_hash = true;
  Services other(ServiceContext{server_.store(), server_.clock(), options});
  AuthService* nodes[] = {&server_.services().auth, &other.auth};
  for (int i = 0; i < 5; ++i) {
    auto r = nodes[i % 2]->Login("bob@a.example", "guess", "", "203.0.113.9");
    ASSERT_FALSE(r);
    ASSERT_EQ(r.error().reason, "invalid_credentials") << i;
  }
  for (AuthService* node : nodes) {
    auto stopped = node->Login("bob@a.example", TestServer::kPassword, "", "203.0.113.9");
    ASSERT_FALSE(stopped);
    EXPECT_EQ(stopped.error().reason, "too_many_attempts");
  }
  // The owner, elsewhere, signs in on either node; that clears only the owner's own pair.
  EXPECT_TRUE(other.auth.Login("bob@a.example", TestServer::kPassword, "", "198.51.100.7"));
  EXPECT_FALSE(server_.services().auth.Login("bob@a.example", TestServer::kPassword, "",
                                             "203.0.113.9"));
  server_.clock().Advance(16min);
  EXPECT_TRUE(nodes[0]->Login("bob@a.example", TestServer::kPassword, "", "203.0.113.9"));
}

TEST_F(LoginApiTest, GuessingSpreadOverManyAddressesMeetsTheAccountCeilingOf50) {
  AuthService& auth = server_.services().auth;
  for (int address = 0; address < 10; ++address) {
    for (int i = 0; i < 5; ++i) {
      auto r = auth.Login("bob@a.example", "guess", "", "198.51.100." + std::to_string(address));
      ASSERT_FALSE(r);
      ASSERT_EQ(r.error().reason, "invalid_credentials") << address << "/" << i;
    }
  }
  // 50 failures for bob: every address is stopped for bob now, the owner's too.
  auto owner = SignIn("bob@a.example", TestServer::kPassword);
  EXPECT_EQ(owner.status, 429);
  EXPECT_EQ(owner.Code(), "too_many_attempts");
  auto fresh = auth.Login("bob@a.example", TestServer::kPassword, "", "192.0.2.1");
  ASSERT_FALSE(fresh);
  EXPECT_EQ(fresh.error().reason, "too_many_attempts");
  // Other accounts are untouched; after the window bob signs in again.
  EXPECT_EQ(SignIn("alice@a.example", TestServer::kPassword).status, 200);
  server_.clock().Advance(16min);
  EXPECT_EQ(SignIn("bob@a.example", TestServer::kPassword).status, 200);
}

TEST_F(LoginApiTest, OneAddressTryingManyAccountsMeetsTheAddressCeilingOf30) {
  for (int i = 0; i < 30; ++i) {
    EXPECT_EQ(SignIn("nobody" + std::to_string(i) + "@a.example", "wrong password").status, 401);
  }
  auto res = SignIn("alice@a.example", TestServer::kPassword);
  EXPECT_EQ(res.status, 429);
  // Another address is not affected.
  EXPECT_TRUE(
      server_.services().auth.Login("alice@a.example", TestServer::kPassword, "", "192.0.2.1"));
}

TEST_F(LoginApiTest, ASuccessClearsThePairsFailures) {
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 4; ++i) EXPECT_EQ(SignIn("alice@a.example", "wrong password").status, 401);
    EXPECT_EQ(SignIn("alice@a.example", TestServer::kPassword).status, 200) << "round " << round;
  }
}

// ---- Passwords that are refused -------------------------------------------------------------

TEST_F(LoginApiTest, CommonPasswordsAndTheEmailAreRefused) {
  const std::string standard = server_.PermissionSetId(server_.org_a(), "standard");
  struct Case {
    std::string email, password, code;
  } cases[] = {
      {"carol@a.example", "password1", "too_common"},
      {"carol@a.example", "Qwertyuiop", "too_common"},
      {"carol@a.example", "carol@a.example", "same_as_email"},
      {"carol@a.example", "CAROL@A.EXAMPLE", "same_as_email"},
      {"carol.jones@a.example", "carol.jones", "same_as_email"},
  };
  for (const Case& c : cases) {
    boost::json::object body{{"email", c.email},
                             {"name", "Carol"},
                             {"permission_set_id", standard},
                             {"password", c.password}};
    auto res = server_.Call("admin", "POST", "/api/v1/users", boost::json::serialize(body));
    EXPECT_EQ(res.status, 422) << c.password << ": " << res.body;
    EXPECT_EQ(res.Code(), c.code) << c.password;
    EXPECT_EQ(res.FieldCode(), c.code) << c.password;
    EXPECT_EQ(res.Json().at("errors").at(0).at("field"), "password");
  }
  EXPECT_EQ(
      server_.Call("admin", "GET", "/api/v1/users?q=carol").Json().at("items").as_array().size(),
      0u);

  // Changing one's password follows the same rules, and a refusal keeps the old one.
  for (const char* next : {"iloveyou", "alice@a.example", "Alice"}) {
    boost::json::object body{{"current_password", TestServer::kPassword}, {"new_password", next}};
    auto res = server_.Call("alice", "POST", "/api/v1/me/password", boost::json::serialize(body));
    EXPECT_EQ(res.status, 422) << next << ": " << res.body;
    EXPECT_EQ(res.Json().at("errors").at(0).at("field"), "new_password") << next;
  }
  EXPECT_EQ(SignIn("alice@a.example", TestServer::kPassword).status, 200);
}

}  // namespace
}  // namespace bf::testing
