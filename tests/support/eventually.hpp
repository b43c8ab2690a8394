// Waiting in tests for something another thread or process will do: polls a condition until it
// holds. The limit is a safety net against hangs, never a timing assertion.
#pragma once

#include <chrono>
#include <functional>

namespace seoagents::testing {

// True once `condition` holds (checked every 5 ms); false if it still does not after `limit`.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds limit = std::chrono::seconds(60));

}  // namespace seoagents::testing
