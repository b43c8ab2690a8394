// The stored article file: front matter written and read back whatever the values hold, the
// malformed files refused, and the version keys.
#include "jobs/article_file.hpp"

#include <gtest/gtest.h>

namespace seoagents::jobs {
namespace {

ArticleFile sample() {
  ArticleFile file;
  file.title = "Trade Show Booth Cost: \"What\" to Budget — 2026";
  file.meta_description = "Line one\nline two: with a colon, a \\ backslash and ünïcödé.";
  file.slug = "trade-show-booth-cost";
  file.keyword = "trade show booth cost";
  file.writer = "builtin";
  file.model = "builtin-1";
  file.body_markdown = "Intro paragraph.\n\n## Section\n\n---\n\nAfter a rule.\n";
  return file;
}

TEST(ArticleFile, RoundTripsEveryField) {
  ArticleFile file = sample();
  std::string text = render_article_file(file);
  EXPECT_TRUE(text.starts_with("---\ntitle: \"Trade Show Booth Cost: \\\"What\\\""));
  std::optional<ArticleFile> read = parse_article_file(text);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->title, file.title);
  EXPECT_EQ(read->meta_description, file.meta_description);
  EXPECT_EQ(read->slug, file.slug);
  EXPECT_EQ(read->keyword, file.keyword);
  EXPECT_EQ(read->writer, file.writer);
  EXPECT_EQ(read->model, file.model);
  // A `---` line in the body is the body's, not the end of the front matter.
  EXPECT_EQ(read->body_markdown, file.body_markdown);
}

TEST(ArticleFile, BodyGetsAFinalNewline) {
  ArticleFile file = sample();
  file.body_markdown = "No newline at the end";
  std::optional<ArticleFile> read = parse_article_file(render_article_file(file));
  ASSERT_TRUE(read);
  EXPECT_EQ(read->body_markdown, "No newline at the end\n");
}

TEST(ArticleFile, UnknownKeysAreIgnored) {
  std::optional<ArticleFile> read =
      parse_article_file("---\ntitle: \"T\"\nfuture_key: \"x\"\n---\nBody\n");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->title, "T");
  EXPECT_EQ(read->body_markdown, "Body\n");
}

TEST(ArticleFile, MalformedFilesAreRefused) {
  EXPECT_FALSE(parse_article_file(""));
  EXPECT_FALSE(parse_article_file("Just markdown\n"));
  EXPECT_FALSE(parse_article_file("---\ntitle: \"never closed\"\n"));
  EXPECT_FALSE(parse_article_file("---\ntitle: not json\n---\nBody\n"));
  EXPECT_FALSE(parse_article_file("---\ntitle: 42\n---\nBody\n"));
  EXPECT_FALSE(parse_article_file("---\nno colon here\n---\nBody\n"));
}

TEST(ArticleFile, Keys) {
  EXPECT_EQ(article_key("agent-a1b2c3d4", "trade-show-booth-cost"),
            "articles/agent-a1b2c3d4/trade-show-booth-cost.md");
  EXPECT_EQ(article_versions_prefix("articles/agent-a1b2c3d4/booth.md"),
            "articles/agent-a1b2c3d4/versions/booth/");
  EXPECT_EQ(article_version_key("articles/agent-a1b2c3d4/booth.md", 3),
            "articles/agent-a1b2c3d4/versions/booth/v3.md");
}

}  // namespace
}  // namespace seoagents::jobs
