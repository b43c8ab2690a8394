// Building the configured writer.
#include "jobs/writers/writer_factory.hpp"

#include "jobs/writers/anthropic_model.hpp"
#include "jobs/writers/builtin_writer.hpp"
#include "jobs/writers/llm_writer.hpp"
#include "jobs/writers/openai_model.hpp"

namespace seoagents::jobs {
namespace {

void apply_transport(ModelHttpOptions& options, const Config::Content& content,
                     const std::string& ca_file) {
  options.response_timeout = content.llm_timeout;
  options.allow_private_targets = true;
  options.ca_file = ca_file;
}

// The model, wrapped to count its tokens when there are counters for its provider.
std::shared_ptr<TextModel> metered(
    std::shared_ptr<TextModel> model,
    const std::function<std::optional<TokenCounters>(std::string_view provider)>& tokens) {
  if (!tokens) return model;
  auto counters = tokens(model->provider());
  if (!counters) return model;
  return std::make_shared<MeteredModel>(std::move(model), *counters);
}

}  // namespace

std::shared_ptr<Writer> make_writer(
    const Config::Content& content, const std::string& ca_file,
    const std::function<std::optional<TokenCounters>(std::string_view provider)>& tokens) {
  if (content.writer == "anthropic") {
    AnthropicOptions options;
    apply_transport(options, content, ca_file);
    options.base_url = content.anthropic_base_url;
    options.api_key = content.anthropic_api_key;
    options.model = content.anthropic_model;
    return std::make_shared<LlmWriter>(metered(std::make_shared<AnthropicModel>(options), tokens));
  }
  if (content.writer == "openai") {
    OpenAiOptions options;
    apply_transport(options, content, ca_file);
    options.base_url = content.openai_base_url;
    options.api_key = content.openai_api_key;
    options.model = content.openai_model;
    return std::make_shared<LlmWriter>(metered(std::make_shared<OpenAiModel>(options), tokens));
  }
  return std::make_shared<BuiltinWriter>();
}

}  // namespace seoagents::jobs
