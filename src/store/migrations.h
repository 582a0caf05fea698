// Schema migrations embedded in the binary, one list per backend, same numbers and names.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace bf {

struct Migration {
  int number;
  const char* name;
  const char* sql;
};

// Ok unless the database records a migration newer than the last of `known` (a newer bonafides
// migrated it): then a node must not start, since it would write rows the newer schema does not
// expect. kUnavailable "schema_too_new", saying which versions.
inline Status CheckSchemaNotNewer(int newest_applied, const std::vector<Migration>& known) {
  const int newest_known = known.empty() ? 0 : known.back().number;
  if (newest_applied <= newest_known) return Ok();
  return Fail(ErrorCode::kUnavailable, "schema_too_new",
              "the database schema is at migration " + std::to_string(newest_applied) +
                  ", newer than this bonafides knows (" + std::to_string(newest_known) +
                  "); run the newer bonafides, or restore a backup made for this version");
}

namespace sqlite {
// In ascending order of number.
const std::vector<Migration>& Migrations();
}  // namespace sqlite

namespace postgres {
// In ascending order of number; the same numbers and names as sqlite::Migrations().
const std::vector<Migration>& Migrations();
}  // namespace postgres

}  // namespace bf
