// Streaming hashing and authenticated encryption, for media files: SHA-256 computed piece by
// piece, and libsodium's secretstream (XChaCha20-Poly1305) to encrypt a file as a sequence of
// messages and to decrypt it again, checking that no message was changed, dropped, reordered or
// cut off at the end.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace bf {

inline constexpr size_t kMediaKeyBytes = 32;
inline constexpr size_t kSecretStreamHeaderBytes = 24;
// Ciphertext bytes a message adds to its plaintext (MAC and tag).
inline constexpr size_t kSecretStreamOverhead = 17;

// SHA-256 fed piece by piece. Not thread-safe.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view data);
  // The lower-case hex digest of everything fed. Call once.
  std::string FinishHex();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// A new random key of kMediaKeyBytes.
std::string NewMediaKey();
// A key written in base64 (standard or URL-safe alphabet, padded or not); nullopt unless it is
// valid base64 of exactly kMediaKeyBytes bytes.
std::optional<std::string> DecodeMediaKey(std::string_view text);
// Standard padded base64, as media key files hold it.
std::string EncodeMediaKey(std::string_view key);

// Encrypts one stream. Each Push is one message; the last must be pushed with `final` = true.
// `ad` (additional data, e.g. the file's id) is authenticated with every message, so a message
// decrypts only under the same `ad`. Not thread-safe.
class StreamEncryptor {
 public:
  // `key`: kMediaKeyBytes. kInternal if it is not.
  static Result<std::unique_ptr<StreamEncryptor>> Start(std::string_view key);
  ~StreamEncryptor();
  // The stream's header: stored with the ciphertext, needed to decrypt.
  const std::string& header() const { return header_; }
  // The ciphertext of `plaintext`: plaintext.size() + kSecretStreamOverhead bytes.
  std::string Push(std::string_view plaintext, std::string_view ad, bool final);

 private:
  StreamEncryptor();
  struct State;
  std::unique_ptr<State> state_;
  std::string header_;
};

// Decrypts one stream, message by message, in the order they were pushed. Not thread-safe.
class StreamDecryptor {
 public:
  // kInternal "media_corrupt" when the header does not belong to this key.
  static Result<std::unique_ptr<StreamDecryptor>> Start(std::string_view key,
                                                        std::string_view header);
  ~StreamDecryptor();
  // The plaintext of the next message. kInternal "media_corrupt" when it was changed or does not
  // follow the previous one, or comes after the final one.
  Result<std::string> Pull(std::string_view ciphertext, std::string_view ad);
  // True once the message tagged final was pulled.
  bool finished() const { return finished_; }

 private:
  StreamDecryptor();
  struct State;
  std::unique_ptr<State> state_;
  bool finished_ = false;
};

}  // namespace bf
