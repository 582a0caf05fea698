// The syntax of ETag and If-Match for credentials (http/etag.h), without sockets.
#include "http/etag.h"

#include <gtest/gtest.h>

namespace bf::http {
namespace {

TEST(EtagTest, ARevisionIsAnsweredInQuotes) {
  EXPECT_EQ(RevisionEtag(7), "\"7\"");
  EXPECT_EQ(RevisionEtag(12345), "\"12345\"");
}

TEST(EtagTest, IfMatchAllowsTheRevisionsItNames) {
  struct Case {
    const char* header;
    int64_t revision;
    bool allowed;
  } cases[] = {
      {"", 7, true},                 // absent: unconditional
      {"\"7\"", 7, true},
      {"\"7\"", 8, false},
      {"*", 8, true},
      {" \"6\" , \"8\" ", 8, true},  // a list, with spaces
      {"\"6\", *", 9, true},
      {"W/\"7\"", 7, false},         // weak tags never match for a change
      {"\"07\"", 7, false},          // only the spelling we write
      {"\"+7\"", 7, false},
      {"7", 7, false},               // unquoted
      {",", 7, false},               // given, but names nothing
      {"\"\"", 0, false},
  };
  for (const Case& c : cases) {
    const RevisionCondition condition = ParseIfMatch(c.header);
    EXPECT_EQ(condition.given, *c.header != '\0') << c.header;
    EXPECT_EQ(condition.Allows(c.revision), c.allowed) << "If-Match: " << c.header;
  }
}

}  // namespace
}  // namespace bf::http
