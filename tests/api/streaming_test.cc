// Streaming routes in the transport: request bodies read piece by piece on the blocking pool,
// answers produced while they are sent (chunked), limits enforced while reading.
#include <filesystem>
#include <memory>

#include <boost/asio.hpp>
#include <gtest/gtest.h>

#include "core/ids.h"
#include "http/json_io.h"
#include "http/router.h"
#include "http/server.h"
#include "service/services.h"
#include "store/sqlite/sqlite_store.h"
#include "support/http_client.h"

namespace bf::http {
namespace {

class StreamingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("bonafides-stream-" + NewId());
    std::filesystem::create_directories(dir_);
    std::string path = (dir_ / "db").string();
    ASSERT_TRUE(MigrateSqlite(path));
    store_ = std::move(*OpenSqliteStore(path));
    services_ = std::make_unique<Services>(ServiceContext{*store_, clock_, {}});
    std::vector<Route> routes = {
        {"POST", "/upload", Access::kPublic, [](Context& ctx) -> Result<Response> {
           size_t bytes = 0, pieces = 0, largest = 0;
           std::string digest_input;
           for (;;) {
             BF_ASSIGN_OR_RETURN(std::string_view piece, ctx.request.body_reader->Read());
             if (piece.empty()) break;
             bytes += piece.size();
             largest = std::max(largest, piece.size());
             ++pieces;
             digest_input = Sha256Hex(digest_input + std::string(piece));
           }
           return JsonResponse(200, boost::json::object{{"bytes", bytes}, {"pieces", pieces},
                                                        {"largest", largest}, {"digest", digest_input}});
         }, "upload", 8 * 1024 * 1024, true},
        {"GET", "/lines", Access::kPublic, [](Context& ctx) -> Result<Response> {
           int n = std::stoi(ctx.Query("n").value_or("10"));
           Response r;
           r.Set("Content-Type", "text/plain");
           r.stream = [n](BodyWriter& out) -> Status {
             for (int i = 0; i < n; ++i) BF_RETURN_IF_ERROR(out.Write("line " + std::to_string(i) + "\n"));
             return Ok();
           };
           return r;
         }, "lines", kDefaultBodyLimit, false},
    };
    router_ = std::make_unique<Router>(std::move(routes), services_->auth);
    ServerOptions options;
    options.port = 0;
    options.threads = 2;
    options.request_timeout = std::chrono::seconds(3);
    server_ = std::make_unique<Server>(*router_, options);
    port_ = *server_->Listen();
    server_->Start();
  }

  void TearDown() override {
    server_->Stop();
    std::filesystem::remove_all(dir_);
  }

  // Digest the handler computes: chained SHA-256 over pieces is piece-dependent, so tests only
  // compare byte counts and the piece bound.
  std::filesystem::path dir_;
  FakeClock clock_{Timestamp(std::chrono::milliseconds(0))};
  std::unique_ptr<Store> store_;
  std::unique_ptr<Services> services_;
  std::unique_ptr<Router> router_;
  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
};

TEST_F(StreamingTest, AnUploadArrivesWholeInBoundedPieces) {
  testing::HttpClient client(port_);
  std::string body(5 * 1024 * 1024 + 17, 'x');
  auto res = client.Send("POST", "/upload", body, {{"Content-Type", "application/octet-stream"}});
  ASSERT_EQ(res.status, 200) << res.body;
  auto json = res.Json();
  EXPECT_EQ(json.at("bytes").to_number<int64_t>(), static_cast<int64_t>(body.size()));
  EXPECT_LE(json.at("largest").to_number<int64_t>(), 64 * 1024);
  EXPECT_GT(json.at("pieces").to_number<int64_t>(), 1);
}

TEST_F(StreamingTest, AnUploadOverTheLimitIs413WhileReading) {
  testing::HttpClient client(port_);
  // Declared size over the limit: refused before reading.
  auto declared = client.Send("POST", "/upload", std::string(9 * 1024 * 1024, 'y'),
                              {{"Content-Type", "application/octet-stream"}});
  EXPECT_EQ(declared.status, 413);
  // Chunked, so only reading finds out.
  std::string chunk(1024 * 1024, 'z');
  std::string raw = "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 9; ++i) raw += "100000\r\n" + chunk + "\r\n";
  raw += "0\r\n\r\n";
  auto chunked = client.SendRaw(raw);
  EXPECT_EQ(chunked.status, 413);
  EXPECT_EQ(chunked.Code(), "too_large");
}

TEST_F(StreamingTest, AnAnswerIsStreamedInChunksAndTheConnectionIsReused) {
  testing::HttpClient client(port_);
  auto res = client.Send("GET", "/lines?n=200000");
  ASSERT_EQ(res.status, 200);
  EXPECT_EQ(res.Header("transfer-encoding"), "chunked");
  size_t lines = static_cast<size_t>(std::count(res.body.begin(), res.body.end(), '\n'));
  EXPECT_EQ(lines, 200000u);
  EXPECT_EQ(res.body.substr(res.body.size() - 12), "line 199999\n");
  // Keep-alive: two streamed answers on one connection.
  std::string two = "GET /lines?n=3 HTTP/1.1\r\nHost: x\r\n\r\nGET /lines?n=2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket(ioc);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port_});
  boost::asio::write(socket, boost::asio::buffer(two));
  std::string all;
  boost::system::error_code ec;
  char buf[4096];
  for (;;) {
    size_t n = socket.read_some(boost::asio::buffer(buf), ec);
    all.append(buf, n);
    if (ec) break;
  }
  EXPECT_NE(all.find("line 2\n"), std::string::npos);
  EXPECT_EQ(all.find("HTTP/1.1 200", all.find("line 2\n")) != std::string::npos, true);
}

TEST_F(StreamingTest, AClientThatStopsSendingIsCutOffAfterTheTimeout) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket socket(ioc);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port_});
  std::string partial = "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nonly a little";
  boost::asio::write(socket, boost::asio::buffer(partial));
  auto start = std::chrono::steady_clock::now();
  std::string all;
  boost::system::error_code ec;
  char buf[4096];
  for (;;) {
    size_t n = socket.read_some(boost::asio::buffer(buf), ec);
    all.append(buf, n);
    if (ec) break;
  }
  // The timeout closes the connection (nothing can be answered on a timed-out socket).
  EXPECT_TRUE(ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset) << ec.message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(all.find("200 OK"), std::string::npos) << all;
}

}  // namespace
}  // namespace bf::http
