// Parsing of seoagents-dataset's command line (see options.hpp).
#include "tools/dataset/options.hpp"

#include <charconv>
#include <map>

namespace seoagents::dataset {
namespace {

using Parsed = Expected<DatasetOptions, std::string>;

// A whole number from `low` to `high` written in decimal digits only, or why not.
Expected<std::int64_t, std::string> count_value(const std::string& name, const std::string& text,
                                                std::int64_t low, std::int64_t high) {
  std::int64_t value = -1;
  const char* end = text.data() + text.size();
  auto [stop, ec] = std::from_chars(text.data(), end, value);
  bool digits_only = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  if (!digits_only || ec != std::errc() || stop != end || value < low || value > high) {
    return unexpected("--" + name + " must be a whole number from " + std::to_string(low) + " to " +
                      std::to_string(high) + " (got '" + text + "')");
  }
  return value;
}

bool has_control_characters(const std::string& text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// --name value and --name=value pairs, or the first argument that is neither.
Expected<std::map<std::string, std::string>, std::string> option_pairs(
    const std::vector<std::string>& args, bool& help) {
  std::map<std::string, std::string> pairs;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      help = true;
      continue;
    }
    if (!arg.starts_with("--") || arg.size() == 2) {
      return unexpected("unexpected argument '" + arg + "'");
    }
    std::size_t equals = arg.find('=');
    if (equals != std::string::npos) {
      pairs[arg.substr(2, equals - 2)] = arg.substr(equals + 1);
      continue;
    }
    if (i + 1 >= args.size()) return unexpected("option " + arg + " needs a value");
    pairs[arg.substr(2)] = args[++i];
  }
  return pairs;
}

std::optional<std::string> apply_counts(DatasetOptions& options,
                                        const std::map<std::string, std::string>& pairs) {
  struct CountOption {
    const char* name;
    std::int64_t* target;
    std::int64_t low;
    std::int64_t high;
  };
  const CountOption counts[] = {{"agents", &options.agents, kMinAgents, kMaxAgents},
                                {"articles", &options.articles, 0, kMaxArticles},
                                {"jobs", &options.jobs, 0, kMaxJobs}};
  for (const CountOption& count : counts) {
    auto found = pairs.find(count.name);
    if (found == pairs.end()) continue;
    auto value = count_value(count.name, found->second, count.low, count.high);
    if (!value) return value.error();
    *count.target = *value;
  }
  return std::nullopt;
}

}  // namespace

Parsed parse_options(const std::vector<std::string>& args) {
  DatasetOptions options;
  auto pairs = option_pairs(args, options.help);
  if (!pairs) return unexpected(pairs.error());
  if (options.help) return options;
  for (const auto& [name, value] : *pairs) {
    if (name == "data") {
      options.data_dir = value;
    } else if (name == "jwt-sub") {
      options.jwt_sub = value;
    } else if (name == "out") {
      options.out_file = value;
    } else if (name != "agents" && name != "articles" && name != "jobs") {
      return unexpected("unknown option --" + name);
    }
  }
  if (auto error = apply_counts(options, *pairs)) return unexpected(*error);
  if (options.data_dir.empty()) return unexpected(std::string("--data DIR is required"));
  if (options.jwt_sub.empty() || options.jwt_sub.size() > 255 ||
      has_control_characters(options.jwt_sub)) {
    return unexpected(
        std::string("--jwt-sub must be 1 to 255 characters without control characters"));
  }
  if (pairs->contains("out") && options.out_file.empty()) {
    return unexpected(std::string("--out needs a file name"));
  }
  if (options.jobs > 0 && options.articles == 0) {
    return unexpected(std::string("--jobs needs articles: give --articles 1 or more"));
  }
  return options;
}

std::string usage_text() {
  return "seoagents-dataset - fills a new data directory with a realistic load-test dataset\n"
         "\n"
         "Usage:\n"
         "  seoagents-dataset --data DIR [--agents 1000] [--articles 1000000] [--jobs 100000]\n"
         "                    [--jwt-sub loadtest] [--out FILE]\n"
         "\n"
         "Creates, through the store, in DIR (which must not hold a database yet):\n"
         "  - one account per plan (starter, professional, agency, enterprise), each with an API\n"
         "    key; the enterprise account's limits (100,000,000 requests/minute, 100,000\n"
         "    concurrent jobs) never bind a load test;\n"
         "  - the account of the JWT subject --jwt-sub (\"jwt:<sub>\", enterprise, same limits),\n"
         "    so a token from `seoagents jwt mint --sub <sub>` acts on it;\n"
         "  - --agents agents (5 to 100,000): most in the enterprise account, a few in each "
         "other;\n"
         "  - --articles articles (up to 10,000,000), all in the enterprise account, created over\n"
         "    the last 89 days (none expires within a day). Only the newest 1,000 have a body in\n"
         "    the object store (their preview and analysis work); the others are rows only, and\n"
         "    their preview answers 404;\n"
         "  - --jobs finished jobs (up to 10,000,000) in the enterprise account, completed or\n"
         "    failed, with their progress events and results; none is left queued, so the\n"
         "    server's workers are idle at start.\n"
         "\n"
         "Prints one JSON object (to --out FILE if given): the accounts with their ids and API\n"
         "keys, an agent id, the JWT account's agent id, an article with a body, a job id, the\n"
         "counts and the seconds taken. Progress goes to stderr.\n"
         "\n"
         "Exit status: 0 done, 1 failure (storage error), 2 usage error or DIR holds a database.\n";
}

}  // namespace seoagents::dataset
