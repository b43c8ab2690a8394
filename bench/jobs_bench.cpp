// Benchmarks of the job queue. One job through the queue at the storage level (submit, claim,
// complete, each its own transaction with its progress event) at a steady backlog of pending
// jobs, under both durabilities; and the engine end to end: workers on two loops claiming,
// running a one-step pipeline and completing jobs through the group-committing writer.
#include <benchmark/benchmark.h>

#include <boost/asio/co_spawn.hpp>
#include <chrono>
#include <thread>

#include "bench/bench_database.hpp"
#include "core/loop_pool.hpp"
#include "jobs/engine.hpp"
#include "storage/accounts.hpp"
#include "storage/agents.hpp"
#include "storage/jobs.hpp"

namespace seoagents {
namespace {

using storage::Connection;

// An enterprise account whose limit never gets in the way, and an agent of it.
storage::Agent bench_agent(BenchDatabase& database) {
  return database.write<storage::Agent>([](Connection& db) {
    auto account = storage::create_account(db, "bench", storage::Plan::enterprise);
    storage::set_account_plan(db, account.id, storage::Plan::enterprise,
                              storage::PlanLimits{1'000'000, 10'000'000});
    storage::Agent agent;
    agent.account_id = account.id;
    agent.name = "bench";
    agent.keywords = {"trade show booth cost"};
    return storage::insert_agent(db, agent);
  });
}

storage::Job new_job(const storage::Agent& agent) {
  storage::Job job;
  job.account_id = agent.account_id;
  job.agent_id = agent.id;
  job.job_type = "create";
  job.keyword = "trade show booth cost";
  return job;
}

// Arguments: durability (0 normal, 1 full), pending backlog.
void BM_QueueJobCycle(benchmark::State& state) {
  BenchDatabase database(state.range(0) == 1 ? storage::Durability::full
                                             : storage::Durability::normal);
  storage::Agent agent = bench_agent(database);
  database.write<bool>([&](Connection& db) {
    for (std::int64_t i = 0; i < state.range(1); ++i)
      storage::insert_job(db, new_job(agent), storage::now_ms());
    return true;
  });
  std::int64_t cycle = 0;
  for (auto _ : state) {
    std::int64_t now = storage::now_ms();
    std::string token = "token-" + std::to_string(++cycle);
    database.write<bool>([&](Connection& db) {
      auto job = storage::insert_job(db, new_job(agent), now);
      storage::append_job_event(db, job.id, "queued", 0, "Queued", now);
      return true;
    });
    auto claimed = database.write<std::optional<storage::Job>>([&](Connection& db) {
      auto job = storage::claim_next_job(db, now, 30'000, token);
      if (job) storage::append_job_event(db, job->id, "started", 0, "Attempt 1 of 3", now);
      return job;
    });
    if (!claimed) {
      state.SkipWithError("nothing to claim");
      break;
    }
    database.write<bool>([&](Connection& db) {
      storage::complete_job(db, claimed->id, token, "{}", now);
      storage::append_job_event(db, claimed->id, "completed", 100, "Job completed", now);
      return true;
    });
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_QueueJobCycle)
    ->ArgNames({"full", "backlog"})
    ->Args({0, 100})
    ->Args({0, 10'000})
    ->Args({1, 100})
    ->Unit(benchmark::kMicrosecond);

// Jobs through the engine: `range(0)` jobs queued up front, 8 workers on 2 loops, a one-step
// pipeline; durability full. Reports jobs per second from the first claim to the last
// completion.
void BM_EngineJobsPerSecond(benchmark::State& state) {
  const std::int64_t job_count = state.range(0);
  for (auto _ : state) {
    state.PauseTiming();
    BenchDatabase database(storage::Durability::full);
    storage::Agent agent = bench_agent(database);
    database.write<bool>([&](Connection& db) {
      for (std::int64_t i = 0; i < job_count; ++i)
        storage::insert_job(db, new_job(agent), storage::now_ms());
      return true;
    });
    LoopPool loops(2);
    jobs::EngineOptions options;
    options.workers = 8;
    jobs::JobEngine engine(database.store(), loops, database.logger(), options, storage::now_ms);
    jobs::Pipeline pipeline;
    pipeline.steps.push_back(
        {"write", 50, [](jobs::JobContext&) -> asio::awaitable<jobs::StepOutcome> {
           co_return jobs::StepOutcome::ok("done");
         }});
    engine.register_pipeline("create", std::move(pipeline));
    database.store().start();
    state.ResumeTiming();
    engine.start();
    loops.start();
    while (storage::count_jobs_in_flight(database.store().reader(), agent.account_id) > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    state.PauseTiming();
    engine.stop();
    database.store().stop();
    loops.stop();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * job_count);
}
BENCHMARK(BM_EngineJobsPerSecond)->Arg(2000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace seoagents
