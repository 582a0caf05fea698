// Calendar dates, date formats, time zones and RFC 3339 timestamps.
#include "core/dates.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bf {
namespace {

Date Day(int y, unsigned m, unsigned d) {
  return Date(date::year_month_day{date::year{y}, date::month{m}, date::day{d}});
}

// The instant y-m-d h:mi:s.ms in UTC.
Timestamp Utc(int y, unsigned m, unsigned d, int h, int mi, int s, int ms = 0) {
  Timestamp t = Day(y, m, d);
  return t + std::chrono::hours(h) + std::chrono::minutes(mi) + std::chrono::seconds(s) +
         Millis(ms);
}

// A parsed date as text, so that a failure prints something readable.
std::string Show(const std::optional<Date>& d) { return d ? FormatIsoDate(*d) : "nullopt"; }
std::string Show(const std::optional<Timestamp>& t) { return t ? FormatTimestamp(*t) : "nullopt"; }

// ---- ParseIsoDate ---------------------------------------------------------------------------

TEST(ParseIsoDate, AcceptsDaysThatExist) {
  struct Case {
    std::string_view text;
    Date expected;
  } cases[] = {
      {"2026-01-01", Day(2026, 1, 1)},   {"2026-12-31", Day(2026, 12, 31)},
      {"2026-02-28", Day(2026, 2, 28)},  {"2028-02-29", Day(2028, 2, 29)},  // leap year
      {"2000-02-29", Day(2000, 2, 29)},  // divisible by 400: leap
      {"2026-04-30", Day(2026, 4, 30)},  {"0001-01-01", Day(1, 1, 1)},
      {"9999-12-31", Day(9999, 12, 31)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(Show(ParseIsoDate(c.text)), FormatIsoDate(c.expected));
    EXPECT_EQ(ParseIsoDate(c.text), c.expected);
  }
}

TEST(ParseIsoDate, RejectsDaysThatDoNotExist) {
  for (std::string_view text : {
           "2026-02-30",  // February never has 30 days
           "2026-02-29",  // 2026 is not a leap year
           "2027-02-29",  // nor is 2027
           "1900-02-29",  // divisible by 100 but not by 400: not a leap year
           "2026-13-01",  // no month 13
           "2026-00-10",  // no month 0
           "2026-01-00",  // no day 0
           "2026-04-31",  // April has 30 days
           "2026-01-32",  // no month has 32
           "0000-01-01",  // no year 0
       }) {
    EXPECT_EQ(Show(ParseIsoDate(text)), "nullopt") << text;
  }
}

TEST(ParseIsoDate, RejectsAnythingButExactlyYyyyMmDd) {
  for (std::string_view text : {
           "",
           "tomorrow",
           "2026-1-01",             // one-digit month
           "2026-01-1",             // one-digit day
           "26-01-01",              // two-digit year
           "02026-01-01",           // five-digit year
           "2026-001-01",           // three-digit month
           "20260101",              // no separators
           "2026/01/01",            // wrong separators
           "2026.01.01",            //
           "01/02/2026",            // another format
           "+026-01-01",            // signs
           "-026-01-01",            //
           "2026-+1-01",            //
           "2026--1-01",            //
           "2026-01-+1",            //
           " 2026-01-01",           // surrounding space
           "2026-01-01 ",           //
           "2026-01-01T00:00:00Z",  // a timestamp
           "2026-0a-01",            // letters
       }) {
    EXPECT_EQ(Show(ParseIsoDate(text)), "nullopt") << '"' << text << '"';
  }
}

// ---- ParseDate ------------------------------------------------------------------------------

TEST(ParseDate, ReadsDayFirstAndMonthFirstWithAnySeparatorAndOneDigitParts) {
  struct Case {
    std::string_view text;
    std::string day_first;    // as ISO, or "nullopt"
    std::string month_first;  // as ISO, or "nullopt"
  } cases[] = {
      {"01/02/2026", "2026-02-01", "2026-01-02"},
      {"01-02-2026", "2026-02-01", "2026-01-02"},
      {"01.02.2026", "2026-02-01", "2026-01-02"},
      {"1/2/2026", "2026-02-01", "2026-01-02"},  // ambiguous: read as the format says
      {"1-2-2026", "2026-02-01", "2026-01-02"},
      {"1.2.2026", "2026-02-01", "2026-01-02"},
      {"1/12/2026", "2026-12-01", "2026-01-12"},
      {"12/1/2026", "2026-01-12", "2026-12-01"},
      {"31/12/2026", "2026-12-31", "nullopt"},  // no month 31
      {"12/31/2026", "nullopt", "2026-12-31"},
      {"13/01/2026", "2026-01-13", "nullopt"},
      {"29/02/2028", "2028-02-29", "nullopt"},  // leap day
      {"02/29/2028", "nullopt", "2028-02-29"},
      {"29/02/2027", "nullopt", "nullopt"},        // not a leap year
      {"31/04/2026", "nullopt", "nullopt"},        // April has 30 days, and there is no month 31
      {"0/2/2026", "nullopt", "nullopt"},          // no day or month 0
      {"2026-02-01", "2026-02-01", "2026-02-01"},  // ISO is always accepted
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(Show(ParseDate(c.text, DateFormat::kDayFirst)), c.day_first);
    EXPECT_EQ(Show(ParseDate(c.text, DateFormat::kMonthFirst)), c.month_first);
  }
}

TEST(ParseDate, IsoFormatAcceptsOnlyIso) {
  EXPECT_EQ(Show(ParseDate("2026-02-01", DateFormat::kIso)), "2026-02-01");
  EXPECT_EQ(Show(ParseDate("01/02/2026", DateFormat::kIso)), "nullopt");
  EXPECT_EQ(Show(ParseDate("1.2.2026", DateFormat::kIso)), "nullopt");
  EXPECT_EQ(Show(ParseDate("2026-02-30", DateFormat::kIso)), "nullopt");
}

TEST(ParseDate, RejectsMalformedText) {
  for (std::string_view text : {
           "",           "tomorrow",
           "1/2-2026",    // mixed separators
           "1-2/2026",    //
           "1/2/26",      // two-digit year
           "1/2/02026",   // five-digit year
           "001/2/2026",  // three-digit day
           "1/002/2026",  //
           "1//2026",     // empty part
           "/1/2026",     //
           "1/2/",        //
           "1/2/2026/",   // trailing separator
           "1 2 2026",    // space is not a separator
           "1,2,2026",    //
           " 1/2/2026",   // surrounding space
           "1/2/2026 ",   //
           "+1/2/2026",   // signs
           "1/-2/2026",   //
           "2026/02/01",  // year first with slashes is neither format
           "a/2/2026",    //
       }) {
    SCOPED_TRACE(std::string("\"") + std::string(text) + "\"");
    EXPECT_EQ(Show(ParseDate(text, DateFormat::kDayFirst)), "nullopt");
    EXPECT_EQ(Show(ParseDate(text, DateFormat::kMonthFirst)), "nullopt");
  }
}

// ---- FormatDate, FormatIsoDate, ParseDateFormat ----------------------------------------------

TEST(FormatDate, WritesTwoDigitDayAndMonthInTheOrganisationsOrder) {
  struct Case {
    Date date;
    std::string iso, day_first, month_first;
  } cases[] = {
      {Day(2026, 2, 1), "2026-02-01", "01/02/2026", "02/01/2026"},
      {Day(2026, 12, 31), "2026-12-31", "31/12/2026", "12/31/2026"},
      {Day(2028, 2, 29), "2028-02-29", "29/02/2028", "02/29/2028"},
      {Day(1, 1, 1), "0001-01-01", "01/01/0001", "01/01/0001"},
      {Day(9999, 12, 31), "9999-12-31", "31/12/9999", "12/31/9999"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.iso);
    EXPECT_EQ(FormatIsoDate(c.date), c.iso);
    EXPECT_EQ(FormatDate(c.date, DateFormat::kIso), c.iso);
    EXPECT_EQ(FormatDate(c.date, DateFormat::kDayFirst), c.day_first);
    EXPECT_EQ(FormatDate(c.date, DateFormat::kMonthFirst), c.month_first);
  }
}

TEST(FormatDate, ParseDateReadsBackWhatFormatDateWrote) {
  for (DateFormat format : {DateFormat::kIso, DateFormat::kDayFirst, DateFormat::kMonthFirst}) {
    for (Date d : {Day(2026, 1, 2), Day(2026, 2, 1), Day(2026, 12, 31), Day(2028, 2, 29)}) {
      SCOPED_TRACE(FormatDate(d, format));
      EXPECT_EQ(ParseDate(FormatDate(d, format), format), d);
    }
  }
}

TEST(ParseDateFormat, KnowsExactlyTheThreeNames) {
  EXPECT_EQ(ParseDateFormat("YYYY-MM-DD"), DateFormat::kIso);
  EXPECT_EQ(ParseDateFormat("DD/MM/YYYY"), DateFormat::kDayFirst);
  EXPECT_EQ(ParseDateFormat("MM/DD/YYYY"), DateFormat::kMonthFirst);
  for (std::string_view name : {"", "yyyy-mm-dd", "dd/mm/yyyy", "DD-MM-YYYY", "DD.MM.YYYY",
                                "YYYY/MM/DD", "ISO", " YYYY-MM-DD", "YYYY-MM-DD "}) {
    EXPECT_EQ(ParseDateFormat(name), std::nullopt) << '"' << name << '"';
  }
}

TEST(ParseDateFormat, ReadsBackEveryDateFormatName) {
  EXPECT_EQ(DateFormatName(DateFormat::kIso), "YYYY-MM-DD");
  EXPECT_EQ(DateFormatName(DateFormat::kDayFirst), "DD/MM/YYYY");
  EXPECT_EQ(DateFormatName(DateFormat::kMonthFirst), "MM/DD/YYYY");
  for (DateFormat f : {DateFormat::kIso, DateFormat::kDayFirst, DateFormat::kMonthFirst}) {
    EXPECT_EQ(ParseDateFormat(DateFormatName(f)), f);
  }
}

// ---- Time zones -----------------------------------------------------------------------------

TEST(IsKnownTimeZone, AcceptsIanaNamesOnly) {
  struct Case {
    std::string name;
    bool expected;
  } cases[] = {
      {"UTC", true},
      {"Etc/UTC", true},
      {"Australia/Sydney", true},
      {"America/New_York", true},
      {"Europe/London", true},
      {"", false},
      {"Mars/Base", false},
      {"australia/sydney", false},  // names are case-sensitive
      {"Australia", false},         // a directory, not a zone
      {"Europe/London ", false},
      {" UTC", false},
      {"+10:00", false},
      {"../../etc/passwd", false},
      {"/usr/share/zoneinfo/UTC", false},
      {std::string(65, 'A'), false},  // longer than any zone name
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsKnownTimeZone(c.name), c.expected) << '"' << c.name << '"';
  }
}

struct LocalCase {
  Timestamp at;
  std::string date;  // local calendar date, ISO
  int hour;          // local hour
  std::string_view why;
};

void ExpectLocal(std::string_view tz, const std::vector<LocalCase>& cases) {
  for (const LocalCase& c : cases) {
    SCOPED_TRACE(std::string(tz) + " at " + FormatTimestamp(c.at) + ": " + std::string(c.why));
    EXPECT_EQ(FormatIsoDate(LocalDate(c.at, tz)), c.date);
    EXPECT_EQ(LocalHour(c.at, tz), c.hour);
  }
}

// Sydney: AEDT (UTC+11) ends 2026-04-05 03:00 local (16:00Z the day before), clocks go back to
// 02:00 AEST (UTC+10); AEST ends 2026-10-04 02:00 local (16:00Z the day before), clocks jump to
// 03:00 AEDT.
TEST(LocalDate, FollowsSydneyAcrossMidnightAndDaylightSavingChanges) {
  ExpectLocal(
      "Australia/Sydney",
      {
          {Utc(2026, 4, 4, 12, 59, 59, 999), "2026-04-04", 23, "last moment before midnight, AEDT"},
          {Utc(2026, 4, 4, 13, 0, 0), "2026-04-05", 0, "midnight of the change day, AEDT"},
          {Utc(2026, 4, 4, 15, 59, 59, 999), "2026-04-05", 2,
           "02:59:59 AEDT, just before clocks go back"},
          {Utc(2026, 4, 4, 16, 0, 0), "2026-04-05", 2, "02:00 AEST: the hour repeats"},
          {Utc(2026, 4, 4, 17, 0, 0), "2026-04-05", 3, "03:00 AEST"},
          {Utc(2026, 4, 5, 13, 59, 59, 999), "2026-04-05", 23,
           "the day after the change ends an hour later in UTC"},
          {Utc(2026, 4, 5, 14, 0, 0), "2026-04-06", 0, "midnight, AEST"},
          {Utc(2026, 10, 3, 13, 59, 59, 999), "2026-10-03", 23,
           "last moment before midnight, AEST"},
          {Utc(2026, 10, 3, 14, 0, 0), "2026-10-04", 0, "midnight of the change day, AEST"},
          {Utc(2026, 10, 3, 15, 59, 59, 999), "2026-10-04", 1,
           "01:59:59 AEST, just before clocks jump"},
          {Utc(2026, 10, 3, 16, 0, 0), "2026-10-04", 3, "03:00 AEDT: 02:00 never happens"},
          {Utc(2026, 10, 4, 12, 59, 59, 999), "2026-10-04", 23, "the change day is 23 hours long"},
          {Utc(2026, 10, 4, 13, 0, 0), "2026-10-05", 0, "midnight, AEDT"},
      });
}

// New York: EST (UTC-5) ends 2026-03-08 02:00 local (07:00Z), clocks jump to 03:00 EDT (UTC-4);
// EDT ends 2026-11-01 02:00 local (06:00Z), clocks go back to 01:00 EST.
TEST(LocalDate, FollowsNewYorkAcrossMidnightAndDaylightSavingChanges) {
  ExpectLocal(
      "America/New_York",
      {
          {Utc(2026, 3, 8, 4, 59, 59, 999), "2026-03-07", 23, "last moment before midnight, EST"},
          {Utc(2026, 3, 8, 5, 0, 0), "2026-03-08", 0, "midnight of the change day, EST"},
          {Utc(2026, 3, 8, 6, 59, 59, 999), "2026-03-08", 1,
           "01:59:59 EST, just before clocks jump"},
          {Utc(2026, 3, 8, 7, 0, 0), "2026-03-08", 3, "03:00 EDT: 02:00 never happens"},
          {Utc(2026, 3, 9, 3, 59, 59, 999), "2026-03-08", 23, "the change day is 23 hours long"},
          {Utc(2026, 3, 9, 4, 0, 0), "2026-03-09", 0, "midnight, EDT"},
          {Utc(2026, 11, 1, 3, 59, 59, 999), "2026-10-31", 23, "last moment before midnight, EDT"},
          {Utc(2026, 11, 1, 4, 0, 0), "2026-11-01", 0, "midnight of the change day, EDT"},
          {Utc(2026, 11, 1, 5, 59, 59, 999), "2026-11-01", 1,
           "01:59:59 EDT, just before clocks go back"},
          {Utc(2026, 11, 1, 6, 0, 0), "2026-11-01", 1, "01:00 EST: the hour repeats"},
          {Utc(2026, 11, 1, 7, 0, 0), "2026-11-01", 2, "02:00 EST"},
          {Utc(2026, 11, 2, 4, 59, 59, 999), "2026-11-01", 23, "the change day is 25 hours long"},
          {Utc(2026, 11, 2, 5, 0, 0), "2026-11-02", 0, "midnight, EST"},
      });
}

TEST(LocalDate, UsesUtcForUtcAndForUnknownZones) {
  for (std::string_view tz : {"UTC", "Mars/Base", ""}) {
    ExpectLocal(tz, {
                        {Utc(2026, 4, 4, 23, 59, 59, 999), "2026-04-04", 23, "before midnight UTC"},
                        {Utc(2026, 4, 5, 0, 0, 0), "2026-04-05", 0, "midnight UTC"},
                        {Utc(2026, 4, 5, 13, 0, 0), "2026-04-05", 13, "afternoon"},
                    });
  }
}

TEST(LocalDate, HandlesInstantsBeforeTheEpoch) {
  ExpectLocal("UTC", {{FromMillis(-1), "1969-12-31", 23, "one millisecond before the epoch"}});
}

// ---- Timestamps -----------------------------------------------------------------------------

TEST(FormatTimestamp, AlwaysWritesMillisecondsAndZ) {
  struct Case {
    Timestamp at;
    std::string expected;
  } cases[] = {
      {Utc(2026, 11, 29, 8, 0, 0), "2026-11-29T08:00:00.000Z"},
      {Utc(2026, 11, 29, 8, 0, 0, 7), "2026-11-29T08:00:00.007Z"},
      {Utc(2026, 11, 29, 8, 0, 0, 120), "2026-11-29T08:00:00.120Z"},
      {Utc(2028, 2, 29, 23, 59, 59, 999), "2028-02-29T23:59:59.999Z"},
      {FromMillis(0), "1970-01-01T00:00:00.000Z"},
      {FromMillis(-1), "1969-12-31T23:59:59.999Z"},
      {FromMillis(1798531200000), "2026-12-29T08:00:00.000Z"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FormatTimestamp(c.at), c.expected);
  }
}

TEST(ParseTimestamp, AcceptsRfc3339WithZOrAnOffsetAndAnyFraction) {
  struct Case {
    std::string_view text;
    Timestamp expected;
  } cases[] = {
      {"2026-11-29T08:00:00Z", Utc(2026, 11, 29, 8, 0, 0)},
      {"2026-11-29T08:00:00.000Z", Utc(2026, 11, 29, 8, 0, 0)},
      {"2026-11-29T08:00:00.123Z", Utc(2026, 11, 29, 8, 0, 0, 123)},
      {"2026-11-29T08:00:00.1Z", Utc(2026, 11, 29, 8, 0, 0, 100)},
      {"2026-11-29T08:00:00.12Z", Utc(2026, 11, 29, 8, 0, 0, 120)},
      {"2026-11-29T08:00:00.123456Z", Utc(2026, 11, 29, 8, 0, 0, 123)},     // truncated
      {"2026-11-29T08:00:00.999999999Z", Utc(2026, 11, 29, 8, 0, 0, 999)},  // never rounded up
      {"2026-11-29t08:00:00z", Utc(2026, 11, 29, 8, 0, 0)},  // RFC 3339 allows lower case
      {"2026-11-29T10:00:00+02:00", Utc(2026, 11, 29, 8, 0, 0)},
      {"2026-11-29T03:00:00-05:00", Utc(2026, 11, 29, 8, 0, 0)},
      {"2026-11-29T13:30:00.250+05:30", Utc(2026, 11, 29, 8, 0, 0, 250)},
      {"2026-11-29T08:00:00+00:00", Utc(2026, 11, 29, 8, 0, 0)},
      {"2026-11-29T08:00:00-00:00", Utc(2026, 11, 29, 8, 0, 0)},
      {"2026-12-31T23:30:00-01:00", Utc(2027, 1, 1, 0, 30, 0)},   // crosses into the next year
      {"2028-03-01T05:00:00+14:00", Utc(2028, 2, 29, 15, 0, 0)},  // back onto a leap day
      {"1970-01-01T00:00:00Z", FromMillis(0)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    auto parsed = ParseTimestamp(c.text);
    EXPECT_EQ(Show(parsed), FormatTimestamp(c.expected));
    EXPECT_EQ(parsed, c.expected);
  }
}

TEST(ParseTimestamp, RejectsGarbageAndNearMisses) {
  for (std::string_view text : {
           "",
           "garbage",
           "now",
           "2026-11-29",                     // a date, not an instant
           "2026-11-29T08:00:00",            // no offset: local time of nowhere
           "2026-11-29 08:00:00Z",           // space instead of T
           "2026-11-29T08:00Z",              // no seconds
           "2026-11-29T8:00:00Z",            // one-digit fields
           "2026-11-29T08:0:00Z",            //
           "2026-1-29T08:00:00Z",            //
           "+2026-11-29T08:00:00Z",          // sign on the year
           "2026-11-29T24:00:00Z",           // out of range
           "2026-11-29T08:60:00Z",           //
           "2026-11-29T08:00:60Z",           // leap second: not representable
           "2026-02-30T08:00:00Z",           // no such day
           "2026-11-29T08:00:00.Z",          // empty fraction
           "2026-11-29T08:00:00,5Z",         // comma fraction (ISO 8601, not RFC 3339)
           "2026-11-29T08:00:00.12aZ",       //
           "2026-11-29T10:00:00+0200",       // offset without colon
           "2026-11-29T10:00:00+02",         // offset without minutes
           "2026-11-29T10:00:00+2:00",       //
           "2026-11-29T10:00:00+24:00",      // offset out of range
           "2026-11-29T10:00:00+02:60",      //
           "2026-11-29T10:00:00 +02:00",     //
           "2026-11-29T08:00:00ZZ",          // trailing text
           "2026-11-29T08:00:00Z ",          //
           " 2026-11-29T08:00:00Z",          // leading space
           "2026-11-29T08:00:00UTC",         //
           "2026-11-29T08:00:00.000Z[UTC]",  //
       }) {
    EXPECT_EQ(Show(ParseTimestamp(text)), "nullopt") << '"' << text << '"';
  }
}

TEST(ParseTimestamp, ReadsBackWhatFormatTimestampWrote) {
  for (Timestamp t : {FromMillis(0), Utc(2026, 11, 29, 8, 0, 0, 1),
                      Utc(2028, 2, 29, 23, 59, 59, 999), Utc(2026, 4, 4, 16, 0, 0)}) {
    EXPECT_EQ(ParseTimestamp(FormatTimestamp(t)), t) << FormatTimestamp(t);
  }
}

}  // namespace
}  // namespace bf
