// A `seoagents serve` child process for tests (see server_process.hpp).
#include "tests/support/server_process.hpp"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <regex>
#include <stdexcept>
#include <vector>

extern char** environ;

namespace seoagents::testing {

ServerProcess::ServerProcess(const std::string& data_dir, const ServerProcessOptions& options) {
  int out[2];
  if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  if (options.log_to_stdout) posix_spawn_file_actions_adddup2(&actions, out[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  std::string binary = options.binary.empty() ? SEOAGENTS_BINARY : options.binary;
  std::vector<std::string> args = {binary, "serve",  "--port", "0",           "--threads",
                                   "2",    "--data", data_dir, "--log-level", "warn"};
  args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
  std::vector<char*> argv;
  for (std::string& arg : args)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> environment(options.environment);
  std::vector<char*> envp;
  for (char** entry = environ; *entry != nullptr; ++entry)
    envp.push_back(*entry);
  for (std::string& entry : environment)
    envp.push_back(entry.data());
  envp.push_back(nullptr);
  int rc = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  if (rc != 0) {
    ::close(out[0]);
    throw std::runtime_error("posix_spawn failed");
  }
  stdout_ = ::fdopen(out[0], "r");
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (stdout_ != nullptr) ::fclose(stdout_);
}

std::string ServerProcess::read_line() {
  char line[512];
  if (std::fgets(line, sizeof line, stdout_) == nullptr) return {};
  return line;
}

std::string ServerProcess::read_api_key() {
  static const std::regex kKey(R"(sak_[0-9A-Za-z]+)");
  for (std::string line = read_line(); !line.empty(); line = read_line()) {
    std::smatch match;
    if (std::regex_search(line, match, kKey)) return match[0];
  }
  return {};
}

std::uint16_t ServerProcess::port() {
  std::string line = read_line();
  while (line.starts_with('{'))  // a JSON log line
    line = read_line();
  return port_from_banner(line);
}

int ServerProcess::stop_with(int signal) {
  ::kill(pid_, signal);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::uint16_t port_from_banner(const std::string& banner) {
  std::smatch match;
  static const std::regex kListening(R"(listening on http://127\.0\.0\.1:(\d+) )");
  if (!std::regex_search(banner, match, kListening)) return 0;
  return static_cast<std::uint16_t>(std::stoi(match[1]));
}

}  // namespace seoagents::testing
