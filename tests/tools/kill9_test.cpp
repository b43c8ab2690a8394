// The kill -9 test: clients drive mixed writes (agents, sites, jobs, webhooks) into the real
// binary, which is killed with SIGKILL at a random moment (group commits, running jobs and
// webhook deliveries are always under way) and started again on the same data, cycle after
// cycle. Afterwards: every write acknowledged with a 2xx is there, every job finished (none
// stays in processing past its lease), every job.completed event reached the receiver, and the
// database passes PRAGMA integrity_check.
//
// Longer by hand: SEOAGENTS_KILL9_CYCLES=500 build/release/tests/tools_tests
// --gtest_filter='Kill9.*' (SEOAGENTS_KILL9_SEED replays the kill moments of a given seed).
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "tests/support/api_helpers.hpp"
#include "tests/support/command.hpp"
#include "tests/support/data_dir.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/webhook_receiver.hpp"

namespace seoagents::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kAgents = "/v1/dashboard/agents";
constexpr std::string_view kSites = "/v1/dashboard/sites";
constexpr std::string_view kJobs = "/v1/dashboard/jobs";
constexpr std::string_view kWebhooks = "/v1/dashboard/webhooks";
constexpr int kWriterThreads = 3;
constexpr int kMaxAttempts = 20;

int setting(const char* name, int fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::atoi(value) : fallback;
}

// The ids of every write the server acknowledged, by resource.
struct Acknowledged {
  std::mutex mutex;
  std::set<std::string> agents, sites, jobs, webhooks;
  // Answers that were neither a 2xx nor a dropped connection.
  std::vector<std::string> unexpected;

  void add(std::set<std::string>& into, const std::string& id) {
    std::lock_guard lock(mutex);
    into.insert(id);
  }
  void add_unexpected(const ClientResponse& response) {
    std::lock_guard lock(mutex);
    unexpected.push_back(join(std::to_string(response.result_int()), " ", response.body()));
  }
  std::string any_agent(std::mt19937& random) {
    std::lock_guard lock(mutex);
    auto at = agents.begin();
    std::advance(at, random() % agents.size());
    return *at;
  }
};

ServerProcessOptions crash_server() {
  ServerProcessOptions options;
  options.binary = SEOAGENTS_PIPELINE_SERVER;
  // Jobs may be interrupted many times: the most attempts there can be. The receiver is on
  // loopback.
  options.extra_args = {"--job-workers",
                        "4",
                        "--job-lease",
                        "2s",
                        "--job-max-attempts",
                        std::to_string(kMaxAttempts),
                        "--allow-private-targets",
                        "on",
                        "--webhook-retry-base",
                        "100ms",
                        "--access-log",
                        "off"};
  options.environment = {"SEOAGENTS_TEST_STEP_DELAY_MS=5"};
  return options;
}

// One write chosen at random; false once the server is gone.
bool write_one(const Api& api, std::mt19937& random, Acknowledged& acknowledged,
               const std::string& hook_url) {
  std::uint32_t pick = random() % 12;
  std::uint32_t n = random();
  try {
    if (pick < 3) {
      auto response = api.post(kAgents, join(R"({"name":"agent )", std::to_string(n),
                                             R"(","keywords":["booth design"]})"));
      if (response.result_int() == 201) {
        acknowledged.add(acknowledged.agents, text_of(body_of(response), "id"));
        return true;
      }
      acknowledged.add_unexpected(response);
    } else if (pick < 5) {
      auto response = api.post(kSites, join(R"({"url":"https://93.184.216.34/s)", std::to_string(n),
                                            R"(","name":"site","username":"u",)",
                                            R"("application_password":"abcd efgh ijkl mnop"})"));
      if (response.result_int() == 201) {
        acknowledged.add(acknowledged.sites, text_of(body_of(response), "id"));
        return true;
      }
      acknowledged.add_unexpected(response);
    } else if (pick < 7) {
      auto response = api.post(kJobs, join(R"({"agent_id":")", acknowledged.any_agent(random),
                                           R"(","job_type":"create"})"));
      if (response.result_int() == 202) {
        acknowledged.add(acknowledged.jobs, text_of(body_of(response), "job_id"));
        return true;
      }
      // The plan's concurrent job limit: a refusal, not an acknowledgement.
      if (response.result_int() != 409) acknowledged.add_unexpected(response);
    } else if (pick < 8) {
      // Subscribed to an event these jobs never raise: only the first webhook gets deliveries.
      auto response =
          api.post(kWebhooks, join(R"({"url":")", hook_url, R"(","events":["rank.alert"]})"));
      if (response.result_int() == 201) {
        acknowledged.add(acknowledged.webhooks, text_of(body_of(response), "id"));
        return true;
      }
      acknowledged.add_unexpected(response);
    } else {
      auto response = api.get(join(kAgents, "?limit=5"));
      if (response.result_int() != 200) acknowledged.add_unexpected(response);
    }
    return true;
  } catch (const std::exception&) {
    return false;  // the connection failed: the server was killed
  }
}

// The ids (`id_member` of each item) of a whole list.
std::set<std::string> listed(const Api& api, std::string_view path,
                             std::string_view id_member = "id") {
  ListWalk walk = walk_list(api, join(path, "?limit=100"));
  EXPECT_TRUE(walk.ended) << path;
  std::set<std::string> ids;
  for (const auto& item : walk.items)
    ids.insert(text_of(item, id_member));
  return ids;
}

bool contains_all(const std::set<std::string>& whole, const std::set<std::string>& part) {
  return std::includes(whole.begin(), whole.end(), part.begin(), part.end());
}

// The job ids of every job.completed and job.failed the receiver got.
std::set<std::string> finished_events(const WebhookReceiver& receiver) {
  std::set<std::string> jobs;
  for (const auto& received : receiver.received()) {
    if (received.event_type != "job.completed" && received.event_type != "job.failed") continue;
    const auto* data = received.payload.if_contains("data");
    if (data != nullptr && data->is_object()) jobs.insert(text_of(data->as_object(), "job_id"));
  }
  return jobs;
}

TEST(Kill9, AcknowledgedWritesJobsAndWebhookEventsSurviveRepeatedSigkills) {
  const int cycles = setting("SEOAGENTS_KILL9_CYCLES", 10);
  const auto seed = static_cast<unsigned>(setting("SEOAGENTS_KILL9_SEED", std::random_device{}()));
  std::cout << "kill9: " << cycles << " cycles, seed " << seed << "\n";
  std::mt19937 random(seed);

  TempDirectory data;
  std::string key = create_enterprise_key(data.path(), "kill9");
  ASSERT_FALSE(key.empty());
  WebhookReceiver receiver;
  ScriptedResponse slow_ok = status_response(200);
  slow_ok.delay = 20ms;  // deliveries are in flight when the kill comes
  receiver.set_fallback(slow_ok);
  Acknowledged acknowledged;

  for (int cycle = 0; cycle < cycles; ++cycle) {
    ServerProcess server(data.path(), crash_server());
    Api api(server.port(), key);
    ASSERT_NE(api.port(), 0) << "cycle " << cycle;
    if (cycle == 0) {
      acknowledged.add(
          acknowledged.webhooks,
          text_of(api.create(kWebhooks, join(R"({"url":")", receiver.url(),
                                             R"(","events":["job.completed","job.failed"]})")),
                  "id"));
      acknowledged.add(acknowledged.agents,
                       text_of(api.create(kAgents, R"({"name":"first","keywords":["k"]})"), "id"));
    }
    std::vector<std::thread> writers;
    for (int t = 0; t < kWriterThreads; ++t) {
      writers.emplace_back([&, thread_seed = random()] {
        std::mt19937 own(thread_seed);
        while (write_one(api, own, acknowledged, receiver.url())) {
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + random() % 450));
    server.stop_with(SIGKILL);
    for (auto& writer : writers)
      writer.join();
  }

  ServerProcess server(data.path(), crash_server());
  Api api(server.port(), key);
  ASSERT_NE(api.port(), 0);
  EXPECT_TRUE(acknowledged.unexpected.empty()) << acknowledged.unexpected.front();
  EXPECT_TRUE(contains_all(listed(api, kAgents), acknowledged.agents));
  EXPECT_TRUE(contains_all(listed(api, kSites), acknowledged.sites));
  EXPECT_TRUE(contains_all(listed(api, kWebhooks), acknowledged.webhooks));
  EXPECT_TRUE(contains_all(listed(api, kJobs, "job_id"), acknowledged.jobs));

  // Every job finishes: none is left processing under a dead worker's lease. A job fails only
  // when a kill interrupted every one of its attempts.
  std::set<std::string> unfinished = acknowledged.jobs;
  int failed = 0;
  bool all_finished = eventually(
      [&] {
        std::this_thread::sleep_for(100ms);
        for (auto it = unfinished.begin(); it != unfinished.end();) {
          auto job = body_of(api.get(join(kJobs, "/", *it)));
          std::string status = text_of(job, "status");
          if (status == "failed") {
            ++failed;
            EXPECT_EQ(job.at("attempts").as_int64(), kMaxAttempts) << *it;
          }
          it = status == "completed" || status == "failed" ? unfinished.erase(it) : std::next(it);
        }
        return unfinished.empty();
      },
      std::chrono::minutes(3));
  EXPECT_TRUE(all_finished) << unfinished.size() << " jobs never finished, e.g. "
                            << (unfinished.empty() ? "" : *unfinished.begin());

  // And the receiver got each one's event (at least once: deliveries are retried).
  bool all_delivered =
      eventually([&] { return contains_all(finished_events(receiver), acknowledged.jobs); },
                 std::chrono::minutes(2));
  EXPECT_TRUE(all_delivered);
  std::cout << "kill9: acknowledged " << acknowledged.agents.size() << " agents, "
            << acknowledged.sites.size() << " sites, " << acknowledged.jobs.size() << " jobs ("
            << failed << " failed), " << acknowledged.webhooks.size() << " webhooks; "
            << receiver.count() << " deliveries received\n";
  EXPECT_EQ(server.stop_with(SIGTERM), 0);
  EXPECT_EQ(integrity_of(data.path() + "/seoagents.db"), "ok");
}

}  // namespace
}  // namespace seoagents::testing
