// Recognising media by content, checking that it is whole, naming it safely, and byte ranges.
#include "domain/media.h"

#include <gtest/gtest.h>

#include <random>

namespace bf {
namespace {

std::string B(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

std::string Be32(uint32_t v) {
  return B({int(v >> 24), int((v >> 16) & 0xFF), int((v >> 8) & 0xFF), int(v & 0xFF)});
}

// SOI, APP0, a comment, SOS with entropy-coded data (stuffed 0xFF, a restart marker), EOI.
std::string Jpeg() {
  std::string j = B({0xFF, 0xD8});
  j += B({0xFF, 0xE0, 0x00, 0x10}) + "JFIF" + B({0, 1, 1, 0, 0, 1, 0, 1, 0, 0});
  j += B({0xFF, 0xFE, 0x00, 0x07}) + "hello";
  j += B({0xFF, 0xDA, 0x00, 0x08, 1, 1, 0, 0, 0x3F, 0});
  j +=
      "scan" + B({0xFF, 0x00}) + "more" + B({0xFF, 0xD3}) + "after restart" + B({0xFF, 0xFF, 0x00});
  j += B({0xFF, 0xD9});
  return j;
}

std::string PngChunk(const std::string& type, const std::string& data) {
  return Be32(static_cast<uint32_t>(data.size())) + type + data +
         Be32(0);  // the CRC is not checked here
}

std::string Png() {
  return B({0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}) +
         PngChunk("IHDR", std::string(13, '\1')) + PngChunk("IDAT", "compressed pixels") +
         PngChunk("IEND", "");
}

std::string Webp() {
  std::string body = "WEBPVP8 " + std::string(20, 'w');
  return "RIFF" + B({int(body.size() & 0xFF), 0, 0, 0}) + body;
}

std::string Box(const std::string& type, const std::string& data) {
  return Be32(static_cast<uint32_t>(8 + data.size())) + type + data;
}

std::string Heif(const std::string& major, const std::string& compatible) {
  return Box("ftyp", major + Be32(0) + compatible) + Box("meta", std::string(30, 'm')) +
         Box("mdat", std::string(100, 'd'));
}

std::string Pdf() { return "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"; }

// Feeds `data` in pieces of `piece` bytes (0: whole).
Result<MediaFormat> Check(const std::string& data, size_t piece = 0) {
  MediaChecker checker;
  if (piece == 0) piece = data.size() + 1;
  for (size_t at = 0; at < data.size(); at += piece) {
    Status fed = checker.Feed(std::string_view(data).substr(at, piece));
    if (!fed) return tl::unexpected(fed.error());
  }
  return checker.Finish();
}

std::string Outcome(const Result<MediaFormat>& r) {
  return r ? std::string(MediaContentType(*r)) : r.error().reason;
}

TEST(MediaCheckerTest, RecognisesEachFormatByContent) {
  struct Case {
    std::string name, data, outcome;
  } cases[] = {
      {"jpeg", Jpeg(), "image/jpeg"},
      {"jpeg with a trailer after EOI", Jpeg() + "SEFT trailer of a phone", "image/jpeg"},
      {"png", Png(), "image/png"},
      {"png with bytes after IEND", Png() + "xx", "image/png"},
      {"webp", Webp(), "image/webp"},
      {"heic", Heif("heic", "mif1heic"), "image/heic"},
      {"heif (mif1)", Heif("mif1", "mif1"), "image/heif"},
      {"heic compatible brand", Heif("mif1", "mif1heic"), "image/heic"},
      {"box of size 0 runs to the end",
       Box("ftyp", "heic" + Be32(0) + "mif1") + Box("meta", "x") + Be32(0) + "mdat" + "rest",
       "image/heic"},
      {"pdf", Pdf(), "application/pdf"},
      {"pdf with whitespace after %%EOF", Pdf() + "\r\n \n", "application/pdf"},
      {"avif is not accepted", Heif("avif", "mif1avif"), "unsupported_format"},
      {"mp4 is not accepted", Heif("isom", "isomiso2mp41"), "unsupported_format"},
      {"elf", B({0x7F, 'E', 'L', 'F', 2, 1, 1, 0}) + std::string(100, '\0'), "unsupported_format"},
      {"gif", "GIF89a" + std::string(50, '\0'), "unsupported_format"},
      {"html", "<html><body>hi</body></html>", "unsupported_format"},
      {"svg", "<svg xmlns='http://www.w3.org/2000/svg'/>", "unsupported_format"},
      {"riff but not webp", "RIFF" + B({4, 0, 0, 0}) + "WAVE", "unsupported_format"},
      {"two bytes of a jpeg", B({0xFF, 0xD8}), "unsupported_format"},
      {"empty", "", "empty_file"},
      {"jpeg cut in a segment", Jpeg().substr(0, 10), "truncated_file"},
      {"jpeg cut in the scan", Jpeg().substr(0, Jpeg().size() - 2), "truncated_file"},
      {"jpeg with a bad segment length", B({0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01}), "corrupt_file"},
      {"jpeg without a marker", B({0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x02, 0x41}), "corrupt_file"},
      {"png cut", Png().substr(0, Png().size() - 5), "truncated_file"},
      {"png not starting with IHDR",
       B({0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}) + PngChunk("IDAT", "x"), "corrupt_file"},
      {"webp cut", Webp().substr(0, 20), "truncated_file"},
      {"heic cut", Heif("heic", "mif1").substr(0, 80), "truncated_file"},
      {"heic without meta", Box("ftyp", "heic" + Be32(0) + "mif1") + Box("mdat", "x"),
       "truncated_file"},
      {"heic with an impossible box", Box("ftyp", "heic" + Be32(0) + "mif1") + Be32(3) + "meta",
       "corrupt_file"},
      {"pdf without %%EOF", "%PDF-1.4\n1 0 obj << >> endobj\n", "truncated_file"},
      {"pdf with %%EOF far from the end", Pdf() + std::string(2000, ' '), "truncated_file"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Outcome(Check(c.data)), c.outcome) << c.name;
    EXPECT_EQ(Outcome(Check(c.data, 1)), c.outcome) << c.name << " (1-byte pieces)";
    EXPECT_EQ(Outcome(Check(c.data, 7)), c.outcome) << c.name << " (7-byte pieces)";
  }
}

TEST(MediaCheckerTest, EveryCutOfAJpegOrPngIsCaught) {
  for (const std::string& whole : {Jpeg(), Png()}) {
    for (size_t n = 1; n < whole.size(); ++n) {
      std::string outcome = Outcome(Check(whole.substr(0, n), 3));
      EXPECT_TRUE(outcome == "truncated_file" || outcome == "unsupported_format")
          << n << ": " << outcome;
    }
  }
}

TEST(MediaCheckerTest, RefusesAnUnacceptedFormatAtTheFirstBytes) {
  MediaChecker checker;
  auto fed = checker.Feed(B({0x7F, 'E', 'L', 'F', 2, 1, 1, 0}));
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().code, ErrorCode::kUnsupportedMediaType);
  EXPECT_NE(fed.error().message.find("JPEG, PNG, WebP, HEIC/HEIF or PDF"), std::string::npos);
  // It stays refused.
  EXPECT_EQ(checker.Feed("more").error().reason, "unsupported_format");
  EXPECT_EQ(checker.Finish().error().reason, "unsupported_format");
}

// Found by fuzz_media_checker: "RIFF" then "ftyp" at offset 4 read as an ISO box (and was
// refused) when the first 8 bytes arrived alone, but as a WebP when 12 arrived at once. The
// verdict must not depend on how the bytes are split.
TEST(MediaCheckerTest, RiffWithFtypAtOffsetFourHasOneVerdictHoweverSplit) {
  const std::string webp_like = "RIFF" + std::string("ftyp") + "WEBP" + std::string(40, 'y');
  const std::string whole = Outcome(Check(webp_like));
  EXPECT_EQ(whole, "truncated_file");  // its RIFF size ("ftyp") runs far past the end
  for (size_t piece : {1, 2, 5, 7, 8, 11})
    EXPECT_EQ(Outcome(Check(webp_like, piece)), whole) << piece;

  const std::string not_webp = "RIFFftypAVI " + std::string(40, 'y');
  EXPECT_EQ(Outcome(Check(not_webp)), "unsupported_format");
  for (size_t piece : {1, 8}) EXPECT_EQ(Outcome(Check(not_webp, piece)), "unsupported_format");
}

TEST(MediaCheckerTest, LargeFilesInRandomPieces) {
  std::mt19937 rng(7);
  std::string jpeg = Jpeg();
  std::string scan;  // 3 MiB of entropy-coded data, stuffed as a JPEG encoder would
  for (int i = 0; i < 3 * 1024 * 1024; ++i) {
    char c = static_cast<char>(rng());
    scan.push_back(c);
    if (c == '\xFF') scan.push_back('\0');
  }
  std::string big = jpeg.substr(0, jpeg.size() - 2) + scan + B({0xFF, 0xD9});
  MediaChecker checker;
  std::uniform_int_distribution<size_t> size(1, 70000);
  for (size_t at = 0; at < big.size();) {
    size_t n = std::min(size(rng), big.size() - at);
    ASSERT_TRUE(checker.Feed(std::string_view(big).substr(at, n)));
    at += n;
  }
  EXPECT_EQ(Outcome(checker.Finish()), "image/jpeg");
}

TEST(MediaFilenameTest, NamesAreMadeSafe) {
  struct Case {
    std::string raw;
    MediaFormat format;
    std::string safe;
  } cases[] = {
      {"licence.jpg", MediaFormat::kJpeg, "licence.jpg"},
      {"LICENCE.JPEG", MediaFormat::kJpeg, "LICENCE.JPEG"},
      {"../../etc/passwd", MediaFormat::kPdf, "passwd.pdf"},
      {"C:\\Users\\me\\scan.pdf", MediaFormat::kPdf, "scan.pdf"},
      {"a\"b\".png", MediaFormat::kPng, "a_b_.png"},
      {"tab\there\r\nnew.png", MediaFormat::kPng, "tabherenew.png"},
      {"star*colon:pipe|<>?.webp", MediaFormat::kWebp, "star_colon_pipe____.webp"},
      {"...", MediaFormat::kJpeg, "file.jpg"},
      {"", MediaFormat::kHeic, "file.heic"},
      {" .hidden ", MediaFormat::kHeif, "hidden.heif"},
      {"photo.html", MediaFormat::kPng, "photo.html.png"},
      {"photo.HEIC", MediaFormat::kHeif, "photo.HEIC"},
      {"bad\xFFutf8.jpg", MediaFormat::kJpeg, "bad_utf8.jpg"},
      {"over\xC0\xAFlong.jpg", MediaFormat::kJpeg, "over__long.jpg"},
      {"bidi\xE2\x80\xAEgnp.exe", MediaFormat::kPng, "bidignp.exe.png"},
      {"caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC.pdf", MediaFormat::kPdf,
       "caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC.pdf"},
      {std::string(300, 'a') + ".jpg", MediaFormat::kJpeg, std::string(200, 'a') + ".jpg"},
      {std::string(199, 'a') + "\xC3\xA9" + ".jpg", MediaFormat::kJpeg,
       std::string(199, 'a') + ".jpg"},
  };
  for (const Case& c : cases) EXPECT_EQ(SanitizeMediaFilename(c.raw, c.format), c.safe) << c.raw;
}

TEST(ByteRangeTest, Parses) {
  struct Case {
    std::string header;
    int64_t size;
    std::string outcome;  // "offset+length", "none" or the error reason
  } cases[] = {
      {"bytes=0-99", 1000, "0+100"},
      {"bytes=100-", 1000, "100+900"},
      {"bytes=-100", 1000, "900+100"},
      {"bytes=-5000", 1000, "0+1000"},
      {"bytes=990-5000", 1000, "990+10"},
      {" bytes=5-5 ", 1000, "5+1"},
      {"bytes=1000-", 1000, "range_not_satisfiable"},
      {"bytes=-0", 1000, "range_not_satisfiable"},
      {"", 1000, "none"},
      {"bytes=5-1", 1000, "none"},
      {"bytes=0-1,3-4", 1000, "none"},
      {"items=0-1", 1000, "none"},
      {"bytes=a-b", 1000, "none"},
      {"bytes=", 1000, "none"},
      {"bytes=99999999999999999999-", 1000, "none"},
  };
  for (const Case& c : cases) {
    auto r = ParseByteRange(c.header, c.size);
    std::string outcome = !r    ? r.error().reason
                          : !*r ? "none"
                                : std::to_string((*r)->offset) + "+" + std::to_string((*r)->length);
    EXPECT_EQ(outcome, c.outcome) << c.header;
  }
}

}  // namespace
}  // namespace bf
