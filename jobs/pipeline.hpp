// What a job type runs: a pipeline of named steps. The engine runs the steps in order; after
// each, it records a progress event (persisted, then announced) and checks whether the job was
// cancelled or its lease lost. Jobs run at least once (a worker may die between a step and
// its record), so every step must be safe to run again.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/jobs.hpp"

namespace seoagents::jobs {

namespace asio = boost::asio;

// How a step ended.
struct StepOutcome {
  enum class Kind {
    done,
    // Worth another attempt (a timeout, a 5xx, an overloaded provider).
    retryable_failure,
    // Another attempt would fail the same way (bad input, a refused credential).
    permanent_failure,
  };
  Kind kind = Kind::done;
  // For the progress event (done) or the job's error (failures). Shown to API callers.
  std::string message;

  static StepOutcome ok(std::string message) { return {Kind::done, std::move(message)}; }
  static StepOutcome retry(std::string message) {
    return {Kind::retryable_failure, std::move(message)};
  }
  static StepOutcome fail(std::string message) {
    return {Kind::permanent_failure, std::move(message)};
  }
};

// What a running step sees and may do.
class JobContext {
 public:
  virtual ~JobContext() = default;
  // The job as claimed (attempts counts this attempt).
  virtual const storage::Job& job() const = 0;
  // The job's result, built by the steps; stored when the last step is done.
  virtual boost::json::object& result() = 0;
  // Working data the steps of one attempt hand to each other (an outline, a draft): starts
  // empty on every attempt and is never stored.
  virtual boost::json::object& scratch() = 0;
  // Records an intermediate progress event within the current step.
  virtual asio::awaitable<void> progress(std::int64_t percent, std::string message) = 0;
  // Waits `duration`, or less when the server is stopping (then stopping() is true).
  virtual asio::awaitable<void> sleep(std::chrono::milliseconds duration) = 0;
  // The server is stopping: a long step should return soon (its outcome is then ignored and the
  // job handed back to the queue).
  virtual bool stopping() const = 0;
};

struct Step {
  // Short and stable ("outline", "draft"): the `step` of its progress event.
  std::string name;
  // Overall progress once this step is done (0–100, increasing along the pipeline).
  std::int64_t percent = 0;
  std::function<asio::awaitable<StepOutcome>(JobContext&)> run;
};

struct Pipeline {
  std::vector<Step> steps;
};

// The string member `name` of a scratch object (what one step left for the next), or empty.
inline std::string scratch_text(const boost::json::object& object, std::string_view name) {
  const boost::json::value* value = object.if_contains(name);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

}  // namespace seoagents::jobs
