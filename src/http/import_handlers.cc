#include "http/import_handlers.h"

#include <charconv>
#include <memory>

#include "core/ids.h"
#include "http/json_io.h"
#include "http/list_queries.h"
#include "http/multipart.h"

namespace bf::http {
namespace {

constexpr char kCsvType[] = "text/csv; charset=utf-8";

auto BadParameter(const std::string& name, const std::string& message) {
  Error e{ErrorCode::kBadRequest, "invalid_parameter", message, {}, {}};
  e.fields.push_back({name, "invalid_parameter", message});
  return tl::unexpected(std::move(e));
}

Result<bool> BoolParameter(const Context& ctx, const std::string& name) {
  auto value = ctx.Query(name);
  if (!value || value->empty() || *value == "false") return false;
  if (*value == "true") return true;
  return BadParameter(name, name + " must be true or false");
}

// The media type of a Content-Type, lower-cased, without parameters.
std::string MediaType(std::string_view content_type) {
  std::string out;
  for (char c : content_type.substr(0, content_type.find(';'))) {
    if (c == ' ' || c == '\t') continue;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
  }
  return out;
}

// What browsers and scripts send a .csv file as (Windows says vnd.ms-excel).
bool IsCsvType(std::string_view media_type) {
  return media_type == "text/csv" || media_type == "application/csv" || media_type == "text/plain" ||
         media_type == "application/vnd.ms-excel" || media_type == "application/octet-stream";
}

// The `file` field of a multipart body, read as the import asks for it: each call feeds the
// multipart reader body pieces until it has passed on some of the file (or the body ended).
class MultipartFileSource final : public MultipartHandler {
 public:
  MultipartFileSource(BodyReader& body, std::string boundary) : body_(body), reader_(std::move(boundary), *this) {}

  Result<std::string_view> Next() {
    current_.clear();
    current_.swap(pending_);
    while (current_.empty() && !ended_) {
      BF_ASSIGN_OR_RETURN(std::string_view piece, body_.Read());
      if (piece.empty()) {
        ended_ = true;
        BF_RETURN_IF_ERROR(reader_.Finish());
        if (!seen_file_) {
          return FailField("file", "required", "the multipart body has no `file` field with the CSV");
        }
        break;
      }
      BF_RETURN_IF_ERROR(reader_.Feed(piece));
      current_.swap(pending_);
    }
    return std::string_view(current_);
  }

  Status OnPartBegin(const MultipartPart& part) override {
    in_file_ = part.name == "file";
    if (in_file_ && seen_file_) {
      return FailField("file", "too_many_files", "send one file per request: the body has two `file` fields");
    }
    seen_file_ = seen_file_ || in_file_;
    return Ok();
  }
  Status OnPartData(std::string_view data) override {
    if (in_file_) pending_.append(data);
    return Ok();
  }
  Status OnPartEnd() override {
    in_file_ = false;
    return Ok();
  }

 private:
  BodyReader& body_;
  MultipartReader reader_;
  std::string pending_;  // file bytes of the last body piece (at most one piece's worth)
  std::string current_;  // what Next answered last
  bool in_file_ = false;
  bool seen_file_ = false;
  bool ended_ = false;
};

}  // namespace

boost::json::object ImportReportJson(const ImportReport& report) {
  boost::json::array errors;
  for (const ImportRowError& e : report.errors) {
    errors.push_back(boost::json::object{
        {"row", e.row},
        {"column", e.column.empty() ? boost::json::value(nullptr) : boost::json::value(e.column)},
        {"code", e.code},
        {"message", e.message}});
  }
  return {{"rows", report.rows},
          {"created", report.created},
          {"new_versions", report.new_versions},
          {"unchanged", report.unchanged},
          {"approved", report.approved},
          {"dry_run", report.dry_run},
          {"committed", report.committed},
          {"errors", std::move(errors)},
          {"errors_truncated", report.errors_truncated}};
}

namespace {

// 200 with the report, or, for a commit that found errors, 422: a problem document whose
// `errors` are the row errors and which carries the same counts.
int ReportStatus(const ImportReport& report) { return report.ok() || report.dry_run ? 200 : 422; }

Response ReportResponse(const ImportReport& report) {
  if (ReportStatus(report) == 200) return JsonResponse(200, ImportReportJson(report));
  const int64_t total = static_cast<int64_t>(report.errors.size()) + report.errors_truncated;
  boost::json::object body{
      {"type", "/problems/invalid_rows"},
      {"title", "Unprocessable Content"},
      {"status", 422},
      {"detail", "the file has " + std::to_string(total) + (total == 1 ? " error" : " errors") +
                     ": nothing was imported"},
      {"code", "invalid_rows"},
  };
  for (auto& [key, value] : ImportReportJson(report)) body[key] = value;
  Response r = JsonResponse(422, body);
  r.Set("Content-Type", "application/problem+json");
  return r;
}

void SetCounts(Response& r, const ImportReport& report) {
  r.Set("X-Import-Rows", std::to_string(report.rows));
  r.Set("X-Import-Created", std::to_string(report.created));
  r.Set("X-Import-New-Versions", std::to_string(report.new_versions));
  r.Set("X-Import-Unchanged", std::to_string(report.unchanged));
  r.Set("X-Import-Errors", std::to_string(static_cast<int64_t>(report.errors.size()) + report.errors_truncated));
  r.Set("X-Import-Committed", report.committed ? "true" : "false");
}

Response CsvDownload(std::string filename) {
  Response r;
  r.Set("Content-Type", kCsvType);
  r.Set("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  r.Set("Cache-Control", "no-store");
  return r;
}

Response StreamExport(ExportService::Export produce, std::string filename) {
  Response r = CsvDownload(std::move(filename));
  r.stream = [produce = std::move(produce)](BodyWriter& out) -> Status {
    return produce([&out](std::string_view data) { return out.Write(data); });
  };
  return r;
}

// The filters and sort of GET /api/v1/credentials; `limit` and `cursor` are not accepted (the
// export is everything).
Result<CredentialQuery> ParseExportQuery(const Context& ctx) {
  BF_RETURN_IF_ERROR(ctx.AllowQuery(
      {"user_id", "type_id", "expiry_status", "approval_status", "archived", "expiring_before", "q", "sort"}));
  return ParseCredentialFilters(ctx);
}

// The filters of GET /api/v1/activity, without limit and cursor.
Result<ActivityFilter> ParseActivityExportQuery(const Context& ctx) {
  BF_RETURN_IF_ERROR(ctx.AllowQuery({"actor_id", "credential_id", "user_id", "action", "since", "until"}));
  return ParseActivityFilters(ctx);
}

}  // namespace

Result<Response> ImportTemplate(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(ctx.AllowQuery({}));
  BF_ASSIGN_OR_RETURN(std::string csv, api.services.imports.Template(ctx.actor()));
  Response r = CsvDownload("credentials-template.csv");
  r.body = std::move(csv);
  return r;
}

Result<Response> CreateImport(Api& api, Context& ctx) {
  BF_RETURN_IF_ERROR(ctx.AllowQuery({"dry_run", "approve", "date_format", "format"}));
  ImportRequest request;
  BF_ASSIGN_OR_RETURN(request.dry_run, BoolParameter(ctx, "dry_run"));
  BF_ASSIGN_OR_RETURN(request.approve, BoolParameter(ctx, "approve"));
  if (auto format = ctx.Query("date_format"); format && !format->empty()) {
    request.date_format = ParseDateFormat(*format);
    if (!request.date_format) {
      return BadParameter("date_format", "date_format must be YYYY-MM-DD, DD/MM/YYYY or MM/DD/YYYY");
    }
  }
  const std::string format = ctx.Query("format").value_or("json");
  if (format != "json" && format != "csv") return BadParameter("format", "format must be json or csv");
  request.keep_rows = format == "csv";

  BodyReader* body = ctx.request.body_reader;
  if (body == nullptr) return Internal("the import route must be a streaming route");
  const std::string_view content_type = ctx.request.Header("Content-Type");
  ByteSource source;
  std::unique_ptr<MultipartFileSource> multipart;
  if (IsMultipartFormData(content_type)) {
    BF_ASSIGN_OR_RETURN(std::string boundary, MultipartBoundary(content_type));
    multipart = std::make_unique<MultipartFileSource>(*body, std::move(boundary));
    source = [&multipart] { return multipart->Next(); };
  } else if (IsCsvType(MediaType(content_type))) {
    source = [body] { return body->Read(); };
  } else {
    return Fail(ErrorCode::kUnsupportedMediaType, "unsupported_media_type",
                "send the CSV as text/csv, or as the multipart/form-data field `file`");
  }

  BF_ASSIGN_OR_RETURN(ImportOutcome outcome, api.services.imports.Import(ctx.actor(), request, source));
  // The import may stop reading early (past the row limit, at a bad header): read the rest so
  // that the client, still sending, gets the answer on a healthy connection.
  for (;;) {
    auto piece = body->Read();
    if (!piece || piece->empty()) break;
  }

  if (!outcome.csv) return ReportResponse(outcome.report);
  Response r = CsvDownload("import-report.csv");
  r.status = ReportStatus(outcome.report);
  SetCounts(r, outcome.report);
  r.stream = [csv = outcome.csv](BodyWriter& out) -> Status {
    return csv->Write([&out](std::string_view data) { return out.Write(data); });
  };
  return r;
}

Result<Response> ExportCredentialsCsv(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(CredentialQuery query, ParseExportQuery(ctx));
  BF_ASSIGN_OR_RETURN(auto produce, api.services.exports.ExportCredentials(ctx.actor(), std::move(query)));
  return StreamExport(std::move(produce), "credentials.csv");
}

Result<Response> ExportActivityCsv(Api& api, Context& ctx) {
  BF_ASSIGN_OR_RETURN(ActivityFilter filter, ParseActivityExportQuery(ctx));
  BF_ASSIGN_OR_RETURN(auto produce, api.services.exports.ExportActivity(ctx.actor(), std::move(filter)));
  return StreamExport(std::move(produce), "activity.csv");
}

}  // namespace bf::http
