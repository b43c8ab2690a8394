// The steps of the test pipeline (see test_pipelines.hpp).
#include "tests/support/test_pipelines.hpp"

namespace seoagents::testing {
namespace {

namespace asio = boost::asio;
using jobs::JobContext;
using jobs::StepOutcome;
using Control = std::shared_ptr<PipelineControl>;

asio::awaitable<void> step_delay(JobContext& context, const PipelineControl& control) {
  int delay = control.step_delay_ms.load();
  if (delay > 0) co_await context.sleep(std::chrono::milliseconds(delay));
}

asio::awaitable<StepOutcome> outline(Control control, JobContext& context) {
  co_await step_delay(context, *control);
  co_return StepOutcome::ok("Outline ready");
}

asio::awaitable<StepOutcome> draft(Control control, JobContext& context) {
  ++control->drafting;
  co_await step_delay(context, *control);
  while (control->hold && !context.stopping())
    co_await context.sleep(std::chrono::milliseconds(5));
  --control->drafting;
  if (control->retryable_failures > 0) {
    --control->retryable_failures;
    co_return StepOutcome::retry("the model was overloaded");
  }
  if (control->fail_for_good) co_return StepOutcome::fail("the model refused the credentials");
  co_await context.progress(50, "Half of the draft written");
  co_return StepOutcome::ok("Draft written");
}

asio::awaitable<StepOutcome> store(Control control, JobContext& context) {
  co_await step_delay(context, *control);
  control->record_stored(context.job().id);
  context.result()["keyword"] = context.job().keyword.value_or("");
  context.result()["attempt"] = context.job().attempts;
  co_return StepOutcome::ok("Stored");
}

}  // namespace

std::vector<std::string> PipelineControl::stored() const {
  std::lock_guard lock(mutex_);
  return stored_;
}

void PipelineControl::record_stored(const std::string& job_id) {
  std::lock_guard lock(mutex_);
  stored_.push_back(job_id);
}

jobs::Pipeline test_pipeline(std::shared_ptr<PipelineControl> control) {
  jobs::Pipeline pipeline;
  pipeline.steps.push_back(
      {"outline", 20, [control](JobContext& context) { return outline(control, context); }});
  pipeline.steps.push_back(
      {"draft", 60, [control](JobContext& context) { return draft(control, context); }});
  pipeline.steps.push_back(
      {"store", 90, [control](JobContext& context) { return store(control, context); }});
  return pipeline;
}

}  // namespace seoagents::testing
