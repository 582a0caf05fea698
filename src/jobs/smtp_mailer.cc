#include "jobs/smtp_mailer.h"

#include <curl/curl.h>
#include <date/date.h>

#include <algorithm>
#include <cstring>
#include <mutex>

#include "core/ids.h"

namespace bf::jobs {
namespace {

constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string Base64(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t n = (static_cast<uint8_t>(data[i]) << 16) | (static_cast<uint8_t>(data[i + 1]) << 8) |
                 static_cast<uint8_t>(data[i + 2]);
    out +=
        {kBase64[(n >> 18) & 63], kBase64[(n >> 12) & 63], kBase64[(n >> 6) & 63], kBase64[n & 63]};
  }
  if (i + 1 == data.size()) {
    uint32_t n = static_cast<uint8_t>(data[i]) << 16;
    out += {kBase64[(n >> 18) & 63], kBase64[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == data.size()) {
    uint32_t n = (static_cast<uint8_t>(data[i]) << 16) | (static_cast<uint8_t>(data[i + 1]) << 8);
    out += {kBase64[(n >> 18) & 63], kBase64[(n >> 12) & 63], kBase64[(n >> 6) & 63], '='};
  }
  return out;
}

// Base64 in lines of 76 characters, each ended by CRLF.
std::string Base64Lines(std::string_view data) {
  std::string encoded = Base64(data);
  std::string out;
  for (size_t i = 0; i < encoded.size(); i += 76) out += encoded.substr(i, 76) + "\r\n";
  return out;
}

// A header value on one line: CR, LF and other control characters become spaces.
std::string OneLine(std::string_view value) {
  std::string out(value);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

// The value as is when ASCII, else RFC 2047 encoded words of whole UTF-8 characters, folded.
std::string EncodeHeaderText(std::string_view raw) {
  std::string value = OneLine(raw);
  if (std::all_of(value.begin(), value.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    return value;
  }
  std::string out;
  size_t start = 0;
  while (start < value.size()) {
    size_t end = std::min(value.size(), start + 45);
    // Do not split a character: continuation bytes are 10xxxxxx.
    while (end < value.size() && end > start + 1 &&
           (static_cast<unsigned char>(value[end]) & 0xC0) == 0x80)
      --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(std::string_view(value).substr(start, end - start)) + "?=";
    start = end;
  }
  return out;
}

// "Name <a@b>" → "a@b"; "a@b" as is.
std::string AddressOf(const std::string& mailbox) {
  auto open = mailbox.rfind('<');
  auto close = mailbox.rfind('>');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    return mailbox.substr(open + 1, close - open - 1);
  }
  return mailbox;
}

struct Upload {
  std::string data;
  size_t offset = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  size_t n = std::min(size * count, upload->data.size() - upload->offset);
  std::memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

std::optional<SmtpSecurity> ParseSmtpSecurity(std::string_view name) {
  if (name == "none") return SmtpSecurity::kNone;
  if (name == "starttls") return SmtpSecurity::kStartTls;
  if (name == "tls") return SmtpSecurity::kTls;
  return std::nullopt;
}

std::string FormatMimeMessage(const MailMessage& m, const std::string& from,
                              const std::string& boundary) {
  std::string out;
  out += "Date: " +
         date::format("%a, %d %b %Y %H:%M:%S +0000",
                      std::chrono::floor<std::chrono::seconds>(m.date)) +
         "\r\n";
  out += "From: " + OneLine(from) + "\r\n";
  out += "To: " + OneLine(m.to) + "\r\n";
  out += "Subject: " + EncodeHeaderText(m.subject) + "\r\n";
  out += "Message-ID: " + OneLine(m.message_id) + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n";
  out += "\r\n";
  out += "--" + boundary + "\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  out += Base64Lines(m.text);
  out += "--" + boundary + "\r\n";
  out += "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  out += Base64Lines(m.html);
  out += "--" + boundary + "--\r\n";
  return out;
}

SmtpMailer::SmtpMailer(SmtpOptions options) : options_(std::move(options)) {
  GlobalInit();
  if (options_.port == 0) {
    options_.port = options_.security == SmtpSecurity::kTls        ? 465
                    : options_.security == SmtpSecurity::kStartTls ? 587
                                                                   : 25;
  }
}

Status SmtpMailer::Send(const MailMessage& message) {
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Internal("curl_easy_init failed");
  CURL* h = curl.get();
  const std::string scheme = options_.security == SmtpSecurity::kTls ? "smtps://" : "smtp://";
  const std::string url = scheme + options_.host + ":" + std::to_string(options_.port);
  const std::string from = "<" + AddressOf(options_.from) + ">";
  Upload upload{FormatMimeMessage(message, options_.from, "bf-" + RandomToken(12)), 0};
  char error[CURL_ERROR_SIZE] = {0};

  curl_slist* recipients = curl_slist_append(nullptr, ("<" + AddressOf(message.to) + ">").c_str());
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> recipients_guard(recipients,
                                                                      curl_slist_free_all);
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(h, CURLOPT_READDATA, &upload);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(upload.data.size()));
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: we run in threads
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  if (options_.security == SmtpSecurity::kStartTls) {
    curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  }
  if (!options_.verify_tls) {
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!options_.user.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, options_.user.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, options_.password.c_str());
  }

  CURLcode rc = curl_easy_perform(h);
  if (rc == CURLE_OK) return Ok();
  long reply = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
  std::string what = error[0] != '\0' ? std::string(error) : std::string(curl_easy_strerror(rc));
  // An error reply (4xx, 5xx) is the server refusing this message; anything else (no answer,
  // a timeout, a connection dropped after 354) means the server is not there for any mail.
  if (reply >= 400) {
    return Fail(ErrorCode::kInvalid, "smtp_refused",
                "the mail server refused the message (" + std::to_string(reply) + "): " + what,
                url);
  }
  return Fail(ErrorCode::kUnavailable, "smtp_unavailable",
              "the mail server is unavailable: " + what, url);
}

}  // namespace bf::jobs
