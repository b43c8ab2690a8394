// BuiltinWriter: the offline writer. A deterministic template engine for offline use and
// testing, not a language model: it plans, drafts, enhances and rewrites articles from phrase
// banks per tone and section angle, so the whole content pipeline runs without a provider.
// The same brief always gives byte-identical text; every call returns at once (no I/O). The
// banks hold about 6,000 words of distinct text per article (no sentence is written twice), so
// word targets above that get an article of about that length.
#pragma once

#include <string>
#include <string_view>

#include "jobs/writers/writer.hpp"

namespace seoagents::jobs {

// Stateless: any thread may call any operation at any time.
class BuiltinWriter final : public Writer {
 public:
  std::string_view name() const override { return "builtin"; }
  std::string model() const override { return "builtin-1"; }

  asio::awaitable<Expected<Outline, WriterFailure>> outline(const ArticleBrief& brief) override;
  asio::awaitable<Expected<WrittenArticle, WriterFailure>> draft(const ArticleBrief& brief,
                                                                 const Outline& outline) override;
  asio::awaitable<Expected<WrittenArticle, WriterFailure>> enhance(
      const ArticleBrief& brief, const WrittenArticle& current,
      const EnhanceGuidance& guidance) override;
  // See builtin::rewrite_paragraph (builtin_article.hpp) for the instructions understood.
  asio::awaitable<Expected<std::string, WriterFailure>> rewrite_paragraph(
      const ArticleBrief& brief, std::string_view paragraph, std::string_view instruction) override;
};

}  // namespace seoagents::jobs
