// The writer `--writer` names, built from the configuration.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/config.hpp"
#include "jobs/writers/metered_model.hpp"
#include "jobs/writers/writer.hpp"

namespace seoagents::jobs {

// "builtin", or an LlmWriter over Anthropic or an OpenAI-compatible server. The model URLs are
// the operator's own configuration, so they may name private or loopback hosts (a local Ollama)
// unlike the URLs API callers give. `ca_file`: extra trusted CAs for HTTPS (may be empty).
// `tokens`, when given: the counters of the LLM's tokens, by provider name ("anthropic", "openai").
std::shared_ptr<Writer> make_writer(
    const Config::Content& content, const std::string& ca_file,
    const std::function<std::optional<TokenCounters>(std::string_view provider)>& tokens = {});

}  // namespace seoagents::jobs
