// The demo organisation that `bonafides serve --demo` (and `make run`) creates in an empty
// database, so a newcomer can sign in and look around at once.
#pragma once

#include <string>

#include "core/result.h"
#include "service/services.h"

namespace bf {

inline constexpr char kDemoPassword[] = "demo-password";

// Creates the demo organisation if the database holds no organisation yet. Returns the lines to
// print on how to sign in, or "" when the database was not empty.
Result<std::string> CreateDemoIfEmpty(Services& services);

}  // namespace bf
