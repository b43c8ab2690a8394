// The seoagents binary: `seoagents serve` (the default) runs the server; --help lists options.
#include <signal.h>

#include <iostream>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "tools/admin_commands.hpp"
#include "tools/app.hpp"
#include "tools/backup_commands.hpp"
#include "tools/doctor_command.hpp"
#include "tools/jwt_commands.hpp"
#include "tools/serve_command.hpp"

namespace {

constexpr std::string_view kUsage =
    "seoagents " SEOAGENTS_VERSION
    " - the AI SEO Agents API server\n"
    "\n"
    "Usage:\n"
    "  seoagents [serve] [options]   run the server (the default command)\n"
    "  seoagents version             print the version\n"
    "  seoagents keys | accounts | migrate | jwt …  administration (below)\n"
    "  seoagents backup | restore | doctor …        operations (below)\n"
    "  seoagents help                this text; `seoagents serve --help` lists the options\n";

bool wants_help(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h") return true;
  }
  return false;
}

int serve(const std::vector<std::string>& args) {
  if (wants_help(args)) {
    std::cout << kUsage << "\n" << seoagents::config_options_help();
    return 0;
  }
  return seoagents::serve_command(args);
}

}  // namespace

int main(int argc, char** argv) {
  ::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string command = "serve";
  if (!args.empty() && !args.front().starts_with("-")) {
    command = args.front();
    args.erase(args.begin());
  }
  if (command == "serve") return serve(args);
  if (command == "version") {
    std::cout << SEOAGENTS_VERSION << "\n";
    return 0;
  }
  if (command == "help") {
    std::cout << kUsage << "\n"
              << seoagents::admin_usage() << seoagents::jwt_usage() << seoagents::backup_usage()
              << seoagents::doctor_usage();
    return 0;
  }
  if (command == "keys" || command == "accounts" || command == "migrate") {
    return seoagents::run_admin_command(command, args);
  }
  if (command == "jwt") return seoagents::run_jwt_command(args);
  if (command == "backup") return seoagents::run_backup_command(args);
  if (command == "restore") return seoagents::run_restore_command(args);
  if (command == "doctor") return seoagents::run_doctor_command(args);
  std::cerr << "seoagents: unknown command '" << command << "'\n\n"
            << kUsage << "\n"
            << seoagents::admin_usage();
  return 2;
}
