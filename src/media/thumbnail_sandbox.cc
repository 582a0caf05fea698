#include "media/thumbnail_sandbox.h"

#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern char** environ;

namespace bf::media {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFault = 1;
constexpr int kExitUsage = 2;
constexpr int kExitUnreadable = 3;
constexpr int kExitTooComplex = 4;
// A thumbnail is a few KiB; more than this is not a thumbnail.
constexpr size_t kMaxOutput = 8 * 1024 * 1024;

std::string Errno(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

bool WriteAll(int fd, const char* data, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, data, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    data += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

// Closes the descriptors it holds when it goes out of scope.
struct Fd {
  int fd = -1;
  ~Fd() { Reset(); }
  void Reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

auto TooComplex(std::string why, std::string detail) {
  return Fail(ErrorCode::kInvalid, kMediaTooComplex, std::move(why), std::move(detail));
}

bool ParseInt(const char* text, int64_t& out) {
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || v < 0) return false;
  out = v;
  return true;
}

}  // namespace

Result<Preview> SandboxedMediaProcessor::Thumbnail(std::string_view data, MediaFormat format,
                                                   int size) {
  // The file goes in as the child's stdin from an anonymous file: nothing to pump while the
  // child runs, and no SIGPIPE when it dies before reading everything.
  Fd in;
  in.fd = ::memfd_create("bonafides-thumbnail-in", MFD_CLOEXEC);
  if (in.fd < 0) return Internal("thumbnail: " + Errno("memfd_create"));
  if (!WriteAll(in.fd, data.data(), data.size()) || ::lseek(in.fd, 0, SEEK_SET) != 0) {
    return Internal("thumbnail: " + Errno("writing the file for the child"));
  }
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return Internal("thumbnail: " + Errno("pipe2"));
  Fd out_read, out_write;
  out_read.fd = pipe_fds[0];
  out_write.fd = pipe_fds[1];

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.fd, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_write.fd, STDOUT_FILENO);
  // Not the server's sockets or database: only stdin, stdout and stderr (for libvips' warnings).
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &all);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  const std::string content_type(MediaContentType(format));
  std::vector<std::string> args = {
      options_.executable,
      kThumbnailSubcommand,
      content_type,
      std::to_string(size),
      std::to_string(options_.memory_bytes),
      std::to_string(options_.cpu_seconds),
      std::to_string(options_.decode.max_dimension),
      std::to_string(static_cast<int64_t>(options_.decode.max_pixels)),
      std::to_string(options_.decode.max_pdf_pages),
  };
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  int spawned =
      ::posix_spawn(&pid, options_.executable.c_str(), &actions, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) {
    return Internal("thumbnail: cannot start " + options_.executable + ": " +
                    std::strerror(spawned));
  }
  out_write.Reset();
  in.Reset();

  // Read the answer until the child closes its end, the output is too long, or time is up.
  const auto deadline = std::chrono::steady_clock::now() + options_.wall_clock;
  std::string output;
  bool timed_out = false, overflow = false;
  char buf[64 * 1024];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{out_read.fd, POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;  // the deadline is checked above
    ssize_t n = ::read(out_read.fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    output.append(buf, static_cast<size_t>(n));
    if (output.size() > kMaxOutput) {
      overflow = true;
      break;
    }
  }
  // The child has closed stdout (or must go): reap it, killing it if it lingers past the deadline.
  int status = 0;
  if (timed_out || overflow) ::kill(pid, SIGKILL);
  for (;;) {
    pid_t done = ::waitpid(pid, &status, timed_out || overflow ? 0 : WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) return Internal("thumbnail: " + Errno("waitpid"));
    if (done == 0) {
      if (std::chrono::steady_clock::now() >= deadline) {
        timed_out = true;
        ::kill(pid, SIGKILL);
      } else {
        ::usleep(2000);
      }
    }
  }

  const std::string limits = "limits: " + std::to_string(options_.memory_bytes >> 20) + " MiB, " +
                             std::to_string(options_.cpu_seconds) + " s of CPU, " +
                             std::to_string(options_.wall_clock.count()) + " ms";
  if (timed_out) {
    return TooComplex("the file takes longer to preview than allowed",
                      "killed at the wall-clock deadline; " + limits);
  }
  if (overflow)
    return Internal("thumbnail: the child wrote more than " + std::to_string(kMaxOutput) +
                    " bytes");
  if (WIFSIGNALED(status)) {
    // SIGXCPU: its CPU time; SIGABRT/SIGSEGV: typically an allocation refused by RLIMIT_AS
    // (GLib aborts on a failed g_malloc) — the file's demands either way.
    return TooComplex("the file needs more memory or time to preview than allowed",
                      "the decoder died of signal " + std::to_string(WTERMSIG(status)) + " (" +
                          strsignal(WTERMSIG(status)) + "); " + limits);
  }
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : kExitFault;
  if (code == kExitOk) return Preview{"image/jpeg", std::move(output)};
  std::string message = output.substr(0, output.find('\n'));
  std::string detail =
      output.find('\n') == std::string::npos ? "" : output.substr(output.find('\n') + 1);
  if (code == kExitUnreadable) {
    return Fail(ErrorCode::kInvalid, "thumbnail_unavailable", message, detail);
  }
  if (code == kExitTooComplex) return TooComplex(message, detail);
  return Internal("thumbnail: the decoder failed (exit " + std::to_string(code) + "): " + message +
                  " " + detail);
}

// AddressSanitizer reserves terabytes of shadow address space before main, so under it every
// later mmap would fail a RLIMIT_AS of 1 GiB. Sanitizer builds (make test-asan) keep the CPU and
// wall-clock bounds only; release and debug builds are unaffected.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kCanLimitAddressSpace = false;
#else
constexpr bool kCanLimitAddressSpace = true;
#endif

int ThumbnailChildMain(int argc, char** argv) {
  if (argc != 9) return kExitUsage;
  auto format = MediaFormatOfContentType(argv[2]);
  int64_t size = 0, memory = 0, cpu = 0, dimension = 0, pixels = 0, pages = 0;
  if (!format || !ParseInt(argv[3], size) || !ParseInt(argv[4], memory) ||
      !ParseInt(argv[5], cpu) || !ParseInt(argv[6], dimension) || !ParseInt(argv[7], pixels) ||
      !ParseInt(argv[8], pages) || size < 1 || size > 4096) {
    return kExitUsage;
  }
  // The limits first, before libvips is even opened: whatever the file does, it does within them.
  rlimit as{static_cast<rlim_t>(memory), static_cast<rlim_t>(memory)};
  rlimit cpu_time{static_cast<rlim_t>(cpu), static_cast<rlim_t>(cpu + 1)};  // SIGXCPU, then SIGKILL
  rlimit none{0, 0};
  if ((kCanLimitAddressSpace && ::setrlimit(RLIMIT_AS, &as) != 0) ||
      ::setrlimit(RLIMIT_CPU, &cpu_time) != 0 ||
      ::setrlimit(RLIMIT_CORE, &none) != 0 || ::setrlimit(RLIMIT_FSIZE, &none) != 0) {
    std::string text = "cannot limit the decoder\n" + Errno("setrlimit");
    WriteAll(STDOUT_FILENO, text.data(), text.size());
    return kExitFault;
  }
  // One worker thread and few malloc arenas: each thread reserves address space (its stack and a
  // 64 MiB arena), which RLIMIT_AS counts.
  ::setenv("VIPS_CONCURRENCY", "1", 1);
  // No ORC: its JIT writes executable code to a file in $HOME, which RLIMIT_FSIZE forbids. Other
  // writes (a font cache) fail with EFBIG instead of killing the decoder.
  ::setenv("VIPS_NOVECTOR", "1", 1);
  ::signal(SIGXFSZ, SIG_IGN);
  ::mallopt(M_ARENA_MAX, 2);

  std::string data;
  char buf[64 * 1024];
  for (;;) {
    ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  DecodeLimits limits;
  limits.max_dimension = static_cast<int>(dimension);
  limits.max_pixels = static_cast<double>(pixels);
  limits.max_pdf_pages = static_cast<int>(pages);
  if (Status ready = InitVips(argv[0]); !ready) {
    std::string text = ready.error().message + "\n" + ready.error().detail;
    WriteAll(STDOUT_FILENO, text.data(), text.size());
    return kExitFault;
  }
  auto preview = VipsMediaProcessor(limits).Thumbnail(data, *format, static_cast<int>(size));
  if (preview) {
    return WriteAll(STDOUT_FILENO, preview->data.data(), preview->data.size()) ? kExitOk
                                                                               : kExitFault;
  }
  const Error& e = preview.error();
  std::string text = e.message + "\n" + e.detail;
  WriteAll(STDOUT_FILENO, text.data(), text.size());
  if (e.reason == kMediaTooComplex) return kExitTooComplex;
  if (e.reason == "thumbnail_unavailable") return kExitUnreadable;
  return kExitFault;
}

}  // namespace bf::media
