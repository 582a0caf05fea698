#include "core/crypto.h"

#include <sodium.h>

#include <stdexcept>

namespace bf {
namespace {

void EnsureSodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    return true;
  }();
  (void)ready;
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* Bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

auto Corrupt(std::string detail) {
  return Fail(ErrorCode::kInternal, "media_corrupt", "the stored file cannot be read",
              std::move(detail));
}

}  // namespace

static_assert(crypto_secretstream_xchacha20poly1305_KEYBYTES == kMediaKeyBytes);
static_assert(crypto_secretstream_xchacha20poly1305_HEADERBYTES == kSecretStreamHeaderBytes);
static_assert(crypto_secretstream_xchacha20poly1305_ABYTES == kSecretStreamOverhead);

struct Sha256::State {
  crypto_hash_sha256_state s;
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
  EnsureSodium();
  crypto_hash_sha256_init(&state_->s);
}
Sha256::~Sha256() = default;

void Sha256::Update(std::string_view data) {
  crypto_hash_sha256_update(&state_->s, Bytes(data), data.size());
}

std::string Sha256::FinishHex() {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state_->s, digest);
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

std::string NewMediaKey() {
  EnsureSodium();
  std::string key(kMediaKeyBytes, '\0');
  crypto_secretstream_xchacha20poly1305_keygen(Bytes(key));
  return key;
}

std::optional<std::string> DecodeMediaKey(std::string_view text) {
  EnsureSodium();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.remove_suffix(1);
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  for (int variant : {sodium_base64_VARIANT_ORIGINAL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING,
                      sodium_base64_VARIANT_URLSAFE, sodium_base64_VARIANT_URLSAFE_NO_PADDING}) {
    std::string out(text.size() + 1, '\0');
    size_t len = 0;
    if (sodium_base642bin(Bytes(out), out.size(), text.data(), text.size(), nullptr, &len, nullptr,
                          variant) == 0 &&
        len == kMediaKeyBytes) {
      out.resize(len);
      return out;
    }
  }
  return std::nullopt;
}

std::string EncodeMediaKey(std::string_view key) {
  EnsureSodium();
  std::string out(sodium_base64_ENCODED_LEN(key.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), Bytes(key), key.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.find('\0'));
  return out;
}

struct StreamEncryptor::State {
  crypto_secretstream_xchacha20poly1305_state s;
};

StreamEncryptor::StreamEncryptor() : state_(std::make_unique<State>()) {}
StreamEncryptor::~StreamEncryptor() { sodium_memzero(state_.get(), sizeof(State)); }

Result<std::unique_ptr<StreamEncryptor>> StreamEncryptor::Start(std::string_view key) {
  EnsureSodium();
  if (key.size() != kMediaKeyBytes)
    return Internal("media key has " + std::to_string(key.size()) + " bytes, not 32");
  std::unique_ptr<StreamEncryptor> e(new StreamEncryptor());
  e->header_.assign(kSecretStreamHeaderBytes, '\0');
  crypto_secretstream_xchacha20poly1305_init_push(&e->state_->s, Bytes(e->header_), Bytes(key));
  return e;
}

std::string StreamEncryptor::Push(std::string_view plaintext, std::string_view ad, bool final) {
  std::string out(plaintext.size() + kSecretStreamOverhead, '\0');
  unsigned long long len = 0;
  crypto_secretstream_xchacha20poly1305_push(
      &state_->s, Bytes(out), &len, Bytes(plaintext), plaintext.size(), Bytes(ad), ad.size(),
      final ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
            : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
  out.resize(static_cast<size_t>(len));
  return out;
}

struct StreamDecryptor::State {
  crypto_secretstream_xchacha20poly1305_state s;
};

StreamDecryptor::StreamDecryptor() : state_(std::make_unique<State>()) {}
StreamDecryptor::~StreamDecryptor() { sodium_memzero(state_.get(), sizeof(State)); }

Result<std::unique_ptr<StreamDecryptor>> StreamDecryptor::Start(std::string_view key,
                                                                std::string_view header) {
  EnsureSodium();
  if (key.size() != kMediaKeyBytes)
    return Internal("media key has " + std::to_string(key.size()) + " bytes, not 32");
  if (header.size() != kSecretStreamHeaderBytes)
    return Corrupt("secretstream header has the wrong size");
  std::unique_ptr<StreamDecryptor> d(new StreamDecryptor());
  if (crypto_secretstream_xchacha20poly1305_init_pull(&d->state_->s, Bytes(header), Bytes(key)) !=
      0) {
    return Corrupt("secretstream header rejected");
  }
  return d;
}

Result<std::string> StreamDecryptor::Pull(std::string_view ciphertext, std::string_view ad) {
  if (finished_) return Corrupt("a message follows the final one");
  if (ciphertext.size() < kSecretStreamOverhead) return Corrupt("message shorter than its MAC");
  std::string out(ciphertext.size() - kSecretStreamOverhead, '\0');
  unsigned long long len = 0;
  unsigned char tag = 0;
  if (crypto_secretstream_xchacha20poly1305_pull(&state_->s, Bytes(out), &len, &tag,
                                                 Bytes(ciphertext), ciphertext.size(), Bytes(ad),
                                                 ad.size()) != 0) {
    return Corrupt("message failed authentication (wrong key, changed or out of order)");
  }
  out.resize(static_cast<size_t>(len));
  finished_ = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
  return out;
}

}  // namespace bf
