#include "service/reminder_service.h"

#include <set>
#include <unordered_map>

#include "domain/permissions.h"
#include "service/group_service.h"
#include "service/notices.h"

namespace bf {
namespace {

// Credentials read and claimed per unit of work: short write transactions, so requests are
// never held up long by a pass.
constexpr int kScanPage = 100;
// How many credentials of each kind a digest lists (the counts cover all).
constexpr int kDigestItems = 20;

std::string ReminderKey(const ReminderCandidate& c, int lead) {
  return "reminder:" + c.credential_id + ":" + std::to_string(c.version) + ":" +
         std::to_string(lead);
}

}  // namespace

void NotifyCounters::Sent(const std::string& kind, Channel channel, int64_t n) {
  std::lock_guard lock(mu_);
  sent_[{kind, std::string(ChannelName(channel))}] += n;
}
void NotifyCounters::Failed(const std::string& kind, int64_t n) {
  std::lock_guard lock(mu_);
  failed_[kind] += n;
}
void NotifyCounters::Retried(int64_t n) {
  std::lock_guard lock(mu_);
  retried_ += n;
}
std::map<std::pair<std::string, std::string>, int64_t> NotifyCounters::sent() const {
  std::lock_guard lock(mu_);
  return sent_;
}
std::map<std::string, int64_t> NotifyCounters::failed() const {
  std::lock_guard lock(mu_);
  return failed_;
}
int64_t NotifyCounters::retried() const {
  std::lock_guard lock(mu_);
  return retried_;
}

Result<ScanReport> ReminderService::Scan() {
  const Timestamp now = ctx_.clock.Now();
  std::vector<Organization> orgs;
  {
    BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
    BF_ASSIGN_OR_RETURN(orgs, uow->ListOrganizations());
  }
  ScanReport report;
  for (const Organization& org : orgs) {
    BF_RETURN_IF_ERROR(ScanOrganization(org, now, report));
  }
  return report;
}

Status ReminderService::ScanOrganization(const Organization& org, Timestamp now,
                                         ScanReport& report) {
  const NotifyOptions& options = ctx_.options.notify;
  const Date today = LocalDate(now, org.timezone);
  const Date due_through = DueThrough(today, LocalHour(now, org.timezone), options.send_hour);

  // Every lead time in use in the organisation: the defaults, the users' own and the types'.
  const std::vector<int> defaults = NotificationSettings{}.days_before;
  std::set<int> leads(defaults.begin(), defaults.end());
  leads.insert(kOnExpiryLead);
  {
    BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
    BF_ASSIGN_OR_RETURN(auto chosen, uow->ListChosenLeadTimes(org.id));
    for (const auto& list : chosen) leads.insert(list.begin(), list.end());
    BF_ASSIGN_OR_RETURN(auto types, uow->ListCredentialTypes(org.id, ""));
    for (const CredentialType& t : types) {
      if (t.reminder_days) leads.insert(t.reminder_days->begin(), t.reminder_days->end());
    }
  }

  std::unordered_map<std::string, NotificationSettings> settings_of;  // by user id, this pass
  for (const ExpiryWindow& window :
       DueExpiryWindows(std::vector<int>(leads.begin(), leads.end()), due_through)) {
    std::optional<std::pair<Date, std::string>> after;
    for (;;) {
      BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
      BF_ASSIGN_OR_RETURN(
          auto page, uow->ListReminderCandidates(org.id, window.from, window.to, after, kScanPage));
      ScanReport page_report;
      std::map<std::string, int> in_app_kinds;  // counted once committed
      for (const ReminderCandidate& c : page) {
        auto found = settings_of.find(c.user_id);
        if (found == settings_of.end()) {
          BF_ASSIGN_OR_RETURN(auto s, SettingsOrDefaults(*uow, org.id, c.user_id));
          found = settings_of.emplace(c.user_id, std::move(s)).first;
        }
        const NotificationSettings& settings = found->second;
        ReminderSubject subject{c.version, c.expiry, LocalDate(c.version_created_at, org.timezone),
                                EffectiveLeads(settings, c.type_reminder_days)};
        std::vector<Channel> channels;
        if (settings.in_app) channels.push_back(Channel::kInApp);
        if (settings.email && options.email_enabled && !c.user_email.empty()) {
          channels.push_back(Channel::kEmail);
        }
        for (Channel channel : channels) {
          BF_ASSIGN_OR_RETURN(auto claimed, uow->ListReminderClaims(c.credential_id, channel));
          ReminderPlan plan = PlanReminders(subject, claimed, today, due_through);
          ReminderClaim claim{c.credential_id, c.version, 0,     channel, org.id,
                              c.user_id,       true,      today, now};
          for (int lead : plan.supersede) {
            claim.lead_days = lead;
            claim.sent = false;
            BF_ASSIGN_OR_RETURN(bool got, uow->ClaimReminder(claim));
            if (got) ++page_report.superseded;
          }
          if (!plan.send) continue;
          claim.lead_days = *plan.send;
          claim.sent = true;
          BF_ASSIGN_OR_RETURN(bool got, uow->ClaimReminder(claim));
          if (!got) continue;  // another pass claimed it first
          NoticeText notice = ReminderNotice(c, *plan.send, today, org, options.public_url);
          if (channel == Channel::kInApp) {
            BF_ASSIGN_OR_RETURN(std::string note_id,
                                WriteInApp(*uow, ctx_, org.id, c.user_id, c.credential_id, notice));
            BF_RETURN_IF_ERROR(LogSent(*uow, now, org.id, note_id, c.user_id, c.user_name,
                                       c.credential_id, notice.kind, channel, notice.title));
            ++page_report.in_app;
            ++in_app_kinds[notice.kind];
          } else {
            BF_ASSIGN_OR_RETURN(bool queued,
                                QueueEmail(*uow, ctx_, org.id, c.user_id, c.user_email,
                                           c.credential_id, notice, ReminderKey(c, *plan.send)));
            if (queued) ++page_report.emails_queued;
          }
        }
      }
      BF_RETURN_IF_ERROR(uow->Commit());
      report.in_app += page_report.in_app;
      report.emails_queued += page_report.emails_queued;
      report.superseded += page_report.superseded;
      // In-app reminders are delivered once committed; emails count when sent.
      for (const auto& [kind, n] : in_app_kinds) counters_.Sent(kind, Channel::kInApp, n);
      if (static_cast<int>(page.size()) < kScanPage) break;
      after = std::make_pair(page.back().expiry, page.back().credential_id);
    }
  }
  if (due_through == today) BF_RETURN_IF_ERROR(SendDigests(org, now, today, report));
  return Ok();
}

Status ReminderService::SendDigests(const Organization& org, Timestamp now, Date today,
                                    ScanReport& report) {
  const NotifyOptions& options = ctx_.options.notify;
  std::vector<std::string> subscribers;
  {
    BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
    BF_ASSIGN_OR_RETURN(subscribers, uow->ListDigestSubscribers(org.id));
  }
  if (subscribers.empty()) return Ok();
  std::optional<DigestContent> content;  // read once, for the first manager who still needs it
  for (const std::string& user_id : subscribers) {
    BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
    BF_ASSIGN_OR_RETURN(auto user, uow->FindUser(org.id, user_id));
    if (!user || user->status != UserStatus::kActive ||
        !user->permissions.Has(Permission::kCredentialsManage)) {
      continue;
    }
    BF_ASSIGN_OR_RETURN(NotificationSettings settings, SettingsOrDefaults(*uow, org.id, user_id));
    if (!settings.manager_digest) continue;
    std::vector<Channel> channels;
    if (settings.in_app) channels.push_back(Channel::kInApp);
    if (settings.email && options.email_enabled && !user->email.empty()) {
      channels.push_back(Channel::kEmail);
    }
    if (!content) {
      DigestContent d;
      BF_ASSIGN_OR_RETURN(
          auto summary, uow->SummarizeCredentials(org.id, today, org.settings.expiring_soon_days));
      d.pending = summary.all.pending_approval;
      d.expired = summary.all.expired;
      d.expiring_soon = summary.all.expiring_soon;
      CredentialFilter filter;
      filter.archived = false;
      filter.limit = kDigestItems;
      if (d.pending > 0) {
        CredentialFilter pending = filter;
        pending.approval = {ApprovalStatus::kPending};
        BF_ASSIGN_OR_RETURN(auto page, uow->ListCredentials(org.id, pending));
        d.pending_items = std::move(page.items);
      }
      if (d.expired > 0) {
        CredentialFilter expired = filter;
        expired.by_expiry = true;
        expired.expiry_ranges = {DateRange{std::nullopt, today - date::days(1)}};
        expired.sort = CredentialSort::kExpiryDateDesc;
        BF_ASSIGN_OR_RETURN(auto page, uow->ListCredentials(org.id, expired));
        d.expired_items = std::move(page.items);
      }
      if (d.expiring_soon > 0) {
        CredentialFilter soon = filter;
        soon.by_expiry = true;
        soon.expiry_ranges = {
            DateRange{today, today + date::days(org.settings.expiring_soon_days)}};
        BF_ASSIGN_OR_RETURN(auto page, uow->ListCredentials(org.id, soon));
        d.expiring_items = std::move(page.items);
      }
      // Per group, how many members are deny (REQUIREMENTS.md "Notices").
      GroupFilter every;
      every.limit = 0;
      BF_ASSIGN_OR_RETURN(auto groups, uow->ListGroups(org.id, every));
      const ComplianceDay day{today, org.settings.expiring_soon_days};
      for (const Group& g : groups) {
        BF_ASSIGN_OR_RETURN(GroupEvaluation e, EvaluateGroupMembers(*uow, org.id, g.id, day));
        int64_t deny = 0;
        for (const MatrixRow& row : e.rows) deny += row.compliance.decision == Decision::kDeny;
        if (deny > 0) d.group_denies.emplace_back(g.name, deny);
      }
      content = std::move(d);
    }
    if (content->pending == 0 && content->expired == 0 && content->expiring_soon == 0 &&
        content->group_denies.empty()) {
      return Ok();  // nothing to tell anyone today
    }
    NoticeText notice = DigestNotice(*content, *user, today, org, options.public_url);
    int delivered = 0;
    bool in_app = false;
    for (Channel channel : channels) {
      BF_ASSIGN_OR_RETURN(bool got, uow->ClaimDigest(org.id, user_id, today, channel, now));
      if (!got) continue;
      if (channel == Channel::kInApp) {
        BF_ASSIGN_OR_RETURN(std::string note_id,
                            WriteInApp(*uow, ctx_, org.id, user_id, "", notice));
        BF_RETURN_IF_ERROR(LogSent(*uow, now, org.id, note_id, user_id, user->name, "", notice.kind,
                                   channel, notice.title));
        in_app = true;
      } else {
        BF_ASSIGN_OR_RETURN(bool queued,
                            QueueEmail(*uow, ctx_, org.id, user_id, user->email, "", notice,
                                       "digest:" + user_id + ":" + FormatIsoDate(today)));
        if (!queued) continue;
      }
      ++delivered;
    }
    BF_RETURN_IF_ERROR(uow->Commit());
    report.digests += delivered;
    if (in_app) counters_.Sent("digest", Channel::kInApp);
  }
  return Ok();
}

Result<DeliveryReport> ReminderService::Deliver(Mailer& mailer, int max_messages) {
  const NotifyOptions& options = ctx_.options.notify;
  DeliveryReport report;
  for (int i = 0; i < max_messages; ++i) {
    std::optional<OutboxEmail> email;
    {
      const Timestamp now = ctx_.clock.Now();
      BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
      BF_ASSIGN_OR_RETURN(email, uow->LeaseEmail(now, now + options.lease));
      if (!email) break;
      BF_RETURN_IF_ERROR(uow->Commit());
    }
    MailMessage message{"<" + email->id + "@bonafides>",
                        email->recipient,
                        email->subject,
                        email->text_body,
                        email->html_body,
                        email->created_at};
    Status sent = mailer.Send(message);

    const Timestamp now = ctx_.clock.Now();
    if (sent) {
      email->status = OutboxStatus::kSent;
      email->sent_at = now;
      email->last_error.clear();
    } else if (email->attempts >= options.max_attempts) {
      email->status = OutboxStatus::kFailed;
      email->last_error = sent.error().message;
    } else {
      email->status = OutboxStatus::kPending;
      email->next_attempt_at =
          now + RetryDelay(email->attempts, options.retry_base, options.retry_max);
      email->last_error = sent.error().message;
    }
    BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(true));
    BF_RETURN_IF_ERROR(uow->FinishEmail(*email));
    if (email->status == OutboxStatus::kSent) {
      std::string name;
      if (!email->user_id.empty()) {
        BF_ASSIGN_OR_RETURN(auto user, uow->FindUser(email->org_id, email->user_id));
        if (user) name = user->name;
      }
      BF_RETURN_IF_ERROR(LogSent(*uow, now, email->org_id, email->id, email->user_id, name,
                                 email->credential_id, email->kind, Channel::kEmail,
                                 email->subject));
    }
    BF_RETURN_IF_ERROR(uow->Commit());
    switch (email->status) {
      case OutboxStatus::kSent:
        ++report.sent;
        counters_.Sent(email->kind, Channel::kEmail);
        break;
      case OutboxStatus::kFailed:
        ++report.failed;
        counters_.Failed(email->kind);
        break;
      default:
        ++report.retrying;
        counters_.Retried();
        break;
    }
    if (!sent && sent.error().code == ErrorCode::kUnavailable) {
      report.stopped_early = true;
      break;
    }
  }
  return report;
}

Result<OutboxCounts> ReminderService::CountOutbox() {
  BF_ASSIGN_OR_RETURN(auto uow, ctx_.store.Begin(false));
  return uow->CountOutbox();
}

}  // namespace bf
