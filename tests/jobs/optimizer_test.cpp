// The deterministic fixes of `optimize`, each on a text built to fail its assessment, and the
// paragraph finder that chooses what the writer rewrites.
#include "jobs/optimizer.hpp"

#include <gtest/gtest.h>

namespace seoagents::jobs {
namespace {

ArticleFile poor_article() {
  ArticleFile file;
  file.keyword = "trade show booth cost";
  file.title = "Everything About Exhibiting at Trade Shows and Booth Cost Budgets for Beginners";
  file.meta_description = "Short.";
  file.slug = "exhibiting";
  file.body_markdown =
      "# A Second H1\n\n"
      "Exhibiting at a trade show takes planning. Budgets matter a lot.\n\n"
      "## Planning\n\nPlan early.\n\n"
      "![](https://example.com/booth.png)\n\n"
      "## Staffing\n\nStaff well.\n\n"
      "```\n## not a heading, code\n```\n\n"
      "### Training\n\nTrain people.\n\n"
      "## Conclusion\n\nThat is all.\n";
  return file;
}

std::set<std::string> all_failing() {
  return {"keyphrase_in_title",       "title_width",
          "meta_description_length",  "keyphrase_in_meta_description",
          "keyphrase_in_subheadings", "keyphrase_in_slug",
          "internal_links",           "outbound_links",
          "image_keyphrase",          "single_h1"};
}

bool has_change(const std::vector<OptimizationChange>& changes, std::string_view assessment) {
  for (const auto& change : changes) {
    if (change.assessment == assessment) return true;
  }
  return false;
}

TEST(Optimizer, TitleStartsWithTheKeyphraseAndFits) {
  ArticleFile file = poor_article();
  auto changes = apply_structural_fixes(file, {"keyphrase_in_title"}, {});
  EXPECT_TRUE(file.title.starts_with("Trade show booth cost: ")) << file.title;
  EXPECT_LE(file.title.size(), 60u);
  EXPECT_TRUE(has_change(changes, "keyphrase_in_title"));
}

TEST(Optimizer, TitleAlreadyRightIsLeftAlone) {
  ArticleFile file = poor_article();
  file.title = "Trade show booth cost: a guide";
  auto changes = apply_structural_fixes(file, {"keyphrase_in_title"}, {});
  EXPECT_EQ(file.title, "Trade show booth cost: a guide");
  EXPECT_TRUE(changes.empty());
}

TEST(Optimizer, MetaDescriptionInRangeWithTheKeyphrase) {
  ArticleFile file = poor_article();
  auto changes = apply_structural_fixes(file, {"meta_description_length"}, {});
  EXPECT_GE(file.meta_description.size(), 121u) << file.meta_description;
  EXPECT_LE(file.meta_description.size(), 156u) << file.meta_description;
  EXPECT_TRUE(contains_keyword(file.meta_description, file.keyword));
  EXPECT_TRUE(has_change(changes, "meta_description_length"));
}

TEST(Optimizer, AboutHalfTheSubheadingsGetTheKeyphraseCodeUntouched) {
  ArticleFile file = poor_article();
  auto changes = apply_structural_fixes(file, {"keyphrase_in_subheadings"}, {});
  // Four subheadings (Planning, Staffing, Training, Conclusion): two get it, never the
  // conclusion, never the line in the code block.
  EXPECT_NE(file.body_markdown.find("## Trade show booth cost: Planning"), std::string::npos);
  EXPECT_NE(file.body_markdown.find("## Trade show booth cost: Staffing"), std::string::npos);
  EXPECT_NE(file.body_markdown.find("### Training"), std::string::npos);
  EXPECT_NE(file.body_markdown.find("## Conclusion"), std::string::npos);
  EXPECT_NE(file.body_markdown.find("## not a heading, code"), std::string::npos);
  ASSERT_TRUE(has_change(changes, "keyphrase_in_subheadings"));
  EXPECT_EQ(changes[0].change, "Keyphrase added to 2 subheadings (now 2 of 4)");
}

TEST(Optimizer, SlugLinksImagesAndH1) {
  ArticleFile file = poor_article();
  std::vector<RelatedArticle> related = {{"Booth Design Ideas", "/booth-design-ideas/"},
                                         {"Shipping [Your] Booth", "https://blog.example/ship/"}};
  auto changes = apply_structural_fixes(file, all_failing(), related);
  EXPECT_EQ(file.slug, "trade-show-booth-cost");
  const std::string& body = file.body_markdown;
  // The extra H1 is an H2 now: no line starts with a single '#'.
  EXPECT_FALSE(body.starts_with("# "));
  EXPECT_EQ(body.find("\n# "), std::string::npos);
  EXPECT_NE(body.find("A Second H1"), std::string::npos);
  EXPECT_NE(body.find("![trade show booth cost](https://example.com/booth.png)"),
            std::string::npos);
  // Internal links go before the conclusion; brackets in titles cannot break the link.
  std::size_t related_at = body.find("## Related Reading");
  ASSERT_NE(related_at, std::string::npos);
  EXPECT_LT(related_at, body.find("## Conclusion"));
  EXPECT_NE(body.find("- [Booth Design Ideas](/booth-design-ideas/)"), std::string::npos);
  EXPECT_NE(body.find("- [Shipping [Your) Booth](https://blog.example/ship/)"), std::string::npos);
  EXPECT_NE(
      body.find("(https://en.wikipedia.org/wiki/Special:Search?search=trade+show+booth+cost)"),
      std::string::npos);
  for (std::string_view id :
       {"keyphrase_in_slug", "internal_links", "outbound_links", "image_keyphrase", "single_h1"}) {
    EXPECT_TRUE(has_change(changes, id)) << id;
  }
}

TEST(Optimizer, NothingFailingChangesNothing) {
  ArticleFile file = poor_article();
  ArticleFile before = file;
  EXPECT_TRUE(apply_structural_fixes(file, {}, {}).empty());
  EXPECT_EQ(file.body_markdown, before.body_markdown);
  EXPECT_EQ(file.title, before.title);
}

TEST(Optimizer, FindsTheIntroductionAndParagraphsWithoutTheKeyphrase) {
  std::string body =
      "## Heading first\n\n- a list item\n\nThe introduction, on\ntwo lines.\n\n"
      "> a quote\n\nSecond paragraph mentions Trade Show Booth Cost.\n\nThird paragraph.\n\n"
      "```\ncode paragraph\n```\n\nFourth paragraph.\n";
  auto intro = introduction_paragraph(body);
  ASSERT_TRUE(intro);
  EXPECT_EQ(body.substr(intro->begin, intro->end - intro->begin),
            "The introduction, on\ntwo lines.");
  auto spans = paragraphs_without_keyword(body, "trade show booth cost", 5);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(body.substr(spans[0].begin, spans[0].end - spans[0].begin), "Third paragraph.");
  EXPECT_EQ(body.substr(spans[1].begin, spans[1].end - spans[1].begin), "Fourth paragraph.");
  EXPECT_EQ(paragraphs_without_keyword(body, "trade show booth cost", 1).size(), 1u);
  EXPECT_FALSE(introduction_paragraph("## Only a heading\n"));
}

}  // namespace
}  // namespace seoagents::jobs
