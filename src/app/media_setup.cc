#include "app/media_setup.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "app/raw_database.h"
#include "core/crypto.h"

namespace bf {
namespace {

auto InvalidKey(std::string where) {
  return Fail(ErrorCode::kInvalid, "invalid_media_key",
              where +
                  " must hold a media key: base64 of 32 bytes (e.g. from `head -c32 /dev/urandom | "
                  "base64`)");
}

Result<std::string> ReadKeyFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Internal("cannot read " + path.string() + ": " + std::strerror(errno));
  std::stringstream text;
  text << in.rdbuf();
  auto key = DecodeMediaKey(text.str());
  if (!key) return InvalidKey(path.string());
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    spdlog::warn("{} can be read by other users (mode {:o}); chmod 600 it", path.string(),
                 st.st_mode & 0777);
  }
  return *key;
}

}  // namespace

Result<std::string> LoadOrCreateMediaKey(const std::filesystem::path& data_dir,
                                         const std::string& configured) {
  if (!configured.empty()) {
    auto key = DecodeMediaKey(configured);
    if (!key) return InvalidKey("--media-key");
    return *key;
  }
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  const std::filesystem::path path = data_dir / kMediaKeyFile;
  if (std::filesystem::exists(path, ec)) return ReadKeyFile(path);
  // O_EXCL: two servers starting at once never overwrite each other's key; the loser reads it.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return ReadKeyFile(path);
    return Internal("cannot create " + path.string() + ": " + std::strerror(errno));
  }
  std::string line = EncodeMediaKey(NewMediaKey()) + "\n";
  bool ok = ::fchmod(fd, 0600) == 0 &&
            ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
            ::fsync(fd) == 0;
  int saved = errno;
  ::close(fd);
  if (!ok) {
    std::filesystem::remove(path, ec);
    return Internal("cannot write " + path.string() + ": " + std::strerror(saved));
  }
  spdlog::info(
      "created the media key {} (mode 0600): back it up with the database, files cannot be read "
      "without it",
      path.string());
  return ReadKeyFile(path);
}

Result<std::string> LoadMediaKeyFile(const std::filesystem::path& path) {
  if (path.empty()) {
    return Fail(ErrorCode::kInvalid, "media_key_file_required",
                "--media-key-file (or BONAFIDES_MEDIA_KEY_FILE) is required with a postgresql:// "
                "database: a file of 32 random bytes, the same on every node (e.g. `head -c32 "
                "/dev/urandom > media.key`)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Internal("cannot read " + path.string() + ": " + std::strerror(errno));
  std::stringstream content;
  content << in.rdbuf();
  const std::string bytes = content.str();
  if (bytes.size() == kMediaKeyBytes) return bytes;
  return ReadKeyFile(path);  // base64 of the 32 bytes
}

Status CheckKeyOpensStoredMedia(const std::string& database, const std::string& key) {
  BF_ASSIGN_OR_RETURN(raw::DatabaseUrl url, raw::ParseDatabaseUrl(database));
  BF_ASSIGN_OR_RETURN(auto db, raw::Open(url, /*read_only=*/true));
  // Any stored file will do: every one was encrypted with the key the database has always had.
  BF_ASSIGN_OR_RETURN(auto rows, db->Query("SELECT m.id, m.header, c.data FROM media m"
                                           " JOIN media_chunks c ON c.media_id = m.id AND c.seq = 0"
                                           " LIMIT 1"));
  if (rows.empty()) return Ok();
  const raw::Row& row = rows.front();
  return MediaService::CheckKeyOpens(key, row.at(0).bytes, row.at(1).bytes, row.at(2).bytes);
}

StaleUploadSweeper::StaleUploadSweeper(MediaService& media, std::chrono::milliseconds interval)
    : media_(media), interval_(interval), thread_([this] { Run(); }) {}

StaleUploadSweeper::~StaleUploadSweeper() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void StaleUploadSweeper::Run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    auto removed = media_.RemoveStaleUploads();
    if (!removed) {
      spdlog::warn("removing stale uploads failed: {} ({})", removed.error().message,
                   removed.error().detail);
    } else if (*removed > 0) {
      spdlog::info("removed {} upload(s) never attached within a day", *removed);
    }
    lock.lock();
    cv_.wait_for(lock, interval_, [this] { return stop_; });
  }
}

}  // namespace bf
