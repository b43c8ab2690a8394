// The WebSocket mode: M watcher connections upgraded with the -H headers, spread over the worker
// threads; jobs POSTed over HTTP at --submit-rate from a thread of their own; every watcher
// subscribes to every accepted job (at most kMaxOpenSubscriptions at a time, the rest queued:
// a subscription ends by itself with the job's final message). Measures each live `progress`
// frame's delivery latency (receipt − its `ts`), frames per second, final messages, `error`
// messages and close codes. With --idle: upgrade, hold for --duration, close.
#pragma once

#include "tools/loadgen/options.hpp"
#include "tools/loadgen/run_result.hpp"
#include "tools/loadgen/scenario.hpp"

namespace seoagents::loadgen {

// Below the server's limit of 100 subscriptions per connection.
inline constexpr int kMaxOpenSubscriptions = 90;

// Runs the WebSocket load; `scenario` is unused (the URL is the channel). Throws
// std::runtime_error when a host cannot be resolved or the submit body is not a valid template.
RunResult run_ws_load(const Options& options, const Scenario& scenario, const RunHooks& hooks = {});

}  // namespace seoagents::loadgen
