// Credential types.
#include "store_test.h"

namespace bf::testing {
namespace {

std::vector<std::string> Names(const std::vector<CredentialType>& types) {
  std::vector<std::string> out;
  for (const auto& t : types) out.push_back(t.name);
  return out;
}

// A credential row of `type_id` held by user-a (the store has no credential methods yet).
std::string InsertCredentialSql(const std::string& id, const std::string& type_id, bool archived) {
  return "INSERT INTO credentials (id, org_id, user_id, type_id, archived, version, issue_date,"
         " approval_status, created_at, updated_at) VALUES ('" +
         id + "', 'org-a', 'user-a', '" + type_id + "', " + (archived ? "1" : "0") +
         ", 1, '2026-01-01', 'approved', 0, 0)";
}

TEST_P(StoreTest, CredentialTypeRoundTripsWithAndWithoutReminderDays) {
  SeedTwoOrganizations();
  CredentialType first_aid = MakeCredentialType("org-a", "type-1", "First Aid");
  first_aid.description = "HSE-approved, three days";
  first_aid.expires = true;
  first_aid.reminder_days = std::vector<int>{90, 30, 7};
  first_aid.created_at = At(1);
  first_aid.updated_at = At(2);
  CredentialType degree = MakeCredentialType("org-a", "type-2", "Degree");
  degree.expires = false;
  {
    auto uow = Write();
    Must(uow->InsertCredentialType(first_aid));
    Must(uow->InsertCredentialType(degree));
    Must(uow->Commit());
  }

  auto uow = Read();
  auto found = Must(uow->FindCredentialType("org-a", "type-1"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, "type-1");
  EXPECT_EQ(found->org_id, "org-a");
  EXPECT_EQ(found->name, "First Aid");
  EXPECT_EQ(found->description, "HSE-approved, three days");
  EXPECT_TRUE(found->expires);
  EXPECT_EQ(found->reminder_days, (std::vector<int>{90, 30, 7}));
  EXPECT_EQ(found->credential_count, 0);
  EXPECT_EQ(found->created_at, At(1));
  EXPECT_EQ(found->updated_at, At(2));

  auto by_name = Must(uow->FindCredentialTypeByName("org-a", "dEGREE"));
  ASSERT_TRUE(by_name.has_value());
  EXPECT_EQ(by_name->id, "type-2");
  EXPECT_FALSE(by_name->expires);
  EXPECT_EQ(by_name->reminder_days, std::nullopt);
  EXPECT_EQ(by_name->description, "");
}

TEST_P(StoreTest, CredentialTypeNameTakenIsCaseInsensitiveAndPerOrganization) {
  SeedTwoOrganizations();
  auto uow = Write();
  Must(uow->InsertCredentialType(MakeCredentialType("org-a", "type-1", "Forklift Licence")));
  Error taken =
      ErrorOf(uow->InsertCredentialType(MakeCredentialType("org-a", "type-2", "FORKLIFT licence")));
  EXPECT_EQ(taken.code, ErrorCode::kConflict);
  EXPECT_EQ(taken.reason, "name_taken");

  Must(uow->InsertCredentialType(MakeCredentialType("org-b", "type-3", "Forklift Licence")));
  Must(uow->InsertCredentialType(MakeCredentialType("org-a", "type-4", "DBS Check")));
  Error renamed =
      ErrorOf(uow->UpdateCredentialType(MakeCredentialType("org-a", "type-4", "forklift LICENCE")));
  EXPECT_EQ(renamed.code, ErrorCode::kConflict);
  EXPECT_EQ(renamed.reason, "name_taken");
}

TEST_P(StoreTest, CredentialTypesListSortedByNameCaseInsensitivelyWithQuery) {
  SeedTwoOrganizations();
  {
    auto uow = Write();
    for (const char* name : {"first aid", "DBS Check", "Food Hygiene", "Fire Marshal",
                             "100% Compliance", "Manual_Handling", "Fuel Hazard"}) {
      Must(uow->InsertCredentialType(
          MakeCredentialType("org-a", std::string("type-") + name, name)));
    }
    Must(uow->InsertCredentialType(MakeCredentialType("org-b", "type-b", "Fire Warden")));
    Must(uow->Commit());
  }
  struct Case {
    const char* q;
    std::vector<std::string> names;
  };
  const Case cases[] = {
      {"",
       {"100% Compliance", "DBS Check", "Fire Marshal", "first aid", "Food Hygiene", "Fuel Hazard",
        "Manual_Handling"}},
      {"FI", {"Fire Marshal", "first aid"}},
      {"hygiene", {"Food Hygiene"}},
      {"%", {"100% Compliance"}},
      {"l_h", {"Manual_Handling"}},  // not "Fuel Hazard": _ is literal
      {"warden", {}},
  };
  auto uow = Read();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.q);
    EXPECT_EQ(Names(Must(uow->ListCredentialTypes("org-a", c.q))), c.names);
  }
}

TEST_P(StoreTest, UpdateCredentialTypeChangesItsFields) {
  SeedTwoOrganizations();
  CredentialType type = MakeCredentialType("org-a", "type-1", "Food Hygiene");
  type.reminder_days = std::vector<int>{30};
  {
    auto uow = Write();
    Must(uow->InsertCredentialType(type));
    Must(uow->Commit());
  }
  type.name = "Food Hygiene Level 2";
  type.description = "Level 2";
  type.expires = false;
  type.reminder_days = std::nullopt;
  type.updated_at = At(40);
  {
    auto uow = Write();
    Must(uow->UpdateCredentialType(type));
    Must(uow->Commit());
  }
  auto found = Must(Read()->FindCredentialTypeByName("org-a", "food hygiene level 2"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "Food Hygiene Level 2");
  EXPECT_EQ(found->description, "Level 2");
  EXPECT_FALSE(found->expires);
  EXPECT_EQ(found->reminder_days, std::nullopt);
  EXPECT_EQ(found->created_at, kT0);
  EXPECT_EQ(found->updated_at, At(40));

  auto uow = Write();
  EXPECT_EQ(ErrorOf(uow->UpdateCredentialType(MakeCredentialType("org-a", "nope", "Nope"))).code,
            ErrorCode::kNotFound);
}

TEST_P(StoreTest, CredentialCountIncludesArchivedCredentialsAndBlocksDelete) {
  SeedTwoOrganizations();
  {
    auto uow = Write();
    Must(uow->InsertCredentialType(MakeCredentialType("org-a", "type-used", "Used")));
    Must(uow->InsertCredentialType(MakeCredentialType("org-a", "type-unused", "Unused")));
    Must(uow->Commit());
  }
  Must(db_->Exec(InsertCredentialSql("cred-1", "type-used", false)));
  Must(db_->Exec(InsertCredentialSql("cred-2", "type-used", true)));

  auto uow = Write();
  auto used = Must(uow->FindCredentialType("org-a", "type-used"));
  ASSERT_TRUE(used.has_value());
  EXPECT_EQ(used->credential_count, 2);
  auto listed = Must(uow->ListCredentialTypes("org-a", ""));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].name, "Unused");
  EXPECT_EQ(listed[0].credential_count, 0);
  EXPECT_EQ(listed[1].name, "Used");
  EXPECT_EQ(listed[1].credential_count, 2);

  Error in_use = ErrorOf(uow->DeleteCredentialType("org-a", "type-used"));
  EXPECT_EQ(in_use.code, ErrorCode::kConflict);
  EXPECT_EQ(in_use.reason, "in_use");

  Must(uow->DeleteCredentialType("org-a", "type-unused"));
  EXPECT_FALSE(Must(uow->FindCredentialType("org-a", "type-unused")).has_value());
  EXPECT_EQ(ErrorOf(uow->DeleteCredentialType("org-a", "type-unused")).code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace bf::testing
