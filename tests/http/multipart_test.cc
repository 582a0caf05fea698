// The streaming multipart reader: the same events whatever the pieces it is fed, bounded memory,
// and an exact error for each malformed body.
#include "http/multipart.h"

#include <gtest/gtest.h>

#include <random>

namespace bf::http {
namespace {

// Records what the reader reports, merging adjacent data so that piece sizes do not show.
class Recorder final : public MultipartHandler {
 public:
  Status OnPartBegin(const MultipartPart& part) override {
    log.push_back("begin name=" + part.name + " filename=" + part.filename.value_or("<none>") +
                  " type=" + part.content_type);
    data_open = false;
    return Ok();
  }
  Status OnPartData(std::string_view data) override {
    EXPECT_FALSE(data.empty());
    largest = std::max(largest, data.size());
    bytes += data.size();
    if (!data_open) log.push_back("data ");
    data_open = true;
    log.back().append(data);
    return Ok();
  }
  Status OnPartEnd() override {
    log.push_back("end");
    data_open = false;
    return Ok();
  }

  std::vector<std::string> log;
  size_t bytes = 0, largest = 0;
  bool data_open = false;
};

struct Outcome {
  std::vector<std::string> log;
  std::string error;  // the error's reason, "" when none
  bool operator==(const Outcome&) const = default;
};

// Feeds `body` in pieces of the sizes `next` gives.
template <typename Next>
Outcome Read(const std::string& boundary, const std::string& body, Next next) {
  Recorder recorder;
  MultipartReader reader(boundary, recorder);
  Status status = Ok();
  for (size_t at = 0; at < body.size() && status;) {
    size_t n = std::min(next(), body.size() - at);
    status = reader.Feed(std::string_view(body).substr(at, n));
    at += n;
  }
  if (status) status = reader.Finish();
  return Outcome{recorder.log, status ? "" : status.error().reason};
}

Outcome Whole(const std::string& boundary, const std::string& body) {
  return Read(boundary, body, [&] { return body.size() + 1; });
}

const std::string kB = "XyZ--boundary--42";

std::string Part(const std::string& headers, const std::string& data) {
  return "--" + kB + "\r\n" + headers + "\r\n\r\n" + data + "\r\n";
}

// Data that looks like the boundary in every way but one.
std::string Tricky() {
  std::string d = "\r\n--XyZ--boundary--4\r\n--XyZ--boundary-\r\r\n--\r\n-\r\n--XyZ";
  d += std::string("\0\xFF\r\n\r\n", 6);
  d += "x--" + kB + " not at a line start \r\n-" + "-" + kB.substr(0, 5);
  return d;
}

std::string Body() {
  return "preamble to ignore\r\n" + Part("Content-Disposition: form-data; name=\"note\"", "hello") +
         Part(
             "Content-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\nContent-Type: "
             "image/jpeg",
             Tricky()) +
         Part("content-disposition: form-data; name=\"empty\"", "") + "--" + kB +
         "--\r\nepilogue\r\n";
}

TEST(MultipartTest, ReportsPartsHeadersAndData) {
  Outcome out = Whole(kB, Body());
  EXPECT_EQ(out.error, "");
  std::vector<std::string> expected = {"begin name=note filename=<none> type=",
                                       "data hello",
                                       "end",
                                       "begin name=file filename=a.jpg type=image/jpeg",
                                       "data " + Tricky(),
                                       "end",
                                       "begin name=empty filename=<none> type=",
                                       "end"};
  EXPECT_EQ(out.log, expected);
}

TEST(MultipartTest, AnyPieceSizesGiveTheSameResult) {
  const std::string body = Body();
  Outcome whole = Whole(kB, body);
  EXPECT_EQ(Read(kB, body, [] { return size_t{1}; }), whole);
  EXPECT_EQ(Read(kB, body, [] { return size_t{7}; }), whole);
  for (unsigned seed = 0; seed < 200; ++seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<size_t> size(1, 40);
    EXPECT_EQ(Read(kB, body, [&] { return size(rng); }), whole) << "seed " << seed;
  }
  // Errors too.
  std::string unclosed = body.substr(0, body.find("--" + kB + "--"));
  Outcome error = Whole(kB, unclosed);
  EXPECT_EQ(error.error, "unterminated_multipart");
  EXPECT_EQ(Read(kB, unclosed, [] { return size_t{1}; }), error);
  EXPECT_EQ(Read(kB, unclosed, [] { return size_t{7}; }), error);
}

TEST(MultipartTest, MemoryStaysBoundedWhateverTheSize) {
  Recorder recorder;
  MultipartReader reader(kB, recorder);
  ASSERT_TRUE(reader.Feed(
      "--" + kB + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big\"\r\n\r\n"));
  std::string piece(64 * 1024, 'a');
  piece[100] = '\r';  // a few false starts of the delimiter
  piece[101] = '\n';
  piece[65535] = '\r';
  for (int i = 0; i < 800; ++i) ASSERT_TRUE(reader.Feed(piece));  // 50 MiB
  ASSERT_TRUE(reader.Feed("\r\n--" + kB + "--"));
  ASSERT_TRUE(reader.Finish());
  EXPECT_EQ(recorder.bytes, 800u * piece.size());
  // Data is passed on as it arrives: never more than one piece at a time.
  EXPECT_LE(recorder.largest, piece.size());
}

TEST(MultipartTest, FileNames) {
  struct Case {
    std::string disposition;
    std::string filename;
  } cases[] = {
      {R"(form-data; name="file"; filename="plain.jpg")", "plain.jpg"},
      {R"(form-data; name="file"; filename=bare.jpg)", "bare.jpg"},
      {R"(form-data; name="file"; filename="q\"uote.jpg")", "q\"uote.jpg"},
      {R"(form-data; name="file"; filename="C:\photos\me.jpg")", "C:\\photos\\me.jpg"},
      {R"(form-data; name="file"; filename="a%22b%0D%0Ac%41.jpg")", "a\"b\r\nc%41.jpg"},
      {R"(form-data; name="file"; filename="fallback.jpg"; filename*=UTF-8''na%C3%AFve.jpg)",
       "na\xC3\xAFve.jpg"},
      {R"(form-data; name="file"; filename*=iso-8859-1''x.jpg; filename="used.jpg")", "used.jpg"},
      {R"(form-data; filename="semi;colon.jpg"; name="file")", "semi;colon.jpg"},
  };
  for (const Case& c : cases) {
    std::string body =
        "--" + kB + "\r\nContent-Disposition: " + c.disposition + "\r\n\r\nx\r\n--" + kB + "--";
    Outcome out = Whole(kB, body);
    ASSERT_EQ(out.error, "") << c.disposition;
    EXPECT_EQ(out.log.at(0), "begin name=file filename=" + c.filename + " type=") << c.disposition;
  }
}

TEST(MultipartTest, MalformedBodies) {
  struct Case {
    std::string name, body, error;
  } cases[] = {
      {"no boundary at all", "just some text", "unterminated_multipart"},
      {"never closed", "--" + kB + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc",
       "unterminated_multipart"},
      {"headers never end", "--" + kB + "\r\nContent-Disposition: form-data; name=\"file\"\r\n",
       "unterminated_multipart"},
      {"no disposition", "--" + kB + "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" + kB + "--",
       "malformed_multipart"},
      {"header without colon", "--" + kB + "\r\nnonsense\r\n\r\nx\r\n--" + kB + "--",
       "malformed_multipart"},
      {"junk after boundary", "--" + kB + "junk\r\n", "malformed_multipart"},
      {"single dash", "--" + kB + "-x", "malformed_multipart"},
      {"headers too long", "--" + kB + "\r\nX: " + std::string(9000, 'h') + "\r\n\r\n",
       "malformed_multipart"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Whole(kB, c.body).error, c.error) << c.name;
    EXPECT_EQ(Read(kB, c.body, [] { return size_t{1}; }).error, c.error) << c.name;
  }
  std::string many;
  for (int i = 0; i <= MultipartReader::kMaxParts; ++i)
    many += Part("Content-Disposition: form-data; name=\"f\"", "x");
  EXPECT_EQ(Whole(kB, many + "--" + kB + "--").error, "malformed_multipart");
}

TEST(MultipartTest, AHandlersErrorStopsTheReader) {
  class Refuser final : public MultipartHandler {
   public:
    Status OnPartBegin(const MultipartPart&) override {
      return Fail(ErrorCode::kInvalid, "too_many_files", "no");
    }
    Status OnPartData(std::string_view) override { return Ok(); }
    Status OnPartEnd() override { return Ok(); }
  } refuser;
  MultipartReader reader(kB, refuser);
  auto first = reader.Feed(Body());
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().reason, "too_many_files");
  EXPECT_EQ(reader.Feed("more").error().reason, "too_many_files");
  EXPECT_EQ(reader.Finish().error().reason, "too_many_files");
}

TEST(MultipartTest, Boundaries) {
  EXPECT_EQ(*MultipartBoundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(*MultipartBoundary("Multipart/Form-Data; charset=utf-8; BOUNDARY=\"a b:c\""), "a b:c");
  EXPECT_EQ(MultipartBoundary("multipart/form-data").error().reason, "missing_boundary");
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=").error().reason, "invalid_boundary");
  EXPECT_EQ(
      MultipartBoundary("multipart/form-data; boundary=" + std::string(71, 'a')).error().reason,
      "invalid_boundary");
  EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=\"a\r\nb\"").error().reason,
            "invalid_boundary");
  EXPECT_TRUE(IsMultipartFormData("multipart/form-data; boundary=x"));
  EXPECT_TRUE(IsMultipartFormData(" MULTIPART/FORM-DATA"));
  EXPECT_FALSE(IsMultipartFormData("multipart/mixed; boundary=x"));
  EXPECT_FALSE(IsMultipartFormData("image/jpeg"));
}

}  // namespace
}  // namespace bf::http
