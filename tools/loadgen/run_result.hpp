// The outcome of a run, as the report prints it: the merged counters and the measured period,
// plus what only the idle and WebSocket modes have.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "tools/loadgen/stats.hpp"

namespace seoagents::loadgen {

struct RunResult {
  // "http", "idle", "ws" or "ws-idle".
  std::string mode = "http";
  HttpTotals http;
  WsTotals ws;
  // The measured period (after the warmup; until the stop or the last of -n answers).
  double duration_s = 0;
  int connections = 0;
  int threads = 0;
  // Open loop: the requested rate.
  double rate = 0;
  // Connections that connected at least once.
  std::uint64_t connected = 0;
  // Idle mode: connections that were open when all were tried.
  std::uint64_t open = 0;
  // WebSocket mode.
  int watchers = 0;
  std::uint64_t watchers_open = 0;
  std::uint64_t jobs_submitted = 0;
  std::uint64_t jobs_accepted = 0;
  // Final messages expected: each accepted job on each watcher that was open when it came.
  std::uint64_t finals_expected = 0;
  // Every expected final message arrived (WebSocket mode).
  bool ws_complete = false;
  // From the first job submitted to the last final message (or the stop).
  double ws_duration_s = 0;
  // Nothing could connect (exit code 1).
  bool nothing_connected = false;
};

// What the run tells its caller while it goes on (both optional; called on the caller's thread).
struct RunHooks {
  // A one-line live report, once a second.
  std::function<void(std::string_view line)> progress;
  // Idle modes: every connection has been tried; `open` of them are open and held.
  std::function<void(std::uint64_t open)> ready;
};

}  // namespace seoagents::loadgen
