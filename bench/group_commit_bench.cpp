// Microbenchmark of the store's group commit: W coroutines each awaiting one agent insert at a
// time through Store::write (as W concurrent POST /agents do), durability full (every answered
// write is on disk). The writer thread commits what queued up meanwhile as one transaction, so
// writes per second grow with W while fsyncs per second stay about the same.
#include <benchmark/benchmark.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "bench/bench_database.hpp"
#include "storage/accounts.hpp"
#include "storage/agents.hpp"

namespace seoagents {
namespace {

namespace asio = boost::asio;

asio::awaitable<void> insert_agents(storage::Store& store, std::string account_id, int count,
                                    std::int64_t& failures) {
  for (int i = 0; i < count; ++i) {
    auto work = [&account_id, i](storage::Connection& db) {
      storage::Agent agent;
      agent.account_id = account_id;
      agent.name = "Agent " + std::to_string(i);
      agent.keywords = {"trade show booth cost", "custom trade show booth"};
      return storage::insert_agent(db, agent).id;
    };
    auto written = co_await store.write<std::string>(std::move(work));
    if (!written) ++failures;
  }
}

// Argument: concurrent writers. Each iteration is 2,000 durable inserts in all.
void BM_GroupCommit(benchmark::State& state) {
  const int writers = static_cast<int>(state.range(0));
  const int per_writer = 2'000 / writers;
  BenchDatabase database(storage::Durability::full);
  std::string account_id = database.write<std::string>([](storage::Connection& db) {
    return storage::create_account(db, "bench", storage::Plan::enterprise).id;
  });
  database.store().start();
  std::int64_t failures = 0;
  for (auto _ : state) {
    asio::io_context loop;
    // The writes complete on the writer thread: the loop has no work of its own meanwhile.
    auto busy = asio::make_work_guard(loop);
    int running = writers;
    for (int w = 0; w < writers; ++w)
      asio::co_spawn(loop, insert_agents(database.store(), account_id, per_writer, failures),
                     [&](std::exception_ptr) {
                       if (--running == 0) busy.reset();
                     });
    loop.run();
  }
  if (failures > 0) state.SkipWithError("a write failed");
  auto writes = static_cast<double>(database.store().committed_writes());
  auto groups = static_cast<double>(database.store().committed_groups());
  database.store().stop();
  state.SetItemsProcessed(state.iterations() * per_writer * writers);
  state.counters["writes_per_commit"] = groups > 0 ? writes / groups : 0;
}
BENCHMARK(BM_GroupCommit)
    ->Arg(1)
    ->Arg(16)
    ->Arg(64)
    ->Arg(256)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace seoagents
