// Email over SMTP with libcurl: plain, STARTTLS or implicit TLS, with optional login. libcurl is
// seen by smtp_mailer.cc alone.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "service/mailer.h"

namespace bf::jobs {

enum class SmtpSecurity { kNone, kStartTls, kTls };
std::optional<SmtpSecurity> ParseSmtpSecurity(std::string_view name);  // none, starttls, tls

struct SmtpOptions {
  std::string host;  // empty: email is off
  int port = 0;      // 0: 25 for none, 587 for starttls, 465 for tls
  SmtpSecurity security = SmtpSecurity::kStartTls;
  std::string user;  // empty: no login
  std::string password;
  std::string from;        // "noreply@example.com" or "Bonafides <noreply@example.com>"
  bool verify_tls = true;  // check the server's certificate and name
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds timeout{30'000};  // the whole conversation of one message
};

// The RFC 5322 message for `m` from `from`: headers (non-ASCII subject as RFC 2047 encoded
// words, CR and LF removed from header values), then multipart/alternative with the plain-text
// and HTML parts, each UTF-8 in base64. Lines end in CRLF.
std::string FormatMimeMessage(const MailMessage& m, const std::string& from,
                              const std::string& boundary);

class SmtpMailer final : public Mailer {
 public:
  explicit SmtpMailer(SmtpOptions options);
  // One SMTP conversation per message. kUnavailable when the server cannot be reached, times
  // out or drops the connection; kInvalid "smtp_refused" when it answered with an error.
  Status Send(const MailMessage& message) override;

 private:
  SmtpOptions options_;
};

}  // namespace bf::jobs
