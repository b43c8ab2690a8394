// seoagents-loadgen as a function: parses the arguments, runs the load and writes the report,
// returning the exit code (0 a completed run, 1 nothing could connect or the run could not start,
// 2 a usage or scenario error). main() only calls it; the tests call it too.
#pragma once

#include <ostream>
#include <string_view>
#include <vector>

#include "tools/loadgen/options.hpp"
#include "tools/loadgen/scenario.hpp"

namespace seoagents::loadgen {

// `progress_terminal`: stderr is a terminal, so the live line may be drawn (unless --quiet).
int run_command(const std::vector<std::string_view>& arguments, std::ostream& out,
                std::ostream& err, bool progress_terminal);

// The scenario of a run: the --scenario file (with the -H headers added to every request that
// does not set them) or the single request of -m, the URL's path, -H and --body. Throws
// ScenarioError (or UsageError when the file cannot be read).
Scenario scenario_for(const Options& options);

}  // namespace seoagents::loadgen
