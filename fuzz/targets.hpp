// The fuzz targets: functions that take arbitrary bytes and push them through one parser or
// validator of the server. Each becomes a libFuzzer executable in a -DSEOAGENTS_FUZZ=ON build
// (fuzz/CMakeLists.txt); in every build the test suite replays each target's committed corpus
// and crash files through it (tests/fuzz/replay_test.cpp). A target returns 0 and must neither
// crash nor trip a sanitizer, whatever the input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace seoagents::fuzz {

using TargetFunction = int (*)(const std::uint8_t* data, std::size_t size);

struct Target {
  // Also the directory of its corpus (fuzz/corpus/<name>) and crashes (fuzz/crashes/<name>).
  std::string_view name;
  TargetFunction run;
};

int jwt(const std::uint8_t* data, std::size_t size);
int page_request(const std::uint8_t* data, std::size_t size);
int outbound_url(const std::uint8_t* data, std::size_t size);
int ws_message(const std::uint8_t* data, std::size_t size);
int markdown(const std::uint8_t* data, std::size_t size);
int text_segmentation(const std::uint8_t* data, std::size_t size);
int http_request(const std::uint8_t* data, std::size_t size);
int json_body(const std::uint8_t* data, std::size_t size);

// Every target, by name.
std::span<const Target> all_targets();

// The bytes as text (the parsers take text; invalid UTF-8 is part of what they must survive).
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace seoagents::fuzz
