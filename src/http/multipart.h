// A streaming reader of multipart/form-data bodies (RFC 7578 over RFC 2046): fed the body in
// pieces of any size, it reports each part's headers and then its data, as it goes. Memory stays
// bounded whatever the body's size: a part's data is passed on at once (only the last few bytes
// that might begin a boundary are held back), and part headers are limited to 8 KiB. Pure: no
// I/O, no allocation that grows with the body.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace bf::http {

// The boundary named by a Content-Type "multipart/form-data; boundary=..." (quoted or not). 400
// "missing_boundary" when there is none; 400 "invalid_boundary" when it is empty, longer than
// 70 characters or has characters RFC 2046 does not allow.
Result<std::string> MultipartBoundary(std::string_view content_type);

// True when the Content-Type names multipart/form-data (any case, any parameters).
bool IsMultipartFormData(std::string_view content_type);

struct MultipartPart {
  std::string name;                     // Content-Disposition name
  std::optional<std::string> filename;  // filename* (RFC 5987, UTF-8) if given, else filename
  std::string content_type;             // "" when the part has none
};

// What a reader reports to. Each callback may fail; the reader then stops with that error.
class MultipartHandler {
 public:
  virtual ~MultipartHandler() = default;
  virtual Status OnPartBegin(const MultipartPart& part) = 0;
  // Data of the current part, in order; views are valid during the call only.
  virtual Status OnPartData(std::string_view data) = 0;
  virtual Status OnPartEnd() = 0;
};

class MultipartReader {
 public:
  static constexpr size_t kMaxHeaderBytes = 8 * 1024;  // per part
  static constexpr int kMaxParts = 100;

  MultipartReader(std::string boundary, MultipartHandler& handler);

  // The next piece of the body. 400 "malformed_multipart" for a part without a proper header
  // (or one over kMaxHeaderBytes, or more than kMaxParts parts); a handler's error as it is.
  // After an error every call repeats it.
  Status Feed(std::string_view piece);
  // The body has ended: 400 "unterminated_multipart" unless the closing boundary was seen
  // (also when no boundary ever came).
  Status Finish();

 private:
  enum class State {
    kPreamble,
    kAfterBoundary,
    kAfterBoundaryDash,
    kBoundaryLine,
    kHeaders,
    kBody,
    kEpilogue
  };

  Status Fail(Status status);
  // Feeds bytes to the delimiter matcher; data before a delimiter goes to `emit` (or nowhere in
  // the preamble). Returns the number of bytes consumed; sets found_ when a delimiter ended.
  size_t Scan(std::string_view piece, bool emit, Status& status);
  Status ParseHeaders();

  std::string delimiter_;     // "\r\n--" + boundary
  std::vector<size_t> fail_;  // KMP failure function of delimiter_
  MultipartHandler& handler_;
  State state_ = State::kPreamble;
  size_t matched_ = 2;  // the body starts as if after a CRLF, so "--boundary" opens it
  bool found_ = false;
  std::string header_;
  int parts_ = 0;
  std::optional<Error> error_;
};

}  // namespace bf::http
