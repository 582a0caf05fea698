// What the media service needs from an image library, without naming one: services never
// include libvips (src/media/ implements this; app builds it).
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "domain/media.h"

namespace bf {

struct Preview {
  std::string content_type;  // "image/jpeg"
  std::string data;
};

// The reason of a file whose decoding would take more memory, time or pixels than allowed.
inline constexpr char kMediaTooComplex[] = "media_too_complex";

class MediaProcessor {
 public:
  virtual ~MediaProcessor() = default;
  // A preview of `data`, a whole file of `format`, fitting in `size` × `size` pixels (the first
  // page of a PDF). 422 "thumbnail_unavailable" when the file cannot be decoded; 422
  // "media_too_complex" (kMediaTooComplex) when decoding it would take more pixels, pages,
  // memory or time than allowed. Other errors are the server's, not the file's. Thread-safe.
  virtual Result<Preview> Thumbnail(std::string_view data, MediaFormat format, int size) = 0;
};

}  // namespace bf
