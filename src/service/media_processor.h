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

class MediaProcessor {
 public:
  virtual ~MediaProcessor() = default;
  // A preview of `data`, a whole file of `format`, fitting in `size` × `size` pixels (the first
  // page of a PDF). 422 "thumbnail_unavailable" when the file cannot be decoded (or would be too
  // large to decode). Thread-safe.
  virtual Result<Preview> Thumbnail(std::string_view data, MediaFormat format, int size) = 0;
};

}  // namespace bf
