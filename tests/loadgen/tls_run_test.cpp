// TLS: the load generator against the real server speaking TLS with a self-signed certificate:
// with --insecure every request is answered; without it the certificate is refused, counted as
// a TLS error, and the run exits 1 (nothing could connect). The same for wss:// watchers.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <sstream>

#include "tests/support/http_client.hpp"
#include "tests/support/test_server.hpp"
#include "tools/loadgen/command.hpp"

namespace seoagents::loadgen {
namespace {

namespace json = boost::json;
namespace support = seoagents::testing;

class LoadgenTlsTest : public ::testing::Test {
 protected:
  LoadgenTlsTest() {
    Config config = support::test_config();
    config.access_log = false;
    config.tls_cert = cert_.cert_file();
    config.tls_key = cert_.key_file();
    server_ = std::make_unique<support::TestServer>(std::move(config));
  }

  std::string url(std::string_view scheme, std::string_view target) const {
    return std::string(scheme) + "://127.0.0.1:" + std::to_string(server_->port()) +
           std::string(target);
  }

  // Runs the command; its exit code, and its report (the last line) when it printed one.
  int run(std::vector<std::string> arguments, json::object& report, std::string& err) {
    std::vector<std::string_view> views(arguments.begin(), arguments.end());
    std::ostringstream out;
    std::ostringstream errors;
    int code = run_command(views, out, errors, false);
    err = errors.str();
    // The report is the last line (an idle run prints {"open":N} first).
    std::string text = out.str();
    if (!text.empty()) text.pop_back();
    std::string last =
        text.substr(text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1);
    if (last.starts_with("{")) report = json::parse(last).as_object();
    return code;
  }

  support::SelfSignedCert cert_;
  std::unique_ptr<support::TestServer> server_;
};

TEST_F(LoadgenTlsTest, InsecureRunsAgainstASelfSignedCertificate) {
  json::object report;
  std::string err;
  ASSERT_EQ(
      run({"-c", "4", "-n", "100", "--insecure", "--json", url("https", "/health")}, report, err),
      0)
      << err;
  EXPECT_EQ(report.at("requests").to_number<std::uint64_t>(), 100u);
  EXPECT_EQ(report.at("status").as_object().at("200").to_number<std::uint64_t>(), 100u);
  EXPECT_EQ(report.at("connected").to_number<std::uint64_t>(), 4u);
}

TEST_F(LoadgenTlsTest, AnUntrustedCertificateIsATlsErrorAndNothingConnects) {
  json::object report;
  std::string err;
  EXPECT_EQ(run({"-c", "2", "-n", "10", "-d", "5", "--json", url("https", "/health")}, report, err),
            1);
  EXPECT_NE(err.find("no connection"), std::string::npos) << err;
  ASSERT_FALSE(report.empty());
  EXPECT_GE(report.at("errors").as_object().at("tls").to_number<std::uint64_t>(), 2u);
  EXPECT_EQ(report.at("requests").to_number<std::uint64_t>(), 0u);
}

TEST_F(LoadgenTlsTest, WssWatchersAreHeldWithInsecure) {
  json::object report;
  std::string err;
  std::string key = "X-API-Key: " + *server_->app().first_api_key();
  ASSERT_EQ(run({"--ws", "--idle", "--watchers", "3", "-d", "0.1", "--insecure", "-H", key,
                 "--json", url("wss", "/v1/ws")},
                report, err),
            0)
      << err;
  EXPECT_EQ(report.at("open").to_number<std::uint64_t>(), 3u);
}

}  // namespace
}  // namespace seoagents::loadgen
