#include "service/requirement_notices.h"

#include <algorithm>
#include <unordered_map>

#include "service/notices.h"

namespace bf {
namespace {

std::string Html(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

bool Has(const std::vector<std::string>& list, const std::string& id) {
  return list.empty() || std::find(list.begin(), list.end(), id) != list.end();
}

// "First aid or CPR: missing" for each requirement the user misses.
NoticeText MissingNotice(const Group& group, const std::string& user_name,
                         const std::vector<std::string>& lines, const Organization& org,
                         const std::string& public_url) {
  NoticeText n;
  n.kind = kRequirementNoticeKind;
  n.title = "Credentials needed for " + group.name;
  n.body = group.name + " requires: ";
  for (size_t i = 0; i < lines.size(); ++i) n.body += (i ? "; " : "") + lines[i];
  n.body += ".";
  const std::string link = public_url + "/my-credentials";
  n.email_text = "Hello " + user_name + ",\n\n" + n.body + "\n\nAdd them here: " + link +
                 "\n\n-- \nBonafides, " + org.name + ".\n";
  std::string html = "<!DOCTYPE html>\n<html><body style=\"font-family: sans-serif\">\n<p>Hello " +
                     Html(user_name) + ",</p>\n<p>" + Html(group.name) + " requires:</p>\n<ul>\n";
  for (const std::string& line : lines) html += "<li>" + Html(line) + "</li>\n";
  html += "</ul>\n<p><a href=\"" + Html(link) + "\">Add them</a></p>\n<p style=\"color: #666\">" +
          Html("Bonafides, " + org.name + ".") + "</p>\n</body></html>\n";
  n.email_html = std::move(html);
  return n;
}

}  // namespace

Status SendRequirementNotices(UnitOfWork& uow, const ServiceContext& ctx, const Organization& org,
                              const Group& group, const std::vector<std::string>& user_ids,
                              const std::vector<std::string>& requirement_ids,
                              const ComplianceDay& day) {
  BF_ASSIGN_OR_RETURN(GroupEvaluation e, EvaluateGroupMembers(uow, org.id, group.id, day));
  if (e.requirements.empty()) return Ok();
  BF_ASSIGN_OR_RETURN(auto types, uow.ListCredentialTypes(org.id, ""));
  std::unordered_map<std::string, std::string> names;
  for (const CredentialType& t : types) names[t.id] = t.name;
  const Timestamp now = ctx.clock.Now();
  for (const MatrixRow& row : e.rows) {
    if (!row.member.active || !Has(user_ids, row.member.user_id)) continue;
    std::vector<std::string> lines;
    for (size_t i = 0; i < e.requirements.size(); ++i) {
      const Requirement& r = e.requirements[i];
      const RequirementResult& result = row.compliance.requirements[i];
      if (!Has(requirement_ids, r.id) || result.Satisfied()) continue;
      BF_ASSIGN_OR_RETURN(bool claimed, uow.ClaimRequirementNotice(r.id, row.member.user_id,
                                                                   r.types_revision, now));
      if (!claimed) continue;
      std::string line;
      for (const std::string& id : r.credential_type_ids) {
        line += (line.empty() ? "" : " or ") + names[id];
      }
      line += " (" +
              std::string(ComplianceReasonName(result.reason.value_or(ComplianceReason::kMissing)));
      if (result.grace_until) line += ", due by " + FormatIsoDate(*result.grace_until);
      line += ")";
      lines.push_back(std::move(line));
    }
    if (lines.empty()) continue;
    NoticeText notice =
        MissingNotice(group, row.member.name, lines, org, ctx.options.notify.public_url);
    BF_ASSIGN_OR_RETURN(NotificationSettings settings,
                        SettingsOrDefaults(uow, org.id, row.member.user_id));
    if (settings.in_app) {
      BF_ASSIGN_OR_RETURN(std::string id,
                          WriteInApp(uow, ctx, org.id, row.member.user_id, "", notice));
      BF_RETURN_IF_ERROR(LogSent(uow, now, org.id, id, row.member.user_id, row.member.name, "",
                                 notice.kind, Channel::kInApp, notice.title));
    }
    if (settings.email && ctx.options.notify.email_enabled && !row.member.email.empty()) {
      BF_ASSIGN_OR_RETURN(
          bool queued,
          QueueEmail(uow, ctx, org.id, row.member.user_id, row.member.email, "", notice,
                     "requirement:" + group.id + ":" + row.member.user_id + ":" +
                         std::to_string(ToMillis(now))));
      (void)queued;
    }
  }
  return Ok();
}

}  // namespace bf
