// The HTTP server on Boost.Beast: asynchronous, one thread per core, keep-alive, bounded header
// and body sizes, read and idle timeouts, a minimum body rate, a connection cap, strict message
// framing (RFC 9112 §6), graceful shutdown. It reads a request, hands it to the
// Router, and writes the answer; it knows nothing of the API.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"
#include "http/forwarded.h"
#include "http/router.h"

namespace bf::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;      // 0: any free port (tests)
  int threads = 0;           // 0: one per core
  int blocking_threads = 4;  // for streaming routes (uploads, imports, exports)
  int media_threads = 2;     // for routes that decode media (Route::media), apart from those
  size_t header_limit = 16 * 1024;
  // A request must arrive whole within this time of the connection (or the previous answer);
  // this is also how long an idle keep-alive connection stays open.
  std::chrono::seconds request_timeout{30};
  // After a stop is asked for, in-flight requests get this long to finish.
  std::chrono::seconds shutdown_grace{20};
  // After a stop is asked for, the listener closes at once, and an idle kept-alive connection
  // still takes one request this long (answered with Connection: close) before it closes: a
  // load balancer may be sending on it at that very moment, and a request sent on a connection
  // that closes fails — a proxy does not retry a POST. 0: close idle connections at once.
  std::chrono::milliseconds shutdown_idle_wait{1000};
  // Connections open at once, idle keep-alive ones included; 0: DefaultMaxConnections of the
  // file descriptor limit. At the cap a new connection closes the one idle longest; when none
  // is idle, the new one is closed unanswered.
  int max_connections = 0;
  // A request body must keep arriving at this average rate (bytes per second) once
  // request_timeout has passed since its header: its deadline is header + request_timeout +
  // bytes received / min_body_rate. A client below it is disconnected.
  size_t min_body_rate = 8 * 1024;
  // Streaming routes' bodies arrive whole before their handler runs on the blocking pool (so a
  // slow client never holds a worker): in memory up to spool_memory_limit, beyond it in an
  // unlinked file in spool_dir (empty: the system's temporary directory).
  size_t spool_memory_limit = 256 * 1024;
  std::string spool_dir;
  // Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (forwarded.h);
  // empty: the peer is the client, as when nothing sits in front.
  TrustedProxies trusted_proxies;
};

// Raises the soft limit on open files to the hard limit; returns the soft limit now in force.
int RaiseFileLimit();
// The connection cap for `fd_limit` open files: room is kept for the database, spools, media
// children and logs (64 descriptors, or a quarter of a small limit), and at most 4096.
int DefaultMaxConnections(int fd_limit);

class Server {
 public:
  Server(const Router& router, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. Returns the port bound (useful with port 0).
  Result<uint16_t> Listen();
  // Serves on the worker threads until Stop() or SIGINT/SIGTERM; then returns once in-flight
  // requests have finished (or the grace period is over).
  void Run(bool handle_signals);
  // Starts Run on background threads and returns at once (tests).
  void Start();
  // Asks the server to stop: no new connections; in-flight requests finish; idle connections
  // close, after taking one more request for up to shutdown_idle_wait. Thread-safe. Waits for
  // the threads started by Start().
  void Stop();

  class Impl;  // public only so that server.cc's connection class can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace bf::http
