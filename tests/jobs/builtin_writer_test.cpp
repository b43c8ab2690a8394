// The builtin writer (the offline template engine) through its Writer interface and the real
// SEO analysis: word targets met within 10%, SEO scores of 80 or more, readable text, the
// structure the product asks for (title, meta, FAQ, conclusion, no H1, one reference link),
// byte-identical output for the same brief, visible tones; enhance() and rewrite_paragraph().
#include "jobs/writers/builtin_writer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <cstdint>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>

#include "seo/analysis.hpp"
#include "seo/slug.hpp"

namespace seoagents::jobs {
namespace {

// Fifty keyphrases: single words, long tails, plurals, brand-like, with digits, non-ASCII.
const std::vector<std::string> kKeywords = {"seo",
                                            "coffee",
                                            "yoga",
                                            "budgeting",
                                            "gardening",
                                            "photography",
                                            "kombucha",
                                            "podcasting",
                                            "best running shoes for flat feet",
                                            "how to start a podcast",
                                            "small business accounting software",
                                            "trade show booth cost",
                                            "custom trade show booth",
                                            "cloud cost optimization",
                                            "remote team communication tools",
                                            "home office ergonomics",
                                            "beginner woodworking projects",
                                            "email marketing automation",
                                            "vegan protein sources",
                                            "sustainable fashion brands",
                                            "running shoes",
                                            "hiking boots",
                                            "wireless earbuds",
                                            "succulents",
                                            "standing desks",
                                            "electric bikes",
                                            "noise cancelling headphones",
                                            "iPhone 15 cases",
                                            "Shopify themes",
                                            "WordPress plugins",
                                            "HubSpot CRM",
                                            "Notion templates",
                                            "Tesla Model 3 accessories",
                                            "Google Analytics 4",
                                            "401k rollover",
                                            "3D printing",
                                            "5G home internet",
                                            "top 10 travel destinations",
                                            "best 4K monitors",
                                            "café au lait",
                                            "crème brûlée",
                                            "jalapeño recipes",
                                            "smörgåsbord ideas",
                                            "piñata party games",
                                            "Zürich travel tips",
                                            "naïve bayes classifier",
                                            "dog training",
                                            "kubernetes monitoring",
                                            "wedding photography",
                                            "meal prep for beginners"};

const std::vector<std::string> kTones = {"professional",   "casual",    "friendly", "authoritative",
                                         "conversational", "technical", "humorous"};

const std::vector<std::int64_t> kTargets = {300, 500, 800, 1000, 1500, 2000, 3000, 5000};

// Runs a writer coroutine to its end (through an optional: use_future needs a
// default-constructible value).
template <class T>
asio::awaitable<std::optional<T>> optional_of(asio::awaitable<T> task) {
  co_return co_await std::move(task);
}
template <class T>
T run(asio::awaitable<T> task) {
  asio::io_context context;
  auto future = asio::co_spawn(context, optional_of(std::move(task)), asio::use_future);
  context.run();
  return std::move(*future.get());
}

ArticleBrief brief(std::string keyword, std::string tone, std::int64_t word_target,
                   std::vector<std::string> related = {}) {
  ArticleBrief b;
  b.keyword = std::move(keyword);
  b.tone = std::move(tone);
  b.word_target = word_target;
  b.related_keywords = std::move(related);
  b.agent_name = "Test Agent";
  return b;
}

Outline outline_for(BuiltinWriter& writer, const ArticleBrief& b) {
  auto outline = run(writer.outline(b));
  if (!outline) throw std::runtime_error(outline.error().message);
  return std::move(outline).value();
}

WrittenArticle draft_for(BuiltinWriter& writer, const ArticleBrief& b) {
  Outline outline = outline_for(writer, b);
  auto article = run(writer.draft(b, outline));
  if (!article) throw std::runtime_error(article.error().message);
  return std::move(article).value();
}

seo::AnalysisReport analyze(const WrittenArticle& article, const std::string& keyword) {
  seo::AnalysisInput input;
  input.keyword = keyword;
  input.title = article.title;
  input.meta_description = article.meta_description;
  input.slug = seo::slugify(keyword);
  input.content = article.body_markdown;
  return seo::analyze(input);
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool contains_ignoring_case(std::string_view text, std::string_view part) {
  return lower(text).find(lower(part)) != std::string::npos;
}

std::int64_t code_points(std::string_view text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

// The headings of a body, as "## Text" / "### Text" lines.
std::vector<std::string> headings_of(std::string_view markdown) {
  std::vector<std::string> headings;
  for (const std::string& line : lines_of(markdown))
    if (line.starts_with("#")) headings.push_back(line);
  return headings;
}

std::vector<std::string> paragraphs_of(std::string_view markdown) {
  std::vector<std::string> paragraphs;
  for (const std::string& line : lines_of(markdown))
    if (!line.empty() && !line.starts_with("#")) paragraphs.push_back(line);
  return paragraphs;
}

// Sentences of a body's paragraphs (split after . ! ? and a space), for comparing texts.
std::set<std::string> sentences_of(std::string_view markdown) {
  std::set<std::string> sentences;
  for (const std::string& paragraph : paragraphs_of(markdown)) {
    std::size_t start = 0;
    for (std::size_t i = 0; i + 1 < paragraph.size(); ++i) {
      if ((paragraph[i] == '.' || paragraph[i] == '?' || paragraph[i] == '!') &&
          paragraph[i + 1] == ' ') {
        sentences.insert(paragraph.substr(start, i + 1 - start));
        start = i + 2;
      }
    }
    sentences.insert(paragraph.substr(start));
  }
  return sentences;
}

std::int64_t word_count(std::string_view text) {
  std::istringstream in{std::string(text)};
  std::int64_t words = 0;
  for (std::string word; in >> word;)
    ++words;
  return words;
}

// Checks one article against everything the product asks of a draft; returns the problems.
std::vector<std::string> problems_of(const WrittenArticle& article,
                                     const seo::AnalysisReport& report, const ArticleBrief& b) {
  std::vector<std::string> problems;
  auto problem = [&](const std::string& what) { problems.push_back(what); };
  const std::int64_t words = report.metrics.word_count;
  if (words < b.word_target * 9 / 10 || words > b.word_target * 11 / 10)
    problem("word count " + std::to_string(words));
  if (report.seo_score < 80) problem("seo score " + std::to_string(report.seo_score));
  if (report.readability_score < 60)
    problem("readability score " + std::to_string(report.readability_score));
  if (!lower(article.title).starts_with(lower(b.keyword))) problem("title " + article.title);
  const std::int64_t meta = code_points(article.meta_description);
  if (meta < 121 || meta > 156 || !contains_ignoring_case(article.meta_description, b.keyword))
    problem("meta description (" + std::to_string(meta) + "): " + article.meta_description);
  std::vector<std::string> headings = headings_of(article.body_markdown);
  auto faq = std::find_if(headings.begin(), headings.end(), [](const std::string& h) {
    return h.starts_with("## Frequently Asked Questions");
  });
  if (faq == headings.end()) problem("no FAQ heading");
  bool conclusion_after_faq =
      faq != headings.end() && std::any_of(faq + 1, headings.end(), [](const std::string& h) {
        return h.starts_with("## ");
      });
  if (!conclusion_after_faq) problem("no conclusion after the FAQ");
  if (!headings.empty() && !headings.back().starts_with("## ")) problem("ends without conclusion");
  for (const std::string& heading : headings)
    if (heading.starts_with("# ")) problem("an H1: " + heading);
  const std::string& body = article.body_markdown;
  std::size_t link = body.find("](https://en.wikipedia.org/w/index.php?search=");
  if (link == std::string::npos || body.find("](http", link + 1) != std::string::npos)
    problem("not exactly one reference link");
  std::vector<std::string> paragraphs = paragraphs_of(body);
  if (paragraphs.empty() || !contains_ignoring_case(paragraphs.front(), b.keyword))
    problem("keyphrase missing from the first paragraph");
  if (body.ends_with("\n\n") || !body.ends_with("\n")) problem("body does not end in one newline");
  // No template syntax left over, no doubled spaces or punctuation.
  for (std::string_view leftover : {"{", "}", "|", "  ", "..", ",,", " ,", " ."})
    if (body.find(leftover) != std::string::npos ||
        article.title.find(leftover) != std::string::npos ||
        article.meta_description.find(leftover) != std::string::npos)
      problem("contains \"" + std::string(leftover) + "\"");
  return problems;
}

// What the matrix reached, reported once at the end.
struct Ranges {
  double min_deviation = 100;
  double max_deviation = -100;
  int min_seo = 100;
  int max_seo = 0;
  int min_readability = 100;
  int max_readability = 0;
  double min_flesch = 100;
  double max_flesch = 0;
  int articles = 0;

  void add(const seo::AnalysisReport& report, std::int64_t target) {
    double deviation = 100.0 * static_cast<double>(report.metrics.word_count - target) /
                       static_cast<double>(target);
    min_deviation = std::min(min_deviation, deviation);
    max_deviation = std::max(max_deviation, deviation);
    min_seo = std::min(min_seo, report.seo_score);
    max_seo = std::max(max_seo, report.seo_score);
    min_readability = std::min(min_readability, report.readability_score);
    max_readability = std::max(max_readability, report.readability_score);
    min_flesch = std::min(min_flesch, report.metrics.flesch_reading_ease);
    max_flesch = std::max(max_flesch, report.metrics.flesch_reading_ease);
    ++articles;
  }

  std::string summary() const {
    std::ostringstream out;
    out.precision(3);
    out << articles << " articles: word count " << min_deviation << "% to +" << max_deviation
        << "% of target, seo_score " << min_seo << "-" << max_seo << ", readability_score "
        << min_readability << "-" << max_readability << ", Flesch " << min_flesch << "-"
        << max_flesch;
    return out.str();
  }
};

void check_matrix(const std::vector<ArticleBrief>& briefs) {
  BuiltinWriter writer;
  Ranges ranges;
  for (const ArticleBrief& b : briefs) {
    WrittenArticle article = draft_for(writer, b);
    seo::AnalysisReport report = analyze(article, b.keyword);
    ranges.add(report, b.word_target);
    for (const std::string& problem : problems_of(article, report, b))
      ADD_FAILURE() << b.keyword << " / " << b.tone << " / " << b.word_target << ": " << problem;
  }
  std::cout << "[ builtin  ] " << ranges.summary() << "\n";
}

TEST(BuiltinWriter, NamesItself) {
  BuiltinWriter writer;
  EXPECT_EQ(writer.name(), "builtin");
  EXPECT_EQ(writer.model(), "builtin-1");
}

TEST(BuiltinWriter, EveryKeywordAtEveryTargetMeetsTheBrief) {
  // Each keyphrase at every target, the tones taking turns.
  std::vector<ArticleBrief> briefs;
  for (std::size_t k = 0; k < kKeywords.size(); ++k)
    for (std::size_t t = 0; t < kTargets.size(); ++t)
      briefs.push_back(brief(kKeywords[k], kTones[(k + t) % kTones.size()], kTargets[t]));
  check_matrix(briefs);
}

TEST(BuiltinWriter, EveryToneAtEveryTargetMeetsTheBrief) {
  std::vector<ArticleBrief> briefs;
  for (const std::string keyword : {"trade show booth cost", "café au lait", "iPhone 15 cases"})
    for (const std::string& tone : kTones)
      for (std::int64_t target : kTargets)
        briefs.push_back(brief(keyword, tone, target, {"booth design", "custom trade show booth"}));
  check_matrix(briefs);
}

TEST(BuiltinWriter, SameBriefGivesByteIdenticalArticles) {
  for (std::int64_t target : {300, 1500, 5000}) {
    ArticleBrief b = brief("wireless earbuds", "friendly", target, {"noise cancelling"});
    BuiltinWriter first;
    BuiltinWriter second;
    Outline outline_a = outline_for(first, b);
    Outline outline_b = outline_for(second, b);
    ASSERT_EQ(outline_a.title, outline_b.title);
    ASSERT_EQ(outline_a.sections.size(), outline_b.sections.size());
    WrittenArticle a = draft_for(first, b);
    WrittenArticle again = draft_for(second, b);
    EXPECT_EQ(a.title, again.title);
    EXPECT_EQ(a.meta_description, again.meta_description);
    EXPECT_EQ(a.body_markdown, again.body_markdown);
  }
}

TEST(BuiltinWriter, TonesChangeTheWording) {
  BuiltinWriter writer;
  std::vector<std::set<std::string>> texts;
  for (const std::string& tone : kTones)
    texts.push_back(
        sentences_of(draft_for(writer, brief("home office ergonomics", tone, 1500)).body_markdown));
  for (std::size_t i = 0; i < texts.size(); ++i) {
    for (std::size_t j = i + 1; j < texts.size(); ++j) {
      std::vector<std::string> shared;
      std::set_intersection(texts[i].begin(), texts[i].end(), texts[j].begin(), texts[j].end(),
                            std::back_inserter(shared));
      double share = static_cast<double>(shared.size()) /
                     static_cast<double>(std::min(texts[i].size(), texts[j].size()));
      EXPECT_LT(share, 0.6) << kTones[i] << " and " << kTones[j] << " share " << shared.size()
                            << " sentences";
    }
  }
}

TEST(BuiltinWriter, UnknownTonesReadAsProfessionalAndTonePhrasesAreRecognised) {
  BuiltinWriter writer;
  std::string professional =
      draft_for(writer, brief("dog training", "professional", 800)).body_markdown;
  EXPECT_EQ(draft_for(writer, brief("dog training", "whatever", 800)).body_markdown, professional);
  EXPECT_EQ(draft_for(writer, brief("dog training", "Playful", 800)).body_markdown,
            draft_for(writer, brief("dog training", "humorous", 800)).body_markdown);
}

TEST(BuiltinWriter, TheOutlineScalesWithTheTarget) {
  BuiltinWriter writer;
  Outline small = outline_for(writer, brief("kombucha", "casual", 300));
  Outline large = outline_for(writer, brief("kombucha", "casual", 5000));
  EXPECT_LT(small.sections.size(), large.sections.size());
  EXPECT_GE(large.sections.size(), 15u);
  for (const Outline& outline : {small, large}) {
    EXPECT_TRUE(lower(outline.title).starts_with("kombucha")) << outline.title;
    ASSERT_GE(outline.sections.size(), 3u);
    EXPECT_TRUE(outline.sections[outline.sections.size() - 2].heading.starts_with(
        "Frequently Asked Questions"));
    EXPECT_FALSE(outline.sections.back().subheadings.size() > 0);
    for (const OutlineSection& section : outline.sections)
      EXPECT_FALSE(section.summary.empty());
  }
}

TEST(BuiltinWriter, RelatedKeywordsBecomeSectionsOrMentions) {
  BuiltinWriter writer;
  WrittenArticle long_article =
      draft_for(writer, brief("trade show booth cost", "professional", 2000,
                              {"booth design", "trade show booth cost", "shipping crates"}));
  std::vector<std::string> headings = headings_of(long_article.body_markdown);
  auto names = [&](std::string_view related) {
    return std::any_of(headings.begin(), headings.end(),
                       [&](const std::string& h) { return contains_ignoring_case(h, related); });
  };
  EXPECT_TRUE(names("booth design"));
  EXPECT_TRUE(names("shipping crates"));
  WrittenArticle short_article =
      draft_for(writer, brief("trade show booth cost", "professional", 500, {"booth design"}));
  EXPECT_NE(short_article.body_markdown.find("booth design"), std::string::npos);
}

TEST(BuiltinWriter, DraftsAnotherWritersOutline) {
  BuiltinWriter writer;
  ArticleBrief b = brief("electric bikes", "conversational", 1200);
  Outline outline;
  outline.title = "Electric Bikes: What I Wish I Had Known";
  outline.sections = {
      {"Choosing a Motor and Battery", {"Hub Motors", "Mid-Drive Motors"}, "Compare motors."},
      {"What Electric Bikes Cost to Run", {}, "Running costs."},
      {"Riding Safely in Traffic", {}, ""},
  };
  auto drafted = run(writer.draft(b, outline));
  ASSERT_TRUE(drafted);
  const WrittenArticle& article = *drafted;
  EXPECT_EQ(article.title, outline.title);
  std::vector<std::string> headings = headings_of(article.body_markdown);
  for (std::string_view heading :
       {"## Choosing a Motor and Battery", "### Hub Motors", "### Mid-Drive Motors",
        "## What Electric Bikes Cost to Run", "## Riding Safely in Traffic"})
    EXPECT_NE(std::find(headings.begin(), headings.end(), heading), headings.end()) << heading;
  seo::AnalysisReport report = analyze(article, b.keyword);
  EXPECT_NEAR(static_cast<double>(report.metrics.word_count), 1200.0, 120.0);
  EXPECT_TRUE(std::any_of(headings.begin(), headings.end(), [](const std::string& h) {
    return h.starts_with("## Frequently Asked Questions");
  }));
}

TEST(BuiltinWriter, EnhanceReachesTheLargerTargetAndKeepsTheHeadings) {
  BuiltinWriter writer;
  ArticleBrief b = brief("standing desks", "authoritative", 800);
  WrittenArticle original = draft_for(writer, b);
  EnhanceGuidance guidance;
  guidance.word_target = 1800;
  guidance.missing_subtopics = {"monitor arms"};
  auto enhanced = run(writer.enhance(b, original, guidance));
  ASSERT_TRUE(enhanced);
  std::vector<std::string> before = headings_of(original.body_markdown);
  std::vector<std::string> after = headings_of(enhanced->body_markdown);
  // Every original heading is still there, in the same order.
  auto next = after.begin();
  for (const std::string& heading : before) {
    next = std::find(next, after.end(), heading);
    ASSERT_NE(next, after.end()) << "lost " << heading;
  }
  EXPECT_GT(after.size(), before.size());
  EXPECT_TRUE(std::any_of(after.begin(), after.end(), [](const std::string& h) {
    return contains_ignoring_case(h, "monitor arms");
  }));
  // The original paragraphs are kept too.
  for (const std::string& paragraph : paragraphs_of(original.body_markdown))
    EXPECT_NE(enhanced->body_markdown.find(paragraph.substr(0, 40)), std::string::npos);
  seo::AnalysisReport report = analyze(*enhanced, b.keyword);
  EXPECT_NEAR(static_cast<double>(report.metrics.word_count), 1800.0, 180.0);
  EXPECT_GE(report.seo_score, 80);
  EXPECT_EQ(enhanced->title, original.title);
  EXPECT_EQ(enhanced->meta_description, original.meta_description);
  // Deterministic.
  auto again = run(writer.enhance(b, original, guidance));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->body_markdown, enhanced->body_markdown);
}

TEST(BuiltinWriter, EnhanceAddsAnFaqAndFixesTheNamedReadabilityProblems) {
  BuiltinWriter writer;
  ArticleBrief b = brief("composting at home", "friendly", 600);
  WrittenArticle current;
  current.title = "Composting at Home";
  current.meta_description = "Too short.";
  current.body_markdown =
      "Composting at home turns kitchen scraps into rich soil, and it takes less effort than "
      "most people expect when they first look into it.\n\n"
      "## Getting Started\n\n"
      "Pick a spot in the garden that gets some shade, because a pile in full sun dries out "
      "quickly and then the microbes slow down a lot.\n\n"
      "## Final Thoughts\n\n"
      "Start small and keep going.\n";
  EnhanceGuidance guidance;
  guidance.word_target = 600;
  guidance.add_faq = true;
  guidance.readability_problems = {
      "100% of the sentences contain more than 20 words, more than the recommended maximum of "
      "25%. Shorten the sentences."};
  auto enhanced = run(writer.enhance(b, current, guidance));
  ASSERT_TRUE(enhanced);
  const std::string& body = enhanced->body_markdown;
  EXPECT_NE(body.find("## Frequently Asked Questions"), std::string::npos);
  EXPECT_LT(body.find("## Frequently Asked Questions"), body.find("## Final Thoughts"));
  EXPECT_NE(body.find("## Getting Started"), std::string::npos);
  // The long sentences were cut at their clause boundaries.
  EXPECT_NE(body.find("Composting at home turns kitchen scraps into rich soil. Also, it takes"),
            std::string::npos)
      << body;
  EXPECT_NE(body.find("That is because a pile in full sun"), std::string::npos) << body;
  EXPECT_TRUE(lower(enhanced->title).starts_with("composting at home"));
  std::int64_t meta = code_points(enhanced->meta_description);
  EXPECT_GE(meta, 121);
  EXPECT_LE(meta, 156);
  seo::AnalysisReport report = analyze(*enhanced, b.keyword);
  EXPECT_NEAR(static_cast<double>(report.metrics.word_count), 600.0, 60.0);
}

TEST(BuiltinWriter, EnhancingAnEmptyArticleWritesOne) {
  BuiltinWriter writer;
  ArticleBrief b = brief("bread baking", "casual", 700);
  EnhanceGuidance guidance;
  guidance.word_target = 900;
  auto enhanced = run(writer.enhance(b, WrittenArticle{}, guidance));
  ASSERT_TRUE(enhanced);
  seo::AnalysisReport report = analyze(*enhanced, b.keyword);
  EXPECT_NEAR(static_cast<double>(report.metrics.word_count), 900.0, 90.0);
  EXPECT_GE(report.seo_score, 80);
}

TEST(BuiltinWriter, RewriteParagraphWorksTheKeyphraseIn) {
  BuiltinWriter writer;
  ArticleBrief b = brief("solar panels", "professional", 1500);
  const std::string paragraph =
      "Most homeowners want lower bills. The right setup pays for itself within a few years.";

  auto started =
      run(writer.rewrite_paragraph(b, paragraph, "Start the paragraph with the keyphrase."));
  ASSERT_TRUE(started);
  EXPECT_TRUE(lower(*started).starts_with("solar panels")) << *started;
  EXPECT_NE(started->find("The right setup pays for itself"), std::string::npos);

  auto included = run(writer.rewrite_paragraph(b, paragraph, "Include the focus keyphrase."));
  ASSERT_TRUE(included);
  EXPECT_TRUE(contains_ignoring_case(*included, "solar panels")) << *included;
  EXPECT_EQ(*included,
            "When it comes to solar panels, most homeowners want lower bills. The right setup "
            "pays for itself within a few years.");

  auto unknown = run(writer.rewrite_paragraph(b, paragraph, "Make it sparkle."));
  ASSERT_TRUE(unknown);
  EXPECT_TRUE(contains_ignoring_case(*unknown, "solar panels")) << *unknown;

  const std::string with_keyword = "Solar panels last for decades. They need little care.";
  auto kept = run(writer.rewrite_paragraph(b, with_keyword, "Use the keyphrase."));
  ASSERT_TRUE(kept);
  EXPECT_EQ(*kept, with_keyword);

  auto heading = run(writer.rewrite_paragraph(b, "## Costs and Savings", "Add the keyphrase."));
  ASSERT_TRUE(heading);
  EXPECT_EQ(*heading, "## Solar Panels: Costs and Savings");

  const std::string long_sentence =
      "Installers often quote very different prices for similar systems in the same area, but "
      "you can compare them fairly once you ask each one for the same details.";
  auto shortened = run(writer.rewrite_paragraph(b, long_sentence,
                                                "Shorten the long sentences; keep the keyphrase."));
  ASSERT_TRUE(shortened);
  EXPECT_NE(shortened->find(". However, you can compare them fairly"), std::string::npos)
      << *shortened;
  for (const std::string& sentence : sentences_of(*shortened))
    EXPECT_LE(word_count(sentence), 20) << sentence;
  EXPECT_TRUE(contains_ignoring_case(*shortened, "solar panels")) << *shortened;

  auto again = run(writer.rewrite_paragraph(b, paragraph, "Include the focus keyphrase."));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *included);
}

TEST(BuiltinWriter, RefusesABriefWithoutAKeyword) {
  BuiltinWriter writer;
  auto outline = run(writer.outline(brief("  ", "professional", 1000)));
  ASSERT_FALSE(outline);
  EXPECT_FALSE(outline.error().retryable);
  auto article = run(writer.draft(brief("", "professional", 1000), Outline{}));
  ASSERT_FALSE(article);
}

TEST(BuiltinWriter, WordTargetsOutsideTheRangeAreClamped) {
  BuiltinWriter writer;
  WrittenArticle tiny = draft_for(writer, brief("yoga", "friendly", 50));
  EXPECT_GE(analyze(tiny, "yoga").metrics.word_count, 300);
  EXPECT_GT(word_count(tiny.body_markdown), 250);
}

TEST(BuiltinWriter, TargetsBeyondTheBanksGiveLongArticlesWithoutRepeats) {
  BuiltinWriter writer;
  WrittenArticle article = draft_for(writer, brief("dog training", "friendly", 10000));
  EXPECT_GE(analyze(article, "dog training").metrics.word_count, 5500);
  std::vector<std::string> sentences;
  for (const std::string& paragraph : paragraphs_of(article.body_markdown)) {
    std::set<std::string> split = sentences_of(paragraph);
    sentences.insert(sentences.end(), split.begin(), split.end());
  }
  std::set<std::string> unique(sentences.begin(), sentences.end());
  EXPECT_EQ(unique.size(), sentences.size());
}

}  // namespace
}  // namespace seoagents::jobs
