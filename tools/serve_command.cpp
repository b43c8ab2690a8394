// The serve command's lifecycle (see serve_command.hpp).
#include "tools/serve_command.hpp"

#include <signal.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <iostream>

#include "core/config.hpp"
#include "http/handlers/web_ui_files.hpp"

namespace seoagents {
namespace {

void print_banner(const App& app) {
  const Config& config = app.config();
  std::cout << "seoagents " SEOAGENTS_VERSION " listening on "
            << (config.tls_enabled() ? "https" : "http") << "://" << config.host << ":"
            << app.port() << " (" << config.threads << " threads, " << io_backend_name()
            << "); Ctrl-C stops it" << std::endl;
  if (!http::web_ui_files().empty()) {
    std::cout << "The dashboard: " << (config.tls_enabled() ? "https" : "http") << "://"
              << config.host << ":" << app.port() << "/ (sign in with an API key)" << std::endl;
  }
  if (const auto& key = app.first_api_key()) {
    std::cout << "\nA new database: created the account 'default' (plan agency) and its first "
                 "API key.\nIt is shown only this once; keep it somewhere safe:\n\n  "
              << *key << "\n\n"
              << "Try: curl -H 'X-API-Key: " << *key << "' http://" << config.host << ":"
              << app.port() << "/v1/dashboard/api-keys\n"
              << std::endl;
  }
}

}  // namespace

int serve_command(const std::vector<std::string>& args, const std::function<void(App&)>& setup) {
  ConfigResult loaded = load_config(args, process_environment());
  if (!loaded.error.empty()) {
    std::cerr << "seoagents: " << loaded.error << "\n";
    return 2;
  }
  Logger logger(loaded.config.log_level);
  // Signals are caught from here on: one arriving while the server starts still stops it cleanly.
  boost::asio::io_context signals_context(1);
  boost::asio::signal_set signals(signals_context, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int signal_number) {
    logger.info("stopping", {{"signal", signal_number}});
  });
  App app(std::move(loaded.config), logger);
  if (setup) setup(app);
  try {
    app.start();
  } catch (const std::exception& e) {
    logger.error("start_failed", {{"error", e.what()}});
    std::cerr << "seoagents: " << e.what() << "\n";
    return 1;
  }
  print_banner(app);
  signals_context.run();
  app.stop();
  return 0;
}

}  // namespace seoagents
