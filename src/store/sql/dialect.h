// What differs between the engines in the SQL that SqlUnitOfWork runs: the few real differences,
// each named for what it is. Statements that differ are written side by side in the aggregate's
// file (one macro with the differing fragment where the rest is the same) and chosen by these.
#pragma once

#include <string_view>

namespace bf::sql {

struct Dialect {
  std::string_view name;  // "sqlite", "postgres"
  // The planner has no statistics (SQLite: the database is never ANALYZEd), so a statement names
  // the index to search (`INDEXED BY`) and the loop order (`CROSS JOIN`) where the planner would
  // otherwise guess wrong. PostgreSQL plans from statistics and has neither.
  bool names_indexes = false;
  // Write units may run beside each other and lock rows (PostgreSQL: `SELECT … FOR UPDATE`,
  // a queue's claim `FOR UPDATE SKIP LOCKED`). SQLite's one writer runs write units one at a
  // time, so it locks nothing.
  bool locks_rows = false;
  // Parameters are typed from their use (PostgreSQL): a date parameter cannot be bound to ''
  // as a "before every date" sentinel, so such a statement takes NULL and says so.
  bool typed_parameters = false;
  // How a statement reads a JSON array of ids bound as text: SQLite's `json_each(?)`,
  // PostgreSQL's `json_array_elements_text(?::json)`.
  bool json_each = false;
  // Rows of a table keyed by TEXT ids are found again by their rowid (SQLite): one seek of the
  // table instead of the id's index entry and then the row. A rowid is read and used in the same
  // transaction (a VACUUM may renumber them between transactions).
  bool rowids = false;
};

inline constexpr Dialect kSqliteDialect{"sqlite", true, false, false, true, true};
inline constexpr Dialect kPostgresDialect{"postgres", false, true, true, false, false};

}  // namespace bf::sql
