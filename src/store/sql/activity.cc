// The activity log: append-only entries, each with its changed fields, read newest first.
#include <cstdint>
#include <limits>
#include <string>

#include "store/sql/unit_of_work.h"

namespace bf::sql {
namespace {

constexpr char kInsertActivity[] =
    "INSERT INTO activity (id, org_id, at, actor_id, actor_name, action, entity, entity_id,"
    " subject_user_id, subject_user_name, credential_id, version)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING seq";

constexpr char kInsertChange[] =
    "INSERT INTO activity_changes (activity_seq, position, field, old_value, new_value)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";

// ?2..?5: '' or the exact value. since/until/before_seq are always bound (the widest bounds
// when absent), so `seq < ?8` stays a range on activity_by_org (org_id, seq).
#define BF_SELECT_ACTIVITY                                                       \
  "SELECT seq, id, org_id, at, actor_id, actor_name, action, entity, entity_id," \
  " subject_user_id, subject_user_name, credential_id, version"                  \
  " FROM activity"

#define BF_ACTIVITY_FILTERS                \
  " AND (?2 = '' OR actor_id = ?2)"        \
  " AND (?3 = '' OR credential_id = ?3)"   \
  " AND (?4 = '' OR subject_user_id = ?4)" \
  " AND (?5 = '' OR action = ?5)"          \
  " AND at >= ?6 AND at < ?7"              \
  " AND seq < ?8"                          \
  " ORDER BY seq DESC LIMIT ?9"

constexpr char kListActivity[] = BF_SELECT_ACTIVITY " WHERE org_id = ?1" BF_ACTIVITY_FILTERS;

// One credential's history (?3 set; ?10: a version, or 0 for all). Its entries are few, so
// they are found by activity_by_credential and sorted. An engine that names indexes
// (Dialect::names_indexes) says so: left to itself, SQLite would walk the organisation's whole
// log along activity_by_org for the order.
#define BF_CREDENTIAL_ACTIVITY(INDEX)                                        \
  BF_SELECT_ACTIVITY INDEX                                                   \
      " WHERE credential_id = ?3 AND org_id = ?1 AND (?10 = 0 OR version = " \
      "?10)" BF_ACTIVITY_FILTERS
constexpr char kListCredentialActivity[] = BF_CREDENTIAL_ACTIVITY("");
constexpr char kListCredentialActivityIndexed[] =
    BF_CREDENTIAL_ACTIVITY(" INDEXED BY activity_by_credential");

#undef BF_SELECT_ACTIVITY
#undef BF_ACTIVITY_FILTERS
#undef BF_CREDENTIAL_ACTIVITY

constexpr char kListChanges[] =
    "SELECT field, old_value, new_value FROM activity_changes"
    " WHERE activity_seq = ?1 ORDER BY position";

// Columns as selected by kListActivity; changes are read separately.
ActivityRow ActivityFromRow(const Stmt& row) {
  ActivityRow out;
  out.seq = row.Int(0);
  Activity& a = out.activity;
  a.id = row.Text(1);
  a.org_id = row.Text(2);
  a.at = FromMillis(row.Int(3));
  a.actor_id = row.Text(4);  // NULL reads as ""
  a.actor_name = row.Text(5);
  a.action = row.Text(6);
  a.entity = row.Text(7);
  a.entity_id = row.Text(8);
  a.subject_user_id = row.Text(9);
  a.subject_user_name = row.Text(10);
  a.credential_id = row.Text(11);
  a.version = static_cast<int>(row.Int(12));  // NULL reads as 0
  return out;
}

// Columns as selected by kListChanges.
Change ChangeFromRow(const Stmt& row) {
  return Change{row.Text(0), row.OptText(1), row.OptText(2)};
}

}  // namespace

Status SqlUnitOfWork::AppendActivity(const Activity& entry) {
  BF_ASSIGN_OR_RETURN(auto stmt, conn_->Prepare(kInsertActivity));
  stmt.Bind(1, entry.id)
      .Bind(2, entry.org_id)
      .Bind(3, ToMillis(entry.at))
      .BindOrNull(4, entry.actor_id)
      .Bind(5, entry.actor_name)
      .Bind(6, entry.action)
      .Bind(7, entry.entity)
      .Bind(8, entry.entity_id)
      .BindOrNull(9, entry.subject_user_id)
      .BindOrNull(10, entry.subject_user_name)
      .BindOrNull(11, entry.credential_id);
  if (entry.version == 0) {
    stmt.Bind(12, std::nullopt);
  } else {
    stmt.Bind(12, entry.version);
  }
  BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Internal("INSERT INTO activity returned no seq");
  const int64_t seq = stmt.Int(0);

  for (size_t i = 0; i < entry.changes.size(); ++i) {
    const Change& change = entry.changes[i];
    BF_ASSIGN_OR_RETURN(auto insert, conn_->Prepare(kInsertChange));
    insert.Bind(1, seq)
        .Bind(2, static_cast<int64_t>(i))
        .Bind(3, change.field)
        .Bind(4, change.old_value)
        .Bind(5, change.new_value);
    BF_RETURN_IF_ERROR(insert.Run());
  }
  return Ok();
}

Result<std::vector<ActivityRow>> SqlUnitOfWork::ListActivity(const std::string& org_id,
                                                             const ActivityFilter& filter) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  std::vector<ActivityRow> rows;
  {
    const bool one_credential = !filter.credential_id.empty();
    BF_ASSIGN_OR_RETURN(auto stmt,
                        conn_->Prepare(!one_credential          ? kListActivity
                                       : dialect_.names_indexes ? kListCredentialActivityIndexed
                                                                : kListCredentialActivity));
    stmt.Bind(1, org_id)
        .Bind(2, filter.actor_id)
        .Bind(3, filter.credential_id)
        .Bind(4, filter.user_id)
        .Bind(5, filter.action)
        .Bind(6, filter.since ? ToMillis(*filter.since) : kMin)
        .Bind(7, filter.until ? ToMillis(*filter.until) : kMax)
        .Bind(8, filter.before_seq.value_or(kMax))
        .Bind(9, filter.limit);
    if (one_credential) stmt.Bind(10, filter.version);
    for (;;) {
      BF_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      rows.push_back(ActivityFromRow(stmt));
    }
  }
  // One indexed lookup per entry of the page (the primary key leads with activity_seq).
  for (ActivityRow& row : rows) {
    BF_ASSIGN_OR_RETURN(auto changes, conn_->Prepare(kListChanges));
    changes.Bind(1, row.seq);
    for (;;) {
      BF_ASSIGN_OR_RETURN(bool found, changes.Step());
      if (!found) break;
      row.activity.changes.push_back(ChangeFromRow(changes));
    }
  }
  return rows;
}

}  // namespace bf::sql
