// Every prompt the LLM writer sends, in one readable place. Each builds a CompletionRequest from
// the agent's brief; the answers they ask for are parsed by llm_answers.
#pragma once

#include <string_view>

#include "jobs/writers/text_model.hpp"
#include "jobs/writers/writer.hpp"

namespace seoagents::jobs {

// Asks for the outline as one JSON object: {"title": …, "sections": [{"heading", "subheadings",
// "summary"}]}.
CompletionRequest outline_prompt(const ArticleBrief& brief);

// Asks for the article in the answer format of parse_article_answer(): TITLE and META lines, a
// `---` line, then the Markdown body.
CompletionRequest draft_prompt(const ArticleBrief& brief, const Outline& outline);

// Asks for the same article, deepened as the guidance says, in the same answer format.
CompletionRequest enhance_prompt(const ArticleBrief& brief, const WrittenArticle& current,
                                 const EnhanceGuidance& guidance);

// Asks for one paragraph rewritten to follow `instruction`, answered as the paragraph alone.
CompletionRequest rewrite_prompt(const ArticleBrief& brief, std::string_view paragraph,
                                 std::string_view instruction);

// The token budget of an article of `word_target` words (about 1.4 tokens a word, plus room for
// the headings and the two header lines), capped at what current models can answer.
std::int64_t article_token_budget(std::int64_t word_target);

}  // namespace seoagents::jobs
