// Text segmentation: sentences and words with abbreviations, decimals, URLs, line breaks and
// non-ASCII text.
#include "seo/text.hpp"

#include <gtest/gtest.h>

#include "seo/english.hpp"
#include "seo/language.hpp"

namespace seoagents::seo {
namespace {

using Words = std::vector<std::string>;

std::vector<Words> sentences_of(std::string_view text, std::string_view language = "en") {
  std::vector<Words> result;
  for (Sentence& sentence : split_sentences(text, language_for(language))) {
    result.push_back(std::move(sentence.words));
  }
  return result;
}

TEST(SplitSentences, AbbreviationsDoNotEndSentences) {
  EXPECT_EQ(sentences_of("Ask Dr. Smith now. Then leave."),
            (std::vector<Words>{{"ask", "dr", "smith", "now"}, {"then", "leave"}}));
  EXPECT_EQ(sentences_of("Use tools, e.g. Hammers work. I.e. Nothing else. Fine."),
            (std::vector<Words>{
                {"use", "tools", "e.g", "hammers", "work"}, {"i.e", "nothing", "else"}, {"fine"}}));
  EXPECT_EQ(sentences_of("Prices in the U.S. Market rose. Mr. Jones agreed.").size(), 2u);
}

TEST(SplitSentences, SentenceEndsStillSplit) {
  EXPECT_EQ(sentences_of("One. Two! Three? Four").size(), 4u);
}

TEST(SplitSentences, DecimalNumbersStayWhole) {
  EXPECT_EQ(sentences_of("It costs 3.5 dollars. Pay 1,000 now."),
            (std::vector<Words>{{"it", "costs", "3.5", "dollars"}, {"pay", "1,000", "now"}}));
}

TEST(SplitSentences, UrlsAreOneWordAndNeverSplitASentence) {
  EXPECT_EQ(
      sentences_of("Visit https://example.com/a.B?x=1 today. Next one."),
      (std::vector<Words>{{"visit", "https://example.com/a.b?x=1", "today"}, {"next", "one"}}));
  EXPECT_EQ(sentences_of("See www.example.org. Then stop."),
            (std::vector<Words>{{"see", "www.example.org"}, {"then", "stop"}}));
}

TEST(SplitSentences, LineBreakEndsASentence) {
  EXPECT_EQ(sentences_of("first line\nsecond line"),
            (std::vector<Words>{{"first", "line"}, {"second", "line"}}));
}

TEST(SplitSentences, PunctuationOnlyIsNoSentence) {
  EXPECT_TRUE(sentences_of("... !!! —").empty());
  EXPECT_TRUE(sentences_of("").empty());
}

TEST(SplitSentences, NonAsciiText) {
  EXPECT_EQ(sentences_of("Naïve café’s don’t fail. Straße!"),
            (std::vector<Words>{{"naïve", "café's", "don't", "fail"}, {"strasse"}}));
  // Japanese: ICU's dictionary splits the words; "。" ends the sentence.
  EXPECT_EQ(sentences_of("日本語の文です。次の文。"),
            (std::vector<Words>{{"日本語", "の", "文", "です"}, {"次", "の", "文"}}));
}

TEST(SplitSentences, UnknownLanguagesUseRootRules) {
  EXPECT_EQ(sentences_of("Das ist gut. Sehr gut.", "de").size(), 2u);
}

TEST(SplitWords, HyphenatedCompoundsAreOneWord) {
  EXPECT_EQ(split_words("A well-known, state-of-the-art tool - really.", language_for("en")),
            (Words{"a", "well-known", "state-of-the-art", "tool", "really"}));
}

TEST(FoldCase, FoldsCaseAndTypographicApostrophes) {
  EXPECT_EQ(fold_case("HeLLo"), "hello");
  EXPECT_EQ(fold_case("ÉCOLE"), "école");
  EXPECT_EQ(fold_case("Don’t"), "don't");
}

TEST(CountCharacters, CountsCodePoints) {
  EXPECT_EQ(count_characters("café"), 4u);
  EXPECT_EQ(count_characters("日本"), 2u);
  EXPECT_EQ(count_characters(""), 0u);
}

TEST(LanguageFor, MatchesThePrimarySubtag) {
  EXPECT_EQ(language_for("en").code, "en");
  EXPECT_EQ(language_for("EN-us").code, "en");
  EXPECT_EQ(language_for("en_GB").code, "en");
  EXPECT_EQ(language_for("de").code, "");
  EXPECT_EQ(language_for("").code, "");
  EXPECT_TRUE(language_for("en").has_full_readability_support());
  EXPECT_FALSE(language_for("nl").has_full_readability_support());
}

TEST(English, FunctionWords) {
  EXPECT_TRUE(english::is_function_word("the"));
  EXPECT_TRUE(english::is_function_word("how"));
  EXPECT_TRUE(english::is_function_word("don't"));
  EXPECT_FALSE(english::is_function_word("shoes"));
  EXPECT_FALSE(english::is_function_word("best"));
}

TEST(English, WordForms) {
  EXPECT_TRUE(english::same_word_form("shoes", "shoe"));
  EXPECT_TRUE(english::same_word_form("shoe", "shoes"));
  EXPECT_TRUE(english::same_word_form("boxes", "box"));
  EXPECT_TRUE(english::same_word_form("cities", "city"));
  EXPECT_TRUE(english::same_word_form("shoe's", "shoe"));
  EXPECT_TRUE(english::same_word_form("shoes'", "shoes"));
  EXPECT_FALSE(english::same_word_form("shop", "shoe"));
  EXPECT_FALSE(english::same_word_form("as", "a"));
}

TEST(English, TransitionWords) {
  const auto has = [](std::string_view text) {
    return english::has_transition_word(split_words(text, language_for("en")));
  };
  EXPECT_TRUE(has("However, it rained"));
  EXPECT_TRUE(has("This is, for example, a test"));
  EXPECT_TRUE(has("Not only cheap but also good"));
  EXPECT_TRUE(has("Either tea or coffee"));
  EXPECT_FALSE(has("Not only cheap and good"));
  EXPECT_FALSE(has("Plain words here"));
  EXPECT_FALSE(has("For the example"));
}

TEST(English, PassiveVoice) {
  const auto passive = [](std::string_view text) {
    return english::is_passive(split_words(text, language_for("en")));
  };
  EXPECT_TRUE(passive("The cake was eaten"));
  EXPECT_TRUE(passive("The report is often written late"));
  EXPECT_TRUE(passive("The house was built in 1990"));
  EXPECT_TRUE(passive("It got fixed quickly"));
  EXPECT_TRUE(passive("The shoes are not always used"));
  EXPECT_TRUE(passive("It's called a tool"));
  EXPECT_FALSE(passive("She is happy"));
  EXPECT_FALSE(passive("He was a talented writer"));
  EXPECT_FALSE(passive("They need speed"));
  EXPECT_FALSE(passive("The bed is red"));
  EXPECT_FALSE(passive("We walked home"));
}

TEST(English, Syllables) {
  EXPECT_EQ(english::count_syllables("cat"), 1);
  EXPECT_EQ(english::count_syllables("the"), 1);
  EXPECT_EQ(english::count_syllables("make"), 1);
  EXPECT_EQ(english::count_syllables("like"), 1);
  EXPECT_EQ(english::count_syllables("used"), 1);
  EXPECT_EQ(english::count_syllables("table"), 2);
  EXPECT_EQ(english::count_syllables("simple"), 2);
  EXPECT_EQ(english::count_syllables("wanted"), 2);
  EXPECT_EQ(english::count_syllables("boxes"), 2);
  EXPECT_EQ(english::count_syllables("beautiful"), 3);
  EXPECT_EQ(english::count_syllables("furniture"), 3);
  EXPECT_EQ(english::count_syllables("readability"), 5);
  EXPECT_EQ(english::count_syllables("2026"), 1);
}

}  // namespace
}  // namespace seoagents::seo
