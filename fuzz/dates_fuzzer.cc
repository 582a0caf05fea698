// libFuzzer target for the date and timestamp parsers (src/core/dates.h): fuzz_dates, built by
// `make fuzz`. Dates arrive from JSON bodies, query strings and CSV cells.
//
// Checks: no crash or undefined behaviour on any text; a date that parses formats back to text
// that parses to the same date (in its own format and as ISO); a timestamp that parses formats
// to RFC 3339 that parses to the same instant.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/dates.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  if (auto d = bf::ParseIsoDate(text)) {
    if (bf::ParseIsoDate(bf::FormatIsoDate(*d)) != d) std::abort();
    if (bf::FormatIsoDate(*d) != text) std::abort();  // exactly YYYY-MM-DD: nothing else parses
  }
  for (auto format :
       {bf::DateFormat::kIso, bf::DateFormat::kDayFirst, bf::DateFormat::kMonthFirst}) {
    if (auto d = bf::ParseDate(text, format)) {
      if (bf::ParseDate(bf::FormatDate(*d, format), format) != d) std::abort();
      if (bf::ParseIsoDate(bf::FormatIsoDate(*d)) != d) std::abort();
    }
  }
  if (auto t = bf::ParseTimestamp(text)) {
    if (bf::ParseTimestamp(bf::FormatTimestamp(*t)) != t) std::abort();
  }
  (void)bf::ParseDateFormat(text);
  (void)bf::IsKnownTimeZone(text);
  return 0;
}
