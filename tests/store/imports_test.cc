// The Import block of the store: the lookups and writes of a bulk upload.
#include "store_test.h"

namespace bf::testing {
namespace {

Date D(const char* iso) {
  auto d = ParseIsoDate(iso);
  if (!d) throw std::runtime_error(std::string("bad date in test: ") + iso);
  return *d;
}

ImportedVersion Version(const std::string& id, int version, const char* issue, const char* expiry,
                        const std::string& number) {
  ImportedVersion v;
  v.credential_id = id;
  v.user_id = "user-a";
  v.type_id = "type-fa";
  v.version = version;
  v.issue_date = D(issue);
  if (expiry != nullptr) v.expiry_date = D(expiry);
  v.credential_number = number;
  v.at = At(10);
  v.actor_id = "user-a";
  return v;
}

class ImportsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    SeedTwoOrganizations();
    auto uow = Write();
    User zoe = MakeUser("org-a", "user-z", "Zoe Zimmer", "Zoe@A.test", "set-org-a-standard");
    zoe.status = UserStatus::kDeactivated;
    Must(uow->InsertUser(zoe));
    Must(uow->InsertCredentialType(MakeCredentialType("org-a", "type-fa", "First Aid")));
    CredentialType induction = MakeCredentialType("org-a", "type-in", "Induction");
    induction.expires = false;
    Must(uow->InsertCredentialType(induction));
    Must(uow->InsertCredentialType(MakeCredentialType("org-b", "type-b", "First Aid")));
    Must(uow->Commit());
  }
};

TEST_P(ImportsTest, UsersAndTypesOfTheOrganisationOnly) {
  auto uow = Read();
  auto users = Must(uow->ListImportUsers("org-a"));
  std::sort(users.begin(), users.end(),
            [](const ImportUser& a, const ImportUser& b) { return a.id < b.id; });
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].id, "user-a");
  EXPECT_EQ(users[0].email, "ada@a.test");
  EXPECT_TRUE(users[0].active);
  EXPECT_EQ(users[1].name, "Zoe Zimmer");
  EXPECT_EQ(users[1].email, "Zoe@A.test");
  EXPECT_FALSE(users[1].active);
  auto types = Must(uow->ListImportTypes("org-a"));
  std::sort(types.begin(), types.end(),
            [](const ImportType& a, const ImportType& b) { return a.id < b.id; });
  ASSERT_EQ(types.size(), 2u);
  EXPECT_EQ(types[0].name, "First Aid");
  EXPECT_TRUE(types[0].expires);
  EXPECT_FALSE(types[1].expires);
}

TEST_P(ImportsTest, ImportedCredentialsAndVersionsReadBackAsOthersDo) {
  {
    auto uow = Write();
    ImportedVersion v = Version("cred-1", 1, "2025-01-01", "2028-01-01", "FA-1");
    v.approval_status = ApprovalStatus::kApproved;
    v.approved_by = "user-a";
    Must(uow->InsertImportedCredential("org-a", v));
    Must(uow->InsertImportedCredential("org-a", Version("cred-2", 1, "2025-01-01", nullptr, "")));
    Must(uow->Commit());
  }
  {
    auto uow = Read();
    auto c = Must(uow->FindCredential("org-a", "cred-1"));
    ASSERT_TRUE(c);
    EXPECT_EQ(c->user.name, "Ada Admin");
    EXPECT_EQ(c->type_name, "First Aid");
    EXPECT_EQ(c->revision, 1);
    EXPECT_EQ(c->latest.version, 1);
    EXPECT_EQ(c->latest.expiry_date, D("2028-01-01"));
    EXPECT_EQ(c->latest.credential_number, "FA-1");
    EXPECT_EQ(c->latest.approval_status, ApprovalStatus::kApproved);
    EXPECT_EQ(c->latest.approved_by.id, "user-a");
    EXPECT_EQ(c->latest.approved_at, At(10));
    EXPECT_EQ(c->created_by.name, "Ada Admin");
    EXPECT_EQ(c->updated_at, At(10));
    auto none = Must(uow->FindCredential("org-a", "cred-2"));
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->latest.expiry_date);
    EXPECT_FALSE(none->latest.approved_at);
  }
  {
    auto uow = Write();
    ImportedVersion v = Version("cred-1", 2, "2027-01-01", "2030-01-01", "fa-1");
    v.approval_status = ApprovalStatus::kPending;
    Must(uow->InsertImportedVersion("org-a", v));
    EXPECT_EQ(ErrorOf(uow->InsertImportedVersion("org-b",
                                                 Version("cred-2", 2, "2027-01-01", nullptr, "")))
                  .code,
              ErrorCode::kNotFound);
    Must(uow->Commit());
  }
  auto uow = Read();
  auto c = Must(uow->FindCredential("org-a", "cred-1"));
  EXPECT_EQ(c->revision, 2);
  EXPECT_EQ(c->latest.version, 2);
  EXPECT_EQ(c->latest.issue_date, D("2027-01-01"));
  EXPECT_EQ(c->latest.approval_status, ApprovalStatus::kPending);
  auto versions = Must(uow->ListVersions("cred-1"));
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[1].credential_number, "FA-1");
}

TEST_P(ImportsTest, TargetsAreFoundByIdAndByUnarchivedKey) {
  {
    auto uow = Write();
    Must(uow->InsertImportedCredential("org-a",
                                       Version("cred-1", 1, "2025-01-01", "2028-01-01", "FA-1")));
    Must(uow->InsertImportedCredential("org-a",
                                       Version("cred-2", 1, "2025-01-01", "2028-01-01", "")));
    Must(uow->InsertImportedCredential("org-a",
                                       Version("cred-3", 1, "2025-01-01", "2028-01-01", "")));
    Must(uow->InsertImportedCredential("org-a",
                                       Version("cred-4", 1, "2020-01-01", "2021-01-01", "FA-1")));
    auto archived = Must(uow->FindCredential("org-a", "cred-4"));
    archived->archived = true;
    Must(uow->UpdateCredential(*archived, archived->revision));
    Must(uow->Commit());
  }
  auto uow = Read();
  auto by_number = Must(uow->FindImportTargetsByKey("org-a", "user-a", "type-fa", "fa-1"));
  ASSERT_EQ(by_number.size(), 1u) << "the archived one is not a target by key";
  EXPECT_EQ(by_number[0].id, "cred-1");
  EXPECT_EQ(by_number[0].credential_number, "FA-1");
  EXPECT_EQ(by_number[0].expiry_date, D("2028-01-01"));
  auto without = Must(uow->FindImportTargetsByKey("org-a", "user-a", "type-fa", ""));
  ASSERT_EQ(without.size(), 2u);
  EXPECT_EQ(without[0].id, "cred-2");
  EXPECT_EQ(without[1].id, "cred-3");
  EXPECT_TRUE(Must(uow->FindImportTargetsByKey("org-b", "user-a", "type-fa", "fa-1")).empty());
  auto archived = Must(uow->FindImportTarget("org-a", "cred-4"));
  ASSERT_TRUE(archived);
  EXPECT_TRUE(archived->archived);
  EXPECT_EQ(archived->user_id, "user-a");
  EXPECT_EQ(archived->type_id, "type-fa");
  EXPECT_FALSE(Must(uow->FindImportTarget("org-b", "cred-1")));
}

TEST_P(ImportsTest, StagedRowsAreWrittenWhenFinishedAndReadBackAsOthersDo) {
  {
    auto uow = Write();
    Must(uow->InsertImportedCredential("org-a",
                                       Version("cred-1", 1, "2025-01-01", "2028-01-01", "FA-1")));
    Must(uow->Commit());
  }
  {
    auto uow = Write();
    Must(uow->PrepareForBulkWrite());
    // A number with every character COPY's text format escapes.
    ImportedVersion odd = Version("cred-2", 1, "2025-02-01", nullptr, "a\\b\tc\nd\re \\N");
    odd.approval_status = ApprovalStatus::kApproved;
    odd.approved_by = "user-a";
    Must(uow->StageImportedCredential("org-a", odd));
    Must(uow->StageImportedVersion("org-a",
                                   Version("cred-1", 2, "2027-01-01", "2030-01-01", "FA-2")));
    Must(uow->FinishImportedWrites());
    Must(uow->FinishImportedWrites());  // nothing left: nothing done
    Must(uow->Commit());
  }
  auto uow = Read();
  auto odd = Must(uow->FindCredential("org-a", "cred-2"));
  ASSERT_TRUE(odd);
  EXPECT_EQ(odd->latest.credential_number, "a\\b\tc\nd\re \\N");
  EXPECT_FALSE(odd->latest.expiry_date);
  EXPECT_EQ(odd->latest.approval_status, ApprovalStatus::kApproved);
  EXPECT_EQ(odd->latest.approved_at, At(10));
  EXPECT_EQ(odd->revision, 1);
  auto moved = Must(uow->FindCredential("org-a", "cred-1"));
  EXPECT_EQ(moved->revision, 2);
  EXPECT_EQ(moved->latest.version, 2);
  EXPECT_EQ(moved->latest.credential_number, "FA-2");
  EXPECT_EQ(Must(uow->ListVersions("cred-1")).size(), 2u);
  auto by_key = Must(uow->FindImportTargetsByKey("org-a", "user-a", "type-fa", "fa-2"));
  ASSERT_EQ(by_key.size(), 1u);
  EXPECT_EQ(by_key[0].id, "cred-1");
}

// All or nothing: a constraint violated by the last statement of the write pass (on PostgreSQL
// after the COPY and the credentials' insert and update; on SQLite at the row) leaves nothing.
TEST_P(ImportsTest, AStagedRowThatBreaksAConstraintLeavesNothing) {
  {
    auto uow = Write();
    Must(uow->InsertImportedCredential("org-a",
                                       Version("cred-1", 1, "2025-01-01", "2028-01-01", "FA-1")));
    Must(uow->Commit());
  }
  // Version 2 of cred-1 exists already, behind the credential's back.
  Must(
      db_->Exec("INSERT INTO credential_versions (credential_id, version, issue_date, expiry_date,"
                " credential_number, approval_status, created_at, updated_at)"
                " VALUES ('cred-1', 2, '2026-01-01', NULL, 'X', 'not_required', 0, 0)"));
  Status failed = Ok();
  {
    auto uow = Write();
    Must(uow->PrepareForBulkWrite());
    for (int i = 0; i < 50 && failed; ++i) {
      failed =
          uow->StageImportedCredential("org-a", Version("new-" + std::to_string(i), 1, "2025-01-01",
                                                        "2028-01-01", "N" + std::to_string(i)));
    }
    if (failed)
      failed = uow->StageImportedVersion("org-a",
                                         Version("cred-1", 2, "2027-01-01", "2030-01-01", "FA-2"));
    if (failed) failed = uow->FinishImportedWrites();
    // The unit ends without Commit: rolled back.
  }
  EXPECT_EQ(ErrorOf(failed).code, ErrorCode::kConflict);
  auto uow = Read();
  EXPECT_FALSE(Must(uow->FindCredential("org-a", "new-0")));
  EXPECT_FALSE(Must(uow->FindCredential("org-a", "new-49")));
  auto kept = Must(uow->FindCredential("org-a", "cred-1"));
  EXPECT_EQ(kept->revision, 1);
  EXPECT_EQ(kept->latest.credential_number, "FA-1");
  auto summary = Must(uow->SummarizeCredentials("org-a", D("2025-06-01"), 30));
  EXPECT_EQ(summary.all.total, 1);
}

// READ COMMITTED lets another writer change a credential between the import's lookup and its
// write (SQLite's one writer cannot): the staged version finds it moved on and nothing is
// written.
TEST_P(ImportsTest, AVersionStagedFromAStaleReadIsAConflictOnPostgres) {
  if (GetParam().name != "Postgres") GTEST_SKIP() << "SQLite runs one write unit at a time";
  {
    auto uow = Write();
    Must(uow->InsertImportedCredential("org-a",
                                       Version("cred-1", 1, "2025-01-01", "2028-01-01", "FA-1")));
    Must(uow->Commit());
  }
  auto import = Write();
  auto target = Must(import->FindImportTarget("org-a", "cred-1"));
  ASSERT_TRUE(target);
  Must(import->StageImportedCredential("org-a",
                                       Version("new-1", 1, "2025-01-01", "2028-01-01", "N1")));
  Must(import->StageImportedVersion(
      "org-a", Version("cred-1", target->version + 1, "2027-01-01", "2030-01-01", "FA-2")));
  {
    auto other = Write();
    Must(other->InsertImportedVersion("org-a",
                                      Version("cred-1", 2, "2026-01-01", "2029-01-01", "FA-1")));
    Must(other->Commit());
  }
  EXPECT_EQ(ErrorOf(import->FinishImportedWrites()).code, ErrorCode::kConflict);
  import.reset();
  auto uow = Read();
  EXPECT_FALSE(Must(uow->FindCredential("org-a", "new-1")));
  EXPECT_EQ(Must(uow->FindCredential("org-a", "cred-1"))->latest.issue_date, D("2026-01-01"));
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportsTest, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace bf::testing
