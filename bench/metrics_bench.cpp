// Microbenchmarks of the metrics: what each request pays (the pipeline's clock read and
// RequestMetrics::record, alone and from two loops at once), a counter add and a histogram
// observation, what one GET /metrics costs to render with every route of the API counted, and
// the jobs gauge's query (the trigger-kept job_counts table) beside the scan it replaces.
#include <benchmark/benchmark.h>

#include <chrono>

#include "bench/bench_database.hpp"
#include "core/loop_pool.hpp"
#include "core/metrics.hpp"
#include "http/request_metrics.hpp"
#include "http/routes.hpp"
#include "storage/accounts.hpp"
#include "storage/agents.hpp"
#include "storage/job_counts.hpp"
#include "storage/jobs.hpp"
#include "tools/app.hpp"
#include "tools/server_metrics.hpp"

namespace seoagents {
namespace {

constexpr unsigned kLoops = 2;

const http::Router& api_router() {
  static const http::Router router = [] {
    http::Router built;
    http::register_api_routes(built, {});
    return built;
  }();
  return router;
}

const http::Route& agent_route() {
  for (const auto& route : api_router().routes()) {
    if (route->pattern == "/v1/dashboard/agents/{id}" && route->method == http::bhttp::verb::get)
      return *route;
  }
  throw std::logic_error("no GET /v1/dashboard/agents/{id}");
}

// The pipeline's part of a request: the clock read after the response, and the record.
void BM_RecordRequest(benchmark::State& state) {
  static http::RequestMetrics metrics(api_router(), kLoops + 1);
  LoopPool::ScopedLoopIndex loop(static_cast<int>(state.thread_index()));
  const http::Route& route = agent_route();
  auto started = std::chrono::steady_clock::now();
  for (auto _ : state) {
    metrics.record(&route, http::bhttp::verb::get, 200, std::chrono::steady_clock::now() - started);
  }
}
BENCHMARK(BM_RecordRequest)->Threads(1)->Threads(2);

void BM_RecordUnmatched(benchmark::State& state) {
  static http::RequestMetrics metrics(api_router(), kLoops + 1);
  LoopPool::ScopedLoopIndex loop(0);
  for (auto _ : state) {
    metrics.record(nullptr, http::bhttp::verb::get, 404, std::chrono::microseconds(20));
  }
}
BENCHMARK(BM_RecordUnmatched);

void BM_CounterAdd(benchmark::State& state) {
  static metrics::Counter counter(kLoops + 1);
  LoopPool::ScopedLoopIndex loop(static_cast<int>(state.thread_index()));
  for (auto _ : state)
    counter.add();
}
BENCHMARK(BM_CounterAdd)->Threads(1)->Threads(2);

void BM_HistogramObserve(benchmark::State& state) {
  static metrics::Histogram histogram(metrics::latency_buckets(), kLoops + 1);
  LoopPool::ScopedLoopIndex loop(static_cast<int>(state.thread_index()));
  double value = 0.0003;
  for (auto _ : state)
    histogram.observe(value);
}
BENCHMARK(BM_HistogramObserve)->Threads(1)->Threads(2);

// A scrape of a server whose every route answered a few status codes (the jobs and store
// families render without a database here: their cost is a few-row query on top).
void BM_RenderMetrics(benchmark::State& state) {
  ServerMetrics server_metrics(kLoops, std::chrono::system_clock::now(), io_backend_name());
  http::RequestMetrics& requests = server_metrics.count_requests(api_router());
  for (const auto& route : api_router().routes()) {
    for (unsigned status : {200u, 400u, 404u, 429u})
      requests.record(route.get(), route->method, status, std::chrono::microseconds(150));
  }
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string text = server_metrics.registry().render();
    bytes = text.size();
    benchmark::DoNotOptimize(text);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
  state.counters["routes"] = static_cast<double>(api_router().routes().size());
}
BENCHMARK(BM_RenderMetrics);

// A database holding `jobs` jobs of three types, a third of them completed; the agent they
// belong to.
storage::Agent fill_jobs(BenchDatabase& database, std::int64_t jobs) {
  return database.write<storage::Agent>([jobs](storage::Connection& db) {
    auto account = storage::create_account(db, "bench", storage::Plan::enterprise);
    storage::Agent agent;
    agent.account_id = account.id;
    agent.name = "bench";
    agent.keywords = {"trade show booth cost"};
    agent = storage::insert_agent(db, agent);
    constexpr std::string_view kTypes[] = {"create", "publish", "audit"};
    for (std::int64_t i = 0; i < jobs; ++i) {
      storage::Job job;
      job.account_id = account.id;
      job.agent_id = agent.id;
      job.job_type = std::string(kTypes[i % 3]);
      job.keyword = "trade show booth cost";
      auto inserted = storage::insert_job(db, job, storage::now_ms());
      if (i % 3 == 0) {
        std::string token = "token-" + std::to_string(i);
        auto claimed = storage::claim_next_job(db, storage::now_ms(), 30'000, token);
        if (claimed) storage::complete_job(db, claimed->id, token, "{}", storage::now_ms());
      }
    }
    return agent;
  });
}

// What a scrape reads for seoagents_jobs: a few rows, whatever the number of jobs.
void BM_CountJobsFromCountsTable(benchmark::State& state) {
  BenchDatabase database;
  fill_jobs(database, state.range(0));
  for (auto _ : state) {
    auto counts = storage::count_jobs_by_type_and_status(database.store().reader());
    benchmark::DoNotOptimize(counts);
  }
}
BENCHMARK(BM_CountJobsFromCountsTable)->Arg(1'000)->Arg(100'000);

// The scan the counts table replaces: GROUP BY over the whole jobs table.
constexpr std::string_view kGroupJobs =
    "SELECT job_type, status, count(*) FROM jobs GROUP BY job_type, status";

void BM_CountJobsByScanning(benchmark::State& state) {
  BenchDatabase database;
  fill_jobs(database, state.range(0));
  for (auto _ : state) {
    storage::Query query = database.store().reader().query(kGroupJobs);
    std::int64_t total = 0;
    while (query->step())
      total += query->integer(2);
    benchmark::DoNotOptimize(total);
  }
}
BENCHMARK(BM_CountJobsByScanning)->Arg(1'000)->Arg(100'000)->Unit(benchmark::kMicrosecond);

// What keeping job_counts costs a job's writes: insert, claim and complete (each in a
// transaction of its own, durability normal) with the triggers (1) and with them dropped (0).
void BM_JobLifecycleWithCountsTriggers(benchmark::State& state) {
  BenchDatabase database;
  storage::Agent agent = fill_jobs(database, 0);
  if (state.range(0) == 0) {
    database.write<bool>([](storage::Connection& db) {
      db.exec(
          "DROP TRIGGER job_counts_on_insert; DROP TRIGGER job_counts_on_status; "
          "DROP TRIGGER job_counts_on_delete");
      return true;
    });
  }
  std::int64_t cycle = 0;
  for (auto _ : state) {
    std::string token = "token-" + std::to_string(++cycle);
    database.write<bool>([&](storage::Connection& db) {
      storage::Job job;
      job.account_id = agent.account_id;
      job.agent_id = agent.id;
      job.job_type = "create";
      storage::insert_job(db, job, storage::now_ms());
      return true;
    });
    database.write<bool>([&](storage::Connection& db) {
      auto claimed = storage::claim_next_job(db, storage::now_ms(), 30'000, token);
      return claimed && storage::complete_job(db, claimed->id, token, "{}", storage::now_ms());
    });
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_JobLifecycleWithCountsTriggers)->ArgName("triggers")->Arg(0)->Arg(1);

}  // namespace
}  // namespace seoagents
