// Opaque identifiers and secrets.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

namespace bf {

// A random (version 4) UUID in lower-case canonical form.
std::string NewId();
// True for a canonical UUID (any version, either case).
bool IsUuid(std::string_view s);

// `bytes` random bytes as URL-safe base64 without padding, for session ids and API tokens.
std::string RandomToken(size_t bytes = 32);
// URL-safe base64 without padding, and back (nullopt for invalid input).
std::string Base64UrlEncode(std::string_view data);
std::optional<std::string> Base64UrlDecode(std::string_view text);

// Lower-case hex SHA-256 of `data`: how secrets are stored.
std::string Sha256Hex(std::string_view data);

// Argon2id hash of `password` in libsodium's self-describing string form. `fast` selects the
// minimum cost, for tests only.
Result<std::string> HashPassword(std::string_view password, bool fast = false);
bool VerifyPassword(std::string_view password, const std::string& hash);

// Compares in time independent of where the strings differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace bf
