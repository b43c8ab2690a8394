// What writes articles: one interface for the three writers `--writer` chooses from. LlmWriter
// (llm_writer) asks a TextModel (Anthropic or an OpenAI-compatible server) with the prompts in
// prompts.cpp; BuiltinWriter (builtin_writer) is an offline template engine with no model.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "jobs/writers/text_model.hpp"

namespace seoagents::jobs {

// What an article is to be about and how it should read: from the agent and the job.
struct ArticleBrief {
  // The focus keyphrase of this article.
  std::string keyword;
  // The agent's other keywords: related topics the article may touch and link to.
  std::vector<std::string> related_keywords;
  // The agent's tone: "professional", "casual", "friendly", "authoritative", "conversational",
  // "technical", … (free text; unknown tones read as professional).
  std::string tone = "professional";
  // Words the article body should have (300–10,000).
  std::int64_t word_target = 1500;
  // The agent's name (context for the model; never printed in the article).
  std::string agent_name;
};

// The plan of an article: its title and its sections.
struct OutlineSection {
  // The H2 heading.
  std::string heading;
  // H3 headings under it (may be empty).
  std::vector<std::string> subheadings;
  // What the section should cover, in a sentence (guidance for the draft; may be empty).
  std::string summary;
};

struct Outline {
  std::string title;
  std::vector<OutlineSection> sections;
  TokenUsage usage;
};

// An article as a writer hands it over.
struct WrittenArticle {
  // The SEO title (no Markdown).
  std::string title;
  // The meta description (plain text, one line).
  std::string meta_description;
  // The article's Markdown, from the introduction on: no front matter and no H1 (the title is
  // the page's H1).
  std::string body_markdown;
  TokenUsage usage;
};

struct WriterFailure {
  // Worth another attempt of the job (a provider overloaded or timing out).
  bool retryable = false;
  // Shown as the job's error.
  std::string message;
};

// What enhance() should do to an article, from its analysis.
struct EnhanceGuidance {
  // Words the enhanced article should reach (the agent's word_target, or more than now).
  std::int64_t word_target = 0;
  // Whether the article lacks an FAQ section.
  bool add_faq = false;
  // Readability problems to fix, as the analysis worded them.
  std::vector<std::string> readability_problems;
  // Subtopics (the agent's keywords) the article does not mention yet.
  std::vector<std::string> missing_subtopics;
};

class Writer {
 public:
  virtual ~Writer() = default;
  // "anthropic", "openai" or "builtin".
  virtual std::string_view name() const = 0;
  // The model (or the template engine's version, "builtin-1").
  virtual std::string model() const = 0;
  // Plans the article.
  virtual asio::awaitable<Expected<Outline, WriterFailure>> outline(const ArticleBrief& brief) = 0;
  // Writes the article the outline plans.
  virtual asio::awaitable<Expected<WrittenArticle, WriterFailure>> draft(
      const ArticleBrief& brief, const Outline& outline) = 0;
  // Deepens an existing article: the same article, longer and clearer, keeping what is good.
  virtual asio::awaitable<Expected<WrittenArticle, WriterFailure>> enhance(
      const ArticleBrief& brief, const WrittenArticle& current,
      const EnhanceGuidance& guidance) = 0;
  // Rewrites one paragraph to follow an instruction ("start with the keyphrase …"); returns the
  // new paragraph's Markdown.
  virtual asio::awaitable<Expected<std::string, WriterFailure>> rewrite_paragraph(
      const ArticleBrief& brief, std::string_view paragraph, std::string_view instruction) = 0;
};

}  // namespace seoagents::jobs
