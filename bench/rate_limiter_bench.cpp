// Microbenchmarks of the rate limiter's check, the cost every authenticated request pays: one key
// allowed (a CAS) or refused (loads only), alone and shared by two threads, and 100k keys.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "core/rate_limiter.hpp"

namespace seoagents {
namespace {

// 60 ns per request and a burst of 10^9: every check in a run is allowed, so each one writes.
constexpr std::int64_t kAlwaysAllowed = 1'000'000'000;
// After the first minute's 60, every check is refused and only reads.
constexpr std::int64_t kSoonRefused = 60;
constexpr std::size_t kManyKeys = 100'000;

// Keys shaped like the ones the server uses: 64 hex characters (a SHA-256 of an API key).
std::vector<std::string> hashed_keys(std::size_t count) {
  std::vector<std::string> keys;
  keys.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    char key[65];
    const std::size_t scrambled = i * std::size_t{0x9E3779B97F4A7C15};
    std::snprintf(key, sizeof(key), "%016zx%016zx%016zx%016zx", scrambled, i, ~i, i * 31);
    keys.emplace_back(key, 64);
  }
  return keys;
}

// One limiter and key set for every benchmark and thread: threads of a benchmark share them.
RateLimiter& shared_limiter() {
  static RateLimiter limiter(monotonic_epoch_clock(), {.capacity = std::size_t{1} << 18});
  return limiter;
}

const std::vector<std::string>& shared_keys() {
  static const std::vector<std::string> keys = hashed_keys(kManyKeys);
  return keys;
}

void report_allowed(benchmark::State& state, std::int64_t allowed) {
  state.counters["allowed"] =
      benchmark::Counter(static_cast<double>(allowed) / static_cast<double>(state.iterations()),
                         benchmark::Counter::kAvgThreads);
}

void check_one_key(benchmark::State& state, const std::string& key, std::int64_t limit) {
  RateLimiter& limiter = shared_limiter();
  std::int64_t allowed = 0;
  for (auto _ : state) {
    RateDecision decision = limiter.check(key, limit);
    allowed += decision.allowed ? 1 : 0;
    benchmark::DoNotOptimize(decision);
  }
  report_allowed(state, allowed);
}

void BM_RateLimiterOneKeyAllowed(benchmark::State& state) {
  check_one_key(state, shared_keys()[0], kAlwaysAllowed);
}
BENCHMARK(BM_RateLimiterOneKeyAllowed)->Threads(1)->Threads(2)->UseRealTime();

void BM_RateLimiterOneKeyRefused(benchmark::State& state) {
  check_one_key(state, shared_keys()[1], kSoonRefused);
}
BENCHMARK(BM_RateLimiterOneKeyRefused)->Threads(1)->Threads(2)->UseRealTime();

// Round-robin over 100k keys, each thread from its own starting point: table lookups miss the
// cache, as they do on a server with many clients.
void BM_RateLimiterManyKeys(benchmark::State& state) {
  RateLimiter& limiter = shared_limiter();
  const std::vector<std::string>& keys = shared_keys();
  std::size_t next = static_cast<std::size_t>(state.thread_index()) * (kManyKeys / 2);
  std::int64_t allowed = 0;
  for (auto _ : state) {
    RateDecision decision = limiter.check(keys[next], kAlwaysAllowed);
    allowed += decision.allowed ? 1 : 0;
    benchmark::DoNotOptimize(decision);
    if (++next == kManyKeys) next = 0;
  }
  report_allowed(state, allowed);
}
BENCHMARK(BM_RateLimiterManyKeys)->Threads(1)->Threads(2)->UseRealTime();

// The default clock alone: part of every check above.
void BM_RateLimiterClockRead(benchmark::State& state) {
  RateClock clock = monotonic_epoch_clock();
  for (auto _ : state)
    benchmark::DoNotOptimize(clock());
}
BENCHMARK(BM_RateLimiterClockRead);

}  // namespace
}  // namespace seoagents
