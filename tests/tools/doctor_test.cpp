// Tests of `seoagents doctor` through the real binary: a healthy data directory passes (exit 0)
// and is left byte for byte as it was; a missing or wrong master key, a data directory that is not
// one (or not writable), a model server that refuses the connection or the key, a port another
// program holds and a broken configuration are FAIL lines and exit 1.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "tests/support/api_helpers.hpp"
#include "tests/support/command.hpp"
#include "tests/support/fake_model_server.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::testing {
namespace {

namespace fs = std::filesystem;

// The safety net for a command that never exits; not a timing assertion.
constexpr std::chrono::seconds kCommandWait{60};

// `seoagents doctor ARGS` through env(1): without the test's own master or model keys, with
// `environment` ("NAME=value") added.
CommandResult doctor(const std::vector<std::string>& args,
                     const std::vector<std::string>& environment = {}) {
  std::vector<std::string> command = {"-u", "SEOAGENTS_MASTER_KEY", "-u", "ANTHROPIC_API_KEY",
                                      "-u", "OPENAI_API_KEY"};
  command.insert(command.end(), environment.begin(), environment.end());
  command.push_back(SEOAGENTS_BINARY);
  command.push_back("doctor");
  command.insert(command.end(), args.begin(), args.end());
  return run_command("/usr/bin/env", command, kCommandWait);
}

// The line of check `name` ("FAIL  master key: …"), or "".
std::string line_of(const CommandResult& result, const std::string& name) {
  for (const std::string& line : lines_of(result.out)) {
    if (line.size() > 6 && line.substr(6).starts_with(name + ":")) return line;
  }
  return {};
}

std::map<std::string, std::string> snapshot_of(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) {
      files[fs::relative(entry.path(), dir).string()] = read_file(entry.path().string());
    }
  }
  return files;
}

// A port nothing listens on and nothing else can take while it lives: bound, never listening, so
// a connection to it is refused.
class ClosedPort {
 public:
  ClosedPort() : socket_(io_) {
    socket_.open(boost::asio::ip::tcp::v4());
    socket_.bind({boost::asio::ip::make_address("127.0.0.1"), 0});
  }
  std::uint16_t port() const { return socket_.local_endpoint().port(); }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
};

// A data directory a server has used: database, master key, one site whose WordPress is at a
// closed port (so its check is a warning), then stopped.
class Doctor : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = root_.path() + "/data";
    ServerProcessOptions options;
    options.extra_args = {"--allow-private-targets", "on", "--access-log", "off"};
    ServerProcess server(data_, options);
    std::uint16_t port = server.port();
    ASSERT_NE(port, 0);
    Api api(port, server.read_api_key());
    site_url_ = join("http://127.0.0.1:", std::to_string(site_port_.port()));
    site_id_ = text_of(
        api.create("/v1/dashboard/sites",
                   join(R"({"name":"blog","url":")", site_url_,
                        R"(","username":"editor","application_password":"abcd efgh ijkl"})")),
        "id");
    ASSERT_EQ(server.stop_with(SIGTERM), 0);
  }

  // The healthy options: a free port, loopback sites allowed (as the server ran), the builtin
  // writer; later flags override them.
  std::vector<std::string> healthy(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"--data", data_,      "--port", "0", "--allow-private-targets",
                                     "on",     "--writer", "builtin"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  TempDirectory root_;
  std::string data_;
  // The site's WordPress, which never answers.
  ClosedPort site_port_;
  std::string site_url_;
  std::string site_id_;
};

TEST_F(Doctor, AHealthyDirectoryPassesAndIsNotModified) {
  auto before = snapshot_of(data_);
  CommandResult result = doctor(healthy());
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  for (const std::string& line : lines_of(result.out)) {
    EXPECT_TRUE(line.starts_with("ok  ") || line.starts_with("warn")) << line;
  }
  for (std::string check : {"configuration", "data directory", "disk space", "database", "schema",
                            "quick_check", "master key", "writer", "port"}) {
    EXPECT_TRUE(line_of(result, check).starts_with("ok  ")) << check << "\n" << result.out;
  }
  EXPECT_NE(line_of(result, "master key").find("opens the stored secrets"), std::string::npos)
      << result.out;
  // The site's WordPress does not answer: a warning naming the site and what to do.
  std::string site = line_of(result, "wordpress " + site_id_);
  EXPECT_TRUE(site.starts_with("warn")) << result.out;
  EXPECT_NE(site.find(site_url_), std::string::npos) << site;
  EXPECT_NE(site.find("->"), std::string::npos) << site;
  EXPECT_EQ(snapshot_of(data_), before);
}

TEST_F(Doctor, BesideARunningServerItsPortIsFine) {
  ServerProcessOptions options;
  options.extra_args = {"--allow-private-targets", "on"};
  ServerProcess server(data_, options);
  std::uint16_t port = server.port();
  ASSERT_NE(port, 0);
  CommandResult result = doctor(healthy({"--port", std::to_string(port)}));
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(line_of(result, "port").find("a server is running"), std::string::npos) << result.out;
  EXPECT_TRUE(line_of(result, "quick_check").starts_with("ok  ")) << result.out;
  EXPECT_EQ(server.stop_with(SIGTERM), 0);
}

TEST_F(Doctor, AMissingMasterKeyFails) {
  fs::remove(data_ + "/master.key");
  CommandResult result = doctor(healthy());
  EXPECT_EQ(result.exit_code, 1) << result.out;
  std::string line = line_of(result, "master key");
  EXPECT_TRUE(line.starts_with("FAIL")) << result.out;
  EXPECT_NE(line.find("restore master.key"), std::string::npos) << line;
  // Nothing was created in its place.
  EXPECT_FALSE(fs::exists(data_ + "/master.key"));
}

TEST_F(Doctor, AMasterKeyThatDoesNotOpenTheStoredSecretsFails) {
  std::string original = lines_of(read_file(data_ + "/master.key")).at(0);
  std::ofstream(data_ + "/master.key", std::ios::trunc) << std::string(64, 'a') << "\n";
  CommandResult result = doctor(healthy());
  EXPECT_EQ(result.exit_code, 1) << result.out;
  std::string line = line_of(result, "master key");
  EXPECT_TRUE(line.starts_with("FAIL")) << result.out;
  EXPECT_NE(line.find("does not open"), std::string::npos) << line;
  // The right key from the environment (no file) passes.
  fs::remove(data_ + "/master.key");
  CommandResult with_env = doctor(healthy(), {join("SEOAGENTS_MASTER_KEY=", original)});
  EXPECT_EQ(with_env.exit_code, 0) << with_env.out;
  EXPECT_NE(line_of(with_env, "master key").find("SEOAGENTS_MASTER_KEY opens"), std::string::npos)
      << with_env.out;
}

TEST_F(Doctor, AMalformedMasterKeyFails) {
  std::ofstream(data_ + "/master.key", std::ios::trunc) << "not hex\n";
  CommandResult result = doctor(healthy());
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_TRUE(line_of(result, "master key").starts_with("FAIL")) << result.out;
}

TEST_F(Doctor, AFileInPlaceOfTheDataDirectoryFails) {
  std::string file = root_.path() + "/not-a-directory";
  std::ofstream(file) << "x";
  CommandResult result = doctor({"--data", file, "--port", "0"});
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_TRUE(line_of(result, "data directory").starts_with("FAIL")) << result.out;
  CommandResult missing = doctor({"--data", root_.path() + "/absent", "--port", "0"});
  EXPECT_EQ(missing.exit_code, 1) << missing.out;
  EXPECT_NE(line_of(missing, "data directory").find("does not exist"), std::string::npos)
      << missing.out;
  EXPECT_FALSE(fs::exists(root_.path() + "/absent"));
}

TEST_F(Doctor, AnUnwritableDataDirectoryFails) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes whatever the permissions say";
  fs::permissions(data_, fs::perms::owner_read | fs::perms::owner_exec, fs::perm_options::replace);
  CommandResult result = doctor(healthy());
  fs::permissions(data_, fs::perms::owner_all, fs::perm_options::replace);
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_NE(line_of(result, "data directory").find("not writable"), std::string::npos)
      << result.out;
}

TEST_F(Doctor, AModelServerThatRefusesTheConnectionFails) {
  ClosedPort model_port;
  std::string base = join("http://127.0.0.1:", std::to_string(model_port.port()));
  CommandResult result = doctor(healthy({"--writer", "openai", "--openai-base-url", base}));
  EXPECT_EQ(result.exit_code, 1) << result.out;
  std::string line = line_of(result, "writer");
  EXPECT_TRUE(line.starts_with("FAIL")) << result.out;
  EXPECT_NE(line.find("refused"), std::string::npos) << line;
  EXPECT_NE(line.find("--openai-base-url"), std::string::npos) << line;
}

TEST_F(Doctor, AModelServerThatRefusesTheKeyFails) {
  FakeModelServer model;
  model.set_fallback(
      json_response(401, anthropic_error_body("authentication_error", "invalid x-api-key")));
  CommandResult result =
      doctor(healthy({"--writer", "anthropic", "--anthropic-base-url", model.base_url()}),
             {"ANTHROPIC_API_KEY=sk-ant-wrong"});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  std::string line = line_of(result, "writer");
  EXPECT_TRUE(line.starts_with("FAIL")) << result.out;
  EXPECT_NE(line.find("ANTHROPIC_API_KEY"), std::string::npos) << line;
  // The key is never printed.
  EXPECT_EQ(result.out.find("sk-ant-wrong"), std::string::npos);
  auto requests = model.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].target, "/v1/models");
  EXPECT_EQ(requests[0].header("x-api-key").value_or(""), "sk-ant-wrong");
}

TEST_F(Doctor, AModelServerThatAnswersPasses) {
  FakeModelServer model;
  model.set_fallback(json_response(200, R"({"object":"list","data":[]})"));
  CommandResult result = doctor(healthy({"--writer", "openai", "--openai-base-url",
                                         model.base_url() + "/v1/chat/completions"}),
                                {"OPENAI_API_KEY=sk-local"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_TRUE(line_of(result, "writer").starts_with("ok  ")) << result.out;
  auto requests = model.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].target, "/v1/models");
  EXPECT_EQ(requests[0].header("authorization").value_or(""), "Bearer sk-local");
}

TEST_F(Doctor, APortAnotherProgramHoldsFails) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor holder(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  std::string port = std::to_string(holder.local_endpoint().port());
  CommandResult result = doctor(healthy({"--port", port}));
  EXPECT_EQ(result.exit_code, 1) << result.out;
  std::string line = line_of(result, "port");
  EXPECT_TRUE(line.starts_with("FAIL")) << result.out;
  EXPECT_NE(line.find("in use by another program"), std::string::npos) << line;
}

TEST_F(Doctor, ABrokenConfigurationFails) {
  CommandResult result = doctor({"--data", data_, "--port", "99999"});
  EXPECT_EQ(result.exit_code, 1) << result.out;
  EXPECT_TRUE(line_of(result, "configuration").starts_with("FAIL")) << result.out;
  EXPECT_NE(line_of(result, "configuration").find("--port"), std::string::npos) << result.out;
}

}  // namespace
}  // namespace seoagents::testing
