// Media files: encrypted chunks, thumbnails and the links of versions to them
// (store/sql/media.cc). Part of every UnitOfWork (store.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "domain/media.h"

namespace bf {

// A file is written while it arrives: InsertMedia (incomplete), InsertMediaChunk for each
// chunk in order, then CompleteMedia. Only complete files are found. Attaching happens with
// the version: InsertVersion and UpdateVersion link `version.media` and mark those files as
// the credential's; FindCredential and ListVersions fill `media` from the links.
class MediaRepository {
 public:
  virtual ~MediaRepository() = default;

  virtual Status InsertMedia(const MediaFile& media) = 0;
  // One chunk of ciphertext; seq counts from 0.
  virtual Status InsertMediaChunk(const std::string& media_id, int64_t seq,
                                  std::string_view data) = 0;
  // Writes size, sha256 and chunk_count and makes the file findable. kNotFound if it is gone
  // (removed as stale meanwhile).
  virtual Status CompleteMedia(const MediaFile& media) = 0;
  // A complete file of the organisation, with `version` filled.
  virtual Result<std::optional<MediaFile>> FindMedia(const std::string& org_id,
                                                     const std::string& id) = 0;
  // The ciphertext of chunk `seq`, nullopt when there is none.
  virtual Result<std::optional<std::string>> ReadMediaChunk(const std::string& media_id,
                                                            int64_t seq) = 0;
  // Removes a file (complete or not) with its chunks, thumbnail and links.
  virtual Status DeleteMedia(const std::string& org_id, const std::string& id) = 0;
  // Removes every unattached file (complete or not, any organisation) that arrived before
  // `created_before`. Returns how many.
  virtual Result<int64_t> DeleteUnattachedMediaBefore(Timestamp created_before) = 0;
  // Removes the credential's files that no version shows any more. Returns how many.
  virtual Result<int64_t> DeleteUnlinkedMedia(const std::string& org_id,
                                              const std::string& credential_id) = 0;
  virtual Result<std::optional<MediaThumbnail>> FindMediaThumbnail(const std::string& media_id) = 0;
  // Keeps the first thumbnail saved for a file (a second save of the same file is ignored).
  virtual Status SaveMediaThumbnail(const MediaThumbnail& thumbnail) = 0;
};

}  // namespace bf
