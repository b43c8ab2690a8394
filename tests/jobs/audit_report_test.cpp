// The pure part of audits: the focus keyphrase derived from a title, severities, one page's
// audit (the plugin's keyphrase preferred, failing assessments only, most severe first), the
// summary's arithmetic and the worst-first order.
#include "jobs/audit_report.hpp"

#include <gtest/gtest.h>

namespace seoagents::jobs {
namespace {

TEST(DeriveKeyphrase, TakesTheTitleBeforeItsSeparatorWithoutFunctionWords) {
  EXPECT_EQ(derive_keyphrase("Sourdough Starter Feeding: A Practical Guide"),
            "sourdough starter feeding");
  EXPECT_EQ(derive_keyphrase("How to Choose the Best Trade Show Booth | Acme"),
            "choose best trade show");
  EXPECT_EQ(derive_keyphrase("Booth costs \xE2\x80\x93 what to budget"), "booth costs");
  EXPECT_EQ(derive_keyphrase("Why? Because."), "why");
  EXPECT_EQ(derive_keyphrase("The, and, of"), "the and of") << "no content word: the words";
  EXPECT_EQ(derive_keyphrase("  \"Quoted\" (title)!  "), "quoted title");
  EXPECT_EQ(derive_keyphrase(""), "");
}

seo::Assessment assessment(seo::Category category, seo::Rating rating) {
  seo::Assessment a;
  a.category = category;
  a.rating = rating;
  return a;
}

TEST(Severity, SeoBadIsHighSeoOkAndReadabilityBadAreMediumReadabilityOkIsLow) {
  using seo::Category;
  using seo::Rating;
  EXPECT_EQ(severity_of(assessment(Category::seo, Rating::bad)), "high");
  EXPECT_EQ(severity_of(assessment(Category::seo, Rating::ok)), "medium");
  EXPECT_EQ(severity_of(assessment(Category::readability, Rating::bad)), "medium");
  EXPECT_EQ(severity_of(assessment(Category::readability, Rating::ok)), "low");
  EXPECT_EQ(severity_of(assessment(Category::seo, Rating::good)), "");
  EXPECT_EQ(severity_of(assessment(Category::readability, Rating::good)), "");
}

wordpress::PublishedItem weak_item() {
  wordpress::PublishedItem item;
  item.id = 7;
  item.type = "post";
  item.title = "Misc Thoughts: week 3";
  item.slug = "misc-thoughts";
  item.content_html = "<p>Some notes. Things happened this week.</p>";
  item.meta_description_source = "none";
  return item;
}

TEST(AuditPage, DerivesTheKeyphraseUnlessThePluginGivesOne) {
  PageAudit derived = audit_page(weak_item(), "blog.example.com");
  EXPECT_EQ(derived.focus_keyphrase, "misc thoughts");
  EXPECT_EQ(derived.focus_keyphrase_source, "title");
  wordpress::PublishedItem with_plugin = weak_item();
  with_plugin.focus_keyphrase = "weekly notes";
  with_plugin.focus_keyphrase_source = "yoast";
  PageAudit given = audit_page(with_plugin, "blog.example.com");
  EXPECT_EQ(given.focus_keyphrase, "weekly notes");
  EXPECT_EQ(given.focus_keyphrase_source, "yoast");
}

TEST(AuditPage, ListsOnlyFailingAssessmentsMostSevereFirst) {
  PageAudit page = audit_page(weak_item(), "blog.example.com");
  EXPECT_EQ(page.id, 7);
  EXPECT_EQ(page.type, "post");
  ASSERT_FALSE(page.issues.empty());
  EXPECT_EQ(page.issues.front().severity, "high");
  auto rank = [](const std::string& severity) {
    return severity == "high" ? 0 : severity == "medium" ? 1 : 2;
  };
  for (std::size_t i = 0; i < page.issues.size(); ++i) {
    EXPECT_NE(page.issues[i].rating, "good");
    EXPECT_FALSE(page.issues[i].message.empty());
    if (i > 0) {
      EXPECT_LE(rank(page.issues[i - 1].severity), rank(page.issues[i].severity));
    }
  }
}

PageAudit scored(std::int64_t id, int seo, int readability, std::vector<std::string> severities) {
  PageAudit page;
  page.id = id;
  page.seo_score = seo;
  page.readability_score = readability;
  for (std::string& severity : severities)
    page.issues.push_back({"x", "seo", "bad", std::move(severity), "m"});
  return page;
}

TEST(Summary, MeansAndCountsAddUp) {
  std::vector<PageAudit> pages{scored(1, 80, 90, {"high", "low"}), scored(2, 41, 60, {"medium"}),
                               scored(3, 50, 30, {"high", "high", "medium", "low", "low"})};
  AuditSummary summary = summarize(pages, true);
  EXPECT_EQ(summary.pages, 3);
  EXPECT_EQ(summary.site_score, 57);  // 171 / 3
  EXPECT_EQ(summary.readability_score, 60);
  EXPECT_EQ(summary.issues.high, 3);
  EXPECT_EQ(summary.issues.medium, 2);
  EXPECT_EQ(summary.issues.low, 3);
  EXPECT_TRUE(summary.capped);
  AuditSummary empty = summarize({}, false);
  EXPECT_EQ(empty.pages, 0);
  EXPECT_EQ(empty.site_score, 0);
}

TEST(Summary, WorstPagesComeFirst) {
  std::vector<PageAudit> pages{scored(1, 80, 90, {}), scored(2, 40, 60, {}), scored(3, 40, 30, {}),
                               scored(4, 40, 30, {"high"}), scored(5, 95, 90, {})};
  sort_worst_first(pages);
  std::vector<std::int64_t> order;
  for (const PageAudit& page : pages)
    order.push_back(page.id);
  EXPECT_EQ(order, (std::vector<std::int64_t>{4, 3, 2, 1, 5}));
}

}  // namespace
}  // namespace seoagents::jobs
