// The MIME message the SMTP mailer writes: headers safe from injection, both parts in base64.
#include "jobs/smtp_mailer.h"

#include <gtest/gtest.h>

namespace bf::jobs {
namespace {

TEST(SmtpMailerTest, FormatsMultipartAlternativeWithSafeHeaders) {
  MailMessage m{"<id-1@bonafides>",
                "alice@a.example",
                "Licence expires\r\nBcc: evil@x.example",
                "plain",
                "<p>html</p>",
                FromMillis(1795939200000)};
  std::string mime = FormatMimeMessage(m, "Bonafides <noreply@bf.example>", "bf-b");
  EXPECT_TRUE(mime.starts_with("Date: Sun, 29 Nov 2026 08:00:00 +0000\r\n")) << mime;
  EXPECT_NE(mime.find("\r\nSubject: Licence expires  Bcc: evil@x.example\r\n"), std::string::npos)
      << mime;
  EXPECT_EQ(mime.find("\r\nBcc:"), std::string::npos);
  EXPECT_NE(mime.find("\r\nContent-Type: multipart/alternative; boundary=\"bf-b\"\r\n"),
            std::string::npos);
  EXPECT_NE(mime.find("--bf-b\r\nContent-Type: text/plain; "
                      "charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\ncGxhaW4=\r\n"),
            std::string::npos)
      << mime;
  EXPECT_NE(mime.find("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: "
                      "base64\r\n\r\nPHA+aHRtbDwvcD4=\r\n--bf-b--\r\n"),
            std::string::npos)
      << mime;
  // Non-ASCII subjects become encoded words of whole characters.
  m.subject = "Führerschein";
  mime = FormatMimeMessage(m, "noreply@bf.example", "bf-b");
  EXPECT_NE(mime.find("Subject: =?UTF-8?B?RsO8aHJlcnNjaGVpbg==?=\r\n"), std::string::npos) << mime;
}

TEST(SmtpMailerTest, SecurityNames) {
  EXPECT_EQ(ParseSmtpSecurity("none"), SmtpSecurity::kNone);
  EXPECT_EQ(ParseSmtpSecurity("starttls"), SmtpSecurity::kStartTls);
  EXPECT_EQ(ParseSmtpSecurity("tls"), SmtpSecurity::kTls);
  EXPECT_EQ(ParseSmtpSecurity("ssl"), std::nullopt);
}

}  // namespace
}  // namespace bf::jobs
