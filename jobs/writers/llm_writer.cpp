// LlmWriter: each operation is one prompt, one completion and one parse.
#include "jobs/writers/llm_writer.hpp"

#include "jobs/writers/llm_answers.hpp"
#include "jobs/writers/prompts.hpp"

namespace seoagents::jobs {
namespace {

WriterFailure failure(bool retryable, std::string message) {
  WriterFailure failure;
  failure.retryable = retryable;
  failure.message = std::move(message);
  return failure;
}

// A stop at the token limit means the answer is cut short: the article would be incomplete.
bool truncated(const Completion& completion) {
  return completion.stop_reason == "max_tokens" || completion.stop_reason == "length";
}

WriterFailure truncated_failure(const TextModel& model) {
  return failure(true, std::string(model.provider()) +
                           ": the answer stopped at the token limit before the article ended");
}

}  // namespace

asio::awaitable<Expected<Completion, WriterFailure>> LlmWriter::ask(CompletionRequest request) {
  Expected<Completion, ModelFailure> completion = co_await model_->complete(std::move(request));
  if (!completion) {
    const ModelFailure& error = completion.error();
    co_return unexpected(failure(error.kind == ModelFailure::Kind::retryable, error.message));
  }
  co_return std::move(completion).value();
}

Expected<WrittenArticle, WriterFailure> LlmWriter::article_from(
    const Expected<Completion, WriterFailure>& answer) const {
  if (!answer) return unexpected(answer.error());
  if (truncated(*answer)) return unexpected(truncated_failure(*model_));
  Expected<WrittenArticle, std::string> parsed = parse_article_answer(answer->text);
  if (!parsed) return unexpected(failure(true, parsed.error()));
  parsed->usage = answer->usage;
  return std::move(parsed).value();
}

asio::awaitable<Expected<Outline, WriterFailure>> LlmWriter::outline(const ArticleBrief& brief) {
  Expected<Completion, WriterFailure> answer = co_await ask(outline_prompt(brief));
  if (!answer) co_return unexpected(answer.error());
  Expected<Outline, std::string> parsed = parse_outline_answer(answer->text);
  if (!parsed) co_return unexpected(failure(true, parsed.error()));
  parsed->usage = answer->usage;
  co_return std::move(parsed).value();
}

asio::awaitable<Expected<WrittenArticle, WriterFailure>> LlmWriter::draft(const ArticleBrief& brief,
                                                                          const Outline& outline) {
  Expected<Completion, WriterFailure> answer = co_await ask(draft_prompt(brief, outline));
  co_return article_from(answer);
}

asio::awaitable<Expected<WrittenArticle, WriterFailure>> LlmWriter::enhance(
    const ArticleBrief& brief, const WrittenArticle& current, const EnhanceGuidance& guidance) {
  Expected<Completion, WriterFailure> answer =
      co_await ask(enhance_prompt(brief, current, guidance));
  co_return article_from(answer);
}

asio::awaitable<Expected<std::string, WriterFailure>> LlmWriter::rewrite_paragraph(
    const ArticleBrief& brief, std::string_view paragraph, std::string_view instruction) {
  Expected<Completion, WriterFailure> answer =
      co_await ask(rewrite_prompt(brief, paragraph, instruction));
  if (!answer) co_return unexpected(answer.error());
  Expected<std::string, std::string> parsed = parse_paragraph_answer(answer->text);
  if (!parsed) co_return unexpected(failure(true, parsed.error()));
  co_return std::move(parsed).value();
}

}  // namespace seoagents::jobs
