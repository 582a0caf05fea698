// What every service needs: the store, the clock, and a few options.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "core/clock.h"
#include "service/passwords.h"
#include "store/store.h"

namespace bf {

// Notifications (service/reminder_service.h): when reminders go out, how email is written and
// how its delivery is retried.
struct NotifyOptions {
  int send_hour = kDefaultSendHour;  // local hour from which a day's reminders go out
  bool email_enabled = false;        // an SMTP server is configured: email is queued and delivered
  std::string public_url = "http://127.0.0.1:8080";  // links: <public_url>/credentials/<id>
  int max_attempts = 5;                              // then the email is marked failed
  Millis retry_base = std::chrono::minutes(1);       // doubled after each failed attempt...
  Millis retry_max = std::chrono::hours(1);          // ...up to this
  Millis lease = std::chrono::minutes(5);  // an email being sent longer than this is retried
};

class MediaProcessor;  // service/media_processor.h

// Media files (service/media_service.h).
struct MediaOptions {
  int64_t max_upload_bytes = kDefaultMaxUploadBytes;  // per file; 413 past it
  std::string key;                  // kMediaKeyBytes raw bytes; empty: uploads are refused (500)
  int64_t chunk_size = 256 * 1024;  // plaintext bytes per stored, encrypted chunk
  int thumbnail_size = 320;         // previews fit in this many pixels square
};

struct ServiceOptions {
  Millis session_ttl = std::chrono::hours(24 * 7);  // a session ends this long after sign-in
  bool fast_password_hash = false;                  // minimum argon2id cost: tests only
  PasswordOptions passwords{};                      // how many hashes at once (service/passwords.h)
  NotifyOptions notify;
  MediaOptions media;
  // Bulk upload (service/import_service.h): where an import spools its validated rows between
  // its two passes, in unnamed temporary files. "": the system's temporary directory.
  std::string import_spool_dir;
  // Bytes of rendered list pages a node keeps between requests (service/kept_reads.h); 0: none.
  size_t kept_page_bytes = 64u << 20;
};

struct ServiceContext {
  Store& store;
  const Clock& clock;
  ServiceOptions options;
  // Makes thumbnails (src/media/ builds one over libvips); nullptr: none are made (503).
  MediaProcessor* media_processor = nullptr;
  // Shared by every service built over this context (services.h makes it when null).
  std::shared_ptr<PasswordHasher> passwords{};
};

// The context's password hasher, made from its options if it has none yet.
inline ServiceContext WithPasswords(ServiceContext ctx) {
  if (!ctx.passwords) {
    ctx.passwords =
        std::make_shared<PasswordHasher>(ctx.options.passwords, ctx.options.fast_password_hash);
  }
  return ctx;
}

}  // namespace bf
