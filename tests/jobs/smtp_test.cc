// Email over a real SMTP conversation: tests/testdata/smtp_server.py (aiosmtpd) on 127.0.0.1
// receives, parses and writes what arrived. And mail servers that refuse, time out or hang up
// mid-message: retried, reported, nothing lost, nothing sent twice.
#include <gtest/gtest.h>

#include "jobs/smtp_mailer.h"
#include "notify_fixture.h"
#include "smtp_test_server.h"

namespace bf::testing {
namespace {

jobs::SmtpOptions Local(int port, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  jobs::SmtpOptions o;
  o.host = "127.0.0.1";
  o.port = port;
  o.security = jobs::SmtpSecurity::kNone;
  o.from = "Bonafides <noreply@bf.example>";
  o.connect_timeout = timeout;
  o.timeout = timeout;
  return o;
}

std::string PartOf(const boost::json::object& message, const std::string& type) {
  for (const auto& part : message.at("parts").as_array()) {
    if (part.at("content_type").as_string() == type)
      return std::string(part.at("text").as_string());
  }
  return "";
}

std::string Text(const boost::json::object& o, const char* field) {
  return std::string(o.at(field).as_string());
}

class SmtpTest : public NotifyTest {
 protected:
  Result<jobs::PassReport> PassWith(Mailer& mailer) {
    return jobs::RunPassOnce(notify_.reminders, &mailer);
  }

  Result<OutboxEmail> Outbox(const std::string& dedupe_key) {
    auto uow = MustOk(server_.store().Begin(false));
    auto found = MustOk(uow->FindEmail(dedupe_key));
    if (!found) return NotFound("email " + dedupe_key);
    return *found;
  }
};

TEST_F(SmtpTest, AReminderArrivesWithBothPartsNamingTypeHolderDateAndLink) {
  ASSERT_EQ(
      server_.Call("admin", "PATCH", "/api/v1/organization", R"({"date_format":"DD/MM/YYYY"})")
          .status,
      200);
  std::string type = MakeType(R"({"name":"Forklift licence"})");
  std::string id = Create("alice", type, "2027-01-10", "FL-1 <b>");
  SmtpTestServer smtp;
  jobs::SmtpMailer mailer(Local(smtp.port()));
  server_.clock().Set(LocalTime("UTC", "2026-12-11 08:00"));
  auto pass = MustOk(PassWith(mailer));
  EXPECT_EQ(pass.delivery.sent, 1);

  auto messages = smtp.Messages();
  ASSERT_EQ(messages.size(), 1u);
  const auto& m = messages[0];
  EXPECT_EQ(Text(m, "mail_from"), "noreply@bf.example");
  EXPECT_EQ(m.at("rcpt_tos"), (boost::json::array{"alice@a.example"}));
  EXPECT_EQ(Text(m, "to"), "alice@a.example");
  EXPECT_EQ(Text(m, "from"), "Bonafides <noreply@bf.example>");
  EXPECT_EQ(Text(m, "subject"), "Forklift licence expires in 30 days (10/01/2027)");
  EXPECT_EQ(Text(m, "date"), "Fri, 11 Dec 2026 08:00:00 +0000");
  EXPECT_TRUE(Text(m, "message_id").ends_with("@bonafides>"));
  EXPECT_EQ(Text(m, "content_type"), "multipart/alternative");
  const std::string link = "https://bf.example/credentials/" + id;
  std::string text = PartOf(m, "text/plain");
  for (const std::string& s :
       {std::string("Hello Alice Standard"), std::string("Forklift licence"),
        std::string("Holder: Alice Standard"), std::string("Expiry date: 10/01/2027"),
        std::string("Number: FL-1 <b>"), link}) {
    EXPECT_NE(text.find(s), std::string::npos) << s << " in\n" << text;
  }
  std::string html = PartOf(m, "text/html");
  for (const std::string& s :
       {std::string("Alice Standard"), std::string("Forklift licence"), std::string("10/01/2027"),
        std::string("FL-1 &lt;b&gt;"), "<a href=\"" + link + "\">"}) {
    EXPECT_NE(html.find(s), std::string::npos) << s << " in\n" << html;
  }
  EXPECT_EQ(html.find("<b>"), std::string::npos);  // escaped
  EXPECT_EQ(MustOk(Outbox("reminder:" + id + ":1:30")).status, OutboxStatus::kSent);
}

TEST_F(SmtpTest, SubjectsOutsideAsciiArriveIntact) {
  const std::string name = "Führerschein für Gabelstapler und Hubarbeitsbühnen – Klasse ✓";
  std::string type = MakeType("{\"name\":\"" + name + "\"}");
  Create("alice", type, "2027-01-10");
  SmtpTestServer smtp;
  jobs::SmtpMailer mailer(Local(smtp.port()));
  server_.clock().Set(LocalTime("UTC", "2026-12-11 08:00"));
  MustOk(PassWith(mailer));
  auto messages = smtp.Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(Text(messages[0], "subject"), name + " expires in 30 days (2027-01-10)");
  EXPECT_NE(PartOf(messages[0], "text/plain").find(name), std::string::npos);
}

TEST_F(SmtpTest, ARefusalIsRetriedWithBackoffThenSentOnce) {
  std::string type = MakeType(R"({"name":"Licence"})");
  std::string id = Create("alice", type, "2027-01-10");
  SmtpTestServer smtp("accept", 0, /*fail_first=*/2);
  jobs::SmtpMailer mailer(Local(smtp.port()));
  server_.clock().Set(LocalTime("UTC", "2026-12-11 08:00"));
  EXPECT_EQ(MustOk(PassWith(mailer)).delivery.retrying, 1);
  auto email = MustOk(Outbox("reminder:" + id + ":1:30"));
  EXPECT_EQ(email.status, OutboxStatus::kPending);
  EXPECT_EQ(email.attempts, 1);
  EXPECT_NE(email.last_error.find("451"), std::string::npos) << email.last_error;
  EXPECT_EQ(email.next_attempt_at, server_.clock().Now() + std::chrono::minutes(1));

  server_.clock().Advance(std::chrono::seconds(59));
  EXPECT_EQ(MustOk(PassWith(mailer)).delivery.retrying, 0);  // not yet
  server_.clock().Advance(std::chrono::seconds(1));
  EXPECT_EQ(MustOk(PassWith(mailer)).delivery.retrying, 1);  // second refusal: two minutes now
  server_.clock().Advance(std::chrono::minutes(2));
  EXPECT_EQ(MustOk(PassWith(mailer)).delivery.sent, 1);
  MustOk(PassWith(mailer));
  EXPECT_EQ(smtp.Messages().size(), 1u);
  email = MustOk(Outbox("reminder:" + id + ":1:30"));
  EXPECT_EQ(email.status, OutboxStatus::kSent);
  EXPECT_EQ(email.attempts, 3);
}

TEST_F(SmtpTest, AMailboxRefusedForeverIsMarkedFailedAndCountedWhileOtherMailGoes) {
  std::string type = MakeType(R"({"name":"Licence"})");
  std::string bobs = Create("bob", type, "2027-01-10");
  Create("alice", type, "2027-01-10");
  SmtpTestServer smtp("accept", 0, 0, /*refuse_rcpt=*/"bob@");
  jobs::SmtpMailer mailer(Local(smtp.port()));
  server_.clock().Set(LocalTime("UTC", "2026-12-11 08:00"));
  MustOk(notify_.reminders.Scan());
  // The server's own scheduler delivers (its counters feed /metrics): 5 attempts, 1+2+4+8 min
  // apart.
  ReminderService& reminders = server_.services().reminders;
  auto first = MustOk(reminders.Deliver(mailer));
  EXPECT_EQ(first.sent, 1);  // alice's went despite bob's refusal
  EXPECT_EQ(first.retrying, 1);
  for (int minutes : {1, 2, 4, 8}) {
    server_.clock().Advance(std::chrono::minutes(minutes));
    MustOk(reminders.Deliver(mailer));
  }
  auto email = MustOk(Outbox("reminder:" + bobs + ":1:30"));
  EXPECT_EQ(email.status, OutboxStatus::kFailed);
  EXPECT_EQ(email.attempts, 5);
  EXPECT_NE(email.last_error.find("550"), std::string::npos) << email.last_error;
  server_.clock().Advance(std::chrono::hours(24));
  EXPECT_EQ(MustOk(reminders.Deliver(mailer)).sent + MustOk(reminders.Deliver(mailer)).failed, 0);
  EXPECT_EQ(smtp.Messages().size(), 1u);

  auto metrics = server_.Call("", "GET", "/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  for (const char* line :
       {"bonafides_reminders_failed_total{kind=\"expiry_reminder\"} 1\n",
        "bonafides_reminders_sent_total{kind=\"expiry_reminder\",channel=\"email\"} 1\n",
        "bonafides_email_retries_total 4\n", "bonafides_outbox_emails{status=\"failed\"} 1\n",
        "bonafides_outbox_emails{status=\"sent\"} 1\n"}) {
    EXPECT_NE(metrics.body.find(line), std::string::npos) << line << " in\n" << metrics.body;
  }
}

// A server that hangs, or hangs up mid-message: the email waits, is retried, and arrives once
// when a working server is back on the same port.
class BrokenServerTest : public SmtpTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(BrokenServerTest, IsRetriedLaterAndNothingIsLostOrSentTwice) {
  std::string type = MakeType(R"({"name":"Licence"})");
  std::vector<std::string> ids = {Create("alice", type, "2027-01-10"),
                                  Create("bob", type, "2027-01-10")};
  server_.clock().Set(LocalTime("UTC", "2026-12-11 08:00"));
  int port = 0;
  {
    SmtpTestServer broken(GetParam());
    port = broken.port();
    jobs::SmtpMailer mailer(Local(port, std::chrono::milliseconds(700)));
    auto started = std::chrono::steady_clock::now();
    auto pass = MustOk(PassWith(mailer));
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
    EXPECT_EQ(pass.delivery.retrying, 1);
    EXPECT_TRUE(pass.delivery.stopped_early);  // the second was not even tried
  }
  SmtpTestServer good("accept", port);
  jobs::SmtpMailer mailer(Local(port));
  EXPECT_EQ(MustOk(PassWith(mailer)).delivery.sent, 1);  // the untried one; the other backs off
  server_.clock().Advance(std::chrono::minutes(1));
  EXPECT_EQ(MustOk(PassWith(mailer)).delivery.sent, 1);
  EXPECT_EQ(MustOk(PassWith(mailer)).delivery.sent, 0);
  std::multiset<std::string> recipients;
  for (const auto& m : good.Messages()) recipients.insert(Text(m, "to"));
  EXPECT_EQ(recipients, (std::multiset<std::string>{"alice@a.example", "bob@a.example"}));
}

INSTANTIATE_TEST_SUITE_P(Modes, BrokenServerTest, ::testing::Values("hang", "drop"));

// STARTTLS and implicit TLS against a server with a self-signed certificate: delivered when
// verification is off, refused (and so retried, never sent in clear) when it is on.
class TlsTest : public SmtpTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(TlsTest, DeliversOverTlsAndVerifiesCertificatesByDefault) {
  SmtpTestServer smtp(GetParam());
  jobs::SmtpOptions options = Local(smtp.port());
  options.security =
      std::string(GetParam()) == "tls" ? jobs::SmtpSecurity::kTls : jobs::SmtpSecurity::kStartTls;
  MailMessage m{"<t@bonafides>", "alice@a.example", "Over TLS",
                "text",          "<p>html</p>",     server_.clock().Now()};
  Status verified = jobs::SmtpMailer(options).Send(m);
  ASSERT_FALSE(verified.has_value());
  EXPECT_EQ(verified.error().code, ErrorCode::kUnavailable) << verified.error().message;
  EXPECT_TRUE(smtp.Messages().empty());
  options.verify_tls = false;
  Status sent = jobs::SmtpMailer(options).Send(m);
  ASSERT_TRUE(sent.has_value()) << sent.error().message;
  auto messages = smtp.Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(Text(messages[0], "subject"), "Over TLS");
}

INSTANTIATE_TEST_SUITE_P(Modes, TlsTest, ::testing::Values("starttls", "tls"));

TEST_F(SmtpTest, NobodyListeningIsUnavailable) {
  int port = 0;
  { port = SmtpTestServer().port(); }  // a port that was just free
  jobs::SmtpMailer mailer(Local(port));
  Status sent = mailer.Send(MailMessage{"<x@bonafides>", "alice@a.example", "Hi", "text",
                                        "<p>html</p>", server_.clock().Now()});
  ASSERT_FALSE(sent.has_value());
  EXPECT_EQ(sent.error().code, ErrorCode::kUnavailable);
}

TEST_F(SmtpTest, ApprovalAndRejectionNoticesAreEmailedAtOnce) {
  ASSERT_EQ(
      server_
          .Call("admin", "PATCH", "/api/v1/settings/credentials", R"({"approvals_required":true})")
          .status,
      200);
  std::string type = MakeType(R"({"name":"Licence"})");
  std::string approved = Create("alice", type, "2028-01-10");
  std::string rejected = Create("alice", type, "2028-02-10");
  std::string quiet = Create("bob", type, "2028-02-10");
  ASSERT_EQ(server_
                .Call("bob", "PUT", "/api/v1/me/notification-settings",
                      NotificationSettingsBody(R"({"email":false})"))
                .status,
            200);
  const User& manager = server_.person("manager").user;
  Actor actor{manager.org_id, manager.id, manager.name, manager.permissions};
  MustOk(notify_.credentials.Approve(actor, approved, {}));
  MustOk(notify_.credentials.Reject(actor, rejected, "The photo is unreadable", {}));
  MustOk(notify_.credentials.Approve(actor, quiet, {}));
  SmtpTestServer smtp;
  jobs::SmtpMailer mailer(Local(smtp.port()));
  EXPECT_EQ(MustOk(notify_.reminders.Deliver(mailer)).sent, 2);
  auto messages = smtp.Messages();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(Text(messages[0], "subject"), "Licence was approved");
  EXPECT_NE(PartOf(messages[0], "text/plain").find("Max Manager approved version 1."),
            std::string::npos);
  EXPECT_EQ(Text(messages[1], "subject"), "Licence is requested for resubmission");
  EXPECT_NE(PartOf(messages[1], "text/plain").find("The photo is unreadable"), std::string::npos);
  EXPECT_NE(PartOf(messages[1], "text/html").find("https://bf.example/credentials/" + rejected),
            std::string::npos);
  // In-app as before, for both holders.
  EXPECT_EQ(InApp("alice").size(), 2u);
  EXPECT_EQ(InApp("bob").size(), 1u);
}

TEST_F(SmtpTest, ManagersWhoOptInGetOneDigestADayAndNoEmailPerCredential) {
  ASSERT_EQ(server_
                .Call("manager", "PUT", "/api/v1/me/notification-settings",
                      NotificationSettingsBody(R"({"manager_digest":true,"in_app":false})"))
                .status,
            200);
  std::string type = MakeType(R"({"name":"Licence"})");
  Create("bob", type, "2026-11-01");  // expired
  ASSERT_EQ(
      server_
          .Call("admin", "PATCH", "/api/v1/settings/credentials", R"({"approvals_required":true})")
          .status,
      200);
  Create("alice", type, "2026-12-10");  // pending, expiring soon
  Create("bob", type, "2029-01-01");    // pending, valid
  SmtpTestServer smtp;
  jobs::SmtpMailer mailer(Local(smtp.port()));
  auto digests_to_manager = [&] {
    int n = 0;
    for (const auto& m : smtp.Messages()) n += Text(m, "to") == "manager@a.example";
    return n;
  };
  server_.clock().Set(LocalTime("UTC", "2026-11-30 07:59"));
  MustOk(PassWith(mailer));
  EXPECT_EQ(digests_to_manager(), 0);
  server_.clock().Set(LocalTime("UTC", "2026-11-30 08:00"));
  EXPECT_EQ(MustOk(PassWith(mailer)).scan.digests, 1);
  server_.clock().Set(LocalTime("UTC", "2026-11-30 15:00"));
  MustOk(PassWith(mailer));
  ASSERT_EQ(digests_to_manager(), 1);
  server_.clock().Set(LocalTime("UTC", "2026-12-01 08:00"));
  MustOk(PassWith(mailer));
  EXPECT_EQ(digests_to_manager(), 2);

  boost::json::object digest;
  for (const auto& m : smtp.Messages()) {
    if (Text(m, "to") == "manager@a.example") digest = m;
  }
  EXPECT_EQ(Text(digest, "subject"),
            "Daily digest for 2026-12-01: 2 pending, 1 expired, 1 expiring soon");
  std::string text = PartOf(digest, "text/plain");
  for (const char* s :
       {"Pending approval (2)", "Expired (1)", "Expiring soon (1)",
        "Licence — Alice Standard — 2026-12-10", "Licence — Bob Standard — 2026-11-01"}) {
    EXPECT_NE(text.find(s), std::string::npos) << s << " in\n" << text;
  }
  EXPECT_NE(PartOf(digest, "text/html").find("<h3>Expired (1)</h3>"), std::string::npos);
  EXPECT_TRUE(InApp("manager").empty());  // in-app off for the manager
  // Nobody else asked for a digest; the holders got their own reminders only.
  for (const auto& m : smtp.Messages()) {
    if (Text(m, "to") != "manager@a.example") {
      EXPECT_EQ(Text(m, "subject").find("digest"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace bf::testing
