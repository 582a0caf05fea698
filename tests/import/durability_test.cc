// Durability of a bulk upload, with the real binary: `bonafides serve` is killed with SIGKILL
// while it writes a large import; after a restart none of the import's rows exist and SQLite's
// integrity check passes.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "core/ids.h"
#include "support/http_client.h"

#ifndef BF_BONAFIDES
#error "BF_BONAFIDES must name the bonafides binary"
#endif

extern char** environ;

namespace bf::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr char kPassword[] = "correct horse battery";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs the binary with `args`, stdout and stderr to files in `dir`; returns the pid.
pid_t Spawn(const fs::path& dir, const std::string& name, const std::vector<std::string>& args) {
  std::vector<std::string> argv_strings = {BF_BONAFIDES};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string out = (dir / (name + ".out")).string();
  const std::string err = (dir / (name + ".err")).string();
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, BF_BONAFIDES, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  EXPECT_EQ(rc, 0) << "cannot run " << BF_BONAFIDES;
  return pid;
}

int Wait(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

// A running `bonafides serve` on a port the kernel picked.
struct Server {
  pid_t pid = 0;
  uint16_t port = 0;
};

Server StartServer(const fs::path& dir, const std::string& name) {
  Server s;
  s.pid = Spawn(dir, name, {"serve", "--data-dir", (dir / "data").string(), "--listen", "127.0.0.1:0",
                            "--notify-interval", "0"});
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string out = ReadFile(dir / (name + ".out"));
    const std::string prefix = "Serving http://127.0.0.1:";
    if (auto at = out.find(prefix); at != std::string::npos && out.find('\n', at) != std::string::npos) {
      s.port = static_cast<uint16_t>(std::stoi(out.substr(at + prefix.size())));
      return s;
    }
    std::this_thread::sleep_for(50ms);
  }
  ADD_FAILURE() << "serve did not start: " << ReadFile(dir / (name + ".err"));
  return s;
}

std::string SignIn(const HttpClient& client) {
  auto res = client.Send("POST", "/api/v1/auth/login", R"({"email":"admin@d.example","password":")" +
                                                           std::string(kPassword) + "\"}");
  EXPECT_EQ(res.status, 200) << res.body;
  std::string cookie = res.Header("set-cookie");
  return cookie.substr(0, cookie.find(';'));
}

int64_t Count(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  EXPECT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  int64_t n = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return n;
}

TEST(ImportDurabilityTest, AServerKilledWhileWritingAnImportKeepsNoneOfItsRows) {
  const fs::path dir = fs::temp_directory_path() / ("bonafides-durability-" + NewId());
  fs::create_directories(dir);
  ::setenv("BONAFIDES_ADMIN_PASSWORD", kPassword, 1);
  pid_t org = Spawn(dir, "org", {"org", "create", "--name", "Durable", "--admin-email", "admin@d.example",
                                 "--admin-name", "Ada Admin", "--data-dir", (dir / "data").string()});
  ASSERT_EQ(Wait(org), 0) << ReadFile(dir / "org.err");

  Server server = StartServer(dir, "serve1");
  ASSERT_NE(server.port, 0);
  HttpClient client(server.port);
  const std::string cookie = SignIn(client);
  auto type = client.Send("POST", "/api/v1/credential-types", R"({"name":"Forklift"})", {{"Cookie", cookie}});
  ASSERT_EQ(type.status, 201) << type.body;

  // Large enough that writing it takes seconds, so that the kill lands in the middle.
  std::string csv = "email,credential_type,issue_date,expiry_date,credential_number\n";
  const int rows = 300000;
  for (int i = 0; i < rows; ++i) {
    csv += "admin@d.example,Forklift,2026-01-01,2031-01-01,F-" + std::to_string(i) + "\n";
  }
  const fs::path wal = dir / "data" / "bonafides.db-wal";
  std::error_code ec;
  const auto wal_before = fs::exists(wal) ? fs::file_size(wal, ec) : 0;
  auto upload = std::async(std::launch::async, [&] {
    return client.Send("POST", "/api/v1/credential-imports", csv, {{"Cookie", cookie}, {"Content-Type", "text/csv"}});
  });

  // The write pass is the only writer: once the write-ahead log has grown by megabytes, the
  // import's transaction is well under way (and not committed: the answer has not come).
  bool killed = false;
  const auto deadline = std::chrono::steady_clock::now() + 25s;
  while (std::chrono::steady_clock::now() < deadline) {
    const auto size = fs::exists(wal) ? fs::file_size(wal, ec) : 0;
    if (size > wal_before + 8 * 1024 * 1024) {
      ASSERT_EQ(upload.wait_for(0s), std::future_status::timeout) << "the import finished before the kill";
      ::kill(server.pid, SIGKILL);
      killed = true;
      break;
    }
    std::this_thread::sleep_for(5ms);
  }
  ASSERT_TRUE(killed) << "the import never started writing: " << ReadFile(dir / "serve1.err");
  const int status = Wait(server.pid);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  EXPECT_EQ(upload.get().status, 0) << "no answer from a killed server";

  // Restarted, the server recovers the database and shows none of the import.
  server = StartServer(dir, "serve2");
  ASSERT_NE(server.port, 0);
  HttpClient again(server.port);
  EXPECT_EQ(again.Send("GET", "/readyz").status, 200);
  const std::string cookie2 = SignIn(again);
  auto list = again.Send("GET", "/api/v1/credentials?archived=all", "", {{"Cookie", cookie2}});
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.Json().at("items").as_array().size(), 0u);
  auto log = again.Send("GET", "/api/v1/activity?action=credential.imported", "", {{"Cookie", cookie2}});
  EXPECT_EQ(log.Json().at("items").as_array().size(), 0u);
  ::kill(server.pid, SIGTERM);
  EXPECT_EQ(Wait(server.pid), 0);

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "data" / "bonafides.db").string().c_str(), &db), SQLITE_OK);
  sqlite3_stmt* check = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &check, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(check), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(check, 0)), "ok");
  sqlite3_finalize(check);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM credentials"), 0);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM credential_versions"), 0);
  EXPECT_EQ(Count(db, "SELECT COUNT(*) FROM credential_types"), 1) << "what was committed before stays";
  sqlite3_close(db);
  // The import's spool had no name: nothing of it is left beside the database.
  for (const auto& entry : fs::directory_iterator(dir / "data")) {
    EXPECT_EQ(entry.path().filename().string().find(".bonafides-import"), std::string::npos) << entry.path();
  }
  fs::remove_all(dir, ec);
}

}  // namespace
}  // namespace bf::testing
