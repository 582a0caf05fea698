#include "service/notices.h"

#include "core/ids.h"
#include "service/activity.h"

namespace bf {
namespace {

// Text for an HTML element or attribute value.
std::string Html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
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

std::string InDays(int64_t days) {
  if (days <= 0) return "today";
  if (days == 1) return "tomorrow";
  return "in " + std::to_string(days) + " days";
}

// The plain and HTML forms of one email: a greeting, paragraphs, a table of facts and a link.
struct EmailParts {
  std::string greeting_name;
  std::vector<std::string> paragraphs;
  std::vector<std::pair<std::string, std::string>> facts;
  std::string link_label;
  std::string link;
  std::string footer;
};

void RenderEmail(const EmailParts& p, NoticeText& out) {
  std::string text = "Hello " + p.greeting_name + ",\n\n";
  std::string html = "<!DOCTYPE html>\n<html><body style=\"font-family: sans-serif\">\n<p>Hello " +
                     Html(p.greeting_name) + ",</p>\n";
  for (const std::string& para : p.paragraphs) {
    text += para + "\n\n";
    html += "<p>" + Html(para) + "</p>\n";
  }
  if (!p.facts.empty()) {
    html += "<table>\n";
    for (const auto& [label, value] : p.facts) {
      text += label + ": " + value + "\n";
      html += "<tr><th align=\"left\">" + Html(label) + "</th><td>" + Html(value) + "</td></tr>\n";
    }
    html += "</table>\n";
    text += "\n";
  }
  if (!p.link.empty()) {
    text += p.link_label + ": " + p.link + "\n\n";
    html += "<p><a href=\"" + Html(p.link) + "\">" + Html(p.link_label) + "</a></p>\n";
  }
  text += "-- \n" + p.footer + "\n";
  html += "<p style=\"color: #666\">" + Html(p.footer) + "</p>\n</body></html>\n";
  out.email_text = std::move(text);
  out.email_html = std::move(html);
}

std::vector<std::pair<std::string, std::string>> CredentialFacts(const std::string& type_name,
                                                                 const std::string& holder,
                                                                 const std::string& number,
                                                                 const std::string& expiry) {
  std::vector<std::pair<std::string, std::string>> facts = {{"Credential", type_name},
                                                            {"Holder", holder}};
  if (!number.empty()) facts.emplace_back("Number", number);
  if (!expiry.empty()) facts.emplace_back("Expiry date", expiry);
  return facts;
}

void AddListHtml(std::string& html, std::string& text, const std::string& heading, int64_t count,
                 const std::vector<Credential>& items, const Organization& org,
                 const std::string& public_url) {
  text += heading + " (" + std::to_string(count) + ")\n";
  html += "<h3>" + Html(heading) + " (" + std::to_string(count) + ")</h3>\n<ul>\n";
  for (const Credential& c : items) {
    std::string expiry = c.latest.expiry_date ? FormatDate(*c.latest.expiry_date, org.date_format)
                                              : std::string("no expiry");
    std::string line = c.type_name + " — " + c.user.name + " — " + expiry;
    std::string link = CredentialLink(public_url, c.id);
    text += "  - " + line + "  " + link + "\n";
    html += "<li><a href=\"" + Html(link) + "\">" + Html(c.type_name) + "</a> — " +
            Html(c.user.name) + " — " + Html(expiry) + "</li>\n";
  }
  if (count > static_cast<int64_t>(items.size())) {
    std::string more =
        "and " + std::to_string(count - static_cast<int64_t>(items.size())) + " more";
    text += "  " + more + "\n";
    html += "<li>" + Html(more) + "</li>\n";
  }
  text += "\n";
  html += "</ul>\n";
}

}  // namespace

std::string CredentialLink(const std::string& public_url, const std::string& credential_id) {
  std::string base = public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/credentials/" + credential_id;
}

NoticeText ReminderNotice(const ReminderCandidate& c, int lead_days, Date today,
                          const Organization& org, const std::string& public_url) {
  NoticeText n;
  n.kind = std::string(ReminderKind(lead_days));
  const std::string expiry = FormatDate(c.expiry, org.date_format);
  const int64_t days_left = (c.expiry - today).count();
  std::string sentence;
  if (lead_days == kOnExpiryLead) {
    if (days_left >= 0) {
      n.title = c.type_name + " expires today (" + expiry + ")";
      sentence = "Your " + c.type_name + " expires today, " + expiry + ".";
    } else {
      n.title = c.type_name + " expired on " + expiry;
      sentence = "Your " + c.type_name + " expired on " + expiry + ".";
    }
  } else {
    n.title = c.type_name + " expires " + InDays(days_left) + " (" + expiry + ")";
    sentence = "Your " + c.type_name + " expires " + InDays(days_left) + ", on " + expiry + ".";
  }
  n.body = sentence + " Add the renewed version to keep it current.";
  EmailParts parts;
  parts.greeting_name = c.user_name;
  parts.paragraphs = {sentence, "Add the renewed version in Bonafides to keep it current."};
  parts.facts = CredentialFacts(c.type_name, c.user_name, c.credential_number, expiry);
  parts.link_label = "Open the credential";
  parts.link = CredentialLink(public_url, c.credential_id);
  parts.footer =
      "Bonafides, " + org.name +
      ". You get this email because expiry reminders are on in your notification settings.";
  RenderEmail(parts, n);
  return n;
}

NoticeText DecisionNotice(const Credential& c, const Notification& in_app, const Organization& org,
                          const std::string& public_url) {
  NoticeText n;
  n.kind = in_app.kind;
  n.title = in_app.title;
  n.body = in_app.body;
  EmailParts parts;
  parts.greeting_name = c.user.name;
  parts.paragraphs = {in_app.title + ".", in_app.body};
  std::string expiry =
      c.latest.expiry_date ? FormatDate(*c.latest.expiry_date, org.date_format) : std::string();
  parts.facts = CredentialFacts(c.type_name, c.user.name, c.latest.credential_number, expiry);
  parts.facts.emplace_back("Version", std::to_string(c.latest.version));
  parts.link_label = "Open the credential";
  parts.link = CredentialLink(public_url, c.id);
  parts.footer = "Bonafides, " + org.name + ".";
  RenderEmail(parts, n);
  return n;
}

NoticeText DigestNotice(const DigestContent& d, const User& manager, Date today,
                        const Organization& org, const std::string& public_url) {
  NoticeText n;
  n.kind = "digest";
  const std::string day = FormatDate(today, org.date_format);
  n.title = "Daily digest for " + day + ": " + std::to_string(d.pending) + " pending, " +
            std::to_string(d.expired) + " expired, " + std::to_string(d.expiring_soon) +
            " expiring soon";
  n.body = std::to_string(d.pending) + " credentials wait for approval, " +
           std::to_string(d.expired) + " have expired and " + std::to_string(d.expiring_soon) +
           " expire soon in " + org.name + ".";
  std::string text =
      "Hello " + manager.name + ",\n\nThe credentials of " + org.name + " on " + day + ":\n\n";
  std::string html = "<!DOCTYPE html>\n<html><body style=\"font-family: sans-serif\">\n<p>Hello " +
                     Html(manager.name) + ",</p>\n<p>The credentials of " + Html(org.name) +
                     " on " + Html(day) + ":</p>\n";
  AddListHtml(html, text, "Pending approval", d.pending, d.pending_items, org, public_url);
  AddListHtml(html, text, "Expired", d.expired, d.expired_items, org, public_url);
  AddListHtml(html, text, "Expiring soon", d.expiring_soon, d.expiring_items, org, public_url);
  if (!d.group_denies.empty()) {
    text += "Groups with people who may not start work:\n";
    html += "<p>Groups with people who may not start work:</p>\n<ul>\n";
    for (const auto& [name, deny] : d.group_denies) {
      text += "  " + name + ": " + std::to_string(deny) + " deny\n";
      html += "<li>" + Html(name) + ": " + std::to_string(deny) + " deny</li>\n";
    }
    text += "\n";
    html += "</ul>\n";
    n.body += " In groups: ";
    for (size_t i = 0; i < d.group_denies.size(); ++i) {
      n.body += (i ? ", " : "") + d.group_denies[i].first + " " +
                std::to_string(d.group_denies[i].second) + " deny";
    }
    n.body += ".";
  }
  std::string footer = "Bonafides, " + org.name +
                       ". You get this digest because it is on in your notification settings.";
  text += "-- \n" + footer + "\n";
  html += "<p style=\"color: #666\">" + Html(footer) + "</p>\n</body></html>\n";
  n.email_text = std::move(text);
  n.email_html = std::move(html);
  return n;
}

Result<NotificationSettings> SettingsOrDefaults(UnitOfWork& uow, const std::string& org_id,
                                                const std::string& user_id) {
  BF_ASSIGN_OR_RETURN(auto found, uow.FindNotificationSettings(org_id, user_id));
  if (found) return *found;
  NotificationSettings defaults;
  defaults.user_id = user_id;
  defaults.org_id = org_id;
  return defaults;
}

Result<std::string> WriteInApp(UnitOfWork& uow, const ServiceContext& ctx,
                               const std::string& org_id, const std::string& user_id,
                               const std::string& credential_id, const NoticeText& notice) {
  Notification note;
  note.id = NewId();
  note.org_id = org_id;
  note.user_id = user_id;
  note.kind = notice.kind;
  note.credential_id = credential_id;
  note.title = notice.title;
  note.body = notice.body;
  note.created_at = ctx.clock.Now();
  BF_RETURN_IF_ERROR(uow.InsertNotification(note));
  return note.id;
}

Result<bool> QueueEmail(UnitOfWork& uow, const ServiceContext& ctx, const std::string& org_id,
                        const std::string& user_id, const std::string& address,
                        const std::string& credential_id, const NoticeText& notice,
                        const std::string& dedupe_key) {
  OutboxEmail email;
  email.id = NewId();
  email.dedupe_key = dedupe_key;
  email.org_id = org_id;
  email.user_id = user_id;
  email.credential_id = credential_id;
  email.kind = notice.kind;
  email.recipient = address;
  email.subject = notice.title;
  email.text_body = notice.email_text;
  email.html_body = notice.email_html;
  email.created_at = email.next_attempt_at = ctx.clock.Now();
  return uow.EnqueueEmail(email);
}

Status LogSent(UnitOfWork& uow, Timestamp at, const std::string& org_id, const std::string& id,
               const std::string& user_id, const std::string& user_name,
               const std::string& credential_id, const std::string& kind, Channel channel,
               const std::string& title) {
  Activity entry = NewActivity(nullptr, at, "notification.sent", "notification", id);
  entry.org_id = org_id;
  entry.subject_user_id = user_id;
  entry.subject_user_name = user_name;
  entry.credential_id = credential_id;
  AddChange(entry, "channel", std::nullopt, std::string(ChannelName(channel)));
  AddChange(entry, "kind", std::nullopt, kind);
  AddChange(entry, "title", std::nullopt, title);
  return uow.AppendActivity(entry);
}

Status SendDecisionNotice(UnitOfWork& uow, const ServiceContext& ctx, const Organization& org,
                          const Credential& credential, const Notification& note) {
  BF_ASSIGN_OR_RETURN(NotificationSettings settings,
                      SettingsOrDefaults(uow, org.id, credential.user.id));
  if (settings.in_app) BF_RETURN_IF_ERROR(uow.InsertNotification(note));
  if (settings.email && ctx.options.notify.email_enabled && !credential.user.email.empty()) {
    NoticeText text = DecisionNotice(credential, note, org, ctx.options.notify.public_url);
    BF_ASSIGN_OR_RETURN(bool queued,
                        QueueEmail(uow, ctx, org.id, credential.user.id, credential.user.email,
                                   credential.id, text, "notice:" + note.id));
    (void)queued;
  }
  return Ok();
}

}  // namespace bf
