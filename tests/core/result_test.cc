// Errors as values: the helpers that build them and the macros that propagate them.
#include "core/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace bf {
namespace {

// An error with every member set, so that a copy losing any of them shows.
Error FullError() {
  Error e{ErrorCode::kConflict,
          "name_taken",
          "a credential type with this name exists",
          "UNIQUE constraint failed: credential_types.name_key",
          {}};
  e.fields.push_back({"name", "name_taken", "taken"});
  e.fields.push_back({"other", "other_code", "other message"});
  return e;
}

void ExpectSameError(const Error& actual, const Error& expected) {
  EXPECT_EQ(actual.code, expected.code);
  EXPECT_EQ(actual.reason, expected.reason);
  EXPECT_EQ(actual.message, expected.message);
  EXPECT_EQ(actual.detail, expected.detail);
  ASSERT_EQ(actual.fields.size(), expected.fields.size());
  for (size_t i = 0; i < actual.fields.size(); ++i) {
    EXPECT_EQ(actual.fields[i].field, expected.fields[i].field);
    EXPECT_EQ(actual.fields[i].code, expected.fields[i].code);
    EXPECT_EQ(actual.fields[i].message, expected.fields[i].message);
  }
}

Status FailingStatus() { return tl::unexpected(FullError()); }
Result<int> FailingInt() { return tl::unexpected(FullError()); }
Result<int> FortyTwo() { return 42; }
Result<std::unique_ptr<int>> Boxed(int v) { return std::make_unique<int>(v); }

// ---- BF_RETURN_IF_ERROR ---------------------------------------------------------------------

TEST(ReturnIfError, PropagatesTheExactErrorOfAStatus) {
  bool reached = false;
  auto run = [&]() -> Status {
    BF_RETURN_IF_ERROR(FailingStatus());
    reached = true;
    return Ok();
  };
  Status s = run();
  ASSERT_FALSE(s.has_value());
  ExpectSameError(s.error(), FullError());
  EXPECT_FALSE(reached);
}

TEST(ReturnIfError, PropagatesTheErrorOfAResultIntoAnotherResultType) {
  auto run = []() -> Result<std::string> {
    BF_RETURN_IF_ERROR(FailingInt());
    return std::string("unreachable");
  };
  auto r = run();
  ASSERT_FALSE(r.has_value());
  ExpectSameError(r.error(), FullError());
}

TEST(ReturnIfError, ContinuesOnSuccessAndEvaluatesTheExpressionOnce) {
  int calls = 0;
  auto count = [&]() -> Status {
    ++calls;
    return Ok();
  };
  auto run = [&]() -> Result<int> {
    BF_RETURN_IF_ERROR(count());
    BF_RETURN_IF_ERROR(FortyTwo());
    return 7;
  };
  auto r = run();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, 7);
  EXPECT_EQ(calls, 1);
}

TEST(ReturnIfError, WorksAsTheOnlyStatementOfAnUnbracedIf) {
  auto run = [](bool check) -> Status {
    if (check)
      BF_RETURN_IF_ERROR(FailingStatus());
    else
      return Fail(ErrorCode::kInvalid, "else_branch", "took the else branch");
    return Ok();
  };
  ExpectSameError(run(true).error(), FullError());
  EXPECT_EQ(run(false).error().reason, "else_branch");
}

// ---- BF_ASSIGN_OR_RETURN --------------------------------------------------------------------

TEST(AssignOrReturn, DeclaresAndAssignsTheValue) {
  auto run = []() -> Result<int> {
    BF_ASSIGN_OR_RETURN(int a, FortyTwo());
    BF_ASSIGN_OR_RETURN(auto b, FortyTwo());
    return a + b;
  };
  EXPECT_EQ(run().value(), 84);
}

TEST(AssignOrReturn, AssignsToAnExistingVariable) {
  auto run = []() -> Result<int> {
    int value = 0;
    BF_ASSIGN_OR_RETURN(value, FortyTwo());
    return value;
  };
  EXPECT_EQ(run().value(), 42);
}

TEST(AssignOrReturn, MovesMoveOnlyValues) {
  auto run = []() -> Result<int> {
    BF_ASSIGN_OR_RETURN(std::unique_ptr<int> p, Boxed(5));
    return *p;
  };
  EXPECT_EQ(run().value(), 5);
}

TEST(AssignOrReturn, PropagatesTheExactErrorAndLeavesTheTargetAlone) {
  int target = -1;
  bool reached = false;
  auto run = [&]() -> Status {
    BF_ASSIGN_OR_RETURN(target, FailingInt());
    reached = true;
    return Ok();
  };
  Status s = run();
  ASSERT_FALSE(s.has_value());
  ExpectSameError(s.error(), FullError());
  EXPECT_EQ(target, -1);
  EXPECT_FALSE(reached);
}

TEST(AssignOrReturn, EvaluatesTheExpressionOnce) {
  int calls = 0;
  auto count = [&]() -> Result<int> { return ++calls; };
  auto run = [&]() -> Result<int> {
    BF_ASSIGN_OR_RETURN(int v, count());
    return v;
  };
  EXPECT_EQ(run().value(), 1);
  EXPECT_EQ(calls, 1);
}

// The error a helper builds, seen as a failed Status sees it.
Error ErrorOf(Status s) { return s.error(); }

// ---- Helpers --------------------------------------------------------------------------------

TEST(Fail, BuildsTheErrorItIsGiven) {
  Error e = ErrorOf(Fail(ErrorCode::kConflict, "type_in_use", "in use", "3 credentials"));
  EXPECT_EQ(e.code, ErrorCode::kConflict);
  EXPECT_EQ(e.reason, "type_in_use");
  EXPECT_EQ(e.message, "in use");
  EXPECT_EQ(e.detail, "3 credentials");
  EXPECT_TRUE(e.fields.empty());
}

TEST(FailField, Is422NamingOneFieldWithTheSameCodeAndMessage) {
  Error e =
      ErrorOf(FailField("expiry_date", "expiry_before_issue", "must be after the issue date"));
  EXPECT_EQ(e.code, ErrorCode::kInvalid);
  EXPECT_EQ(e.reason, "expiry_before_issue");
  EXPECT_EQ(e.message, "must be after the issue date");
  EXPECT_EQ(e.detail, "");
  ASSERT_EQ(e.fields.size(), 1u);
  EXPECT_EQ(e.fields[0].field, "expiry_date");
  EXPECT_EQ(e.fields[0].code, "expiry_before_issue");
  EXPECT_EQ(e.fields[0].message, "must be after the issue date");
}

TEST(Fail, ShorthandsSayWhatTheyAre) {
  Error not_found = ErrorOf(NotFound("user"));
  EXPECT_EQ(not_found.code, ErrorCode::kNotFound);
  EXPECT_EQ(not_found.reason, "not_found");
  EXPECT_EQ(not_found.message, "user not found");

  Error forbidden = ErrorOf(Forbidden());
  EXPECT_EQ(forbidden.code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(forbidden.reason, "forbidden");
  EXPECT_EQ(forbidden.message, "not allowed");
  EXPECT_EQ(ErrorOf(Forbidden("needs users.manage")).message, "needs users.manage");

  Error internal = ErrorOf(Internal("disk full"));
  EXPECT_EQ(internal.code, ErrorCode::kInternal);
  EXPECT_EQ(internal.reason, "internal");
  EXPECT_EQ(internal.message, "internal error");  // the client never sees the detail
  EXPECT_EQ(internal.detail, "disk full");

  EXPECT_TRUE(Ok().has_value());
}

}  // namespace
}  // namespace bf
