// The statements of ListCredentials, which are built from the filter (credential_pages.cc), and
// of SummarizeCredentials: declared here so that credentials.cc can use them and the query-plan
// test can EXPLAIN them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/result.h"
#include "store/sql/dialect.h"
#include "store/sql/statement.h"
#include "store/store.h"

namespace bf::sql {

// One bound value of a built statement.
using SqlValue = std::variant<int64_t, std::string>;

// A statement made of fixed fragments, with the values for its `?`s in order.
struct Query {
  std::string sql;
  std::vector<SqlValue> args;
};

// The columns of a list page's row as FillPageRowFromRow (credentials.cc) reads them: the
// credential row's own and its type's name, `HOLDER` (the holder's name and email address, or
// nothing) after the first three. The row's table is `c`, the type's `t`.
#define BF_PAGE_ROW_COLUMNS(HOLDER)                                                     \
  "c.id, c.org_id, c.user_id, " HOLDER                                                  \
  " c.type_id, t.name, c.archived,"                                                     \
  " c.etag_counter, c.created_at, c.created_by, c.updated_at, c.updated_by, c.version," \
  " c.issue_date, c.expiry_date, c.credential_number, c.approval_status"
#define BF_PAGE_ROW_JOINS " JOIN credential_types t ON t.id = c.type_id"
// How many columns BF_PAGE_ROW_COLUMNS("") selects.
constexpr int kPageRowColumns = 16;

// Whether the page statements of `filter` select its rows whole (a holder's list, which
// credentials_by_holder covers) rather than their keys.
inline bool PageSelectsWholeRows(const CredentialFilter& filter) { return !filter.user_id.empty(); }

// The statements one page of ListCredentials runs, in order (the expiry sorts walk dated
// credentials, then undated ones; the other sorts are one statement). Each selects at most
// limit+1 rows: (id, sort key), and their rowids third where `dialect` has them; but where
// PageSelectsWholeRows, its rows whole, BF_PAGE_ROW_COLUMNS("") and then the sort key. Empty when
// the filter can match nothing. kBadRequest "invalid_cursor" when `filter.after` is not a cursor of
// `filter.sort`. The statements name their indexes where `dialect` does (Dialect::names_indexes).
Result<std::vector<Query>> CredentialPageQueries(const std::string& org_id,
                                                 const CredentialFilter& filter,
                                                 const Dialect& dialect);
// The cursor that continues a list in `sort` after the row (`key`, `id`); `key` is nullopt for
// an undated credential.
std::string EncodeCursor(CredentialSort sort, const std::optional<std::string>& key,
                         const std::string& id);
// Binds `args` to ?1, ?2, … of `stmt`.
void BindAll(Stmt& stmt, const std::vector<SqlValue>& args);

// ?1 org_id, ?2 today's month (YYYY-MM), ?3 the month of today + expiring_soon_days, ?4 the
// first day of ?2 and ?5 today, ?6 the first day of ?3 and ?7 today + expiring_soon_days
// (dates as YYYY-MM-DD).
extern const char kSummarizeCredentials[];

// The rows of a list page that are not a holder's (CredentialPageQueries selects those whole):
// ?1 org_id, ?2 a JSON array of credential rowids (Dialect::rowids: the key queries select them
// third) or ids. And the files of the latest versions of any page: ?1 org_id, ?2 a JSON object
// of credential id: version. As `dialect` reads JSON.
const char* FindCredentialsSql(const Dialect& dialect);
const char* PageMediaSql(const Dialect& dialect);

// `text` as a JSON string appended to `out`, for the arrays of ids these statements take.
void AppendJsonString(std::string& out, std::string_view text);

// The credentials `c` a JSON array bound to ?2 names, as each dialect reads one: their rowids
// on SQLite (Dialect::rowids), their ids on PostgreSQL. On SQLite, CROSS JOIN keeps the array
// the outer loop: without statistics SQLite would otherwise walk the organisation's credentials
// (all of them) and test each against the list.
#define BF_JSON_ROWIDS_JOIN_CREDENTIALS_SQLITE \
  " FROM json_each(?2) p CROSS JOIN credentials c ON c.rowid = p.value"
#define BF_JSON_IDS_JOIN_CREDENTIALS_POSTGRES \
  " FROM json_array_elements_text(?2::json) p(value) JOIN credentials c ON c.id = p.value"

}  // namespace bf::sql
