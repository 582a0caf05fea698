#include "media/vips_media.h"

#include <cstdio>
#include <mutex>
#include <utility>

#include "media/vips_library.h"

namespace bf::media {
namespace {

// libvips' functions, set by the first InitVips (vips_library.h says why it is not linked); read
// only after InitVips succeeded, which orders the read after the write (std::call_once).
VipsLibrary& Vips() {
  static VipsLibrary library;
  return library;
}

// The libvips error text, cleared: for logs only.
std::string VipsError() {
  std::string text = Vips().vips_error_buffer();
  Vips().vips_error_clear();
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

// Owns a VipsImage reference.
class Image {
 public:
  Image() = default;
  explicit Image(VipsImage* image) : image_(image) {}
  Image(const Image&) = delete;
  Image& operator=(const Image&) = delete;
  ~Image() { Reset(); }
  void Reset() {
    if (image_ != nullptr) Vips().g_object_unref(image_);
    image_ = nullptr;
  }
  VipsImage* get() const { return image_; }
  VipsImage** out() {
    Reset();
    return &image_;
  }
  explicit operator bool() const { return image_ != nullptr; }
  void Swap(Image& other) { std::swap(image_, other.image_); }

 private:
  VipsImage* image_ = nullptr;
};

// Owns memory libvips allocated.
struct VipsBuffer {
  void* data = nullptr;
  size_t size = 0;
  ~VipsBuffer() {
    if (data != nullptr) Vips().g_free(data);
  }
  std::string Take() const { return std::string(static_cast<const char*>(data), size); }
};

auto Unavailable(std::string why, std::string detail) {
  return Fail(ErrorCode::kInvalid, "thumbnail_unavailable", std::move(why), std::move(detail));
}

auto TooComplex(std::string why, std::string detail) {
  return Fail(ErrorCode::kInvalid, kMediaTooComplex, std::move(why), std::move(detail));
}

// `in` as 8-bit sRGB without alpha, flattened on white.
Status Flatten(Image& image) {
  Image srgb;
  if (Vips().vips_colourspace(image.get(), srgb.out(), VIPS_INTERPRETATION_sRGB, nullptr) != 0) {
    return Internal("vips_colourspace: " + VipsError());
  }
  if (Vips().vips_image_hasalpha(srgb.get())) {
    double white[3] = {255, 255, 255};
    VipsArrayDouble* background = Vips().vips_array_double_new(white, 3);
    Image flat;
    int rc = Vips().vips_flatten(srgb.get(), flat.out(), "background", background, nullptr);
    Vips().vips_area_unref(reinterpret_cast<VipsArea*>(background));
    if (rc != 0) return Internal("vips_flatten: " + VipsError());
    srgb.Swap(flat);
  }
  Image cast;
  if (Vips().vips_cast_uchar(srgb.get(), cast.out(), nullptr) != 0)
    return Internal("vips_cast: " + VipsError());
  image.Swap(cast);
  return Ok();
}

}  // namespace

Status InitVips(const char* argv0) {
  static std::once_flag once;
  static Status outcome = Ok();
  std::call_once(once, [&] {
    auto library = OpenVips();
    if (!library) {
      outcome = tl::unexpected(library.error());
      return;
    }
    Vips() = *library;
    // VIPS_INIT without its ABI check: the file opened is named after the ABI (vips_library.h).
    if (Vips().vips_init(argv0 != nullptr ? argv0 : "bonafides") != 0) {
      outcome = Internal("libvips failed to initialise: " + VipsError());
      return;
    }
    // Only the loaders of the accepted formats need to run; libvips marks poppler's PDF loader
    // untrusted, so it is let through by name (the content was recognised as PDF first).
    Vips().vips_block_untrusted_set(TRUE);
    Vips().vips_operation_block_set("VipsForeignLoadPdf", FALSE);
    Vips().vips_operation_block_set("VipsForeignLoadHeif", FALSE);
    Vips().vips_cache_set_max(0);
  });
  return outcome;
}

Result<Preview> VipsMediaProcessor::Thumbnail(std::string_view data, MediaFormat format, int size) {
  BF_RETURN_IF_ERROR(InitVips(nullptr));
  const std::string name(MediaFormatName(format));
  void* buf = const_cast<char*>(data.data());
  {
    // The header alone first: refuse decompression bombs before decoding anything.
    Image header(Vips().vips_image_new_from_buffer(buf, data.size(), "", nullptr));
    if (!header) return Unavailable("the " + name + " file cannot be read", VipsError());
    const int width = Vips().vips_image_get_width(header.get());
    const int height = Vips().vips_image_get_height(header.get());
    const double pixels = static_cast<double>(width) * height;
    // Each side on its own too: a 9,999,999 × 10 PNG is under the area limit, yet shrinking it
    // took 1.76 GB.
    if (width > limits_.max_dimension || height > limits_.max_dimension ||
        pixels > limits_.max_pixels) {
      return TooComplex("the image is too large to preview (" + std::to_string(width) + " × " +
                            std::to_string(height) + " pixels; at most " +
                            std::to_string(limits_.max_dimension) + " a side and " +
                            std::to_string(static_cast<int64_t>(limits_.max_pixels / 1e6)) +
                            " megapixels)",
                        std::to_string(pixels) + " pixels");
    }
    if (format == MediaFormat::kPdf) {
      const int pages = Vips().vips_image_get_n_pages(header.get());
      if (pages > limits_.max_pdf_pages) {
        return TooComplex("the PDF has too many pages to preview (" + std::to_string(pages) +
                              "; at most " + std::to_string(limits_.max_pdf_pages) + ")",
                          std::to_string(pages) + " pages");
      }
    }
  }
  Image thumb;
  if (Vips().vips_thumbnail_buffer(buf, data.size(), thumb.out(), size, "height", size, "size",
                                   VIPS_SIZE_DOWN, nullptr) != 0) {
    return Unavailable("the " + name + " file cannot be read", VipsError());
  }
  // Decoding happens here, lazily: a file broken past its header fails now.
  if (Status flat = Flatten(thumb); !flat) {
    return Unavailable("the " + name + " file cannot be decoded", flat.error().detail);
  }
  VipsBuffer out;
  if (Vips().vips_jpegsave_buffer(thumb.get(), &out.data, &out.size, "Q", 80, "strip", TRUE,
                                  nullptr) != 0) {
    return Unavailable("the " + name + " file cannot be decoded", VipsError());
  }
  return Preview{"image/jpeg", out.Take()};
}

Result<std::string> RenderCard(const Card& card, MediaFormat format) {
  BF_RETURN_IF_ERROR(InitVips(nullptr));
  Image black;
  if (Vips().vips_black(black.out(), card.width, card.height, "bands", 3, nullptr) != 0)
    return Internal(VipsError());
  double a[3] = {1, 1, 1};
  double b[3] = {static_cast<double>(card.red), static_cast<double>(card.green),
                 static_cast<double>(card.blue)};
  Image filled;
  if (Vips().vips_linear(black.get(), filled.out(), a, b, 3, nullptr) != 0)
    return Internal(VipsError());
  Image background;
  if (Vips().vips_cast_uchar(filled.get(), background.out(), nullptr) != 0)
    return Internal(VipsError());
  Vips().vips_image_set_int(background.get(), "interpretation", VIPS_INTERPRETATION_sRGB);

  Image card_image;
  std::string markup = "<b>" + card.title + "</b>\n" + card.subtitle;
  Image text;
  if (Vips().vips_text(text.out(), markup.c_str(), "width", card.width - 80, "dpi", 110, "font",
                       "sans", nullptr) == 0) {
    Image mask;
    Image white;
    double w[3] = {255, 255, 255};
    Image zero;
    if (Vips().vips_embed(text.get(), mask.out(), 40, 40, card.width, card.height, nullptr) != 0 ||
        Vips().vips_black(zero.out(), card.width, card.height, "bands", 3, nullptr) != 0 ||
        Vips().vips_linear(zero.get(), white.out(), a, w, 3, nullptr) != 0 ||
        Vips().vips_ifthenelse(mask.get(), white.get(), background.get(), card_image.out(), "blend",
                               TRUE, nullptr) != 0) {
      return Internal("drawing the card's text: " + VipsError());
    }
  } else {
    Vips().vips_error_clear();  // no font: a plain card
    card_image.Swap(background);
  }
  Image ready;
  if (Vips().vips_cast_uchar(card_image.get(), ready.out(), nullptr) != 0)
    return Internal(VipsError());
  VipsBuffer out;
  int rc = 0;
  switch (format) {
    case MediaFormat::kJpeg:
      rc = Vips().vips_jpegsave_buffer(ready.get(), &out.data, &out.size, "Q", 85, nullptr);
      break;
    case MediaFormat::kPng:
      rc = Vips().vips_pngsave_buffer(ready.get(), &out.data, &out.size, nullptr);
      break;
    case MediaFormat::kWebp:
      rc = Vips().vips_webpsave_buffer(ready.get(), &out.data, &out.size, nullptr);
      break;
    case MediaFormat::kHeic:
    case MediaFormat::kHeif:
      rc = Vips().vips_heifsave_buffer(ready.get(), &out.data, &out.size, "compression",
                                       VIPS_FOREIGN_HEIF_COMPRESSION_HEVC, nullptr);
      break;
    case MediaFormat::kPdf:
      return Fail(ErrorCode::kInvalid, "encoder_unavailable", "cards are images; use MinimalPdf");
  }
  if (rc != 0) {
    return Fail(ErrorCode::kUnavailable, "encoder_unavailable",
                "this libvips cannot write " + std::string(MediaFormatName(format)), VipsError());
  }
  return out.Take();
}

std::string MinimalPdf(const std::vector<std::string>& lines) {
  std::string content = "BT /F1 20 Tf 60 770 Td 26 TL\n";
  for (const std::string& line : lines) {
    std::string escaped;
    for (char c : line) {
      if (c == '(' || c == ')' || c == '\\') escaped.push_back('\\');
      escaped.push_back(c);
    }
    content += "(" + escaped + ") Tj T*\n";
  }
  content += "ET\n";
  std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
      " /Resources << /Font << /F1 5 0 R >> >> >>",
      "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "endstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  };
  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t offset : offsets) {
    char entry[32];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
    pdf += entry;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

}  // namespace bf::media
