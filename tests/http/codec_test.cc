// The credential writer of the list (AppendCredentialJson, CredentialPageJson) gives the same
// bytes as serializing the Boost.JSON objects of CredentialJson and Page, the codec it replaced
// on the list path: every field, null and present, every status, escapes and edge dates. The
// summary's writer (SummaryJson) likewise gives what its Boost.JSON object tree gave.
#include "http/codec.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "core/dates.h"

namespace bf::http {
namespace {

std::string OldPage(const std::vector<CredentialView>& views, const std::string& cursor) {
  boost::json::array items;
  for (const CredentialView& v : views) items.push_back(CredentialJson(v));
  return boost::json::serialize(Page(std::move(items), cursor));
}

CredentialView Plain(int i) {
  CredentialView v;
  Credential& c = v.credential;
  c.id = "5b0f3c1e-8a34-4c2e-9d7a-0000000" + std::to_string(10000 + i);
  c.org_id = "0e7a9f52-1d4b-4f6a-8c3e-2b9d5f7a1c04";
  c.user = {"a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", "Worker " + std::to_string(i), "w@example.com"};
  c.type_id = "f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9";
  c.type_name = "First aid certificate";
  c.revision = 3;
  c.created_at = FromMillis(1764432000123);
  c.updated_at = FromMillis(1764518400999);
  c.latest.credential_id = c.id;
  c.latest.version = 2;
  c.latest.issue_date = *ParseIsoDate("2024-03-01");
  c.latest.expiry_date = *ParseIsoDate("2027-03-01");
  c.latest.credential_number = "HLTAID011-" + std::to_string(i);
  c.latest.approval_status = ApprovalStatus::kApproved;
  c.created_by = {"9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", "Morgan Manager", ""};
  c.updated_by = c.created_by;
  v.expiry_status = ExpiryStatus::kValid;
  return v;
}

TEST(CredentialJsonWriterTest, APageIsByteForByteTheBoostJsonText) {
  std::vector<CredentialView> views;
  for (int i = 0; i < 12; ++i) views.push_back(Plain(i));
  // Nulls: no expiry, no number, no creator or updater, no rejection reason.
  views[1].credential.latest.expiry_date.reset();
  views[1].credential.latest.credential_number.clear();
  views[1].credential.created_by = {};
  views[1].credential.updated_by = {};
  views[1].expiry_status = ExpiryStatus::kNoExpiry;
  // Every status, archived, a rejection reason and files.
  views[2].credential.archived = true;
  views[2].expiry_status = ExpiryStatus::kExpired;
  views[2].credential.latest.approval_status = ApprovalStatus::kRejected;
  views[2].credential.latest.rejection_reason = "blurry \"photo\"\n\tretake\\please";
  views[3].expiry_status = ExpiryStatus::kExpiringSoon;
  views[3].credential.latest.approval_status = ApprovalStatus::kPending;
  views[3].credential.latest.media = {{"m1", "front.jpg", "image/jpeg", 123456},
                                      {"m2", "back \"2\".pdf", "application/pdf", 0},
                                      {"m3", "x", "image/png", 9007199254740993}};
  views[4].credential.latest.approval_status = ApprovalStatus::kNotRequired;
  views[4].credential.latest.rejection_reason = "";
  // Escapes: every control character, quotes, backslashes, DEL, UTF-8 and bytes that are not.
  std::string every_byte;
  for (int b = 1; b < 256; ++b) every_byte += static_cast<char>(b);
  views[5].credential.user.name = every_byte;
  views[5].credential.user.email = std::string("nul\0inside", 10);
  views[5].credential.type_name = "Sécurité — 安全 \xf0\x9f\x91\xb7";
  views[5].credential.latest.credential_number = "\x1f\x7f\x80\xff";
  views[5].credential.created_by.name = "\b\f\r\x01\x10";
  // Dates and times at their edges: the epoch, before it, leap days, the last millisecond of a
  // year, years beyond four digits and before year 0 (written by the old formatters).
  views[6].credential.created_at = FromMillis(0);
  views[6].credential.updated_at = FromMillis(-1);
  views[6].credential.latest.issue_date = *ParseIsoDate("2024-02-29");
  views[6].credential.latest.expiry_date = *ParseIsoDate("0001-01-01");
  views[7].credential.created_at = FromMillis(253402300799999);        // 9999-12-31T23:59:59.999Z
  views[7].credential.updated_at = FromMillis(253402300800000);        // year 10000
  views[7].credential.latest.issue_date = Date(date::days(2932897));   // 10000-01-01
  views[7].credential.latest.expiry_date = Date(date::days(-719529));  // before year 0
  views[8].credential.latest.version = 2147483647;
  views[9].credential.latest.version = 0;
  views[10].credential.updated_by = {"u", "", ""};

  for (const std::string& cursor : {std::string(), std::string("ZXhwaXJ5X2RhdGUf\"x\x01")}) {
    EXPECT_EQ(CredentialPageJson(views, cursor), OldPage(views, cursor));
    for (const CredentialView& v : views) {
      std::string one;
      AppendCredentialJson(one, v);
      EXPECT_EQ(one, boost::json::serialize(CredentialJson(v)));
    }
  }
  EXPECT_EQ(CredentialPageJson({}, ""), OldPage({}, ""));
}

TEST(CredentialJsonWriterTest, RandomTextIsWrittenAsBoostJsonWritesIt) {
  std::mt19937 rng(18);
  for (int round = 0; round < 2000; ++round) {
    CredentialView v = Plain(round);
    auto random_text = [&] {
      std::string s(rng() % 24, '\0');
      for (char& ch : s) ch = static_cast<char>(rng() % 256);
      return s;
    };
    v.credential.user.name = random_text();
    v.credential.type_name = random_text();
    v.credential.latest.credential_number = random_text();
    v.credential.latest.rejection_reason = random_text();
    v.credential.created_at = FromMillis(static_cast<int64_t>(rng()) * 1000 + rng() % 1000);
    v.credential.latest.issue_date = Date(date::days(static_cast<int>(rng() % 80000) - 10000));
    const std::string cursor = random_text();
    EXPECT_EQ(CredentialPageJson({v}, cursor), OldPage({v}, cursor)) << "round " << round;
  }
}

// The summary as its Boost.JSON object tree wrote it before SummaryJson wrote text.
std::string OldSummary(const CredentialSummary& summary) {
  auto counts = [](const StatusCounts& c) {
    return boost::json::object{{"total", c.total},
                               {"valid", c.valid},
                               {"expiring_soon", c.expiring_soon},
                               {"expired", c.expired},
                               {"no_expiry", c.no_expiry},
                               {"pending_approval", c.pending_approval},
                               {"rejected", c.rejected}};
  };
  boost::json::object out = counts(summary.all);
  boost::json::array by_type;
  for (const TypeCounts& t : summary.by_type) {
    boost::json::object entry = counts(t.counts);
    entry["type"] = {{"id", t.type_id}, {"name", t.type_name}};
    by_type.push_back(std::move(entry));
  }
  out["by_type"] = std::move(by_type);
  return boost::json::serialize(out);
}

TEST(SummaryJsonWriterTest, TheSummaryIsByteForByteTheBoostJsonText) {
  CredentialSummary empty;
  EXPECT_EQ(SummaryJson(empty), OldSummary(empty));
  EXPECT_EQ(SummaryJson(empty),
            R"({"total":0,"valid":0,"expiring_soon":0,"expired":0,"no_expiry":0,)"
            R"("pending_approval":0,"rejected":0,"by_type":[]})");
  std::mt19937 rng(19);
  for (int round = 0; round < 500; ++round) {
    CredentialSummary summary;
    auto random_counts = [&] {
      // Zero, small, and up to the largest count a 64-bit sum holds.
      auto n = [&]() -> int64_t {
        switch (rng() % 3) {
          case 0:
            return 0;
          case 1:
            return rng() % 1000;
          default:
            return static_cast<int64_t>((uint64_t{rng()} << 32 | rng()) >> 1);
        }
      };
      return StatusCounts{n(), n(), n(), n(), n(), n(), n()};
    };
    summary.all = random_counts();
    for (int t = 0; t < static_cast<int>(rng() % 4); ++t) {
      std::string name(rng() % 24, '\0');
      for (char& ch : name) ch = static_cast<char>(rng() % 256);
      summary.by_type.push_back({"type-" + std::to_string(t), name, random_counts()});
    }
    EXPECT_EQ(SummaryJson(summary), OldSummary(summary)) << "round " << round;
  }
}

}  // namespace
}  // namespace bf::http
