// The readability assessments at their thresholds, just inside and just outside.
#include <gtest/gtest.h>

#include "seo/analysis.hpp"
#include "tests/seo/text_builder.hpp"

namespace seoagents::seo {
namespace {

using testing::filler;
using testing::filler_sentence;
using testing::find_assessment;
using testing::has_assessment;

Assessment assess(std::string content, std::string_view id, std::string language = "en") {
  AnalysisInput input;
  input.keyword = "kiwi";
  input.content = std::move(content);
  input.language = std::move(language);
  return find_assessment(analyze(input), id);
}

int score_of(std::string content, std::string_view id) {
  return assess(std::move(content), id).score;
}

// Sentences of the given lengths, one paragraph.
std::string sentences(std::initializer_list<int> lengths) {
  std::string text;
  int index = 0;
  for (int length : lengths) {
    if (!text.empty()) text += ' ';
    text += filler_sentence(length, index++);
  }
  return text;
}

// `total` sentences of 20 words, the first `marked` of them starting with `prefix` (which
// replaces their first word).
std::string sentences_with(int total, int marked, std::string_view prefix) {
  std::string text;
  for (int i = 0; i < total; ++i) {
    if (!text.empty()) text += ' ';
    text +=
        i < marked ? std::string(prefix) + " " + filler_sentence(19, i) : filler_sentence(20, i);
  }
  return text;
}

// --- Subheading distribution ---------------------------------------------------------------

std::string two_sections(int first, int second) {
  return "## Alpha\n\n" + filler(first) + "\n\n## Bravo\n\n" + filler(second);
}

TEST(SubheadingDistribution, ShortTextsNeedNoSubheadings) {
  EXPECT_EQ(score_of(filler(300), "subheading_distribution"), 9);
  EXPECT_EQ(score_of(filler(301), "subheading_distribution"), 2);
}

TEST(SubheadingDistribution, SectionsUpToThreeHundredWords) {
  EXPECT_EQ(score_of(two_sections(300, 300), "subheading_distribution"), 9);
  EXPECT_EQ(score_of(two_sections(301, 10), "subheading_distribution"), 6);
  EXPECT_EQ(score_of(two_sections(350, 10), "subheading_distribution"), 6);
  EXPECT_EQ(score_of(two_sections(351, 10), "subheading_distribution"), 3);
  EXPECT_EQ(assess(two_sections(320, 330), "subheading_distribution").message,
            "2 sections of the text are longer than 300 words without a subheading (the longest "
            "has 330). Add subheadings to improve readability.");
}

TEST(SubheadingDistribution, LongBeginningBeforeTheFirstSubheading) {
  EXPECT_EQ(score_of(filler(320) + "\n\n## Alpha\n\n" + filler(10), "subheading_distribution"), 6);
  EXPECT_EQ(score_of(filler(360) + "\n\n## Alpha\n\n" + filler(10), "subheading_distribution"), 3);
  EXPECT_EQ(score_of(filler(300) + "\n\n## Alpha\n\n" + filler(10), "subheading_distribution"), 9);
}

// --- Paragraph length --------------------------------------------------------------------------

TEST(ParagraphLength, Thresholds) {
  EXPECT_EQ(score_of(filler(150), "paragraph_length"), 9);
  EXPECT_EQ(score_of(filler(151), "paragraph_length"), 6);
  EXPECT_EQ(score_of(filler(200), "paragraph_length"), 6);
  EXPECT_EQ(score_of(filler(201), "paragraph_length"), 3);
  EXPECT_EQ(score_of(filler(100) + "\n\n" + filler(100), "paragraph_length"), 9);
  // A list item is a paragraph of its own.
  EXPECT_EQ(score_of("- " + filler(201), "paragraph_length"), 3);
  EXPECT_EQ(
      assess(filler(160) + "\n\n" + filler(170) + "\n\n" + filler(10), "paragraph_length").message,
      "2 paragraphs have more than the recommended maximum of 150 words (the longest has "
      "170). Shorten your paragraphs.");
}

// --- Sentence length ---------------------------------------------------------------------------

TEST(SentenceLength, TwentyFivePercentOverTwentyWords) {
  EXPECT_EQ(assess(sentences({20, 10, 10}), "sentence_length").message,
            "0% of the sentences contain more than 20 words, within the recommended maximum of "
            "25%. Great!");
  EXPECT_EQ(score_of(sentences({21, 10, 10, 10}), "sentence_length"), 9);              // 25%
  EXPECT_EQ(score_of(sentences({21, 21, 10, 10, 10, 10, 10}), "sentence_length"), 6);  // 28.6%
  EXPECT_EQ(score_of(sentences({21, 21, 21, 10, 10, 10, 10, 10, 10, 10}), "sentence_length"),
            6);                                                        // 30%
  EXPECT_EQ(score_of(sentences({21, 10, 10}), "sentence_length"), 3);  // 33.3%
  EXPECT_EQ(assess(sentences({21, 10, 10}), "sentence_length").message,
            "33.3% of the sentences contain more than 20 words, more than the recommended maximum "
            "of 25%. Shorten the sentences.");
}

// --- Transition words --------------------------------------------------------------------------

TEST(TransitionWords, ThirtyPercentOfSentences) {
  // Ten sentences of 20 words: 200 words.
  EXPECT_EQ(score_of(sentences_with(10, 3, "However,"), "transition_words"), 9);
  EXPECT_EQ(score_of(sentences_with(10, 2, "However,"), "transition_words"), 6);
  EXPECT_EQ(score_of(sentences_with(10, 1, "However,"), "transition_words"), 3);
  EXPECT_EQ(assess(sentences_with(10, 0, ""), "transition_words").message,
            "None of the sentences contain transition words (\"however\", \"for example\"). Use "
            "some in at least 30% of them.");
  EXPECT_EQ(score_of(sentences_with(10, 3, "For example,"), "transition_words"), 9);
}

TEST(TransitionWords, ShortTextsNeedNone) {
  EXPECT_EQ(score_of(filler(199), "transition_words"), 9);
  EXPECT_EQ(score_of(filler(200), "transition_words"), 3);
}

// --- Passive voice -----------------------------------------------------------------------------

// `total` sentences of 10 words, `passive` of them ending in "was eaten".
std::string with_passives(int total, int passive) {
  std::string text;
  for (int i = 0; i < total; ++i) {
    if (!text.empty()) text += ' ';
    std::string sentence = filler_sentence(i < passive ? 8 : 10, i);
    if (i < passive) sentence.insert(sentence.size() - 1, " was eaten");
    text += sentence;
  }
  return text;
}

TEST(PassiveVoice, TenPercentOfSentences) {
  EXPECT_EQ(score_of(with_passives(10, 1), "passive_voice"), 9);  // 10%
  EXPECT_EQ(score_of(with_passives(20, 3), "passive_voice"), 6);  // 15%
  EXPECT_EQ(score_of(with_passives(10, 2), "passive_voice"), 3);  // 20%
  EXPECT_EQ(score_of(with_passives(20, 2), "passive_voice"), 9);  // 10%
  EXPECT_EQ(assess(with_passives(10, 2), "passive_voice").message,
            "20% of the sentences contain passive voice, more than the recommended maximum of "
            "10%. Use their active counterparts.");
}

// --- Consecutive sentences ---------------------------------------------------------------------

TEST(ConsecutiveSentences, ThreeInARowStartingAlike) {
  const std::string padding = filler(20) + " ";
  EXPECT_EQ(score_of(padding + "Kiwi apple. Kiwi banana. Apple.", "consecutive_sentences"), 9);
  EXPECT_EQ(
      assess(padding + "Kiwi apple. Kiwi banana. Kiwi cherry.", "consecutive_sentences").message,
      "The text contains 3 consecutive sentences starting with \"kiwi\". Mix things up.");
  // An article at the start counts with the next word.
  EXPECT_EQ(score_of(padding + "The cat sat. The dog ran. The bird flew.", "consecutive_sentences"),
            9);
  EXPECT_EQ(score_of(padding + "The cat sat. The cat ran. The cat flew.", "consecutive_sentences"),
            3);
}

// --- Too little text -----------------------------------------------------------------------

TEST(TextPresence, TooLittleTextIsNotAssessed) {
  AnalysisInput input;
  input.content = "Short text.";
  const AnalysisReport report = analyze(input);
  EXPECT_EQ(find_assessment(report, "text_presence").score, 3);
  EXPECT_FALSE(has_assessment(report, "sentence_length"));
  EXPECT_EQ(report.readability_score, 0);
}

// --- Other languages -----------------------------------------------------------------------

TEST(ReadabilityLanguages, EnglishOnlyAssessments) {
  AnalysisInput input;
  input.content = filler(100);
  input.language = "de";
  const AnalysisReport german = analyze(input);
  EXPECT_FALSE(has_assessment(german, "transition_words"));
  EXPECT_FALSE(has_assessment(german, "passive_voice"));
  EXPECT_TRUE(has_assessment(german, "sentence_length"));
  EXPECT_EQ(german.metrics.flesch_reading_ease, 0);
}

TEST(FleschReadingEase, Formula) {
  AnalysisInput input;
  // 3 words, 1 sentence, 5 syllables: 206.835 - 1.015 × 3 - 84.6 × 5 / 3 = 62.79.
  input.content = "I like furniture.";
  EXPECT_DOUBLE_EQ(analyze(input).metrics.flesch_reading_ease, 62.8);
  input.content = "The cat sat on the mat.";  // above 100
  EXPECT_DOUBLE_EQ(analyze(input).metrics.flesch_reading_ease, 100);
}

}  // namespace
}  // namespace seoagents::seo
