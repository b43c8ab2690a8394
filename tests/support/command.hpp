// Runs a built binary as a child process, stdout and stderr captured apart (through files), and
// waits for it: the tests of the admin CLI and of seoagents-dataset.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace seoagents::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// `binary` with `args`, stdin from /dev/null. A command still running after `wait` (a safety net
// for one that never exits, not a timing assertion) is killed and the test fails.
CommandResult run_command(const std::string& binary, const std::vector<std::string>& args,
                          std::chrono::seconds wait);

// The lines of a command's output, without their line ends.
std::vector<std::string> lines_of(const std::string& text);

// A whole file, or "" when it cannot be read.
std::string read_file(const std::string& path);

}  // namespace seoagents::testing
