#include "core/csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bf {
namespace {

// What a reader made of a file: every record, copied, and how reading ended.
struct Read {
  struct Row {
    int64_t row = 0;
    std::vector<std::string> fields;
    size_t field_count = 0;
    std::vector<size_t> too_long;
    std::string problem;
    bool blank = false;
    bool operator==(const Row&) const = default;
  };
  std::vector<Row> rows;
  char separator = ',';
  std::optional<int64_t> failure_row;
  std::string failure;
  bool operator==(const Read&) const = default;
};

// Reads `text` fed in pieces of `piece` bytes (0: all at once).
Read ReadCsv(std::string_view text, size_t piece = 0, CsvLimits limits = {}, size_t stop_after = 0) {
  Read out;
  CsvReader reader(
      [&](const CsvRecord& r) {
        Read::Row row{r.row, {}, r.field_count, r.too_long, r.problem, r.Blank()};
        for (auto f : r.fields) row.fields.emplace_back(f);
        out.rows.push_back(std::move(row));
        return stop_after == 0 || out.rows.size() < stop_after;
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
    out.failure_row = reader.failure()->row;
    out.failure = reader.failure()->message;
  }
  return out;
}

std::vector<std::vector<std::string>> Fields(const Read& r) {
  std::vector<std::vector<std::string>> out;
  for (const auto& row : r.rows) out.push_back(row.fields);
  return out;
}

using Table = std::vector<std::vector<std::string>>;

TEST(CsvReaderTest, ReadsFieldsAndRecords) {
  struct Case {
    const char* name;
    std::string text;
    Table want;
  };
  const Case cases[] = {
      {"plain", "a,b,c\n1,2,3\n", {{"a", "b", "c"}, {"1", "2", "3"}}},
      {"no final line end", "a,b\n1,2", {{"a", "b"}, {"1", "2"}}},
      {"crlf", "a,b\r\n1,2\r\n", {{"a", "b"}, {"1", "2"}}},
      {"lone cr", "a,b\r1,2\r", {{"a", "b"}, {"1", "2"}}},
      {"empty fields", ",a,,\n", {{"", "a", "", ""}}},
      {"trailing separator at end", "a,b,", {{"a", "b", ""}}},
      {"quoted separator", "\"a,b\",c\n", {{"a,b", "c"}}},
      {"quoted line breaks", "\"line 1\nline 2\r\nline 3\",x\n", {{"line 1\nline 2\r\nline 3", "x"}}},
      {"doubled quotes", "\"say \"\"hi\"\"\",\"\"\"\"\n", {{"say \"hi\"", "\""}}},
      {"quote inside unquoted kept", "ab\"c,d\n", {{"ab\"c", "d"}}},
      {"empty quoted", "\"\",x\n", {{"", "x"}}},
      {"bom skipped", "\xEF\xBB\xBF" "a,b\n", {{"a", "b"}}},
      {"utf-8 kept", "Zoë,Łódź,日本\n", {{"Zoë", "Łódź", "日本"}}},
      {"spaces kept", " a , b \n", {{" a ", " b "}}},
      {"empty file", "", {}},
      {"only bom", "\xEF\xBB\xBF", {}},
  };
  for (const Case& c : cases) {
    Read whole = ReadCsv(c.text);
    EXPECT_EQ(Fields(whole), c.want) << c.name;
    EXPECT_FALSE(whole.failure_row) << c.name << ": " << whole.failure;
  }
}

TEST(CsvReaderTest, SemicolonFilesAreRecognisedFromTheFirstLine) {
  Read r = ReadCsv("email;issue date;note\na@b.c;1.2.2026;\"x;y\";1,5\n");
  EXPECT_EQ(r.separator, ';');
  EXPECT_EQ(Fields(r), (Table{{"email", "issue date", "note"}, {"a@b.c", "1.2.2026", "x;y", "1,5"}}));
  // Commas win a tie and when they are more; separators in quotes do not count.
  EXPECT_EQ(ReadCsv("a,b;c\n").separator, ',');
  EXPECT_EQ(ReadCsv("\"a,b,c\";d;e\n").separator, ';');
  EXPECT_EQ(ReadCsv("\xEF\xBB\xBF" "a;b\r\n1;2").separator, ';');
}

TEST(CsvReaderTest, RowsCountRecordsNotLines) {
  Read r = ReadCsv("h1,h2\n\"two\nlines\",x\n\nlast,y\n");
  ASSERT_EQ(r.rows.size(), 4u);
  EXPECT_EQ(r.rows[0].row, 1);
  EXPECT_EQ(r.rows[1].row, 2);
  EXPECT_EQ(r.rows[2].row, 3);
  EXPECT_TRUE(r.rows[2].blank);
  EXPECT_EQ(r.rows[3].row, 4);
  EXPECT_EQ(r.rows[3].fields, (std::vector<std::string>{"last", "y"}));
}

TEST(CsvReaderTest, BlankLinesAreBlankRecords) {
  Read r = ReadCsv("a\n\n\r\n\"\"\n,\n");
  ASSERT_EQ(r.rows.size(), 5u);
  EXPECT_FALSE(r.rows[0].blank);
  EXPECT_TRUE(r.rows[1].blank);
  EXPECT_TRUE(r.rows[2].blank);
  EXPECT_FALSE(r.rows[3].blank) << "a quoted empty field is a value";
  EXPECT_FALSE(r.rows[4].blank) << "two empty fields";
}

TEST(CsvReaderTest, TextAfterAClosingQuoteIsAProblemOfItsRecord) {
  Read r = ReadCsv("\"ab\"c,d\nok,fine\n");
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].fields, (std::vector<std::string>{"abc", "d"}));
  EXPECT_NE(r.rows[0].problem.find("field 1"), std::string::npos) << r.rows[0].problem;
  EXPECT_TRUE(r.rows[1].problem.empty());
  EXPECT_FALSE(r.failure_row);
}

TEST(CsvReaderTest, AnUnclosedQuoteAtTheEndFailsAtTheRowItOpened) {
  Read r = ReadCsv("a,b\n1,2\n3,\"never closed\n4,5\n");
  ASSERT_TRUE(r.failure_row);
  EXPECT_EQ(*r.failure_row, 3);
  EXPECT_NE(r.failure.find("never closed"), std::string::npos);
  EXPECT_EQ(r.rows.size(), 2u);
}

TEST(CsvReaderTest, BinaryAndOtherEncodingsFail) {
  struct Case {
    const char* name;
    std::string text;
    int64_t row;
  };
  const Case cases[] = {
      {"nul byte", std::string("a,b\nc,d\0e\n", 10), 2},
      {"latin-1", "name\nZo\xEB\n", 2},
      {"overlong", "\xC0\xAF\n", 1},
      {"surrogate", "\xED\xA0\x80\n", 1},
      {"past U+10FFFF", "\xF4\x90\x80\x80\n", 1},
      {"truncated at the end", "ok\n\xE6\x97", 2},
      {"png", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), 1},
  };
  for (const Case& c : cases) {
    for (size_t piece : {0, 1, 2}) {
      Read r = ReadCsv(c.text, piece);
      ASSERT_TRUE(r.failure_row) << c.name;
      EXPECT_EQ(*r.failure_row, c.row) << c.name << " piece " << piece;
      EXPECT_NE(r.failure.find("UTF-8"), std::string::npos) << c.name;
    }
  }
}

TEST(CsvReaderTest, LongFieldsAreCutAndFlaggedWithoutHoldingThem) {
  CsvLimits limits;
  limits.max_field_bytes = 8;
  Read r = ReadCsv("short,0123456789abcdef,x\n\"quoted " + std::string(100, 'q') + "\",y\n", 0, limits);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].fields[1], "01234567");
  EXPECT_EQ(r.rows[0].too_long, (std::vector<size_t>{1}));
  EXPECT_EQ(r.rows[0].fields[2], "x");
  EXPECT_EQ(r.rows[1].too_long, (std::vector<size_t>{0}));
  EXPECT_EQ(r.rows[1].fields[1], "y");
}

TEST(CsvReaderTest, ATenMegabyteFieldIsReadInBoundedMemory) {
  std::string big = "a,b\n\"" + std::string(10 * 1024 * 1024, 'x') + "\",after\nnext,row\n";
  Read r = ReadCsv(big, 64 * 1024);
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[1].too_long, (std::vector<size_t>{0}));
  EXPECT_EQ(r.rows[1].fields[0].size(), CsvLimits{}.max_field_bytes);
  EXPECT_EQ(r.rows[1].fields[1], "after");
  EXPECT_EQ(r.rows[2].fields, (std::vector<std::string>{"next", "row"}));
}

TEST(CsvReaderTest, FieldsPastTheLimitAreCountedNotKept) {
  CsvLimits limits;
  limits.max_fields = 3;
  Read r = ReadCsv("1,2,3,4,5\n", 0, limits);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].fields.size(), 3u);
  EXPECT_EQ(r.rows[0].field_count, 5u);
}

TEST(CsvReaderTest, TheSinkCanStopReading) {
  Read r = ReadCsv("1\n2\n3\n4\n", 0, {}, 2);
  EXPECT_EQ(r.rows.size(), 2u);
}

// The same bytes give the same records however they are split.
TEST(CsvReaderTest, PiecesOfAnySizeGiveIdenticalResults) {
  const std::string inputs[] = {
      "\xEF\xBB\xBF" "email,credential_type,issue_date\r\n\"a@b.c\",\"x, \"\"y\"\"\",2026-01-01\r\n\r\n"
      "\"multi\r\nline\",b,c\r\nlast,row,here",
      "a;b;c\n1;\"2;\n2\";3\n\n",
      "a,b\r\n\"unclosed\r\n",
      "\"ab\"cd,e\n\"\"\"\",\"\"\n",
      "head\r\rnext\r\n\n\r",
      "Zoë,日本語\n\xF0\x9F\x98\x80,x\n",
      std::string("ok\nbad\xE6\x97", 9),
      "x," + std::string(70 * 1024, 'y') + "\nz,w\n",
      std::string(70 * 1024, 'h') + ";a,b\n1\n",
  };
  for (const std::string& text : inputs) {
    Read whole = ReadCsv(text);
    for (size_t piece : {1, 2, 3, 5, 7, 64, 4096}) {
      EXPECT_EQ(ReadCsv(text, piece), whole) << "piece " << piece << " of: " << text.substr(0, 60);
    }
  }
}

TEST(CsvWriterTest, FormulasAreEscapedAndUnescapedExactly) {
  struct Case {
    std::string value, cell;
  };
  const Case cases[] = {
      {"=SUM(A1)", "'=SUM(A1)"}, {"+61 400", "'+61 400"}, {"-5", "'-5"},   {"@cmd", "'@cmd"},
      {"\tx", "'\tx"},           {"\rx", "'\rx"},         {"'quoted", "''quoted"}, {"plain", "plain"},
      {"", ""},                  {"a=b", "a=b"},          {"'", "''"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(EscapeFormula(c.value), c.cell) << c.value;
    EXPECT_EQ(UnescapeFormula(c.cell), c.value) << c.cell;
  }
  // A quote before anything else is the value itself.
  EXPECT_EQ(UnescapeFormula("'abc"), "'abc");
}

TEST(CsvWriterTest, RecordsRoundTripThroughTheReader) {
  std::vector<std::string> fields = {"plain", "with,comma", "with \"quote\"", "two\nlines", "=1+2", "", "'x"};
  std::string out;
  AppendCsvRecord(out, fields);
  AppendCsvRecord(out, {"a", "b"}, ';');
  EXPECT_EQ(out.substr(out.size() - 5), "a;b\r\n");
  Read r = ReadCsv(out.substr(0, out.find("a;b")));
  ASSERT_EQ(r.rows.size(), 1u);
  std::vector<std::string> back;
  for (const auto& f : r.rows[0].fields) back.emplace_back(UnescapeFormula(f));
  EXPECT_EQ(back, fields);
}

}  // namespace
}  // namespace bf
