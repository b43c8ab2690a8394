// The seoagents binary: `seoagents serve` (the default) runs the server; --help lists options.
#include <signal.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "tools/admin_commands.hpp"
#include "tools/app.hpp"
#include "tools/jwt_commands.hpp"

namespace {

constexpr std::string_view kUsage =
    "seoagents " SEOAGENTS_VERSION
    " - the AI SEO Agents API server\n"
    "\n"
    "Usage:\n"
    "  seoagents [serve] [options]   run the server (the default command)\n"
    "  seoagents version             print the version\n"
    "  seoagents keys | accounts | migrate | jwt …  administration (below)\n"
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
  seoagents::ConfigResult loaded = seoagents::load_config(args, seoagents::process_environment());
  if (!loaded.error.empty()) {
    std::cerr << "seoagents: " << loaded.error << "\n";
    return 2;
  }
  seoagents::Logger logger(loaded.config.log_level);
  // Signals are caught from here on: one arriving while the server starts still stops it cleanly.
  boost::asio::io_context signals_context(1);
  boost::asio::signal_set signals(signals_context, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int signal_number) {
    logger.info("stopping", {{"signal", signal_number}});
  });
  seoagents::App app(std::move(loaded.config), logger);
  try {
    app.start();
  } catch (const std::exception& e) {
    logger.error("start_failed", {{"error", e.what()}});
    std::cerr << "seoagents: " << e.what() << "\n";
    return 1;
  }
  const seoagents::Config& config = app.config();
  std::cout << "seoagents " SEOAGENTS_VERSION " listening on "
            << (config.tls_enabled() ? "https" : "http") << "://" << config.host << ":"
            << app.port() << " (" << config.threads << " threads, " << seoagents::io_backend_name()
            << "); Ctrl-C stops it" << std::endl;
  if (const auto& key = app.first_api_key()) {
    std::cout << "\nA new database: created the account 'default' (plan agency) and its first "
                 "API key.\nIt is shown only this once; keep it somewhere safe:\n\n  "
              << *key << "\n\n"
              << "Try: curl -H 'X-API-Key: " << *key << "' http://" << config.host << ":"
              << app.port() << "/v1/dashboard/api-keys\n"
              << std::endl;
  }

  signals_context.run();
  app.stop();
  return 0;
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
    std::cout << kUsage << "\n" << seoagents::admin_usage() << seoagents::jwt_usage();
    return 0;
  }
  if (command == "keys" || command == "accounts" || command == "migrate") {
    return seoagents::run_admin_command(command, args);
  }
  if (command == "jwt") return seoagents::run_jwt_command(args);
  std::cerr << "seoagents: unknown command '" << command << "'\n\n"
            << kUsage << "\n"
            << seoagents::admin_usage();
  return 2;
}
