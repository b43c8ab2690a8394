// Tests of `seoagents serve` as a real process: it starts on its printed port, answers, and
// stops cleanly (exit 0) on SIGINT and SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <cstdio>
#include <filesystem>
#include <string>

#include "tests/support/http_client.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::testing {
namespace {

class ServeProcess : public ::testing::TestWithParam<int> {};

TEST_P(ServeProcess, ServesHealthThenStopsWithExitCodeZero) {
  std::string data_dir = make_temp_directory() + "/data";
  ServerProcess server(data_dir);
  std::string banner = server.read_line();
  std::uint16_t port = port_from_banner(banner);
  ASSERT_NE(port, 0) << "banner: " << banner;
  EXPECT_TRUE(std::filesystem::is_directory(data_dir));

  HttpClient client(port);
  ClientResponse response = client.request(bhttp::verb::get, "/v1/dashboard/health");
  EXPECT_EQ(response.result(), bhttp::status::ok);
  auto body = boost::json::parse(response.body()).as_object();
  EXPECT_EQ(body.at("status").as_string(), "ok");
  EXPECT_EQ(body.at("version").as_string(), SEOAGENTS_VERSION);

  EXPECT_EQ(server.stop_with(GetParam()), 0);
  EXPECT_TRUE(client.wait_closed());
  std::filesystem::remove_all(std::filesystem::path(data_dir).parent_path());
}

INSTANTIATE_TEST_SUITE_P(Signals, ServeProcess, ::testing::Values(SIGINT, SIGTERM),
                         [](const auto& info) {
                           return info.param == SIGINT ? "SIGINT" : "SIGTERM";
                         });

}  // namespace
}  // namespace seoagents::testing
