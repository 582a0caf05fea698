// Thumbnails and generated images over libvips. libvips is opened and initialised once per
// process, when first needed (InitVips; vips_library.h says why it is not linked); nothing outside
// src/media includes its headers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "domain/media.h"
#include "service/media_processor.h"

namespace bf::media {

// Opens libvips (OpenVips) and initialises it, once per process; later calls return the first
// outcome (500 when libvips cannot be opened or initialised). Thumbnail and RenderCard call it;
// calling it earlier only moves the cost (~20 MiB of resident memory) forward. Refuses the loaders
// libvips marks untrusted (except poppler's PDF and libheif's) and turns off its operation cache
// (each file is decoded once). Thread-safe.
Status InitVips(const char* argv0);

// What a file may ask of a decoder before it is refused from its header alone.
struct DecodeLimits {
  int max_dimension = 30000;  // pixels of width, and of height, each
  double max_pixels = 100e6;  // width × height
  int max_pdf_pages = 500;
};

// Previews with vips_thumbnail_buffer: images of any accepted format (HEIC/HEIF through
// libheif), the first page of a PDF (through poppler, rendered at the thumbnail's scale),
// auto-rotated, flattened on white, saved as JPEG without metadata. A file over `limits` (read
// from its header, before decoding) is 422 "media_too_complex". In-process: the server runs it
// in a child (SandboxedMediaProcessor, thumbnail_sandbox.h), which bounds memory and time.
// Thread-safe.
class VipsMediaProcessor final : public MediaProcessor {
 public:
  explicit VipsMediaProcessor(DecodeLimits limits = {}) : limits_(limits) {}
  Result<Preview> Thumbnail(std::string_view data, MediaFormat format, int size) override;

 private:
  DecodeLimits limits_;
};

// A plain card for demos and tests: a coloured rectangle with a title and a subtitle (the text
// is left out when no font can be rendered).
struct Card {
  std::string title;
  std::string subtitle;
  uint8_t red = 40, green = 90, blue = 160;
  int width = 640, height = 400;
};
// The card encoded as JPEG, PNG, WebP or HEIC (kHeic and kHeif both write HEIC). kUnavailable
// "encoder_unavailable" when this libvips cannot write the format.
Result<std::string> RenderCard(const Card& card, MediaFormat format);

// A small valid one-page PDF showing `lines` in Helvetica, with a correct cross-reference table.
std::string MinimalPdf(const std::vector<std::string>& lines);

}  // namespace bf::media
