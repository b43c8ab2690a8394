// In-process server for integration tests.
#include "tests/support/test_server.hpp"

#include <cstdlib>
#include <filesystem>

namespace seoagents::testing {

std::string make_temp_directory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "seoagents-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

Config test_config() {
  Config config;
  config.host = "127.0.0.1";
  config.port = 0;
  config.threads = 2;
  config.access_log = true;
  config.log_level = LogLevel::debug;
  config.data_dir = make_temp_directory();
  return config;
}

Config quiet_test_config() {
  Config config = test_config();
  config.access_log = false;
  return config;
}

TempDirectory::~TempDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

Config test_config_in(const std::string& data_dir) {
  Config config = test_config();
  std::error_code ignored;
  std::filesystem::remove_all(config.data_dir, ignored);
  config.data_dir = data_dir;
  return config;
}

TestServer::TestServer(Config config, const RouteSetup& extra_routes, DataDirectory data_directory)
    : TestServer(std::move(config), AppSetup([&extra_routes](App& app) {
                   if (extra_routes) extra_routes(app.router());
                 }),
                 data_directory) {}

TestServer::TestServer(Config config, const AppSetup& setup, DataDirectory data_directory)
    : logger_(config.log_level,
              [this](std::string_view line) {
                std::lock_guard lock(log_mutex_);
                log_lines_.emplace_back(line);
              }),
      data_directory_(data_directory) {
  app_ = std::make_unique<App>(std::move(config), logger_);
  if (setup) setup(*app_);
  app_->start();
}

TestServer::~TestServer() {
  stop();
  if (data_directory_ == DataDirectory::keep) return;
  std::error_code ignored;
  std::filesystem::remove_all(app_->config().data_dir, ignored);
}

void TestServer::stop() {
  app_->stop();
}

std::vector<std::string> TestServer::log_lines() const {
  std::lock_guard lock(log_mutex_);
  return log_lines_;
}

bool TestServer::logged(std::string_view needle) const {
  std::lock_guard lock(log_mutex_);
  for (const std::string& line : log_lines_) {
    if (line.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace seoagents::testing
