#include "core/csv.h"

#include <algorithm>
#include <utility>

namespace bf {
namespace {

// The separator is decided from the first line; a first line longer than this is decided from
// its beginning.
constexpr size_t kMaxHeadBytes = 64 * 1024;

constexpr std::string_view kNotText =
    "the file is not UTF-8 text (a binary file, or another encoding): save it as \"CSV UTF-8\"";

bool IsFormulaStart(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

}  // namespace

CsvReader::CsvReader(Sink sink, CsvLimits limits) : sink_(std::move(sink)), limits_(limits) {
  limits_.max_fields = std::max<size_t>(limits_.max_fields, 1);
}

void CsvReader::Feed(std::string_view piece) {
  if (stopped()) return;
  const size_t valid = ValidUtf8Prefix(piece);
  std::string_view text = piece.substr(0, valid);
  if (detecting_) {
    DetectSeparator(text, false);
  } else {
    Parse(text);
  }
  if (valid < piece.size() && !stopped()) Fail(row_ + 1, std::string(kNotText));
}

void CsvReader::Finish() {
  if (stopped()) return;
  if (utf8_need_ > 0) return Fail(row_ + 1, std::string(kNotText));
  if (detecting_) DetectSeparator({}, true);
  if (stopped()) return;
  switch (state_) {
    case State::kFieldStart:
      // After a separator the record has an empty last field; after a line end, nothing is open.
      if (field_count_ > 0) {
        EndField();
        EndRecord();
      }
      break;
    case State::kQuoted:
      Fail(row_ + 1, "a quoted field is never closed: a '\"' is missing");
      break;
    case State::kUnquoted:
    case State::kQuoteInQuoted:
    case State::kAfterQuote:
      EndField();
      EndRecord();
      break;
  }
  state_ = State::kFieldStart;
}

size_t CsvReader::ValidUtf8Prefix(std::string_view piece) {
  for (size_t i = 0; i < piece.size(); ++i) {
    const auto b = static_cast<unsigned char>(piece[i]);
    if (utf8_need_ > 0) {
      if (b < utf8_lo_ || b > utf8_hi_) return i;
      --utf8_need_;
      utf8_lo_ = 0x80;
      utf8_hi_ = 0xBF;
      continue;
    }
    if (b < 0x80) {
      if (b == 0) return i;  // NUL: a binary file
      continue;
    }
    // The first byte decides the length and the range of the second byte (which excludes
    // overlong forms, surrogates and code points past U+10FFFF).
    if (b >= 0xC2 && b <= 0xDF) {
      utf8_need_ = 1;
    } else if (b == 0xE0) {
      utf8_need_ = 2;
      utf8_lo_ = 0xA0;
    } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
      utf8_need_ = 2;
    } else if (b == 0xED) {
      utf8_need_ = 2;
      utf8_hi_ = 0x9F;
    } else if (b == 0xF0) {
      utf8_need_ = 3;
      utf8_lo_ = 0x90;
    } else if (b >= 0xF1 && b <= 0xF3) {
      utf8_need_ = 3;
    } else if (b == 0xF4) {
      utf8_need_ = 3;
      utf8_hi_ = 0x8F;
    } else {
      return i;
    }
  }
  return piece.size();
}

void CsvReader::DetectSeparator(std::string_view piece, bool at_end) {
  // Only the first kMaxHeadBytes count, so that the decision does not depend on how the file
  // is split into pieces.
  bool decided = false;
  for (char c : piece) {
    if (head_scanned_ == kMaxHeadBytes) {
      decided = true;
      break;
    }
    ++head_scanned_;
    if (c == '"') {
      head_in_quotes_ = !head_in_quotes_;
    } else if (!head_in_quotes_) {
      if (c == ',') ++head_commas_;
      if (c == ';') ++head_semicolons_;
      if (c == '\n' || c == '\r') {
        decided = true;
        break;
      }
    }
  }
  head_.append(piece);
  if (!decided && !at_end && head_scanned_ < kMaxHeadBytes) return;
  separator_ = head_semicolons_ > head_commas_ ? ';' : ',';
  detecting_ = false;
  std::string head = std::move(head_);
  head_.clear();
  head_.shrink_to_fit();
  std::string_view text = head;
  if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());
  Parse(text);
}

void CsvReader::Parse(std::string_view piece) {
  const char sep = separator_;
  const size_t n = piece.size();
  size_t i = 0;
  // Ends the field (and, at a line end, the record) at delimiter `c`.
  auto delimit = [&](char c) {
    EndField();
    state_ = State::kFieldStart;
    if (c == sep) return;
    EndRecord();
    if (c == '\r') skip_lf_ = true;
  };
  while (i < n && !stopped_) {
    if (skip_lf_) {
      skip_lf_ = false;
      if (piece[i] == '\n') {
        ++i;
        continue;
      }
    }
    switch (state_) {
      case State::kFieldStart:
        if (piece[i] == '"') {
          if (field_count_ == 0) first_quoted_ = true;
          state_ = State::kQuoted;
          ++i;
          break;
        }
        state_ = State::kUnquoted;
        [[fallthrough]];
      case State::kUnquoted: {
        size_t j = i;
        while (j < n && piece[j] != sep && piece[j] != '\n' && piece[j] != '\r') ++j;
        Append(piece.substr(i, j - i));
        i = j;
        if (i < n) delimit(piece[i++]);
        break;
      }
      case State::kQuoted: {
        size_t j = i;
        while (j < n && piece[j] != '"') ++j;
        Append(piece.substr(i, j - i));
        i = j;
        if (i < n) {
          ++i;
          state_ = State::kQuoteInQuoted;
        }
        break;
      }
      case State::kQuoteInQuoted:
        if (piece[i] == '"') {  // a doubled quote stands for one
          Append("\"");
          state_ = State::kQuoted;
          ++i;
          break;
        }
        state_ = State::kAfterQuote;
        [[fallthrough]];
      case State::kAfterQuote: {
        const char c = piece[i];
        if (c == sep || c == '\n' || c == '\r') {
          ++i;
          delimit(c);
          break;
        }
        if (problem_.empty()) {
          problem_ =
              "field " + std::to_string(field_count_ + 1) +
              " has text after its closing quote (a quote inside a quoted field must be doubled)";
        }
        state_ = State::kUnquoted;  // the rest of the field is kept as text
        break;
      }
    }
  }
}

void CsvReader::Append(std::string_view bytes) {
  if (bytes.empty()) return;
  if (field_count_ < limits_.max_fields) {
    const size_t room =
        field_bytes_ < limits_.max_field_bytes ? limits_.max_field_bytes - field_bytes_ : 0;
    const size_t take = std::min(room, bytes.size());
    buffer_.append(bytes.data(), take);
    if (take < bytes.size()) field_too_long_ = true;
  }
  field_bytes_ += bytes.size();
}

void CsvReader::EndField() {
  if (field_count_ < limits_.max_fields) {
    ends_.push_back(buffer_.size());
    if (field_too_long_) too_long_.push_back(field_count_);
  }
  ++field_count_;
  field_bytes_ = 0;
  field_too_long_ = false;
}

void CsvReader::EndRecord() {
  ++row_;
  record_.row = row_;
  record_.fields.clear();
  size_t start = 0;
  for (size_t end : ends_) {
    record_.fields.emplace_back(buffer_.data() + start, end - start);
    start = end;
  }
  record_.field_count = field_count_;
  record_.too_long.swap(too_long_);
  record_.problem.swap(problem_);
  record_.first_quoted = first_quoted_;
  if (!sink_(record_)) stopped_ = true;
  buffer_.clear();
  ends_.clear();
  too_long_.clear();
  problem_.clear();
  field_count_ = 0;
  field_bytes_ = 0;
  field_too_long_ = false;
  first_quoted_ = false;
}

void CsvReader::Fail(int64_t row, std::string message) {
  failure_ = CsvFailure{row, std::move(message)};
}

std::string EscapeFormula(std::string_view value) {
  if (!value.empty() && (IsFormulaStart(value[0]) || value[0] == '\'')) {
    std::string out = "'";
    out.append(value);
    return out;
  }
  return std::string(value);
}

std::string_view UnescapeFormula(std::string_view cell) {
  if (cell.size() >= 2 && cell[0] == '\'' && (IsFormulaStart(cell[1]) || cell[1] == '\'')) {
    return cell.substr(1);
  }
  return cell;
}

void AppendCsvField(std::string& out, std::string_view value, char separator) {
  const bool quote =
      value.find_first_of(std::string{'"', '\n', '\r', separator}) != std::string_view::npos;
  if (!quote) {
    out.append(value);
    return;
  }
  out.push_back('"');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void AppendCsvRecord(std::string& out, const std::vector<std::string>& fields, char separator) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(separator);
    AppendCsvField(out, EscapeFormula(fields[i]), separator);
  }
  out.append("\r\n");
}

std::string CsvHeader(const std::vector<std::string_view>& columns) {
  std::string out(kUtf8Bom);
  AppendCsvRecord(out, std::vector<std::string>(columns.begin(), columns.end()));
  return out;
}

}  // namespace bf
