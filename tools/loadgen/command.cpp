// The command (see command.hpp).
#include "tools/loadgen/command.hpp"

#include <strings.h>
#include <sys/resource.h>

#include <fstream>
#include <sstream>

#include "tools/loadgen/http_load.hpp"
#include "tools/loadgen/report.hpp"
#include "tools/loadgen/ws_load.hpp"

namespace seoagents::loadgen {
namespace {

constexpr int kExitCompleted = 0;
constexpr int kExitNoConnection = 1;
constexpr int kExitUsage = 2;

std::string read_scenario_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("--scenario: cannot read '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool has_header(const RequestKind& kind, std::string_view name) {
  for (const auto& header : kind.headers) {
    if (header.first.size() == name.size() &&
        ::strncasecmp(header.first.data(), name.data(), name.size()) == 0) {
      return true;
    }
  }
  return false;
}

// Thousands of connections need as many descriptors: the soft limit is raised to the hard one.
void raise_descriptor_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);
}

RunHooks make_hooks(const Options& options, std::ostream& out, std::ostream& err,
                    bool progress_terminal, bool& progress_drawn) {
  RunHooks hooks;
  if (progress_terminal && !options.quiet) {
    hooks.progress = [&err, &progress_drawn](std::string_view line) {
      err << '\r' << line << "\x1b[K" << std::flush;
      progress_drawn = true;
    };
  }
  hooks.ready = [&out, &err, &options, &progress_drawn](std::uint64_t open) {
    if (progress_drawn) err << '\n';
    progress_drawn = false;
    err << "ready: " << open << " connections open" << std::endl;
    if (options.json) out << "{\"open\":" << open << "}" << std::endl;
  };
  return hooks;
}

}  // namespace

Scenario scenario_for(const Options& options) {
  if (!options.scenario_file) {
    return single_request_scenario(options.method, options.url.target, options.headers,
                                   options.body, options.variables);
  }
  Scenario scenario = parse_scenario(read_scenario_file(*options.scenario_file),
                                     *options.scenario_file, options.variables);
  Scenario extra =
      single_request_scenario("GET", "/", options.headers, std::nullopt, options.variables);
  for (RequestKind& kind : scenario.kinds) {
    for (auto& header : extra.kinds.front().headers) {
      if (!has_header(kind, header.first)) kind.headers.push_back(header);
    }
  }
  return scenario;
}

int run_command(const std::vector<std::string_view>& arguments, std::ostream& out,
                std::ostream& err, bool progress_terminal) {
  Options options;
  Scenario scenario;
  try {
    options = parse_options(arguments);
    if (options.help) {
      out << usage_text();
      return kExitCompleted;
    }
    scenario = scenario_for(options);
  } catch (const std::exception& e) {
    err << "seoagents-loadgen: " << e.what() << std::endl;
    return kExitUsage;
  }
  raise_descriptor_limit();
  bool progress_drawn = false;
  RunHooks hooks = make_hooks(options, out, err, progress_terminal, progress_drawn);
  RunResult result;
  try {
    result = options.ws ? run_ws_load(options, scenario, hooks)
                        : run_http_load(options, scenario, hooks);
  } catch (const std::exception& e) {
    if (progress_drawn) err << '\n';
    err << "seoagents-loadgen: " << e.what() << std::endl;
    return kExitNoConnection;
  }
  if (progress_drawn) err << '\n';
  if (options.json) {
    out << json_text(report_json(result)) << std::endl;
  } else {
    out << report_text(result) << std::flush;
  }
  if (result.nothing_connected) {
    err << "seoagents-loadgen: no connection to " << options.url.host << ":" << options.url.port
        << " could be opened" << std::endl;
    return kExitNoConnection;
  }
  return kExitCompleted;
}

}  // namespace seoagents::loadgen
