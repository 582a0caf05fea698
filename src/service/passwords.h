// Hashing and checking passwords for every service. Argon2id (core/ids.h) takes 64 MiB and about
// a third of a second of one core per call, so:
//  - no caller holds a database transaction while calling (a write transaction held that long
//    stalls every writer of every organisation; docs/architecture.md "Authentication");
//  - at most `slots` computations run at once; a caller waits up to `wait` for a slot, then gets
//    503 "server_busy" (the HTTP layer adds Retry-After).
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace bf {

struct PasswordOptions {
  int slots = 2;                                 // argon2id computations at once
  Millis wait = std::chrono::milliseconds(500);  // for a slot, before 503 "server_busy"
};

class PasswordHasher {
 public:
  // Checks one password against one stored hash. Replaceable in tests (to count or to hold).
  using VerifyFunction = std::function<bool(std::string_view password, const std::string& hash)>;

  // `fast`: the minimum argon2id cost, for tests only.
  PasswordHasher(PasswordOptions options, bool fast);

  // A new salted argon2id hash of `password`. kUnavailable "server_busy" when no slot freed
  // within `wait`.
  Result<std::string> Hash(std::string_view password);

  // Runs exactly one verification of `password` per entry of `hashes`, all in one slot, and
  // answers which matched. An empty entry stands for an account that must not sign in (unknown,
  // deactivated, without a password): it is checked against a hash no password matches, so it
  // takes as long as a real one and never matches. kUnavailable "server_busy" as for Hash.
  Result<std::vector<bool>> VerifyEach(std::string_view password,
                                       const std::vector<std::string>& hashes);
  // VerifyEach of one hash.
  Result<bool> Verify(std::string_view password, const std::string& hash);

  // Tests only: replaces the one-verification function (the dummy hash included). Set it before
  // any concurrent use.
  void SetVerifyForTesting(VerifyFunction verify) { verify_ = std::move(verify); }

 private:
  class Slot;
  Status Acquire();
  void Release();
  const std::string& DummyHash();

  PasswordOptions options_;
  bool fast_;
  VerifyFunction verify_;
  std::mutex mu_;
  std::condition_variable freed_;
  int in_use_ = 0;
  std::once_flag dummy_once_;
  std::string dummy_;
};

}  // namespace bf
