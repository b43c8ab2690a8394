// `seoagents serve`: loads the configuration, starts the App, prints the banner (and the first
// API key of a new database), and runs until SIGINT or SIGTERM, then stops gracefully.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "tools/app.hpp"

namespace seoagents {

// `args` are the flags after the command name. `setup` (when given) is called with the App
// before it starts: another binary may register what this one does not have (test pipelines).
// Returns the process exit status: 0 after a clean stop, 1 when the start failed, 2 for a bad
// configuration.
int serve_command(const std::vector<std::string>& args,
                  const std::function<void(App&)>& setup = {});

}  // namespace seoagents
