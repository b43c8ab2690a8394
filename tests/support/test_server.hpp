// A real seoagents server started in-process on an ephemeral loopback port, with its log lines
// captured, for integration tests. Tests may add their own routes before it starts.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/log.hpp"
#include "tools/app.hpp"

namespace seoagents::testing {

// A new, empty directory under the system's temp directory.
std::string make_temp_directory();

// 127.0.0.1, port 0, 2 threads, access log on, a fresh temporary data directory (removed with
// the TestServer), timeouts left at their defaults.
Config test_config();

class TestServer {
 public:
  using RouteSetup = std::function<void(http::Router&)>;

  explicit TestServer(Config config = test_config(), const RouteSetup& extra_routes = {});
  ~TestServer();

  std::uint16_t port() const { return app_->port(); }
  App& app() { return *app_; }
  // Graceful stop (what SIGTERM does). Idempotent.
  void stop();
  // Every log line so far.
  std::vector<std::string> log_lines() const;
  // True when some log line contains `needle`.
  bool logged(std::string_view needle) const;

 private:
  mutable std::mutex log_mutex_;
  std::vector<std::string> log_lines_;
  Logger logger_;
  std::unique_ptr<App> app_;
};

}  // namespace seoagents::testing
