// Claude through Anthropic's Messages API (POST {base}/v1/messages): the TextModel the
// `anthropic` writer asks. Retries and failure handling are ModelHttp's.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "core/outbound_client.hpp"
#include "jobs/writers/model_http.hpp"
#include "jobs/writers/text_model.hpp"

namespace seoagents::jobs {

struct AnthropicOptions : ModelHttpOptions {
  // The API's root; "/v1/messages" is appended (a trailing "/" or "/v1" is not doubled).
  std::string base_url = "https://api.anthropic.com";
  // Sent as x-api-key (omitted when empty, for gateways that add their own). Never logged, and
  // blanked out of failure messages.
  std::string api_key;
  // The model asked for: an alias (always its latest snapshot) or a dated snapshot id.
  std::string model = "claude-sonnet-4-5";
};

// One Messages API call per complete(): the system prompt, one user message, the answer's text
// blocks concatenated. Safe to use from several loop threads at once (it holds only constant
// state); it must outlive every complete() in progress.
class AnthropicModel final : public TextModel {
 public:
  explicit AnthropicModel(const AnthropicOptions& options);

  std::string_view provider() const override { return "anthropic"; }
  const std::string& model() const override { return model_; }
  asio::awaitable<Expected<Completion, ModelFailure>> complete(CompletionRequest request) override;

 private:
  OutboundRequest messages_request(const CompletionRequest& request) const;
  Expected<Completion, ModelFailure> read_answer(const OutboundResponse& response) const;

  std::string url_;
  std::string api_key_;
  std::string model_;
  ModelHttp http_;
};

}  // namespace seoagents::jobs
