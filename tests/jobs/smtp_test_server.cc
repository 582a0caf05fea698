#include "smtp_test_server.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace bf::testing {

SmtpTestServer::SmtpTestServer(const std::string& mode, int port, int fail_first,
                               const std::string& refuse_rcpt) {
  static std::atomic<int> counter{0};
  dir_ = std::filesystem::temp_directory_path() /
         ("bonafides-smtp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  std::vector<std::string> args = {BF_PYTHON,      std::string(BF_TESTDATA_DIR) + "/smtp_server.py",
                                   "--dir",        dir_.string(),
                                   "--mode",       mode,
                                   "--port",       std::to_string(port),
                                   "--fail-first", std::to_string(fail_first)};
  if (!refuse_rcpt.empty()) {
    args.push_back("--refuse-rcpt");
    args.push_back(refuse_rcpt);
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  // The server's own log (aiosmtpd reports refused handshakes there) goes to a file beside the
  // messages, not into the test's output.
  const std::string log = (dir_ / "server.log").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int spawned = posix_spawn(&pid_, BF_PYTHON, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("cannot start the test SMTP server");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(dir_ / "port");
    if (in >> port_) return;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      std::ifstream err(log);
      std::stringstream text;
      text << err.rdbuf();
      throw std::runtime_error("the test SMTP server exited (is python3-aiosmtpd installed?): " +
                               text.str());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Stop();
  throw std::runtime_error("the test SMTP server did not start");
}

SmtpTestServer::~SmtpTestServer() {
  Stop();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void SmtpTestServer::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
}

std::vector<boost::json::object> SmtpTestServer::Messages() const {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<boost::json::object> out;
  for (const auto& f : files) {
    std::ifstream in(f);
    std::stringstream text;
    text << in.rdbuf();
    out.push_back(boost::json::parse(text.str()).as_object());
  }
  return out;
}

}  // namespace bf::testing
