#include "http/server.h"

#include <array>
#include <atomic>
#include <condition_variable>
#include <list>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

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
        signals_(ioc_) {}

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
  std::atomic<bool> stopping_{false};
  std::mutex sessions_mu_;
  std::list<std::weak_ptr<Session>> sessions_;
  std::thread background_;

 private:
  void Accept();
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server::Impl& server)
      : stream_(std::move(socket)), server_(server) {
    beast::error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = endpoint.address().to_string();
  }

  void Start() {
    net::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::ReadHeader, shared_from_this()));
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
    if (ec == bhttp::error::header_limit) {
      return Reject(Error{ErrorCode::kHeaderTooLarge, "header_too_large",
                          "the request header is larger than 16 KiB", {}, {}});
    }
    if (ec) return Close();  // end of stream, timeout, reset, malformed
    const auto& header = parser_->get();
    std::string_view target = header.target();
    std::string_view path = target.substr(0, target.find('?'));
    size_t limit = server_.router_.BodyLimit(header.method_string(), path);
    auto length = parser_->content_length();
    if (length && *length > limit) return RejectTooLarge(limit);
    parser_->body_limit(limit);
    if (parser_->is_done()) return Handle();
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::OnBody, shared_from_this()));
  }

  void OnBody(beast::error_code ec, std::size_t) {
    if (ec == bhttp::error::body_limit) return RejectTooLarge(parser_->get().payload_size().value_or(0));
    if (ec) return Close();
    Handle();
  }

  void RejectTooLarge(size_t limit) {
    Reject(Error{ErrorCode::kTooLarge, "too_large",
                 "the request body is larger than this route accepts (" + std::to_string(limit) +
                     " bytes)", {}, {}});
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
    stream_.async_read_some(net::buffer(discard_),
                            [self = shared_from_this(), discarded](beast::error_code ec, std::size_t n) {
                              if (ec) return self->Close();
                              self->DiscardSome(discarded + n);
                            });
  }

  void Handle() {
    started_ = std::chrono::steady_clock::now();
    auto message = parser_->release();
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
    req.body = std::move(message.body());
    bool keep_alive = message.keep_alive() && !server_.stopping_;
    Response res;
    if (!ParseTarget(req.target, req.path, req.query) || req.target.empty() || req.target[0] != '/') {
      res = ProblemResponse(Error{ErrorCode::kBadRequest, "bad_request", "the request target is malformed", {}, {}}, req);
    } else {
      res = server_.router_.Handle(req);
    }
    Write(std::move(res), req, keep_alive);
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
    auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_);
    spdlog::info("{} \"{} {}\" {} {} {:.1f}ms id={}", req.remote_address.empty() ? "-" : req.remote_address,
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
  std::array<char, 16 * 1024> discard_;
  std::chrono::steady_clock::time_point started_;
};

Result<uint16_t> Server::Impl::Listen() {
  beast::error_code ec;
  auto address = net::ip::make_address(options_.address, ec);
  if (ec) {
    return Fail(ErrorCode::kInvalid, "invalid_listen_address", "cannot listen on " + options_.address);
  }
  tcp::endpoint endpoint(address, options_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Fail(ErrorCode::kUnavailable, "listen_failed",
                "cannot listen on " + options_.address + ":" + std::to_string(options_.port) + ": " +
                    ec.message());
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
