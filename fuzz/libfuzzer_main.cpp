// The libFuzzer entry point of one fuzz executable: SEOAGENTS_FUZZ_TARGET names the target
// function (fuzz/CMakeLists.txt compiles this file once per target).
#include "fuzz/targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return seoagents::fuzz::SEOAGENTS_FUZZ_TARGET(data, size);
}
