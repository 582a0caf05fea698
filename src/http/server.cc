#include "http/server.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <future>
#include <list>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <vector>

#include "core/ids.h"
#include "http/problem.h"

namespace bf::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// The client's X-Request-Id when it is short and plain, else a new one.
std::string RequestId(std::string_view given) {
  bool ok = !given.empty() && given.size() <= 64;
  for (char c : given) {
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
  }
  return ok ? std::string(given) : RandomToken(9);
}

int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// RFC 9112 §6.1 and §6.3: the only transfer coding a request may use is chunked alone, never
// together with Content-Length. Beast reads an unknown coding ("xchunked", "chunked, identity")
// as no coding and frames the body by Content-Length, so the bytes the sender meant as body
// would be read as the next request; such a request is refused instead.
std::optional<std::string> FramingProblem(const bhttp::request_header<>& header) {
  size_t codings = 0;
  for (const auto& field : header) {
    if (field.name() != bhttp::field::transfer_encoding) continue;
    ++codings;
    std::string_view value = field.value();
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    if (!beast::iequals(value, "chunked")) {
      return "Transfer-Encoding " + std::string(field.value()) + " is not supported (only chunked)";
    }
  }
  if (codings > 1) return std::string("Transfer-Encoding is given more than once");
  if (codings == 1 && header.count(bhttp::field::content_length) > 0) {
    return std::string("Content-Length and Transfer-Encoding together");
  }
  if (codings == 1 && header.version() < 11) {
    return std::string("Transfer-Encoding in an HTTP/1.0 request");
  }
  return std::nullopt;
}

// Answers that say nothing of caching are not to be stored: every API answer carries the
// data of one signed-in person. Routes that allow caching say so (web assets, thumbnails).
template <class Message>
void DefaultNoStore(Message& message) {
  if (message.find(bhttp::field::cache_control) == message.end()) {
    message.set(bhttp::field::cache_control, "no-store");
  }
}

// A streaming route's body as it arrived: in memory up to a limit, then in an unlinked file.
class BodySpool {
 public:
  BodySpool(size_t memory_limit, std::string dir)
      : memory_limit_(memory_limit), dir_(std::move(dir)) {}
  ~BodySpool() {
    if (fd_ >= 0) ::close(fd_);
  }
  BodySpool(const BodySpool&) = delete;
  BodySpool& operator=(const BodySpool&) = delete;

  Status Append(const char* data, size_t n) {
    if (fd_ < 0 && memory_.size() + n <= memory_limit_) {
      memory_.append(data, n);
      size_ += n;
      return Ok();
    }
    if (fd_ < 0) {
      BF_RETURN_IF_ERROR(Open());
      BF_RETURN_IF_ERROR(WriteAll(memory_.data(), memory_.size()));
      memory_.clear();
      memory_.shrink_to_fit();
    }
    BF_RETURN_IF_ERROR(WriteAll(data, n));
    size_ += n;
    return Ok();
  }

  // Up to `out.size()` bytes from where the last read ended; empty at the end.
  Result<std::string_view> Read(std::span<char> out) {
    size_t n = std::min(out.size(), size_ - read_);
    if (n == 0) return std::string_view();
    if (fd_ < 0) {
      std::string_view piece(memory_.data() + read_, n);
      read_ += n;
      return piece;
    }
    ssize_t got = ::pread(fd_, out.data(), n, static_cast<off_t>(read_));
    if (got <= 0)
      return Internal(std::string("reading the request spool: ") + std::strerror(errno));
    read_ += static_cast<size_t>(got);
    return std::string_view(out.data(), static_cast<size_t>(got));
  }

 private:
  Status Open() {
    std::string dir = dir_.empty() ? std::filesystem::temp_directory_path().string() : dir_;
    fd_ = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd_ < 0) {
      // Filesystems without O_TMPFILE: a named file, unlinked at once.
      std::string path = dir + "/bonafides-body-XXXXXX";
      fd_ = ::mkostemp(path.data(), O_CLOEXEC);
      if (fd_ >= 0) ::unlink(path.c_str());
    }
    if (fd_ < 0)
      return Internal("cannot spool a request body in " + dir + ": " + std::strerror(errno));
    return Ok();
  }

  Status WriteAll(const char* data, size_t n) {
    while (n > 0) {
      ssize_t w = ::write(fd_, data, n);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return Internal(std::string("spooling a request body: ") + std::strerror(errno));
      data += w;
      n -= static_cast<size_t>(w);
    }
    return Ok();
  }

  size_t memory_limit_;
  std::string dir_;
  std::string memory_;
  int fd_ = -1;
  size_t size_ = 0;
  size_t read_ = 0;
};

// A spooled body handed to a streaming route's handler.
class SpoolReader final : public BodyReader {
 public:
  explicit SpoolReader(BodySpool& spool) : spool_(spool) {}
  Result<std::string_view> Read() override { return spool_.Read(chunk_); }

 private:
  BodySpool& spool_;
  std::array<char, 64 * 1024> chunk_;
};

}  // namespace

int RaiseFileLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  if (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur > (1u << 30)) return 1 << 30;
  return static_cast<int>(limit.rlim_cur);
}

int DefaultMaxConnections(int fd_limit) {
  int reserve = std::min(64, fd_limit / 4);
  return std::clamp(fd_limit - reserve, 8, 4096);
}

class Session;

class Server::Impl {
 public:
  Impl(const Router& router, ServerOptions options)
      : router_(router),
        options_(options),
        threads_(options.threads > 0 ? options.threads
                                     : std::max(1u, std::thread::hardware_concurrency())),
        ioc_(threads_),
        acceptor_(net::make_strand(ioc_)),
        signals_(ioc_),
        accept_backoff_(acceptor_.get_executor()),
        blocking_(static_cast<size_t>(options.blocking_threads)),
        media_(static_cast<size_t>(std::max(1, options.media_threads))) {
    if (options_.max_connections <= 0) {
      rlimit limit{};
      int fds = ::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY
                    ? static_cast<int>(std::min<rlim_t>(limit.rlim_cur, 1 << 30))
                    : 1024;
      options_.max_connections = DefaultMaxConnections(fds);
    }
  }

  Result<uint16_t> Listen();
  void Run(bool handle_signals);
  void BeginShutdown();
  void Register(const std::shared_ptr<Session>& session);
  // A new connection's session, registered and started.
  void Serve(tcp::socket socket);
  // Accepts what is already waiting, then closes the listener (on shutdown).
  void CloseListener();
  // Closes the connection that has waited longest for its next request; false when none waits.
  bool CloseOldestIdle();

  const Router& router_;
  ServerOptions options_;
  int threads_;
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  net::signal_set signals_;
  // After accept fails for want of descriptors (EMFILE), the next try waits on this: the
  // pending connection stays in the backlog, so retrying at once would spin.
  net::steady_timer accept_backoff_;
  std::chrono::steady_clock::time_point last_fd_warning_{};
  std::atomic<int> connections_{0};
  // Streaming routes run here, so that reading an upload or producing an export never blocks
  // an I/O thread.
  net::thread_pool blocking_;
  // Routes that decode media (thumbnails) run here instead, so that however many of them wait,
  // the blocking pool's workers stay free for uploads, imports and exports.
  net::thread_pool media_;
  std::atomic<bool> stopping_{false};
  std::mutex sessions_mu_;
  std::list<std::weak_ptr<Session>> sessions_;
  std::thread background_;

 private:
  void Accept();
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server::Impl& server) : stream_(std::move(socket)), server_(server) {
    ++server_.connections_;
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = endpoint.address().to_string();
  }
  ~Session() { --server_.connections_; }

  // When the connection began waiting for its next request (steady clock, ns); 0 while a
  // request is in progress. Read from the acceptor's thread to choose whom to close at the cap.
  int64_t idle_since() const { return idle_since_.load(); }

  // Closes the connection if it is still waiting for a request since `since` (at the cap);
  // false when it no longer is, or another caller is already closing it.
  bool CloseIfIdleSince(int64_t since) {
    if (!idle_since_.compare_exchange_strong(since, kClosingIdle)) return false;
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_ && self->idle_since_.load() == kClosingIdle) self->Close();
    });
    return true;
  }
  static constexpr int64_t kClosingIdle = -1;

  void Start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::ReadHeader, shared_from_this()));
  }

  // On shutdown: a connection waiting for its next request is given shutdown_idle_wait more for
  // one (its read is cancelled and started again with that deadline, in ReadHeader); one in the
  // middle of a request finishes it. Either way the answer says Connection: close (keep-alive is
  // off once stopping), and the connection closes after it.
  void StopIfIdle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) self->stream_.cancel();
    });
  }

 private:
  // Whether bytes of a request are here: read into the buffer, or waiting in the socket.
  bool RequestWaiting() {
    beast::error_code ec;
    return buffer_.size() > 0 || stream_.socket().available(ec) > 0;
  }

  void ReadHeader() {
    // Stopping. Closing a kept-alive connection at once would race a request the client (a
    // proxy, typically) is sending on it at that moment: a connection closed under a sent request
    // fails it, and a proxy retries a GET on another node but not a POST. So a request that comes
    // within shutdown_idle_wait is answered, with Connection: close, which tells the client to
    // send nothing more on this connection; one that stays quiet that long is closed — by then a
    // proxy sending to this node has used and dropped its connections, or met the closed
    // listener and left the node out. With no wait, the connection closes unless bytes of a
    // request are already here.
    const auto idle_wait = server_.options_.shutdown_idle_wait;
    if (server_.stopping_ && idle_wait.count() == 0 && !RequestWaiting()) return Close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options_.header_limit));
    // Beast checks Content-Length against the body limit while parsing the header; the limit
    // depends on the route, so it is set once the header is in (OnHeader).
    parser_->body_limit(boost::none);
    idle_ = true;
    idle_since_ = SteadyNanos();
    if (server_.stopping_) {
      stream_.expires_after(idle_wait.count() > 0 ? std::chrono::milliseconds(idle_wait)
                                                  : std::chrono::milliseconds(2000));
    } else {
      stream_.expires_after(server_.options_.request_timeout);
    }
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    idle_ = false;
    idle_since_ = 0;
    // StopIfIdle cancelled the wait: wait again, as a stopping server waits.
    if (ec == net::error::operation_aborted && server_.stopping_ && !stop_seen_) {
      stop_seen_ = true;
      return ReadHeader();
    }
    received_ = std::chrono::steady_clock::now();
    if (ec == bhttp::error::header_limit) {
      const Request req = Rejected();
      return Answer(ProblemResponse(HttpFailure::kHeaderTooLarge, "header_too_large",
                                    "the request header is larger than 16 KiB", req),
                    req);
    }
    if (IsMalformed(ec)) return RejectMalformed("the request is malformed (" + ec.message() + ")");
    if (ec) return Close();  // the client left, timed out or reset: nobody to answer
    const auto& header = parser_->get();
    if (auto problem = FramingProblem(header)) return RejectMalformed(*problem);
    std::string_view target = header.target();
    std::string_view path = target.substr(0, target.find('?'));
    RouteInfo route = server_.router_.Lookup(header.method_string(), path);
    auto length = parser_->content_length();
    too_large_message_ = route.too_large_message;
    too_large_code_ = route.too_large_code;
    if (length && *length > route.body_limit) return RejectTooLarge(route.body_limit);
    parser_->body_limit(route.body_limit);
    body_limit_ = route.body_limit;
    if (route.streaming) {
      media_route_ = route.media;
      return SpoolBody();
    }
    if (parser_->is_done()) return Handle();
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnBody, shared_from_this()));
  }

  void OnBody(beast::error_code ec, std::size_t) {
    if (ec == bhttp::error::body_limit) return RejectTooLarge(body_limit_);
    if (IsMalformed(ec))
      return RejectMalformed("the request body is malformed (" + ec.message() + ")");
    if (ec) return Close();
    Handle();
  }

  static bool IsMalformed(beast::error_code ec) {
    return ec && ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message &&
           ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category();
  }

  void RejectMalformed(const std::string& why) {
    Reject(Error{ErrorCode::kBadRequest, "bad_request", why, {}, {}});
  }

  // A streaming route's body is read here, on the connection's strand, into a spool; only a
  // whole body goes on to the blocking pool, so a slow client holds a connection but never a
  // worker. The request's authentication is checked first: nobody unknown makes us spool.
  void SpoolBody() {
    body_parser_.emplace(std::move(*parser_));
    parser_.reset();
    if (!body_parser_->is_done()) {
      Request header = FromHeader(body_parser_->get());
      ParseTarget(header.target, header.path, header.query);
      if (Status admitted = server_.router_.Admit(header); !admitted) {
        return Reject(admitted.error(), &header);
      }
    }
    spool_.emplace(server_.options_.spool_memory_limit, server_.options_.spool_dir);
    body_started_ = std::chrono::steady_clock::now();
    body_bytes_ = 0;
    SpoolSome();
  }

  void SpoolSome() {
    if (body_parser_->is_done()) {
      // The guard keeps the I/O threads running while the handler works.
      net::post(media_route_ ? server_.media_ : server_.blocking_,
                [self = shared_from_this(), guard = net::make_work_guard(server_.ioc_)] {
                  self->HandleStreaming();
                });
      return;
    }
    if (!spool_chunk_) spool_chunk_ = std::make_unique<std::array<char, 64 * 1024>>();
    body_parser_->get().body().data = spool_chunk_->data();
    body_parser_->get().body().size = spool_chunk_->size();
    stream_.expires_at(BodyDeadline());
    bhttp::async_read_some(stream_, buffer_, *body_parser_,
                           beast::bind_front_handler(&Session::OnSpooled, shared_from_this()));
  }

  void OnSpooled(beast::error_code ec, std::size_t) {
    if (ec == bhttp::error::need_buffer) ec = {};
    if (ec == bhttp::error::body_limit) return RejectTooLarge(body_limit_);
    if (IsMalformed(ec))
      return RejectMalformed("the request body is malformed (" + ec.message() + ")");
    if (ec) {
      if (ec == beast::error::timeout) {
        spdlog::info("{} closed: the request body arrived slower than {} bytes/s",
                     remote_.empty() ? "-" : remote_, server_.options_.min_body_rate);
      }
      return Close();
    }
    size_t got = spool_chunk_->size() - body_parser_->get().body().size;
    if (got > 0) {
      if (Status kept = spool_->Append(spool_chunk_->data(), got); !kept) {
        spdlog::error("{}",
                      kept.error().detail.empty() ? kept.error().message : kept.error().detail);
        return Reject(kept.error());
      }
      body_bytes_ += got;
    }
    SpoolSome();
  }

  // request_timeout of grace from the header, then min_body_rate: a body arriving slower than
  // that on average runs out of time, however often single bytes come.
  std::chrono::steady_clock::time_point BodyDeadline() const {
    const auto& o = server_.options_;
    auto earned = std::chrono::microseconds(
        static_cast<int64_t>(static_cast<double>(body_bytes_) * 1e6 /
                             static_cast<double>(std::max<size_t>(1, o.min_body_rate))));
    return body_started_ + o.request_timeout +
           std::chrono::duration_cast<std::chrono::steady_clock::duration>(earned);
  }

  // 413 with the route's code and message when it has them.
  void RejectTooLarge(size_t limit) {
    const std::string& message = too_large_message_;
    Reject(Error{ErrorCode::kTooLarge,
                 too_large_code_.empty() ? "too_large" : too_large_code_,
                 !message.empty() ? message
                                  : "the request body is larger than this route accepts (" +
                                        std::to_string(limit) + " bytes)",
                 {},
                 {}});
  }

  // Answers an error and closes: the rest of the request is never read as a request.
  void Reject(const Error& error, const Request* header = nullptr) {
    Request req = Rejected(header);
    Answer(ProblemResponse(error, req), req);
  }

  // The request a refusal answers: its header when it was read, else a new request id.
  Request Rejected(const Request* header = nullptr) {
    Request req;
    if (header != nullptr) req = *header;
    if (header == nullptr) req.request_id = RequestId("");
    req.remote_address = remote_;
    return req;
  }

  // Writes a refusal, then lingers (LingerThenClose).
  void Answer(Response response, const Request& req) {
    started_ = std::chrono::steady_clock::now();
    linger_ = true;
    Write(std::move(response), req, false);
  }

  // After answering a request whose body we refused, the client may still be sending it.
  // Closing with unread bytes would make the kernel reset the connection, and the client could
  // lose our answer; so stop sending, then read and discard (bounded in bytes and time) until
  // the client closes.
  void LingerThenClose() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(std::chrono::seconds(2));
    DiscardSome(0);
  }

  void DiscardSome(size_t discarded) {
    if (discarded > 64 * 1024 * 1024) return Close();
    stream_.async_read_some(net::buffer(discard_), [self = shared_from_this(), discarded](
                                                       beast::error_code ec, std::size_t n) {
      if (ec) return self->Close();
      self->DiscardSome(discarded + n);
    });
  }

  // The request line and headers as a Request (without the body).
  template <class Message>
  Request FromHeader(const Message& message) {
    Request req;
    req.method = std::string(message.method_string());
    req.target = std::string(message.target());
    req.remote_address = remote_;
    for (const auto& field : message) {
      std::string name(field.name_string());
      auto [it, inserted] = req.headers.emplace(name, std::string(field.value()));
      if (!inserted) it->second += ", " + std::string(field.value());
    }
    req.request_id = RequestId(req.Header("X-Request-Id"));
    req.received = received_;
    // Behind a proxy the operator trusts, the client is who the proxy says, and so is the scheme.
    const TrustedProxies& proxies = server_.options_.trusted_proxies;
    if (!proxies.empty() && proxies.Contains(remote_)) {
      req.remote_address = ClientAddress(remote_, req.Header("X-Forwarded-For"), proxies);
      req.secure = req.Header("X-Forwarded-Proto") == "https";
    }
    return req;
  }

  Response Route(Request& req) {
    if (!ParseTarget(req.target, req.path, req.query) || req.target.empty() ||
        req.target[0] != '/') {
      return ProblemResponse(
          Error{ErrorCode::kBadRequest, "bad_request", "the request target is malformed", {}, {}},
          req);
    }
    return server_.router_.Handle(req);
  }

  void Handle() {
    started_ = std::chrono::steady_clock::now();
    auto message = parser_->release();
    Request req = FromHeader(message);
    req.body = std::move(message.body());
    bool keep_alive = message.keep_alive() && !server_.stopping_;
    Response res = Route(req);
    if (res.stream) {
      // Produce the body on the blocking pool, never on an I/O thread.
      net::post(server_.blocking_,
                [self = shared_from_this(), res = std::move(res), req = std::move(req), keep_alive,
                 guard = net::make_work_guard(server_.ioc_)]() mutable {
                  self->StreamResponse(res, req, keep_alive);
                });
      return;
    }
    Write(std::move(res), req, keep_alive);
  }

  // Runs an asynchronous operation on the connection's strand and waits for it. Only for the
  // blocking pool's threads: the strand's I/O threads keep running while this one waits.
  template <class Initiate>
  std::pair<beast::error_code, std::size_t> Await(Initiate initiate) {
    std::promise<std::pair<beast::error_code, std::size_t>> done;
    auto result = done.get_future();
    net::dispatch(stream_.get_executor(), [&] {
      initiate([&done](beast::error_code ec, std::size_t n) { done.set_value({ec, n}); });
    });
    // If the server was stopped hard (grace period over), the operation will never complete.
    while (result.wait_for(std::chrono::milliseconds(200)) != std::future_status::ready) {
      if (server_.ioc_.stopped()) return {net::error::operation_aborted, 0};
    }
    return result.get();
  }

  // Sends a response body in chunks of up to 64 KiB, on a blocking-pool thread: chunked, or as
  // exactly `length` bytes when the response declared its Content-Length.
  class StreamWriter final : public BodyWriter {
   public:
    StreamWriter(Session& session, std::optional<uint64_t> length)
        : session_(session), length_(length) {
      pending_.reserve(kChunk);
    }

    Status Write(std::string_view data) override {
      if (length_ && bytes_ + pending_.size() + data.size() > *length_) {
        return Fail(ErrorCode::kInternal, "body_too_long", "internal error",
                    "more bytes than the declared Content-Length");
      }
      pending_.append(data);
      if (pending_.size() >= kChunk) return Flush();
      return Ok();
    }

    Status Flush() {
      if (pending_.empty()) return Ok();
      auto [ec, n] = session_.Await([&](auto handler) {
        session_.stream_.expires_after(session_.server_.options_.request_timeout);
        if (length_) {
          net::async_write(session_.stream_, net::buffer(pending_), std::move(handler));
        } else {
          net::async_write(session_.stream_, bhttp::make_chunk(net::buffer(pending_)),
                           std::move(handler));
        }
      });
      bytes_ += pending_.size();
      pending_.clear();
      if (ec)
        return Fail(ErrorCode::kUnavailable, "client_gone", "the client went away", ec.message());
      return Ok();
    }

    size_t bytes() const { return bytes_; }

   private:
    static constexpr size_t kChunk = 64 * 1024;
    Session& session_;
    std::optional<uint64_t> length_;
    std::string pending_;
    size_t bytes_ = 0;
  };

  // A streaming route, on a blocking-pool thread, once its whole body is spooled: the handler
  // reads the body from the spool.
  void HandleStreaming() {
    started_ = std::chrono::steady_clock::now();
    Request req = FromHeader(body_parser_->get());
    bool keep_alive = body_parser_->get().keep_alive() && !server_.stopping_;
    SpoolReader reader(*spool_);
    req.body_reader = &reader;
    Response res = Route(req);
    req.body_reader = nullptr;
    spool_.reset();
    body_parser_.reset();
    if (res.stream) return StreamResponse(res, req, keep_alive);
    net::post(stream_.get_executor(),
              [self = shared_from_this(), res = std::move(res), req = std::move(req),
               keep_alive]() mutable { self->Write(std::move(res), req, keep_alive); });
  }

  // The status line and headers of `res`, with those every answer carries.
  template <class Message>
  static void SetHead(Message& message, const Response& res, const Request& req) {
    message.result(static_cast<unsigned>(res.status));
    message.version(11);
    for (const auto& [name, value] : res.headers) message.set(name, value);
    message.set(bhttp::field::server, "bonafides");
    message.set("X-Request-Id", req.request_id);
    message.set("X-Content-Type-Options", "nosniff");
    DefaultNoStore(message);
  }

  // Sends the header, then the body `res.stream` produces, chunked (or, when the response sets
  // Content-Length, as exactly that many bytes); on a blocking-pool thread.
  void StreamResponse(Response& res, const Request& req, bool keep_alive) {
    std::optional<uint64_t> length;
    if (auto declared = res.headers.find("Content-Length"); declared != res.headers.end()) {
      length = std::stoull(declared->second);
    }
    bhttp::response<bhttp::empty_body> head;
    SetHead(head, res, req);
    head.keep_alive(keep_alive);
    if (length) {
      head.content_length(*length);
    } else {
      head.chunked(true);
    }
    bhttp::response_serializer<bhttp::empty_body> serializer(head);
    auto [ec, n] = Await([&](auto handler) {
      stream_.expires_after(server_.options_.request_timeout);
      bhttp::async_write_header(stream_, serializer, std::move(handler));
    });
    StreamWriter writer(*this, length);
    Status produced = ec ? Status(Fail(ErrorCode::kUnavailable, "client_gone", "client gone"))
                         : res.stream(writer);
    if (produced) produced = writer.Flush();
    if (produced && length && writer.bytes() != *length) {
      produced = Fail(ErrorCode::kInternal, "body_too_short", "internal error",
                      "fewer bytes than the declared Content-Length");
    }
    if (produced && !length) {
      auto [last_ec, last_n] = Await([&](auto handler) {
        net::async_write(stream_, bhttp::make_chunk_last(), std::move(handler));
      });
      if (last_ec) produced = Fail(ErrorCode::kUnavailable, "client_gone", "client gone");
    } else if (!produced) {
      // A body cut short must not look complete: no last chunk, and the connection closes.
      spdlog::warn("request {} {}: streamed answer ended early: {} ({})", req.request_id,
                   req.target, produced.error().message, produced.error().detail);
    }
    auto elapsed =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_);
    spdlog::info("{} \"{} {}\" {} {} {:.1f}ms id={} streamed",
                 req.remote_address.empty() ? "-" : req.remote_address, req.method, req.target,
                 res.status, writer.bytes(), elapsed.count(), req.request_id);
    bool again = produced && keep_alive;
    net::post(stream_.get_executor(), [self = shared_from_this(), again] {
      if (again) return self->ReadHeader();
      if (self->linger_) return self->LingerThenClose();
      self->Close();
    });
  }

  void Write(Response res, const Request& req, bool keep_alive) {
    auto out = std::make_shared<Outgoing>();
    auto& message = out->message;
    SetHead(message, res, req);
    if (!message.has_content_length() && res.status != 204) {
      out->body = std::move(res.body);
      out->kept = std::move(res.kept_body);
      const std::string& text = out->kept ? *out->kept : out->body;
      message.body() = {text.data(), text.size()};
    }
    message.keep_alive(keep_alive);
    message.prepare_payload();
    auto elapsed =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_);
    spdlog::info("{} \"{} {}\" {} {} {:.1f}ms id={}",
                 req.remote_address.empty() ? "-" : req.remote_address,
                 req.method.empty() ? "-" : req.method, req.target.empty() ? "-" : req.target,
                 res.status, message.body().size(), elapsed.count(), req.request_id);
    response_ = out;
    stream_.expires_after(server_.options_.request_timeout);
    bhttp::async_write(stream_, message,
                       [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                         self->response_.reset();
                         if (!ec && self->linger_) return self->LingerThenClose();
                         if (ec || !keep_alive) return self->Close();
                         self->ReadHeader();
                       });
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  Server::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  // A streaming route's request while its body is spooled and handled.
  std::optional<bhttp::request_parser<bhttp::buffer_body>> body_parser_;
  std::optional<BodySpool> spool_;
  std::unique_ptr<std::array<char, 64 * 1024>> spool_chunk_;
  std::chrono::steady_clock::time_point body_started_;
  size_t body_bytes_ = 0;
  std::string too_large_message_;
  std::string too_large_code_;
  bool media_route_ = false;
  std::atomic<int64_t> idle_since_{0};
  // A response being written: its body is a view of `body` (made for this request) or of
  // `kept` (an answer kept between requests, shared with other connections: not copied).
  struct Outgoing {
    bhttp::response<bhttp::span_body<const char>> message;
    std::string body;
    std::shared_ptr<const std::string> kept;
  };
  std::shared_ptr<Outgoing> response_;
  std::string remote_;
  bool idle_ = false;
  bool linger_ = false;
  bool stop_seen_ = false;  // the wait for a request was cancelled by the shutdown once
  size_t body_limit_ = kDefaultBodyLimit;
  std::array<char, 16 * 1024> discard_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point received_;  // the current request's header was parsed
};

Result<uint16_t> Server::Impl::Listen() {
  beast::error_code ec;
  auto address = net::ip::make_address(options_.address, ec);
  if (ec) {
    return Fail(ErrorCode::kInvalid, "invalid_listen_address",
                "cannot listen on " + options_.address);
  }
  tcp::endpoint endpoint(address, options_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Fail(ErrorCode::kUnavailable, "listen_failed",
                "cannot listen on " + options_.address + ":" + std::to_string(options_.port) +
                    ": " + ec.message());
  }
  return acceptor_.local_endpoint().port();
}

void Server::Impl::Accept() {
  acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
    if (stopping_ || !acceptor_.is_open()) {
      // Accepted just as the server stops: its client has sent, or is sending, a request.
      if (!ec) Serve(std::move(socket));
      return;
    }
    if (ec == net::error::no_descriptors || ec.value() == ENFILE ||
        ec == net::error::no_buffer_space || ec == net::error::no_memory) {
      // Out of descriptors: free one if a connection is idle, and try again a little later
      // instead of at once (the connection stays in the backlog, accept would fail again):
      // 10 ms once a descriptor is being freed, 100 ms when every connection is busy.
      auto now = std::chrono::steady_clock::now();
      if (now - last_fd_warning_ > std::chrono::seconds(10)) {
        last_fd_warning_ = now;
        spdlog::warn("accept: {} ({} connections open); closing the longest idle and retrying",
                     ec.message(), connections_.load());
      }
      const bool freed = CloseOldestIdle();
      accept_backoff_.expires_after(std::chrono::milliseconds(freed ? 10 : 100));
      accept_backoff_.async_wait([this](beast::error_code) {
        if (!stopping_ && acceptor_.is_open()) Accept();
      });
      return;
    }
    if (!ec) {
      if (connections_.load() >= options_.max_connections && !CloseOldestIdle()) {
        // Every connection is busy with a request: this one is refused rather than let the
        // server run out of descriptors.
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        Serve(std::move(socket));
      }
    }
    Accept();
  });
}

void Server::Impl::Serve(tcp::socket socket) {
  auto session = std::make_shared<Session>(std::move(socket), *this);
  Register(session);
  session->Start();
}

// Stops listening. Connections the kernel has completed but nobody has accepted yet would be
// reset by closing the listener, after their client sent a request it may not retry (a proxy
// retries a refused connection on another node, but not a POST it has sent): they are accepted
// and served first, then the listener closes and new connections are refused. On the acceptor's
// strand.
void Server::Impl::CloseListener() {
  beast::error_code ec;
  acceptor_.cancel(ec);
  acceptor_.non_blocking(true, ec);
  for (int i = 0; !ec && i < 4096; ++i) {
    tcp::socket socket(net::make_strand(ioc_));
    acceptor_.accept(socket, ec);
    if (!ec) Serve(std::move(socket));
  }
  acceptor_.close(ec);
}

bool Server::Impl::CloseOldestIdle() {
  std::shared_ptr<Session> oldest;
  int64_t oldest_since = 0;
  {
    std::lock_guard lock(sessions_mu_);
    for (auto& weak : sessions_) {
      auto s = weak.lock();
      if (!s) continue;
      int64_t since = s->idle_since();
      if (since > 0 && (oldest == nullptr || since < oldest_since)) {
        oldest = s;
        oldest_since = since;
      }
    }
  }
  return oldest != nullptr && oldest->CloseIfIdleSince(oldest_since);
}

void Server::Impl::Register(const std::shared_ptr<Session>& session) {
  std::lock_guard lock(sessions_mu_);
  sessions_.remove_if([](const std::weak_ptr<Session>& s) { return s.expired(); });
  sessions_.push_back(session);
}

void Server::Impl::BeginShutdown() {
  if (stopping_.exchange(true)) return;
  net::post(acceptor_.get_executor(), [this] { CloseListener(); });
  beast::error_code ec;
  signals_.cancel(ec);
  std::lock_guard lock(sessions_mu_);
  for (auto& weak : sessions_) {
    if (auto s = weak.lock()) s->StopIfIdle();
  }
}

void Server::Impl::Run(bool handle_signals) {
  if (handle_signals) {
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    signals_.async_wait([this](beast::error_code ec, int signal) {
      if (ec) return;
      spdlog::info("signal {}: finishing in-flight requests, then stopping", signal);
      BeginShutdown();
    });
  }
  net::dispatch(acceptor_.get_executor(), [this] { Accept(); });
  // The grace watchdog: once stopping, in-flight requests get shutdown_grace to finish.
  std::mutex done_mu;
  std::condition_variable done_cv;
  bool done = false;
  std::thread watchdog([&] {
    std::unique_lock lock(done_mu);
    while (!done && !stopping_) done_cv.wait_for(lock, std::chrono::milliseconds(100));
    if (!done && !done_cv.wait_for(lock, options_.shutdown_grace, [&] { return done; })) {
      spdlog::warn("shutdown grace period over; closing remaining connections");
      ioc_.stop();
    }
  });
  std::vector<std::thread> workers;
  for (int i = 1; i < threads_; ++i) workers.emplace_back([this] { ioc_.run(); });
  ioc_.run();
  for (auto& t : workers) t.join();
  {
    std::lock_guard lock(done_mu);
    done = true;
  }
  done_cv.notify_all();
  watchdog.join();
}

Server::Server(const Router& router, ServerOptions options)
    : impl_(std::make_unique<Impl>(router, options)) {}

Server::~Server() { Stop(); }

Result<uint16_t> Server::Listen() { return impl_->Listen(); }

void Server::Run(bool handle_signals) { impl_->Run(handle_signals); }

void Server::Start() {
  impl_->background_ = std::thread([this] { impl_->Run(false); });
}

void Server::Stop() {
  impl_->BeginShutdown();
  if (impl_->background_.joinable()) impl_->background_.join();
}

}  // namespace bf::http
