// The WebSocket mode against the real server running the burst test pipeline for `create` jobs:
// a few watchers on both worker threads, jobs submitted over HTTP; every watcher receives every
// job's final message, every progress event reaches every watcher (stored or live), and the
// live ones have a delivery latency. The idle WebSocket mode holds upgraded connections that
// the server counts. Nothing timed.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <sstream>

#include "tests/support/api_helpers.hpp"
#include "tests/support/burst_pipeline.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/test_server.hpp"
#include "tools/loadgen/command.hpp"
#include "tools/loadgen/ws_load.hpp"

namespace seoagents::loadgen {
namespace {

namespace json = boost::json;
namespace support = seoagents::testing;

constexpr int kWatchers = 4;
constexpr int kJobs = 6;

class LoadgenWsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Config config = support::test_config();
    config.access_log = false;
    config.durability_full = false;
    config.jobs.workers = 4;
    control_->events = 15;
    server_ = std::make_unique<support::TestServer>(
        std::move(config), support::TestServer::AppSetup([this](App& app) {
          app.add_pipeline("create", support::burst_pipeline(control_));
        }));
    // An enterprise account: the upgrades and job POSTs stay below its limits.
    support::TestAccount account = support::create_account_with_key(
        context_, server_->app().store(), "loadgen", storage::Plan::enterprise);
    support::store_write<bool>(context_, server_->app().store(), [&](storage::Connection& db) {
      return storage::set_account_plan(db, account.account_id, storage::Plan::enterprise,
                                       storage::PlanLimits{1'000'000, 100});
    });
    key_ = account.key;
    support::Api api(server_->port(), key_);
    agent_id_ = support::text_of(
        api.create("/v1/dashboard/agents", R"({"name":"Load Agent","keywords":["booth"]})"), "id");
  }

  std::string base(std::string_view scheme) const {
    return std::string(scheme) + "://127.0.0.1:" + std::to_string(server_->port());
  }

  std::vector<std::string> ws_arguments() const {
    return {"--ws",
            "--watchers",
            std::to_string(kWatchers),
            "-t",
            "2",
            "-H",
            "X-API-Key: " + key_,
            "--submit-url",
            base("http") + "/v1/dashboard/jobs",
            "--submit-body",
            R"({"agent_id":")" + agent_id_ + R"(","job_type":"create","keyword":"k{{seq}}"})",
            "--jobs",
            std::to_string(kJobs),
            "--submit-rate",
            "100",
            "-d",
            "120",
            "--json",
            base("ws") + "/v1/ws"};
  }

  // Declared before the server: the store's writer thread posts to it (see store_write).
  asio::io_context context_;
  std::shared_ptr<support::BurstControl> control_ = std::make_shared<support::BurstControl>();
  std::unique_ptr<support::TestServer> server_;
  std::string key_;
  std::string agent_id_;
};

std::uint64_t count_of(const json::object& object, std::string_view name) {
  return object.at(name).to_number<std::uint64_t>();
}

TEST_F(LoadgenWsTest, EveryWatcherReceivesEveryJobsFinalMessage) {
  std::vector<std::string> arguments = ws_arguments();
  std::vector<std::string_view> views(arguments.begin(), arguments.end());
  std::ostringstream out;
  std::ostringstream err;
  ASSERT_EQ(run_command(views, out, err, false), 0) << err.str();
  json::object report = json::parse(out.str()).as_object();
  const json::object& ws = report.at("ws").as_object();
  SCOPED_TRACE(json::serialize(report));
  EXPECT_EQ(report.at("mode").as_string(), "ws");
  EXPECT_EQ(count_of(ws, "watchers_open"), static_cast<std::uint64_t>(kWatchers));
  EXPECT_EQ(count_of(ws, "jobs_accepted"), static_cast<std::uint64_t>(kJobs));
  EXPECT_EQ(count_of(report.at("status").as_object(), "202"), static_cast<std::uint64_t>(kJobs));
  EXPECT_TRUE(ws.at("complete").as_bool());
  EXPECT_EQ(count_of(ws, "finals_expected"), static_cast<std::uint64_t>(kJobs * kWatchers));
  EXPECT_EQ(count_of(ws, "final_messages"), static_cast<std::uint64_t>(kJobs * kWatchers));
  EXPECT_EQ(count_of(ws.at("final_types").as_object(), "completed"),
            static_cast<std::uint64_t>(kJobs * kWatchers));
  EXPECT_EQ(count_of(ws, "subscribed"), static_cast<std::uint64_t>(kJobs * kWatchers));
  EXPECT_TRUE(ws.at("error_messages").as_object().empty());
  EXPECT_TRUE(ws.at("closes").as_object().empty());
  // Every watcher gets every event of every job (stored ones replayed, then the live ones).
  std::uint64_t progress = count_of(ws, "progress_frames");
  EXPECT_GE(progress, static_cast<std::uint64_t>(kJobs * kWatchers * 15));
  EXPECT_EQ(progress % kWatchers, 0u);
  const json::object& latency = ws.at("latency_us").as_object();
  EXPECT_EQ(count_of(latency, "count") + count_of(ws, "replayed_frames"), progress);
}

TEST_F(LoadgenWsTest, IdleWatchersAreHeldUpgradedUntilTheEnd) {
  Options options = parse_options({"--ws", "--idle", "--watchers", "6", "-d", "0.2", "-H",
                                   "X-API-Key: " + key_, base("ws") + "/v1/ws"});
  std::size_t seen_by_server = 0;
  RunHooks hooks;
  hooks.ready = [&](std::uint64_t open) {
    EXPECT_EQ(open, 6u);
    support::eventually([&] {
      seen_by_server = server_->app().websocket_channel().stats().connections;
      return seen_by_server == 6;
    });
  };
  RunResult result = run_ws_load(options, Scenario{}, hooks);
  EXPECT_EQ(seen_by_server, 6u);
  EXPECT_EQ(result.open, 6u);
  EXPECT_EQ(result.mode, "ws-idle");
  EXPECT_TRUE(result.ws.closes.empty());
}

TEST_F(LoadgenWsTest, ARefusedUpgradeIsAHandshakeError) {
  Options options = parse_options({"--ws", "--idle", "--watchers", "3", "-d", "0.1", "-H",
                                   "X-API-Key: sak_wrong", base("ws") + "/v1/ws"});
  RunResult result = run_ws_load(options, Scenario{});
  EXPECT_EQ(result.open, 0u);
  EXPECT_TRUE(result.nothing_connected);
  EXPECT_EQ(result.ws.errors[static_cast<std::size_t>(ErrorKind::handshake)], 3u);
  EXPECT_EQ(result.ws.refused_upgrades[401], 3u);
}

}  // namespace
}  // namespace seoagents::loadgen
