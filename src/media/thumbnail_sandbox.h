// Thumbnails made in a child process with bounded memory and time. A decoder fed a hostile file
// can take gigabytes (a 284 KiB PNG of 9,999,999 × 10 pixels took 1.76 GB) or a minute of CPU (a
// 127 KiB PDF of 3 million drawing operators); in the server's own process that is an outage.
// So the server runs its own binary again (`bonafides internal-thumbnail`, posix_spawn: no fork
// of a multithreaded process), which limits itself with setrlimit (address space, CPU seconds,
// no core, no files written), decodes with VipsMediaProcessor, and answers on a pipe; the parent
// kills it at a wall-clock deadline. libvips is then never mapped by the server itself.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "media/vips_media.h"
#include "service/media_processor.h"

namespace bf::media {

struct SandboxOptions {
  // The bonafides binary; /proc/self/exe is the running one (even if replaced on disk since).
  std::string executable = "/proc/self/exe";
  uint64_t memory_bytes = uint64_t{1024} * 1024 * 1024;  // RLIMIT_AS of the child
  int cpu_seconds = 10;                                  // RLIMIT_CPU of the child
  std::chrono::milliseconds wall_clock{20000};           // then SIGKILL
  DecodeLimits decode;
};

// A MediaProcessor that decodes each file in its own child process. A child killed by its
// limits (or the deadline), or a file over DecodeLimits, is 422 "media_too_complex"; a file the
// decoder cannot read is 422 "thumbnail_unavailable"; a child that cannot be started is 500.
// Thread-safe: each call has its own child (callers bound how many run at once).
class SandboxedMediaProcessor final : public MediaProcessor {
 public:
  explicit SandboxedMediaProcessor(SandboxOptions options) : options_(std::move(options)) {}
  Result<Preview> Thumbnail(std::string_view data, MediaFormat format, int size) override;

 private:
  SandboxOptions options_;
};

// The hidden subcommand's name: argv[1] of the child.
inline constexpr char kThumbnailSubcommand[] = "internal-thumbnail";

// `bonafides internal-thumbnail CONTENT_TYPE SIZE MEMORY_BYTES CPU_SECONDS MAX_DIMENSION
// MAX_PIXELS MAX_PDF_PAGES`: limits itself, reads the file from stdin, writes the JPEG to stdout
// (exit 0), or the message and the detail on two lines (exit 3: unreadable, 4: too complex,
// 1: the server's fault). Exit 2 for arguments it does not understand. Called from main before
// anything else starts (one thread).
int ThumbnailChildMain(int argc, char** argv);

}  // namespace bf::media
