// seoagents-loadgen: the project's HTTP and WebSocket load generator (see README.md).
#include <unistd.h>

#include <iostream>
#include <string_view>
#include <vector>

#include "tools/loadgen/command.hpp"

int main(int argc, char** argv) {
  std::vector<std::string_view> arguments(argv + 1, argv + argc);
  return seoagents::loadgen::run_command(arguments, std::cout, std::cerr,
                                         ::isatty(STDERR_FILENO) == 1);
}
