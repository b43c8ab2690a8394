// The builtin writer's four operations as plain functions (no I/O, no coroutine): what
// BuiltinWriter's coroutines return. A deterministic template engine for offline use and
// testing, not a language model: the same arguments always give byte-identical results.
#pragma once

#include <string>
#include <string_view>

#include "jobs/writers/writer.hpp"

namespace seoagents::jobs::builtin {

Outline plan_outline(const ArticleBrief& brief);
WrittenArticle write_draft(const ArticleBrief& brief, const Outline& outline);
// The article deepened toward guidance.word_target (the brief's when 0): its blocks kept, new
// sections for the missing subtopics and then for angles it lacks, an FAQ if asked, and the
// readability problems the guidance names fixed (long sentences split at clause boundaries,
// long paragraphs split, subheadings added, transitions and varied sentence beginnings).
WrittenArticle write_enhanced(const ArticleBrief& brief, const WrittenArticle& current,
                              const EnhanceGuidance& guidance);
// Instructions understood (case-insensitive, combinable):
//   "start / begin / open / lead with the keyphrase (keyword)": the paragraph starts with it;
//   "shorten / split long sentences", "sentence length": sentences over 20 words are split;
//   "transition words": transitions are added to about half of the sentences;
//   "include / use / add / mention the keyphrase", and anything else: the keyphrase is worked
//   into the first sentence when the paragraph lacks it.
// A Markdown heading line gets the keyphrase in front ("## Costs" -> "## Trade Show Booth Cost:
// Costs"). An empty paragraph becomes an opening sentence with the keyphrase.
std::string rewrite_paragraph(const ArticleBrief& brief, std::string_view paragraph,
                              std::string_view instruction);

}  // namespace seoagents::jobs::builtin
