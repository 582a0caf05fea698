#include "service/import_spool.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace bf {
namespace {

constexpr size_t kBufferBytes = 1 << 20;

std::string ErrnoText() { return std::strerror(errno); }

}  // namespace

Result<std::unique_ptr<SpoolFile>> SpoolFile::Create(const std::string& dir) {
  const std::string where = dir.empty() ? "." : dir;
  int fd = ::open(where.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    // File systems without O_TMPFILE: a named file, unlinked at once.
    std::string path = where + "/.bonafides-import-XXXXXX";
    std::vector<char> name(path.begin(), path.end());
    name.push_back('\0');
    fd = ::mkstemp(name.data());
    if (fd < 0) {
      return Internal("cannot create a spool file in " + where + ": " + ErrnoText());
    }
    ::unlink(name.data());
  }
  return std::unique_ptr<SpoolFile>(new SpoolFile(fd));
}

SpoolFile::SpoolFile(int fd) : fd_(fd) { buffer_.reserve(kBufferBytes); }

SpoolFile::~SpoolFile() { ::close(fd_); }

void SpoolFile::PutString(std::string_view s) {
  PutU32(static_cast<uint32_t>(s.size()));
  Put(s.data(), s.size());
}

void SpoolFile::Put(const void* data, size_t n) {
  buffer_.append(static_cast<const char*>(data), n);
  written_ += n;
  if (buffer_.size() >= kBufferBytes) FlushBuffer();
}

void SpoolFile::FlushBuffer() {
  size_t done = 0;
  while (status_ && done < buffer_.size()) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      status_ = Internal("cannot write the import's spool file: " + ErrnoText());
      break;
    }
    done += static_cast<size_t>(n);
  }
  buffer_.clear();
}

Status SpoolFile::Rewind() {
  FlushBuffer();
  if (status_ && ::lseek(fd_, 0, SEEK_SET) != 0) {
    status_ = Internal("cannot rewind the import's spool file: " + ErrnoText());
  }
  buffer_.clear();
  read_pos_ = 0;
  return status_;
}

bool SpoolFile::Fill(size_t want) {
  buffer_.erase(0, read_pos_);
  read_pos_ = 0;
  const size_t have = buffer_.size();
  const size_t size = std::max(kBufferBytes, want);
  buffer_.resize(size);
  for (;;) {
    ssize_t n = ::read(fd_, buffer_.data() + have, size - have);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status_ = Internal("cannot read the import's spool file: " + ErrnoText());
      n = 0;
    }
    buffer_.resize(have + static_cast<size_t>(n));
    return n > 0;
  }
}

bool SpoolFile::Get(void* data, size_t n) {
  while (buffer_.size() - read_pos_ < n) {
    if (!status_ || !Fill(n)) return false;
  }
  std::memcpy(data, buffer_.data() + read_pos_, n);
  read_pos_ += n;
  return true;
}

bool SpoolFile::GetString(std::string& s) {
  uint32_t size = 0;
  if (!GetU32(size)) return false;
  if (buffer_.size() - read_pos_ >= size) {  // the usual case: no copy through a temporary
    s.assign(buffer_.data() + read_pos_, size);
    read_pos_ += size;
    return true;
  }
  s.resize(size);
  return size == 0 || Get(s.data(), size);
}

}  // namespace bf
