// Decompression bombs over real sockets: files small to upload and ruinous to decode get a clear
// 422 media_too_complex, decoded (when at all) in a child process within its limits, while
// uploads, exports and /healthz keep answering.
#include <gtest/gtest.h>
#include <zlib.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "support/media_fixtures.h"
#include "support/test_server.h"

namespace bf::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = std::chrono::steady_clock;

// zlib's deflate of `size` zero bytes, produced in pieces (never all in memory); rows of
// `row` bytes each start with a filter byte of 0, as PNG wants.
std::string DeflateZeros(size_t size) {
  z_stream z{};
  deflateInit(&z, 9);
  std::string out;
  std::vector<unsigned char> zeros(1 << 20, 0), buf(1 << 16);
  size_t left = size;
  int flush = Z_NO_FLUSH;
  do {
    size_t n = std::min(left, zeros.size());
    left -= n;
    flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
    z.next_in = zeros.data();
    z.avail_in = static_cast<uInt>(n);
    do {
      z.next_out = buf.data();
      z.avail_out = static_cast<uInt>(buf.size());
      deflate(&z, flush);
      out.append(reinterpret_cast<char*>(buf.data()), buf.size() - z.avail_out);
    } while (z.avail_out == 0);
  } while (flush != Z_FINISH);
  deflateEnd(&z);
  return out;
}

std::string Deflate(const std::string& data) {
  uLongf size = compressBound(data.size());
  std::string out(size, '\0');
  compress2(reinterpret_cast<Bytef*>(out.data()), &size,
            reinterpret_cast<const Bytef*>(data.data()), data.size(), 9);
  out.resize(size);
  return out;
}

void PutBe32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xff));
}

void PngChunk(std::string& png, const char* type, const std::string& data) {
  PutBe32(png, static_cast<uint32_t>(data.size()));
  std::string body = std::string(type, 4) + data;
  png += body;
  PutBe32(png, static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(body.data()),
                                           static_cast<uInt>(body.size()))));
}

// A valid greyscale PNG of width × height black pixels, written by hand: tiny on disk, whatever
// its size in pixels.
std::string BlackPng(uint32_t width, uint32_t height) {
  std::string png = "\x89PNG\r\n\x1a\n";
  std::string header;
  PutBe32(header, width);
  PutBe32(header, height);
  header += std::string("\x08\x00\x00\x00\x00", 5);  // 8-bit greyscale, deflate, no interlace
  PngChunk(png, "IHDR", header);
  PngChunk(png, "IDAT", DeflateZeros(static_cast<size_t>(height) * (width + 1)));
  PngChunk(png, "IEND", "");
  return png;
}

// A PDF of `objects` (object i + 1 is objects[i]; 1 is the catalogue) with a correct
// cross-reference table.
std::string PdfOf(const std::vector<std::string>& objects) {
  std::string pdf = "%PDF-1.5\n%\xE2\xE3\xCF\xD3\n";
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

// One page whose content stream holds `strokes` × 5 drawing operators (wide strokes across the
// page), compressed: 600,000 of them take poppler more than 10 s of CPU even at thumbnail scale.
std::string PdfWithOperators(size_t strokes) {
  const std::string stroke = "50 w 0 0 m 595 842 l 0 842 l 595 0 l S\n";
  std::string content;
  content.reserve(strokes * stroke.size());
  for (size_t i = 0; i < strokes; ++i) content += stroke;
  std::string packed = Deflate(content);
  return PdfOf({
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
      "<< /Length " + std::to_string(packed.size()) + " /Filter /FlateDecode >>\nstream\n" +
          packed + "\nendstream",
  });
}

// `pages` empty pages.
std::string PdfWithPages(int pages) {
  std::vector<std::string> objects = {"<< /Type /Catalog /Pages 2 0 R >>", ""};
  std::string kids;
  for (int i = 0; i < pages; ++i) {
    kids += std::to_string(i + 3) + " 0 R ";
    objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>");
  }
  objects[1] = "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) + " >>";
  return PdfOf(objects);
}

class MediaLimitsTest : public ::testing::Test {
 protected:
  std::string Upload(TestServer& server, const std::string& bytes, const std::string& type,
                     const std::string& name) {
    auto res = server.Call("alice", "POST", "/api/v1/media?filename=" + name, bytes,
                           {{"Content-Type", type}});
    EXPECT_EQ(res.status, 201) << res.body;
    return res.status == 201 ? std::string(res.Json().at("id").as_string()) : "";
  }
  HttpResult Thumbnail(TestServer& server, const std::string& id) {
    return server.Call("alice", "GET", "/api/v1/media/" + id + "/thumbnail");
  }
};

TEST_F(MediaLimitsTest, AnImageTooWideToDecodeIs422WithoutDecodingIt) {
  TestServer server;
  // 9,999,999 × 10: under 100 megapixels, yet shrinking it took 1.76 GB.
  std::string bomb = BlackPng(9'999'999, 10);
  EXPECT_LT(bomb.size(), 512u * 1024);
  std::string id = Upload(server, bomb, "image/png", "wide.png");
  auto start = Clock::now();
  auto thumb = Thumbnail(server, id);
  EXPECT_EQ(thumb.status, 422) << thumb.body;
  EXPECT_EQ(thumb.Code(), "media_too_complex");
  EXPECT_LT(Clock::now() - start, seconds(5));
  // The verdict is kept: asked again, the same answer without decoding.
  auto again = Thumbnail(server, id);
  EXPECT_EQ(again.status, 422);
  EXPECT_EQ(again.Code(), "media_too_complex");
  // A tall one too: each side has its cap, not only the area.
  std::string tall = Upload(server, BlackPng(10, 40'000), "image/png", "tall.png");
  EXPECT_EQ(Thumbnail(server, tall).Code(), "media_too_complex");
  // An ordinary image is previewed as before.
  std::string card = Upload(server, PngWithText("ordinary"), "image/png", "card.png");
  auto ok = Thumbnail(server, card);
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.Header("content-type"), "image/jpeg");
}

TEST_F(MediaLimitsTest, APdfWithTooManyPagesIs422) {
  TestServer server;
  std::string id = Upload(server, PdfWithPages(600), "application/pdf", "long.pdf");
  auto thumb = Thumbnail(server, id);
  EXPECT_EQ(thumb.status, 422) << thumb.body;
  EXPECT_EQ(thumb.Code(), "media_too_complex");
  std::string fine = Upload(server, PdfWithPages(3), "application/pdf", "short.pdf");
  EXPECT_EQ(Thumbnail(server, fine).status, 200);
}

// Four PDFs of 3 million drawing operators each (once 42–67 s of CPU apiece, holding every
// blocking worker): each child is stopped at its limits, and meanwhile an upload, an export and
// /healthz answer without waiting for them.
TEST_F(MediaLimitsTest, SlowPdfsAreStoppedAtTheirLimitsWhileEverythingElseAnswers) {
  TestServer server([](TestServer::Setup& setup) {
    setup.server.request_timeout = seconds(30);
    setup.sandbox.cpu_seconds = 1;
    setup.sandbox.wall_clock = seconds(3);
  });
  std::string bomb = PdfWithOperators(600'000);
  EXPECT_LT(bomb.size(), 512u * 1024);
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(Upload(server, bomb, "application/pdf", "ops.pdf"));

  auto started = Clock::now();
  std::vector<std::future<HttpResult>> thumbs;
  for (const std::string& id : ids) {
    thumbs.push_back(std::async(std::launch::async, [&, id] { return Thumbnail(server, id); }));
  }
  std::this_thread::sleep_for(milliseconds(300));  // the children are decoding
  auto start = Clock::now();
  EXPECT_EQ(server.Call("", "GET", "/healthz").status, 200);
  EXPECT_EQ(Upload(server, PngWithText("meanwhile"), "image/png", "m.png").empty(), false);
  EXPECT_EQ(server.Call("admin", "GET", "/api/v1/credentials/export.csv").status, 200);
  EXPECT_LT(Clock::now() - start, seconds(2));  // not the 3 s of a bomb, nor its 42 s
  for (auto& f : thumbs) {
    auto thumb = f.get();
    EXPECT_EQ(thumb.status, 422) << thumb.body;
    EXPECT_EQ(thumb.Code(), "media_too_complex");
  }
  // Two at a time (the media pool), each stopped by 3 s at the latest.
  EXPECT_LT(Clock::now() - started, seconds(12));
}

}  // namespace
}  // namespace bf::testing
