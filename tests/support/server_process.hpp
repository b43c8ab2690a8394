// `seoagents serve --port 0 --threads 2 --data DIR --log-level warn` as a child process of the
// test, with its stdout on a pipe, for tests of the real binary (CLI, signals, restarts).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace seoagents::testing {

// What to start besides the data directory.
struct ServerProcessOptions {
  // The binary; empty: the seoagents the tests were built with.
  std::string binary;
  // Flags after the defaults (later flags win).
  std::vector<std::string> extra_args;
  // "NAME=value" entries added to the test's environment.
  std::vector<std::string> environment;
  // The log (stderr) on the same pipe as stdout, for tests that wait for a log line.
  bool log_to_stdout = false;
};

class ServerProcess {
 public:
  // Starts the binary; throws std::runtime_error when it cannot.
  explicit ServerProcess(const std::string& data_dir, const ServerProcessOptions& options = {});
  // Kills the process if it still runs.
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // The next line the server prints (blocks until it is printed or the process exits).
  std::string read_line();
  // The port of the "listening on" banner, its first line after any log lines (blocks like
  // read_line); 0 if none.
  std::uint16_t port();
  // The next line holding an API key ("sak_…"); empty if the output ends first.
  std::string read_api_key();
  // The child's process id (for /proc/PID/status).
  pid_t pid() const { return pid_; }
  // Sends `signal` and returns the exit status (-1 when it did not exit normally).
  int stop_with(int signal);

 private:
  pid_t pid_ = -1;
  FILE* stdout_ = nullptr;
};

// The port in a "listening on http://127.0.0.1:PORT" banner line; 0 if there is none.
std::uint16_t port_from_banner(const std::string& banner);

}  // namespace seoagents::testing
