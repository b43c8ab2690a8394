// `seoagents serve` with the test pipeline registered for every job type: the server the crash
// tests kill with SIGKILL and start again. SEOAGENTS_TEST_STEP_DELAY_MS makes each step last
// that long, so a kill lands while jobs are processing.
#include <signal.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "storage/jobs.hpp"
#include "tests/support/test_pipelines.hpp"
#include "tools/serve_command.hpp"

int main(int argc, char** argv) {
  ::signal(SIGPIPE, SIG_IGN);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args.front() == "serve") args.erase(args.begin());
  auto control = std::make_shared<seoagents::testing::PipelineControl>();
  if (const char* delay = std::getenv("SEOAGENTS_TEST_STEP_DELAY_MS")) {
    control->step_delay_ms = std::atoi(delay);
  }
  return seoagents::serve_command(args, [&control](seoagents::App& app) {
    for (std::string_view type : seoagents::storage::kJobTypes)
      app.add_pipeline(std::string(type), seoagents::testing::test_pipeline(control));
  });
}
