// The Writer that asks a language model (Anthropic or an OpenAI-compatible server): prompts from
// prompts.cpp, answers read by llm_answers. A model failure keeps its kind (retryable or not); an
// answer that cannot be read is a retryable failure (another sample usually reads), so a job ends
// failed with the parse error once its attempts are spent — never with a broken article.
#pragma once

#include <memory>

#include "jobs/writers/text_model.hpp"
#include "jobs/writers/writer.hpp"

namespace seoagents::jobs {

class LlmWriter final : public Writer {
 public:
  explicit LlmWriter(std::shared_ptr<TextModel> model) : model_(std::move(model)) {}

  std::string_view name() const override { return model_->provider(); }
  std::string model() const override { return model_->model(); }
  asio::awaitable<Expected<Outline, WriterFailure>> outline(const ArticleBrief& brief) override;
  asio::awaitable<Expected<WrittenArticle, WriterFailure>> draft(const ArticleBrief& brief,
                                                                 const Outline& outline) override;
  asio::awaitable<Expected<WrittenArticle, WriterFailure>> enhance(
      const ArticleBrief& brief, const WrittenArticle& current,
      const EnhanceGuidance& guidance) override;
  asio::awaitable<Expected<std::string, WriterFailure>> rewrite_paragraph(
      const ArticleBrief& brief, std::string_view paragraph, std::string_view instruction) override;

 private:
  // One completion; a model failure becomes a WriterFailure of the same kind.
  asio::awaitable<Expected<Completion, WriterFailure>> ask(CompletionRequest request);
  // An article answer read back: cut short, unreadable or failed answers are failures.
  Expected<WrittenArticle, WriterFailure> article_from(
      const Expected<Completion, WriterFailure>& answer) const;

  std::shared_ptr<TextModel> model_;
};

}  // namespace seoagents::jobs
