// Users, and tenant isolation across every aggregate that takes an organisation id.
#include "store_test.h"

// GCC 12 reports members left out of a designated initializer as missing (a compiler bug: the
// standard value-initialises them, and GCC's own manual says the warning skips designated
// initializers), so the filter tables below would not build under -Werror.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include "domain/validation.h"

namespace bf::testing {
namespace {

std::vector<std::string> Names(const std::vector<User>& users) {
  std::vector<std::string> out;
  for (const auto& u : users) out.push_back(u.name);
  return out;
}

TEST_P(StoreTest, UserRoundTripsWithItsPermissionSet) {
  SeedTwoOrganizations();
  User user = MakeUser("org-a", "user-1", "Grace Hopper", "Grace@Navy.test", "set-org-a-admin");
  user.status = UserStatus::kDeactivated;
  user.password_hash = "$argon2id$v=19$...";
  user.created_at = At(7);
  user.updated_at = At(8);
  {
    auto uow = Write();
    Must(uow->InsertUser(user));
    Must(uow->Commit());
  }

  auto found = Must(Read()->FindUser("org-a", "user-1"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, "user-1");
  EXPECT_EQ(found->org_id, "org-a");
  EXPECT_EQ(found->email, "Grace@Navy.test");  // as entered
  EXPECT_EQ(found->name, "Grace Hopper");
  EXPECT_EQ(found->status, UserStatus::kDeactivated);
  EXPECT_EQ(found->permission_set_id, "set-org-a-admin");
  EXPECT_EQ(found->permission_set_name, "Administrator");
  EXPECT_EQ(found->permissions, Permissions::All());
  EXPECT_EQ(found->password_hash, "$argon2id$v=19$...");
  EXPECT_EQ(found->created_at, At(7));
  EXPECT_EQ(found->updated_at, At(8));
}

TEST_P(StoreTest, UserIsFoundByEmailCaseInsensitively) {
  SeedTwoOrganizations();
  auto uow = Read();
  auto found = Must(uow->FindUserByEmail("org-a", "ADA@A.Test"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, "user-a");
  EXPECT_FALSE(Must(uow->FindUserByEmail("org-a", "nobody@a.test")).has_value());
  // Email lookups are per organisation.
  EXPECT_FALSE(Must(uow->FindUserByEmail("org-b", "ada@a.test")).has_value());
}

TEST_P(StoreTest, EmailTakenIsCaseInsensitiveWithinOneOrganization) {
  SeedTwoOrganizations();
  auto uow = Write();
  Error taken = ErrorOf(
      uow->InsertUser(MakeUser("org-a", "user-2", "Other Ada", "ADA@a.test", "set-org-a-admin")));
  EXPECT_EQ(taken.code, ErrorCode::kConflict);
  EXPECT_EQ(taken.reason, "email_taken");

  // The same address in another organisation is a different user.
  Must(uow->InsertUser(MakeUser("org-b", "user-3", "Ada in B", "Ada@A.test", "set-org-b-admin")));
  auto everywhere = Must(uow->FindUsersByEmailInAnyOrg("ada@a.TEST"));
  ASSERT_EQ(everywhere.size(), 2u);
  EXPECT_EQ(everywhere[0].org_id == "org-a" ? everywhere[1].org_id : everywhere[0].org_id, "org-b");
  EXPECT_TRUE(Must(uow->FindUsersByEmailInAnyOrg("nobody@a.test")).empty());
}

TEST_P(StoreTest, UpdateUserChangesItsFieldsAndKeys) {
  SeedTwoOrganizations();
  User changed =
      MakeUser("org-a", "user-a", "Ada Lovelace", "Countess@A.test", "set-org-a-standard");
  changed.status = UserStatus::kDeactivated;
  changed.password_hash = "new-hash";
  changed.updated_at = At(90);
  {
    auto uow = Write();
    Must(uow->UpdateUser(changed));
    Must(uow->Commit());
  }

  auto uow = Read();
  auto found = Must(uow->FindUserByEmail("org-a", "countess@a.test"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "Ada Lovelace");
  EXPECT_EQ(found->email, "Countess@A.test");
  EXPECT_EQ(found->status, UserStatus::kDeactivated);
  EXPECT_EQ(found->permission_set_id, "set-org-a-standard");
  EXPECT_EQ(found->permission_set_name, "Standard");
  EXPECT_EQ(found->permissions, Permissions());
  EXPECT_EQ(found->password_hash, "new-hash");
  EXPECT_EQ(found->created_at, kT0);
  EXPECT_EQ(found->updated_at, At(90));
  EXPECT_FALSE(Must(uow->FindUserByEmail("org-a", "ada@a.test")).has_value());
}

TEST_P(StoreTest, UpdateUserOntoATakenEmailConflictsAndOfAnAbsentUserIsNotFound) {
  SeedTwoOrganizations();
  auto uow = Write();
  Must(uow->InsertUser(MakeUser("org-a", "user-2", "Bea", "bea@a.test", "set-org-a-standard")));
  Error taken = ErrorOf(
      uow->UpdateUser(MakeUser("org-a", "user-2", "Bea", "Ada@A.TEST", "set-org-a-standard")));
  EXPECT_EQ(taken.code, ErrorCode::kConflict);
  EXPECT_EQ(taken.reason, "email_taken");

  EXPECT_EQ(
      ErrorOf(uow->UpdateUser(MakeUser("org-a", "nope", "N", "n@a.test", "set-org-a-standard")))
          .code,
      ErrorCode::kNotFound);
}

// Users of org-a for the list tests; ordered by lower-cased name, then id.
class ListUsersTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    SeedTwoOrganizations();
    auto uow = Write();
    struct Row {
      const char* id;
      const char* name;
      const char* email;
      const char* set;
      UserStatus status;
    };
    const Row rows[] = {
        {"u-bob-2", "BOB BAKER", "bob2@work.test", "set-org-a-standard", UserStatus::kActive},
        {"u-erin", "Erin_Eve", "erin@example.com", "set-org-a-standard", UserStatus::kActive},
        {"u-carol", "carol Cooper", "carol@example.com", "set-org-a-standard",
         UserStatus::kDeactivated},
        {"u-ann", "Ann Eden", "ann@work.test", "set-org-a-standard", UserStatus::kActive},
        {"u-dave", "Dave 100% Dunn", "dave@example.com", "set-org-a-standard", UserStatus::kActive},
        {"u-bob-1", "Bob Baker", "bob1@work.test", "set-org-a-standard", UserStatus::kActive},
    };
    for (const Row& r : rows) {
      User u = MakeUser("org-a", r.id, r.name, r.email, r.set);
      u.status = r.status;
      Must(uow->InsertUser(u));
    }
    Must(uow->Commit());
  }
};

TEST_P(ListUsersTest, FiltersByQueryStatusAndPermissionSet) {
  struct Case {
    const char* what;
    UserFilter filter;
    std::vector<std::string> names;
  };
  const Case cases[] = {
      {"no filter: all, by lower-cased name then id",
       {},
       {"Ada Admin", "Ann Eden", "Bob Baker", "BOB BAKER", "carol Cooper", "Dave 100% Dunn",
        "Erin_Eve"}},
      {"q matches the name case-insensitively", {.q = "bAk"}, {"Bob Baker", "BOB BAKER"}},
      {"q matches the email case-insensitively",
       {.q = "EXAMPLE.COM"},
       {"carol Cooper", "Dave 100% Dunn", "Erin_Eve"}},
      {"q % is literal", {.q = "%"}, {"Dave 100% Dunn"}},
      {"q _ is literal", {.q = "n_e"}, {"Erin_Eve"}},
      {"q matching nothing", {.q = "zzz"}, {}},
      {"status deactivated", {.status = UserStatus::kDeactivated}, {"carol Cooper"}},
      {"permission set", {.permission_set_id = "set-org-a-admin"}, {"Ada Admin"}},
      {"all filters together",
       {.q = "example", .status = UserStatus::kActive, .permission_set_id = "set-org-a-standard"},
       {"Dave 100% Dunn", "Erin_Eve"}},
      {"limit", {.limit = 2}, {"Ada Admin", "Ann Eden"}},
  };
  auto uow = Read();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    EXPECT_EQ(Names(Must(uow->ListUsers("org-a", c.filter))), c.names);
  }
}

TEST_P(ListUsersTest, KeysetPagesWalkEveryUserOnceAcrossEqualNames) {
  auto uow = Read();
  UserFilter filter{.limit = 3};
  std::vector<std::vector<std::string>> pages;
  std::vector<std::string> ids;
  for (int guard = 0; guard < 10; ++guard) {
    auto page = Must(uow->ListUsers("org-a", filter));
    if (page.empty()) break;
    pages.push_back(Names(page));
    for (const auto& u : page) ids.push_back(u.id);
    filter.after = std::make_pair(Lower(page.back().name), page.back().id);
  }
  // The page break falls between the two Bob Bakers, which only the id tells apart.
  EXPECT_EQ(pages,
            (std::vector<std::vector<std::string>>{{"Ada Admin", "Ann Eden", "Bob Baker"},
                                                   {"BOB BAKER", "carol Cooper", "Dave 100% Dunn"},
                                                   {"Erin_Eve"}}));
  EXPECT_EQ(ids, (std::vector<std::string>{"user-a", "u-ann", "u-bob-1", "u-bob-2", "u-carol",
                                           "u-dave", "u-erin"}));

  // A page after a filter's last match is empty; the filter holds across pages.
  UserFilter active{.status = UserStatus::kActive, .limit = 4};
  auto first = Must(uow->ListUsers("org-a", active));
  EXPECT_EQ(Names(first),
            (std::vector<std::string>{"Ada Admin", "Ann Eden", "Bob Baker", "BOB BAKER"}));
  active.after = std::make_pair(Lower(first.back().name), first.back().id);
  EXPECT_EQ(Names(Must(uow->ListUsers("org-a", active))),
            (std::vector<std::string>{"Dave 100% Dunn", "Erin_Eve"}));
}

TEST_P(StoreTest, AnotherOrganizationsRowsAreNotFound) {
  SeedTwoOrganizations();
  {
    auto uow = Write();
    Must(uow->InsertCredentialType(MakeCredentialType("org-b", "type-b", "Forklift")));
    Must(uow->Commit());
  }
  auto uow = Write();
  EXPECT_FALSE(Must(uow->FindUser("org-a", "user-b")).has_value());
  EXPECT_FALSE(Must(uow->FindUserByEmail("org-a", "ben@b.test")).has_value());
  EXPECT_EQ(Names(Must(uow->ListUsers("org-a", {}))), (std::vector<std::string>{"Ada Admin"}));
  EXPECT_FALSE(Must(uow->FindPermissionSet("org-a", "set-org-b-admin")).has_value());
  EXPECT_FALSE(Must(uow->FindCredentialType("org-a", "type-b")).has_value());
  EXPECT_FALSE(Must(uow->FindCredentialTypeByName("org-a", "Forklift")).has_value());
  EXPECT_TRUE(Must(uow->ListCredentialTypes("org-a", "")).empty());

  // Writes aimed at another organisation's rows touch nothing.
  EXPECT_EQ(
      ErrorOf(uow->UpdateUser(MakeUser("org-a", "user-b", "Hijack", "x@a.test", "set-org-a-admin")))
          .code,
      ErrorCode::kNotFound);
  EXPECT_EQ(ErrorOf(uow->UpdatePermissionSet(
                        MakePermissionSet("org-a", "set-org-b-standard", "Hijack", Permissions())))
                .code,
            ErrorCode::kNotFound);
  EXPECT_EQ(ErrorOf(uow->DeletePermissionSet("org-a", "set-org-b-standard")).code,
            ErrorCode::kNotFound);
  EXPECT_EQ(
      ErrorOf(uow->UpdateCredentialType(MakeCredentialType("org-a", "type-b", "Hijack"))).code,
      ErrorCode::kNotFound);
  EXPECT_EQ(ErrorOf(uow->DeleteCredentialType("org-a", "type-b")).code, ErrorCode::kNotFound);

  auto ben = Must(uow->FindUser("org-b", "user-b"));
  ASSERT_TRUE(ben.has_value());
  EXPECT_EQ(ben->name, "Ben Admin");
  EXPECT_TRUE(Must(uow->FindPermissionSet("org-b", "set-org-b-standard")).has_value());
  EXPECT_TRUE(Must(uow->FindCredentialType("org-b", "type-b")).has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, ListUsersTest, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace bf::testing
