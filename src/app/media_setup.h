// The media key and the sweeping of stale uploads: what `serve` sets up for media files.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

#include "core/result.h"
#include "service/media_service.h"

namespace bf {

inline constexpr char kMediaKeyFile[] = "media.key";

// The key that encrypts media files: `configured` (base64 of 32 bytes, from --media-key or
// BONAFIDES_MEDIA_KEY) when given; else the key in DATA_DIR/media.key, created on first run
// (a new random key, base64, file mode 0600, never overwritten). 422 "invalid_media_key" for a
// configured value or a key file that is not base64 of 32 bytes; 500 when the file cannot be
// read or written. Losing the key loses every stored file: back it up with the database.
Result<std::string> LoadOrCreateMediaKey(const std::filesystem::path& data_dir,
                                         const std::string& configured);

// The key in `path` (--media-key-file), as every node of a PostgreSQL deployment reads it: 32
// raw bytes, or their base64 on one line. 422 "media_key_file_required" for an empty path, 422
// "invalid_media_key" for a file that holds neither; 500 when it cannot be read.
Result<std::string> LoadMediaKeyFile(const std::filesystem::path& path);

// Refuses a key that does not open the media already stored (API.md, "Command line"): decrypts
// the first chunk of one stored file of `database` (sqlite:PATH or a postgresql:// URL, already
// migrated) with `key`. Ok when no file is stored yet; 422 "media_key_mismatch" when the chunk
// does not decrypt; the database's error when it cannot be read.
Status CheckKeyOpensStoredMedia(const std::string& database, const std::string& key);

// Removes unattached uploads older than a day now and then every `interval`, on its own thread,
// until destroyed. (Every upload also sweeps, so this matters only while nobody uploads.)
class StaleUploadSweeper {
 public:
  StaleUploadSweeper(MediaService& media, std::chrono::milliseconds interval);
  ~StaleUploadSweeper();
  StaleUploadSweeper(const StaleUploadSweeper&) = delete;
  StaleUploadSweeper& operator=(const StaleUploadSweeper&) = delete;

 private:
  void Run();

  MediaService& media_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace bf
