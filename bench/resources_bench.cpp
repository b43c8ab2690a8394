// Microbenchmarks of the resource hot paths: authenticating a key (SHA-256 plus the per-loop
// cache), rendering an agent as JSON, and a keyset page of agents in a table of up to a million
// rows (at the start and deep into the list: a keyset page costs the same anywhere).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "bench/bench_database.hpp"
#include "core/crypto.hpp"
#include "core/log.hpp"
#include "core/loop_pool.hpp"
#include "http/auth.hpp"
#include "http/handlers/representations.hpp"
#include "storage/accounts.hpp"
#include "storage/agents.hpp"
#include "storage/store.hpp"

namespace seoagents {
namespace {

constexpr std::string_view kInsertAgent = R"sql(
INSERT INTO agents (id, account_id, name, keywords, tone, word_target, schedule, status,
                    created_at, updated_at)
VALUES (?1, ?2, ?3, '["trade show booth cost","custom trade show booth"]', 'professional',
        1500, 'weekly', 'active', ?4, ?4))sql";

void BM_ApiKeyLookup(benchmark::State& state) {
  BenchDatabase database;
  std::string raw_key = database.write<std::string>([](storage::Connection& db) {
    auto account = storage::create_account(db, "bench", storage::Plan::agency);
    return storage::create_api_key(db, account.id, "bench").raw_key;
  });
  http::CredentialCache cache(database.store(), 1);
  LoopPool::ScopedLoopIndex on_loop(0);
  std::int64_t now = storage::now_ms();
  for (auto _ : state) {
    bool touch = false;
    std::string hash = sha256_hex(raw_key);
    benchmark::DoNotOptimize(cache.lookup_key(hash, now, touch));
  }
}
BENCHMARK(BM_ApiKeyLookup);

void BM_AgentJson(benchmark::State& state) {
  storage::Agent agent;
  agent.id = "agent-1a2b3c4d";
  agent.account_id = "acct-00000001";
  agent.name = "Trade Show Content Agent";
  for (int i = 0; i < 10; ++i)
    agent.keywords.push_back("custom trade show booth " + std::to_string(i));
  agent.schedule = "weekly";
  agent.word_target = 2500;
  agent.site_id = "site-5e6f7a8b";
  agent.created_at = 1'790'000'000'123;
  agent.updated_at = 1'790'000'100'456;
  for (auto _ : state) {
    benchmark::DoNotOptimize(http::handlers::agent_json(agent));
  }
}
BENCHMARK(BM_AgentJson);

// `rows` agents of one account, ids and created_at in the same order.
std::string fill_agents(BenchDatabase& database, std::int64_t rows) {
  return database.write<std::string>([rows](storage::Connection& db) {
    auto account = storage::create_account(db, "bench", storage::Plan::agency);
    char id[32];
    for (std::int64_t i = 0; i < rows; ++i) {
      std::snprintf(id, sizeof id, "agent-%08llx", static_cast<unsigned long long>(i));
      db.query(kInsertAgent)
          ->bind(1, std::string_view(id))
          .bind(2, account.id)
          .bind(3, std::string_view(id))
          .bind(4, 1'790'000'000'000 + i)
          .run();
    }
    return account.id;
  });
}

// One agent by id (the read behind GET /agents/{id}), in a table of 10,000.
void BM_AgentPointRead(benchmark::State& state) {
  BenchDatabase database;
  fill_agents(database, 10'000);
  storage::Connection& reader = database.store().reader();
  for (auto _ : state) {
    auto agent = storage::find_agent(reader, "agent-00001388");
    if (!agent) state.SkipWithError("agent not found");
    benchmark::DoNotOptimize(agent);
  }
}
BENCHMARK(BM_AgentPointRead);

// Arguments: the table's rows, and where the page starts (0: the first page; 1: the middle).
void BM_AgentKeysetPage(benchmark::State& state) {
  BenchDatabase database;
  std::int64_t rows = state.range(0);
  std::string account_id = fill_agents(database, rows);
  storage::Connection& reader = database.store().reader();
  std::optional<storage::PagePosition> after;
  if (state.range(1) == 1) {
    char id[32];
    std::snprintf(id, sizeof id, "agent-%08llx", static_cast<unsigned long long>(rows / 2));
    after = storage::PagePosition{std::int64_t{1'790'000'000'000 + rows / 2}, id};
  }
  for (auto _ : state) {
    auto page =
        storage::list_agents(reader, account_id, std::nullopt, "created_at", true, after, 25);
    if (page.size() != 25) state.SkipWithError("short page");
    benchmark::DoNotOptimize(page);
  }
  state.counters["rows"] = static_cast<double>(rows);
}
BENCHMARK(BM_AgentKeysetPage)
    ->Args({10'000, 0})
    ->Args({10'000, 1})
    ->Args({1'000'000, 0})
    ->Args({1'000'000, 1})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace seoagents
