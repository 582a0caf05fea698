// Sessions and API tokens.
#include "store_test.h"

namespace bf::testing {
namespace {

Session MakeSession(const std::string& id_hash, const std::string& org_id,
                    const std::string& user_id, Timestamp expires_at) {
  return Session{id_hash, org_id, user_id, kT0, expires_at};
}

ApiToken MakeToken(const std::string& id, const std::string& org_id, const std::string& user_id,
                   const std::string& name, Timestamp created_at) {
  return ApiToken{id, org_id, user_id, name, "sha256-of-" + id, created_at};
}

TEST_P(StoreTest, SessionRoundTripsAndIsDeleted) {
  SeedTwoOrganizations();
  auto uow = Write();
  Must(uow->InsertSession(MakeSession("hash-1", "org-a", "user-a", At(3600))));

  auto found = Must(uow->FindSession("hash-1"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id_hash, "hash-1");
  EXPECT_EQ(found->org_id, "org-a");
  EXPECT_EQ(found->user_id, "user-a");
  EXPECT_EQ(found->created_at, kT0);
  EXPECT_EQ(found->expires_at, At(3600));
  EXPECT_FALSE(Must(uow->FindSession("hash-2")).has_value());

  Must(uow->DeleteSession("hash-1"));
  EXPECT_FALSE(Must(uow->FindSession("hash-1")).has_value());
  // Deleting what is not there is not an error: signing out twice is fine.
  Must(uow->DeleteSession("hash-1"));
}

TEST_P(StoreTest, DeleteSessionsOfUserLeavesOtherUsersSignedIn) {
  SeedTwoOrganizations();
  auto uow = Write();
  Must(uow->InsertSession(MakeSession("a-1", "org-a", "user-a", At(3600))));
  Must(uow->InsertSession(MakeSession("a-2", "org-a", "user-a", At(7200))));
  Must(uow->InsertSession(MakeSession("b-1", "org-b", "user-b", At(3600))));

  Must(uow->DeleteSessionsOfUser("user-a"));
  EXPECT_FALSE(Must(uow->FindSession("a-1")).has_value());
  EXPECT_FALSE(Must(uow->FindSession("a-2")).has_value());
  EXPECT_TRUE(Must(uow->FindSession("b-1")).has_value());
}

TEST_P(StoreTest, DeleteExpiredSessionsRemovesThoseExpiredAtOrBeforeNow) {
  SeedTwoOrganizations();
  auto uow = Write();
  Must(uow->InsertSession(MakeSession("earlier", "org-a", "user-a", At(1800))));
  Must(uow->InsertSession(MakeSession("exactly-now", "org-a", "user-a", At(3600))));
  Must(uow->InsertSession(MakeSession("later", "org-b", "user-b", At(3601))));

  Must(uow->DeleteExpiredSessions(At(3600)));
  EXPECT_FALSE(Must(uow->FindSession("earlier")).has_value());
  EXPECT_FALSE(Must(uow->FindSession("exactly-now")).has_value());
  EXPECT_TRUE(Must(uow->FindSession("later")).has_value());
}

TEST_P(StoreTest, TokenIsFoundByHashAndListedOldestFirst) {
  SeedTwoOrganizations();
  auto uow = Write();
  Must(uow->InsertToken(MakeToken("tok-new", "org-a", "user-a", "backup script", At(20))));
  Must(uow->InsertToken(MakeToken("tok-old", "org-a", "user-a", "payroll sync", At(10))));
  Must(uow->InsertToken(MakeToken("tok-b", "org-b", "user-b", "other", At(5))));

  auto found = Must(uow->FindTokenByHash("sha256-of-tok-old"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, "tok-old");
  EXPECT_EQ(found->org_id, "org-a");
  EXPECT_EQ(found->user_id, "user-a");
  EXPECT_EQ(found->name, "payroll sync");
  EXPECT_EQ(found->token_hash, "sha256-of-tok-old");
  EXPECT_EQ(found->created_at, At(10));
  EXPECT_FALSE(Must(uow->FindTokenByHash("sha256-of-nothing")).has_value());

  auto listed = Must(uow->ListTokens("user-a"));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, "tok-old");
  EXPECT_EQ(listed[1].id, "tok-new");
  EXPECT_TRUE(Must(uow->ListTokens("nobody")).empty());
}

TEST_P(StoreTest, DeleteTokenOnlyDeletesTheUsersOwnToken) {
  SeedTwoOrganizations();
  auto uow = Write();
  Must(uow->InsertToken(MakeToken("tok-a", "org-a", "user-a", "a", At(1))));
  Must(uow->InsertToken(MakeToken("tok-b", "org-b", "user-b", "b", At(1))));

  EXPECT_FALSE(Must(uow->DeleteToken("user-a", "tok-b")));
  EXPECT_TRUE(Must(uow->FindTokenByHash("sha256-of-tok-b")).has_value());

  EXPECT_TRUE(Must(uow->DeleteToken("user-a", "tok-a")));
  EXPECT_FALSE(Must(uow->FindTokenByHash("sha256-of-tok-a")).has_value());
  EXPECT_FALSE(Must(uow->DeleteToken("user-a", "tok-a")));
}

TEST_P(StoreTest, DeleteTokensOfUserLeavesOtherUsersTokens) {
  SeedTwoOrganizations();
  auto uow = Write();
  Must(uow->InsertToken(MakeToken("tok-a1", "org-a", "user-a", "a1", At(1))));
  Must(uow->InsertToken(MakeToken("tok-a2", "org-a", "user-a", "a2", At(2))));
  Must(uow->InsertToken(MakeToken("tok-b", "org-b", "user-b", "b", At(1))));

  Must(uow->DeleteTokensOfUser("user-a"));
  EXPECT_TRUE(Must(uow->ListTokens("user-a")).empty());
  EXPECT_EQ(Must(uow->ListTokens("user-b")).size(), 1u);
}

}  // namespace
}  // namespace bf::testing
