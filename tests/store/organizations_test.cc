// Organisations and permission sets.
#include "store_test.h"

namespace bf::testing {
namespace {

TEST_P(StoreTest, OrganizationRoundTripsEveryField) {
  Organization org = MakeOrganization("org-1", "Acme Care");
  org.timezone = "Europe/London";
  org.date_format = DateFormat::kDayFirst;
  org.settings = {.media_required = true, .approvals_required = true, .expiring_soon_days = 45};
  org.created_at = At(1);
  org.updated_at = At(2);
  {
    auto uow = Write();
    Must(uow->InsertOrganization(org));
    Must(uow->Commit());
  }

  auto uow = Read();
  auto found = Must(uow->FindOrganization("org-1"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, "org-1");
  EXPECT_EQ(found->name, "Acme Care");
  EXPECT_EQ(found->timezone, "Europe/London");
  EXPECT_EQ(found->date_format, DateFormat::kDayFirst);
  EXPECT_TRUE(found->settings.media_required);
  EXPECT_TRUE(found->settings.approvals_required);
  EXPECT_EQ(found->settings.expiring_soon_days, 45);
  EXPECT_EQ(found->created_at, At(1));
  EXPECT_EQ(found->updated_at, At(2));
  EXPECT_EQ(Must(uow->CountOrganizations()), 1);
  EXPECT_FALSE(Must(uow->FindOrganization("org-2")).has_value());
}

TEST_P(StoreTest, UpdateOrganizationChangesNameZoneFormatAndSettings) {
  {
    auto uow = Write();
    Must(uow->InsertOrganization(MakeOrganization("org-1", "Acme")));
    Must(uow->Commit());
  }
  Organization changed = MakeOrganization("org-1", "Acme Health");
  changed.timezone = "America/New_York";
  changed.date_format = DateFormat::kMonthFirst;
  changed.settings = {
      .media_required = false, .approvals_required = true, .expiring_soon_days = 10};
  changed.created_at = At(999);  // not written by an update
  changed.updated_at = At(60);
  {
    auto uow = Write();
    Must(uow->UpdateOrganization(changed));
    Must(uow->Commit());
  }

  auto found = Must(Read()->FindOrganization("org-1"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "Acme Health");
  EXPECT_EQ(found->timezone, "America/New_York");
  EXPECT_EQ(found->date_format, DateFormat::kMonthFirst);
  EXPECT_FALSE(found->settings.media_required);
  EXPECT_TRUE(found->settings.approvals_required);
  EXPECT_EQ(found->settings.expiring_soon_days, 10);
  EXPECT_EQ(found->created_at, kT0);
  EXPECT_EQ(found->updated_at, At(60));
}

TEST_P(StoreTest, UpdateOfAnAbsentOrganizationIsNotFound) {
  auto uow = Write();
  EXPECT_EQ(ErrorOf(uow->UpdateOrganization(MakeOrganization("nope", "X"))).code,
            ErrorCode::kNotFound);
}

TEST_P(StoreTest, PermissionSetRoundTripsAndIsFoundByNameCaseInsensitively) {
  SeedTwoOrganizations();
  Permissions manage;
  manage.Add(Permission::kUsersManage);
  manage.Add(Permission::kCredentialsManage);
  PermissionSet set = MakePermissionSet("org-a", "set-1", "Shift Leads", manage);
  set.created_at = At(5);
  set.updated_at = At(6);
  {
    auto uow = Write();
    Must(uow->InsertPermissionSet(set));
    Must(uow->Commit());
  }

  auto uow = Read();
  auto found = Must(uow->FindPermissionSet("org-a", "set-1"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, "set-1");
  EXPECT_EQ(found->org_id, "org-a");
  EXPECT_EQ(found->name, "Shift Leads");
  EXPECT_EQ(found->permissions, manage);
  EXPECT_FALSE(found->builtin);
  EXPECT_EQ(found->created_at, At(5));
  EXPECT_EQ(found->updated_at, At(6));

  auto by_name = Must(uow->FindPermissionSetByName("org-a", "sHIFT lEADS"));
  ASSERT_TRUE(by_name.has_value());
  EXPECT_EQ(by_name->id, "set-1");
  EXPECT_FALSE(Must(uow->FindPermissionSetByName("org-b", "Shift Leads")).has_value());

  auto builtin = Must(uow->FindPermissionSet("org-a", "set-org-a-admin"));
  ASSERT_TRUE(builtin.has_value());
  EXPECT_EQ(builtin->permissions, Permissions::All());
}

TEST_P(StoreTest, PermissionSetsListSortedByNameCaseInsensitively) {
  SeedTwoOrganizations();
  {
    auto uow = Write();
    Must(uow->InsertPermissionSet(MakePermissionSet("org-a", "set-z", "zebra", Permissions())));
    Must(uow->InsertPermissionSet(MakePermissionSet("org-a", "set-b", "Bees", Permissions())));
    Must(uow->Commit());
  }
  auto sets = Must(Read()->ListPermissionSets("org-a"));
  std::vector<std::string> names;
  for (const auto& s : sets) names.push_back(s.name);
  EXPECT_EQ(names, (std::vector<std::string>{"Administrator", "Bees", "Standard", "zebra"}));
}

TEST_P(StoreTest, PermissionSetNameTakenIsCaseInsensitiveAndPerOrganization) {
  SeedTwoOrganizations();
  auto uow = Write();
  Error taken = ErrorOf(uow->InsertPermissionSet(
      MakePermissionSet("org-a", "set-1", "ADMINISTRATOR", Permissions())));
  EXPECT_EQ(taken.code, ErrorCode::kConflict);
  EXPECT_EQ(taken.reason, "name_taken");

  // The same name in another organisation is free.
  Must(uow->InsertPermissionSet(MakePermissionSet("org-b", "set-2", "Auditors", Permissions())));
  Must(uow->InsertPermissionSet(MakePermissionSet("org-a", "set-3", "auditors", Permissions())));

  // Renaming onto a taken name conflicts the same way.
  PermissionSet rename = MakePermissionSet("org-a", "set-3", "standard", Permissions());
  Error renamed = ErrorOf(uow->UpdatePermissionSet(rename));
  EXPECT_EQ(renamed.code, ErrorCode::kConflict);
  EXPECT_EQ(renamed.reason, "name_taken");
}

TEST_P(StoreTest, UpdatePermissionSetChangesNameAndPermissions) {
  SeedTwoOrganizations();
  Permissions org_manage;
  org_manage.Add(Permission::kOrgManage);
  PermissionSet changed = MakePermissionSet("org-a", "set-org-a-standard", "Everyone", org_manage);
  changed.updated_at = At(30);
  {
    auto uow = Write();
    Must(uow->UpdatePermissionSet(changed));
    Must(uow->Commit());
  }
  auto uow = Read();
  auto found = Must(uow->FindPermissionSet("org-a", "set-org-a-standard"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "Everyone");
  EXPECT_EQ(found->permissions, org_manage);
  EXPECT_EQ(found->updated_at, At(30));
  EXPECT_TRUE(Must(uow->FindPermissionSetByName("org-a", "everyone")).has_value());
  EXPECT_FALSE(Must(uow->FindPermissionSetByName("org-a", "standard")).has_value());
}

TEST_P(StoreTest, PermissionSetUpdateAndDeleteOfAbsentSetAreNotFound) {
  SeedTwoOrganizations();
  auto uow = Write();
  EXPECT_EQ(
      ErrorOf(uow->UpdatePermissionSet(MakePermissionSet("org-a", "nope", "Nope", Permissions())))
          .code,
      ErrorCode::kNotFound);
  EXPECT_EQ(ErrorOf(uow->DeletePermissionSet("org-a", "nope")).code, ErrorCode::kNotFound);
}

TEST_P(StoreTest, DeletePermissionSetRemovesAnUnusedSetAndRefusesOneInUse) {
  SeedTwoOrganizations();
  auto uow = Write();
  EXPECT_EQ(Must(uow->CountUsersWithPermissionSet("org-a", "set-org-a-admin")), 1);
  EXPECT_EQ(Must(uow->CountUsersWithPermissionSet("org-a", "set-org-a-standard")), 0);
  // Another organisation's id counts nothing.
  EXPECT_EQ(Must(uow->CountUsersWithPermissionSet("org-b", "set-org-a-admin")), 0);

  Must(uow->DeletePermissionSet("org-a", "set-org-a-standard"));
  EXPECT_FALSE(Must(uow->FindPermissionSet("org-a", "set-org-a-standard")).has_value());

  Error in_use = ErrorOf(uow->DeletePermissionSet("org-a", "set-org-a-admin"));
  EXPECT_EQ(in_use.code, ErrorCode::kConflict);
  EXPECT_EQ(in_use.reason, "in_use");
  EXPECT_TRUE(Must(uow->FindPermissionSet("org-a", "set-org-a-admin")).has_value());
}

}  // namespace
}  // namespace bf::testing
