// A temporary file written once and then read once from its start: how a bulk upload keeps its
// rows between the validation pass and the write pass without holding them in memory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace bf {

class SpoolFile {
 public:
  // A new, empty file in `dir` that has no name (O_TMPFILE, or created and unlinked at once):
  // it disappears when closed, or when the process dies. kInternal when it cannot be made.
  static Result<std::unique_ptr<SpoolFile>> Create(const std::string& dir);
  ~SpoolFile();
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;

  // Writing (buffered). A failure is remembered and returned by Rewind.
  void PutU8(uint8_t v) { Put(&v, 1); }
  void PutU32(uint32_t v) { Put(&v, sizeof v); }
  void PutI32(int32_t v) { Put(&v, sizeof v); }
  void PutI64(int64_t v) { Put(&v, sizeof v); }
  void PutString(std::string_view s);

  // Ends writing and starts reading from the beginning. The first write error, if any.
  Status Rewind();

  // Reading. False at the end of the file or on a read error (then status() says which).
  bool GetU8(uint8_t& v) { return Get(&v, 1); }
  bool GetU32(uint32_t& v) { return Get(&v, sizeof v); }
  bool GetI32(int32_t& v) { return Get(&v, sizeof v); }
  bool GetI64(int64_t& v) { return Get(&v, sizeof v); }
  bool GetString(std::string& s);
  const Status& status() const { return status_; }

  uint64_t bytes_written() const { return written_; }

 private:
  explicit SpoolFile(int fd);
  void Put(const void* data, size_t n);
  bool Get(void* data, size_t n);
  void FlushBuffer();
  bool Fill(size_t want);  // reads ahead so that at least `want` bytes may be buffered

  int fd_;
  std::string buffer_;  // pending writes, or bytes read ahead
  size_t read_pos_ = 0;
  uint64_t written_ = 0;
  Status status_;
};

}  // namespace bf
