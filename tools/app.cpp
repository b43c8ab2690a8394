// Wiring of the services and their start/stop order.
#include "tools/app.hpp"

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

void App::start() {
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
