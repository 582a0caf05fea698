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

// Whether the session `id_hash` signs anyone in at At(0).
bool SignsIn(UnitOfWork& uow, const std::string& id_hash) {
  return Must(uow.ActorForSession(id_hash, At(0))).has_value();
}

TEST_P(StoreTest, SessionSignsInItsUserUntilDeleted) {
  SeedTwoOrganizations();
  auto uow = Write();
  Must(uow->InsertSession(MakeSession("hash-1", "org-a", "user-a", At(3600))));

  auto actor = Must(uow->ActorForSession("hash-1", At(0)));
  ASSERT_TRUE(actor.has_value());
  EXPECT_EQ(actor->org_id, "org-a");
  EXPECT_EQ(actor->user_id, "user-a");
  EXPECT_EQ(actor->name, "Ada Admin");
  EXPECT_EQ(actor->permissions.bits(), Permissions::All().bits());  // the user's set's
  EXPECT_FALSE(SignsIn(*uow, "hash-2"));

  Must(uow->DeleteSession("hash-1"));
  EXPECT_FALSE(SignsIn(*uow, "hash-1"));
  // Deleting what is not there is not an error: signing out twice is fine.
  Must(uow->DeleteSession("hash-1"));
}

TEST_P(StoreTest, SessionIsOverAtItsExpiryInstant) {
  SeedTwoOrganizations();
  auto uow = Write();
  Must(uow->InsertSession(MakeSession("s", "org-a", "user-a", At(3600))));
  EXPECT_TRUE(Must(uow->ActorForSession("s", At(3599))).has_value());
  EXPECT_FALSE(Must(uow->ActorForSession("s", At(3600))).has_value());
  EXPECT_FALSE(Must(uow->ActorForSession("s", At(3601))).has_value());
}

TEST_P(StoreTest, NeitherSessionNorTokenSignsInADeactivatedUser) {
  SeedTwoOrganizations();
  auto uow = Write();
  Must(uow->InsertSession(MakeSession("s-a", "org-a", "user-a", At(3600))));
  Must(uow->InsertSession(MakeSession("s-b", "org-b", "user-b", At(3600))));
  Must(uow->InsertToken(MakeToken("tok-a", "org-a", "user-a", "a", At(1))));
  User user = *Must(uow->FindUser("org-a", "user-a"));
  user.status = UserStatus::kDeactivated;
  Must(uow->UpdateUser(user));

  EXPECT_FALSE(SignsIn(*uow, "s-a"));
  EXPECT_FALSE(Must(uow->ActorForToken("sha256-of-tok-a")).has_value());
  EXPECT_TRUE(SignsIn(*uow, "s-b"));  // another organisation's user is not touched

  user.status = UserStatus::kActive;
  Must(uow->UpdateUser(user));
  EXPECT_TRUE(SignsIn(*uow, "s-a"));
}

TEST_P(StoreTest, ASessionOrTokenSignsInOnlyInItsOwnOrganisation) {
  SeedTwoOrganizations();
  auto uow = Write();
  // Rows that name one organisation's user under another's id (no write path makes them) sign
  // nobody in: the user is looked up in the row's organisation.
  Must(uow->InsertSession(MakeSession("crossed", "org-b", "user-a", At(3600))));
  Must(uow->InsertToken(MakeToken("tok-crossed", "org-b", "user-a", "x", At(1))));
  EXPECT_FALSE(SignsIn(*uow, "crossed"));
  EXPECT_FALSE(Must(uow->ActorForToken("sha256-of-tok-crossed")).has_value());
}

// The statement that signs the actor in also reads the actor's organisation and its credential
// revision; a read-only transaction answers FindOrganization and FindOrganizationAtRevision from
// that (Connection::RememberActorsOrganization). The answers are the queries' own: the same
// values, in the transaction's snapshot, another organisation still read, and a write unit, which
// may change the organisation, always reading it.
TEST_P(StoreTest, TheActorsOrganizationIsAnsweredAsItsStatementsWouldBe) {
  SeedTwoOrganizations();
  {
    auto uow = Write();
    Must(uow->InsertToken(MakeToken("tok-a", "org-a", "user-a", "a", At(1))));
    Must(uow->InsertSession(MakeSession("hash-a", "org-a", "user-a", At(3600))));
    Must(uow->Commit());
  }
  const OrganizationAtRevision queried = *Must(Read()->FindOrganizationAtRevision("org-a"));
  {
    auto uow = Read();
    ASSERT_TRUE(Must(uow->ActorForToken("sha256-of-tok-a")).has_value());
    const auto known = Must(uow->FindOrganizationAtRevision("org-a"));
    ASSERT_TRUE(known.has_value());
    EXPECT_EQ(known->org.name, queried.org.name);
    EXPECT_EQ(known->org.timezone, queried.org.timezone);
    EXPECT_EQ(known->org.settings.expiring_soon_days, queried.org.settings.expiring_soon_days);
    EXPECT_EQ(known->org.updated_at, queried.org.updated_at);
    EXPECT_EQ(known->credential_revision, queried.credential_revision);
    EXPECT_EQ(Must(uow->FindOrganization("org-a"))->name, queried.org.name);
    EXPECT_EQ(Must(uow->FindOrganization("org-b"))->id, "org-b");  // not the actor's

    // Renamed meanwhile by another unit: this transaction's snapshot still has the old name.
    {
      auto writer = Write();
      Organization renamed = queried.org;
      renamed.name = "Renamed";
      Must(writer->UpdateOrganization(renamed));
      Must(writer->Commit());
    }
    EXPECT_EQ(Must(uow->FindOrganization("org-a"))->name, queried.org.name);
  }
  {  // the next read, signed in by a session, sees the new name
    auto uow = Read();
    ASSERT_TRUE(Must(uow->ActorForSession("hash-a", At(0))).has_value());
    EXPECT_EQ(Must(uow->FindOrganizationAtRevision("org-a"))->org.name, "Renamed");
  }
  {  // a write unit reads what it changed
    auto uow = Write();
    ASSERT_TRUE(Must(uow->ActorForToken("sha256-of-tok-a")).has_value());
    Organization renamed = *Must(uow->FindOrganization("org-a"));
    renamed.name = "Renamed again";
    Must(uow->UpdateOrganization(renamed));
    EXPECT_EQ(Must(uow->FindOrganization("org-a"))->name, "Renamed again");
    EXPECT_EQ(Must(uow->FindOrganizationAtRevision("org-a"))->org.name, "Renamed again");
  }
}

TEST_P(StoreTest, DeleteSessionsOfUserLeavesOtherUsersSignedIn) {
  SeedTwoOrganizations();
  auto uow = Write();
  Must(uow->InsertSession(MakeSession("a-1", "org-a", "user-a", At(3600))));
  Must(uow->InsertSession(MakeSession("a-2", "org-a", "user-a", At(7200))));
  Must(uow->InsertSession(MakeSession("b-1", "org-b", "user-b", At(3600))));

  Must(uow->DeleteSessionsOfUser("user-a"));
  EXPECT_FALSE(SignsIn(*uow, "a-1"));
  EXPECT_FALSE(SignsIn(*uow, "a-2"));
  EXPECT_TRUE(SignsIn(*uow, "b-1"));
}

TEST_P(StoreTest, DeleteExpiredSessionsRemovesThoseExpiredAtOrBeforeNow) {
  SeedTwoOrganizations();
  auto uow = Write();
  Must(uow->InsertSession(MakeSession("earlier", "org-a", "user-a", At(1800))));
  Must(uow->InsertSession(MakeSession("exactly-now", "org-a", "user-a", At(3600))));
  Must(uow->InsertSession(MakeSession("later", "org-b", "user-b", At(3601))));

  Must(uow->DeleteExpiredSessions(At(3600)));
  // Asked before any of them was over: only the deleted rows are gone.
  EXPECT_FALSE(SignsIn(*uow, "earlier"));
  EXPECT_FALSE(SignsIn(*uow, "exactly-now"));
  EXPECT_TRUE(SignsIn(*uow, "later"));
}

TEST_P(StoreTest, TokenSignsInItsUserAndIsListedOldestFirst) {
  SeedTwoOrganizations();
  auto uow = Write();
  Must(uow->InsertToken(MakeToken("tok-new", "org-a", "user-a", "backup script", At(20))));
  Must(uow->InsertToken(MakeToken("tok-old", "org-a", "user-a", "payroll sync", At(10))));
  Must(uow->InsertToken(MakeToken("tok-b", "org-b", "user-b", "other", At(5))));

  auto actor = Must(uow->ActorForToken("sha256-of-tok-old"));
  ASSERT_TRUE(actor.has_value());
  EXPECT_EQ(actor->org_id, "org-a");
  EXPECT_EQ(actor->user_id, "user-a");
  EXPECT_EQ(actor->name, "Ada Admin");
  EXPECT_EQ(actor->permissions.bits(), Permissions::All().bits());
  EXPECT_EQ(Must(uow->ActorForToken("sha256-of-tok-b"))->user_id, "user-b");
  EXPECT_FALSE(Must(uow->ActorForToken("sha256-of-nothing")).has_value());

  auto listed = Must(uow->ListTokens("user-a"));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, "tok-old");
  EXPECT_EQ(listed[0].name, "payroll sync");
  EXPECT_EQ(listed[0].token_hash, "sha256-of-tok-old");
  EXPECT_EQ(listed[0].created_at, At(10));
  EXPECT_EQ(listed[1].id, "tok-new");
  EXPECT_TRUE(Must(uow->ListTokens("nobody")).empty());
}

TEST_P(StoreTest, DeleteTokenOnlyDeletesTheUsersOwnToken) {
  SeedTwoOrganizations();
  auto uow = Write();
  Must(uow->InsertToken(MakeToken("tok-a", "org-a", "user-a", "a", At(1))));
  Must(uow->InsertToken(MakeToken("tok-b", "org-b", "user-b", "b", At(1))));

  EXPECT_FALSE(Must(uow->DeleteToken("user-a", "tok-b")));
  EXPECT_TRUE(Must(uow->ActorForToken("sha256-of-tok-b")).has_value());

  EXPECT_TRUE(Must(uow->DeleteToken("user-a", "tok-a")));
  EXPECT_FALSE(Must(uow->ActorForToken("sha256-of-tok-a")).has_value());
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
