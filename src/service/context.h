// What every service needs: the store, the clock, and a few options.
#pragma once

#include "core/clock.h"
#include "store/store.h"

namespace bf {

struct ServiceOptions {
  Millis session_ttl = std::chrono::hours(24 * 7);  // a session ends this long after sign-in
  bool fast_password_hash = false;                  // minimum argon2id cost: tests only
};

struct ServiceContext {
  Store& store;
  const Clock& clock;
  ServiceOptions options;
};

}  // namespace bf
