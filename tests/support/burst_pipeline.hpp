// A pipeline for the WebSocket tests: one step that records many progress events quickly, its
// behaviour controlled from the test's thread — hold it before the first event, choose how many
// events and how long their messages are, keep emitting until told to stop, fail it.
#pragma once

#include <atomic>
#include <memory>

#include "jobs/pipeline.hpp"

namespace seoagents::testing {

struct BurstControl {
  // While set, the burst step waits (in short sleeps) before its first event.
  std::atomic<bool> hold{false};
  // Progress events each run records (unless `until_stopped`).
  std::atomic<int> events{20};
  // Characters in each event's message (at least a short label).
  std::atomic<int> message_bytes{0};
  // Keep recording events until `stop` is set (at most 100,000).
  std::atomic<bool> until_stopped{false};
  std::atomic<bool> stop{false};
  // The step fails for good after its events.
  std::atomic<bool> fail{false};
  // Burst steps that got past the hold, and events recorded by all runs.
  std::atomic<int> started{0};
  std::atomic<int> recorded{0};
};

// burst (90%): `events` progress events; the result holds the keyword and the event count.
jobs::Pipeline burst_pipeline(std::shared_ptr<BurstControl> control);

}  // namespace seoagents::testing
