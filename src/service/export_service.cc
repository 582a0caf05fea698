#include "service/export_service.h"

#include "core/csv.h"
#include "domain/credential_csv.h"
#include "domain/permissions.h"

namespace bf {
namespace {

constexpr int kExportPage = 500;           // rows a read transaction of an export reads
constexpr size_t kFlushBytes = 64 * 1024;  // an export writes in pieces of about this size

std::vector<std::string> CredentialRow(const CredentialView& view) {
  const Credential& c = view.credential;
  const CredentialVersion& v = c.latest;
  return {c.user.email,
          c.type_name,
          FormatIsoDate(v.issue_date),
          v.expiry_date ? FormatIsoDate(*v.expiry_date) : "",
          v.credential_number,
          c.id,
          std::string(ExpiryStatusName(view.expiry_status)),
          std::string(ApprovalStatusName(v.approval_status)),
          std::to_string(v.version),
          c.archived ? "true" : "false",
          c.user.name,
          FormatTimestamp(c.updated_at)};
}

std::string ChangesText(const std::vector<Change>& changes) {
  std::string out;
  for (const Change& c : changes) {
    if (!out.empty()) out += "; ";
    out += c.field + ": ";
    if (c.old_value) out += *c.old_value + " → ";
    out += c.new_value.value_or("(none)");
  }
  return out;
}

std::vector<std::string> ActivityRowFields(const Activity& a) {
  return {a.id,
          FormatTimestamp(a.at),
          a.actor_id,
          a.actor_name,
          a.action,
          a.entity,
          a.entity_id,
          a.subject_user_id,
          a.subject_user_name,
          a.credential_id,
          a.version > 0 ? std::to_string(a.version) : "",
          ChangesText(a.changes)};
}

}  // namespace

const std::vector<std::string_view>& ActivityCsvColumns() {
  static const std::vector<std::string_view> columns = {
      "id",      "at",        "actor_id",        "actor_name",        "action",
      "entity",  "entity_id", "subject_user_id", "subject_user_name", "credential_id",
      "version", "changes"};
  return columns;
}

ExportService::ExportService(ServiceContext ctx) : credentials_(ctx), activity_(ctx) {}

Result<ExportService::Export> ExportService::ExportCredentials(const Actor& actor,
                                                               CredentialQuery query) {
  if (!actor.Can(Permission::kCredentialsManage))
    return Forbidden("the export needs credentials.manage");
  query.limit = kExportPage;
  query.after.clear();
  BF_ASSIGN_OR_RETURN(CredentialListView first, credentials_.List(actor, query));
  return Export(
      [this, actor, query, first = std::move(first)](const ByteSink& out) mutable -> Status {
        std::string buffer = CsvHeader(CsvExportColumns());
        CredentialListView page = std::move(first);
        for (;;) {
          for (const CredentialView& view : page.items) {
            AppendCsvRecord(buffer, CredentialRow(view));
            if (buffer.size() >= kFlushBytes) {
              BF_RETURN_IF_ERROR(out(buffer));
              buffer.clear();
            }
          }
          if (page.next_after.empty()) break;
          query.after = page.next_after;
          BF_ASSIGN_OR_RETURN(page, credentials_.List(actor, query));
        }
        return out(buffer);
      });
}

Result<ExportService::Export> ExportService::ExportActivity(const Actor& actor,
                                                            ActivityFilter filter) {
  if (!actor.Can(Permission::kCredentialsManage)) {
    return Forbidden("the activity log needs credentials.manage");
  }
  filter.limit = kExportPage;
  filter.before_seq.reset();
  BF_ASSIGN_OR_RETURN(std::vector<ActivityRow> first, activity_.List(actor, filter));
  return Export(
      [this, actor, filter, first = std::move(first)](const ByteSink& out) mutable -> Status {
        std::string buffer = CsvHeader(ActivityCsvColumns());
        std::vector<ActivityRow> page = std::move(first);
        for (;;) {
          for (const ActivityRow& row : page) {
            AppendCsvRecord(buffer, ActivityRowFields(row.activity));
            if (buffer.size() >= kFlushBytes) {
              BF_RETURN_IF_ERROR(out(buffer));
              buffer.clear();
            }
          }
          if (page.size() < static_cast<size_t>(kExportPage)) break;
          filter.before_seq = page.back().seq;
          BF_ASSIGN_OR_RETURN(page, activity_.List(actor, filter));
        }
        return out(buffer);
      });
}

}  // namespace bf
