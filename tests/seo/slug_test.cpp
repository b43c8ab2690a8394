// slugify: URL slugs from titles and keyphrases.
#include "seo/slug.hpp"

#include <gtest/gtest.h>

namespace seoagents::seo {
namespace {

TEST(Slugify, LowercasesAndJoinsWordsWithSingleHyphens) {
  EXPECT_EQ(slugify("Best Running Shoes (2026)!"), "best-running-shoes-2026");
  EXPECT_EQ(slugify("  --Hello,,,   World--  "), "hello-world");
  EXPECT_EQ(slugify("a_b.c/d"), "a-b-c-d");
}

TEST(Slugify, RemovesAccentsFromLatinLetters) {
  EXPECT_EQ(slugify("Café Crème"), "cafe-creme");
  EXPECT_EQ(slugify("Ångström Über Ñandú"), "angstrom-uber-nandu");
  EXPECT_EQ(slugify("Straße Æsir Œuvre Øre Łódź"), "strasse-aesir-oeuvre-ore-lodz");
}

TEST(Slugify, DropsApostrophes) {
  EXPECT_EQ(slugify("Men's Shoes"), "mens-shoes");
  EXPECT_EQ(slugify("Don’t Panic"), "dont-panic");
}

TEST(Slugify, OtherScriptsSeparateWords) {
  EXPECT_EQ(slugify("Top 10 Привет tips"), "top-10-tips");
  EXPECT_EQ(slugify("日本語"), "");
  EXPECT_EQ(slugify(""), "");
  EXPECT_EQ(slugify("!!!"), "");
}

TEST(Slugify, CutsAtAHyphenWhenTooLong) {
  // "alpha-beta-gamma": 12 bytes would end inside "gamma", so the cut goes back to a hyphen.
  EXPECT_EQ(slugify("alpha beta gamma", 12), "alpha-beta");
  // 10 bytes end exactly between two words.
  EXPECT_EQ(slugify("alpha beta gamma", 10), "alpha-beta");
  EXPECT_EQ(slugify("alpha beta gamma", 11), "alpha-beta");
  EXPECT_EQ(slugify("alpha beta gamma", 16), "alpha-beta-gamma");
  // One long word has no hyphen to cut at.
  EXPECT_EQ(slugify("abcdefghij", 5), "abcde");
  EXPECT_EQ(slugify("anything", 0), "");
}

TEST(Slugify, DefaultMaximumIsEightyBytes) {
  std::string title;
  for (int i = 0; i < 30; ++i)
    title += "word ";
  const std::string slug = slugify(title);
  EXPECT_EQ(slug.size(), 79u);  // 16 × "word" + 15 hyphens; the 17th word would pass 80
  EXPECT_NE(slug.back(), '-');
}

}  // namespace
}  // namespace seoagents::seo
