// Media files: upload (multipart field `file`, or the raw body), download with ranges, thumbnails.
#include <cctype>
#include <cstring>
#include <memory>

#include "http/handlers.h"
#include "http/json_io.h"
#include "http/multipart.h"

namespace bf::http {
namespace {

boost::json::object MediaJson(const MediaFile& file) {
  return {
      {"id", file.id},     {"filename", file.filename}, {"content_type", file.content_type},
      {"size", file.size}, {"sha256", file.sha256},
  };
}

std::string MiB(int64_t bytes) {
  if (bytes % (1024 * 1024) == 0) return std::to_string(bytes / (1024 * 1024)) + " MiB";
  return std::to_string(bytes) + " bytes";
}

// The transport's 413 (body over the route's limit) said in terms of the file limit.
Error FileTooLarge(Error e, int64_t limit) {
  if (e.code == ErrorCode::kTooLarge) {
    e.reason = "file_too_large";
    e.message = "the file is larger than the limit of " + MiB(limit) + " per file";
  }
  return e;
}

// The `file` part of a multipart body goes to one upload; other fields are passed over.
class FilePart final : public MultipartHandler {
 public:
  FilePart(MediaService& media, const Actor& actor) : media_(media), actor_(actor) {}

  Status OnPartBegin(const MultipartPart& part) override {
    in_file_ = part.name == "file";
    if (!in_file_) return Ok();
    if (upload_) {
      return FailField("file", "too_many_files",
                       "send one file per request: the body has two `file` fields");
    }
    BF_ASSIGN_OR_RETURN(upload_, media_.BeginUpload(actor_, part.filename.value_or("")));
    return Ok();
  }
  Status OnPartData(std::string_view data) override {
    if (!in_file_) return Ok();
    return upload_->Write(data);
  }
  Status OnPartEnd() override {
    in_file_ = false;
    return Ok();
  }

  std::unique_ptr<MediaUpload> TakeUpload() { return std::move(upload_); }

 private:
  MediaService& media_;
  const Actor& actor_;
  std::unique_ptr<MediaUpload> upload_;
  bool in_file_ = false;
};

// RFC 6266: an ASCII fallback without quotes, backslashes, percent signs or controls, and the
// exact name as RFC 8187 UTF-8 (percent-encoded: nothing in it can end the header).
std::string ContentDisposition(std::string_view filename, bool attachment) {
  std::string ascii;
  std::string encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (size_t i = 0; i < filename.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(filename[i]);
    if (c >= 0x80) {
      if ((c & 0xC0) != 0x80) ascii.push_back('_');  // one per character, not per byte
    } else if (c < 0x20 || c == 0x7F || c == '"' || c == '\\' || c == '%') {
      ascii.push_back('_');
    } else {
      ascii.push_back(static_cast<char>(c));
    }
    if (std::isalnum(c) || std::strchr("!#$&+-.^_`|~", c) != nullptr) {
      encoded.push_back(static_cast<char>(c));
    } else {
      encoded.push_back('%');
      encoded.push_back(kHex[c >> 4]);
      encoded.push_back(kHex[c & 0xF]);
    }
  }
  return std::string(attachment ? "attachment" : "inline") + "; filename=\"" + ascii +
         "\"; filename*=UTF-8''" + encoded;
}

std::string Etag(const MediaFile& file) { return "\"" + file.sha256 + "\""; }

// True when an If-None-Match value names `etag` (or is "*").
bool NoneMatch(std::string_view header, const std::string& etag) {
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view tag = header.substr(0, comma);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
  }
  return false;
}

}  // namespace

Result<Response> UploadMedia(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(ctx.AllowQuery({"filename"}));
  BodyReader* body = ctx.request.body_reader;
  if (body == nullptr) return Internal("POST /api/v1/media must be a streaming route");
  MediaService& media = api.services.media;
  const int64_t limit = media.max_upload_bytes();
  std::string_view content_type = ctx.request.Header("Content-Type");
  std::unique_ptr<MediaUpload> upload;
  if (IsMultipartFormData(content_type)) {
    BF_ASSIGN_OR_RETURN(std::string boundary, MultipartBoundary(content_type));
    FilePart file(media, ctx.actor());
    MultipartReader reader(boundary, file);
    for (;;) {
      auto piece = body->Read();
      if (!piece) return tl::unexpected(FileTooLarge(piece.error(), limit));
      if (piece->empty()) break;
      BF_RETURN_IF_ERROR(reader.Feed(*piece));
    }
    BF_RETURN_IF_ERROR(reader.Finish());
    upload = file.TakeUpload();
    if (!upload) return FailField("file", "required", "the multipart body has no `file` field");
  } else {
    BF_ASSIGN_OR_RETURN(upload, media.BeginUpload(ctx.actor(), ctx.Query("filename").value_or("")));
    for (;;) {
      auto piece = body->Read();
      if (!piece) return tl::unexpected(FileTooLarge(piece.error(), limit));
      if (piece->empty()) break;
      BF_RETURN_IF_ERROR(upload->Write(*piece));
    }
  }
  BF_ASSIGN_OR_RETURN(MediaFile stored, upload->Finish());
  Response r = JsonResponse(201, MediaJson(stored));
  r.Set("Location", "/api/v1/media/" + stored.id);
  return r;
}

Result<Response> DownloadMedia(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(ctx.AllowQuery({"download"}));
  bool attachment = false;
  if (auto download = ctx.Query("download")) {
    if (*download != "true" && *download != "false") {
      Error e{
          ErrorCode::kBadRequest, "invalid_parameter", "download must be true or false", {}, {}};
      e.fields.push_back({"download", "invalid_parameter", e.message});
      return tl::unexpected(std::move(e));
    }
    attachment = *download == "true";
  }
  MediaService& media = api.services.media;
  BF_ASSIGN_OR_RETURN(MediaDownload d,
                      media.Download(ctx.actor(), ctx.Param("id"), ctx.request.Header("Range"),
                                     ctx.request.Header("If-Range")));
  const MediaFile& file = d.file;
  const std::string etag = Etag(file);
  Response r;
  if (d.unsatisfiable) {
    std::string detail =
        "the range asked for lies outside the file of " + std::to_string(file.size) + " bytes";
    r.status = 416;
    r.body = boost::json::serialize(boost::json::object{{"type", "/problems/range_not_satisfiable"},
                                                        {"title", "Range Not Satisfiable"},
                                                        {"status", 416},
                                                        {"detail", detail},
                                                        {"code", "range_not_satisfiable"},
                                                        {"errors", boost::json::array()}});
    r.Set("Content-Type", "application/problem+json");
    r.Set("Content-Range", "bytes */" + std::to_string(file.size));
    return r;
  }
  r.Set("ETag", etag);
  r.Set("Cache-Control", "private, no-cache");
  r.Set("X-Content-Type-Options", "nosniff");
  if (NoneMatch(ctx.request.Header("If-None-Match"), etag)) {
    r.status = 304;
    return r;
  }
  int64_t offset = 0, length = file.size;
  if (d.range) {
    offset = d.range->offset;
    length = d.range->length;
    r.status = 206;
    r.Set("Content-Range", "bytes " + std::to_string(offset) + "-" +
                               std::to_string(offset + length - 1) + "/" +
                               std::to_string(file.size));
  }
  r.Set("Content-Type", file.content_type);
  r.Set("Content-Length", std::to_string(length));
  r.Set("Content-Disposition", ContentDisposition(file.filename, attachment));
  r.Set("Accept-Ranges", "bytes");
  // The bytes are decrypted while they are sent, one stored chunk at a time.
  r.stream = [&media, file, offset, length](BodyWriter& out) {
    return media.ReadContent(file, offset, length,
                             [&out](std::string_view piece) { return out.Write(piece); });
  };
  return r;
}

Result<Response> MediaThumbnail(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(ctx.AllowQuery({}));
  BF_ASSIGN_OR_RETURN(Preview preview, api.services.media.Thumbnail(ctx.actor(), ctx.Param("id")));
  Response r;
  r.body = std::move(preview.data);
  r.Set("Content-Type", preview.content_type);
  r.Set("Cache-Control", "private, max-age=300");
  r.Set("Content-Disposition", "inline; filename=\"thumbnail.jpg\"");
  r.Set("X-Content-Type-Options", "nosniff");
  return r;
}

}  // namespace bf::http
