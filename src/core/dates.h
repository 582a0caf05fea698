// Calendar dates, time zones and RFC 3339 timestamps.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>

#include "core/clock.h"

namespace bf {

using Date = date::sys_days;  // a calendar date, no time of day

enum class DateFormat { kIso, kDayFirst, kMonthFirst };  // YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY

// Parses exactly `YYYY-MM-DD` naming a day that exists; nullopt otherwise ("2026-02-30").
std::optional<Date> ParseIsoDate(std::string_view text);
// Parses a date written in `format`: ISO is always accepted; for the other two, `/`, `-` or `.`
// separate one- or two-digit day and month and a four-digit year.
std::optional<Date> ParseDate(std::string_view text, DateFormat format);
std::string FormatIsoDate(Date d);
// The date as people in the organisation write it.
std::string FormatDate(Date d, DateFormat format);

std::optional<DateFormat> ParseDateFormat(std::string_view name);  // "YYYY-MM-DD" etc.
std::string_view DateFormatName(DateFormat f);

// True when `name` is an IANA zone in the system's time-zone database.
bool IsKnownTimeZone(std::string_view name);
// The calendar date at instant `t` in zone `tz` (which must be known; UTC otherwise).
Date LocalDate(Timestamp t, std::string_view tz);
// The local hour (0-23) at instant `t` in zone `tz`.
int LocalHour(Timestamp t, std::string_view tz);

// `2026-11-29T08:00:00.000Z`.
std::string FormatTimestamp(Timestamp t);
// Accepts exactly an RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS`, an optional fraction of any
// length (truncated to milliseconds), then `Z` or `+HH:MM`/`-HH:MM`; `T` and `Z` in either case.
// nullopt for anything else, including one-digit fields, `+HHMM`, and the leap second `:60`.
std::optional<Timestamp> ParseTimestamp(std::string_view text);

}  // namespace bf
