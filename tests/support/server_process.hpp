// `seoagents serve --port 0 --threads 2 --data DIR --log-level warn` as a child process of the
// test, with its stdout on a pipe, for tests of the real binary (CLI, signals, restarts).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <cstdio>
#include <string>

namespace seoagents::testing {

class ServerProcess {
 public:
  // Starts the binary the tests were built with; throws std::runtime_error when it cannot.
  explicit ServerProcess(const std::string& data_dir);
  // Kills the process if it still runs.
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // The next line the server prints (blocks until it is printed or the process exits).
  std::string read_line();
  // The port of the "listening on" banner, its first line (blocks like read_line); 0 if none.
  std::uint16_t port();
  // Sends `signal` and returns the exit status (-1 when it did not exit normally).
  int stop_with(int signal);

 private:
  pid_t pid_ = -1;
  FILE* stdout_ = nullptr;
};

// The port in a "listening on http://127.0.0.1:PORT" banner line; 0 if there is none.
std::uint16_t port_from_banner(const std::string& banner);

}  // namespace seoagents::testing
