// The builtin writer's view of an article body: headings and paragraphs of sentences, read from
// and written to Markdown, and the readability fixes it applies (sentence beginnings, transition
// words, long sentences, long paragraphs, long stretches without a subheading).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "jobs/writers/builtin_prose.hpp"

namespace seoagents::jobs::builtin {

enum class BlockKind { heading2, heading3, paragraph, verbatim };

struct Block {
  BlockKind kind = BlockKind::paragraph;
  // The heading's text, or the Markdown of a verbatim block (lists, quotes, code, tables).
  std::string text;
  // A paragraph's sentences.
  std::vector<Sentence> sentences;
  // Written by this writer in this call (fixes may change it); false for text it was given.
  bool generated = true;
  // May lose sentences when the article is over its word target.
  bool trimmable = false;
  // May get transition openers ("In addition,") on its sentences after the first.
  bool accepts_openers = true;
  // The body section the block belongs to (-1: introduction, FAQ, conclusion, given text).
  int section = -1;
};

struct Document {
  std::vector<Block> blocks;
};

Block heading_block(BlockKind kind, std::string text, int section = -1);
Block paragraph_block(std::vector<Sentence> sentences, int section = -1);

std::string to_markdown(const Document& document);
// Markdown in: "#"/"##" become H2 (the body has no H1), "###" H3; lists, quotes, code, tables
// and deeper headings are kept verbatim. Every block is marked as given (generated = false).
Document parse_markdown(std::string_view markdown);
std::int64_t count_words(const Document& document);
std::int64_t count_words(const Block& block);

using BlockFilter = std::function<bool(const Block&)>;
bool any_block(const Block&);
bool generated_block(const Block&);

// No three sentences in a row starting with the same word: the third gets an opener.
void vary_sentence_beginnings(Document& document, Composer& composer, const BlockFilter& editable);
// Adds openers until `percent` of the sentences, headings included (the analysis counts them),
// hold a transition word, where one reads well.
void add_transitions(Document& document, Composer& composer, int percent,
                     const BlockFilter& editable);
// Cuts sentences over `max_words` at clause boundaries.
void split_long_sentences(Document& document, std::int64_t max_words, const BlockFilter& editable);
// Cuts paragraphs over `max_words` between sentences.
void split_long_paragraphs(Document& document, std::int64_t max_words);
// Puts an H3 into every stretch of text over `max_words` without a heading.
void add_missing_subheadings(Document& document, std::int64_t max_words, Composer& composer);

}  // namespace seoagents::jobs::builtin
