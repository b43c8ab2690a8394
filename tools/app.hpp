// The composition root: builds every service from the configuration, starts them in order and
// stops them in reverse. Owns them all; services get what they need by reference.
#pragma once

#include <cstdint>
#include <memory>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/log.hpp"
#include "core/loop_pool.hpp"
#include "http/cors.hpp"
#include "http/pipeline.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace seoagents {

class App {
 public:
  App(Config config, Logger& logger);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Starts every service. Throws std::runtime_error with a message for the operator.
  void start();
  // Graceful stop, in reverse order of start. Idempotent.
  void stop();

  std::uint16_t port() const { return server_.port(); }
  const Config& config() const { return config_; }
  // The route table; routes may be added (tests add their own) until start().
  http::Router& router() { return router_; }

 private:
  // Declared in start order: destroyed in reverse, the loops last.
  Config config_;
  Logger& logger_;
  SystemTime started_at_;
  LoopPool loops_;
  http::Router router_;
  http::CorsPolicy cors_;
  http::Pipeline pipeline_;
  http::HttpServer server_;
  bool running_ = false;
};

// "epoll" or "io_uring": the Asio backend this binary was built with.
const char* io_backend_name();

}  // namespace seoagents
