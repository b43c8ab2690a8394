// The burst step (see burst_pipeline.hpp).
#include "tests/support/burst_pipeline.hpp"

#include <algorithm>
#include <string>

namespace seoagents::testing {
namespace {

namespace asio = boost::asio;
using jobs::JobContext;
using jobs::StepOutcome;
using Control = std::shared_ptr<BurstControl>;

constexpr int kMostEvents = 100'000;

std::string event_message(int index, int bytes) {
  std::string message("Event ");
  message.append(std::to_string(index));
  if (static_cast<int>(message.size()) < bytes) message.append(bytes - message.size(), '.');
  return message;
}

bool more_events(const BurstControl& control, int index) {
  if (control.until_stopped) return !control.stop && index < kMostEvents;
  return index < control.events;
}

asio::awaitable<StepOutcome> burst(Control control, JobContext& context) {
  while (control->hold && !context.stopping())
    co_await context.sleep(std::chrono::milliseconds(5));
  ++control->started;
  int index = 0;
  for (; more_events(*control, index) && !context.stopping(); ++index) {
    std::int64_t percent = 10 + std::min(index, 79);
    co_await context.progress(percent, event_message(index, control->message_bytes));
    ++control->recorded;
  }
  if (control->fail) co_return StepOutcome::fail("the burst was told to fail");
  context.result()["keyword"] = context.job().keyword.value_or("");
  context.result()["events"] = index;
  co_return StepOutcome::ok("Burst recorded");
}

}  // namespace

jobs::Pipeline burst_pipeline(std::shared_ptr<BurstControl> control) {
  jobs::Pipeline pipeline;
  pipeline.steps.push_back(
      {"burst", 90, [control](JobContext& context) { return burst(control, context); }});
  return pipeline;
}

}  // namespace seoagents::testing
