// The open-loop timetable: intended send times for R requests/s over N connections, latency
// counted from the intended time, and a run against a loopback server that stalls once: in open
// loop the stall shows in the latency of every request that was due during it (no coordinated
// omission); in closed loop only the stalled request waits.
#include "tools/loadgen/schedule.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "tests/loadgen/loopback_server.hpp"
#include "tools/loadgen/command.hpp"
#include "tools/loadgen/http_load.hpp"

namespace seoagents::loadgen {
namespace {

using namespace std::chrono_literals;

TEST(OpenLoopSchedule, SpreadsTheRateEvenlyOverTheConnections) {
  Clock::time_point start{};
  OpenLoopSchedule schedule(1000, 4, start);
  EXPECT_EQ(schedule.interval(), 4ms);
  EXPECT_EQ(schedule.intended(0, 0), start);
  EXPECT_EQ(schedule.intended(1, 0), start + 1ms);
  EXPECT_EQ(schedule.intended(3, 0), start + 3ms);
  EXPECT_EQ(schedule.intended(0, 1), start + 4ms);
  EXPECT_EQ(schedule.intended(2, 3), start + 14ms);
  // Every slot of the first 250 requests of each connection: one per millisecond, no two alike.
  std::set<Clock::time_point> slots;
  for (int connection = 0; connection < 4; ++connection) {
    for (std::uint64_t k = 0; k < 250; ++k)
      slots.insert(schedule.intended(connection, k));
  }
  ASSERT_EQ(slots.size(), 1000u);
  EXPECT_EQ(*slots.begin(), start);
  EXPECT_EQ(*slots.rbegin(), start + 999ms);
}

TEST(OpenLoopSchedule, RatesThatDoNotDivideEvenlyDoNotDrift) {
  Clock::time_point start{};
  OpenLoopSchedule schedule(3, 2, start);
  EXPECT_EQ(schedule.intended(1, 1), start + 1s);
  // 3,000,000 requests at 3/s on 2 connections: request 1,499,999 of connection 1 is due at
  // exactly (1 + 2 × 1,499,999) / 3 s = 999,999.666… s.
  auto due = schedule.intended(1, 1'499'999) - start;
  EXPECT_NEAR(std::chrono::duration<double>(due).count(), 2'999'999.0 / 3.0, 1e-6);
}

TEST(OpenLoopSchedule, LatencyCountsFromTheIntendedTime) {
  Clock::time_point intended{};
  // Sent late (after a stall) and answered 100 µs after sending: the latency includes the wait.
  Clock::time_point sent = intended + 250ms;
  Clock::time_point received = sent + 100us;
  EXPECT_EQ(latency_micros(intended, received), 250'100u);
  EXPECT_EQ(latency_micros(sent, received), 100u);
  EXPECT_EQ(latency_micros(received, intended), 0u);
}

// Answers every request with a tiny 200; request number `stall_at` after `stall` (a sleep: the
// stall is at least that long).
testing::LoopbackServer::Handler stall_once(int stall_at, std::chrono::milliseconds stall) {
  return [stall_at, stall](std::string_view, int number) {
    testing::LoopbackAnswer answer{testing::json_response("{}")};
    if (number == stall_at) answer.delay = stall;
    return answer;
  };
}

RunResult run_against(std::uint16_t port, std::vector<std::string_view> extra) {
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/";
  std::vector<std::string_view> arguments = {"-c", "1", "-t", "1", "-n", "100"};
  arguments.insert(arguments.end(), extra.begin(), extra.end());
  arguments.push_back(url);
  Options options = parse_options(arguments);
  return run_http_load(options, scenario_for(options));
}

constexpr int kStallAt = 20;
constexpr auto kStall = 400ms;

TEST(OpenLoopRun, AStallShowsInTheLatencyOfEveryRequestDueDuringIt) {
  testing::LoopbackServer server(stall_once(kStallAt, kStall));
  RunResult result = run_against(server.port(), {"--rate", "100"});
  EXPECT_EQ(result.http.responses, 100u);
  EXPECT_EQ(result.http.status[200], 100u);
  EXPECT_EQ(result.http.error_total(), 0u);
  // Requests are due every 10 ms; the 20th is answered at least 400 ms after it was due, so the
  // 20th to the 40th (due within 200 ms of it) were all sent at least 200 ms after their time.
  EXPECT_GE(result.http.latency.count_at_or_above(200'000), 21u);
  EXPECT_GE(result.http.latency.max(), 400'000u);
}

TEST(OpenLoopRun, ClosedLoopCountsTheStallOnlyOnce) {
  testing::LoopbackServer server(stall_once(kStallAt, kStall));
  RunResult result = run_against(server.port(), {});
  EXPECT_EQ(result.http.responses, 100u);
  EXPECT_GE(result.http.latency.count_at_or_above(400'000), 1u);
  EXPECT_GE(result.http.latency.max(), 400'000u);
}

TEST(LoadgenTimeout, AnAnswerLaterThanTheTimeoutIsATimeoutAndTheRunGoesOn) {
  // The first answer comes after 3 s; the timeout is 0.2 s (noticed within 0.05 s more).
  testing::LoopbackServer server(stall_once(1, 3000ms));
  RunResult result = run_against(server.port(), {"--timeout", "0.2", "-n", "3"});
  EXPECT_EQ(result.http.errors[static_cast<std::size_t>(ErrorKind::timeout)], 1u);
  EXPECT_EQ(result.http.error_total(), 1u);
  EXPECT_EQ(result.http.status[200], 3u);
}

}  // namespace
}  // namespace seoagents::loadgen
