// Short runs of seoagents-loadgen (the command, in-process) against the real server on an
// ephemeral port: -n counts exactly that many answers and the status counts add up, in closed
// and open loop; a scenario mixing a missing path counts its 404s; a cursor walk over the real
// agents list with an API key from --var; the idle mode holds its connections. Nothing timed.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>

#include "tests/support/api_helpers.hpp"
#include "tests/support/test_server.hpp"
#include "tools/loadgen/command.hpp"

namespace seoagents::loadgen {
namespace {

namespace json = boost::json;
using seoagents::testing::TestServer;

// What a run printed and returned.
struct CommandRun {
  int exit_code = -1;
  std::string out;
  std::string err;
  // The last line of stdout as JSON (the report with --json; empty without).
  json::object report;
};

CommandRun run(std::vector<std::string> arguments) {
  std::vector<std::string_view> views(arguments.begin(), arguments.end());
  std::ostringstream out;
  std::ostringstream err;
  CommandRun result;
  result.exit_code = run_command(views, out, err, false);
  result.out = out.str();
  result.err = err.str();
  std::string last = result.out;
  while (!last.empty() && last.back() == '\n')
    last.pop_back();
  last = last.substr(last.rfind('\n') == std::string::npos ? 0 : last.rfind('\n') + 1);
  if (last.starts_with("{")) result.report = json::parse(last).as_object();
  return result;
}

std::uint64_t count_of(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  return value == nullptr ? 0 : value->to_number<std::uint64_t>();
}

std::uint64_t sum_of(const json::object& counts) {
  std::uint64_t total = 0;
  for (const auto& member : counts)
    total += member.value().to_number<std::uint64_t>();
  return total;
}

class LoadgenRunTest : public ::testing::Test {
 protected:
  LoadgenRunTest() { config_.access_log = false; }
  std::string url(std::string_view target) const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + std::string(target);
  }

  std::string write_scenario(std::string_view text) {
    std::ofstream(scenario_path_) << text;
    return scenario_path_;
  }

  Config config_ = seoagents::testing::test_config();
  std::unique_ptr<TestServer> server_ = std::make_unique<TestServer>(config_);
  seoagents::testing::TempDirectory temp_;
  std::string scenario_path_ = temp_.path() + "/scenario.txt";
};

void expect_no_errors(const json::object& report) {
  EXPECT_EQ(sum_of(report.at("errors").as_object()), 0u) << json::serialize(report);
}

TEST_F(LoadgenRunTest, ClosedLoopCountsExactlyTheRequestedAnswers) {
  CommandRun result = run({"-c", "8", "-t", "2", "-n", "500", "--json", url("/health")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(count_of(result.report, "requests"), 500u);
  EXPECT_EQ(count_of(result.report.at("status").as_object(), "200"), 500u);
  EXPECT_EQ(sum_of(result.report.at("status").as_object()), 500u);
  EXPECT_EQ(count_of(result.report.at("latency_us").as_object(), "count"), 500u);
  EXPECT_EQ(count_of(result.report, "connected"), 8u);
  expect_no_errors(result.report);
  EXPECT_GT(count_of(result.report, "bytes"), 500u * 20);
  EXPECT_EQ(result.report.at("mode").as_string(), "http");
}

TEST_F(LoadgenRunTest, OpenLoopCountsExactlyTheRequestedAnswers) {
  CommandRun result =
      run({"-c", "4", "-t", "2", "-n", "200", "--rate", "400", "--json", url("/health")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(count_of(result.report, "requests"), 200u);
  EXPECT_EQ(count_of(result.report.at("status").as_object(), "200"), 200u);
  EXPECT_EQ(result.report.at("rate").to_number<double>(), 400.0);
  expect_no_errors(result.report);
}

TEST_F(LoadgenRunTest, ScenarioWithAMissingPathCountsItsNotFounds) {
  std::string scenario = write_scenario(
      "# half health, half a path that does not exist\n"
      "weight 1\nGET /health\n---\nweight 1\nGET /no/such/path/{{seq}}\n");
  CommandRun result = run({"-c", "4", "-n", "400", "--json", "--scenario", scenario, url("")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json::object& status = result.report.at("status").as_object();
  EXPECT_EQ(count_of(result.report, "requests"), 400u);
  EXPECT_EQ(sum_of(status), 400u) << json::serialize(status);
  EXPECT_GT(count_of(status, "404"), 0u) << json::serialize(status);
  EXPECT_GT(count_of(status, "200"), 0u) << json::serialize(status);
  EXPECT_EQ(count_of(status, "404") + count_of(status, "200"), 400u) << json::serialize(status);
}

TEST_F(LoadgenRunTest, WalksTheAgentsListWithCursorsAndAKeyFromVar) {
  seoagents::testing::Api api(server_->port(), *server_->app().first_api_key());
  for (int i = 0; i < 3; ++i)
    api.create("/v1/dashboard/agents", R"({"name":"Walk Agent","keywords":["k"]})");
  std::string scenario = write_scenario(
      "GET /v1/dashboard/agents?limit=1\nheader X-API-Key: {{var:key}}\nfollow next_cursor\n");
  // Three pages, twice; the default account's plan allows 60 requests a minute.
  CommandRun result = run({"-c", "1", "-t", "1", "-n", "6", "--json", "--var", "key=" + api.key(),
                           "--scenario", scenario, url("")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(count_of(result.report.at("status").as_object(), "200"), 6u)
      << json::serialize(result.report);
}

TEST_F(LoadgenRunTest, ABadKeyIsCountedAsItsStatusNotAsAnError) {
  CommandRun result = run(
      {"-c", "2", "-n", "20", "--json", "-H", "X-API-Key: sak_wrong", url("/v1/dashboard/agents")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(count_of(result.report.at("status").as_object(), "401"), 20u)
      << json::serialize(result.report);
  expect_no_errors(result.report);
}

TEST_F(LoadgenRunTest, IdleModeOpensHoldsAndReportsItsConnections) {
  CommandRun result = run({"--idle", "-c", "20", "-t", "2", "-d", "0.2", "--json", url("/health")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(result.out.starts_with("{\"open\":20}\n")) << result.out;
  EXPECT_NE(result.err.find("ready: 20 connections open"), std::string::npos) << result.err;
  EXPECT_EQ(count_of(result.report, "open"), 20u);
  EXPECT_EQ(count_of(result.report.at("status").as_object(), "200"), 20u);
  EXPECT_EQ(result.report.at("mode").as_string(), "idle");
}

TEST_F(LoadgenRunTest, TheTextReportNamesRequestsStatusesAndLatency) {
  CommandRun result = run({"-c", "2", "-n", "50", url("/health")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("http: 50 responses"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("status: {\"200\":50}"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("latency: p50"), std::string::npos) << result.out;
}

}  // namespace
}  // namespace seoagents::loadgen
