#include "support/media_fixtures.h"

#include <random>
#include <stdexcept>

#include "media/vips_media.h"

namespace bf::testing {
namespace {

std::string Must(Result<std::string> r) {
  if (!r) throw std::runtime_error("fixture: " + r.error().message + " " + r.error().detail);
  return *r;
}

uint32_t Crc32(const std::string& data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : data) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

std::string Be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

std::string ComSegment(const std::string& text) {
  size_t length = text.size() + 2;
  return std::string("\xFF\xFE", 2) + static_cast<char>(length >> 8) +
         static_cast<char>(length & 0xFF) + text;
}

media::Card TestCard() {
  return media::Card{"Test licence", "Bonafides test fixture", 120, 40, 90, 480, 300};
}

}  // namespace

std::string JpegWithComment(const std::string& marker, size_t padding) {
  std::string jpeg = Must(media::RenderCard(TestCard(), MediaFormat::kJpeg));
  std::string segments = ComSegment(marker);
  std::mt19937 rng(42);
  while (padding > 0) {
    size_t n = std::min<size_t>(padding, 60000);
    std::string noise(n, '\0');
    for (char& c : noise) c = static_cast<char>(rng());
    segments += ComSegment(noise);
    padding -= n;
  }
  return jpeg.substr(0, 2) + segments + jpeg.substr(2);
}

std::string PngWithText(const std::string& marker) {
  std::string png = Must(media::RenderCard(TestCard(), MediaFormat::kPng));
  std::string body = "tEXtComment" + std::string(1, '\0') + marker;
  std::string chunk = Be32(static_cast<uint32_t>(body.size() - 4)) + body + Be32(Crc32(body));
  const size_t after_ihdr = 8 + 8 + 13 + 4;
  return png.substr(0, after_ihdr) + chunk + png.substr(after_ihdr);
}

std::string Webp() { return Must(media::RenderCard(TestCard(), MediaFormat::kWebp)); }

std::optional<std::string> Heic() {
  auto heic = media::RenderCard(TestCard(), MediaFormat::kHeic);
  if (!heic) return std::nullopt;
  return *heic;
}

std::string Pdf(const std::string& text) { return media::MinimalPdf({text}); }

std::string UnreadablePdf() {
  return "%PDF-1.7\n%\xE2\xE3\xCF\xD3\nthis is not a PDF body at all, no objects, no xref\n" +
         std::string(200, 'x') + "\nstartxref\n999999\n%%EOF\n";
}

std::string ElfExecutable() {
  std::string elf(
      "\x7F"
      "ELF\x02\x01\x01\x00",
      8);
  elf += std::string(8, '\0');
  elf += std::string("\x02\x00\x3E\x00\x01\x00\x00\x00", 8);
  elf += std::string(4000, '\x90');
  return elf;
}

std::string MultipartBody(const std::string& boundary, const std::vector<FormPart>& parts,
                          bool close) {
  std::string body;
  for (const FormPart& p : parts) {
    body += "--" + boundary + "\r\n";
    body += "Content-Disposition: form-data; name=\"" + p.name + "\"";
    if (p.filename) body += "; filename=\"" + *p.filename + "\"";
    body += "\r\n";
    if (!p.content_type.empty()) body += "Content-Type: " + p.content_type + "\r\n";
    body += "\r\n" + p.data + "\r\n";
  }
  if (close) body += "--" + boundary + "--\r\n";
  return body;
}

}  // namespace bf::testing
