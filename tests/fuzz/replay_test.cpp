// Replays every committed input of every fuzz target (fuzz/corpus/<target>: the seeds and what
// the fuzzers kept; fuzz/crashes/<target>: each crash found, kept once fixed) through the target
// function. In the sanitizer builds a regression trips ASan or UBSan here; in every build it
// must not crash. Each target must have a seed corpus.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fuzz/targets.hpp"

namespace seoagents::testing {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> inputs_in(const fs::path& directory) {
  std::vector<fs::path> files;
  if (!fs::is_directory(directory)) return files;
  for (const auto& entry : fs::directory_iterator(directory)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  return files;
}

std::string contents_of(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::size_t replay(const fuzz::Target& target, const fs::path& directory) {
  std::size_t replayed = 0;
  for (const fs::path& file : inputs_in(directory)) {
    SCOPED_TRACE(file.string());
    std::string bytes = contents_of(file);
    EXPECT_EQ(target.run(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), 0);
    ++replayed;
  }
  return replayed;
}

class FuzzReplay : public ::testing::TestWithParam<fuzz::Target> {};

TEST_P(FuzzReplay, EveryCorpusAndCrashInputRunsClean) {
  const fs::path root = fs::path(SEOAGENTS_SOURCE_DIR) / "fuzz";
  const std::string name(GetParam().name);
  EXPECT_GT(replay(GetParam(), root / "corpus" / name), 0u)
      << "fuzz/corpus/" << name << " is empty";
  replay(GetParam(), root / "crashes" / name);
  // The empty input, which no corpus file needs to hold.
  EXPECT_EQ(GetParam().run(nullptr, 0), 0);
}

INSTANTIATE_TEST_SUITE_P(Targets, FuzzReplay,
                         ::testing::ValuesIn(fuzz::all_targets().begin(),
                                             fuzz::all_targets().end()),
                         [](const ::testing::TestParamInfo<fuzz::Target>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace seoagents::testing
