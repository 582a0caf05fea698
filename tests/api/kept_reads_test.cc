// What a node keeps between requests (service/kept_reads.h), on its own: an entry answers only
// the version it was computed at, and the least recently used entries go first when the cost
// bound is reached. (A unit test of the service layer; it lives with the API suites, which link
// that layer.)
#include "service/kept_reads.h"

#include <gtest/gtest.h>

namespace bf {
namespace {

std::shared_ptr<const std::string> Page(std::string text) {
  return std::make_shared<const std::string>(std::move(text));
}

TEST(KeptReadsTest, AnEntryAnswersOnlyTheVersionItWasComputedAt) {
  KeptReads<std::string> kept(100);
  const Date day = *ParseIsoDate("2026-03-31");
  const ReadVersion v{7, day, 30};
  kept.Store("org-a", v, Page("five"), 1);
  ASSERT_NE(kept.Find("org-a", v), nullptr);
  EXPECT_EQ(*kept.Find("org-a", v), "five");
  EXPECT_EQ(kept.Find("org-b", v), nullptr);
  EXPECT_EQ(kept.Find("org-a", ReadVersion{8, day, 30}), nullptr) << "another revision";
  EXPECT_EQ(kept.Find("org-a", ReadVersion{7, day + date::days{1}, 30}), nullptr)
      << "the next day";
  EXPECT_EQ(kept.Find("org-a", ReadVersion{7, day, 31}), nullptr) << "another notice";
  // A newer computation replaces the key's entry.
  kept.Store("org-a", ReadVersion{8, day, 30}, Page("six"), 1);
  EXPECT_EQ(kept.Find("org-a", v), nullptr);
  EXPECT_EQ(*kept.Find("org-a", ReadVersion{8, day, 30}), "six");
  EXPECT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept.cost(), 1u);
}

TEST(KeptReadsTest, TheLeastRecentlyUsedGoFirstWhenTheCostIsReached) {
  KeptReads<std::string> kept(10);
  const ReadVersion v{1, *ParseIsoDate("2026-01-01"), 30};
  kept.Store("a", v, Page("a"), 4);
  kept.Store("b", v, Page("b"), 4);
  ASSERT_NE(kept.Find("a", v), nullptr);  // b is now the least recently used
  kept.Store("c", v, Page("c"), 4);       // 12 > 10: b goes
  EXPECT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept.cost(), 8u);
  EXPECT_EQ(kept.Find("b", v), nullptr);
  EXPECT_NE(kept.Find("a", v), nullptr);
  EXPECT_NE(kept.Find("c", v), nullptr);

  // One entry dearer than the rest together takes the room of as many as it needs.
  kept.Store("d", v, Page("d"), 9);  // a and c go
  EXPECT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept.cost(), 9u);
  // Replacing an entry gives back its cost first.
  kept.Store("d", v, Page("d2"), 10);
  EXPECT_EQ(kept.cost(), 10u);
  EXPECT_EQ(*kept.Find("d", v), "d2");

  // An entry dearer than the bound is not kept, and leaves nothing of the key behind.
  kept.Store("d", v, Page("huge"), 11);
  EXPECT_EQ(kept.size(), 0u);
  EXPECT_EQ(kept.cost(), 0u);
  EXPECT_EQ(kept.Find("d", v), nullptr);

  KeptReads<std::string> none(0);
  none.Store("a", v, Page("a"), 1);
  EXPECT_EQ(none.size(), 0u);
  EXPECT_EQ(none.Find("a", v), nullptr);
}

}  // namespace
}  // namespace bf
