// Tests of the seoagents binary as a process: commands, help and refusal of bad options.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <string>

namespace {

struct CommandResult {
  int exit_code;
  std::string output;  // stdout and stderr together
};

CommandResult run_binary(const std::string& arguments) {
  std::string command = std::string(SEOAGENTS_BINARY) + " " + arguments + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  CommandResult result{-1, {}};
  if (pipe == nullptr) return result;
  std::array<char, 4096> chunk;
  while (std::size_t n = std::fread(chunk.data(), 1, chunk.size(), pipe)) {
    result.output.append(chunk.data(), n);
  }
  int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

TEST(Cli, VersionPrintsTheVersion) {
  CommandResult result = run_binary("version");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.output, std::string(SEOAGENTS_VERSION) + "\n");
}

TEST(Cli, InvalidPortIsRefusedWithOneLineNamingTheOption) {
  CommandResult result = run_binary("serve --port 99999");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.output, "seoagents: --port: not a port number: 99999\n");
}

}  // namespace
