// Crash tests of the job queue through the real binary (with the test pipeline): the server is
// killed with SIGKILL while jobs are processing and started again on the same data. A job that
// was running completes exactly once more, with its attempts at 2; across 100 submitted jobs and
// a kill in the middle, none is lost and none is duplicated.
#include <gtest/gtest.h>
#include <signal.h>

#include <map>
#include <set>
#include <thread>

#include "tests/support/api_helpers.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kJobs = "/v1/dashboard/jobs";

ServerProcessOptions pipeline_server(int step_delay_ms) {
  ServerProcessOptions options;
  options.binary = SEOAGENTS_PIPELINE_SERVER;
  options.extra_args = {"--job-workers", "4", "--access-log", "off"};
  options.environment = {join("SEOAGENTS_TEST_STEP_DELAY_MS=", std::to_string(step_delay_ms))};
  return options;
}

std::vector<std::string> steps_of(const Api& api, const std::string& job_id) {
  auto progress = body_of(api.get(join(kJobs, "/", job_id, "/progress")));
  std::vector<std::string> steps;
  for (const auto& event : progress.at("events").as_array())
    steps.push_back(std::string(event.as_object().at("step").as_string()));
  return steps;
}

std::size_t count_of(const std::vector<std::string>& steps, std::string_view step) {
  return static_cast<std::size_t>(std::count(steps.begin(), steps.end(), step));
}

TEST(JobCrash, AJobKilledMidPipelineCompletesExactlyOnceMoreAfterARestart) {
  TempDirectory data;
  std::string key;
  std::string job_id;
  {
    ServerProcess server(data.path(), pipeline_server(300));
    std::uint16_t port = server.port();
    ASSERT_NE(port, 0);
    key = server.read_api_key();
    ASSERT_FALSE(key.empty());
    Api api(port, key);
    auto agent = api.create("/v1/dashboard/agents", R"({"name":"a","keywords":["k"]})");
    auto accepted = expect_json(api.post(kJobs, join(R"({"agent_id":")", text_of(agent, "id"),
                                                     R"(","job_type":"create"})")),
                                202);
    job_id = text_of(accepted, "job_id");
    // Killed once its first step is recorded: it is processing, mid-pipeline.
    ASSERT_TRUE(eventually([&] { return count_of(steps_of(api, job_id), "outline") == 1; }));
    server.stop_with(SIGKILL);
  }
  ServerProcess restarted(data.path(), pipeline_server(10));
  std::uint16_t port = restarted.port();
  ASSERT_NE(port, 0);
  Api api(port, key);
  ASSERT_TRUE(eventually([&] {
    return text_of(body_of(api.get(join(kJobs, "/", job_id))), "status") == "completed";
  }));
  auto job = body_of(api.get(join(kJobs, "/", job_id)));
  EXPECT_EQ(job.at("attempts").as_int64(), 2);
  auto steps = steps_of(api, job_id);
  EXPECT_EQ(count_of(steps, "started"), 2u);
  EXPECT_EQ(count_of(steps, "requeued"), 1u);
  EXPECT_EQ(count_of(steps, "completed"), 1u);
  EXPECT_EQ(count_of(steps, "store"), 1u);
  EXPECT_EQ(restarted.stop_with(SIGTERM), 0);
}

// Submits job `n` (keyword "job-n") with Idempotency-Key "job-n" until it is accepted: a 409
// for the plan's limit is waited out; a failed connection (the server was killed) ends the
// attempt. True once accepted (or replayed).
bool submit_job(std::uint16_t port, const std::string& key, const std::string& agent_id, int n) {
  std::string name = join("job-", std::to_string(n));
  HeaderList headers = {
      {"X-API-Key", key}, {"Content-Type", "application/json"}, {"Idempotency-Key", name}};
  std::string body =
      join(R"({"agent_id":")", agent_id, R"(","job_type":"create","keyword":")", name, "\"}");
  for (int i = 0; i < 3000; ++i) {
    ClientResponse response;
    try {
      response = HttpClient(port).request(bhttp::verb::post, kJobs, body, headers);
    } catch (const std::exception&) {
      return false;
    }
    if (response.result_int() == 202) return true;
    // The plan's limit, or the same key still in flight: wait and ask again.
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

TEST(JobCrash, NoJobIsLostOrDuplicatedAcross100JobsAndAKillInTheMiddle) {
  constexpr int kJobCount = 100;
  constexpr int kKillAfter = 50;
  TempDirectory data;
  std::string key;
  std::string agent_id;
  int submitted = 0;
  {
    ServerProcess server(data.path(), pipeline_server(20));
    std::uint16_t port = server.port();
    ASSERT_NE(port, 0);
    key = server.read_api_key();
    Api api(port, key);
    agent_id =
        text_of(api.create("/v1/dashboard/agents", R"({"name":"a","keywords":["k"]})"), "id");
    while (submitted < kKillAfter) {
      ASSERT_TRUE(submit_job(port, key, agent_id, submitted));
      ++submitted;
    }
    // Killed while the last ones are pending or processing.
    server.stop_with(SIGKILL);
  }
  ServerProcess restarted(data.path(), pipeline_server(5));
  std::uint16_t port = restarted.port();
  ASSERT_NE(port, 0);
  Api api(port, key);
  // The client retries the last request it is unsure of (same key), then goes on.
  for (int n = submitted - 1; n < kJobCount; ++n)
    ASSERT_TRUE(submit_job(port, key, agent_id, n)) << n;

  ListWalk all;
  ASSERT_TRUE(eventually([&] {
    all = walk_list(api, join(kJobs, "?limit=100"));
    if (!all.ended || all.items.size() != static_cast<std::size_t>(kJobCount)) return false;
    for (const auto& item : all.items) {
      if (text_of(item, "status") != "completed") return false;
    }
    return true;
  }));
  std::map<std::string, int> by_keyword;
  for (const auto& item : all.items)
    ++by_keyword[text_of(item, "keyword")];
  ASSERT_EQ(by_keyword.size(), static_cast<std::size_t>(kJobCount));
  for (int n = 0; n < kJobCount; ++n)
    EXPECT_EQ(by_keyword[join("job-", std::to_string(n))], 1) << n;
  for (const auto& item : all.items) {
    auto steps = steps_of(api, text_of(item, "job_id"));
    EXPECT_EQ(count_of(steps, "completed"), 1u) << text_of(item, "job_id");
  }
  EXPECT_EQ(restarted.stop_with(SIGTERM), 0);
}

TEST(JobCrash, ASecondServerOnTheSameDataDirectoryIsRefused) {
  TempDirectory data;
  ServerProcess first(data.path(), pipeline_server(0));
  ASSERT_NE(first.port(), 0);
  ServerProcess second(data.path(), pipeline_server(0));
  EXPECT_EQ(second.port(), 0);
  EXPECT_EQ(second.stop_with(SIGTERM), 1);
}

}  // namespace
}  // namespace seoagents::testing
