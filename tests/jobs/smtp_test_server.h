// tests/testdata/smtp_server.py as a child process: a real SMTP server on 127.0.0.1 that writes
// every accepted message, parsed, to a directory, or one that misbehaves on purpose.
#pragma once

#include <sys/types.h>

#include <boost/json.hpp>
#include <filesystem>
#include <string>
#include <vector>

namespace bf::testing {

class SmtpTestServer {
 public:
  // `mode`: accept, refuse, drop or hang (see the script). `port` 0: any free port.
  explicit SmtpTestServer(const std::string& mode = "accept", int port = 0, int fail_first = 0,
                          const std::string& refuse_rcpt = "");
  ~SmtpTestServer();
  SmtpTestServer(const SmtpTestServer&) = delete;
  SmtpTestServer& operator=(const SmtpTestServer&) = delete;

  int port() const { return port_; }
  // The messages accepted so far, in order, as the script wrote them.
  std::vector<boost::json::object> Messages() const;
  void Stop();

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace bf::testing
