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
// The same without the access log, for tests that send many requests.
Config quiet_test_config();

// A temporary directory that outlives the servers started on it (restart tests): created empty,
// removed with everything in it on destruction.
class TempDirectory {
 public:
  TempDirectory() : path_(make_temp_directory()) {}
  ~TempDirectory();
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// test_config() on an existing data directory, e.g. a TempDirectory's or one a stopped server
// used; start the TestServer with DataDirectory::keep so it leaves the directory in place.
Config test_config_in(const std::string& data_dir);

// What a TestServer does with its data directory when it is destroyed.
enum class DataDirectory { remove, keep };

class TestServer {
 public:
  using RouteSetup = std::function<void(http::Router&)>;

  // Called with the App before it starts: add routes, job pipelines.
  using AppSetup = std::function<void(App&)>;

  explicit TestServer(Config config = test_config(), const RouteSetup& extra_routes = {},
                      DataDirectory data_directory = DataDirectory::remove);
  TestServer(Config config, const AppSetup& setup,
             DataDirectory data_directory = DataDirectory::remove);
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
  DataDirectory data_directory_;
  std::unique_ptr<App> app_;
};

}  // namespace seoagents::testing
