// The most common passwords, refused when a password is set (PRODUCT.md leaves the rule to us;
// docs/architecture.md "Authentication"). The list is common_passwords.txt beside this file,
// embedded in the binary at build time; scripts/common-passwords.sh says where it comes from.
#pragma once

#include <cstddef>
#include <string_view>

namespace bf {

// True when `password`, lower-cased (ASCII), is on the list. Thread-safe; the list is parsed on
// first use.
bool IsCommonPassword(std::string_view password);
// How many passwords the list holds.
size_t CommonPasswordCount();

}  // namespace bf
