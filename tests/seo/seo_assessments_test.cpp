// The SEO assessments at their thresholds, just inside and just outside, on hand-built texts.
#include <gtest/gtest.h>

#include "seo/analysis.hpp"
#include "tests/seo/text_builder.hpp"

namespace seoagents::seo {
namespace {

using testing::filler;
using testing::filler_with;
using testing::find_assessment;
using testing::has_assessment;

AnalysisInput input_with(std::string keyword, std::string content) {
  AnalysisInput input;
  input.keyword = std::move(keyword);
  input.content = std::move(content);
  return input;
}

// The score, rating and rollup score of one assessment of the analysis.
struct Result {
  int score;
  Rating rating;
  int rollup_score;
  std::string message;
};

Result assess(const AnalysisInput& input, std::string_view id) {
  const Assessment a = find_assessment(analyze(input), id);
  return {a.score, a.rating, a.rollup_score, a.message};
}

int score_of(const AnalysisInput& input, std::string_view id) {
  return assess(input, id).score;
}

// --- Keyphrase in SEO title ------------------------------------------------------------------

int title_score(std::string keyword, std::string title) {
  AnalysisInput input = input_with(std::move(keyword), filler(20));
  input.title = std::move(title);
  return score_of(input, "keyphrase_in_title");
}

TEST(KeyphraseInTitle, ExactMatchAtTheBeginning) {
  EXPECT_EQ(title_score("running shoes", "Running Shoes: the 2026 guide"), 9);
  // Function words before the keyphrase do not move it from the beginning.
  EXPECT_EQ(title_score("running shoes", "The running shoes guide"), 9);
}

TEST(KeyphraseInTitle, ExactMatchElsewhere) {
  EXPECT_EQ(title_score("running shoes", "Our guide to running shoes"), 6);
}

TEST(KeyphraseInTitle, AllWordsButNotTheExactPhrase) {
  EXPECT_EQ(title_score("running shoes", "Shoes for running"), 6);
  // A quoted keyphrase wants the exact phrase.
  EXPECT_EQ(title_score("\"running shoes\"", "Shoes for running"), 2);
}

TEST(KeyphraseInTitle, MissingWordsOrTitle) {
  EXPECT_EQ(title_score("running shoes", "Running tips"), 2);
  EXPECT_EQ(title_score("running shoes", "   "), 2);
  EXPECT_EQ(title_score("", "Running shoes"), 2);
}

// --- Keyphrase in introduction ---------------------------------------------------------------

TEST(KeyphraseInIntroduction, WithinOneSentence) {
  EXPECT_EQ(score_of(input_with("running shoes", "## Intro\n\nGood shoes for running. Apple.\n"),
                     "keyphrase_in_introduction"),
            9);
}

TEST(KeyphraseInIntroduction, SpreadOverTheParagraph) {
  EXPECT_EQ(score_of(input_with("running shoes", "We like running. Shoes matter.\n"),
                     "keyphrase_in_introduction"),
            6);
}

TEST(KeyphraseInIntroduction, OnlyTheFirstParagraphCounts) {
  EXPECT_EQ(score_of(input_with("running shoes", "Apple banana.\n\nRunning shoes.\n"),
                     "keyphrase_in_introduction"),
            3);
  EXPECT_EQ(score_of(input_with("running shoes", ""), "keyphrase_in_introduction"), 3);
}

// --- Keyphrase in meta description ---------------------------------------------------------

int meta_score(std::string meta) {
  AnalysisInput input = input_with("running shoes", filler(20));
  input.meta_description = std::move(meta);
  return score_of(input, "keyphrase_in_meta_description");
}

TEST(KeyphraseInMetaDescription, OnceOrTwice) {
  EXPECT_EQ(meta_score("Apple."), 3);
  EXPECT_EQ(meta_score("Find running shoes here."), 9);
  // Word forms match: "shoe" for "shoes".
  EXPECT_EQ(meta_score("A running shoe. Another running shoe."), 9);
  EXPECT_EQ(meta_score("Running shoes. Running shoes. Running shoes."), 3);
  EXPECT_EQ(meta_score(""), 3);
}

// --- Keyphrase in subheadings --------------------------------------------------------------

// `total` H2 subheadings of which the first `matching` contain the keyphrase "running shoes".
AnalysisInput with_subheadings(int total, int matching) {
  std::string content = "Intro.\n\n";
  for (int i = 0; i < total; ++i) {
    content += i < matching ? "## Running shoes " : "## Apple ";
    content += std::to_string(i) + "\n\nText.\n\n";
  }
  return input_with("running shoes", content);
}

TEST(KeyphraseInSubheadings, ThirtyToSeventyFivePercent) {
  EXPECT_EQ(score_of(with_subheadings(10, 3), "keyphrase_in_subheadings"), 9);  // 30%
  EXPECT_EQ(score_of(with_subheadings(10, 2), "keyphrase_in_subheadings"), 3);  // 20%
  EXPECT_EQ(score_of(with_subheadings(10, 7), "keyphrase_in_subheadings"), 9);  // 70%
  EXPECT_EQ(score_of(with_subheadings(10, 8), "keyphrase_in_subheadings"), 3);  // 80%
  EXPECT_EQ(score_of(with_subheadings(4, 3), "keyphrase_in_subheadings"), 9);   // 75%
  EXPECT_EQ(score_of(with_subheadings(4, 4), "keyphrase_in_subheadings"), 3);   // 100%
  EXPECT_EQ(score_of(with_subheadings(4, 0), "keyphrase_in_subheadings"), 3);
}

TEST(KeyphraseInSubheadings, TheOnlySubheading) {
  EXPECT_EQ(score_of(with_subheadings(1, 1), "keyphrase_in_subheadings"), 9);
  EXPECT_EQ(score_of(with_subheadings(1, 0), "keyphrase_in_subheadings"), 3);
}

TEST(KeyphraseInSubheadings, MessageSaysWhatWasFound) {
  EXPECT_EQ(assess(with_subheadings(6, 1), "keyphrase_in_subheadings").message,
            "The keyphrase appears in 1 of 6 subheadings (17%). Use it in 30–75% of your H2 and "
            "H3 subheadings.");
}

TEST(KeyphraseInSubheadings, HalfTheContentWordsReflectTheTopic) {
  // "Running tips" holds one of the two content words.
  EXPECT_EQ(
      score_of(input_with("running shoes", "## Running tips\n\nText."), "keyphrase_in_subheadings"),
      9);
  EXPECT_EQ(score_of(input_with("best trail running shoes", "## Running tips\n\nText."),
                     "keyphrase_in_subheadings"),
            3);
}

TEST(KeyphraseInSubheadings, OnlyH2AndH3Count) {
  // The H4 is not a higher-level subheading: the text has none, and is short.
  EXPECT_EQ(assess(input_with("running shoes", "#### Apple\n\nText."), "keyphrase_in_subheadings")
                .message,
            "The text has no H2 or H3 subheadings, but it is short enough not to need them.");
}

TEST(KeyphraseInSubheadings, NoSubheadingsInALongText) {
  EXPECT_EQ(score_of(input_with("running shoes", filler(300)), "keyphrase_in_subheadings"), 9);
  EXPECT_EQ(score_of(input_with("running shoes", filler(301)), "keyphrase_in_subheadings"), 2);
  EXPECT_EQ(score_of(input_with("", filler(20)), "keyphrase_in_subheadings"), 1);
}

// --- Keyphrase in slug -------------------------------------------------------------------------

int slug_score(std::string keyword, std::string slug) {
  AnalysisInput input = input_with(std::move(keyword), filler(20));
  input.slug = std::move(slug);
  return score_of(input, "keyphrase_in_slug");
}

TEST(KeyphraseInSlug, ShortKeyphrasesNeedEveryWord) {
  EXPECT_EQ(slug_score("running shoes", "running-shoes-guide"), 9);
  EXPECT_EQ(slug_score("running shoes", "best-running-shoe"), 9);  // word forms match
  EXPECT_EQ(slug_score("running shoes", "running-guide"), 6);
  EXPECT_EQ(slug_score("how to run", "run-fast"), 9);  // function words do not count
  EXPECT_EQ(slug_score("café crème", "cafe-creme"), 9);
}

TEST(KeyphraseInSlug, LongerKeyphrasesNeedMoreThanHalf) {
  EXPECT_EQ(slug_score("best trail running shoes", "trail-running-shoes"), 9);  // 3 of 4
  EXPECT_EQ(slug_score("best trail running shoes", "trail-running"), 6);        // 2 of 4
}

TEST(KeyphraseInSlug, NoSlug) {
  EXPECT_EQ(slug_score("running shoes", ""), 3);
}

// --- Keyphrase length --------------------------------------------------------------------------

TEST(KeyphraseLength, CountsContentWords) {
  const std::string eight = "alpha bravo charlie delta echo foxtrot golf hotel";
  EXPECT_EQ(score_of(input_with("alpha bravo charlie delta", filler(20)), "keyphrase_length"), 9);
  EXPECT_EQ(score_of(input_with("alpha bravo charlie delta echo", filler(20)), "keyphrase_length"),
            6);
  EXPECT_EQ(score_of(input_with(eight, filler(20)), "keyphrase_length"), 6);
  EXPECT_EQ(score_of(input_with(eight + " india", filler(20)), "keyphrase_length"), 3);
  // Function words do not count: "the" and "of" leave eight content words.
  EXPECT_EQ(score_of(input_with("the " + eight + " of", filler(20)), "keyphrase_length"), 6);
  // "how", "to", "at" are function words: three content words.
  EXPECT_EQ(assess(input_with("how to make bread at home", filler(20)), "keyphrase_length").message,
            "The keyphrase has 3 content words. Good job!");
}

TEST(KeyphraseLength, NoKeyphraseSinksTheSeoScore) {
  const AnalysisReport report = analyze(input_with("", filler(400)));
  const Assessment length = find_assessment(report, "keyphrase_length");
  EXPECT_EQ(length.score, 0);
  EXPECT_EQ(length.rollup_score, -999);
  EXPECT_EQ(length.rating, Rating::bad);
  EXPECT_EQ(report.seo_score, 0);
  EXPECT_FALSE(has_assessment(report, "competing_links"));
}

// --- Keyphrase density -------------------------------------------------------------------------

Result density(int words, int occurrences) {
  return assess(input_with("kiwi", filler_with(words, occurrences, "kiwi")), "keyphrase_density");
}

TEST(KeyphraseDensity, LongTextsUseTheWeightedDensity) {
  // 400 words, one-word keyphrase (weight 0.7 + 1/3): recommended 2 to 11 occurrences.
  EXPECT_EQ(density(400, 0).rollup_score, 4);
  EXPECT_EQ(density(400, 1).rollup_score, 4);
  EXPECT_EQ(density(400, 2).rollup_score, 9);
  EXPECT_EQ(density(400, 11).rollup_score, 9);    // 2.75% × 1.033 = 2.84
  EXPECT_EQ(density(400, 12).rollup_score, -10);  // 3.00% × 1.033 = 3.10
  EXPECT_EQ(density(400, 15).rollup_score, -10);  // 3.75% × 1.033 = 3.88
  EXPECT_EQ(density(400, 16).rollup_score, -50);  // 4.00% × 1.033 = 4.13
  EXPECT_EQ(density(400, 16).score, 0);
  EXPECT_EQ(density(400, 16).rating, Rating::bad);
}

TEST(KeyphraseDensity, MinimumRisesWithLength) {
  // 1000 words: at least ceil(0.5 × 1000 / 103.3) = 5 occurrences.
  EXPECT_EQ(density(1000, 4).rollup_score, 4);  // 0.4% × 1.033 = 0.41
  EXPECT_EQ(density(1000, 5).rollup_score, 9);  // 0.5% × 1.033 = 0.52
  EXPECT_EQ(density(1000, 4).message,
            "The keyphrase was found 4 times (0.4% of 1000 words). That's less than the "
            "recommended minimum of 5 times for a text of this length. Use the keyphrase more "
            "often.");
}

TEST(KeyphraseDensity, ShortTextsCountOccurrences) {
  EXPECT_EQ(density(50, 0).rollup_score, 4);
  EXPECT_EQ(density(50, 1).rollup_score, 9);
  EXPECT_EQ(density(50, 2).rollup_score, -10);
  EXPECT_EQ(density(50, 3).rollup_score, -50);
  EXPECT_EQ(density(51, 2).rollup_score, 9);
  EXPECT_EQ(density(99, 2).rollup_score, 9);
  EXPECT_EQ(density(99, 3).rollup_score, -10);
  EXPECT_EQ(density(99, 4).rollup_score, -50);
}

TEST(KeyphraseDensity, EveryContentWordInASentenceMakesAMatch) {
  // "shoes ... running" in one sentence is a match; "running" alone is not.
  AnalysisInput input = input_with("running shoes", "Shoes for running. Running fast.");
  EXPECT_EQ(analyze(input).metrics.keyphrase_count, 1);
  input.content = "Running shoes and running shoes. Shoes.";
  EXPECT_EQ(analyze(input).metrics.keyphrase_count, 2);
}

// --- Competing links ---------------------------------------------------------------------------

int competing_score(std::string content) {
  return score_of(input_with("running shoes", std::move(content)), "competing_links");
}

TEST(CompetingLinks, AnchorTextThatIsTheKeyphrase) {
  EXPECT_EQ(competing_score("See [running shoes](https://other.com)."), 2);
  EXPECT_EQ(competing_score("See [the running shoes](https://other.com)."), 2);
  EXPECT_EQ(competing_score("See [best running shoes](https://other.com)."), 8);
  EXPECT_EQ(competing_score("See [running](https://other.com)."), 8);
  EXPECT_EQ(competing_score("No links."), 8);
}

// --- Text length -------------------------------------------------------------------------------

Result text_length(int words) {
  return assess(input_with("kiwi", filler(words)), "text_length");
}

TEST(TextLength, Thresholds) {
  EXPECT_EQ(text_length(300).rollup_score, 9);
  EXPECT_EQ(text_length(299).rollup_score, 6);
  EXPECT_EQ(text_length(250).rollup_score, 6);
  EXPECT_EQ(text_length(249).rollup_score, 3);
  EXPECT_EQ(text_length(200).rollup_score, 3);
  EXPECT_EQ(text_length(199).rollup_score, -10);
  EXPECT_EQ(text_length(100).rollup_score, -10);
  EXPECT_EQ(text_length(99).rollup_score, -20);
  EXPECT_EQ(text_length(99).score, 0);
  EXPECT_EQ(text_length(249).message,
            "The text contains 249 words, below the recommended minimum of 300 words. Add more "
            "content.");
}

// --- Outbound and internal links -------------------------------------------------------------

AnalysisReport links_report(std::string content, ContentFormat format = ContentFormat::markdown) {
  AnalysisInput input = input_with("kiwi", std::move(content));
  input.format = format;
  input.site_host = "example.com";
  return analyze(input);
}

TEST(Links, OutboundLinks) {
  EXPECT_EQ(find_assessment(links_report("None."), "outbound_links").score, 3);
  EXPECT_EQ(find_assessment(links_report("[a](https://other.com/x)"), "outbound_links").score, 9);
  EXPECT_EQ(find_assessment(links_report("[a](//cdn.other.com/x)"), "outbound_links").score, 9);
  // Links to the site (any case, with or without www.) are internal, not outbound.
  EXPECT_EQ(
      find_assessment(links_report("[a](https://WWW.Example.com:443/x)"), "outbound_links").score,
      3);
  const std::string nofollow = "<a rel=nofollow href=https://a.com>a</a>";
  EXPECT_EQ(find_assessment(links_report(nofollow, ContentFormat::html), "outbound_links").score,
            7);
  EXPECT_EQ(
      find_assessment(links_report(nofollow + "<a href=https://b.com>b</a>", ContentFormat::html),
                      "outbound_links")
          .score,
      8);
}

TEST(Links, InternalLinks) {
  EXPECT_EQ(find_assessment(links_report("None."), "internal_links").score, 3);
  EXPECT_EQ(find_assessment(links_report("[a](/about) [b](guide.html)"), "internal_links").message,
            "The text has 2 internal links. Good job!");
  EXPECT_EQ(find_assessment(links_report("[a](https://example.com/about)"), "internal_links").score,
            9);
  // Fragments, mailto: and tel: are neither internal nor outbound.
  const AnalysisReport other = links_report("[a](#top) [b](mailto:x@y.z) [c](tel:123)");
  EXPECT_EQ(find_assessment(other, "internal_links").score, 3);
  EXPECT_EQ(find_assessment(other, "outbound_links").score, 3);
  EXPECT_EQ(find_assessment(links_report("<a href=/a rel=nofollow>a</a>", ContentFormat::html),
                            "internal_links")
                .score,
            7);
}

TEST(Links, WithoutASiteHostOnlyRelativeLinksAreInternal) {
  AnalysisInput input = input_with("kiwi", "[a](https://example.com/x)");
  EXPECT_EQ(score_of(input, "internal_links"), 3);
  EXPECT_EQ(score_of(input, "outbound_links"), 9);
}

// --- SEO title width ---------------------------------------------------------------------------

Result title_width(std::string title) {
  AnalysisInput input = input_with("kiwi", filler(20));
  input.title = std::move(title);
  return assess(input, "title_width");
}

TEST(TitleWidth, SixHundredPixels) {
  // "a" is 556/1000 em: 11.12 px at 20 px.
  EXPECT_EQ(analyze(AnalysisInput{.title = std::string(54, 'a')}).metrics.title_width_px, 600);
  EXPECT_EQ(analyze(AnalysisInput{.title = std::string(55, 'a')}).metrics.title_width_px, 612);
  EXPECT_EQ(title_width(std::string(54, 'a')).score, 9);
  EXPECT_EQ(title_width(std::string(55, 'a')).score, 3);
  EXPECT_EQ(title_width("Short").score, 9);
  EXPECT_EQ(title_width("").score, 1);
}

TEST(TitleWidth, CharacterWidths) {
  const auto width = [](std::string title) {
    return analyze(AnalysisInput{.title = std::move(title)}).metrics.title_width_px;
  };
  EXPECT_EQ(width("W"), 19);        // 944
  EXPECT_EQ(width("i"), 4);         // 222
  EXPECT_EQ(width("é"), 11);        // as wide as "e"
  EXPECT_EQ(width("日本"), 40);     // one em each
  EXPECT_EQ(width("e\u0301"), 11);  // a combining accent adds nothing
}

// --- Meta description length -------------------------------------------------------------------

int meta_length_score(std::string meta) {
  AnalysisInput input = input_with("kiwi", filler(20));
  input.meta_description = std::move(meta);
  return score_of(input, "meta_description_length");
}

TEST(MetaDescriptionLength, HundredTwentyOneToHundredFiftySix) {
  EXPECT_EQ(meta_length_score(""), 1);
  EXPECT_EQ(meta_length_score(std::string(120, 'x')), 6);
  EXPECT_EQ(meta_length_score(std::string(121, 'x')), 9);
  EXPECT_EQ(meta_length_score(std::string(156, 'x')), 9);
  EXPECT_EQ(meta_length_score(std::string(157, 'x')), 6);
  // Characters, not bytes: 121 × "é" is 242 bytes.
  std::string accents;
  for (int i = 0; i < 121; ++i)
    accents += "é";
  EXPECT_EQ(meta_length_score(accents), 9);
}

// --- Single H1, images ---------------------------------------------------------------------

TEST(SingleH1, AtMostOneH1InTheBody) {
  EXPECT_EQ(score_of(input_with("kiwi", "Text."), "single_h1"), 8);
  EXPECT_EQ(score_of(input_with("kiwi", "# One\n\nText."), "single_h1"), 8);
  EXPECT_EQ(score_of(input_with("kiwi", "# One\n\nText.\n\n# Two\n"), "single_h1"), 1);
}

TEST(Images, AtLeastOne) {
  EXPECT_EQ(score_of(input_with("kiwi", "Text."), "images"), 3);
  EXPECT_EQ(score_of(input_with("kiwi", "![x](a.png)"), "images"), 9);
}

// `images` images of which the first `matching` have the keyphrase in their alt text, the
// others an alt text without it.
int image_keyphrase_score(int images, int matching) {
  std::string content;
  for (int i = 0; i < images; ++i)
    content += i < matching ? "![A kiwi](k.png) " : "![Apple](a.png) ";
  return score_of(input_with("kiwi", content), "image_keyphrase");
}

TEST(ImageKeyphrase, FewerThanFiveImages) {
  EXPECT_EQ(image_keyphrase_score(0, 0), 3);
  EXPECT_EQ(image_keyphrase_score(1, 1), 9);
  EXPECT_EQ(image_keyphrase_score(4, 4), 9);
  EXPECT_EQ(image_keyphrase_score(1, 0), 6);
  EXPECT_EQ(score_of(input_with("kiwi", "![](a.png)"), "image_keyphrase"), 6);  // no alt text
}

TEST(ImageKeyphrase, FiveImages) {
  EXPECT_EQ(image_keyphrase_score(5, 1), 6);
  EXPECT_EQ(image_keyphrase_score(5, 2), 9);
  EXPECT_EQ(image_keyphrase_score(5, 4), 9);
  EXPECT_EQ(image_keyphrase_score(5, 5), 6);
}

TEST(ImageKeyphrase, ThirtyToSeventyFivePercentOfMoreImages) {
  EXPECT_EQ(image_keyphrase_score(10, 2), 6);
  EXPECT_EQ(image_keyphrase_score(10, 3), 9);
  EXPECT_EQ(image_keyphrase_score(10, 7), 9);
  EXPECT_EQ(image_keyphrase_score(10, 8), 6);
}

TEST(ImageKeyphrase, HalfTheContentWordsInTheAltText) {
  EXPECT_EQ(score_of(input_with("red running shoes", "![Running shoes](a.png)"), "image_keyphrase"),
            9);
  EXPECT_EQ(score_of(input_with("red running shoes", "![Shoes](a.png)"), "image_keyphrase"), 6);
}

TEST(ImageKeyphrase, AltTextWithoutAKeyphrase) {
  EXPECT_EQ(score_of(input_with("", "![Apple](a.png)"), "image_keyphrase"), 6);
}

}  // namespace
}  // namespace seoagents::seo
