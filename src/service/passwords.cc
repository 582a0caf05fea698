#include "service/passwords.h"

#include "core/ids.h"

namespace bf {

PasswordHasher::PasswordHasher(PasswordOptions options, bool fast)
    : options_(options),
      fast_(fast),
      verify_([](std::string_view password, const std::string& hash) {
        return VerifyPassword(password, hash);
      }) {
  if (options_.slots < 1) options_.slots = 1;
}

Status PasswordHasher::Acquire() {
  std::unique_lock lock(mu_);
  // A duration, not a date: the steady clock, like the server's timeouts.
  if (!freed_.wait_for(lock, options_.wait, [&] { return in_use_ < options_.slots; })) {
    return Fail(ErrorCode::kUnavailable, "server_busy",
                "the server is busy checking other passwords; try again in a moment");
  }
  ++in_use_;
  return Ok();
}

void PasswordHasher::Release() {
  {
    std::lock_guard lock(mu_);
    --in_use_;
  }
  freed_.notify_one();
}

const std::string& PasswordHasher::DummyHash() {
  // Made once, at the cost real hashes have, from a random password nobody knows.
  std::call_once(dummy_once_, [&] { dummy_ = HashPassword(RandomToken(32), fast_).value_or(""); });
  return dummy_;
}

// Gives the slot back however the holder leaves.
class PasswordHasher::Slot {
 public:
  explicit Slot(PasswordHasher& hasher) : hasher_(hasher) {}
  ~Slot() { hasher_.Release(); }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  PasswordHasher& hasher_;
};

Result<std::string> PasswordHasher::Hash(std::string_view password) {
  BF_RETURN_IF_ERROR(Acquire());
  Slot slot(*this);
  return HashPassword(password, fast_);
}

Result<std::vector<bool>> PasswordHasher::VerifyEach(std::string_view password,
                                                     const std::vector<std::string>& hashes) {
  const std::string& dummy = DummyHash();
  BF_RETURN_IF_ERROR(Acquire());
  Slot slot(*this);
  std::vector<bool> out;
  out.reserve(hashes.size());
  for (const std::string& hash : hashes) {
    bool matched = verify_(password, hash.empty() ? dummy : hash);
    out.push_back(matched && !hash.empty());
  }
  return out;
}

Result<bool> PasswordHasher::Verify(std::string_view password, const std::string& hash) {
  BF_ASSIGN_OR_RETURN(auto matched, VerifyEach(password, {hash}));
  return matched.front();
}

}  // namespace bf
