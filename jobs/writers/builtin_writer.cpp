// BuiltinWriter's coroutines: each checks the brief and returns what the plain functions of
// builtin_article compute (the work stays out of the coroutine bodies).
#include "jobs/writers/builtin_writer.hpp"

#include "jobs/writers/builtin_article.hpp"

namespace seoagents::jobs {
namespace {

bool has_keyword(const ArticleBrief& brief) {
  return brief.keyword.find_first_not_of(" \t\r\n") != std::string::npos;
}

WriterFailure missing_keyword() {
  WriterFailure failure;
  failure.retryable = false;
  failure.message = "builtin writer: the brief has no keyword";
  return failure;
}

Expected<Outline, WriterFailure> outline_result(const ArticleBrief& brief) {
  if (!has_keyword(brief)) return unexpected(missing_keyword());
  return builtin::plan_outline(brief);
}

Expected<WrittenArticle, WriterFailure> draft_result(const ArticleBrief& brief,
                                                     const Outline& outline) {
  if (!has_keyword(brief)) return unexpected(missing_keyword());
  return builtin::write_draft(brief, outline);
}

Expected<WrittenArticle, WriterFailure> enhance_result(const ArticleBrief& brief,
                                                       const WrittenArticle& current,
                                                       const EnhanceGuidance& guidance) {
  if (!has_keyword(brief)) return unexpected(missing_keyword());
  return builtin::write_enhanced(brief, current, guidance);
}

Expected<std::string, WriterFailure> rewrite_result(const ArticleBrief& brief,
                                                    std::string_view paragraph,
                                                    std::string_view instruction) {
  if (!has_keyword(brief)) return unexpected(missing_keyword());
  return builtin::rewrite_paragraph(brief, paragraph, instruction);
}

}  // namespace

asio::awaitable<Expected<Outline, WriterFailure>> BuiltinWriter::outline(
    const ArticleBrief& brief) {
  co_return outline_result(brief);
}

asio::awaitable<Expected<WrittenArticle, WriterFailure>> BuiltinWriter::draft(
    const ArticleBrief& brief, const Outline& outline) {
  co_return draft_result(brief, outline);
}

asio::awaitable<Expected<WrittenArticle, WriterFailure>> BuiltinWriter::enhance(
    const ArticleBrief& brief, const WrittenArticle& current, const EnhanceGuidance& guidance) {
  co_return enhance_result(brief, current, guidance);
}

asio::awaitable<Expected<std::string, WriterFailure>> BuiltinWriter::rewrite_paragraph(
    const ArticleBrief& brief, std::string_view paragraph, std::string_view instruction) {
  co_return rewrite_result(brief, paragraph, instruction);
}

}  // namespace seoagents::jobs
