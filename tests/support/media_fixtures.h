// Media files for tests, generated at test time: images drawn by libvips (src/media) with a
// marker hidden in their metadata, PDFs written by hand, and multipart bodies as curl -F sends.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace bf::testing {

// A JPEG card with a comment segment (COM) holding `marker`. `padding` more bytes of comment
// segments (random, up to 64 KiB each) make it as large as needed.
std::string JpegWithComment(const std::string& marker, size_t padding = 0);
// A PNG card with a tEXt chunk "Comment" holding `marker`.
std::string PngWithText(const std::string& marker);
std::string Webp();
// nullopt when this libvips cannot write HEIC (no HEVC encoder in libheif).
std::optional<std::string> Heic();
// A valid one-page PDF showing `text`.
std::string Pdf(const std::string& text);
// Starts and ends as a PDF does, but nothing in between is PDF: poppler cannot read it.
std::string UnreadablePdf();
// The start of an x86-64 ELF executable.
std::string ElfExecutable();

struct FormPart {
  std::string name;
  std::optional<std::string> filename;  // as written in the header (already escaped)
  std::string content_type;             // "" for none
  std::string data;
};
// A multipart/form-data body as curl -F writes it; without the closing boundary when `close`
// is false.
std::string MultipartBody(const std::string& boundary, const std::vector<FormPart>& parts,
                          bool close = true);
inline constexpr char kBoundary[] = "------------------------bf4b3a2c9d1e07f6";

}  // namespace bf::testing
