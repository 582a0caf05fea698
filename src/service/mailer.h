// Sending one email: the interface the outbox delivers through. The SMTP implementation lives in
// jobs/ (libcurl); tests use fakes.
#pragma once

#include <string>

#include "core/clock.h"
#include "core/result.h"

namespace bf {

struct MailMessage {
  std::string message_id;  // unique and stable per outbox email: a resend carries the same one
  std::string to;
  std::string subject;
  std::string text;  // the plain-text part
  std::string html;  // the HTML part
  Timestamp date;
};

class Mailer {
 public:
  virtual ~Mailer() = default;
  // Sends `message`. Ok once the server accepted it. kUnavailable when the server could not be
  // reached, timed out or dropped the connection (other mail would fail too); any other error
  // when it refused this message. Called from one thread at a time.
  virtual Status Send(const MailMessage& message) = 0;
};

}  // namespace bf
