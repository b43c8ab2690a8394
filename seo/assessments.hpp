// The assessments' shared input (the article parsed and segmented once) and the assessments
// themselves, one function each. Every function returns Yoast's score for what it found, with a
// message saying what was found and what to change.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "seo/analysis.hpp"
#include "seo/document.hpp"
#include "seo/keyphrase.hpp"
#include "seo/text.hpp"

namespace seoagents::seo {

struct Language;

// One block of the body with its sentences.
struct TextBlock {
  const Block* block = nullptr;
  std::vector<Sentence> sentences;
  std::int64_t word_count = 0;
};

// Everything the assessments read, computed once per analysis.
struct AnalysisContext {
  const AnalysisInput* input = nullptr;
  const Language* language = nullptr;
  Document document;
  std::vector<TextBlock> blocks;
  Keyphrase keyphrase;
  // Words and sentences of the whole body (headings, paragraphs, list items).
  std::int64_t word_count = 0;
  std::int64_t sentence_count = 0;
  // Characters of body text, for Yoast's "enough content" check.
  std::int64_t text_characters = 0;
  // Keyphrase occurrences in the body's sentences (see Keyphrase::count_in_sentence).
  std::int64_t keyphrase_count = 0;

  // Every sentence of the body, in order.
  std::vector<const Sentence*> sentences() const;
  // The H2 and H3 headings (Yoast's "higher-level subheadings").
  std::vector<const TextBlock*> subheadings() const;
};

// Parses and segments the input.
AnalysisContext make_context(const AnalysisInput& input, const Language& language);

// An assessment from Yoast's score, which may be below 0 for the penalties.
Assessment make_assessment(std::string id, Category category, int yoast_score, std::string message);

// "1 time", "3 times".
std::string count_of(std::int64_t count, std::string_view singular, std::string_view plural);
// Yoast rounds percentages to one decimal before comparing them: 25.04 -> 25, 25.06 -> 25.1.
double rounded_percentage(std::int64_t part, std::int64_t whole);
// "17%", "25.5%".
std::string format_percentage(double percentage);

// The SEO assessments, in report order.
void add_seo_assessments(const AnalysisContext& context, std::vector<Assessment>& out);
// The readability assessments, in report order.
void add_readability_assessments(const AnalysisContext& context, std::vector<Assessment>& out);

// The rollups: Yoast's overall SEO score and its readability traffic light.
int seo_score(std::span<const Assessment> assessments);
int readability_score(std::span<const Assessment> assessments, const Language& language);

}  // namespace seoagents::seo
