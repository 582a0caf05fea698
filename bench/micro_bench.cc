// Google Benchmark micro-benchmarks of the hot pure code (not tests; `make bench` runs them):
// CSV reading (bytes/s), JSON encoding of a page of credentials (the Boost.JSON tree the
// codec builds, and the writer the list uses), and the expiry status.

#include <benchmark/benchmark.h>

#include <boost/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "core/csv.h"
#include "core/dates.h"
#include "domain/credentials.h"
#include "http/codec.h"

namespace {

// A bulk-upload file as users write it: a header and `rows` rows of seven fields, some quoted.
std::string MakeCsv(int rows) {
  std::string out = "email,name,credential_type,credential_number,issue_date,expiry_date,notes\n";
  for (int i = 0; i < rows; ++i) {
    out += "worker" + std::to_string(i) + "@example.com,\"Worker, Number " + std::to_string(i) +
           "\",First aid certificate,HLTAID011-" + std::to_string(100000 + i) +
           ",2024-03-01,2027-03-01,\"Renewed on site; said \"\"ok\"\"\"\n";
  }
  return out;
}

void BM_CsvRead(benchmark::State& state) {
  const std::string csv = MakeCsv(10000);
  const size_t piece = static_cast<size_t>(state.range(0));  // bytes fed at a time, as they arrive
  int64_t fields = 0;
  for (auto _ : state) {
    bf::CsvReader reader([&](const bf::CsvRecord& r) {
      fields += static_cast<int64_t>(r.field_count);
      return true;
    });
    for (size_t at = 0; at < csv.size(); at += piece)
      reader.Feed(std::string_view(csv).substr(at, piece));
    reader.Finish();
    if (reader.failure()) state.SkipWithError("CSV failed");
  }
  benchmark::DoNotOptimize(fields);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(csv.size()));
}
BENCHMARK(BM_CsvRead)->Arg(64 * 1024)->Arg(4 * 1024);

bf::CredentialView MakeView(int i) {
  bf::CredentialView v;
  bf::Credential& c = v.credential;
  c.id = "5b0f3c1e-8a34-4c2e-9d7a-0000000" + std::to_string(10000 + i);
  c.org_id = "0e7a9f52-1d4b-4f6a-8c3e-2b9d5f7a1c04";
  c.user = {"a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", "Worker " + std::to_string(i),
            "worker@example.com"};
  c.type_id = "f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9";
  c.type_name = "First aid certificate";
  c.revision = 3;
  c.latest.credential_id = c.id;
  c.latest.version = 2;
  c.latest.issue_date = *bf::ParseIsoDate("2024-03-01");
  c.latest.expiry_date = *bf::ParseIsoDate("2027-03-01");
  c.latest.credential_number = "HLTAID011-" + std::to_string(i);
  c.latest.approval_status = bf::ApprovalStatus::kApproved;
  c.latest.approved_by = {"9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", "Morgan Manager",
                          "manager@example.com"};
  c.latest.created_by = c.latest.approved_by;
  c.latest.updated_by = c.latest.approved_by;
  c.created_by = c.latest.approved_by;
  c.updated_by = c.latest.approved_by;
  v.expiry_status = bf::ExpiryStatus::kValid;
  return v;
}

// One page of the list (state.range(0) credentials) to the JSON text the API sends.
void BM_CredentialListJson(benchmark::State& state) {
  std::vector<bf::CredentialView> views;
  for (int i = 0; i < state.range(0); ++i) views.push_back(MakeView(i));
  size_t bytes = 0;
  for (auto _ : state) {
    boost::json::array items;
    for (const bf::CredentialView& v : views) items.push_back(bf::http::CredentialJson(v));
    std::string text = boost::json::serialize(bf::http::Page(std::move(items), "next"));
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_CredentialListJson)->Arg(10)->Arg(50)->Arg(200);

// The same page as the list handler writes it now: straight into one string, no object tree
// (http/codec.h's CredentialPageJson; the same bytes, tests/http/codec_test.cc).
void BM_CredentialPageJson(benchmark::State& state) {
  std::vector<bf::CredentialView> views;
  for (int i = 0; i < state.range(0); ++i) views.push_back(MakeView(i));
  size_t bytes = 0;
  for (auto _ : state) {
    std::string text = bf::http::CredentialPageJson(views, "next");
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_CredentialPageJson)->Arg(10)->Arg(50)->Arg(200);

void BM_ComputeExpiryStatus(benchmark::State& state) {
  const bf::Date today = *bf::ParseIsoDate("2026-11-29");
  std::mt19937 rng(7);
  std::vector<std::optional<bf::Date>> expiries;
  for (int i = 0; i < 4096; ++i) {
    int offset = static_cast<int>(rng() % 1500) - 500;
    expiries.push_back(i % 8 == 0 ? std::nullopt
                                  : std::optional<bf::Date>(today + date::days(offset)));
  }
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(bf::ComputeExpiryStatus(expiries[i++ & 4095], today, 30));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_ComputeExpiryStatus);

}  // namespace

BENCHMARK_MAIN();
