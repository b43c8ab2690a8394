// The example deployment files in docs/ cannot drift from the code: docs/seoagents.toml loads
// through the real configuration loader (every key known, every value valid), and the systemd
// unit docs/seoagents.service starts the server with that file and gives it the data directory
// the file names as its only writable path (and passes `systemd-analyze verify` where installed).
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "tests/support/command.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::testing {
namespace {

const std::string kExampleConfig = std::string(SEOAGENTS_SOURCE_DIR) + "/docs/seoagents.toml";
const std::string kExampleUnit = std::string(SEOAGENTS_SOURCE_DIR) + "/docs/seoagents.service";

// No environment at all: what the file says, over the defaults.
ConfigResult load_example(std::vector<std::string> extra_args = {}) {
  std::vector<std::string> args = {"--config", kExampleConfig};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  return load_config(args, [](std::string_view) { return std::optional<std::string>(); });
}

// The values of `Key=` lines of the unit, in order.
std::vector<std::string> unit_values(const std::string& unit, const std::string& key) {
  std::vector<std::string> values;
  std::istringstream lines(unit);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with(key + "=")) values.push_back(line.substr(key.size() + 1));
  }
  return values;
}

TEST(ExampleConfig, LoadsThroughTheRealLoader) {
  ConfigResult loaded = load_example();
  ASSERT_EQ(loaded.error, "");
  const Config& config = loaded.config;
  EXPECT_EQ(config.config_file, kExampleConfig);
  EXPECT_EQ(config.host, "127.0.0.1");
  EXPECT_EQ(config.port, 8080);
  EXPECT_EQ(config.data_dir, "/var/lib/seoagents");
  EXPECT_TRUE(config.durability_full);
  EXPECT_FALSE(config.allow_private_targets);
  EXPECT_EQ(config.max_connections, 10000u);
  EXPECT_EQ(config.max_body_bytes, 1024u * 1024u);
  EXPECT_EQ(config.idle_timeout, std::chrono::seconds(30));
  EXPECT_EQ(config.content.writer, "builtin");
  EXPECT_EQ(config.webhooks.retry_max_age, std::chrono::hours(72));
  EXPECT_EQ(config.audit.report_url_ttl, std::chrono::hours(24 * 7));
}

TEST(ExampleConfig, EveryKeyIsOneTheLoaderKnows) {
  // A file with one unknown key is refused, naming it: the test above would catch a stale key.
  std::ifstream file(kExampleConfig);
  std::stringstream stream;
  stream << file.rdbuf();
  const std::string text = stream.str();
  std::regex key_line(R"(^([a-z][a-z-]*) = )", std::regex::multiline);
  int keys = 0;
  for (std::sregex_iterator it(text.begin(), text.end(), key_line), end; it != end; ++it) {
    std::string flag = "--" + (*it)[1].str();
    ConfigResult as_flag = load_config(std::vector<std::string>{flag}, [](std::string_view) {
      return std::optional<std::string>();
    });
    // A known flag without its value says "needs a value"; an unknown one "unknown option".
    EXPECT_EQ(as_flag.error.find("unknown option"), std::string::npos) << flag;
    ++keys;
  }
  EXPECT_GT(keys, 20);
}

TEST(ExampleConfig, FlagsStillOverrideTheFile) {
  ConfigResult loaded = load_example({"--port", "9090", "--data", "/srv/seoagents"});
  ASSERT_EQ(loaded.error, "");
  EXPECT_EQ(loaded.config.port, 9090);
  EXPECT_EQ(loaded.config.data_dir, "/srv/seoagents");
}

TEST(ExampleUnit, StartsTheServerWithTheExampleConfigAndItsDataDirectory) {
  std::string unit = read_file(kExampleUnit);
  ASSERT_FALSE(unit.empty()) << kExampleUnit;
  ConfigResult loaded = load_example();
  ASSERT_EQ(loaded.error, "");
  auto exec_start = unit_values(unit, "ExecStart");
  ASSERT_EQ(exec_start.size(), 1u);
  EXPECT_NE(exec_start[0].find(" serve --config /etc/seoagents/seoagents.toml"), std::string::npos)
      << exec_start[0];
  // StateDirectory=seoagents is /var/lib/seoagents: the data directory of the file, and the
  // only path the sandbox lets it write.
  EXPECT_EQ(unit_values(unit, "StateDirectory"), std::vector<std::string>{"seoagents"});
  EXPECT_EQ(unit_values(unit, "ReadWritePaths"), std::vector<std::string>{loaded.config.data_dir});
  EXPECT_EQ(loaded.config.data_dir, "/var/lib/seoagents");
  // The hardening the deployment relies on.
  for (std::string setting :
       {"NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
        "CapabilityBoundingSet=\n", "SystemCallFilter=@system-service", "Restart=on-failure",
        "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX"}) {
    EXPECT_NE(unit.find(setting), std::string::npos) << setting;
  }
  auto nofile = unit_values(unit, "LimitNOFILE");
  ASSERT_EQ(nofile.size(), 1u);
  EXPECT_GE(std::stoul(nofile[0]), 10'000u + 1'000u);
}

// systemd's own check of the unit (with ExecStart pointing at the built binary, which must
// exist); skipped where systemd-analyze is not installed.
TEST(ExampleUnit, PassesSystemdAnalyzeVerify) {
  const std::string analyze = "/usr/bin/systemd-analyze";
  if (::access(analyze.c_str(), X_OK) != 0) GTEST_SKIP() << "no " << analyze;
  TempDirectory directory;
  std::string unit = read_file(kExampleUnit);
  std::string installed = "/usr/local/bin/seoagents";
  for (auto at = unit.find(installed); at != std::string::npos; at = unit.find(installed, at))
    unit.replace(at, installed.size(), SEOAGENTS_BINARY);
  std::string copy = directory.path() + "/seoagents.service";
  std::ofstream(copy) << unit;
  CommandResult verified = run_command(analyze, {"verify", copy}, std::chrono::seconds(60));
  EXPECT_EQ(verified.exit_code, 0) << verified.err;
  EXPECT_EQ(verified.err, "");
}

}  // namespace
}  // namespace seoagents::testing
