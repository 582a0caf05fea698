// Credentials, their versions, the credential list and the summary.
#include "store_test.h"

// GCC 12 reports members left out of a designated initializer as missing (a compiler bug: the
// standard value-initialises them, and GCC's own manual says the warning skips designated
// initializers), so the tables below would not build under -Werror.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include <algorithm>
#include <chrono>
#include <latch>
#include <map>
#include <random>
#include <thread>

namespace bf::testing {
namespace {

Date D(const char* iso) {
  auto d = ParseIsoDate(iso);
  if (!d) throw std::runtime_error(std::string("bad date in test: ") + iso);
  return *d;
}

// What a credential fixture differs in; the rest is fixed.
struct Spec {
  std::string id;
  std::string user_id;
  std::string type_id;
  std::optional<Date> expiry;
  ApprovalStatus approval = ApprovalStatus::kNotRequired;
  std::string number;
  bool archived = false;
  int64_t updated = 0;  // seconds after kT0
  std::string org_id = "org-a";
};

Credential MakeCredential(const Spec& s) {
  Credential c;
  c.id = s.id;
  c.org_id = s.org_id;
  c.user.id = s.user_id;
  c.type_id = s.type_id;
  c.archived = s.archived;
  c.revision = 1;
  c.created_at = kT0;
  c.updated_at = At(s.updated);
  CredentialVersion& v = c.latest;
  v.credential_id = s.id;
  v.version = 1;
  v.issue_date = D("2024-01-01");
  v.expiry_date = s.expiry;
  v.credential_number = s.number;
  v.approval_status = s.approval;
  v.created_at = kT0;
  v.updated_at = At(s.updated);
  return c;
}

std::vector<std::string> Ids(const std::vector<Credential>& credentials) {
  std::vector<std::string> out;
  for (const auto& c : credentials) out.push_back(c.id);
  return out;
}

// org-a: users Ada Admin (user-a, seeded), Zoe Zimmer (user-1) and Bea Baker (user-2); types
// First Aid (type-fa), Forklift Licence (type-fl) and Degree (type-dg); seven credentials.
// org-b: one credential of Ben Admin.
//
//   id       holder  type  expiry      approval      number  archived  updated
//   cred-01  Ada     FA    2026-03-01  approved      FA-001            5
//   cred-02  Zoe     FL    2026-01-15  pending       FL-9              3
//   cred-03  Bea     DG    —           not_required                    8
//   cred-04  Ada     FL    2025-12-01  rejected      fl-77             1
//   cred-05  Zoe     FA    2026-03-01  not_required          yes       9
//   cred-06  Bea     FA    2027-06-30  approved      X1                5
//   cred-07  Zoe     DG    —           pending                         2
class CredentialsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    SeedTwoOrganizations();
    auto uow = Write();
    Must(uow->InsertUser(
        MakeUser("org-a", "user-1", "Zoe Zimmer", "zoe@a.test", "set-org-a-standard")));
    Must(uow->InsertUser(
        MakeUser("org-a", "user-2", "Bea Baker", "bbaker@contractor.test", "set-org-a-standard")));
    Must(uow->InsertCredentialType(MakeCredentialType("org-a", "type-fa", "First Aid")));
    Must(uow->InsertCredentialType(MakeCredentialType("org-a", "type-fl", "Forklift Licence")));
    Must(uow->InsertCredentialType(MakeCredentialType("org-a", "type-dg", "Degree")));
    Must(uow->InsertCredentialType(MakeCredentialType("org-b", "type-b", "First Aid")));
    using enum ApprovalStatus;
    const Spec specs[] = {
        {"cred-01", "user-a", "type-fa", D("2026-03-01"), kApproved, "FA-001", false, 5},
        {"cred-02", "user-1", "type-fl", D("2026-01-15"), kPending, "FL-9", false, 3},
        {"cred-03", "user-2", "type-dg", std::nullopt, kNotRequired, "", false, 8},
        {"cred-04", "user-a", "type-fl", D("2025-12-01"), kRejected, "fl-77", false, 1},
        {"cred-05", "user-1", "type-fa", D("2026-03-01"), kNotRequired, "", true, 9},
        {"cred-06", "user-2", "type-fa", D("2027-06-30"), kApproved, "X1", false, 5},
        {"cred-07", "user-1", "type-dg", std::nullopt, kPending, "", false, 2},
        {"cred-b1", "user-b", "type-b", D("2026-01-01"), kApproved, "FA-001", false, 0, "org-b"},
    };
    for (const Spec& s : specs) Must(uow->InsertCredential(MakeCredential(s)));
    Must(uow->Commit());
  }

  // Every page of `filter` (from its first), each checked to be non-empty and no longer than
  // the limit.
  std::vector<std::vector<std::string>> Pages(CredentialFilter filter) {
    std::vector<std::vector<std::string>> pages;
    for (int guard = 0; guard < 50; ++guard) {
      auto page = Must(Read()->ListCredentials("org-a", filter));
      EXPECT_FALSE(page.items.empty()) << "an empty page";
      EXPECT_LE(page.items.size(), static_cast<size_t>(filter.limit));
      pages.push_back(Ids(page.items));
      if (page.next_after.empty()) return pages;
      filter.after = page.next_after;
    }
    ADD_FAILURE() << "pages never ended";
    return pages;
  }
};

TEST_P(CredentialsTest, CredentialRoundTripsWithItsLatestVersionAndNames) {
  Credential c = MakeCredential(
      {"cred-x", "user-1", "type-fl", D("2027-02-28"), ApprovalStatus::kRejected, "AB-12/c"});
  c.revision = 7;
  c.created_at = At(10);
  c.created_by.id = "user-a";
  c.updated_at = At(11);
  c.updated_by.id = "user-2";
  CredentialVersion& v = c.latest;
  v.issue_date = D("2025-02-28");
  v.rejection_reason = "the scan is unreadable";
  v.approved_by.id = "user-a";
  v.approved_at = At(12);
  v.created_at = At(10);
  v.created_by.id = "user-1";
  v.updated_at = At(13);
  v.updated_by.id = "user-2";
  {
    auto uow = Write();
    Must(uow->InsertCredential(c));
    Must(uow->Commit());
  }

  auto found = Must(Read()->FindCredential("org-a", "cred-x"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, "cred-x");
  EXPECT_EQ(found->org_id, "org-a");
  EXPECT_EQ(found->user.id, "user-1");
  EXPECT_EQ(found->user.name, "Zoe Zimmer");
  EXPECT_EQ(found->user.email, "zoe@a.test");
  EXPECT_EQ(found->type_id, "type-fl");
  EXPECT_EQ(found->type_name, "Forklift Licence");
  EXPECT_FALSE(found->archived);
  EXPECT_EQ(found->revision, 7);
  EXPECT_EQ(found->created_at, At(10));
  EXPECT_EQ(found->created_by.id, "user-a");
  EXPECT_EQ(found->created_by.name, "Ada Admin");
  EXPECT_EQ(found->updated_at, At(11));
  EXPECT_EQ(found->updated_by.id, "user-2");
  EXPECT_EQ(found->updated_by.name, "Bea Baker");

  const CredentialVersion& latest = found->latest;
  EXPECT_EQ(latest.credential_id, "cred-x");
  EXPECT_EQ(latest.version, 1);
  EXPECT_EQ(latest.issue_date, D("2025-02-28"));
  EXPECT_EQ(latest.expiry_date, D("2027-02-28"));
  EXPECT_EQ(latest.credential_number, "AB-12/c");
  EXPECT_TRUE(latest.media.empty());
  EXPECT_EQ(latest.approval_status, ApprovalStatus::kRejected);
  EXPECT_EQ(latest.rejection_reason, "the scan is unreadable");
  EXPECT_EQ(latest.approved_by.id, "user-a");
  EXPECT_EQ(latest.approved_by.name, "Ada Admin");
  EXPECT_EQ(latest.approved_at, At(12));
  EXPECT_EQ(latest.created_at, At(10));
  EXPECT_EQ(latest.created_by.id, "user-1");
  EXPECT_EQ(latest.created_by.name, "Zoe Zimmer");
  EXPECT_EQ(latest.updated_at, At(13));
  EXPECT_EQ(latest.updated_by.id, "user-2");
  EXPECT_EQ(latest.updated_by.name, "Bea Baker");

  // Version 1 is the one listed.
  auto versions = Must(Read()->ListVersions("cred-x"));
  ASSERT_EQ(versions.size(), 1u);
  EXPECT_EQ(versions[0].version, 1);
  EXPECT_EQ(versions[0].rejection_reason, "the scan is unreadable");

  // A list page is read another way (the people's and types' names once for the page, the
  // version's fields from the credential row, the rejection reason for rejected rows alone):
  // the same names and fields, but none of the version's approver, creation and change, which
  // a list item does not carry.
  CredentialFilter filter;
  filter.user_id = "user-1";
  auto page = Must(Read()->ListCredentials("org-a", filter));
  auto listed = std::find_if(page.items.begin(), page.items.end(),
                             [](const Credential& item) { return item.id == "cred-x"; });
  ASSERT_NE(listed, page.items.end());
  EXPECT_EQ(listed->user.name, "Zoe Zimmer");
  EXPECT_EQ(listed->type_name, "Forklift Licence");
  EXPECT_EQ(listed->created_by.name, "Ada Admin");
  EXPECT_EQ(listed->updated_by.name, "Bea Baker");
  EXPECT_EQ(listed->latest.credential_id, "cred-x");
  EXPECT_EQ(listed->latest.approval_status, ApprovalStatus::kRejected);
  EXPECT_EQ(listed->latest.rejection_reason, "the scan is unreadable");
  EXPECT_EQ(listed->latest.approved_by.id, "");
  EXPECT_EQ(listed->latest.created_by.id, "");
  EXPECT_EQ(listed->latest.updated_by.id, "");
  for (const Credential& item : page.items) {
    if (item.id != "cred-x") {
      EXPECT_FALSE(item.latest.rejection_reason) << item.id;
    }
  }
}

TEST_P(CredentialsTest, AbsentOptionalFieldsStayAbsent) {
  // cred-03: no expiry, no number, undecided, written by the system (no user).
  auto found = Must(Read()->FindCredential("org-a", "cred-03"));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->user.name, "Bea Baker");
  EXPECT_EQ(found->user.email, "bbaker@contractor.test");
  EXPECT_EQ(found->type_name, "Degree");
  EXPECT_EQ(found->created_by.id, "");
  EXPECT_EQ(found->created_by.name, "");
  EXPECT_EQ(found->updated_by.id, "");
  EXPECT_EQ(found->updated_by.name, "");
  EXPECT_EQ(found->updated_at, At(8));
  EXPECT_EQ(found->latest.expiry_date, std::nullopt);
  EXPECT_EQ(found->latest.credential_number, "");
  EXPECT_EQ(found->latest.approval_status, ApprovalStatus::kNotRequired);
  EXPECT_EQ(found->latest.rejection_reason, std::nullopt);
  EXPECT_EQ(found->latest.approved_by.id, "");
  EXPECT_EQ(found->latest.approved_by.name, "");
  EXPECT_EQ(found->latest.approved_at, std::nullopt);
  EXPECT_EQ(found->latest.created_by.id, "");

  auto archived = Must(Read()->FindCredential("org-a", "cred-05"));
  ASSERT_TRUE(archived.has_value());
  EXPECT_TRUE(archived->archived);
}

TEST_P(CredentialsTest, AnotherOrganizationsCredentialIsNotFoundNorWritten) {
  auto uow = Write();
  EXPECT_FALSE(Must(uow->FindCredential("org-a", "cred-b1")).has_value());
  EXPECT_FALSE(Must(uow->FindCredential("org-b", "cred-01")).has_value());
  EXPECT_FALSE(Must(uow->FindCredential("org-a", "nope")).has_value());

  Credential hijack = MakeCredential({"cred-b1", "user-a", "type-fa", std::nullopt});
  hijack.archived = true;
  EXPECT_EQ(ErrorOf(uow->UpdateCredential(hijack, hijack.revision)).code, ErrorCode::kNotFound);
  EXPECT_EQ(ErrorOf(uow->DeleteCredential("org-a", "cred-b1")).code, ErrorCode::kNotFound);
  EXPECT_EQ(ErrorOf(uow->DeleteCredential("org-a", "nope")).code, ErrorCode::kNotFound);

  auto b1 = Must(uow->FindCredential("org-b", "cred-b1"));
  ASSERT_TRUE(b1.has_value());
  EXPECT_FALSE(b1->archived);
  EXPECT_EQ(b1->user.name, "Ben Admin");
  EXPECT_EQ(Must(uow->ListVersions("cred-b1")).size(), 1u);
}

// The If-Match guarantee lives in the statement: of two writers that read the same revision,
// the second finds the row moved on and writes nothing.
TEST_P(CredentialsTest, AnUpdateOfARevisionThatMovedOnIsAPreconditionFailure) {
  auto uow = Write();
  auto read = Must(uow->FindCredential("org-a", "cred-01"));
  ASSERT_TRUE(read.has_value());
  const int64_t read_revision = read->revision;

  Credential first = *read;
  first.revision = read_revision + 1;
  first.updated_at = At(50);
  Must(uow->UpdateCredential(first, read_revision));

  Credential second = *read;
  second.revision = read_revision + 1;
  second.updated_at = At(60);
  Error lost = ErrorOf(uow->UpdateCredential(second, read_revision));
  EXPECT_EQ(lost.code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(lost.reason, "precondition_failed");
  Must(uow->Commit());

  auto after = Must(Read()->FindCredential("org-a", "cred-01"));
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->revision, read_revision + 1);
  EXPECT_EQ(after->updated_at, At(50));  // the first writer's
}

// A delete with the revision read is conditional in the same way: a revision that moved on
// deletes nothing; the revision the row has deletes it; a missing row is not found.
TEST_P(CredentialsTest, ADeleteOfARevisionThatMovedOnIsAPreconditionFailure) {
  auto uow = Write();
  auto read = Must(uow->FindCredential("org-a", "cred-01"));
  ASSERT_TRUE(read.has_value());
  const int64_t read_revision = read->revision;
  Credential changed = *read;
  changed.revision = read_revision + 1;
  Must(uow->UpdateCredential(changed, read_revision));

  Error lost = ErrorOf(uow->DeleteCredential("org-a", "cred-01", read_revision));
  EXPECT_EQ(lost.code, ErrorCode::kPreconditionFailed);
  EXPECT_EQ(lost.reason, "precondition_failed");
  EXPECT_EQ(ErrorOf(uow->DeleteCredential("org-a", "nope", read_revision)).code,
            ErrorCode::kNotFound);
  Must(uow->DeleteCredential("org-a", "cred-01", read_revision + 1));
  EXPECT_FALSE(Must(uow->FindCredential("org-a", "cred-01")).has_value());
}

// The HTTP flow of two clients with the same ETag: both read revision r, then both write at once
// from two threads with If-Match r. Whatever the engine lets run together, exactly one wins.
TEST_P(CredentialsTest, TwoWritersOfTheSameRevisionOnTwoThreadsExactlyOneWins) {
  auto read = Must(Read()->FindCredential("org-a", "cred-02"));
  ASSERT_TRUE(read.has_value());
  std::latch start(2);
  Status results[2];
  auto writer = [&](int i) {
    start.arrive_and_wait();
    auto began = store_->Begin(true);
    if (!began) {
      results[i] = tl::unexpected(began.error());
      return;
    }
    Credential c = *read;
    c.revision = read->revision + 1;
    c.updated_at = At(100 + i);
    results[i] = (*began)->UpdateCredential(c, read->revision);
    if (!results[i]) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // hold the row a while
    results[i] = (*began)->Commit();
  };
  std::thread first(writer, 0);
  std::thread second(writer, 1);
  first.join();
  second.join();

  const int won = (results[0] ? 1 : 0) + (results[1] ? 1 : 0);
  EXPECT_EQ(won, 1);
  for (const Status& r : results) {
    if (!r) {
      EXPECT_EQ(r.error().code, ErrorCode::kPreconditionFailed) << r.error().detail;
    }
  }
  auto after = Must(Read()->FindCredential("org-a", "cred-02"));
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->revision, read->revision + 1);
  EXPECT_EQ(after->updated_at, At(results[0] ? 100 : 101));  // the winner's
}

TEST_P(CredentialsTest, UpdatesWriteTheRowAndTheVersions) {
  // A renewal: version 2 becomes the latest; version 1 gets rejected after the fact.
  CredentialVersion v2;
  v2.credential_id = "cred-01";
  v2.version = 2;
  v2.issue_date = D("2026-02-20");
  v2.expiry_date = std::nullopt;
  v2.credential_number = "FA-002-New";
  v2.approval_status = ApprovalStatus::kPending;
  v2.created_at = At(20);
  v2.created_by.id = "user-1";
  v2.updated_at = At(20);
  v2.updated_by.id = "user-1";

  auto uow = Write();
  auto found = Must(uow->FindCredential("org-a", "cred-01"));
  ASSERT_TRUE(found.has_value());
  CredentialVersion v1 = found->latest;
  v1.approval_status = ApprovalStatus::kRejected;
  v1.rejection_reason = "superseded";
  v1.approved_by.id = "user-2";
  v1.approved_at = At(21);
  v1.updated_at = At(21);
  v1.updated_by.id = "user-2";
  v1.credential_number = "FA-001b";
  v1.issue_date = D("2024-02-02");
  v1.expiry_date = D("2026-04-01");
  Must(uow->UpdateVersion(v1));
  Must(uow->InsertVersion(v2));

  Credential changed = *found;
  changed.latest = v2;
  changed.archived = true;
  changed.revision = 3;
  changed.updated_at = At(22);
  changed.updated_by.id = "user-1";
  Must(uow->UpdateCredential(changed, found->revision));
  Must(uow->Commit());

  auto read = Read();
  auto after = Must(read->FindCredential("org-a", "cred-01"));
  ASSERT_TRUE(after.has_value());
  EXPECT_TRUE(after->archived);
  EXPECT_EQ(after->revision, 3);
  EXPECT_EQ(after->created_at, kT0);  // unchanged
  EXPECT_EQ(after->updated_at, At(22));
  EXPECT_EQ(after->updated_by.id, "user-1");
  EXPECT_EQ(after->updated_by.name, "Zoe Zimmer");
  EXPECT_EQ(after->latest.version, 2);
  EXPECT_EQ(after->latest.issue_date, D("2026-02-20"));
  EXPECT_EQ(after->latest.expiry_date, std::nullopt);
  EXPECT_EQ(after->latest.credential_number, "FA-002-New");
  EXPECT_EQ(after->latest.approval_status, ApprovalStatus::kPending);
  EXPECT_EQ(after->latest.created_by.name, "Zoe Zimmer");

  auto versions = Must(read->ListVersions("cred-01"));
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].version, 2);  // newest first
  EXPECT_EQ(versions[0].credential_number, "FA-002-New");
  const CredentialVersion& old = versions[1];
  EXPECT_EQ(old.credential_id, "cred-01");
  EXPECT_EQ(old.version, 1);
  EXPECT_EQ(old.issue_date, D("2024-02-02"));
  EXPECT_EQ(old.expiry_date, D("2026-04-01"));
  EXPECT_EQ(old.credential_number, "FA-001b");
  EXPECT_EQ(old.approval_status, ApprovalStatus::kRejected);
  EXPECT_EQ(old.rejection_reason, "superseded");
  EXPECT_EQ(old.approved_by.id, "user-2");
  EXPECT_EQ(old.approved_by.name, "Bea Baker");
  EXPECT_EQ(old.approved_at, At(21));
  EXPECT_EQ(old.created_at, kT0);  // UpdateVersion keeps the creation
  EXPECT_EQ(old.created_by.id, "");
  EXPECT_EQ(old.updated_at, At(21));
  EXPECT_EQ(old.updated_by.name, "Bea Baker");

  // The row's new number is searchable case-insensitively; the old one is not.
  EXPECT_EQ(Ids(Must(read->ListCredentials("org-a", {.q = "fa-002-new"})).items),
            (std::vector<std::string>{"cred-01"}));
  EXPECT_TRUE(Must(read->ListCredentials("org-a", {.q = "FA-001"})).items.empty());

  // A version that does not exist is not found.
  CredentialVersion v9 = v2;
  v9.version = 9;
  EXPECT_EQ(ErrorOf(Write()->UpdateVersion(v9)).code, ErrorCode::kNotFound);
}

TEST_P(CredentialsTest, VersionsAreListedNewestFirst) {
  {
    auto uow = Write();
    for (int n : {3, 2, 4}) {  // inserted out of order
      CredentialVersion v = MakeCredential({"cred-06", "user-2", "type-fa", std::nullopt}).latest;
      v.version = n;
      v.credential_number = "X" + std::to_string(n);
      Must(uow->InsertVersion(v));
    }
    Must(uow->Commit());
  }
  std::vector<std::string> numbers;
  for (const auto& v : Must(Read()->ListVersions("cred-06"))) {
    numbers.push_back(std::to_string(v.version) + ":" + v.credential_number);
  }
  EXPECT_EQ(numbers, (std::vector<std::string>{"4:X4", "3:X3", "2:X2", "1:X1"}));
  EXPECT_TRUE(Must(Read()->ListVersions("nope")).empty());
}

TEST_P(CredentialsTest, DeleteRemovesTheCredentialAndEveryVersion) {
  {
    auto uow = Write();
    CredentialVersion v2 = MakeCredential({"cred-04", "user-a", "type-fl", std::nullopt}).latest;
    v2.version = 2;
    Must(uow->InsertVersion(v2));
    Must(uow->Commit());
  }
  ASSERT_EQ(Must(Read()->ListVersions("cred-04")).size(), 2u);
  {
    auto uow = Write();
    Must(uow->DeleteCredential("org-a", "cred-04"));
    Must(uow->Commit());
  }
  auto uow = Read();
  EXPECT_FALSE(Must(uow->FindCredential("org-a", "cred-04")).has_value());
  EXPECT_TRUE(Must(uow->ListVersions("cred-04")).empty());
  EXPECT_EQ(Must(uow->ListCredentials("org-a", {})).items.size(), 6u);
}

// The credential revision (migrations/*/0012) grows in the transaction of every write the
// summary or a list page could show, of that organisation only, and stays put for writes they
// cannot show.
TEST_P(CredentialsTest, TheCredentialRevisionGrowsWithWhatTheReadsShow) {
  auto revision_in = [](UnitOfWork& uow, const std::string& org) -> int64_t {
    auto at = Must(uow.FindOrganizationAtRevision(org));
    EXPECT_TRUE(at.has_value()) << org;
    return at ? at->credential_revision : -1;
  };
  auto revision = [&](const std::string& org) { return revision_in(*Read(), org); };
  int64_t a = revision("org-a");
  const int64_t b = revision("org-b");
  EXPECT_GT(a, 0) << "the fixture's inserts counted";
  EXPECT_GT(b, 0);
  // Each step writes in its own transaction; `grows` says whether org-a's revision must move.
  auto step = [&](const std::string& what, bool grows, const auto& write) {
    auto uow = Write();
    write(*uow);
    Must(uow->Commit());
    const int64_t now = revision("org-a");
    if (grows) {
      EXPECT_GT(now, a) << what;
    } else {
      EXPECT_EQ(now, a) << what;
    }
    EXPECT_EQ(revision("org-b"), b) << what << ": another organisation's revision moved";
    a = now;
  };
  auto change = [&](const std::string& id, const auto& edit) {
    return [&, id, edit](UnitOfWork& uow) {
      auto found = Must(uow.FindCredential("org-a", id));
      ASSERT_TRUE(found.has_value());
      Credential c = *found;
      edit(c);
      c.revision = found->revision + 1;
      Must(uow.UpdateCredential(c, found->revision));
    };
  };
  step("a number edited", true,
       change("cred-01", [](Credential& c) { c.latest.credential_number = "FA-001-x"; }));
  step("approval", true, change("cred-02", [](Credential& c) {
         c.latest.approval_status = ApprovalStatus::kApproved;
       }));
  step("expiry", true,
       change("cred-01", [](Credential& c) { c.latest.expiry_date = D("2026-03-02"); }));
  step("expiry removed", true,
       change("cred-01", [](Credential& c) { c.latest.expiry_date = std::nullopt; }));
  step("archived", true, change("cred-03", [](Credential& c) { c.archived = true; }));
  step("deleted", true, [](UnitOfWork& uow) { Must(uow.DeleteCredential("org-a", "cred-03")); });
  step("inserted", true, [](UnitOfWork& uow) {
    Must(uow.InsertCredential(MakeCredential({"cred-new", "user-1", "type-fa", D("2027-01-01")})));
  });
  auto type = [&](const auto& edit) {
    return [edit](UnitOfWork& uow) {
      auto found = Must(uow.FindCredentialType("org-a", "type-fl"));
      ASSERT_TRUE(found.has_value());
      CredentialType t = *found;
      edit(t);
      Must(uow.UpdateCredentialType(t));
    };
  };
  step("a type's description", false, type([](CredentialType& t) { t.description = "new"; }));
  step("a type renamed", true, type([](CredentialType& t) { t.name = "Aa forklift"; }));
  step("a type added", true, [](UnitOfWork& uow) {
    Must(uow.InsertCredentialType(MakeCredentialType("org-a", "type-new", "New")));
  });
  step("a type deleted", true,
       [](UnitOfWork& uow) { Must(uow.DeleteCredentialType("org-a", "type-new")); });
  auto version = [&](const std::string& id, const auto& edit) {
    return [id, edit](UnitOfWork& uow) {
      auto versions = Must(uow.ListVersions(id));
      ASSERT_FALSE(versions.empty());
      CredentialVersion v = versions.back();
      edit(v);
      Must(uow.UpdateVersion(v));
    };
  };
  // A review also updates the credential's row; the reason alone must count as well.
  step("a rejection reason", true,
       version("cred-04", [](CredentialVersion& v) { v.rejection_reason = "another reason"; }));
  step("a version's approver", false, version("cred-04", [](CredentialVersion& v) {
         v.approved_by = UserRef{"user-a", "", ""};
       }));
  auto user = [&](const auto& edit) {
    return [edit](UnitOfWork& uow) {
      auto found = Must(uow.FindUser("org-a", "user-1"));
      ASSERT_TRUE(found.has_value());
      User u = *found;
      edit(u);
      Must(uow.UpdateUser(u));
    };
  };
  step("a holder renamed", true, user([](User& u) { u.name = "Zoe Zimmer-Ng"; }));
  step("a holder's email", true, user([](User& u) { u.email = "zoe@new.test"; }));
  step("a holder's password", false, user([](User& u) { u.password_hash = "another"; }));
  step("a holder deactivated", false, user([](User& u) { u.status = UserStatus::kDeactivated; }));
  {  // A write rolled back leaves no trace.
    auto uow = Write();
    Must(uow->DeleteCredential("org-a", "cred-04"));
    EXPECT_GT(revision_in(*uow, "org-a"), a) << "seen inside its transaction";
  }
  EXPECT_EQ(revision("org-a"), a);
}

// What a kept read asks first, in one statement: the organisation as FindOrganization reads it
// with its credential revision (which TheCredentialRevisionGrowsWithWhatTheReadsShow follows),
// each organisation's own, 0 before the organisation's first change.
TEST_P(CredentialsTest, TheOrganizationComesWithItsCredentialRevision) {
  auto check = [&](const std::string& org_id) {
    auto read = Read();
    auto at = Must(read->FindOrganizationAtRevision(org_id));
    ASSERT_TRUE(at.has_value()) << org_id;
    auto alone = Must(read->FindOrganization(org_id));
    ASSERT_TRUE(alone.has_value());
    EXPECT_EQ(at->org.id, org_id);
    EXPECT_EQ(at->org.name, alone->name);
    EXPECT_EQ(at->org.timezone, alone->timezone);
    EXPECT_EQ(at->org.settings.expiring_soon_days, alone->settings.expiring_soon_days);
  };
  check("org-a");
  check("org-b");
  const int64_t other = Must(Read()->FindOrganizationAtRevision("org-b"))->credential_revision;
  const int64_t before = Must(Read()->FindOrganizationAtRevision("org-a"))->credential_revision;
  EXPECT_GT(before, 0);
  {
    auto uow = Write();
    Must(uow->DeleteCredential("org-a", "cred-03"));
    Must(uow->Commit());
  }
  check("org-a");
  EXPECT_GT(Must(Read()->FindOrganizationAtRevision("org-a"))->credential_revision, before);
  EXPECT_EQ(Must(Read()->FindOrganizationAtRevision("org-b"))->credential_revision, other)
      << "another organisation's revision is its own";
  {
    auto uow = Write();
    Must(uow->InsertOrganization(MakeOrganization("org-new", "New")));
    Must(uow->Commit());
  }
  check("org-new");
  EXPECT_EQ(Must(Read()->FindOrganizationAtRevision("org-new"))->credential_revision, 0);
  EXPECT_FALSE(Must(Read()->FindOrganizationAtRevision("org-nobody")).has_value());
}

TEST_P(CredentialsTest, ListItemsAreFilledLikeFind) {
  auto page = Must(Read()->ListCredentials("org-a", {.user_id = "user-a"}));
  ASSERT_EQ(Ids(page.items), (std::vector<std::string>{"cred-04", "cred-01"}));
  EXPECT_EQ(page.next_after, "");
  const Credential& c = page.items[1];
  EXPECT_EQ(c.org_id, "org-a");
  EXPECT_EQ(c.user.id, "user-a");
  EXPECT_EQ(c.user.name, "Ada Admin");
  EXPECT_EQ(c.user.email, "ada@a.test");
  EXPECT_EQ(c.type_id, "type-fa");
  EXPECT_EQ(c.type_name, "First Aid");
  EXPECT_EQ(c.revision, 1);
  EXPECT_EQ(c.updated_at, At(5));
  EXPECT_EQ(c.latest.version, 1);
  EXPECT_EQ(c.latest.issue_date, D("2024-01-01"));
  EXPECT_EQ(c.latest.expiry_date, D("2026-03-01"));
  EXPECT_EQ(c.latest.credential_number, "FA-001");
  EXPECT_EQ(c.latest.approval_status, ApprovalStatus::kApproved);
}

// A page's files are those of each credential's latest version, in the order given, read for
// the page at once: as FindCredential reads them one credential at a time.
TEST_P(CredentialsTest, ListItemsCarryTheFilesOfTheirLatestVersion) {
  auto stored = [&](UnitOfWork& uow, const std::string& id, const std::string& filename) {
    MediaFile m;
    m.id = id;
    m.org_id = "org-a";
    m.uploaded_by = "user-a";
    m.filename = filename;
    m.content_type = "image/png";
    m.chunk_size = 4;
    m.header = std::string(24, 'h');
    m.created_at = kT0;
    Must(uow.InsertMedia(m));
    Must(uow.InsertMediaChunk(m.id, 0, "data"));
    m.size = static_cast<int64_t>(filename.size());
    m.sha256 = "ab";
    m.chunk_count = 1;
    Must(uow.CompleteMedia(m));
    return MediaRef{m.id, m.filename, m.content_type, m.size};
  };
  {
    auto uow = Write();
    // cred-01 (Ada's): version 1 shows two files; version 2 keeps the second and adds a third,
    // first. cred-04 (Ada's) shows one file on its only version.
    const MediaRef old1 = stored(*uow, "media-1", "old-front.png");
    const MediaRef kept = stored(*uow, "media-2", "kept-back.png");
    const MediaRef new3 = stored(*uow, "media-3", "new-front.png");
    const MediaRef other = stored(*uow, "media-4", "forklift.png");
    auto c = Must(uow->FindCredential("org-a", "cred-01"));
    CredentialVersion v1 = c->latest;
    v1.media = {old1, kept};
    Must(uow->UpdateVersion(v1));
    CredentialVersion v2 = v1;
    v2.version = 2;
    v2.media = {new3, kept};
    Must(uow->InsertVersion(v2));
    c->latest = v2;
    Must(uow->UpdateCredential(*c, c->revision));
    auto d = Must(uow->FindCredential("org-a", "cred-04"));
    d->latest.media = {other};
    Must(uow->UpdateVersion(d->latest));
    Must(uow->Commit());
  }
  auto names = [](const Credential& c) {
    std::vector<std::string> out;
    for (const MediaRef& m : c.latest.media) out.push_back(m.id + " " + m.filename);
    return out;
  };
  auto page = Must(Read()->ListCredentials("org-a", {.user_id = "user-a"}));
  ASSERT_EQ(Ids(page.items), (std::vector<std::string>{"cred-04", "cred-01"}));
  EXPECT_EQ(names(page.items[0]), (std::vector<std::string>{"media-4 forklift.png"}));
  EXPECT_EQ(names(page.items[1]),
            (std::vector<std::string>{"media-3 new-front.png", "media-2 kept-back.png"}));
  EXPECT_EQ(page.items[1].latest.media[0].content_type, "image/png");
  EXPECT_EQ(page.items[1].latest.media[0].size, 13);
  for (const Credential& listed : page.items) {
    auto found = Must(Read()->FindCredential("org-a", listed.id));
    EXPECT_EQ(names(listed), names(*found)) << listed.id;
  }
  // Credentials without files list none.
  auto others = Must(Read()->ListCredentials("org-a", {.user_id = "user-1"}));
  for (const Credential& c : others.items) EXPECT_TRUE(c.latest.media.empty()) << c.id;
}

TEST_P(CredentialsTest, EachFilterAloneAndCombined) {
  using enum ApprovalStatus;
  struct Case {
    const char* what;
    CredentialFilter filter;
    std::vector<std::string> ids;
  };
  const Case cases[] = {
      {"archived both (the default): by expiry, undated last",
       {},
       {"cred-04", "cred-02", "cred-01", "cred-05", "cred-06", "cred-03", "cred-07"}},
      {"archived false",
       {.archived = false},
       {"cred-04", "cred-02", "cred-01", "cred-06", "cred-03", "cred-07"}},
      {"archived true", {.archived = true}, {"cred-05"}},
      {"holder", {.user_id = "user-1"}, {"cred-02", "cred-05", "cred-07"}},
      {"holder of nothing", {.user_id = "user-b"}, {}},
      {"type", {.type_id = "type-fa"}, {"cred-01", "cred-05", "cred-06"}},
      {"one approval status", {.approval = {kPending}}, {"cred-02", "cred-07"}},
      {"several approval statuses",
       {.approval = {kRejected, kPending}},
       {"cred-04", "cred-02", "cred-07"}},
      {"the common approval statuses",
       {.approval = {kApproved, kNotRequired}},
       {"cred-01", "cred-05", "cred-06", "cred-03"}},
      {"one expiry range, inclusive at both ends",
       {.by_expiry = true, .expiry_ranges = {{D("2026-01-15"), D("2026-03-01")}}},
       {"cred-02", "cred-01", "cred-05"}},
      {"a one-day range",
       {.by_expiry = true, .expiry_ranges = {{D("2026-01-15"), D("2026-01-15")}}},
       {"cred-02"}},
      {"two disjoint ranges with open ends",
       {.by_expiry = true,
        .expiry_ranges = {{D("2027-01-01"), std::nullopt}, {std::nullopt, D("2025-12-31")}}},
       {"cred-04", "cred-06"}},
      {"touching ranges",
       {.by_expiry = true,
        .expiry_ranges = {{D("2026-01-16"), D("2026-03-01")}, {std::nullopt, D("2026-01-15")}}},
       {"cred-04", "cred-02", "cred-01", "cred-05"}},
      {"overlapping ranges",
       {.by_expiry = true,
        .expiry_ranges = {{D("2026-01-01"), D("2026-03-01")}, {D("2025-01-01"), D("2026-02-01")}}},
       {"cred-04", "cred-02", "cred-01", "cred-05"}},
      {"a fully open range: every dated one",
       {.by_expiry = true, .expiry_ranges = {DateRange{}}},
       {"cred-04", "cred-02", "cred-01", "cred-05", "cred-06"}},
      {"an empty range matches nothing",
       {.by_expiry = true, .expiry_ranges = {{D("2026-02-01"), D("2026-01-01")}}},
       {}},
      {"no expiry only", {.by_expiry = true, .no_expiry = true}, {"cred-03", "cred-07"}},
      {"a range or no expiry",
       {.by_expiry = true,
        .expiry_ranges = {{D("2026-01-01"), D("2026-01-31")}},
        .no_expiry = true},
       {"cred-02", "cred-03", "cred-07"}},
      {"by expiry with neither ranges nor no_expiry", {.by_expiry = true}, {}},
      {"q: holder name, case-insensitive", {.q = "zIMM"}, {"cred-02", "cred-05", "cred-07"}},
      {"q: holder email", {.q = "Contractor"}, {"cred-06", "cred-03"}},
      {"q: type name", {.q = "forklift"}, {"cred-04", "cred-02"}},
      {"q: number, case-insensitive substring", {.q = "FL-7"}, {"cred-04"}},
      {"q: % is literal", {.q = "%"}, {}},
      {"q: _ is literal", {.q = "fa_0"}, {}},
      {"q matching nothing", {.q = "nothing like it"}, {}},
      {"q: another organisation's names do not match", {.q = "ben"}, {}},
      {"holder and type", {.user_id = "user-1", .type_id = "type-fa"}, {"cred-05"}},
      {"holder, not archived", {.user_id = "user-1", .archived = false}, {"cred-02", "cred-07"}},
      {"type and approval", {.type_id = "type-fl", .approval = {kRejected}}, {"cred-04"}},
      {"type and range",
       {.type_id = "type-fa",
        .by_expiry = true,
        .expiry_ranges = {{D("2026-03-01"), D("2026-03-01")}},
        .archived = false},
       {"cred-01"}},
      {"approval and no expiry",
       {.by_expiry = true, .no_expiry = true, .approval = {kPending}},
       {"cred-07"}},
      {"q and range",
       {.by_expiry = true, .expiry_ranges = {{std::nullopt, D("2026-12-31")}}, .q = "a"},
       {"cred-04", "cred-02", "cred-01", "cred-05"}},
      {"everything at once",
       {.user_id = "user-1",
        .type_id = "type-dg",
        .by_expiry = true,
        .expiry_ranges = {{D("2020-01-01"), D("2030-01-01")}},
        .no_expiry = true,
        .approval = {kPending, kApproved},
        .archived = false,
        .q = "degree"},
       {"cred-07"}},
      {"limit", {.limit = 2}, {"cred-04", "cred-02"}},
  };
  auto uow = Read();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    EXPECT_EQ(Ids(Must(uow->ListCredentials("org-a", c.filter)).items), c.ids);
  }
  EXPECT_EQ(Ids(Must(uow->ListCredentials("org-b", {})).items),
            (std::vector<std::string>{"cred-b1"}));
}

TEST_P(CredentialsTest, EachSortOrder) {
  using enum CredentialSort;
  struct Case {
    const char* what;
    CredentialFilter filter;
    std::vector<std::string> ids;
  };
  const Case cases[] = {
      {"expiry ascending: equal dates by id, undated last by id",
       {.sort = kExpiryDate},
       {"cred-04", "cred-02", "cred-01", "cred-05", "cred-06", "cred-03", "cred-07"}},
      {"expiry descending: equal dates by id descending, undated last by id descending",
       {.sort = kExpiryDateDesc},
       {"cred-06", "cred-05", "cred-01", "cred-02", "cred-04", "cred-07", "cred-03"}},
      {"updated ascending: equal times by id",
       {.sort = kUpdatedAt},
       {"cred-04", "cred-07", "cred-02", "cred-01", "cred-06", "cred-03", "cred-05"}},
      {"updated descending",
       {.sort = kUpdatedAtDesc},
       {"cred-05", "cred-03", "cred-06", "cred-01", "cred-02", "cred-07", "cred-04"}},
      {"holder name, then id",
       {.sort = kUserName},
       {"cred-01", "cred-04", "cred-03", "cred-06", "cred-02", "cred-05", "cred-07"}},
      {"holder name, not archived",
       {.archived = false, .sort = kUserName},
       {"cred-01", "cred-04", "cred-03", "cred-06", "cred-02", "cred-07"}},
      {"holder name within a type",
       {.type_id = "type-fa", .sort = kUserName},
       {"cred-01", "cred-06", "cred-05"}},
      {"holder name within an expiry range",
       {.by_expiry = true, .expiry_ranges = {{D("2026-01-01"), std::nullopt}}, .sort = kUserName},
       {"cred-01", "cred-06", "cred-02", "cred-05"}},
      {"holder name with q",
       {.q = "m", .sort = kUserName},
       {"cred-01", "cred-04", "cred-02", "cred-05", "cred-07"}},
      {"holder name with pending approvals",
       {.approval = {ApprovalStatus::kPending}, .sort = kUserName},
       {"cred-02", "cred-07"}},
      {"updated, ranges or no expiry",
       {.by_expiry = true,
        .expiry_ranges = {{std::nullopt, D("2026-01-15")}},
        .no_expiry = true,
        .sort = kUpdatedAtDesc},
       {"cred-03", "cred-02", "cred-07", "cred-04"}},
      {"expiry descending within a holder",
       {.user_id = "user-1", .sort = kExpiryDateDesc},
       {"cred-05", "cred-02", "cred-07"}},
  };
  auto uow = Read();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    EXPECT_EQ(Ids(Must(uow->ListCredentials("org-a", c.filter)).items), c.ids);
  }
}

TEST_P(CredentialsTest, KeysetPagesWalkEveryRowOnceInEverySort) {
  using enum CredentialSort;
  for (CredentialSort sort :
       {kExpiryDate, kExpiryDateDesc, kUpdatedAt, kUpdatedAtDesc, kUserName}) {
    for (std::optional<bool> archived : {std::optional<bool>(), std::optional<bool>(false)}) {
      CredentialFilter filter{.archived = archived, .sort = sort};
      const auto all = Ids(Must(Read()->ListCredentials("org-a", filter)).items);
      ASSERT_EQ(all.size(), archived ? 6u : 7u);
      for (int limit = 1; limit <= 7; ++limit) {
        SCOPED_TRACE("sort " + std::to_string(static_cast<int>(sort)) + ", limit " +
                     std::to_string(limit) + (archived ? ", unarchived" : ", all"));
        filter.limit = limit;
        std::vector<std::string> walked;
        for (const auto& page : Pages(filter))
          walked.insert(walked.end(), page.begin(), page.end());
        EXPECT_EQ(walked, all);
      }
    }
  }
  // A filtered list keeps its filter across pages, and a page can end on the last dated row.
  EXPECT_EQ(Pages({.approval = {ApprovalStatus::kPending, ApprovalStatus::kRejected}, .limit = 2}),
            (std::vector<std::vector<std::string>>{{"cred-04", "cred-02"}, {"cred-07"}}));
  EXPECT_EQ(Pages({.archived = false, .limit = 2}),
            (std::vector<std::vector<std::string>>{
                {"cred-04", "cred-02"}, {"cred-01", "cred-06"}, {"cred-03", "cred-07"}}));
}

TEST_P(CredentialsTest, APageIsStableWhenRowsAreInsertedBetweenPages) {
  using enum CredentialSort;
  int n = 0;
  for (CredentialSort sort :
       {kExpiryDate, kExpiryDateDesc, kUpdatedAt, kUpdatedAtDesc, kUserName}) {
    SCOPED_TRACE("sort " + std::to_string(static_cast<int>(sort)));
    CredentialFilter filter{.sort = sort, .limit = 3};
    const auto before = Ids(Must(Read()->ListCredentials("org-a", {.sort = sort})).items);
    auto first = Must(Read()->ListCredentials("org-a", filter));
    ASSERT_FALSE(first.next_after.empty());
    // One row that sorts before the cursor and one after it, in every sort.
    const std::string early = "cred-00-" + std::to_string(n), late = "cred-99-" + std::to_string(n);
    ++n;
    {
      auto uow = Write();
      Must(uow->InsertCredential(
          MakeCredential({early, "user-a", "type-fa", D("2020-01-01"), {}, "", false, 0})));
      Must(uow->InsertCredential(
          MakeCredential({late, "user-1", "type-fa", std::nullopt, {}, "", false, 99})));
      Must(uow->Commit());
    }
    std::vector<std::string> walked = Ids(first.items);
    filter.after = first.next_after;
    for (const auto& page : Pages(filter)) walked.insert(walked.end(), page.begin(), page.end());
    for (const std::string& id : before) {
      EXPECT_EQ(std::count(walked.begin(), walked.end(), id), 1) << id;
    }
    std::vector<std::string> originals;
    std::copy_if(walked.begin(), walked.end(), std::back_inserter(originals), [&](const auto& id) {
      return std::find(before.begin(), before.end(), id) != before.end();
    });
    EXPECT_EQ(originals, before);  // in the same order
    EXPECT_LE(std::count(walked.begin(), walked.end(), early), 1);
    EXPECT_LE(std::count(walked.begin(), walked.end(), late), 1);
    {
      auto uow = Write();
      Must(uow->DeleteCredential("org-a", early));
      Must(uow->DeleteCredential("org-a", late));
      Must(uow->Commit());
    }
  }
}

TEST_P(CredentialsTest, AnInvalidCursorIsABadRequest) {
  using enum CredentialSort;
  auto uow = Read();
  auto first = Must(uow->ListCredentials("org-a", {.sort = kUpdatedAt, .limit = 2}));
  ASSERT_FALSE(first.next_after.empty());
  struct Case {
    const char* what;
    CredentialSort sort;
    std::string after;
  };
  const Case cases[] = {
      {"garbage", kExpiryDate, "garbage"},
      {"another sort's cursor", kExpiryDate, first.next_after},
      {"not a date", kExpiryDate,
       "expiry_date\x1f"
       "2026-02-30\x1f"
       "cred-01"},
      {"not a number", kUpdatedAt,
       "updated_at\x1f"
       "12x\x1f"
       "cred-01"},
      {"an empty number", kUpdatedAtDesc,
       "-updated_at\x1f\x1f"
       "cred-01"},
      {"no id", kUserName,
       "user_name\x1f"
       "ada admin\x1f"},
      {"one separator", kUserName,
       "user_name\x1f"
       "ada admin"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    Error e = ErrorOf(uow->ListCredentials("org-a", {.sort = c.sort, .after = c.after}));
    EXPECT_EQ(e.code, ErrorCode::kBadRequest);
    EXPECT_EQ(e.reason, "invalid_cursor");
  }
  // The cursor of its own sort continues the list.
  EXPECT_EQ(Ids(Must(uow->ListCredentials(
                         "org-a", {.sort = kUpdatedAt, .limit = 2, .after = first.next_after}))
                    .items),
            (std::vector<std::string>{"cred-02", "cred-01"}));
}

// Counts as of 2026-06-01 with 30 days' notice, around each boundary.
TEST_P(StoreTest, SummaryCountsStatusesAroundTheirBoundaries) {
  SeedTwoOrganizations();
  const Date today = D("2026-06-01");
  {
    auto uow = Write();
    // Names that sort differently with and without case: "alpha" before "Zeta" only ignoring it.
    Must(uow->InsertCredentialType(MakeCredentialType("org-a", "t-z", "Zeta Licence")));
    Must(uow->InsertCredentialType(MakeCredentialType("org-a", "t-a", "alpha card")));
    Must(uow->InsertCredentialType(MakeCredentialType("org-a", "t-unused", "Middle")));
    Must(uow->InsertCredentialType(MakeCredentialType("org-b", "t-b", "B")));
    using enum ApprovalStatus;
    const Spec specs[] = {
        {"z-today", "user-a", "t-z", D("2026-06-01")},                         // expiring soon
        {"z-last-soon", "user-a", "t-z", D("2026-07-01"), kPending},           // today+30: soon
        {"z-first-valid", "user-a", "t-z", D("2026-07-02"), kRejected},        // today+31: valid
        {"z-yesterday", "user-a", "t-z", D("2026-05-31"), kPending},           // expired
        {"z-none", "user-a", "t-z", std::nullopt, kApproved},                  // no expiry
        {"z-archived", "user-a", "t-z", D("2020-01-01"), kPending, "", true},  // not counted
        {"a-none-1", "user-a", "t-a", std::nullopt},
        {"a-none-2", "user-a", "t-a", std::nullopt, kPending},
        {"a-far", "user-a", "t-a", D("2030-01-01"), kRejected},
        {"u-archived", "user-a", "t-unused", D("2026-06-01"), kPending, "", true},
        {"b-1", "user-b", "t-b", D("2026-06-01"), kPending, "", false, 0, "org-b"},
    };
    for (const Spec& s : specs) Must(uow->InsertCredential(MakeCredential(s)));
    Must(uow->Commit());
  }

  auto summary = Must(Read()->SummarizeCredentials("org-a", today, 30));
  auto counts = [](const StatusCounts& c) {
    return std::vector<int64_t>{
        c.total, c.valid, c.expiring_soon, c.expired, c.no_expiry, c.pending_approval, c.rejected};
  };
  //                                   total valid soon expired none pending rejected
  EXPECT_EQ(counts(summary.all), (std::vector<int64_t>{8, 2, 2, 1, 3, 3, 2}));
  ASSERT_EQ(summary.by_type.size(), 2u);
  EXPECT_EQ(summary.by_type[0].type_id, "t-a");
  EXPECT_EQ(summary.by_type[0].type_name, "alpha card");
  EXPECT_EQ(counts(summary.by_type[0].counts), (std::vector<int64_t>{3, 1, 0, 0, 2, 1, 1}));
  EXPECT_EQ(summary.by_type[1].type_id, "t-z");
  EXPECT_EQ(summary.by_type[1].type_name, "Zeta Licence");
  EXPECT_EQ(counts(summary.by_type[1].counts), (std::vector<int64_t>{5, 1, 2, 1, 1, 2, 1}));

  // The same credentials a day later: today's expiry has passed, one more enters the window.
  auto next_day = Must(Read()->SummarizeCredentials("org-a", D("2026-06-02"), 30));
  EXPECT_EQ(counts(next_day.by_type[1].counts), (std::vector<int64_t>{5, 0, 2, 2, 1, 2, 1}));
  // No notice at all: only an expiry of today itself is expiring soon.
  auto no_notice = Must(Read()->SummarizeCredentials("org-a", today, 0));
  EXPECT_EQ(counts(no_notice.by_type[1].counts), (std::vector<int64_t>{5, 2, 1, 1, 1, 2, 1}));

  auto empty = Must(Read()->SummarizeCredentials("org-nobody", today, 30));
  EXPECT_EQ(counts(empty.all), (std::vector<int64_t>{0, 0, 0, 0, 0, 0, 0}));
  EXPECT_TRUE(empty.by_type.empty());
}

// The summary (and a type's credential count) read counts that triggers keep as credentials are
// written. After a few hundred random inserts, edits, archivings, restorations and deletions,
// they must agree with counting every credential by hand, for days on both sides of month ends and
// of 29 February, with windows that end in the same month, the next one and months later.
TEST_P(StoreTest, SummaryAgreesWithCountingEveryCredentialAfterRandomWrites) {
  SeedTwoOrganizations();
  const std::vector<std::string> types = {"t-1", "t-2", "t-3"};
  {
    auto uow = Write();
    for (const std::string& t : types) {
      Must(uow->InsertCredentialType(MakeCredentialType("org-a", t, "Type " + t)));
    }
    Must(uow->InsertCredentialType(MakeCredentialType("org-b", "t-b", "B")));
    Must(uow->Commit());
  }
  std::mt19937 random(20240229);
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  const Date first_expiry = D("2023-12-20");
  auto random_expiry = [&]() -> std::optional<Date> {
    if (pick(6) == 0) return std::nullopt;
    return first_expiry + date::days{pick(150)};  // to mid-May 2024
  };
  auto random_approval = [&] { return static_cast<ApprovalStatus>(pick(4)); };
  std::map<std::string, Credential> expected;  // what is stored, by id

  for (int round = 0; round < 6; ++round) {
    auto uow = Write();
    for (int i = 0; i < 60; ++i) {
      const std::string id = "c-" + std::to_string(round) + "-" + std::to_string(i);
      Credential c = MakeCredential(
          {id, "user-a", types[pick(3)], random_expiry(), random_approval(), "", pick(5) == 0});
      Must(uow->InsertCredential(c));
      expected[id] = c;
    }
    // A credential of another organisation on the same days, never counted for org-a.
    Must(uow->InsertCredential(
        MakeCredential({"b-" + std::to_string(round), "user-b", "t-b", random_expiry(),
                        ApprovalStatus::kPending, "", false, 0, "org-b"})));
    for (int i = 0; i < 40; ++i) {
      auto it = std::next(expected.begin(), pick(static_cast<int>(expected.size())));
      Credential& c = it->second;
      switch (pick(5)) {
        case 0:
          c.latest.expiry_date = random_expiry();
          break;
        case 1:
          c.latest.approval_status = random_approval();
          break;
        case 2:
          c.archived = !c.archived;
          break;
        case 3:
          Must(uow->DeleteCredential("org-a", c.id));
          expected.erase(it);
          continue;
        default:  // an edit that changes nothing counted
          c.latest.credential_number += "x";
          break;
      }
      c.revision += 1;
      Must(uow->UpdateCredential(c, c.revision - 1));
    }
    Must(uow->Commit());
  }

  // Each type's credential count, archived ones included, reads the same counts.
  for (const std::string& t : types) {
    const auto count = std::count_if(expected.begin(), expected.end(),
                                     [&](const auto& entry) { return entry.second.type_id == t; });
    auto type = Must(Read()->FindCredentialType("org-a", t));
    ASSERT_TRUE(type.has_value());
    EXPECT_EQ(type->credential_count, count) << t;
  }

  for (const char* day : {"2024-01-31", "2024-02-01", "2024-02-28", "2024-02-29", "2024-03-01",
                          "2024-03-31", "2023-12-01", "2024-06-15"}) {
    for (int notice : {0, 1, 29, 30, 61}) {
      const Date today = D(day);
      const Date last = today + date::days{notice};
      std::map<std::string, StatusCounts> by_type;
      StatusCounts all;
      for (const auto& [id, c] : expected) {
        if (c.archived) continue;
        for (StatusCounts* counts : {&by_type[c.type_id], &all}) {
          counts->total += 1;
          const auto& expiry = c.latest.expiry_date;
          counts->no_expiry += !expiry ? 1 : 0;
          counts->expired += expiry && *expiry < today ? 1 : 0;
          counts->expiring_soon += expiry && *expiry >= today && *expiry <= last ? 1 : 0;
          counts->valid += expiry && *expiry > last ? 1 : 0;
          counts->pending_approval += c.latest.approval_status == ApprovalStatus::kPending ? 1 : 0;
          counts->rejected += c.latest.approval_status == ApprovalStatus::kRejected ? 1 : 0;
        }
      }
      auto as_vector = [](const StatusCounts& c) {
        return std::vector<int64_t>{c.total,   c.valid,     c.expiring_soon,
                                    c.expired, c.no_expiry, c.pending_approval,
                                    c.rejected};
      };
      const std::string where = std::string(day) + " with " + std::to_string(notice) + " days";
      auto summary = Must(Read()->SummarizeCredentials("org-a", today, notice));
      EXPECT_EQ(as_vector(summary.all), as_vector(all)) << where;
      ASSERT_EQ(summary.by_type.size(), by_type.size()) << where;
      for (const TypeCounts& t : summary.by_type) {
        EXPECT_EQ(as_vector(t.counts), as_vector(by_type[t.type_id])) << where << ", " << t.type_id;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, CredentialsTest, ::testing::ValuesIn(Backends()), BackendName);

}  // namespace
}  // namespace bf::testing
