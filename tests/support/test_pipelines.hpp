// Pipelines the tests register in place of the real ones, to exercise the job engine: three
// steps (outline, draft, store) whose behaviour a test controls from its own thread — hold the
// draft step until released, fail the next attempts, record every run.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "jobs/pipeline.hpp"

namespace seoagents::testing {

struct PipelineControl {
  // While set, the draft step waits (in short sleeps) until it is cleared or the server stops.
  std::atomic<bool> hold{false};
  // The next N draft steps fail with a retryable error; then permanent ones if `fail_for_good`.
  std::atomic<int> retryable_failures{0};
  std::atomic<bool> fail_for_good{false};
  // Each step first sleeps this long (milliseconds).
  std::atomic<int> step_delay_ms{0};
  // Draft steps that are running now.
  std::atomic<int> drafting{0};

  // Job ids whose store step ran, in order (a job may appear twice: steps run at least once).
  std::vector<std::string> stored() const;
  void record_stored(const std::string& job_id);

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> stored_;
};

// outline (20%) → draft (60%) → store (90%); the result holds the keyword and the attempt.
jobs::Pipeline test_pipeline(std::shared_ptr<PipelineControl> control);

}  // namespace seoagents::testing
