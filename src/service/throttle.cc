#include "service/throttle.h"

#include "core/ids.h"

namespace bf {

std::vector<std::string> LoginThrottle::Keys(const std::string& account,
                                             const std::string& address) {
  // '\n' cannot be in a trimmed email or an address, so no two keys of different kinds or
  // values share a hash input.
  return {Sha256Hex("pair\n" + account + '\n' + address), Sha256Hex("account\n" + account),
          Sha256Hex("address\n" + address)};
}

bool LoginThrottle::Allowed(const std::vector<int64_t>& counts) const {
  return counts.size() == 3 && counts[0] < limits_.per_pair && counts[1] < limits_.per_account &&
         counts[2] < limits_.per_address;
}

}  // namespace bf
