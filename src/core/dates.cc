#include "core/dates.h"

#include <date/tz.h>

#include <charconv>
#include <cstdio>

namespace bf {
namespace {

// Reads exactly [min_digits, max_digits] ASCII digits from the front of `s`.
std::optional<int> TakeNumber(std::string_view& s, size_t min_digits, size_t max_digits) {
  size_t n = 0;
  while (n < s.size() && n < max_digits && s[n] >= '0' && s[n] <= '9') ++n;
  if (n < min_digits) return std::nullopt;
  int value = 0;
  std::from_chars(s.data(), s.data() + n, value);
  s.remove_prefix(n);
  return value;
}

std::optional<Date> MakeDate(int y, int m, int d) {
  date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)},
                           date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || y < 1) return std::nullopt;
  return Date(ymd);
}

const date::time_zone* FindZone(std::string_view tz) {
  try {
    return date::locate_zone(tz);
  } catch (const std::exception&) {
    return nullptr;
  }
}

}  // namespace

std::optional<Date> ParseIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto y = TakeNumber(s, 4, 4);
  if (!y || s.empty()) return std::nullopt;
  s.remove_prefix(1);
  auto m = TakeNumber(s, 2, 2);
  if (!m || s.empty()) return std::nullopt;
  s.remove_prefix(1);
  auto d = TakeNumber(s, 2, 2);
  if (!d || !s.empty()) return std::nullopt;
  return MakeDate(*y, *m, *d);
}

std::optional<Date> ParseDate(std::string_view text, DateFormat format) {
  if (auto iso = ParseIsoDate(text)) return iso;
  if (format == DateFormat::kIso) return std::nullopt;
  std::string_view s = text;
  auto first = TakeNumber(s, 1, 2);
  if (!first || s.empty()) return std::nullopt;
  char sep = s[0];
  if (sep != '/' && sep != '-' && sep != '.') return std::nullopt;
  s.remove_prefix(1);
  auto second = TakeNumber(s, 1, 2);
  if (!second || s.empty() || s[0] != sep) return std::nullopt;
  s.remove_prefix(1);
  auto year = TakeNumber(s, 4, 4);
  if (!year || !s.empty()) return std::nullopt;
  return format == DateFormat::kDayFirst ? MakeDate(*year, *second, *first)
                                         : MakeDate(*year, *first, *second);
}

std::string FormatIsoDate(Date d) {
  date::year_month_day ymd(d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

std::string FormatDate(Date d, DateFormat format) {
  date::year_month_day ymd(d);
  auto y = static_cast<int>(ymd.year());
  auto m = static_cast<unsigned>(ymd.month());
  auto dd = static_cast<unsigned>(ymd.day());
  char buf[16];
  switch (format) {
    case DateFormat::kIso:
      return FormatIsoDate(d);
    case DateFormat::kDayFirst:
      std::snprintf(buf, sizeof buf, "%02u/%02u/%04d", dd, m, y);
      break;
    case DateFormat::kMonthFirst:
      std::snprintf(buf, sizeof buf, "%02u/%02u/%04d", m, dd, y);
      break;
  }
  return buf;
}

std::optional<DateFormat> ParseDateFormat(std::string_view name) {
  if (name == "YYYY-MM-DD") return DateFormat::kIso;
  if (name == "DD/MM/YYYY") return DateFormat::kDayFirst;
  if (name == "MM/DD/YYYY") return DateFormat::kMonthFirst;
  return std::nullopt;
}

std::string_view DateFormatName(DateFormat f) {
  switch (f) {
    case DateFormat::kIso:
      return "YYYY-MM-DD";
    case DateFormat::kDayFirst:
      return "DD/MM/YYYY";
    case DateFormat::kMonthFirst:
      return "MM/DD/YYYY";
  }
  return "YYYY-MM-DD";
}

bool IsKnownTimeZone(std::string_view name) {
  return !name.empty() && name.size() <= 64 && FindZone(name) != nullptr;
}

Date LocalDate(Timestamp t, std::string_view tz) {
  const date::time_zone* zone = FindZone(tz);
  if (zone == nullptr) return date::floor<date::days>(t);
  auto local = zone->to_local(t);
  return Date(date::floor<date::days>(local).time_since_epoch());
}

int LocalHour(Timestamp t, std::string_view tz) {
  const date::time_zone* zone = FindZone(tz);
  auto since_midnight = [](auto tp) {
    return std::chrono::duration_cast<std::chrono::hours>(tp - date::floor<date::days>(tp));
  };
  if (zone == nullptr) return static_cast<int>(since_midnight(t).count());
  return static_cast<int>(since_midnight(zone->to_local(t)).count());
}

// By hand rather than date::format("%FT%TZ", t), which goes through an ostringstream and its
// locale: about a microsecond a call, and a credential in a list has two timestamps
// (micro_bench's BM_CredentialListJson).
std::string FormatTimestamp(Timestamp t) {
  const Date day = date::floor<date::days>(t);
  const date::year_month_day ymd(day);
  const date::hh_mm_ss<Millis> time(t - day);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()),
                static_cast<int>(time.subseconds().count()));
  return buf;
}

std::optional<Timestamp> ParseTimestamp(std::string_view s) {
  // RFC 3339 section 5.6: full-date "T" partial-time time-offset, read by hand because date::parse
  // both rejects fractions longer than the clock's precision and accepts one-digit fields.
  if (s.size() < 20) return std::nullopt;
  auto day = ParseIsoDate(s.substr(0, 10));
  if (!day || (s[10] != 'T' && s[10] != 't')) return std::nullopt;
  s.remove_prefix(11);
  auto hour = TakeNumber(s, 2, 2);
  if (!hour || s.empty() || s[0] != ':') return std::nullopt;
  s.remove_prefix(1);
  auto minute = TakeNumber(s, 2, 2);
  if (!minute || s.empty() || s[0] != ':') return std::nullopt;
  s.remove_prefix(1);
  auto second = TakeNumber(s, 2, 2);
  if (!second || *hour > 23 || *minute > 59 || *second > 59) return std::nullopt;
  int millis = 0;
  if (!s.empty() && s[0] == '.') {
    s.remove_prefix(1);
    size_t digits = 0;
    for (; digits < s.size() && s[digits] >= '0' && s[digits] <= '9'; ++digits) {
      if (digits < 3) millis = millis * 10 + (s[digits] - '0');  // truncated to milliseconds
    }
    if (digits == 0) return std::nullopt;
    for (size_t i = digits; i < 3; ++i) millis *= 10;
    s.remove_prefix(digits);
  }
  std::chrono::minutes offset{0};
  if (s.size() == 6 && (s[0] == '+' || s[0] == '-') && s[3] == ':') {
    std::string_view hh = s.substr(1, 2), mm = s.substr(4, 2);
    auto offset_hours = TakeNumber(hh, 2, 2);
    auto offset_minutes = TakeNumber(mm, 2, 2);
    if (!offset_hours || !offset_minutes || *offset_hours > 23 || *offset_minutes > 59) {
      return std::nullopt;
    }
    offset = std::chrono::hours(*offset_hours) + std::chrono::minutes(*offset_minutes);
    if (s[0] == '-') offset = -offset;
  } else if (s != "Z" && s != "z") {
    return std::nullopt;
  }
  Timestamp t = *day;
  t += std::chrono::hours(*hour) + std::chrono::minutes(*minute) + std::chrono::seconds(*second) +
       Millis(millis);
  return t - offset;
}

}  // namespace bf
