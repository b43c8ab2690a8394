// Tests of `seoagents serve` as a real process: it starts on its printed port, answers, and
// stops cleanly (exit 0) on SIGINT and SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <string>

#include "tests/support/http_client.hpp"
#include "tests/support/test_server.hpp"

extern char** environ;

namespace seoagents::testing {
namespace {

// A child process running `seoagents serve` with its stdout on a pipe.
class ServerProcess {
 public:
  explicit ServerProcess(const std::string& data_dir) {
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::vector<std::string> args = {SEOAGENTS_BINARY, "serve", "--port", "0",
                                     "--threads",      "2",     "--data", data_dir,
                                     "--log-level",    "warn"};
    std::vector<char*> argv;
    for (std::string& arg : args)
      argv.push_back(arg.data());
    argv.push_back(nullptr);
    int rc = posix_spawn(&pid_, SEOAGENTS_BINARY, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (rc != 0) throw std::runtime_error("posix_spawn failed");
    stdout_ = ::fdopen(out[0], "r");
  }
  ~ServerProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (stdout_ != nullptr) ::fclose(stdout_);
  }

  // The first line the server prints (blocks until it is printed or the process exits).
  std::string first_line() {
    char line[512];
    if (std::fgets(line, sizeof line, stdout_) == nullptr) return {};
    return line;
  }

  // Sends `signal` and returns the exit status (-1 when it did not exit normally).
  int stop_with(int signal) {
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  FILE* stdout_ = nullptr;
};

std::uint16_t port_from_banner(const std::string& banner) {
  std::smatch match;
  static const std::regex kListening(R"(listening on http://127\.0\.0\.1:(\d+) )");
  if (!std::regex_search(banner, match, kListening)) return 0;
  return static_cast<std::uint16_t>(std::stoi(match[1]));
}

class ServeProcess : public ::testing::TestWithParam<int> {};

TEST_P(ServeProcess, ServesHealthThenStopsWithExitCodeZero) {
  std::string data_dir = make_temp_directory() + "/data";
  ServerProcess server(data_dir);
  std::string banner = server.first_line();
  std::uint16_t port = port_from_banner(banner);
  ASSERT_NE(port, 0) << "banner: " << banner;
  EXPECT_TRUE(std::filesystem::is_directory(data_dir));

  HttpClient client(port);
  ClientResponse response = client.request(bhttp::verb::get, "/v1/dashboard/health");
  EXPECT_EQ(response.result(), bhttp::status::ok);
  auto body = boost::json::parse(response.body()).as_object();
  EXPECT_EQ(body.at("status").as_string(), "ok");
  EXPECT_EQ(body.at("version").as_string(), SEOAGENTS_VERSION);

  EXPECT_EQ(server.stop_with(GetParam()), 0);
  EXPECT_TRUE(client.wait_closed());
  std::filesystem::remove_all(std::filesystem::path(data_dir).parent_path());
}

INSTANTIATE_TEST_SUITE_P(Signals, ServeProcess, ::testing::Values(SIGINT, SIGTERM),
                         [](const auto& info) {
                           return info.param == SIGINT ? "SIGINT" : "SIGTERM";
                         });

}  // namespace
}  // namespace seoagents::testing
