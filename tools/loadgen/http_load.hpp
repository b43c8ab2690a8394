// The HTTP load: keep-alive connections spread over worker threads (one io_context each), each
// connection a coroutine sending the scenario's requests one after the other — as fast as the
// answers come (closed loop) or on the open-loop timetable (--rate) — or, with --idle, opening
// its connection, sending one request and holding it until the end.
#pragma once

#include "tools/loadgen/options.hpp"
#include "tools/loadgen/run_result.hpp"
#include "tools/loadgen/scenario.hpp"

namespace seoagents::loadgen {

// Runs the load `options` describe with `scenario`'s requests. Throws std::runtime_error when
// the host cannot be resolved.
RunResult run_http_load(const Options& options, const Scenario& scenario,
                        const RunHooks& hooks = {});

}  // namespace seoagents::loadgen
