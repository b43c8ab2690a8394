// Wiring of the services and their start/stop order.
#include "tools/app.hpp"

#include <filesystem>
#include <system_error>

#include "http/routes.hpp"

namespace seoagents {

const char* io_backend_name() {
#if defined(BOOST_ASIO_HAS_IO_URING) && defined(BOOST_ASIO_DISABLE_EPOLL)
  return "io_uring";
#else
  return "epoll";
#endif
}

App::App(Config config, Logger& logger)
    : config_(std::move(config)),
      logger_(logger),
      started_at_(std::chrono::system_clock::now()),
      loops_(config_.threads),
      cors_(config_.cors_origins),
      pipeline_(router_, cors_, logger_, config_.access_log),
      server_(loops_, config_, pipeline_, logger_) {
  http::register_api_routes(router_, http::ApiServices{started_at_});
}

App::~App() { stop(); }

namespace {

// The data directory holds the database and the object store; it is created (owner-only) if it
// does not exist, so a start with the defaults needs no preparation.
void prepare_data_directory(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  bool created = fs::create_directories(path, ec);
  if (ec) throw std::runtime_error("--data " + path + ": cannot create: " + ec.message());
  if (!fs::is_directory(path, ec)) throw std::runtime_error("--data " + path + ": not a directory");
  if (created) fs::permissions(path, fs::perms::owner_all, fs::perm_options::replace, ec);
}

}  // namespace

void App::start() {
  prepare_data_directory(config_.data_dir);
  server_.start();
  loops_.start();
  running_ = true;
  logger_.info("started", {{"version", SEOAGENTS_VERSION},
                           {"host", config_.host},
                           {"port", static_cast<unsigned>(server_.port())},
                           {"threads", config_.threads},
                           {"io_backend", io_backend_name()},
                           {"tls", config_.tls_enabled()},
                           {"data", config_.data_dir}});
}

void App::stop() {
  if (!running_) return;
  running_ = false;
  server_.stop();
  loops_.stop();
  logger_.info("stopped");
}

}  // namespace seoagents
