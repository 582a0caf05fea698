#include "domain/media.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

namespace bf {
namespace {

constexpr size_t kMaxHead = 4096;  // the format is always known after this many bytes
constexpr size_t kPdfTail = 1024;  // where %%EOF must be
constexpr size_t kMaxFilenameBytes = 200;

uint32_t Be32(std::string_view s, size_t at) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(s[at])) << 24) |
         (static_cast<uint32_t>(static_cast<uint8_t>(s[at + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<uint8_t>(s[at + 2])) << 8) |
         static_cast<uint8_t>(s[at + 3]);
}

uint32_t Le32(std::string_view s, size_t at) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(s[at + 3])) << 24) |
         (static_cast<uint32_t>(static_cast<uint8_t>(s[at + 2])) << 16) |
         (static_cast<uint32_t>(static_cast<uint8_t>(s[at + 1])) << 8) |
         static_cast<uint8_t>(s[at]);
}

// True when `have` could still become `sig` (it is a prefix of it, or starts with it).
bool Consistent(std::string_view have, std::string_view sig) {
  size_t n = std::min(have.size(), sig.size());
  return have.substr(0, n) == sig.substr(0, n);
}

bool StartsWith(std::string_view have, std::string_view sig) {
  return have.size() >= sig.size() && have.substr(0, sig.size()) == sig;
}

constexpr std::string_view kJpegSig("\xFF\xD8\xFF", 3);
constexpr std::string_view kPngSig("\x89PNG\r\n\x1A\n", 8);
constexpr std::string_view kPdfSig("%PDF-", 5);

auto Unsupported() {
  return Fail(
      ErrorCode::kUnsupportedMediaType, "unsupported_format",
      std::string("the file is not a ") + kAcceptedMediaFormats +
          " file; only these are accepted, recognised by their content whatever the name says");
}

// The brand classes of an ISO base media file ("ftyp" box): HEIC (HEVC-coded), other HEIF, or
// something else (AVIF, MP4, ...), which is refused.
std::optional<MediaFormat> HeifBrand(std::string_view ftyp) {
  static constexpr std::array<std::string_view, 8> kHeic = {"heic", "heix", "heim", "heis",
                                                            "hevc", "hevx", "hevm", "hevs"};
  static constexpr std::array<std::string_view, 2> kHeif = {"mif1", "msf1"};
  static constexpr std::array<std::string_view, 3> kOther = {"avif", "avis", "avio"};
  auto in = [](auto& set, std::string_view b) {
    return std::find(set.begin(), set.end(), b) != set.end();
  };
  std::vector<std::string_view> brands = {ftyp.substr(8, 4)};
  for (size_t at = 16; at + 4 <= ftyp.size(); at += 4) brands.push_back(ftyp.substr(at, 4));
  bool heic = false, heif = false;
  for (std::string_view b : brands) {
    if (in(kOther, b)) return std::nullopt;
    heic = heic || in(kHeic, b);
    heif = heif || in(kHeif, b);
  }
  if (heic) return MediaFormat::kHeic;
  if (heif) return MediaFormat::kHeif;
  return std::nullopt;
}

// Walker states.
enum JpegState {
  kJpegExpectFF,
  kJpegMarker,
  kJpegLength,
  kJpegSegment,
  kJpegScan,
  kJpegScanFF,
  kJpegDone
};
enum PngState { kPngSignature, kPngHeader, kPngBody, kPngDone };
enum HeifState { kHeifHeader, kHeifBody, kHeifToEnd };

}  // namespace

std::string_view MediaContentType(MediaFormat format) {
  switch (format) {
    case MediaFormat::kJpeg:
      return "image/jpeg";
    case MediaFormat::kPng:
      return "image/png";
    case MediaFormat::kWebp:
      return "image/webp";
    case MediaFormat::kHeic:
      return "image/heic";
    case MediaFormat::kHeif:
      return "image/heif";
    case MediaFormat::kPdf:
      return "application/pdf";
  }
  return "application/octet-stream";
}

std::optional<MediaFormat> MediaFormatOfContentType(std::string_view content_type) {
  for (auto f : {MediaFormat::kJpeg, MediaFormat::kPng, MediaFormat::kWebp, MediaFormat::kHeic,
                 MediaFormat::kHeif, MediaFormat::kPdf}) {
    if (MediaContentType(f) == content_type) return f;
  }
  return std::nullopt;
}

std::string_view MediaFormatName(MediaFormat format) {
  switch (format) {
    case MediaFormat::kJpeg:
      return "JPEG";
    case MediaFormat::kPng:
      return "PNG";
    case MediaFormat::kWebp:
      return "WebP";
    case MediaFormat::kHeic:
      return "HEIC";
    case MediaFormat::kHeif:
      return "HEIF";
    case MediaFormat::kPdf:
      return "PDF";
  }
  return "";
}

Status MediaChecker::Corrupt(std::string what) const {
  std::string name(MediaFormatName(format_.value_or(MediaFormat::kJpeg)));
  return FailField("file", "corrupt_file", "the " + name + " file is damaged: " + what);
}

Status MediaChecker::Feed(std::string_view data) {
  if (error_) return tl::unexpected(*error_);
  total_ += static_cast<int64_t>(data.size());
  Status status = Ok();
  if (format_) {
    status = Walk(data);
  } else {
    size_t take = std::min(data.size(), kMaxHead - head_.size());
    head_.append(data.substr(0, take));
    status = Recognise(false);
    if (status && format_) {
      std::string head = std::move(head_);
      head_.clear();
      status = Walk(head);
      if (status) status = Walk(data.substr(take));
    }
  }
  if (!status) error_ = status.error();
  return status;
}

Status MediaChecker::Recognise(bool at_end) {
  std::string_view h = head_;
  if (StartsWith(h, kJpegSig)) {
    format_ = MediaFormat::kJpeg;
  } else if (StartsWith(h, kPngSig)) {
    format_ = MediaFormat::kPng;
    state_ = kPngSignature;
    skip_ = 8;
  } else if (StartsWith(h, kPdfSig)) {
    format_ = MediaFormat::kPdf;
  } else if (h.size() >= 12 && h.substr(0, 4) == "RIFF" && h.substr(8, 4) == "WEBP") {
    format_ = MediaFormat::kWebp;
    uint32_t riff = Le32(h, 4);
    if (riff < 4) return Corrupt("its RIFF size is too small");
    riff_end_ = static_cast<int64_t>(riff) + 8;
  } else if (h.size() >= 8 && h.substr(4, 4) == "ftyp" &&
             !(h.size() < 12 && StartsWith(h, "RIFF"))) {
    // ("RIFF" then "ftyp" may still turn out a WebP once 12 bytes are here: wait for them, so
    // the verdict never depends on how the bytes were split.)
    uint32_t size = Be32(h, 0);
    if (size < 16 || size > kMaxHead || size % 4 != 0) return Unsupported();
    if (h.size() < size) return at_end ? Status(Unsupported()) : Ok();
    auto brand = HeifBrand(h.substr(0, size));
    if (!brand) return Unsupported();
    format_ = *brand;
  } else {
    bool riff = Consistent(h, "RIFF") && (h.size() <= 8 || Consistent(h.substr(8), "WEBP"));
    bool ftyp = h.size() <= 4 || Consistent(h.substr(4), "ftyp");
    bool possible = Consistent(h, kJpegSig) || Consistent(h, kPngSig) || Consistent(h, kPdfSig) ||
                    (h.size() < 12 && riff) || (h.size() < 8 && ftyp);
    if (possible && !at_end) return Ok();
    return Unsupported();
  }
  return Ok();
}

Status MediaChecker::Walk(std::string_view data) {
  if (data.empty()) return Ok();
  switch (*format_) {
    case MediaFormat::kJpeg:
      return WalkJpeg(data);
    case MediaFormat::kPng:
      return WalkPng(data);
    case MediaFormat::kHeic:
    case MediaFormat::kHeif:
      return WalkHeif(data);
    case MediaFormat::kWebp:
      return Ok();  // the RIFF size says where it ends
    case MediaFormat::kPdf:
      tail_.append(data.substr(data.size() > kPdfTail ? data.size() - kPdfTail : 0));
      if (tail_.size() > 2 * kPdfTail) tail_.erase(0, tail_.size() - kPdfTail);
      return Ok();
  }
  return Ok();
}

// Segments are skipped by their length; entropy-coded data is scanned for the next marker
// (0xFF followed by anything but 0x00, a fill byte or a restart marker).
Status MediaChecker::WalkJpeg(std::string_view data) {
  const size_t n = data.size();
  size_t i = 0;
  auto marker = [&](uint8_t m) -> Status {
    if (m == 0xFF) {
      state_ = kJpegMarker;  // fill byte
    } else if (m == 0xD9) {
      done_ = true;
      state_ = kJpegDone;
    } else if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
      state_ = kJpegExpectFF;  // stands alone
    } else if (m == 0x00) {
      return Corrupt("a marker is malformed");
    } else {
      marker_ = m;
      field_.clear();
      state_ = kJpegLength;
    }
    return Ok();
  };
  while (i < n) {
    switch (state_) {
      case kJpegExpectFF:
        if (static_cast<uint8_t>(data[i]) != 0xFF) return Corrupt("a marker was expected");
        ++i;
        state_ = kJpegMarker;
        break;
      case kJpegMarker:
        BF_RETURN_IF_ERROR(marker(static_cast<uint8_t>(data[i++])));
        break;
      case kJpegLength:
        field_.push_back(data[i++]);
        if (field_.size() == 2) {
          int length = (static_cast<uint8_t>(field_[0]) << 8) | static_cast<uint8_t>(field_[1]);
          field_.clear();
          if (length < 2) return Corrupt("a segment length is too small");
          skip_ = length - 2;
          state_ = skip_ > 0 ? kJpegSegment : (marker_ == 0xDA ? kJpegScan : kJpegExpectFF);
        }
        break;
      case kJpegSegment: {
        size_t take = static_cast<size_t>(std::min<int64_t>(skip_, static_cast<int64_t>(n - i)));
        i += take;
        skip_ -= static_cast<int64_t>(take);
        if (skip_ == 0) state_ = marker_ == 0xDA ? kJpegScan : kJpegExpectFF;
        break;
      }
      case kJpegScan: {
        const void* ff = std::memchr(data.data() + i, 0xFF, n - i);
        if (ff == nullptr) {
          i = n;
        } else {
          i = static_cast<size_t>(static_cast<const char*>(ff) - data.data()) + 1;
          state_ = kJpegScanFF;
        }
        break;
      }
      case kJpegScanFF: {
        uint8_t b = static_cast<uint8_t>(data[i++]);
        if (b == 0x00 || (b >= 0xD0 && b <= 0xD7)) {
          state_ = kJpegScan;
        } else if (b != 0xFF) {
          BF_RETURN_IF_ERROR(marker(b));
        }
        break;
      }
      default:  // kJpegDone: a trailer after the end of the image
        return Ok();
    }
  }
  return Ok();
}

Status MediaChecker::WalkPng(std::string_view data) {
  const size_t n = data.size();
  size_t i = 0;
  while (i < n) {
    switch (state_) {
      case kPngSignature:
      case kPngBody: {
        size_t take = static_cast<size_t>(std::min<int64_t>(skip_, static_cast<int64_t>(n - i)));
        i += take;
        skip_ -= static_cast<int64_t>(take);
        if (skip_ == 0) {
          if (state_ == kPngBody && marker_ == 1) {
            done_ = true;
            state_ = kPngDone;
          } else {
            state_ = kPngHeader;
          }
        }
        break;
      }
      case kPngHeader:
        field_.push_back(data[i++]);
        if (field_.size() == 8) {
          uint32_t length = Be32(field_, 0);
          std::string type = field_.substr(4, 4);
          field_.clear();
          if (length > 0x7FFFFFFFu) return Corrupt("a chunk is longer than PNG allows");
          if (first_chunk_ && type != "IHDR")
            return Corrupt("it does not start with its header chunk");
          first_chunk_ = false;
          marker_ = type == "IEND" ? 1 : 0;
          skip_ = static_cast<int64_t>(length) + 4;  // data and CRC
          state_ = kPngBody;
        }
        break;
      default:  // kPngDone
        return Ok();
    }
  }
  return Ok();
}

Status MediaChecker::WalkHeif(std::string_view data) {
  const size_t n = data.size();
  size_t i = 0;
  while (i < n) {
    switch (state_) {
      case kHeifHeader: {
        field_.push_back(data[i++]);
        if (field_.size() < 8) break;
        uint32_t size32 = Be32(field_, 0);
        if (size32 == 1 && field_.size() < 16) break;  // a 64-bit size follows
        std::string type = field_.substr(4, 4);
        if (type == "meta") seen_meta_ = true;
        if (size32 == 0) {
          to_end_ = true;
          state_ = kHeifToEnd;
        } else if (size32 == 1) {
          uint64_t size64 = (static_cast<uint64_t>(Be32(field_, 8)) << 32) | Be32(field_, 12);
          if (size64 < 16 || size64 > (uint64_t{1} << 62))
            return Corrupt("a box has an impossible size");
          skip_ = static_cast<int64_t>(size64 - 16);
          state_ = kHeifBody;
        } else {
          if (size32 < 8) return Corrupt("a box has an impossible size");
          skip_ = static_cast<int64_t>(size32) - 8;
          state_ = kHeifBody;
        }
        field_.clear();
        if (state_ == kHeifBody && skip_ == 0) state_ = kHeifHeader;
        break;
      }
      case kHeifBody: {
        size_t take = static_cast<size_t>(std::min<int64_t>(skip_, static_cast<int64_t>(n - i)));
        i += take;
        skip_ -= static_cast<int64_t>(take);
        if (skip_ == 0) state_ = kHeifHeader;
        break;
      }
      default:  // kHeifToEnd
        return Ok();
    }
  }
  return Ok();
}

Result<MediaFormat> MediaChecker::Finish() {
  if (error_) return tl::unexpected(*error_);
  if (total_ == 0) return FailField("file", "empty_file", "the file is empty");
  if (!format_) {
    Status status = Recognise(true);
    if (status && !format_) status = Unsupported();
    if (status) {
      std::string head = std::move(head_);
      head_.clear();
      status = Walk(head);
    }
    if (!status) {
      error_ = status.error();
      return tl::unexpected(*error_);
    }
  }
  bool whole = false;
  switch (*format_) {
    case MediaFormat::kJpeg:
    case MediaFormat::kPng:
      whole = done_;
      break;
    case MediaFormat::kWebp:
      whole = total_ >= riff_end_;
      break;
    case MediaFormat::kHeic:
    case MediaFormat::kHeif:
      whole = (state_ == kHeifToEnd || (state_ == kHeifHeader && field_.empty())) && seen_meta_;
      break;
    case MediaFormat::kPdf: {
      std::string_view tail = tail_;
      if (tail.size() > kPdfTail) tail = tail.substr(tail.size() - kPdfTail);
      whole = tail.find("%%EOF") != std::string_view::npos;
      break;
    }
  }
  if (!whole) {
    Error e = FailField("file", "truncated_file",
                        "the " + std::string(MediaFormatName(*format_)) +
                            " file is incomplete: it stops before its end (was the upload or the "
                            "copy cut short?)")
                  .value();
    error_ = e;
    return tl::unexpected(std::move(e));
  }
  return *format_;
}

// ---- Ranges -------------------------------------------------------------------------------

Result<std::optional<ByteRange>> ParseByteRange(std::string_view header, int64_t size) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  header = trim(header);
  if (header.substr(0, 6) != "bytes=") return std::nullopt;
  std::string_view spec = trim(header.substr(6));
  if (spec.find(',') != std::string_view::npos) return std::nullopt;
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  auto number = [](std::string_view s) -> std::optional<int64_t> {
    if (s.empty() || s.size() > 18) return std::nullopt;
    int64_t v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + (c - '0');
    }
    return v;
  };
  std::string_view first_text = trim(spec.substr(0, dash));
  std::string_view last_text = trim(spec.substr(dash + 1));
  auto unsatisfiable = [&] {
    return FailField(
        "Range", "range_not_satisfiable",
        "the range asked for lies outside the file of " + std::to_string(size) + " bytes");
  };
  if (first_text.empty()) {  // the last N bytes
    auto suffix = number(last_text);
    if (!suffix) return std::nullopt;
    if (*suffix == 0 || size == 0) return unsatisfiable();
    int64_t length = std::min(*suffix, size);
    return ByteRange{size - length, length};
  }
  auto first = number(first_text);
  if (!first) return std::nullopt;
  std::optional<int64_t> last;
  if (!last_text.empty()) {
    last = number(last_text);
    if (!last || *last < *first) return std::nullopt;
  }
  if (*first >= size) return unsatisfiable();
  int64_t end = last ? std::min(*last, size - 1) : size - 1;
  return ByteRange{*first, end - *first + 1};
}

// ---- File names ---------------------------------------------------------------------------

namespace {

// Decodes one UTF-8 sequence at s[i]; advances i. Invalid bytes decode as U+FFFD, one byte each.
char32_t NextCodePoint(std::string_view s, size_t& i) {
  auto b = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  uint8_t c = b(i);
  int len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + static_cast<size_t>(len) > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k < len; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return 0xFFFD;
  }
  i += static_cast<size_t>(len);
  return cp;
}

bool Dropped(char32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||             // control characters
         (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||  // zero-width, bidi
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF;
}

bool Replaced(char32_t cp) {
  return cp == '"' || cp == '*' || cp == ':' || cp == '<' || cp == '>' || cp == '?' || cp == '|' ||
         cp == 0xFFFD;
}

std::vector<std::string_view> Extensions(MediaFormat format) {
  switch (format) {
    case MediaFormat::kJpeg:
      return {"jpg", "jpeg", "jpe", "jfif"};
    case MediaFormat::kPng:
      return {"png"};
    case MediaFormat::kWebp:
      return {"webp"};
    case MediaFormat::kHeic:
    case MediaFormat::kHeif:
      return {MediaFormat::kHeic == format ? "heic" : "heif", "heic", "heif", "hif"};
    case MediaFormat::kPdf:
      return {"pdf"};
  }
  return {"bin"};
}

}  // namespace

std::string SanitizeMediaFilename(std::string_view raw, MediaFormat format) {
  // The last path segment, whichever separator the sender's system uses.
  size_t slash = raw.find_last_of("/\\");
  if (slash != std::string_view::npos) raw = raw.substr(slash + 1);
  std::string name;
  for (size_t i = 0; i < raw.size();) {
    size_t start = i;
    char32_t cp = NextCodePoint(raw, i);
    if (Dropped(cp)) continue;
    if (Replaced(cp)) {
      name.push_back('_');
    } else {
      name.append(raw.substr(start, i - start));
    }
  }
  // No leading dots or spaces ("..", ".hidden"), no trailing ones (Windows drops them).
  auto trim_front = [](char c) { return c == '.' || c == ' ' || c == '\t'; };
  size_t first = 0;
  while (first < name.size() && trim_front(name[first])) ++first;
  size_t last = name.size();
  while (last > first && (name[last - 1] == '.' || name[last - 1] == ' ')) --last;
  name = name.substr(first, last - first);
  // At most kMaxFilenameBytes, cut on a character boundary.
  if (name.size() > kMaxFilenameBytes) {
    size_t cut = kMaxFilenameBytes;
    while (cut > 0 && (static_cast<uint8_t>(name[cut]) & 0xC0) == 0x80) --cut;
    name.resize(cut);
    while (!name.empty() && (name.back() == '.' || name.back() == ' ')) name.pop_back();
  }
  std::vector<std::string_view> extensions = Extensions(format);
  std::string ext;
  if (size_t dot = name.rfind('.'); dot != std::string::npos) {
    ext = name.substr(dot + 1);
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (name.empty()) name = "file";
  if (std::find(extensions.begin(), extensions.end(), ext) == extensions.end()) {
    name += ".";
    name += extensions.front();
  }
  return name;
}

}  // namespace bf
