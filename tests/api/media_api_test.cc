// Media files over real sockets: upload (multipart as curl -F sends it, and raw bodies),
// download with ranges, encryption at rest, thumbnails, attaching to versions, permissions,
// clean-up — and every bad input of the media issue.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "core/ids.h"
#include "support/media_fixtures.h"
#include "support/test_server.h"

namespace bf::testing {
namespace {

constexpr int64_t kMiB = 1024 * 1024;

class MediaApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto res = server_.Call("manager", "POST", "/api/v1/credential-types",
                            R"({"name":"Driver's licence"})");
    ASSERT_EQ(res.status, 201) << res.body;
    licence_ = std::string(res.Json().at("id").as_string());
  }

  // curl -F file=@<filename> as `who`.
  HttpResult UploadForm(const std::string& who, const std::string& bytes,
                        const std::string& filename,
                        const std::string& type = "application/octet-stream") {
    return server_.Call(
        who, "POST", "/api/v1/media", MultipartBody(kBoundary, {{"file", filename, type, bytes}}),
        {{"Content-Type", std::string("multipart/form-data; boundary=") + kBoundary}});
  }
  // The raw body with ?filename=.
  HttpResult UploadRaw(const std::string& who, const std::string& bytes,
                       const std::string& query_filename, const std::string& type = "image/jpeg") {
    return server_.Call(who, "POST", "/api/v1/media?filename=" + query_filename, bytes,
                        {{"Content-Type", type}});
  }
  // Uploads and returns the id.
  std::string Upload(const std::string& who, const std::string& bytes,
                     const std::string& filename) {
    auto res = UploadForm(who, bytes, filename);
    EXPECT_EQ(res.status, 201) << res.body;
    return res.status == 201 ? std::string(res.Json().at("id").as_string()) : "";
  }
  HttpResult Get(const std::string& who, const std::string& id,
                 std::map<std::string, std::string> headers = {}) {
    return server_.Call(who, "GET", "/api/v1/media/" + id, "", std::move(headers));
  }

  HttpResult CreateCredential(const std::string& who, const std::vector<std::string>& media_ids,
                              const std::string& user_id = "") {
    boost::json::array ids;
    for (const auto& id : media_ids) ids.emplace_back(id);
    boost::json::object body{{"type_id", licence_},
                             {"issue_date", "2025-01-01"},
                             {"expiry_date", "2028-01-01"},
                             {"media_ids", ids}};
    if (!user_id.empty()) body["user_id"] = user_id;
    return server_.Call(who, "POST", "/api/v1/credentials", boost::json::serialize(body));
  }

  static std::vector<std::string> Filenames(const boost::json::value& credential_or_version) {
    std::vector<std::string> out;
    for (const auto& m : credential_or_version.at("media").as_array())
      out.emplace_back(m.at("filename").as_string());
    return out;
  }

  std::string ReadFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  std::vector<ActivityRow> Activity(const std::string& action) {
    auto uow = server_.store().Begin(false);
    EXPECT_TRUE(uow);
    ActivityFilter filter;
    filter.action = action;
    filter.limit = 100;
    auto rows = (*uow)->ListActivity(server_.org_a(), filter);
    EXPECT_TRUE(rows);
    return *rows;
  }

  TestServer server_;
  std::string licence_;
};

// ---- Upload and download -------------------------------------------------------------------

TEST_F(MediaApiTest, AMultipartUploadDownloadsByteIdentical) {
  const std::string photo =
      JpegWithComment("front of the card", 700 * 1024);  // several stored chunks
  auto res = UploadForm("alice", photo, "licence.jpg", "image/jpeg");
  ASSERT_EQ(res.status, 201) << res.body;
  auto json = res.Json().as_object();
  EXPECT_EQ(json.size(), 5u);
  EXPECT_EQ(json.at("filename"), "licence.jpg");
  EXPECT_EQ(json.at("content_type"), "image/jpeg");
  EXPECT_EQ(json.at("size").to_number<int64_t>(), static_cast<int64_t>(photo.size()));
  EXPECT_EQ(json.at("sha256"), boost::json::value(Sha256Hex(photo)));
  std::string id(json.at("id").as_string());
  EXPECT_TRUE(IsUuid(id));
  EXPECT_EQ(res.Header("location"), "/api/v1/media/" + id);

  auto got = Get("alice", id);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Sha256Hex(got.body), Sha256Hex(photo));
  EXPECT_EQ(got.body, photo);
  EXPECT_EQ(got.Header("content-type"), "image/jpeg");
  EXPECT_EQ(got.Header("content-length"), std::to_string(photo.size()));
  EXPECT_EQ(got.Header("transfer-encoding"), "");
  EXPECT_EQ(got.Header("etag"), "\"" + Sha256Hex(photo) + "\"");
  EXPECT_EQ(got.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(got.Header("accept-ranges"), "bytes");
  EXPECT_EQ(got.Header("content-disposition"),
            "inline; filename=\"licence.jpg\"; filename*=UTF-8''licence.jpg");
  auto attachment = server_.Call("alice", "GET", "/api/v1/media/" + id + "?download=true");
  EXPECT_EQ(attachment.Header("content-disposition").substr(0, 11), "attachment;");
  // A cached copy is still good.
  EXPECT_EQ(Get("alice", id, {{"If-None-Match", got.Header("etag")}}).status, 304);
}

TEST_F(MediaApiTest, ARawBodyUploadDownloadsByteIdentical) {
  const std::string png = PngWithText("raw upload");
  auto res = UploadRaw("alice", png, "card.png", "image/png");
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(res.Json().at("filename"), "card.png");
  EXPECT_EQ(res.Json().at("content_type"), "image/png");
  auto got = Get("alice", std::string(res.Json().at("id").as_string()));
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(Sha256Hex(got.body), Sha256Hex(png));
  // The declared type does not matter: the content does.
  auto pdf = UploadRaw("alice", Pdf("declared as JPEG"), "scan.pdf", "image/jpeg");
  ASSERT_EQ(pdf.status, 201) << pdf.body;
  EXPECT_EQ(pdf.Json().at("content_type"), "application/pdf");
  // Without a name the file is called after its format.
  auto unnamed =
      server_.Call("alice", "POST", "/api/v1/media", Webp(), {{"Content-Type", "image/webp"}});
  ASSERT_EQ(unnamed.status, 201) << unnamed.body;
  EXPECT_EQ(unnamed.Json().at("filename"), "file.webp");
}

TEST_F(MediaApiTest, RangeRequestsReturnTheRightSlice) {
  const std::string photo = JpegWithComment("ranges", 600 * 1024);
  const int64_t size = static_cast<int64_t>(photo.size());
  std::string id = Upload("alice", photo, "big.jpg");
  struct Case {
    std::string range;
    int64_t from, to;  // inclusive
  } cases[] = {
      {"bytes=100-199", 100, 199},
      {"bytes=0-0", 0, 0},
      {"bytes=262100-262200", 262100, 262200},  // across the first stored chunk's end
      {"bytes=-50", size - 50, size - 1},
      {"bytes=500000-", 500000, size - 1},
      {"bytes=10-99999999", 10, size - 1},
  };
  for (const Case& c : cases) {
    auto res = Get("alice", id, {{"Range", c.range}});
    ASSERT_EQ(res.status, 206) << c.range;
    EXPECT_EQ(res.body,
              photo.substr(static_cast<size_t>(c.from), static_cast<size_t>(c.to - c.from + 1)))
        << c.range;
    EXPECT_EQ(res.Header("content-range"), "bytes " + std::to_string(c.from) + "-" +
                                               std::to_string(c.to) + "/" + std::to_string(size));
    EXPECT_EQ(res.Header("content-length"), std::to_string(c.to - c.from + 1));
  }
  auto outside = Get("alice", id, {{"Range", "bytes=" + std::to_string(size) + "-"}});
  EXPECT_EQ(outside.status, 416);
  EXPECT_EQ(outside.Header("content-range"), "bytes */" + std::to_string(size));
  EXPECT_EQ(outside.Code(), "range_not_satisfiable");
  // Several ranges, or an If-Range for another version of the file: the whole file.
  EXPECT_EQ(Get("alice", id, {{"Range", "bytes=0-1,5-6"}}).status, 200);
  auto stale = Get("alice", id, {{"Range", "bytes=0-9"}, {"If-Range", "\"0000\""}});
  EXPECT_EQ(stale.status, 200);
  EXPECT_EQ(stale.body.size(), photo.size());
  auto fresh =
      Get("alice", id, {{"Range", "bytes=0-9"}, {"If-Range", "\"" + Sha256Hex(photo) + "\""}});
  EXPECT_EQ(fresh.status, 206);
}

// SQLite only: it reads the database files (on PostgreSQL the run skips it).
TEST_F(MediaApiTest, TheSqliteFilesHoldNoPlaintextOfAnUploadedImage) {
  if (ServerTestsUsePostgres()) GTEST_SKIP() << "reads SQLite's database files";
  const std::string jpeg_marker = "BONAFIDES-PLAINTEXT-MARKER-" + NewId();
  const std::string png_marker = "BONAFIDES-PNG-MARKER-" + NewId();
  const std::string jpeg = JpegWithComment(jpeg_marker, 300 * 1024);
  const std::string png = PngWithText(png_marker);
  ASSERT_NE(jpeg.find(jpeg_marker), std::string::npos);
  ASSERT_NE(png.find(png_marker), std::string::npos);
  std::string jpeg_id = Upload("alice", jpeg, "licence.jpg");
  std::string png_id = Upload("alice", png, "card.png");
  ASSERT_EQ(server_.Call("alice", "GET", "/api/v1/media/" + jpeg_id + "/thumbnail").status, 200);
  ASSERT_EQ(CreateCredential("alice", {jpeg_id, png_id}).status, 201);
  // Both were stored (and read back) ...
  EXPECT_EQ(Get("alice", jpeg_id).body, jpeg);
  // ... yet no database file holds the markers, nor the start of the image data.
  const std::string image_bytes = jpeg.substr(jpeg.size() - 4096, 64);
  int files = 0;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    auto path = server_.dir() / (std::string("bonafides.db") + suffix);
    if (!std::filesystem::exists(path)) continue;
    ++files;
    std::string bytes = ReadFile(path);
    EXPECT_EQ(bytes.find(jpeg_marker), std::string::npos) << path;
    EXPECT_EQ(bytes.find(png_marker), std::string::npos) << path;
    EXPECT_EQ(bytes.find(image_bytes), std::string::npos) << path;
  }
  EXPECT_GE(files, 2);
  // The key lives beside the database, readable by its owner alone.
  struct stat st {};
  ASSERT_EQ(::stat((server_.dir() / "media.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

// ---- Bad input -----------------------------------------------------------------------------

TEST_F(MediaApiTest, AnExecutableNamedPhotoJpgIs415) {
  auto res = UploadForm("alice", ElfExecutable(), "photo.jpg", "image/jpeg");
  EXPECT_EQ(res.status, 415) << res.body;
  EXPECT_EQ(res.Code(), "unsupported_format");
  EXPECT_NE(res.Json().at("detail").as_string().find("JPEG, PNG, WebP, HEIC/HEIF or PDF"),
            std::string::npos);
  EXPECT_EQ(UploadRaw("alice", ElfExecutable(), "photo.jpg").status, 415);
  EXPECT_EQ(UploadRaw("alice", "<html><script>alert(1)</script></html>", "photo.jpg").status, 415);
}

TEST_F(MediaApiTest, ATruncatedJpegIs422) {
  const std::string jpeg = JpegWithComment("cut short");
  auto res = UploadForm("alice", jpeg.substr(0, jpeg.size() / 2), "photo.jpg");
  EXPECT_EQ(res.status, 422) << res.body;
  EXPECT_EQ(res.Code(), "truncated_file");
  EXPECT_EQ(res.FieldCode(), "truncated_file");
  // Cut just before its end-of-image marker, too.
  EXPECT_EQ(UploadRaw("alice", jpeg.substr(0, jpeg.size() - 2), "photo.jpg").Code(),
            "truncated_file");
}

TEST_F(MediaApiTest, AnEmptyFileIs422) {
  auto form = UploadForm("alice", "", "empty.jpg");
  EXPECT_EQ(form.status, 422) << form.body;
  EXPECT_EQ(form.Code(), "empty_file");
  auto raw = UploadRaw("alice", "", "empty.jpg");
  EXPECT_EQ(raw.status, 422) << raw.body;
  EXPECT_EQ(raw.Code(), "empty_file");
}

TEST_F(MediaApiTest, AMultipartBodyWithoutAFileFieldIs422) {
  auto res =
      server_.Call("alice", "POST", "/api/v1/media",
                   MultipartBody(kBoundary, {{"note", std::nullopt, "", "hello"}}),
                   {{"Content-Type", std::string("multipart/form-data; boundary=") + kBoundary}});
  EXPECT_EQ(res.status, 422) << res.body;
  EXPECT_EQ(res.Code(), "required");
  EXPECT_EQ(res.Json().at("errors").at(0).at("field"), "file");
}

TEST_F(MediaApiTest, TwoFileFieldsAre422) {
  const std::string jpeg = JpegWithComment("one");
  auto res = server_.Call(
      "alice", "POST", "/api/v1/media",
      MultipartBody(kBoundary,
                    {{"file", "a.jpg", "image/jpeg", jpeg}, {"file", "b.jpg", "image/jpeg", jpeg}}),
      {{"Content-Type", std::string("multipart/form-data; boundary=") + kBoundary}});
  EXPECT_EQ(res.status, 422) << res.body;
  EXPECT_EQ(res.Code(), "too_many_files");
  // Nothing was kept of the first one.
  EXPECT_TRUE(Activity("media.uploaded").empty());
}

TEST_F(MediaApiTest, AMissingBoundaryIs400) {
  auto res = server_.Call("alice", "POST", "/api/v1/media",
                          MultipartBody(kBoundary, {{"file", "a.jpg", "", "x"}}),
                          {{"Content-Type", "multipart/form-data"}});
  EXPECT_EQ(res.status, 400) << res.body;
  EXPECT_EQ(res.Code(), "missing_boundary");
}

TEST_F(MediaApiTest, ABoundaryThatNeverClosesIs400) {
  auto res = server_.Call(
      "alice", "POST", "/api/v1/media",
      MultipartBody(kBoundary, {{"file", "a.jpg", "image/jpeg", JpegWithComment("open")}}, false),
      {{"Content-Type", std::string("multipart/form-data; boundary=") + kBoundary}});
  EXPECT_EQ(res.status, 400) << res.body;
  EXPECT_EQ(res.Code(), "unterminated_multipart");
  EXPECT_TRUE(Activity("media.uploaded").empty());
}

TEST_F(MediaApiTest, A21MiBUploadIs413WithTheLimitInTheMessage) {
  std::string big = JpegWithComment("big");
  big.resize(static_cast<size_t>(21 * kMiB), 'x');
  // Declared by Content-Length: refused before the body is read.
  auto declared = UploadRaw("alice", big, "big.jpg");
  EXPECT_EQ(declared.status, 413) << declared.body;
  EXPECT_NE(declared.Json().at("detail").as_string().find("20 MiB"), std::string::npos)
      << declared.body;
  // Chunked: refused once the bytes pass the limit.
  std::string raw =
      "POST /api/v1/media?filename=big.jpg HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
      server_.person("alice").token +
      "\r\nContent-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (size_t at = 0; at < big.size(); at += kMiB) {
    raw += "100000\r\n" + big.substr(at, static_cast<size_t>(kMiB)) + "\r\n";
  }
  raw += "0\r\n\r\n";
  auto chunked = server_.client().SendRaw(raw);
  EXPECT_EQ(chunked.status, 413) << chunked.body;
  EXPECT_EQ(chunked.Code(), "file_too_large");
  EXPECT_NE(chunked.Json().at("detail").as_string().find("20 MiB"), std::string::npos);
  // A file just over the limit inside a multipart body under the route's limit.
  std::string over = big.substr(0, static_cast<size_t>(20 * kMiB + 1));
  auto form = UploadForm("alice", over, "over.jpg");
  EXPECT_EQ(form.status, 413) << form.body;
  EXPECT_EQ(form.Code(), "file_too_large");
  EXPECT_TRUE(Activity("media.uploaded").empty());
}

TEST_F(MediaApiTest, FileNamesAreSanitisedAndSentBackSafely) {
  const std::string jpeg = JpegWithComment("names");
  struct Case {
    std::string sent;  // as written in the multipart header
    std::string stored;
  } cases[] = {
      {"../../etc/passwd.jpg", "passwd.jpg"},
      {"..\\\\..\\\\windows\\\\win.jpg", "win.jpg"},
      {"quote\\\"d name.jpg", "quote_d name.jpg"},
      {"quote%22d.jpg", "quote_d.jpg"},
      {"line%0D%0ASet-Cookie: x=1.jpg", "lineSet-Cookie_ x=1.jpg"},
      {"..", "file.jpg"},
      {".hidden.jpg", "hidden.jpg"},
      {"page.html", "page.html.jpg"},
      {"F\xC3\xBChrerschein 2024.JPG", "F\xC3\xBChrerschein 2024.JPG"},
      {"rtl\xE2\x80\xAEgpj.exe", "rtlgpj.exe.jpg"},
  };
  for (const Case& c : cases) {
    auto res = UploadForm("alice", jpeg, c.sent);
    ASSERT_EQ(res.status, 201) << c.sent << " " << res.body;
    EXPECT_EQ(res.Json().at("filename"), boost::json::value(c.stored)) << c.sent;
    auto got = Get("alice", std::string(res.Json().at("id").as_string()));
    std::string disposition = got.Header("content-disposition");
    EXPECT_EQ(disposition.find_first_of("\r\n"), std::string::npos) << disposition;
    EXPECT_TRUE(got.Header("set-cookie").empty());
    // The ASCII fallback is one quoted string without quotes inside.
    size_t open = disposition.find("filename=\"");
    ASSERT_NE(open, std::string::npos);
    size_t close = disposition.find('"', open + 10);
    EXPECT_EQ(disposition.substr(close, 3), "\"; ") << disposition;
  }
  auto umlaut = Get("alice", Upload("alice", jpeg, "F\xC3\xBChrerschein.jpg"));
  EXPECT_EQ(umlaut.Header("content-disposition"),
            "inline; filename=\"F_hrerschein.jpg\"; filename*=UTF-8''F%C3%BChrerschein.jpg");
  // ?filename= on a raw body, with CR/LF and quotes percent-encoded in the query.
  auto raw = UploadRaw("alice", jpeg, "a%22b%0D%0AX-Evil%3A%201.jpg");
  ASSERT_EQ(raw.status, 201) << raw.body;
  EXPECT_EQ(raw.Json().at("filename"), "a_bX-Evil_ 1.jpg");
  auto got = Get("alice", std::string(raw.Json().at("id").as_string()));
  EXPECT_TRUE(got.Header("x-evil").empty());
}

TEST_F(MediaApiTest, APdfPopplerCannotReadIsKeptButHasNoThumbnail) {
  auto res = UploadForm("alice", UnreadablePdf(), "scan.pdf");
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(res.Json().at("content_type"), "application/pdf");
  std::string id(res.Json().at("id").as_string());
  for (int i = 0; i < 2; ++i) {  // the second answer comes from what the first kept
    auto thumb = server_.Call("alice", "GET", "/api/v1/media/" + id + "/thumbnail");
    EXPECT_EQ(thumb.status, 422) << thumb.body;
    EXPECT_EQ(thumb.Code(), "thumbnail_unavailable");
    EXPECT_NE(thumb.Json().at("detail").as_string().find("PDF"), std::string::npos);
  }
  EXPECT_EQ(Get("alice", id).body, UnreadablePdf());
}

TEST_F(MediaApiTest, AnotherOrganisationsMediaIs404AndCannotBeAttached) {
  std::string theirs = Upload("other_admin", JpegWithComment("theirs"), "theirs.jpg");
  EXPECT_EQ(Get("admin", theirs).status, 404);
  EXPECT_EQ(server_.Call("admin", "GET", "/api/v1/media/" + theirs + "/thumbnail").status, 404);
  auto attach = CreateCredential("admin", {theirs});
  EXPECT_EQ(attach.status, 422) << attach.body;
  EXPECT_EQ(attach.FieldCode(), "unknown_media");
  EXPECT_EQ(Get("admin", "not-a-uuid").status, 404);
  EXPECT_EQ(Get("admin", NewId()).status, 404);
}

TEST_F(MediaApiTest, WhoMayDownload) {
  std::string id = Upload("alice", JpegWithComment("alice's"), "alice.jpg");
  // Before it is attached: its uploader only.
  EXPECT_EQ(Get("alice", id).status, 200);
  EXPECT_EQ(Get("bob", id).status, 403);
  EXPECT_EQ(Get("manager", id).status, 403);
  ASSERT_EQ(CreateCredential("alice", {id}).status, 201);
  // Then whoever may see the credential.
  EXPECT_EQ(Get("alice", id).status, 200);
  auto bob = Get("bob", id);
  EXPECT_EQ(bob.status, 403);
  EXPECT_EQ(bob.Code(), "forbidden");
  EXPECT_EQ(server_.Call("bob", "GET", "/api/v1/media/" + id + "/thumbnail").status, 403);
  EXPECT_EQ(Get("manager", id).status, 200);
  EXPECT_EQ(Get("admin", id).status, 200);
  EXPECT_EQ(Get("", id).status, 401);
}

TEST_F(MediaApiTest, MediaOfAnotherUploaderCannotBeAttached) {
  std::string alices = Upload("alice", JpegWithComment("alice's"), "alice.jpg");
  auto bob = CreateCredential("bob", {alices});
  EXPECT_EQ(bob.status, 422) << bob.body;
  EXPECT_EQ(bob.FieldCode(), "unknown_media");
  // Not even by a manager creating the credential for alice: the uploader attaches.
  auto manager = CreateCredential("admin", {alices}, server_.person("alice").user.id);
  EXPECT_EQ(manager.FieldCode(), "unknown_media");
  // A file attached to one credential cannot be moved to another.
  ASSERT_EQ(CreateCredential("alice", {alices}).status, 201);
  EXPECT_EQ(CreateCredential("alice", {alices}).FieldCode(), "unknown_media");
}

// ---- Attaching -----------------------------------------------------------------------------

TEST_F(MediaApiTest, AttachOnCreateAddVersionAndEdit) {
  std::string a = Upload("alice", JpegWithComment("a"), "a.jpg");
  std::string b = Upload("alice", PngWithText("b"), "b.png");
  std::string c = Upload("alice", Pdf("c"), "c.pdf");
  auto created = CreateCredential("alice", {a});
  ASSERT_EQ(created.status, 201) << created.body;
  std::string cid(created.Json().at("id").as_string());
  EXPECT_EQ(Filenames(created.Json()), (std::vector<std::string>{"a.jpg"}));
  auto media0 = created.Json().at("media").at(0);
  EXPECT_EQ(media0.at("id"), boost::json::value(a));
  EXPECT_EQ(media0.at("content_type"), "image/jpeg");
  EXPECT_GT(media0.at("size").to_number<int64_t>(), 0);

  // A renewal may keep the photo of the version before.
  auto renewed =
      server_.Call("alice", "POST", "/api/v1/credentials/" + cid + "/versions",
                   R"({"issue_date":"2028-01-01","expiry_date":"2031-01-01","media_ids":[")" + a +
                       R"(",")" + b + R"("]})");
  ASSERT_EQ(renewed.status, 201) << renewed.body;
  EXPECT_EQ(Filenames(renewed.Json()), (std::vector<std::string>{"a.jpg", "b.png"}));

  // Editing the latest version replaces its list.
  auto edited = server_.Call("alice", "PATCH", "/api/v1/credentials/" + cid + "/versions/2",
                             R"({"media_ids":[")" + b + R"(",")" + c + R"("]})");
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(Filenames(edited.Json()), (std::vector<std::string>{"b.png", "c.pdf"}));
  auto versions = server_.Call("alice", "GET", "/api/v1/credentials/" + cid + "/versions")
                      .Json()
                      .at("items")
                      .as_array();
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(Filenames(versions[0]), (std::vector<std::string>{"b.png", "c.pdf"}));
  EXPECT_EQ(Filenames(versions[1]), (std::vector<std::string>{"a.jpg"}));
  EXPECT_EQ(Get("alice", a).status, 200);  // still shown by version 1

  // The activity names the files added and removed.
  auto activity =
      server_.Call("alice", "GET", "/api/v1/credentials/" + cid + "/versions/2/activity")
          .Json()
          .at("items")
          .as_array();
  bool found = false;
  for (const auto& change : activity) {
    if (change.at("field") == "media" && change.at("old") == "a.jpg, b.png") {
      EXPECT_EQ(change.at("new"), "b.png, c.pdf");
      found = true;
    }
  }
  EXPECT_TRUE(found) << boost::json::serialize(activity);
  auto created_activity =
      server_.Call("alice", "GET", "/api/v1/credentials/" + cid + "/versions/1/activity").Json();
  EXPECT_NE(boost::json::serialize(created_activity).find("\"new\":\"a.jpg\""), std::string::npos);

  // A file no version shows any more is removed with the edit.
  auto dropped = server_.Call("alice", "PATCH", "/api/v1/credentials/" + cid + "/versions/2",
                              R"({"media_ids":[")" + b + R"("]})");
  ASSERT_EQ(dropped.status, 200) << dropped.body;
  EXPECT_EQ(Get("alice", c).status, 404);
  EXPECT_EQ(Get("alice", b).status, 200);
}

TEST_F(MediaApiTest, AVersionHoldsAtMostTenFilesEachOnce) {
  std::vector<std::string> ids;
  for (int i = 0; i < 11; ++i)
    ids.push_back(Upload("alice", Pdf("page " + std::to_string(i)), "p.pdf"));
  auto eleven = CreateCredential("alice", ids);
  EXPECT_EQ(eleven.status, 422);
  EXPECT_EQ(eleven.FieldCode(), "too_many");
  auto twice = CreateCredential("alice", {ids[0], ids[0]});
  EXPECT_EQ(twice.status, 422);
  EXPECT_EQ(twice.FieldCode(), "duplicate_media");
  ids.pop_back();
  auto ten = CreateCredential("alice", ids);
  EXPECT_EQ(ten.status, 201) << ten.body;
  EXPECT_EQ(ten.Json().at("media").as_array().size(), 10u);
}

TEST_F(MediaApiTest, MediaRequiredIsSatisfiedByAFile) {
  ASSERT_EQ(
      server_
          .Call("admin", "PATCH", "/api/v1/settings/credentials", J(R"({"media_required":true})"))
          .status,
      200);
  EXPECT_EQ(CreateCredential("alice", {}).FieldCode(), "media_required");
  auto with = CreateCredential("alice", {Upload("alice", JpegWithComment("required"), "r.jpg")});
  EXPECT_EQ(with.status, 201) << with.body;
  std::string cid(with.Json().at("id").as_string());
  auto emptied = server_.Call("alice", "PATCH", "/api/v1/credentials/" + cid + "/versions/1",
                              R"({"media_ids":[]})");
  EXPECT_EQ(emptied.FieldCode(), "media_required");
}

TEST_F(MediaApiTest, DeletingACredentialRemovesItsMedia) {
  std::string a = Upload("alice", JpegWithComment("to delete"), "a.jpg");
  auto created = CreateCredential("alice", {a});
  ASSERT_EQ(created.status, 201);
  std::string cid(created.Json().at("id").as_string());
  ASSERT_EQ(server_.Call("alice", "GET", "/api/v1/media/" + a + "/thumbnail").status, 200);
  ASSERT_EQ(server_.Call("alice", "POST", "/api/v1/credentials/" + cid + "/archive").status, 200);
  ASSERT_EQ(server_.Call("alice", "DELETE", "/api/v1/credentials/" + cid).status, 204);
  EXPECT_EQ(Get("alice", a).status, 404);
  auto uow = server_.store().Begin(false);
  ASSERT_TRUE(uow);
  auto found = (*uow)->FindMedia(server_.org_a(), a);
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->has_value());
  auto chunk = (*uow)->ReadMediaChunk(a, 0);
  ASSERT_TRUE(chunk);
  EXPECT_FALSE(chunk->has_value());
  auto thumb = (*uow)->FindMediaThumbnail(a);
  ASSERT_TRUE(thumb);
  EXPECT_FALSE(thumb->has_value());
}

TEST_F(MediaApiTest, UnattachedUploadsAreRemovedAfter24Hours) {
  std::string kept = Upload("alice", JpegWithComment("kept"), "kept.jpg");
  std::string stale = Upload("alice", JpegWithComment("stale"), "stale.jpg");
  ASSERT_EQ(CreateCredential("alice", {kept}).status, 201);
  server_.clock().Advance(std::chrono::hours(24) - std::chrono::milliseconds(1));
  EXPECT_EQ(*server_.services().media.RemoveStaleUploads(), 0);
  EXPECT_EQ(Get("alice", stale).status, 200);
  server_.clock().Advance(std::chrono::milliseconds(2));
  // The next upload sweeps (so does the server's hourly sweeper).
  std::string fresh = Upload("bob", Pdf("fresh"), "fresh.pdf");
  EXPECT_EQ(Get("alice", stale).status, 404);
  EXPECT_EQ(Get("alice", kept).status, 200);
  EXPECT_EQ(Get("bob", fresh).status, 200);
  server_.clock().Advance(std::chrono::hours(25));
  EXPECT_EQ(*server_.services().media.RemoveStaleUploads(), 1);
  EXPECT_EQ(Get("bob", fresh).status, 404);
  EXPECT_EQ(Get("alice", kept).status, 200);
}

// ---- The activity log ----------------------------------------------------------------------

TEST_F(MediaApiTest, UploadsAndEveryDownloadAreRecorded) {
  std::string id = Upload("alice", JpegWithComment("log"), "log.jpg");
  auto created = CreateCredential("alice", {id});
  std::string cid(created.Json().at("id").as_string());
  auto uploads = Activity("media.uploaded");
  ASSERT_EQ(uploads.size(), 1u);
  EXPECT_EQ(uploads[0].activity.actor_id, server_.person("alice").user.id);
  EXPECT_EQ(uploads[0].activity.entity_id, id);
  server_.clock().Advance(std::chrono::minutes(5));
  ASSERT_EQ(Get("manager", id).status, 200);
  ASSERT_EQ(Get("manager", id, {{"Range", "bytes=0-9"}}).status, 206);
  auto downloads = Activity("media.downloaded");
  ASSERT_EQ(downloads.size(), 2u);
  const auto& full = downloads[1].activity;  // newest first
  EXPECT_EQ(full.actor_id, server_.person("manager").user.id);
  EXPECT_EQ(full.actor_name, "Max Manager");
  EXPECT_EQ(full.entity, "media");
  EXPECT_EQ(full.entity_id, id);
  EXPECT_EQ(full.credential_id, cid);
  EXPECT_EQ(full.version, 1);
  EXPECT_EQ(full.subject_user_id, server_.person("alice").user.id);
  EXPECT_EQ(FormatTimestamp(full.at), "2026-11-29T08:05:00.000Z");
  EXPECT_EQ(full.changes.at(0).field, "filename");
  EXPECT_EQ(full.changes.at(0).new_value, "log.jpg");
  EXPECT_EQ(downloads[0].activity.changes.at(1).field, "range");
  // Refused downloads are not.
  EXPECT_EQ(Get("bob", id).status, 403);
  EXPECT_EQ(Activity("media.downloaded").size(), 2u);
}

// ---- Thumbnails ----------------------------------------------------------------------------

TEST_F(MediaApiTest, ThumbnailsOfImagesAndPdfsAreMadeOnceAndKept) {
  struct Case {
    std::string name;
    std::string bytes;
  };
  std::vector<Case> cases = {{"card.jpg", JpegWithComment("thumb")},
                             {"card.png", PngWithText("thumb")},
                             {"card.webp", Webp()},
                             {"scan.pdf", Pdf("A certificate")}};
  if (auto heic = Heic()) {
    cases.push_back({"card.heic", *heic});
  } else {
    std::cout << "[ NOTE ] libvips here cannot write HEIC: the HEIC thumbnail is not tested\n";
  }
  for (const Case& c : cases) {
    std::string id = Upload("alice", c.bytes, c.name);
    auto thumb = server_.Call("alice", "GET", "/api/v1/media/" + id + "/thumbnail");
    ASSERT_EQ(thumb.status, 200) << c.name << " " << thumb.body;
    EXPECT_EQ(thumb.Header("content-type"), "image/jpeg") << c.name;
    EXPECT_EQ(thumb.body.substr(0, 3), std::string("\xFF\xD8\xFF", 3)) << c.name;
    EXPECT_LT(thumb.body.size(), 64u * 1024) << c.name;
    // Kept, encrypted, after the first request; the second answer is the same.
    auto uow = server_.store().Begin(false);
    ASSERT_TRUE(uow);
    auto kept = (*uow)->FindMediaThumbnail(id);
    ASSERT_TRUE(kept && kept->has_value()) << c.name;
    EXPECT_TRUE((*kept)->error.empty());
    EXPECT_EQ((*kept)->data.find(thumb.body.substr(0, 64)), std::string::npos);
    uow->reset();
    EXPECT_EQ(server_.Call("alice", "GET", "/api/v1/media/" + id + "/thumbnail").body, thumb.body)
        << c.name;
  }
}

TEST_F(MediaApiTest, HeicUploadsAreRecognised) {
  auto heic = Heic();
  if (!heic) GTEST_SKIP() << "libvips here cannot write HEIC (no HEVC encoder in libheif)";
  auto res = UploadForm("alice", *heic, "IMG_0001.HEIC");
  ASSERT_EQ(res.status, 201) << res.body;
  EXPECT_EQ(res.Json().at("content_type"), "image/heic");
  EXPECT_EQ(res.Json().at("filename"), "IMG_0001.HEIC");
  EXPECT_EQ(UploadForm("alice", heic->substr(0, heic->size() - 100), "cut.heic").Code(),
            "truncated_file");
}

}  // namespace
}  // namespace bf::testing
