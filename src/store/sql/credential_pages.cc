// The statements that select a page of ListCredentials (credentials.cc), built from its filter:
// which index leads, the keyset cursor, the expiry ranges and the text search.
//
// A page is selected as (id, sort key) from credential rows; ListCredentials then reads those
// rows, their joins and their files in one statement each, so the joins run for the page and
// not for every row a sort has to consider. A holder's list is the exception: its statements
// select the rows whole, from an index that holds every column they show (migration 0013). A
// holder has few credentials, so the type join runs for few rows, and the page is one range
// scan instead of a seek into the table for every row.
//
// Cursors are "<sort>\x1f<key>\x1f<id>": the sort they belong to, the last row's sort key and
// its id. The key of an undated credential in an expiry sort is empty (a date never is).
#include <algorithm>
#include <charconv>
#include <string>
#include <string_view>
#include <variant>

#include "domain/validation.h"
#include "store/sql/credential_queries.h"
#include "store/sql/sql_util.h"

namespace bf::sql {
namespace {

constexpr char kCursorSeparator = '\x1f';

std::string_view SortName(CredentialSort sort) {
  switch (sort) {
    case CredentialSort::kExpiryDate:
      return "expiry_date";
    case CredentialSort::kExpiryDateDesc:
      return "-expiry_date";
    case CredentialSort::kUpdatedAt:
      return "updated_at";
    case CredentialSort::kUpdatedAtDesc:
      return "-updated_at";
    case CredentialSort::kUserName:
      return "user_name";
  }
  return "";
}

bool IsExpirySort(CredentialSort sort) {
  return sort == CredentialSort::kExpiryDate || sort == CredentialSort::kExpiryDateDesc;
}

// The keyset position `after` names. `key` is nullopt for an undated credential.
struct Cursor {
  std::optional<SqlValue> key;
  std::string id;
};

Result<std::optional<Cursor>> DecodeCursor(const CredentialFilter& filter) {
  if (filter.after.empty()) return std::nullopt;
  auto invalid = [] {
    return Fail(ErrorCode::kBadRequest, "invalid_cursor", "the cursor is not one of this list");
  };
  std::string_view text = filter.after;
  const size_t first = text.find(kCursorSeparator);
  const size_t last = text.rfind(kCursorSeparator);
  if (first == std::string_view::npos || first == last) return invalid();
  std::string_view key = text.substr(first + 1, last - first - 1);
  Cursor cursor{std::nullopt, std::string(text.substr(last + 1))};
  if (text.substr(0, first) != SortName(filter.sort) || cursor.id.empty()) return invalid();

  switch (filter.sort) {
    case CredentialSort::kExpiryDate:
    case CredentialSort::kExpiryDateDesc:
      if (key.empty()) break;
      if (!ParseIsoDate(key)) return invalid();
      cursor.key = std::string(key);
      break;
    case CredentialSort::kUpdatedAt:
    case CredentialSort::kUpdatedAtDesc: {
      int64_t ms = 0;
      auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), ms);
      if (key.empty() || ec != std::errc() || end != key.data() + key.size()) return invalid();
      cursor.key = ms;
      break;
    }
    case CredentialSort::kUserName:
      cursor.key = std::string(key);
      break;
  }
  return cursor;
}

// The ranges sorted, without empty ones, and merged where they overlap or touch, so that the
// usual pairs of statuses (expired + expiring soon, expiring soon + valid) are one index range.
std::vector<DateRange> MergeRanges(std::vector<DateRange> ranges) {
  std::erase_if(ranges, [](const DateRange& r) { return r.from && r.to && *r.from > *r.to; });
  std::sort(ranges.begin(), ranges.end(), [](const DateRange& a, const DateRange& b) {
    return a.from.has_value() != b.from.has_value() ? !a.from.has_value()
                                                    : a.from.has_value() && *a.from < *b.from;
  });
  std::vector<DateRange> merged;
  for (const DateRange& r : ranges) {
    if (!merged.empty()) {
      DateRange& last = merged.back();
      if (!last.to || !r.from || *r.from <= *last.to + date::days{1}) {
        last.to = (last.to && r.to) ? std::optional<Date>(std::max(*last.to, *r.to)) : std::nullopt;
        continue;
      }
    }
    merged.push_back(r);
  }
  return merged;
}

// The expiry sorts walk dated credentials in index order, then undated ones by id (NULLs
// last in both directions); the other sorts are one walk.
enum class Phase { kAll, kDated, kUndated };

// How one phase orders its rows and resumes after a cursor.
struct Order {
  const char* key;  // selected beside the id; the cursor's key
  const char* order_by;
  const char* after;  // binds (key, id); (id) alone in the undated phase
};

Order OrderOf(CredentialSort sort, Phase phase) {
  const bool desc = sort == CredentialSort::kExpiryDateDesc;
  if (phase == Phase::kUndated) {
    return desc ? Order{"NULL", " ORDER BY c.id DESC", " AND c.id < ?"}
                : Order{"NULL", " ORDER BY c.id", " AND c.id > ?"};
  }
  switch (sort) {
    case CredentialSort::kExpiryDate:
      return {"c.expiry_date", " ORDER BY c.expiry_date, c.id",
              " AND (c.expiry_date, c.id) > (?, ?)"};
    case CredentialSort::kExpiryDateDesc:
      return {"c.expiry_date", " ORDER BY c.expiry_date DESC, c.id DESC",
              " AND (c.expiry_date, c.id) < (?, ?)"};
    case CredentialSort::kUpdatedAt:
      return {"c.updated_at", " ORDER BY c.updated_at, c.id", " AND (c.updated_at, c.id) > (?, ?)"};
    case CredentialSort::kUpdatedAtDesc:
      return {"c.updated_at", " ORDER BY c.updated_at DESC, c.id DESC",
              " AND (c.updated_at, c.id) < (?, ?)"};
    case CredentialSort::kUserName:
      return {"u.name_key", " ORDER BY u.name_key, c.id", " AND (u.name_key, c.id) > (?, ?)"};
  }
  return {};
}

// Appends fixed fragments of SQL and binds values to the `?`s they bring: values never enter
// the text, so a statement's text depends only on which filters are present and the
// connection prepares each such shape once.
class QueryBuilder {
 public:
  QueryBuilder& Add(std::string_view fragment, std::initializer_list<SqlValue> values = {}) {
    query_.sql += fragment;
    query_.args.insert(query_.args.end(), values);
    return *this;
  }
  Query Take() { return std::move(query_); }

 private:
  Query query_;
};

// The FROM clause. An engine that plans from statistics (PostgreSQL) gets the plain source;
// sorted by holder, the users join in. Without statistics (SQLite: the database is never
// ANALYZEd) the planner rates `archived = ?` as selective as `user_id = ?`, prefers the index
// that yields the sort order and then walks the whole organisation to find one holder's
// credentials. So where the dialect names indexes, the filters that narrow most name theirs: a
// holder's or a type's credentials, or the pending and rejected ones, are few enough to sort.
// Without them, the sort's own index leads; sorted by holder, the users lead in name order.
// A holder's credentials come in expiry order from credentials_by_holder (migration 0011), which
// holds all their columns (0013).
void AddSource(QueryBuilder& q, const CredentialFilter& filter, const Dialect& dialect) {
  const bool by_name = filter.sort == CredentialSort::kUserName;
  const bool few_approvals =
      !filter.approval.empty() &&
      std::all_of(filter.approval.begin(), filter.approval.end(), [](ApprovalStatus s) {
        return s == ApprovalStatus::kPending || s == ApprovalStatus::kRejected;
      });
  if (!dialect.names_indexes) {
    q.Add(" FROM credentials c");
  } else if (!filter.user_id.empty()) {
    q.Add(" FROM credentials c INDEXED BY credentials_by_holder");
  } else if (!filter.type_id.empty()) {
    q.Add(" FROM credentials c INDEXED BY credentials_summary");
  } else if (few_approvals) {
    q.Add(" FROM credentials c INDEXED BY credentials_by_approval");
  } else if (by_name && !filter.by_expiry) {
    q.Add(
        " FROM users u CROSS JOIN credentials c INDEXED BY credentials_by_user"
        " ON c.org_id = u.org_id AND c.user_id = u.id");
    return;
  } else {
    q.Add(" FROM credentials c");
  }
  if (by_name) q.Add(" JOIN users u ON u.id = c.user_id");
}

// `ranges` (merged) ORed, and undated credentials when `or_undated`.
void AddExpiryRanges(QueryBuilder& q, const std::vector<DateRange>& ranges, bool or_undated) {
  const char* separator = "";
  q.Add(" AND (");
  for (const DateRange& r : ranges) {
    q.Add(separator);
    separator = " OR ";
    if (r.from && r.to) {
      q.Add("(c.expiry_date >= ? AND c.expiry_date <= ?)",
            {FormatIsoDate(*r.from), FormatIsoDate(*r.to)});
    } else if (r.from) {
      q.Add("c.expiry_date >= ?", {FormatIsoDate(*r.from)});
    } else if (r.to) {
      q.Add("c.expiry_date <= ?", {FormatIsoDate(*r.to)});
    } else {
      q.Add("c.expiry_date IS NOT NULL");
    }
  }
  if (or_undated) q.Add(separator).Add("c.expiry_date IS NULL");
  q.Add(")");
}

Query PageQuery(const std::string& org_id, const CredentialFilter& filter,
                const std::vector<DateRange>& ranges, Phase phase,
                const std::optional<Cursor>& cursor, const Dialect& dialect) {
  const Order order = OrderOf(filter.sort, phase);
  QueryBuilder q;
  const bool whole_rows = PageSelectsWholeRows(filter);
  q.Add(whole_rows ? "SELECT " BF_PAGE_ROW_COLUMNS("") ", " : "SELECT c.id, ").Add(order.key);
  if (dialect.rowids && !whole_rows) q.Add(", c.rowid");
  AddSource(q, filter, dialect);
  if (whole_rows) q.Add(BF_PAGE_ROW_JOINS);
  q.Add(" WHERE c.org_id = ?", {org_id});
  if (filter.archived) {
    q.Add(" AND c.archived = ?", {int64_t{*filter.archived ? 1 : 0}});
  } else {
    q.Add(" AND c.archived IN (0, 1)");  // keeps the indexes that lead with (org_id, archived)
  }
  if (!filter.user_id.empty()) q.Add(" AND c.user_id = ?", {filter.user_id});
  if (!filter.type_id.empty()) q.Add(" AND c.type_id = ?", {filter.type_id});
  if (!filter.approval.empty()) {
    const char* separator = " AND c.approval_status IN (";
    for (ApprovalStatus s : filter.approval) {
      q.Add(separator).Add("?", {std::string(ApprovalStatusName(s))});
      separator = ", ";
    }
    q.Add(")");
  }
  switch (phase) {
    case Phase::kAll:
      if (filter.by_expiry) AddExpiryRanges(q, ranges, filter.no_expiry);
      break;
    case Phase::kDated:
      q.Add(" AND c.expiry_date IS NOT NULL");
      if (filter.by_expiry) AddExpiryRanges(q, ranges, false);
      break;
    case Phase::kUndated:
      q.Add(" AND c.expiry_date IS NULL");
      break;
  }
  if (!filter.q.empty()) {
    const std::string pattern = ContainsPattern(Lower(filter.q));
    q.Add(
        " AND (c.number_key LIKE ? ESCAPE '\\'"
        " OR c.user_id IN (SELECT id FROM users WHERE org_id = ?"
        " AND (name_key LIKE ? ESCAPE '\\' OR email_key LIKE ? ESCAPE '\\'))"
        " OR c.type_id IN (SELECT id FROM credential_types WHERE org_id = ?"
        " AND name_key LIKE ? ESCAPE '\\'))",
        {pattern, org_id, pattern, pattern, org_id, pattern});
  }
  if (cursor) {
    if (phase == Phase::kUndated) {
      q.Add(order.after, {cursor->id});
    } else {
      q.Add(order.after, {*cursor->key, cursor->id});
    }
  }
  q.Add(order.order_by).Add(" LIMIT ?", {int64_t{std::max(filter.limit, 1)} + 1});
  return q.Take();
}

}  // namespace

std::string EncodeCursor(CredentialSort sort, const std::optional<std::string>& key,
                         const std::string& id) {
  std::string out(SortName(sort));
  out += kCursorSeparator;
  out += key.value_or("");
  out += kCursorSeparator;
  out += id;
  return out;
}

void BindAll(Stmt& stmt, const std::vector<SqlValue>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::visit([&](const auto& v) { stmt.Bind(static_cast<int>(i + 1), v); }, args[i]);
  }
}

Result<std::vector<Query>> CredentialPageQueries(const std::string& org_id,
                                                 const CredentialFilter& filter,
                                                 const Dialect& dialect) {
  BF_ASSIGN_OR_RETURN(std::optional<Cursor> cursor, DecodeCursor(filter));
  const std::vector<DateRange> ranges = MergeRanges(filter.expiry_ranges);
  std::vector<Query> queries;
  if (!IsExpirySort(filter.sort)) {
    if (filter.by_expiry && ranges.empty() && !filter.no_expiry) return queries;
    queries.push_back(PageQuery(org_id, filter, ranges, Phase::kAll, cursor, dialect));
    return queries;
  }
  // A cursor on an undated credential has left the dated ones behind; the undated walk starts
  // from its beginning after the dated one.
  const bool in_undated = cursor && !cursor->key;
  if (!in_undated && (!filter.by_expiry || !ranges.empty())) {
    queries.push_back(PageQuery(org_id, filter, ranges, Phase::kDated, cursor, dialect));
  }
  if (!filter.by_expiry || filter.no_expiry) {
    queries.push_back(PageQuery(org_id, filter, ranges, Phase::kUndated,
                                in_undated ? cursor : std::nullopt, dialect));
  }
  return queries;
}

}  // namespace bf::sql
