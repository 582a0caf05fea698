// Sign-in, sessions, tokens, passwords, CSRF and throttling over real sockets.
#include <gtest/gtest.h>

#include "support/test_server.h"

namespace bf::testing {
namespace {

class AuthApiTest : public ::testing::Test {
 protected:
  TestServer server_;
};

TEST_F(AuthApiTest, LoginSetsAnHttpOnlyLaxCookieAndMeAnswersWithPermissions) {
  auto res = server_.client().Send("POST", "/api/v1/auth/login",
                                   J(R"({"email":"MANAGER@a.example","password":"correct horse battery"})"));
  ASSERT_EQ(res.status, 200) << res.body;
  std::string cookie = res.Header("set-cookie");
  EXPECT_NE(cookie.find("bonafides_session="), std::string::npos);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);
  EXPECT_EQ(res.Json().at("user").at("email").as_string(), "manager@a.example");

  auto me = server_.client().Send("GET", "/api/v1/me", "", {{"Cookie", cookie.substr(0, cookie.find(';'))}});
  ASSERT_EQ(me.status, 200);
  auto perms = me.Json().at("permissions").as_array();
  ASSERT_EQ(perms.size(), 2u);
  EXPECT_EQ(perms[0].as_string(), "users.manage");
  EXPECT_EQ(perms[1].as_string(), "credentials.manage");
}

TEST_F(AuthApiTest, CookieIsSecureBehindTls) {
  auto res = server_.client().Send("POST", "/api/v1/auth/login",
                                   J(R"({"email":"alice@a.example","password":"correct horse battery"})"),
                                   {{"X-Forwarded-Proto", "https"}});
  ASSERT_EQ(res.status, 200);
  EXPECT_NE(res.Header("set-cookie").find("; Secure"), std::string::npos);
}

TEST_F(AuthApiTest, BadCredentialsAnswer401WithoutSayingWhichPart) {
  auto wrong_password = server_.client().Send(
      "POST", "/api/v1/auth/login", J(R"({"email":"alice@a.example","password":"nope nope nope"})"));
  auto no_such_user = server_.client().Send(
      "POST", "/api/v1/auth/login", J(R"({"email":"ghost@a.example","password":"nope nope nope"})"));
  EXPECT_EQ(wrong_password.status, 401);
  EXPECT_EQ(no_such_user.status, 401);
  EXPECT_EQ(wrong_password.Code(), "invalid_credentials");
  EXPECT_EQ(wrong_password.Json().at("detail"), no_such_user.Json().at("detail"));
}

TEST_F(AuthApiTest, LoginWithTheWrongOrganizationIs401) {
  std::string body = R"({"email":"alice@a.example","password":"correct horse battery","organization_id":")" +
                     server_.org_b() + "\"}";
  EXPECT_EQ(server_.client().Send("POST", "/api/v1/auth/login", body).status, 401);
}

TEST_F(AuthApiTest, LogoutEndsTheSessionServerSide) {
  std::string cookie = server_.Login("alice@a.example");
  ASSERT_FALSE(cookie.empty());
  EXPECT_EQ(server_.client().Send("GET", "/api/v1/me", "", {{"Cookie", cookie}}).status, 200);
  EXPECT_EQ(server_.client().Send("POST", "/api/v1/auth/logout", "", {{"Cookie", cookie}}).status, 204);
  auto after = server_.client().Send("GET", "/api/v1/me", "", {{"Cookie", cookie}});
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(after.Code(), "unauthenticated");
}

TEST_F(AuthApiTest, SessionsExpire) {
  std::string cookie = server_.Login("alice@a.example");
  server_.clock().Advance(std::chrono::hours(24 * 7) + std::chrono::seconds(1));
  EXPECT_EQ(server_.client().Send("GET", "/api/v1/me", "", {{"Cookie", cookie}}).status, 401);
}

TEST_F(AuthApiTest, NoCredentialsOrAGarbageTokenIs401) {
  EXPECT_EQ(server_.Call("", "GET", "/api/v1/me").status, 401);
  EXPECT_EQ(server_.client().Send("GET", "/api/v1/me", "", {{"Authorization", "Bearer bf_nonsense"}}).status, 401);
  EXPECT_EQ(server_.client().Send("GET", "/api/v1/me", "", {{"Authorization", "Basic abc"}}).status, 401);
  EXPECT_EQ(server_.client().Send("GET", "/api/v1/me", "", {{"Cookie", "bonafides_session=forged"}}).status, 401);
}

TEST_F(AuthApiTest, TokensAreShownOnceListedWithoutSecretsAndRevocable) {
  auto created = server_.Call("alice", "POST", "/api/v1/me/tokens", J(R"({"name":"laptop script"})"));
  ASSERT_EQ(created.status, 201) << created.body;
  std::string secret(created.Json().at("token").as_string());
  std::string id(created.Json().at("id").as_string());
  EXPECT_EQ(created.Json().at("name"), "laptop script");

  auto me = server_.client().Send("GET", "/api/v1/me", "", {{"Authorization", "Bearer " + secret}});
  EXPECT_EQ(me.status, 200);

  auto list = server_.Call("alice", "GET", "/api/v1/me/tokens");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find(secret), std::string::npos);
  EXPECT_EQ(list.Json().at("items").as_array().size(), 2u);  // the harness's and this one

  // Bob cannot revoke Alice's token: it is not his.
  EXPECT_EQ(server_.Call("bob", "DELETE", "/api/v1/me/tokens/" + id).status, 404);
  EXPECT_EQ(server_.Call("alice", "DELETE", "/api/v1/me/tokens/" + id).status, 204);
  EXPECT_EQ(server_.client().Send("GET", "/api/v1/me", "", {{"Authorization", "Bearer " + secret}}).status, 401);
}

TEST_F(AuthApiTest, TokenNameIsRequired) {
  auto res = server_.Call("alice", "POST", "/api/v1/me/tokens", J(R"({"name":"  "})"));
  EXPECT_EQ(res.status, 422);
  EXPECT_EQ(res.FieldCode(), "required");
}

TEST_F(AuthApiTest, PasswordChangeEndsOtherSessionsAndNeedsTheCurrentPassword) {
  std::string mine = server_.Login("alice@a.example");
  std::string other = server_.Login("alice@a.example");
  auto wrong = server_.client().Send("POST", "/api/v1/me/password",
                                     J(R"({"current_password":"wrong one!","new_password":"a new password"})"),
                                     {{"Cookie", mine}});
  EXPECT_EQ(wrong.status, 422);
  EXPECT_EQ(wrong.FieldCode(), "wrong_password");
  auto short_one = server_.client().Send("POST", "/api/v1/me/password",
                                         J(R"({"current_password":"correct horse battery","new_password":"short"})"),
                                         {{"Cookie", mine}});
  EXPECT_EQ(short_one.status, 422);
  EXPECT_EQ(short_one.FieldCode(), "too_short");

  auto ok = server_.client().Send("POST", "/api/v1/me/password",
                                  J(R"({"current_password":"correct horse battery","new_password":"a new password"})"),
                                  {{"Cookie", mine}});
  ASSERT_EQ(ok.status, 204) << ok.body;
  EXPECT_EQ(server_.client().Send("GET", "/api/v1/me", "", {{"Cookie", mine}}).status, 200);
  EXPECT_EQ(server_.client().Send("GET", "/api/v1/me", "", {{"Cookie", other}}).status, 401);
  EXPECT_TRUE(server_.Login("alice@a.example").empty());
  EXPECT_FALSE(server_.Login("alice@a.example", "a new password").empty());
}

TEST_F(AuthApiTest, CrossSiteChangesWithACookieAreRefused) {
  std::string cookie = server_.Login("alice@a.example");
  std::string body = J(R"({"name":"x"})");
  auto evil_origin = server_.client().Send("POST", "/api/v1/me/tokens", body,
                                           {{"Cookie", cookie}, {"Origin", "https://evil.example"}});
  EXPECT_EQ(evil_origin.status, 403);
  EXPECT_EQ(evil_origin.Code(), "cross_site_request");
  auto evil_referer = server_.client().Send("POST", "/api/v1/me/tokens", body,
                                            {{"Cookie", cookie}, {"Referer", "https://evil.example/page"}});
  EXPECT_EQ(evil_referer.status, 403);
  auto fetch_site = server_.client().Send("POST", "/api/v1/me/tokens", body,
                                          {{"Cookie", cookie}, {"Sec-Fetch-Site", "cross-site"}});
  EXPECT_EQ(fetch_site.status, 403);
  // A cross-site form post of the sign-in is refused too.
  auto login = server_.client().Send("POST", "/api/v1/auth/login",
                                     J(R"({"email":"alice@a.example","password":"correct horse battery"})"),
                                     {{"Origin", "https://evil.example"}});
  EXPECT_EQ(login.status, 403);

  std::string self = "http://127.0.0.1:" + std::to_string(server_.client().port());
  EXPECT_EQ(server_.client().Send("POST", "/api/v1/me/tokens", body, {{"Cookie", cookie}, {"Origin", self}}).status, 201);
  EXPECT_EQ(server_.client().Send("POST", "/api/v1/me/tokens", body, {{"Cookie", cookie}}).status, 201);
  // Only the two allowed posts made tokens: the refused ones changed nothing.
  auto list = server_.Call("alice", "GET", "/api/v1/me/tokens");
  EXPECT_EQ(list.Json().at("items").as_array().size(), 3u);
}

TEST_F(AuthApiTest, RepeatedFailuresAreThrottledPerAccount) {
  std::string bad = J(R"({"email":"bob@a.example","password":"wrong password"})");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(server_.client().Send("POST", "/api/v1/auth/login", bad).status, 401);
  }
  auto throttled = server_.client().Send(
      "POST", "/api/v1/auth/login", J(R"({"email":"bob@a.example","password":"correct horse battery"})"));
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(throttled.Code(), "too_many_attempts");
  // Another account from the same address is not yet blocked.
  EXPECT_FALSE(server_.Login("alice@a.example").empty());
  // After the window the right password works again.
  server_.clock().Advance(std::chrono::minutes(16));
  EXPECT_FALSE(server_.Login("bob@a.example").empty());
}

TEST_F(AuthApiTest, RepeatedFailuresAreThrottledPerAddress) {
  for (int i = 0; i < 30; ++i) {
    std::string body = R"({"email":"nobody)" + std::to_string(i) + R"(@a.example","password":"wrong password"})";
    EXPECT_EQ(server_.client().Send("POST", "/api/v1/auth/login", body).status, 401);
  }
  auto res = server_.client().Send("POST", "/api/v1/auth/login",
                                   J(R"({"email":"alice@a.example","password":"correct horse battery"})"));
  EXPECT_EQ(res.status, 429);
}

TEST_F(AuthApiTest, DeactivationEndsSessionsAndTokens) {
  std::string cookie = server_.Login("bob@a.example");
  const auto& bob = server_.person("bob");
  auto res = server_.Call("admin", "PATCH", "/api/v1/users/" + bob.user.id, J(R"({"status":"deactivated"})"));
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(server_.client().Send("GET", "/api/v1/me", "", {{"Cookie", cookie}}).status, 401);
  EXPECT_EQ(server_.Call("bob", "GET", "/api/v1/me").status, 401);
  EXPECT_TRUE(server_.Login("bob@a.example").empty());
}

// Sign-in reads the permissions of the user's set with the token or session (store/sql/auth.cc),
// nothing of them kept between requests: a change to the set applies to its members' next
// request, by token and by cookie alike.
TEST_F(AuthApiTest, AChangeToAPermissionSetAppliesToItsMembersNextRequest) {
  auto created = server_.Call("admin", "POST", "/api/v1/permission-sets",
                              J(R"({"name":"People desk","permissions":["users.manage"]})"));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string set_id(created.Json().at("id").as_string());
  const std::string set = "/api/v1/permission-sets/" + set_id;
  const std::string bob = "/api/v1/users/" + server_.person("bob").user.id;
  ASSERT_EQ(
      server_.Call("admin", "PATCH", bob, R"({"permission_set_id":")" + set_id + "\"}").status,
      200);
  const std::string cookie = server_.Login("bob@a.example");
  ASSERT_FALSE(cookie.empty());
  auto by_cookie = [&] {
    return server_.client().Send("GET", "/api/v1/users", "", {{"Cookie", cookie}}).status;
  };
  EXPECT_EQ(server_.Call("bob", "GET", "/api/v1/users").status, 200);
  EXPECT_EQ(by_cookie(), 200);

  ASSERT_EQ(server_.Call("admin", "PATCH", set, J(R"({"permissions":[]})")).status, 200);
  EXPECT_EQ(server_.Call("bob", "GET", "/api/v1/users").status, 403);
  EXPECT_EQ(by_cookie(), 403);

  ASSERT_EQ(server_.Call("admin", "PATCH", set, J(R"({"permissions":["users.manage"]})")).status,
            200);
  EXPECT_EQ(server_.Call("bob", "GET", "/api/v1/users").status, 200);
  EXPECT_EQ(by_cookie(), 200);
}

TEST_F(AuthApiTest, LoginBodyErrors) {
  auto missing = server_.client().Send("POST", "/api/v1/auth/login", J(R"({"email":"a@a.example"})"));
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(missing.FieldCode(), "required");
  auto wrong_type = server_.client().Send("POST", "/api/v1/auth/login", J(R"({"email":1,"password":"x"})"));
  EXPECT_EQ(wrong_type.status, 400);
  EXPECT_EQ(wrong_type.FieldCode(), "wrong_type");
}

}  // namespace
}  // namespace bf::testing
