// The command line of seoagents-dataset: what to generate and where, or why the command line is
// wrong (one line naming the option).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/expected.hpp"

namespace seoagents::dataset {

struct DatasetOptions {
  // The data directory (created if missing; must not hold a database yet).
  std::string data_dir;
  std::int64_t agents = 1'000;
  std::int64_t articles = 1'000'000;
  std::int64_t jobs = 100'000;
  // The JWT subject whose account ("jwt:<sub>") the dataset creates.
  std::string jwt_sub = "loadtest";
  // Where the JSON summary goes; empty: stdout.
  std::string out_file;
  // Articles whose body is written to the object store (the rest have rows only).
  std::int64_t content_articles = 1'000;
  bool help = false;
};

// The bounds of the counts (inclusive).
inline constexpr std::int64_t kMinAgents = 5;
inline constexpr std::int64_t kMaxAgents = 100'000;
inline constexpr std::int64_t kMaxArticles = 10'000'000;
inline constexpr std::int64_t kMaxJobs = 10'000'000;

// The options, or the one-line reason they are wrong.
Expected<DatasetOptions, std::string> parse_options(const std::vector<std::string>& args);

// The --help text.
std::string usage_text();

}  // namespace seoagents::dataset
