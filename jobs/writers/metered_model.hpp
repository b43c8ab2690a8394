// A TextModel that counts the tokens each completion used, as its provider reported them, into
// the metrics' counters, and otherwise passes every call to the model it wraps.
#pragma once

#include <memory>

#include "core/metrics.hpp"
#include "jobs/writers/text_model.hpp"

namespace seoagents::jobs {

// The counters of one provider's tokens.
struct TokenCounters {
  metrics::Counter& input;
  metrics::Counter& output;
};

class MeteredModel final : public TextModel {
 public:
  MeteredModel(std::shared_ptr<TextModel> model, TokenCounters counters)
      : model_(std::move(model)), counters_(counters) {}

  std::string_view provider() const override { return model_->provider(); }
  const std::string& model() const override { return model_->model(); }
  asio::awaitable<Expected<Completion, ModelFailure>> complete(CompletionRequest request) override;

 private:
  std::shared_ptr<TextModel> model_;
  TokenCounters counters_;
};

}  // namespace seoagents::jobs
