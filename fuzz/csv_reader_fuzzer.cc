// libFuzzer target for the CSV reader (src/core/csv.h): fuzz_csv_reader, built by `make fuzz`; not
// part of the tests. The first byte of an input chooses how the rest is split into pieces.
//
// Checks: reading in pieces gives exactly what reading at once gives; rows count up from 1;
// limits hold; and the records of a readable file, written back (every field quoted), read back
// the same.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/csv.h"

namespace {

struct Row {
  int64_t row;
  std::vector<std::string> fields;
  size_t field_count;
  std::vector<size_t> too_long;
  std::string problem;
  bool operator==(const Row&) const = default;
};

struct Read {
  std::vector<Row> rows;
  bool failed = false;
  int64_t failure_row = 0;
  char separator = ',';
  bool operator==(const Read&) const = default;
};

constexpr size_t kMaxField = 64;
constexpr size_t kMaxFields = 8;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

Read ReadCsv(std::string_view text, size_t piece) {
  bf::CsvLimits limits;
  limits.max_field_bytes = kMaxField;
  limits.max_fields = kMaxFields;
  Read out;
  bf::CsvReader reader(
      [&](const bf::CsvRecord& r) {
        Check(r.row == static_cast<int64_t>(out.rows.size()) + 1);
        Check(r.fields.size() <= kMaxFields && r.fields.size() <= r.field_count &&
              r.field_count >= 1);
        for (auto f : r.fields) Check(f.size() <= kMaxField);
        Row row{r.row, {}, r.field_count, r.too_long, r.problem};
        for (auto f : r.fields) row.fields.emplace_back(f);
        out.rows.push_back(std::move(row));
        return true;
      },
      limits);
  if (piece == 0) {
    reader.Feed(text);
  } else {
    for (size_t i = 0; i < text.size(); i += piece) reader.Feed(text.substr(i, piece));
  }
  reader.Finish();
  out.separator = reader.separator();
  if (reader.failure()) {
    out.failed = true;
    out.failure_row = reader.failure()->row;
    Check(out.failure_row >= 1 && out.failure_row <= static_cast<int64_t>(out.rows.size()) + 1);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t piece = data[0] % 17 + 1;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const Read whole = ReadCsv(text, 0);
  Check(ReadCsv(text, piece) == whole);
  if (whole.failed) return 0;

  // Records read whole, written back with every field quoted, read back the same.
  std::string written;
  std::vector<std::vector<std::string>> expected;
  for (const Row& r : whole.rows) {
    if (!r.too_long.empty() || r.field_count > r.fields.size()) continue;
    for (size_t i = 0; i < r.fields.size(); ++i) {
      if (i > 0) written.push_back(',');
      written.push_back('"');
      for (char c : r.fields[i]) {
        if (c == '"') written.push_back('"');
        written.push_back(c);
      }
      written.push_back('"');
    }
    written += "\r\n";
    expected.push_back(r.fields);
  }
  const Read again = ReadCsv(written, 0);
  Check(!again.failed && again.rows.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) Check(again.rows[i].fields == expected[i]);
  return 0;
}
