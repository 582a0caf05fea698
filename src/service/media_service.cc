#include "service/media_service.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>

#include "core/ids.h"
#include "service/activity.h"

namespace bf {
namespace {

constexpr int kMaxThumbnailsAtOnce = 2;

std::string MiB(int64_t bytes) {
  if (bytes % (1024 * 1024) == 0) return std::to_string(bytes / (1024 * 1024)) + " MiB";
  return std::to_string(bytes) + " bytes";
}

auto MediaNotFound() { return NotFound("media file"); }

// The additional data that binds a thumbnail's ciphertext to its file.
std::string ThumbnailAd(const std::string& media_id) { return media_id + ":thumbnail"; }

// How a kept thumbnail error says the file was refused as too complex (422 media_too_complex),
// not unreadable: the store keeps only the message.
constexpr char kTooComplexMark[] = "[too complex] ";

// The file, if `actor` may see it: its uploader before it is attached, then whoever may see the
// credential. Fills `holder` (id and name) for an attached file.
Result<MediaFile> Accessible(UnitOfWork& uow, const Actor& actor, const std::string& id,
                             UserRef& holder) {
  if (!IsUuid(id)) return MediaNotFound();
  BF_ASSIGN_OR_RETURN(auto file, uow.FindMedia(actor.org_id, id));
  if (!file) return MediaNotFound();
  if (file->credential_id.empty()) {
    if (file->uploaded_by != actor.user_id) {
      return Forbidden("only its uploader may see a file before it is attached to a credential");
    }
    return *file;
  }
  BF_ASSIGN_OR_RETURN(auto credential, uow.FindCredential(actor.org_id, file->credential_id));
  if (!credential) return MediaNotFound();
  if (!MayViewCredentialsOf(actor, credential->user.id))
    return Forbidden("this file belongs to another user's credential");
  holder = credential->user;
  return *file;
}

Activity DownloadActivity(const Actor& actor, Timestamp at, const MediaFile& file,
                          const UserRef& holder) {
  Activity entry = NewActivity(&actor, at, "media.downloaded", "media", file.id);
  entry.credential_id = file.credential_id;
  entry.version = file.version;
  entry.subject_user_id = holder.id;
  entry.subject_user_name = holder.name;
  AddChange(entry, "filename", std::nullopt, file.filename);
  return entry;
}

}  // namespace

// A counting gate: at most `limit` holders at once.
struct MediaService::Gate {
  std::mutex mu;
  std::condition_variable cv;
  int free = kMaxThumbnailsAtOnce;
};

MediaService::MediaService(ServiceContext ctx) : ctx_(ctx), thumbnails_(std::make_unique<Gate>()) {}
MediaService::~MediaService() = default;

// ---- Upload -------------------------------------------------------------------------------

MediaUpload::MediaUpload(MediaService& service, Actor actor, std::string filename,
                         std::unique_ptr<StreamEncryptor> encryptor)
    : service_(service),
      actor_(std::move(actor)),
      raw_filename_(std::move(filename)),
      encryptor_(std::move(encryptor)) {
  file_.id = NewId();
  file_.org_id = actor_.org_id;
  file_.uploaded_by = actor_.user_id;
  file_.chunk_size = service_.ctx_.options.media.chunk_size;
  file_.header = encryptor_->header();
  file_.created_at = service_.ctx_.clock.Now();
}

MediaUpload::~MediaUpload() {
  if (!row_inserted_ || finished_) return;
  // Best effort: what is left is removed with the stale uploads after 24 hours anyway.
  auto uow = service_.ctx_.store.Begin(true);
  if (!uow) return;
  if ((*uow)->DeleteMedia(file_.org_id, file_.id)) (void)(*uow)->Commit();
}

Status MediaUpload::Failed(Status status) {
  if (!status) error_ = status.error();
  return status;
}

Status MediaUpload::Write(std::string_view data) {
  if (error_) return tl::unexpected(*error_);
  if (finished_) return Internal("write after finish");
  const int64_t limit = service_.max_upload_bytes();
  file_.size += static_cast<int64_t>(data.size());
  if (file_.size > limit) {
    return Failed(Fail(ErrorCode::kTooLarge, "file_too_large",
                       "the file is larger than the limit of " + MiB(limit) + " per file"));
  }
  BF_RETURN_IF_ERROR(Failed(checker_.Feed(data)));
  sha_.Update(data);
  pending_.append(data);
  // The last chunk is always kept back, so that Finish can mark it final.
  const size_t chunk = static_cast<size_t>(file_.chunk_size);
  while (pending_.size() > chunk) {
    BF_RETURN_IF_ERROR(Failed(StoreChunk(std::string_view(pending_).substr(0, chunk))));
    pending_.erase(0, chunk);
  }
  return Ok();
}

Status MediaUpload::StoreChunk(std::string_view plaintext) {
  std::string ciphertext = encryptor_->Push(plaintext, file_.id, false);
  BF_ASSIGN_OR_RETURN(auto uow, service_.ctx_.store.Begin(true));
  if (!row_inserted_) {
    // The format is known by now: it is decided within the first 4 KiB.
    file_.content_type =
        std::string(MediaContentType(checker_.format().value_or(MediaFormat::kPdf)));
    file_.filename =
        SanitizeMediaFilename(raw_filename_, checker_.format().value_or(MediaFormat::kPdf));
    BF_RETURN_IF_ERROR(uow->InsertMedia(file_));
  }
  BF_RETURN_IF_ERROR(uow->InsertMediaChunk(file_.id, file_.chunk_count, ciphertext));
  BF_RETURN_IF_ERROR(uow->Commit());
  row_inserted_ = true;
  ++file_.chunk_count;
  return Ok();
}

Result<MediaFile> MediaUpload::Finish() {
  if (error_) return tl::unexpected(*error_);
  if (finished_) return Internal("finish twice");
  auto format = checker_.Finish();
  if (!format) {
    error_ = format.error();
    return tl::unexpected(*error_);
  }
  file_.content_type = std::string(MediaContentType(*format));
  file_.filename = SanitizeMediaFilename(raw_filename_, *format);
  file_.sha256 = sha_.FinishHex();
  std::string ciphertext = encryptor_->Push(pending_, file_.id, true);
  pending_.clear();
  ServiceContext& ctx = service_.ctx_;
  Status stored = [&]() -> Status {
    BF_ASSIGN_OR_RETURN(auto uow, ctx.store.Begin(true));
    Timestamp now = ctx.clock.Now();
    // Stale uploads go first, so this one (never older than its own start) is not among them
    // unless it took a whole day.
    BF_RETURN_IF_ERROR(uow->DeleteUnattachedMediaBefore(now - kUnattachedMediaLifetime));
    if (!row_inserted_) BF_RETURN_IF_ERROR(uow->InsertMedia(file_));
    BF_RETURN_IF_ERROR(uow->InsertMediaChunk(file_.id, file_.chunk_count, ciphertext));
    file_.chunk_count += 1;
    auto completed = uow->CompleteMedia(file_);
    if (!completed) {
      if (completed.error().code != ErrorCode::kNotFound) return completed;
      return Fail(ErrorCode::kConflict, "upload_expired",
                  "the upload took too long and was discarded; send it again");
    }
    Activity entry = NewActivity(&actor_, now, "media.uploaded", "media", file_.id);
    AddChange(entry, "filename", std::nullopt, file_.filename);
    AddChange(entry, "content_type", std::nullopt, file_.content_type);
    AddChange(entry, "size", std::nullopt, std::to_string(file_.size));
    BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
    return uow->Commit();
  }();
  if (!stored) return tl::unexpected(*(error_ = stored.error()));
  finished_ = true;
  return file_;
}

Result<std::unique_ptr<MediaUpload>> MediaService::BeginUpload(const Actor& actor,
                                                               std::string filename) {
  if (ctx_.options.media.key.size() != kMediaKeyBytes) {
    return Fail(ErrorCode::kInternal, "media_not_configured", "this server cannot store files",
                "no media key configured");
  }
  BF_ASSIGN_OR_RETURN(auto encryptor, StreamEncryptor::Start(ctx_.options.media.key));
  return std::unique_ptr<MediaUpload>(
      new MediaUpload(*this, actor, std::move(filename), std::move(encryptor)));
}

// ---- Download -----------------------------------------------------------------------------

Result<MediaDownload> MediaService::Download(const Actor& actor, const std::string& id,
                                             std::string_view range_header,
                                             std::string_view if_range) {
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  UserRef holder;
  MediaDownload out;
  BF_ASSIGN_OR_RETURN(out.file, Accessible(*uow, actor, id, holder));
  if (!if_range.empty() && if_range != "\"" + out.file.sha256 + "\"") range_header = {};
  auto range = ParseByteRange(range_header, out.file.size);
  if (!range) {
    out.unsatisfiable = true;
    return out;
  }
  out.range = *range;
  Activity entry = DownloadActivity(actor, ctx_.clock.Now(), out.file, holder);
  if (out.range) {
    AddChange(entry, "range", std::nullopt,
              "bytes " + std::to_string(out.range->offset) + "-" +
                  std::to_string(out.range->offset + out.range->length - 1));
  }
  BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
  BF_RETURN_IF_ERROR(uow->Commit());
  return out;
}

Status MediaService::CheckKeyOpens(std::string_view key, const std::string& media_id,
                                   std::string_view header, std::string_view first_chunk) {
  auto mismatch = [] {
    return Fail(ErrorCode::kInvalid, "media_key_mismatch",
                "the media key does not open the media stored in this database");
  };
  auto decryptor = StreamDecryptor::Start(key, header);
  if (!decryptor) return mismatch();
  if (!(*decryptor)->Pull(first_chunk, media_id)) return mismatch();
  return Ok();
}

Status MediaService::ReadContent(const MediaFile& file, int64_t offset, int64_t length,
                                 const std::function<Status(std::string_view)>& out) {
  BF_ASSIGN_OR_RETURN(auto decryptor, StreamDecryptor::Start(ctx_.options.media.key, file.header));
  const int64_t end = offset + length;
  int64_t start = 0;  // plaintext offset of the current chunk
  for (int64_t seq = 0; seq < file.chunk_count && start < end; ++seq) {
    std::optional<std::string> ciphertext;
    {
      BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
      BF_ASSIGN_OR_RETURN(ciphertext, uow->ReadMediaChunk(file.id, seq));
    }
    if (!ciphertext) {
      return Fail(ErrorCode::kInternal, "media_corrupt", "the stored file cannot be read",
                  "media " + file.id + ": chunk " + std::to_string(seq) + " is missing");
    }
    BF_ASSIGN_OR_RETURN(std::string plaintext, decryptor->Pull(*ciphertext, file.id));
    const bool last = seq + 1 == file.chunk_count;
    if (last != decryptor->finished()) {
      return Fail(ErrorCode::kInternal, "media_corrupt", "the stored file cannot be read",
                  "media " + file.id + ": the final chunk is not the last one");
    }
    const int64_t size = static_cast<int64_t>(plaintext.size());
    const int64_t from = std::max(offset, start) - start;
    const int64_t to = std::min(end, start + size) - start;
    if (to > from)
      BF_RETURN_IF_ERROR(out(std::string_view(plaintext).substr(static_cast<size_t>(from),
                                                                static_cast<size_t>(to - from))));
    start += size;
  }
  if (start < end) {
    return Fail(ErrorCode::kInternal, "media_corrupt", "the stored file cannot be read",
                "media " + file.id + ": shorter than its recorded size");
  }
  return Ok();
}

// ---- Thumbnails ---------------------------------------------------------------------------

Result<Preview> MediaService::Thumbnail(const Actor& actor, const std::string& id) {
  MediaFile file;
  std::optional<MediaThumbnail> kept;
  {
    BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
    UserRef holder;
    BF_ASSIGN_OR_RETURN(file, Accessible(*uow, actor, id, holder));
    BF_ASSIGN_OR_RETURN(kept, uow->FindMediaThumbnail(file.id));
    Activity entry = DownloadActivity(actor, ctx_.clock.Now(), file, holder);
    AddChange(entry, "variant", std::nullopt, std::string("thumbnail"));
    BF_RETURN_IF_ERROR(uow->AppendActivity(entry));
    BF_RETURN_IF_ERROR(uow->Commit());
  }
  auto unavailable = [](const std::string& why) {
    // A file refused for its demands keeps saying so (KeptError).
    if (why.rfind(kTooComplexMark, 0) == 0) {
      return Fail(ErrorCode::kInvalid, kMediaTooComplex,
                  "no preview can be made of this file: " + why.substr(sizeof kTooComplexMark - 1));
    }
    return Fail(ErrorCode::kInvalid, "thumbnail_unavailable",
                "no preview can be made of this file: " + why);
  };
  if (kept) {
    if (!kept->error.empty()) return unavailable(kept->error);
    BF_ASSIGN_OR_RETURN(auto decryptor,
                        StreamDecryptor::Start(ctx_.options.media.key, kept->header));
    BF_ASSIGN_OR_RETURN(std::string data, decryptor->Pull(kept->data, ThumbnailAd(file.id)));
    return Preview{kept->content_type, std::move(data)};
  }
  if (ctx_.media_processor == nullptr) {
    return Fail(ErrorCode::kUnavailable, "thumbnail_unavailable", "this server makes no previews");
  }
  auto format = MediaFormatOfContentType(file.content_type);
  if (!format) return unavailable("its format is unknown");

  // Decoding takes memory and time: a few at once at most.
  {
    std::unique_lock lock(thumbnails_->mu);
    thumbnails_->cv.wait(lock, [&] { return thumbnails_->free > 0; });
    --thumbnails_->free;
  }
  struct Release {
    Gate& gate;
    ~Release() {
      {
        std::lock_guard lock(gate.mu);
        ++gate.free;
      }
      gate.cv.notify_one();
    }
  } release{*thumbnails_};

  std::string whole;
  whole.reserve(static_cast<size_t>(file.size));
  BF_RETURN_IF_ERROR(ReadContent(file, 0, file.size, [&](std::string_view piece) {
    whole.append(piece);
    return Ok();
  }));
  auto preview = ctx_.media_processor->Thumbnail(whole, *format, ctx_.options.media.thumbnail_size);
  whole.clear();
  whole.shrink_to_fit();

  MediaThumbnail thumbnail;
  thumbnail.media_id = file.id;
  thumbnail.created_at = ctx_.clock.Now();
  if (preview) {
    BF_ASSIGN_OR_RETURN(auto encryptor, StreamEncryptor::Start(ctx_.options.media.key));
    thumbnail.content_type = preview->content_type;
    thumbnail.header = encryptor->header();
    thumbnail.data = encryptor->Push(preview->data, ThumbnailAd(file.id), true);
  } else if (preview.error().reason == "thumbnail_unavailable") {
    thumbnail.error = preview.error().message;
  } else if (preview.error().reason == kMediaTooComplex) {
    // Kept like an unreadable file's verdict: a bomb costs its limits once, not per request.
    thumbnail.error = kTooComplexMark + preview.error().message;
  } else {
    return tl::unexpected(preview.error());  // not the file's fault: try again next time
  }
  {
    BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
    BF_RETURN_IF_ERROR(uow->SaveMediaThumbnail(thumbnail));
    BF_RETURN_IF_ERROR(uow->Commit());
  }
  if (!preview) return unavailable(thumbnail.error);
  return std::move(*preview);
}

Result<int64_t> MediaService::RemoveStaleUploads() {
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
  BF_ASSIGN_OR_RETURN(int64_t removed, uow->DeleteUnattachedMediaBefore(ctx_.clock.Now() -
                                                                        kUnattachedMediaLifetime));
  BF_RETURN_IF_ERROR(uow->Commit());
  return removed;
}

}  // namespace bf
