// The node's summary cache (service/summary_cache.h) on its own: an entry answers only the
// version it was computed at, and the least recently used organisation goes first when full.
// (A unit test of the service layer; it lives with the API suites, which link that layer.)
#include "service/summary_cache.h"

#include <gtest/gtest.h>

namespace bf {
namespace {

std::shared_ptr<const CredentialSummary> Summary(int64_t total) {
  auto s = std::make_shared<CredentialSummary>();
  s->all.total = total;
  return s;
}

TEST(SummaryCacheTest, AnEntryAnswersOnlyTheVersionItWasComputedAt) {
  SummaryCache cache;
  const Date day = *ParseIsoDate("2026-03-31");
  const SummaryVersion v{7, day, 30};
  cache.Store("org-a", v, Summary(5));
  ASSERT_NE(cache.Find("org-a", v), nullptr);
  EXPECT_EQ(cache.Find("org-a", v)->all.total, 5);
  EXPECT_EQ(cache.Find("org-b", v), nullptr);
  EXPECT_EQ(cache.Find("org-a", SummaryVersion{8, day, 30}), nullptr) << "another revision";
  EXPECT_EQ(cache.Find("org-a", SummaryVersion{7, day + date::days{1}, 30}), nullptr)
      << "the next day";
  EXPECT_EQ(cache.Find("org-a", SummaryVersion{7, day, 31}), nullptr) << "another notice";
  // A newer computation replaces the organisation's entry.
  cache.Store("org-a", SummaryVersion{8, day, 30}, Summary(6));
  EXPECT_EQ(cache.Find("org-a", v), nullptr);
  EXPECT_EQ(cache.Find("org-a", SummaryVersion{8, day, 30})->all.total, 6);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(SummaryCacheTest, TheLeastRecentlyUsedOrganisationGoesFirst) {
  SummaryCache cache(2);
  const SummaryVersion v{1, *ParseIsoDate("2026-01-01"), 30};
  cache.Store("org-a", v, Summary(1));
  cache.Store("org-b", v, Summary(2));
  ASSERT_NE(cache.Find("org-a", v), nullptr);  // org-b is now the least recently used
  cache.Store("org-c", v, Summary(3));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.Find("org-b", v), nullptr);
  EXPECT_NE(cache.Find("org-a", v), nullptr);
  EXPECT_NE(cache.Find("org-c", v), nullptr);

  SummaryCache none(0);
  none.Store("org-a", v, Summary(1));
  EXPECT_EQ(none.size(), 0u);
  EXPECT_EQ(none.Find("org-a", v), nullptr);
}

}  // namespace
}  // namespace bf
