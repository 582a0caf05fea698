#include "http/server.h"

#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <future>
#include <list>
#include <mutex>
#include <optional>
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

}  // namespace

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
        blocking_(static_cast<size_t>(options.blocking_threads)) {}

  Result<uint16_t> Listen();
  void Run(bool handle_signals);
  void BeginShutdown();
  void Register(const std::shared_ptr<Session>& session);

  const Router& router_;
  ServerOptions options_;
  int threads_;
  net::io_context ioc_;
  tcp::acceptor acceptor_;
  net::signal_set signals_;
  // Streaming routes run here, so that reading an upload or producing an export never blocks
  // an I/O thread.
  net::thread_pool blocking_;
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
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = endpoint.address().to_string();
  }

  void Start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::ReadHeader, shared_from_this()));
  }

  // On shutdown: a connection waiting for its next request closes now; one in the middle of a
  // request finishes it and then closes (keep-alive is off once stopping).
  void StopIfIdle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->idle_) self->Close();
    });
  }

 private:
  void ReadHeader() {
    if (server_.stopping_) return Close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options_.header_limit));
    // Beast checks Content-Length against the body limit while parsing the header; the limit
    // depends on the route, so it is set once the header is in (OnHeader).
    parser_->body_limit(boost::none);
    idle_ = true;
    stream_.expires_after(server_.options_.request_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    idle_ = false;
    received_ = std::chrono::steady_clock::now();
    if (ec == bhttp::error::header_limit) {
      return Reject(Error{ErrorCode::kHeaderTooLarge,
                          "header_too_large",
                          "the request header is larger than 16 KiB",
                          {},
                          {}});
    }
    if (ec) return Close();  // end of stream, timeout, reset, malformed
    const auto& header = parser_->get();
    std::string_view target = header.target();
    std::string_view path = target.substr(0, target.find('?'));
    RouteInfo route = server_.router_.Lookup(header.method_string(), path);
    auto length = parser_->content_length();
    if (length && *length > route.body_limit)
      return RejectTooLarge(route.body_limit, route.too_large_message);
    parser_->body_limit(route.body_limit);
    body_limit_ = route.body_limit;
    if (route.streaming) {
      // The guard keeps the I/O threads running while the handler works between reads.
      net::post(server_.blocking_,
                [self = shared_from_this(), guard = net::make_work_guard(server_.ioc_)] {
                  self->HandleStreaming();
                });
      return;
    }
    if (parser_->is_done()) return Handle();
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnBody, shared_from_this()));
  }

  void OnBody(beast::error_code ec, std::size_t) {
    if (ec == bhttp::error::body_limit)
      return RejectTooLarge(parser_->get().payload_size().value_or(0));
    if (ec) return Close();
    Handle();
  }

  void RejectTooLarge(size_t limit, const std::string& message = "") {
    Reject(Error{ErrorCode::kTooLarge,
                 "too_large",
                 !message.empty() ? message
                                  : "the request body is larger than this route accepts (" +
                                        std::to_string(limit) + " bytes)",
                 {},
                 {}});
  }

  // Answers an error and closes: the rest of the request is never stored.
  void Reject(const Error& error) {
    Request req;
    req.request_id = RequestId("");
    req.remote_address = remote_;
    started_ = std::chrono::steady_clock::now();
    linger_ = true;
    Write(ProblemResponse(error, req), req, false);
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

  // Reads a streaming route's body piece by piece, on a blocking-pool thread.
  class StreamReader final : public BodyReader {
   public:
    StreamReader(Session& session, bhttp::request_parser<bhttp::buffer_body>& parser)
        : session_(session), parser_(parser) {}

    Result<std::string_view> Read() override {
      while (!parser_.is_done()) {
        parser_.get().body().data = chunk_.data();
        parser_.get().body().size = chunk_.size();
        auto [ec, n] = session_.Await([&](auto handler) {
          session_.stream_.expires_after(session_.server_.options_.request_timeout);
          bhttp::async_read_some(session_.stream_, session_.buffer_, parser_, std::move(handler));
        });
        if (ec == bhttp::error::need_buffer) ec = {};
        if (ec == bhttp::error::body_limit) {
          return Fail(ErrorCode::kTooLarge, "too_large",
                      "the request body is larger than this route accepts (" +
                          std::to_string(session_.body_limit_) + " bytes)");
        }
        if (ec) {
          return Fail(ErrorCode::kBadRequest, "incomplete_body",
                      "the request body did not arrive whole", ec.message());
        }
        size_t got = chunk_.size() - parser_.get().body().size;
        if (got > 0) return std::string_view(chunk_.data(), got);
      }
      return std::string_view();
    }

   private:
    Session& session_;
    bhttp::request_parser<bhttp::buffer_body>& parser_;
    std::array<char, 64 * 1024> chunk_;
  };

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

  // A streaming route, on a blocking-pool thread: the handler reads the body as it arrives.
  void HandleStreaming() {
    started_ = std::chrono::steady_clock::now();
    bhttp::request_parser<bhttp::buffer_body> parser(std::move(*parser_));
    Request req = FromHeader(parser.get());
    StreamReader reader(*this, parser);
    req.body_reader = &reader;
    Response res = Route(req);
    req.body_reader = nullptr;
    // A body the handler did not read to its end cannot be skipped safely: close afterwards.
    bool keep_alive = parser.is_done() && parser.get().keep_alive() && !server_.stopping_;
    if (!parser.is_done()) linger_ = true;
    if (res.stream) return StreamResponse(res, req, keep_alive);
    net::post(stream_.get_executor(),
              [self = shared_from_this(), res = std::move(res), req = std::move(req),
               keep_alive]() mutable { self->Write(std::move(res), req, keep_alive); });
  }

  // Sends the header, then the body `res.stream` produces, chunked (or, when the response sets
  // Content-Length, as exactly that many bytes); on a blocking-pool thread.
  void StreamResponse(Response& res, const Request& req, bool keep_alive) {
    std::optional<uint64_t> length;
    if (auto declared = res.headers.find("Content-Length"); declared != res.headers.end()) {
      length = std::stoull(declared->second);
    }
    bhttp::response<bhttp::empty_body> head;
    head.result(static_cast<unsigned>(res.status));
    head.version(11);
    for (const auto& [name, value] : res.headers) head.set(name, value);
    head.set(bhttp::field::server, "bonafides");
    head.set("X-Request-Id", req.request_id);
    head.set("X-Content-Type-Options", "nosniff");
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
    auto out = std::make_shared<bhttp::response<bhttp::string_body>>();
    out->result(static_cast<unsigned>(res.status));
    out->version(11);
    for (const auto& [name, value] : res.headers) out->set(name, value);
    out->set(bhttp::field::server, "bonafides");
    out->set("X-Request-Id", req.request_id);
    out->set("X-Content-Type-Options", "nosniff");
    if (!out->has_content_length() && res.status != 204) out->body() = std::move(res.body);
    out->keep_alive(keep_alive);
    out->prepare_payload();
    auto elapsed =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_);
    spdlog::info("{} \"{} {}\" {} {} {:.1f}ms id={}",
                 req.remote_address.empty() ? "-" : req.remote_address,
                 req.method.empty() ? "-" : req.method, req.target.empty() ? "-" : req.target,
                 res.status, out->body().size(), elapsed.count(), req.request_id);
    response_ = out;
    stream_.expires_after(server_.options_.request_timeout);
    bhttp::async_write(stream_, *out,
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
  std::shared_ptr<bhttp::response<bhttp::string_body>> response_;
  std::string remote_;
  bool idle_ = false;
  bool linger_ = false;
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
    if (stopping_ || !acceptor_.is_open()) return;
    if (!ec) {
      auto session = std::make_shared<Session>(std::move(socket), *this);
      Register(session);
      session->Start();
    }
    Accept();
  });
}

void Server::Impl::Register(const std::shared_ptr<Session>& session) {
  std::lock_guard lock(sessions_mu_);
  sessions_.remove_if([](const std::weak_ptr<Session>& s) { return s.expired(); });
  sessions_.push_back(session);
}

void Server::Impl::BeginShutdown() {
  if (stopping_.exchange(true)) return;
  net::post(acceptor_.get_executor(), [this] {
    beast::error_code ec;
    acceptor_.close(ec);
  });
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
