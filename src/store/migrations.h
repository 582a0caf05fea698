// Schema migrations embedded in the binary, one list per backend, same numbers and names.
#pragma once

#include <vector>

namespace bf {

struct Migration {
  int number;
  const char* name;
  const char* sql;
};

namespace sqlite {
// In ascending order of number.
const std::vector<Migration>& Migrations();
}  // namespace sqlite

}  // namespace bf
