// Media files: upload (recognised, checked, encrypted and stored while they arrive), download
// (decrypted while sent), thumbnails, and the removal of uploads never attached. Attaching
// files to versions is the credential service's (credential_service.h, media_ids).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/crypto.h"
#include "core/result.h"
#include "domain/media.h"
#include "domain/permissions.h"
#include "service/context.h"
#include "service/media_processor.h"

namespace bf {

class MediaService;

// One upload in progress, fed the file's bytes as they arrive. Memory stays below two chunks
// whatever the file's size: each full chunk is encrypted and stored at once, in its own short
// transaction (so a slow client never holds the database's write lock), and the file becomes
// visible only when Finish completes it. Destroyed without a successful Finish, it removes what
// it stored. Not thread-safe.
class MediaUpload {
 public:
  ~MediaUpload();
  MediaUpload(const MediaUpload&) = delete;
  MediaUpload& operator=(const MediaUpload&) = delete;

  // 413 "file_too_large" as soon as the bytes pass the limit; 415 "unsupported_format" as soon
  // as the first bytes show a format that is not accepted; 422 "corrupt_file"; or a store error.
  // After an error every call repeats it.
  Status Write(std::string_view data);
  // The stored file: 422 "empty_file" or "truncated_file", 415 "unsupported_format". Records
  // media.uploaded and removes stale unattached uploads in the same transaction.
  Result<MediaFile> Finish();

 private:
  friend class MediaService;
  MediaUpload(MediaService& service, Actor actor, std::string filename,
              std::unique_ptr<StreamEncryptor> encryptor);
  // Encrypts and stores one full chunk (never the last one) in its own transaction.
  Status StoreChunk(std::string_view plaintext);
  Status Failed(Status status);

  MediaService& service_;
  Actor actor_;
  std::string raw_filename_;
  std::unique_ptr<StreamEncryptor> encryptor_;
  MediaFile file_;
  MediaChecker checker_;
  Sha256 sha_;
  std::string pending_;  // plaintext not yet stored: at most one chunk and one piece
  bool row_inserted_ = false;
  bool finished_ = false;
  std::optional<Error> error_;
};

// A download as answered: the file, and the part of it asked for.
struct MediaDownload {
  MediaFile file;
  std::optional<ByteRange> range;  // nullopt: the whole file
  bool unsatisfiable = false;      // the Range asked lies outside the file (nothing recorded)
};

class MediaService {
 public:
  explicit MediaService(ServiceContext ctx);
  ~MediaService();

  int64_t max_upload_bytes() const { return ctx_.options.media.max_upload_bytes; }

  // Starts an upload by any signed-in user; `filename` as sent (sanitised here). 500
  // "media_not_configured" when the server has no media key.
  Result<std::unique_ptr<MediaUpload>> BeginUpload(const Actor& actor, std::string filename);

  // The file for whoever may see the credential it is attached to (holder, users.manage,
  // credentials.manage) or, before that, its uploader: 404 across organisations (and for ids
  // that are not UUIDs), 403 within. `range_header`: the Range header ("" when absent).
  // Records media.downloaded (who, which credential and version, the range) unless the range is
  // unsatisfiable. `if_range`: the If-Range header ("" when absent); the range applies only when
  // it names the file's current ETag, its quoted SHA-256.
  Result<MediaDownload> Download(const Actor& actor, const std::string& id,
                                 std::string_view range_header, std::string_view if_range);

  // Sends the plaintext bytes [offset, offset + length) of `file` to `out`, reading and
  // decrypting one chunk at a time, each read in its own short read transaction. kInternal
  // "media_corrupt" when a stored chunk was changed, lost or reordered; out's error stops it.
  Status ReadContent(const MediaFile& file, int64_t offset, int64_t length,
                     const std::function<Status(std::string_view)>& out);

  // A small JPEG preview, made on the first request and then kept (encrypted). Same access as
  // Download, also recorded as media.downloaded (variant thumbnail). 422
  // "thumbnail_unavailable" when the file cannot be previewed, 422 "media_too_complex" when
  // previewing it would take more pixels, pages, memory or time than allowed (both kept, so not
  // tried again).
  Result<Preview> Thumbnail(const Actor& actor, const std::string& id);

  // Removes uploads (complete or not) never attached and older than 24 hours, in every
  // organisation. Returns how many.
  Result<int64_t> RemoveStaleUploads();

  // Whether `key` opens what is stored: the file `media_id`, whose stream header is `header`,
  // and its first stored chunk (seq 0), as uploads encrypt them. Ok, or 422 "media_key_mismatch"
  // when the chunk does not decrypt under `key` (another key, or the chunk was changed). `serve`
  // checks one stored file so that a node never starts with a key that cannot read the media.
  static Status CheckKeyOpens(std::string_view key, const std::string& media_id,
                              std::string_view header, std::string_view first_chunk);

 private:
  friend class MediaUpload;
  struct Gate;

  ServiceContext ctx_;
  std::unique_ptr<Gate> thumbnails_;  // bounds how many previews are made at once
};

}  // namespace bf
