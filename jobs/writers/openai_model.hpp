// Any OpenAI-compatible chat-completions server (OpenAI, llama.cpp's server, Ollama, vLLM, …)
// through POST …/v1/chat/completions: the TextModel the `openai` writer asks. Retries and
// failure handling are ModelHttp's.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>
#include <string_view>

#include "core/expected.hpp"
#include "core/outbound_client.hpp"
#include "jobs/writers/model_http.hpp"
#include "jobs/writers/text_model.hpp"

namespace seoagents::jobs {

struct OpenAiOptions : ModelHttpOptions {
  // The base URL is the operator's (never a tenant's) and usually names a server on this machine
  // or the LAN, so private and loopback targets are allowed unless turned off.
  OpenAiOptions() { allow_private_targets = true; }

  // The server's root. Trailing slashes are dropped; then a URL ending in "/chat/completions" is
  // used as it is, one ending in "/v1" gets "/chat/completions", and any other gets
  // "/v1/chat/completions" ("http://127.0.0.1:11434", "http://127.0.0.1:11434/v1/" and
  // "http://127.0.0.1:11434/v1/chat/completions" all reach the same endpoint). The default is
  // Ollama on this machine.
  std::string base_url = "http://127.0.0.1:11434";
  // Sent as "Authorization: Bearer <key>"; no Authorization header when empty (local servers).
  // Never logged, and blanked out of failure messages.
  std::string api_key;
  // The model asked for ("llama3.1:8b", "gpt-4o-mini"; llama.cpp's server ignores it).
  std::string model = "llama3.1:8b";
  // The body field bounding the answer: "max_tokens" (what every compatible server reads), or
  // "max_completion_tokens" for OpenAI's reasoning models, which refuse max_tokens.
  std::string max_tokens_field = "max_tokens";
};

// One chat completion per complete(): a system message (left out when the system prompt is
// empty) and a user message; the text of the first choice. Safe to use from several loop threads
// at once (it holds only constant state); it must outlive every complete() in progress.
class OpenAiModel final : public TextModel {
 public:
  explicit OpenAiModel(const OpenAiOptions& options);

  std::string_view provider() const override { return "openai"; }
  const std::string& model() const override { return model_; }
  asio::awaitable<Expected<Completion, ModelFailure>> complete(CompletionRequest request) override;

 private:
  OutboundRequest chat_request(const CompletionRequest& request) const;
  Expected<Completion, ModelFailure> read_answer(const OutboundResponse& response) const;

  std::string url_;
  std::string api_key_;
  std::string model_;
  std::string max_tokens_field_;
  ModelHttp http_;
};

// The chat-completions URL for a base URL, as OpenAiOptions::base_url describes.
std::string chat_completions_url(std::string_view base_url);

}  // namespace seoagents::jobs
