// CSV as RFC 4180 writes it and spreadsheets produce it: read as a stream, written safely.
// Pure: no I/O. The reader is fed the file piece by piece, in pieces of any size, and hands each
// record to a sink as soon as it is complete, so a file of any size is read in bounded memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bf {

struct CsvLimits {
  // A field longer than this is cut to this many bytes and reported in CsvRecord::too_long.
  size_t max_field_bytes = 64 * 1024;
  // Fields past this many are counted (CsvRecord::field_count) but not kept.
  size_t max_fields = 256;
};

// One record: a row of the file. The views point into the reader and are valid only during
// the sink's call.
struct CsvRecord {
  // The row as a spreadsheet numbers it: the first record is row 1 and every record is one row,
  // blank ones included; line breaks inside a quoted field do not start a row.
  int64_t row = 0;
  std::vector<std::string_view> fields;  // unquoted, doubled quotes undone; at most max_fields
  size_t field_count = 0;                // every field of the record, kept or not
  std::vector<size_t> too_long;          // indexes of fields cut at max_field_bytes
  // A structural problem of this record that reading survived ("text after a closing quote"),
  // or "".
  std::string problem;

  // A blank line: one empty, unquoted field.
  bool Blank() const { return field_count == 1 && fields[0].empty() && !first_quoted; }
  bool first_quoted = false;  // the first field was quoted ("" alone on a line is not blank)
};

// Why a file cannot be read on: it is not UTF-8 text (invalid UTF-8 or a NUL byte: a binary
// file, or another encoding), or it ends inside a quoted field.
struct CsvFailure {
  int64_t row = 0;  // where it was found; for an unclosed quote, the row the field began in
  std::string message;
};

// Reads CSV: a UTF-8 byte-order mark is skipped; records end at \r\n, \n or a lone \r outside
// quotes; fields are separated by ',' or, when the first line has more ';' than ',' outside
// quotes, by ';'; a field that starts with '"' is quoted and may hold separators, line breaks
// and doubled quotes. A quote inside an unquoted field is kept as it is (as spreadsheets do).
//
// Not thread-safe. Feeding the same bytes in any split gives the same records.
class CsvReader {
 public:
  // Receives each record as it completes; returns false to stop reading (the reader then
  // ignores whatever it is fed).
  using Sink = std::function<bool(const CsvRecord&)>;

  explicit CsvReader(Sink sink, CsvLimits limits = {});

  // Reads the next piece of the file. Pieces may split records, fields, quotes, line ends,
  // the byte-order mark and UTF-8 sequences anywhere.
  void Feed(std::string_view piece);
  // The end of the file: completes the last record (a file need not end with a line break).
  void Finish();

  // True once the sink asked to stop or the file failed: further input is ignored.
  bool stopped() const { return stopped_ || failure_.has_value(); }
  const std::optional<CsvFailure>& failure() const { return failure_; }
  // ',' or ';'; ',' until the first line has been seen.
  char separator() const { return separator_; }
  // Records delivered so far (blank ones included).
  int64_t records() const { return row_; }

 private:
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted, kAfterQuote };

  // Validates `piece` as the continuation of UTF-8 text; returns how many bytes of it are
  // valid (piece.size() when all are).
  size_t ValidUtf8Prefix(std::string_view piece);
  void DetectSeparator(std::string_view piece, bool at_end);
  void Parse(std::string_view piece);
  void Append(std::string_view bytes);
  void EndField();
  void EndRecord();
  void Fail(int64_t row, std::string message);

  Sink sink_;
  CsvLimits limits_;
  bool stopped_ = false;
  std::optional<CsvFailure> failure_;

  // Before the separator is known: the start of the file, up to the end of its first line.
  bool detecting_ = true;
  std::string head_;
  size_t head_scanned_ = 0;
  bool head_in_quotes_ = false;
  size_t head_commas_ = 0, head_semicolons_ = 0;  // outside quotes
  char separator_ = ',';

  // UTF-8 validation across pieces.
  int utf8_need_ = 0;             // continuation bytes still expected
  unsigned char utf8_lo_ = 0x80;  // allowed range of the next continuation byte
  unsigned char utf8_hi_ = 0xBF;

  State state_ = State::kFieldStart;
  bool skip_lf_ = false;  // a \r ended the last record: a \n right after it belongs to it
  int64_t row_ = 0;       // rows completed

  // The record being read: field bytes back to back, and where each field ends.
  std::string buffer_;
  std::vector<size_t> ends_;
  size_t field_count_ = 0;
  size_t field_bytes_ = 0;  // of the current field, kept or not
  bool field_too_long_ = false;
  bool first_quoted_ = false;
  std::vector<size_t> too_long_;
  std::string problem_;
  CsvRecord record_;
};

// ---- Writing ------------------------------------------------------------------------------

// The cell as a spreadsheet may open it safely: a value that begins with '=', '+', '-', '@',
// a tab or a carriage return is prefixed with "'" so that it is not run as a formula, and so is
// one that begins with "'" (so that UnescapeFormula gives back exactly the value).
std::string EscapeFormula(std::string_view value);
// Undoes EscapeFormula: removes a leading "'" that precedes one of those characters or another
// "'". Anything else is returned as it is.
std::string_view UnescapeFormula(std::string_view cell);

// Appends one field to `out`, quoted when it holds the separator, a quote, a line break or
// surrounding spaces. The value is written as it is: escape formulas first when needed.
void AppendCsvField(std::string& out, std::string_view value, char separator = ',');
// Appends a record: the fields (formula-escaped), separated, ending with \r\n.
void AppendCsvRecord(std::string& out, const std::vector<std::string>& fields,
                     char separator = ',');

inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// The first line of a CSV file the server writes: a UTF-8 byte-order mark (so that spreadsheets
// read the file as UTF-8), then the column names as a record.
std::string CsvHeader(const std::vector<std::string_view>& columns);

}  // namespace bf
