// Polling until a condition holds (see eventually.hpp).
#include "tests/support/eventually.hpp"

#include <thread>

namespace seoagents::testing {

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return condition();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace seoagents::testing
