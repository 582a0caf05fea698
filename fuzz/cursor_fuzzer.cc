// libFuzzer target for list cursors (`?cursor=` of GET /api/v1/credentials and its export):
// fuzz_cursor, built by `make fuzz`. A cursor is outside bytes: base64url of the store's keyset
// position, decoded by the store when it builds a page's statements.
//
// Checks: no crash or undefined behaviour for any cursor in any sort; a cursor either builds
// statements or is refused with exactly 400 `invalid_cursor`; every cursor the store itself
// encodes is accepted by the sort it belongs to.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/ids.h"
#include "store/sqlite/credential_queries.h"

// Statements are built here, never run, and no password is checked: the few functions the linked
// files reference for that abort if they are ever reached (linking the SQLite store whole would
// pull in every engine file).
namespace bf {
bool IsCommonPassword(std::string_view) { std::abort(); }
namespace sqlite {
Stmt& Stmt::Bind(int, std::string_view) { std::abort(); }
Stmt& Stmt::Bind(int, int64_t) { std::abort(); }
}  // namespace sqlite
}  // namespace bf

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const auto sort = static_cast<bf::CredentialSort>(data[0] % 5);
  std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);

  bf::CredentialFilter filter;
  filter.sort = sort;
  filter.by_expiry = data[1] & 1;
  filter.no_expiry = data[1] & 2;
  filter.q = (data[1] & 4) ? "a%_b" : "";
  // As the HTTP layer hands it over (base64url), or raw as the store sees it.
  auto decoded = bf::Base64UrlDecode(text);
  filter.after = (data[1] & 8) && decoded ? *decoded : std::string(text);
  auto built = bf::sqlite::CredentialPageQueries("org", filter);
  if (!built && built.error().reason != "invalid_cursor") std::abort();

  // What the store encodes from a row, it must read back.
  std::string key(text.substr(0, text.size() / 2));
  std::string id(text.substr(text.size() / 2));
  if (!id.empty() && key.find('\x1f') == std::string::npos &&
      id.find('\x1f') == std::string::npos) {
    std::optional<std::string> k;
    if (sort == bf::CredentialSort::kUserName) k = key;
    if (sort == bf::CredentialSort::kUpdatedAt || sort == bf::CredentialSort::kUpdatedAtDesc)
      k = std::to_string(static_cast<int64_t>(key.size()) * 1000);
    if (sort == bf::CredentialSort::kExpiryDate || sort == bf::CredentialSort::kExpiryDateDesc)
      k = (data[1] & 16) ? std::optional<std::string>("2026-02-28") : std::nullopt;
    filter.after = bf::sqlite::EncodeCursor(sort, k, id);
    if (!bf::sqlite::CredentialPageQueries("org", filter)) std::abort();
  }
  return 0;
}
