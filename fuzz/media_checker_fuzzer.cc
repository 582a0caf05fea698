// Fuzzes recognising and checking media files: any bytes, in any split, give the same verdict
// as fed whole, without crashing; file names from the same bytes come out safe.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "domain/media.h"

namespace {

std::string Verdict(std::string_view data, size_t piece) {
  bf::MediaChecker checker;
  for (size_t at = 0; at < data.size(); at += piece) {
    auto fed = checker.Feed(data.substr(at, piece));
    if (!fed) return fed.error().reason;
  }
  auto format = checker.Finish();
  return format ? std::string(bf::MediaContentType(*format)) : format.error().reason;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const std::string whole = Verdict(bytes, size + 1);
  if (Verdict(bytes, 1) != whole || Verdict(bytes, 7) != whole || Verdict(bytes, 4093) != whole)
    std::abort();

  std::string name = bf::SanitizeMediaFilename(bytes.substr(0, 400), bf::MediaFormat::kJpeg);
  if (name.empty() || name.size() > 205 || name.front() == '.' || name.front() == ' ') std::abort();
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7F || c == '"' || c == '\\' || c == '/') std::abort();
  }
  return 0;
}
