// analyze(): parses and segments the article once, runs the assessments over it, measures the
// text and rolls the scores up the way Yoast does.
#include "seo/analysis.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "seo/assessments.hpp"
#include "seo/language.hpp"
#include "seo/text.hpp"
#include "seo/title_width.hpp"

namespace seoagents::seo {
namespace {

// Yoast's individual scores run to 9; the SEO rollup scales their mean to 0–100 with it.
constexpr int kMaxScore = 9;

// Yoast's traffic lights from one score: 8 and up good, 5–7 ok, the rest (penalties too) bad.
Rating rating_of(int yoast_score) {
  if (yoast_score >= 8) return Rating::good;
  if (yoast_score >= 5) return Rating::ok;
  return Rating::bad;
}

Document parse_content(const AnalysisInput& input) {
  return input.format == ContentFormat::html ? parse_html(input.content)
                                             : parse_markdown(input.content);
}

std::vector<TextBlock> segment(const Document& document, const Language& language) {
  std::vector<TextBlock> blocks;
  blocks.reserve(document.blocks.size());
  for (const Block& block : document.blocks) {
    TextBlock text_block{&block, split_sentences(block.text, language), 0};
    for (const Sentence& sentence : text_block.sentences) {
      text_block.word_count += static_cast<std::int64_t>(sentence.words.size());
    }
    blocks.push_back(std::move(text_block));
  }
  return blocks;
}

// Flesch reading ease: 206.835 − 1.015 × words per sentence − 84.6 × syllables per word,
// kept within 0–100 and rounded to one decimal.
double flesch_reading_ease(const AnalysisContext& context) {
  const Language& language = *context.language;
  if (language.count_syllables == nullptr || context.word_count == 0) return 0;
  std::int64_t syllables = 0;
  for (const Sentence* sentence : context.sentences()) {
    for (const std::string& word : sentence->words)
      syllables += language.count_syllables(word);
  }
  const double words = static_cast<double>(context.word_count);
  const double score = 206.835 - 1.015 * (words / static_cast<double>(context.sentence_count)) -
                       84.6 * (static_cast<double>(syllables) / words);
  return std::round(std::clamp(score, 0.0, 100.0) * 10) / 10;
}

TextMetrics measure(const AnalysisContext& context) {
  TextMetrics metrics;
  metrics.word_count = context.word_count;
  metrics.sentence_count = context.sentence_count;
  for (const TextBlock& block : context.blocks) {
    if (block.block->kind == BlockKind::paragraph) ++metrics.paragraph_count;
    if (block.block->kind == BlockKind::heading) ++metrics.subheading_count;
  }
  metrics.keyphrase_count = context.keyphrase_count;
  metrics.keyphrase_density = context.word_count == 0
                                  ? 0
                                  : 100.0 * static_cast<double>(metrics.keyphrase_count) /
                                        static_cast<double>(context.word_count);
  metrics.flesch_reading_ease = flesch_reading_ease(context);
  metrics.title_width_px = title_width_px(context.input->title);
  metrics.meta_description_length =
      static_cast<std::int64_t>(count_characters(context.input->meta_description));
  return metrics;
}

std::vector<Assessment> of_category(std::span<const Assessment> assessments, Category category) {
  std::vector<Assessment> selected;
  std::copy_if(assessments.begin(), assessments.end(), std::back_inserter(selected),
               [&](const Assessment& a) { return a.category == category; });
  return selected;
}

}  // namespace

std::string_view to_string(Rating rating) {
  switch (rating) {
    case Rating::good:
      return "good";
    case Rating::ok:
      return "ok";
    case Rating::bad:
      return "bad";
  }
  return "bad";
}

std::string_view to_string(Category category) {
  switch (category) {
    case Category::seo:
      return "seo";
    case Category::readability:
      return "readability";
  }
  return "seo";
}

std::vector<const Sentence*> AnalysisContext::sentences() const {
  std::vector<const Sentence*> all;
  all.reserve(static_cast<std::size_t>(sentence_count));
  for (const TextBlock& block : blocks) {
    for (const Sentence& sentence : block.sentences)
      all.push_back(&sentence);
  }
  return all;
}

std::vector<const TextBlock*> AnalysisContext::subheadings() const {
  std::vector<const TextBlock*> headings;
  for (const TextBlock& block : blocks) {
    const Block& b = *block.block;
    if (b.kind == BlockKind::heading && (b.level == 2 || b.level == 3)) headings.push_back(&block);
  }
  return headings;
}

AnalysisContext make_context(const AnalysisInput& input, const Language& language) {
  AnalysisContext context;
  context.input = &input;
  context.language = &language;
  context.document = parse_content(input);
  context.blocks = segment(context.document, language);
  context.keyphrase = Keyphrase(input.keyword, language);
  for (const TextBlock& block : context.blocks) {
    context.word_count += block.word_count;
    context.sentence_count += static_cast<std::int64_t>(block.sentences.size());
    context.text_characters += static_cast<std::int64_t>(count_characters(block.block->text));
    for (const Sentence& sentence : block.sentences) {
      context.keyphrase_count += context.keyphrase.count_in_sentence(sentence.words);
    }
  }
  return context;
}

Assessment make_assessment(std::string id, Category category, int yoast_score,
                           std::string message) {
  Assessment assessment;
  assessment.id = std::move(id);
  assessment.category = category;
  assessment.score = std::clamp(yoast_score, 0, kMaxScore);
  assessment.rating = rating_of(yoast_score);
  assessment.message = std::move(message);
  assessment.rollup_score = yoast_score;
  return assessment;
}

std::string count_of(std::int64_t count, std::string_view singular, std::string_view plural) {
  return std::to_string(count) + " " + std::string(count == 1 ? singular : plural);
}

double rounded_percentage(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return 0;
  return std::round(1000.0 * static_cast<double>(part) / static_cast<double>(whole)) / 10;
}

std::string format_percentage(double percentage) {
  char buffer[32];
  if (percentage == std::round(percentage)) {
    std::snprintf(buffer, sizeof buffer, "%.0f%%", percentage);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.1f%%", percentage);
  }
  return buffer;
}

// Yoast: round(sum of scores × 100 / (number of scores × 9)); the penalties can make it
// negative, which the report shows as 0.
int seo_score(std::span<const Assessment> assessments) {
  const std::vector<Assessment> seo = of_category(assessments, Category::seo);
  if (seo.empty()) return 0;
  long total = 0;
  for (const Assessment& assessment : seo)
    total += assessment.rollup_score;
  const double score =
      std::round(100.0 * static_cast<double>(total) / static_cast<double>(seo.size() * kMaxScore));
  return static_cast<int>(std::clamp(score, 0.0, 100.0));
}

// Yoast's readability rollup is a traffic light, not a mean: each bad result costs 3 penalty
// points (4 when the language lacks some readability assessments) and each ok result 2; more
// than 6 points (4 with partial support) is "needs improvement" (30), more than 4 (2) is "ok"
// (60), anything less "good" (90). With one result or none (too little text) it is 0.
int readability_score(std::span<const Assessment> assessments, const Language& language) {
  const std::vector<Assessment> readability = of_category(assessments, Category::readability);
  if (readability.size() <= 1) return 0;
  const bool full_support = language.has_full_readability_support();
  int penalty = 0;
  for (const Assessment& assessment : readability) {
    if (assessment.rating == Rating::bad) penalty += full_support ? 3 : 4;
    if (assessment.rating == Rating::ok) penalty += 2;
  }
  const int bad_above = full_support ? 6 : 4;
  const int ok_above = full_support ? 4 : 2;
  if (penalty > bad_above) return 30;
  if (penalty > ok_above) return 60;
  return 90;
}

AnalysisReport analyze(const AnalysisInput& input) {
  const Language& language = language_for(input.language);
  const AnalysisContext context = make_context(input, language);
  AnalysisReport report;
  report.metrics = measure(context);
  add_seo_assessments(context, report.assessments);
  add_readability_assessments(context, report.assessments);
  report.seo_score = seo_score(report.assessments);
  report.readability_score = readability_score(report.assessments, language);
  return report;
}

}  // namespace seoagents::seo
