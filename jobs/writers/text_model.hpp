// A hosted language model seen as one call: a system prompt and a user message in, text out.
// AnthropicModel (the Messages API) and OpenAiModel (any OpenAI-compatible chat-completions
// server) implement it; LlmWriter turns articles into prompts and answers back into articles.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/expected.hpp"

namespace seoagents::jobs {

namespace asio = boost::asio;

// Tokens a call consumed, as the provider reported them (0 when it did not).
struct TokenUsage {
  std::int64_t input_tokens = 0;
  std::int64_t output_tokens = 0;
};

struct CompletionRequest {
  // The system prompt: who the model is and the rules of the answer.
  std::string system;
  // The one user message.
  std::string user;
  // Upper bound on the answer's tokens.
  std::int64_t max_tokens = 4096;
};

struct Completion {
  // The answer's text (every text block, concatenated in order).
  std::string text;
  TokenUsage usage;
  // The model that answered, as the provider names it.
  std::string model;
  // Why the model stopped ("end_turn", "max_tokens", "stop", "length", …).
  std::string stop_reason;
};

struct ModelFailure {
  enum class Kind {
    // Worth trying later: 429, 529 overloaded, 5xx, a timeout, a dropped connection.
    retryable,
    // Would fail the same way: 400, 401, 403, 404, a malformed or oversized answer, a refused
    // URL.
    permanent,
  };
  Kind kind = Kind::permanent;
  // For the job's error: the provider's own message when it gave one, e.g.
  // "anthropic: 401 authentication_error: invalid x-api-key".
  std::string message;
  // The HTTP status, when the provider answered (0 otherwise).
  unsigned status = 0;
};

class TextModel {
 public:
  virtual ~TextModel() = default;
  // "anthropic" or "openai".
  virtual std::string_view provider() const = 0;
  // The model asked for ("claude-sonnet-4-5", "llama3.1:8b").
  virtual const std::string& model() const = 0;
  // One completion. Retries by itself what is worth retrying (with backoff, honouring
  // retry-after) a bounded number of times before returning a retryable failure.
  virtual asio::awaitable<Expected<Completion, ModelFailure>> complete(
      CompletionRequest request) = 0;
};

}  // namespace seoagents::jobs
