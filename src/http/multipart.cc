#include "http/multipart.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace bf::http {
namespace {

auto Malformed(std::string why) {
  return bf::Fail(ErrorCode::kBadRequest, "malformed_multipart",
                  "the multipart body is malformed: " + std::move(why));
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Parameters of a header value ("form-data; name=\"file\"; filename=x"): lower-cased names, values
// unquoted. A quoted value takes \" and \\ as escapes and any other backslash as itself (old
// browsers send Windows paths unescaped).
std::vector<std::pair<std::string, std::string>> Parameters(std::string_view value) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t i = value.find(';');
  while (i != std::string_view::npos && i < value.size()) {
    ++i;  // past ';'
    size_t eq = value.find('=', i);
    size_t semi = value.find(';', i);
    if (eq == std::string_view::npos || (semi != std::string_view::npos && semi < eq)) {
      i = semi;
      continue;
    }
    std::string name = Lower(Trim(value.substr(i, eq - i)));
    size_t j = eq + 1;
    while (j < value.size() && (value[j] == ' ' || value[j] == '\t')) ++j;
    std::string v;
    if (j < value.size() && value[j] == '"') {
      ++j;
      while (j < value.size() && value[j] != '"') {
        if (value[j] == '\\' && j + 1 < value.size() &&
            (value[j + 1] == '"' || value[j + 1] == '\\'))
          ++j;
        v.push_back(value[j++]);
      }
      i = value.find(';', j);
    } else {
      size_t end = value.find(';', j);
      v = std::string(
          Trim(value.substr(j, end == std::string_view::npos ? std::string_view::npos : end - j)));
      i = end;
    }
    out.emplace_back(std::move(name), std::move(v));
  }
  return out;
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes everything (for RFC 5987 values) or only %22, %0D and %0A (the three escapes
// HTML forms use in filename="...").
std::string PercentDecode(std::string_view s, bool all) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = Hex(s[i + 1]), lo = Hex(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        char c = static_cast<char>(hi * 16 + lo);
        if (all || c == '"' || c == '\r' || c == '\n') {
          out.push_back(c);
          i += 2;
          continue;
        }
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

// RFC 5987 ext-value "UTF-8''na%C3%AFve.jpg" → the UTF-8 text; nullopt for other charsets.
std::optional<std::string> ExtValue(std::string_view v) {
  size_t first = v.find('\'');
  if (first == std::string_view::npos) return std::nullopt;
  size_t second = v.find('\'', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  if (Lower(v.substr(0, first)) != "utf-8") return std::nullopt;
  return PercentDecode(v.substr(second + 1), true);
}

bool BoundaryChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("'()+_,-./:=? ", c) != nullptr;
}

}  // namespace

bool IsMultipartFormData(std::string_view content_type) {
  std::string type = Lower(Trim(content_type.substr(0, content_type.find(';'))));
  return type == "multipart/form-data";
}

Result<std::string> MultipartBoundary(std::string_view content_type) {
  for (auto& [name, value] : Parameters(content_type)) {
    if (name != "boundary") continue;
    if (value.empty() || value.size() > 70 || value.back() == ' ' ||
        !std::all_of(value.begin(), value.end(), BoundaryChar)) {
      return bf::Fail(ErrorCode::kBadRequest, "invalid_boundary",
                      "the multipart boundary must be 1 to 70 characters that RFC 2046 allows");
    }
    return value;
  }
  return bf::Fail(ErrorCode::kBadRequest, "missing_boundary",
                  "multipart/form-data needs a boundary parameter in its Content-Type");
}

MultipartReader::MultipartReader(std::string boundary, MultipartHandler& handler)
    : delimiter_("\r\n--" + boundary), handler_(handler) {
  // KMP: fail_[i] is the length of the longest proper prefix of delimiter_[0..i] that is also
  // its suffix, so a mismatch never needs to look back at bytes already passed on.
  fail_.assign(delimiter_.size(), 0);
  for (size_t i = 1, k = 0; i < delimiter_.size(); ++i) {
    while (k > 0 && delimiter_[i] != delimiter_[k]) k = fail_[k - 1];
    if (delimiter_[i] == delimiter_[k]) ++k;
    fail_[i] = k;
  }
}

Status MultipartReader::Fail(Status status) {
  if (!status) error_ = status.error();
  return status;
}

size_t MultipartReader::Scan(std::string_view p, bool emit, Status& status) {
  found_ = false;
  const size_t n = p.size();
  size_t run = 0;  // start of bytes known to be data and not yet passed on
  auto pass = [&](std::string_view data) {
    if (emit && !data.empty() && status) status = handler_.OnPartData(data);
  };
  // A byte that continues the delimiter is held back (it may yet be data).
  auto hold = [&](size_t& i) -> bool {
    ++matched_;
    ++i;
    run = i;
    if (matched_ < delimiter_.size()) return false;
    matched_ = 0;
    found_ = true;
    return true;
  };
  size_t i = 0;
  while (i < n && status) {
    if (matched_ == 0) {
      const void* cr = std::memchr(p.data() + i, '\r', n - i);
      if (cr == nullptr) break;
      i = static_cast<size_t>(static_cast<const char*>(cr) - p.data());
      pass(p.substr(run, i - run));
      if (hold(i)) return i;
      continue;
    }
    const char c = p[i];
    if (c == delimiter_[matched_]) {
      if (hold(i)) return i;
      continue;
    }
    // A mismatch: the held bytes that can no longer begin the delimiter were data.
    while (matched_ > 0 && c != delimiter_[matched_]) {
      size_t keep = fail_[matched_ - 1];
      pass(std::string_view(delimiter_).substr(0, matched_ - keep));
      matched_ = keep;
    }
    if (c == delimiter_[matched_]) {
      if (hold(i)) return i;
      continue;
    }
    run = i++;  // data; the fast path takes it from here
  }
  if (matched_ == 0) pass(p.substr(run, n - run));
  return n;
}

Status MultipartReader::ParseHeaders() {
  MultipartPart part;
  bool form_data = false;
  std::string_view block(header_);
  block.remove_suffix(2);  // the empty line's CRLF
  while (!block.empty()) {
    size_t eol = block.find("\r\n");
    std::string_view line = block.substr(0, eol);
    block = eol == std::string_view::npos ? std::string_view() : block.substr(eol + 2);
    if (line.empty()) continue;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Malformed("a part header has no colon");
    std::string name = Lower(Trim(line.substr(0, colon)));
    std::string_view value = Trim(line.substr(colon + 1));
    if (name == "content-disposition") {
      form_data = Lower(Trim(value.substr(0, value.find(';')))) == "form-data";
      std::optional<std::string> plain, extended;
      for (auto& [key, v] : Parameters(value)) {
        if (key == "name") part.name = v;
        if (key == "filename") plain = PercentDecode(v, false);
        if (key == "filename*") extended = ExtValue(v);
      }
      part.filename = extended ? extended : plain;
    } else if (name == "content-type") {
      part.content_type = std::string(value);
    }
  }
  if (!form_data) return Malformed("a part has no Content-Disposition: form-data header");
  return handler_.OnPartBegin(part);
}

Status MultipartReader::Feed(std::string_view piece) {
  if (error_) return tl::unexpected(*error_);
  Status status = Ok();
  while (!piece.empty() && status) {
    switch (state_) {
      case State::kPreamble:
      case State::kBody: {
        bool body = state_ == State::kBody;
        size_t used = Scan(piece, body, status);
        piece.remove_prefix(used);
        if (status && found_) {
          if (body) status = handler_.OnPartEnd();
          state_ = State::kAfterBoundary;
        }
        break;
      }
      case State::kAfterBoundary: {
        char c = piece.front();
        piece.remove_prefix(1);
        if (c == '-') {
          state_ = State::kAfterBoundaryDash;
        } else if (c == '\r') {
          state_ = State::kBoundaryLine;
        } else if (c != ' ' && c != '\t') {
          status = Malformed("a boundary is followed by something other than a line break");
        }
        break;
      }
      case State::kAfterBoundaryDash:
        if (piece.front() != '-') {
          status = Malformed("a boundary is followed by a single dash");
          break;
        }
        piece.remove_prefix(1);
        state_ = State::kEpilogue;
        break;
      case State::kBoundaryLine:
        if (piece.front() != '\n') {
          status = Malformed("a boundary line does not end with CRLF");
          break;
        }
        piece.remove_prefix(1);
        if (++parts_ > kMaxParts) {
          status = Malformed("more than " + std::to_string(kMaxParts) + " parts");
          break;
        }
        header_.clear();
        state_ = State::kHeaders;
        break;
      case State::kHeaders: {
        // Up to the empty line that ends the headers (or at once, for a part without headers).
        size_t taken = 0;
        bool complete = false;
        while (taken < piece.size()) {
          header_.push_back(piece[taken++]);
          if (header_ == "\r\n" ||
              (header_.size() >= 4 && header_.compare(header_.size() - 4, 4, "\r\n\r\n") == 0)) {
            complete = true;
            break;
          }
          if (header_.size() > kMaxHeaderBytes) break;
        }
        piece.remove_prefix(taken);
        if (header_.size() > kMaxHeaderBytes) {
          status = Malformed("a part's headers are longer than 8 KiB");
        } else if (complete) {
          if (header_ == "\r\n") header_ = "\r\n\r\n";
          status = ParseHeaders();
          state_ = State::kBody;
          matched_ = 0;
        }
        break;
      }
      case State::kEpilogue:
        piece = {};  // ignored, as RFC 2046 says
        break;
    }
  }
  return Fail(status);
}

Status MultipartReader::Finish() {
  if (error_) return tl::unexpected(*error_);
  if (state_ == State::kEpilogue) return Ok();
  return Fail(bf::Fail(ErrorCode::kBadRequest, "unterminated_multipart",
                       "the multipart body ends before its closing boundary"));
}

}  // namespace bf::http
