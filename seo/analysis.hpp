// The content analysis: the assessments Yoast SEO's content analysis documents, with its
// thresholds, run over one article. Pure computation: no I/O, no clock, no shared state, so any
// thread may call analyze() at any time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace seoagents::seo {

enum class ContentFormat { markdown, html };

struct AnalysisInput {
  // The focus keyphrase ("best running shoes").
  std::string keyword;
  // The SEO title (the page's <title>; also its H1 when the body has none).
  std::string title;
  std::string meta_description;
  // The URL slug ("best-running-shoes").
  std::string slug;
  // The article body.
  std::string content;
  ContentFormat format = ContentFormat::markdown;
  // Links to this host, and relative links, count as internal; every other http(s) link is
  // outbound. Empty: only relative links are internal.
  std::string site_host;
  // The language of the text. Only "en" has language-specific assessments (transition words,
  // passive voice, Flesch); others get the language-neutral ones.
  std::string language = "en";
};

enum class Rating { good, ok, bad };
// "good", "ok", "bad".
std::string_view to_string(Rating rating);

enum class Category { seo, readability };
// "seo", "readability".
std::string_view to_string(Category category);

struct Assessment {
  // Stable snake_case id, e.g. "keyphrase_in_title", "sentence_length".
  std::string id;
  Category category = Category::seo;
  // 0–9, as Yoast scores it (9 best).
  int score = 0;
  Rating rating = Rating::bad;
  // What was found and, unless good, what to change: "The keyphrase appears in 1 of 6
  // subheadings (17%). Use it in 30–75% of your H2 and H3 subheadings."
  std::string message;
  // The score as Yoast adds it up for seo_score: equal to `score`, except where Yoast scores
  // below 0 to pull the total down (keyphrase density over the maximum: -10 or -50; text under
  // 200 words: -10 or -20; no keyphrase: -999). `score` is this clamped to 0–9.
  int rollup_score = 0;
};

// Numbers about the text, reported beside the assessments.
struct TextMetrics {
  std::int64_t word_count = 0;
  std::int64_t sentence_count = 0;
  // Paragraphs (list items not counted).
  std::int64_t paragraph_count = 0;
  // Headings of any level in the body.
  std::int64_t subheading_count = 0;
  // Times every content word of the keyphrase occurs within one sentence, summed over sentences.
  std::int64_t keyphrase_count = 0;
  // Keyphrase occurrences per 100 words.
  double keyphrase_density = 0;
  // Flesch reading ease (0–100, higher is easier); English only, 0 for other languages.
  double flesch_reading_ease = 0;
  // The SEO title's estimated width in pixels (Arial at 20 px, as desktop search results show
  // it).
  std::int64_t title_width_px = 0;
  // In characters (code points).
  std::int64_t meta_description_length = 0;
};

struct AnalysisReport {
  // 0–100: the SEO assessments rolled up the way Yoast does: the sum of their rollup scores over
  // (number of assessments × 9), as a rounded percentage; 0 when penalties make it negative.
  int seo_score = 0;
  // 0–100: the readability assessments rolled up the way Yoast does, from penalty points (bad 3,
  // ok 2; bad 4 for languages without every readability assessment): 90 (good), 60 (ok) or 30
  // (needs improvement); 0 when the text is too short to assess.
  int readability_score = 0;
  TextMetrics metrics;
  // Every assessment run, SEO ones first, in a stable order.
  std::vector<Assessment> assessments;
};

// Runs every assessment that applies to the input.
AnalysisReport analyze(const AnalysisInput& input);

}  // namespace seoagents::seo
