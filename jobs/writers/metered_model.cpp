// Counting a completion's tokens.
#include "jobs/writers/metered_model.hpp"

#include <algorithm>

namespace seoagents::jobs {

asio::awaitable<Expected<Completion, ModelFailure>> MeteredModel::complete(
    CompletionRequest request) {
  auto answer = co_await model_->complete(std::move(request));
  if (answer) {
    counters_.input.add(
        static_cast<std::uint64_t>(std::max<std::int64_t>(0, answer->usage.input_tokens)));
    counters_.output.add(
        static_cast<std::uint64_t>(std::max<std::int64_t>(0, answer->usage.output_tokens)));
  }
  co_return answer;
}

}  // namespace seoagents::jobs
