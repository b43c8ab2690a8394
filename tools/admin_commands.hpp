// The administration commands of the binary: `keys`, `accounts` and `migrate`. They open the
// data directory's database directly (safe while the server runs: SQLite serialises writers).
#pragma once

#include <string>
#include <vector>

namespace seoagents {

// Runs `seoagents <command> <args…>` for command keys, accounts or migrate; returns the exit
// code (0 done, 1 failed, 2 bad usage).
int run_admin_command(const std::string& command, const std::vector<std::string>& args);

// The usage lines of the administration commands.
const char* admin_usage();

}  // namespace seoagents
