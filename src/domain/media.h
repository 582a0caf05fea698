// Media files (photos and PDFs of credentials): the formats accepted, how they are recognised by
// their content and checked for completeness while they arrive, and how their names are made
// safe. Pure: no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"

namespace bf {

enum class MediaFormat { kJpeg, kPng, kWebp, kHeic, kHeif, kPdf };

// "image/jpeg", "image/png", "image/webp", "image/heic", "image/heif", "application/pdf".
std::string_view MediaContentType(MediaFormat format);
std::optional<MediaFormat> MediaFormatOfContentType(std::string_view content_type);
// "JPEG", "PNG", ...
std::string_view MediaFormatName(MediaFormat format);
// How the accepted formats are named in messages.
inline constexpr char kAcceptedMediaFormats[] = "JPEG, PNG, WebP, HEIC/HEIF or PDF";

inline constexpr int kMaxMediaPerVersion = 10;
inline constexpr int64_t kDefaultMaxUploadBytes = 20 * 1024 * 1024;
// An upload that was never attached is removed this long after it arrived.
inline constexpr Millis kUnattachedMediaLifetime = std::chrono::hours(24);

// A stored media file. Its bytes live elsewhere, encrypted (see store.h, media chunks).
struct MediaFile {
  std::string id;
  std::string org_id;
  std::string uploaded_by;    // user id
  std::string credential_id;  // "" until attached
  std::string filename;       // sanitised (SanitizeMediaFilename)
  std::string content_type;   // one of MediaContentType
  int64_t size = 0;           // plaintext bytes
  std::string sha256;         // lower-case hex of the plaintext
  int64_t chunk_size = 0;     // plaintext bytes per stored chunk (the last may be shorter)
  int64_t chunk_count = 0;
  std::string header;  // the encryption stream's header
  Timestamp created_at;
  int version = 0;  // filled on read: the latest version showing the file, 0 for none
};

// A file's preview, encrypted like the file. `error` set (and no data) when none can be made.
struct MediaThumbnail {
  std::string media_id;
  std::string content_type;
  std::string header;
  std::string data;
  std::string error;
  Timestamp created_at;
};

// Recognises a file by its content while it arrives and checks that it is whole: fed the file
// piece by piece (any sizes), it keeps a few hundred bytes at most whatever the file's size.
//   JPEG: markers and segments walked to the end-of-image marker (bytes after it are allowed);
//   PNG: chunks walked to IEND; WebP: the RIFF size; HEIC/HEIF: top-level boxes, which must end
//   exactly with the file and include `meta`; PDF: `%%EOF` within the last 1024 bytes.
// Not thread-safe.
class MediaChecker {
 public:
  // 415 "unsupported_format" once the first bytes show a format that is not accepted; 422
  // "corrupt_file" when the structure is broken. After an error, further calls repeat it.
  Status Feed(std::string_view data);
  // After the last piece: the format, or 422 "empty_file", 415 "unsupported_format" (too short
  // to recognise), 422 "truncated_file" (the file stops before its end).
  Result<MediaFormat> Finish();
  // Known once enough of the head has arrived.
  std::optional<MediaFormat> format() const { return format_; }

 private:
  Status Recognise(bool at_end);
  Status Walk(std::string_view data);
  Status WalkJpeg(std::string_view data);
  Status WalkPng(std::string_view data);
  Status WalkHeif(std::string_view data);
  Status Corrupt(std::string what) const;

  std::optional<Error> error_;
  std::optional<MediaFormat> format_;
  std::string head_;  // the first bytes, until the format is known
  int64_t total_ = 0;

  // Walking state, shared by the walkers that need it.
  int state_ = 0;
  int64_t skip_ = 0;         // bytes to pass over before the next field
  std::string field_;        // a field being collected across pieces (length, box header)
  uint8_t marker_ = 0;       // JPEG: the marker whose segment is being read
  bool first_chunk_ = true;  // PNG: IHDR must come first
  bool seen_meta_ = false;   // HEIF
  bool to_end_ = false;      // HEIF: a box of size 0 runs to the end of the file
  bool done_ = false;        // the structure ended (EOI, IEND): later bytes are a trailer
  int64_t riff_end_ = 0;     // WebP: where the RIFF chunk ends
  std::string tail_;         // PDF: the last bytes
};

// One byte range of a file: `length` bytes from `offset`.
struct ByteRange {
  int64_t offset = 0;
  int64_t length = 0;
};

// The range an HTTP Range header value asks of a file of `size` bytes (RFC 9110 14.1.2:
// "bytes=first-last", "bytes=first-", "bytes=-suffix"; `last` is clipped to the end). nullopt
// when the value is empty, malformed, another unit, or several ranges (the whole file is then
// sent). 422 "range_not_satisfiable" when no byte of the range exists.
Result<std::optional<ByteRange>> ParseByteRange(std::string_view header, int64_t size);

// A file name safe to store, show and send back: the last path segment only, valid UTF-8,
// without control, bidirectional-override or zero-width characters, quotes, backslashes or the
// characters Windows forbids; no leading dots or spaces; at most 200 bytes; ending in an
// extension of `format` (added when the name has another: "photo.html" as a PNG becomes
// "photo.html.png"). An empty result becomes "file" with the extension.
std::string SanitizeMediaFilename(std::string_view raw, MediaFormat format);

}  // namespace bf
