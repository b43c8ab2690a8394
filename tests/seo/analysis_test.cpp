// analyze() as a whole: the score rollups, the report's order and metrics, Markdown and HTML
// input, other languages and concurrent use.
#include "seo/analysis.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "seo/assessments.hpp"
#include "seo/language.hpp"
#include "seo/markdown.hpp"
#include "tests/seo/text_builder.hpp"

namespace seoagents::seo {
namespace {

using testing::filler_sentence;

std::vector<Assessment> scored(Category category, std::initializer_list<int> scores) {
  std::vector<Assessment> assessments;
  for (int score : scores)
    assessments.push_back(make_assessment("x", category, score, "m"));
  return assessments;
}

TEST(MakeAssessment, RatingsAndClampedScores) {
  EXPECT_EQ(make_assessment("x", Category::seo, 9, "").rating, Rating::good);
  EXPECT_EQ(make_assessment("x", Category::seo, 8, "").rating, Rating::good);
  EXPECT_EQ(make_assessment("x", Category::seo, 7, "").rating, Rating::ok);
  EXPECT_EQ(make_assessment("x", Category::seo, 5, "").rating, Rating::ok);
  EXPECT_EQ(make_assessment("x", Category::seo, 4, "").rating, Rating::bad);
  const Assessment penalty = make_assessment("x", Category::seo, -50, "");
  EXPECT_EQ(penalty.rating, Rating::bad);
  EXPECT_EQ(penalty.score, 0);
  EXPECT_EQ(penalty.rollup_score, -50);
  EXPECT_EQ(to_string(Rating::ok), "ok");
  EXPECT_EQ(to_string(Category::readability), "readability");
}

TEST(SeoScore, YoastsMeanOnAHundredScale) {
  // Yoast's own example: (3 + 6 + 9) / (3 × 9) × 100 = 66.67 -> 67.
  EXPECT_EQ(seo_score(scored(Category::seo, {3, 6, 9})), 67);
  EXPECT_EQ(seo_score(scored(Category::seo, {9, 9, 9, 8})), 97);
  // Penalties count with their negative scores.
  EXPECT_EQ(seo_score(scored(Category::seo, {9, 9, 9, 9, -10})), 58);
  EXPECT_EQ(seo_score(scored(Category::seo, {9, 9, -50})), 0);
  // Readability results do not count.
  EXPECT_EQ(seo_score(scored(Category::readability, {9})), 0);
}

TEST(ReadabilityScore, PenaltyPointsWithFullSupport) {
  const Language& english = language_for("en");
  const auto score = [&](std::initializer_list<int> scores) {
    return readability_score(scored(Category::readability, scores), english);
  };
  EXPECT_EQ(score({9, 9, 6, 6}), 90);     // 4 points
  EXPECT_EQ(score({3, 6}), 60);           // 5
  EXPECT_EQ(score({3, 3, 9}), 60);        // 6
  EXPECT_EQ(score({6, 6, 6}), 60);        // 6
  EXPECT_EQ(score({3, 6, 6}), 30);        // 7
  EXPECT_EQ(score({3, 3, 6}), 30);        // 8
  EXPECT_EQ(score({2, 9, 9, 9, 9}), 90);  // 3
  EXPECT_EQ(score({3}), 0);               // one result: too little text
  EXPECT_EQ(score({}), 0);
}

TEST(ReadabilityScore, PenaltyPointsWithPartialSupport) {
  const Language& other = language_for("nl");
  const auto score = [&](std::initializer_list<int> scores) {
    return readability_score(scored(Category::readability, scores), other);
  };
  EXPECT_EQ(score({6, 9}), 90);  // 2 points
  EXPECT_EQ(score({6, 6}), 60);  // 4
  EXPECT_EQ(score({3, 9}), 60);  // 4
  EXPECT_EQ(score({3, 6}), 30);  // 6
  EXPECT_EQ(score({9, 9, 9}), 90);
}

// A paragraph of five ten-word sentences; the first, third and fifth start with a transition
// word; with `kiwi`, the second ends with the keyphrase.
std::string paragraph(int index, bool kiwi) {
  static constexpr std::array<std::string_view, 7> kTransitions{
      "However,",     "Moreover,",     "Therefore,", "Meanwhile,",
      "Furthermore,", "Consequently,", "Finally,"};
  std::string text;
  for (int j = 0; j < 5; ++j) {
    const int sentence_index = index * 5 + j;
    std::string sentence =
        j % 2 == 0 ? std::string(kTransitions[static_cast<std::size_t>((index * 3 + j / 2) % 7)]) +
                         " " + filler_sentence(9, sentence_index)
                   : filler_sentence(10, sentence_index);
    if (kiwi && j == 1) sentence = sentence.substr(0, sentence.rfind(' ')) + " kiwi.";
    if (!text.empty()) text += ' ';
    text += sentence;
  }
  return text;
}

// 320 words, 35 sentences, the keyphrase "kiwi" 5 times, 3 H2s (2 with the keyphrase), an
// internal and an outbound link, an image whose alt text has the keyphrase.
std::string good_article() {
  return "Kiwi fruit is sweet and easy to grow. " + paragraph(0, false) +
         "\n\n## Kiwi benefits\n\n" + paragraph(1, true) + "\n\n" + paragraph(2, false) +
         "\n\n## Apple notes\n\n" + paragraph(3, false) +
         "\n\nRead the [guide](/guide) and the [source](https://other.org/study).\n\n"
         "## Growing kiwi\n\n" +
         paragraph(4, true) + "\n\n![Fresh kiwi slices](kiwi.png)\n\n" + paragraph(5, false) + "\n";
}

AnalysisInput good_input() {
  AnalysisInput input;
  input.keyword = "kiwi";
  input.title = "Kiwi growing guide for beginners";
  // 136 characters.
  input.meta_description =
      "Learn how to grow kiwi at home: choose a sunny spot, plant male and female vines, water "
      "them well and harvest the sweet fruit in autumn.";
  input.slug = "kiwi-growing-guide";
  input.content = good_article();
  input.site_host = "example.com";
  return input;
}

TEST(Analyze, AGoodArticle) {
  const AnalysisReport report = analyze(good_input());
  for (const Assessment& a : report.assessments) {
    EXPECT_NE(a.rating, Rating::bad) << a.id << ": " << a.message;
  }
  // 14 assessments score 9, competing links and single H1 score 8: 142 / 144 -> 99.
  EXPECT_EQ(report.seo_score, 99);
  EXPECT_EQ(report.readability_score, 90);
  EXPECT_EQ(report.metrics.word_count, 320);
  EXPECT_EQ(report.metrics.sentence_count, 35);
  EXPECT_EQ(report.metrics.paragraph_count, 7);
  EXPECT_EQ(report.metrics.subheading_count, 3);
  EXPECT_EQ(report.metrics.keyphrase_count, 5);
  EXPECT_DOUBLE_EQ(report.metrics.keyphrase_density, 100.0 * 5 / 320);
  EXPECT_EQ(report.metrics.meta_description_length, 136);
}

TEST(Analyze, ReportsEveryAssessmentInAStableOrder) {
  const AnalysisReport report = analyze(good_input());
  std::vector<std::string> ids;
  for (const Assessment& a : report.assessments)
    ids.push_back(a.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"keyphrase_in_title",
                                           "keyphrase_in_introduction",
                                           "keyphrase_in_meta_description",
                                           "keyphrase_in_subheadings",
                                           "keyphrase_in_slug",
                                           "keyphrase_length",
                                           "keyphrase_density",
                                           "competing_links",
                                           "text_length",
                                           "outbound_links",
                                           "internal_links",
                                           "title_width",
                                           "meta_description_length",
                                           "single_h1",
                                           "images",
                                           "image_keyphrase",
                                           "subheading_distribution",
                                           "paragraph_length",
                                           "sentence_length",
                                           "transition_words",
                                           "passive_voice",
                                           "consecutive_sentences"}));
  for (std::size_t i = 0; i < report.assessments.size(); ++i) {
    EXPECT_EQ(report.assessments[i].category, i < 16 ? Category::seo : Category::readability);
  }
}

TEST(Analyze, HtmlInputReadsLikeTheSameMarkdown) {
  AnalysisInput input = good_input();
  input.content = render_markdown_html(input.content);
  input.format = ContentFormat::html;
  const AnalysisReport report = analyze(input);
  EXPECT_EQ(report.seo_score, 99);
  EXPECT_EQ(report.readability_score, 90);
  EXPECT_EQ(report.metrics.word_count, 320);
  EXPECT_EQ(report.metrics.keyphrase_count, 5);
}

TEST(Analyze, AnEmptyArticle) {
  const AnalysisReport report = analyze(AnalysisInput{});
  EXPECT_EQ(report.seo_score, 0);
  EXPECT_EQ(report.readability_score, 0);
  EXPECT_EQ(report.metrics.word_count, 0);
  EXPECT_EQ(report.metrics.flesch_reading_ease, 0);
}

TEST(Analyze, OtherLanguagesGetTheLanguageNeutralAssessments) {
  AnalysisInput input = good_input();
  input.language = "fr";
  const AnalysisReport report = analyze(input);
  EXPECT_FALSE(testing::has_assessment(report, "transition_words"));
  EXPECT_FALSE(testing::has_assessment(report, "passive_voice"));
  // Without function words every keyphrase word counts; "kiwi" is still one.
  EXPECT_EQ(testing::find_assessment(report, "keyphrase_length").score, 9);
  EXPECT_EQ(report.metrics.flesch_reading_ease, 0);
  EXPECT_EQ(report.readability_score, 90);
}

TEST(Analyze, ConcurrentCallsAgree) {
  const AnalysisInput input = good_input();
  const AnalysisReport expected = analyze(input);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        const AnalysisReport report = analyze(input);
        if (report.seo_score != expected.seo_score ||
            report.metrics.word_count != expected.metrics.word_count ||
            report.assessments.size() != expected.assessments.size()) {
          ++mismatches[static_cast<std::size_t>(t)];
        }
      }
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace seoagents::seo
