// Markdown (cmark) and HTML (tag scanner) into the structure the analysis reads.
#include "seo/document.hpp"

#include <gtest/gtest.h>

namespace seoagents::seo {
namespace {

struct Expected {
  BlockKind kind;
  int level;
  std::string text;
};

void expect_blocks(const Document& document, const std::vector<Expected>& expected) {
  ASSERT_EQ(document.blocks.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(document.blocks[i].kind, expected[i].kind) << "block " << i;
    EXPECT_EQ(document.blocks[i].level, expected[i].level) << "block " << i;
    EXPECT_EQ(document.blocks[i].text, expected[i].text) << "block " << i;
  }
}

TEST(ParseMarkdown, HeadingsParagraphsAndListItems) {
  const Document document = parse_markdown(
      "# Title\n\nFirst *para*\nwraps here.\n\n## Section\n\n- one\n- two **bold**\n\n"
      "1. first\n\n   second paragraph of the item\n\n> quoted text\n\n### Deeper\n");
  expect_blocks(document, {{BlockKind::heading, 1, "Title"},
                           {BlockKind::paragraph, 0, "First para wraps here."},
                           {BlockKind::heading, 2, "Section"},
                           {BlockKind::list_item, 0, "one"},
                           {BlockKind::list_item, 0, "two bold"},
                           {BlockKind::list_item, 0, "first"},
                           {BlockKind::list_item, 0, "second paragraph of the item"},
                           {BlockKind::paragraph, 0, "quoted text"},
                           {BlockKind::heading, 3, "Deeper"}});
}

TEST(ParseMarkdown, CodeIsLeftOut) {
  const Document document =
      parse_markdown("Run `npm install` first.\n\n```sh\nrm -rf /\n```\n\n    indented code\n");
  expect_blocks(document, {{BlockKind::paragraph, 0, "Run first."}});
}

TEST(ParseMarkdown, HardLineBreakIsKept) {
  const Document document = parse_markdown("one  \ntwo\\\nthree");
  expect_blocks(document, {{BlockKind::paragraph, 0, "one\ntwo\nthree"}});
}

TEST(ParseMarkdown, LinksAndImages) {
  const Document document = parse_markdown(
      "See [the *guide*](https://example.com/guide \"Title\") and ![A red shoe](shoe.png).\n\n"
      "[![logo alt](logo.png)](/home)\n");
  expect_blocks(document, {{BlockKind::paragraph, 0, "See the guide and ."}});
  ASSERT_EQ(document.links.size(), 2u);
  EXPECT_EQ(document.links[0].href, "https://example.com/guide");
  EXPECT_EQ(document.links[0].text, "the guide");
  EXPECT_FALSE(document.links[0].nofollow);
  EXPECT_EQ(document.links[1].href, "/home");
  EXPECT_EQ(document.links[1].text, "");
  ASSERT_EQ(document.images.size(), 2u);
  EXPECT_EQ(document.images[0].src, "shoe.png");
  EXPECT_EQ(document.images[0].alt, "A red shoe");
  EXPECT_EQ(document.images[1].alt, "logo alt");
}

TEST(ParseMarkdown, HtmlBlocksAreRead) {
  const Document document =
      parse_markdown("Intro.\n\n<div>\n<h2>Inside</h2><img src=\"x.png\" alt=\"X\">\n</div>\n");
  expect_blocks(document, {{BlockKind::paragraph, 0, "Intro."}, {BlockKind::heading, 2, "Inside"}});
  ASSERT_EQ(document.images.size(), 1u);
  EXPECT_EQ(document.images[0].alt, "X");
}

TEST(ParseHtml, BlocksLinksAndImages) {
  const Document document = parse_html(
      "<H1>Title</H1>\n<p>Read <a href='https://x.com/a?b=1&amp;c=2' rel=\"Nofollow noopener\">our "
      "<em>guide</em></a> now.</p><ul><li>one</li><li>two<br>lines</li></ul>"
      "<img src=a.png alt=\"Tom &amp; Jerry\"><img src=\"b.png\"><h6>Small</h6>Loose text");
  expect_blocks(document, {{BlockKind::heading, 1, "Title"},
                           {BlockKind::paragraph, 0, "Read our guide now."},
                           {BlockKind::list_item, 0, "one"},
                           {BlockKind::list_item, 0, "two\nlines"},
                           {BlockKind::heading, 6, "Small"},
                           {BlockKind::paragraph, 0, "Loose text"}});
  ASSERT_EQ(document.links.size(), 1u);
  EXPECT_EQ(document.links[0].href, "https://x.com/a?b=1&c=2");
  EXPECT_EQ(document.links[0].text, "our guide");
  EXPECT_TRUE(document.links[0].nofollow);
  ASSERT_EQ(document.images.size(), 2u);
  EXPECT_EQ(document.images[0].src, "a.png");
  EXPECT_EQ(document.images[0].alt, "Tom & Jerry");
  EXPECT_EQ(document.images[1].alt, "");
}

TEST(ParseHtml, ScriptsStylesCodeAndCommentsAreDropped) {
  const Document document = parse_html(
      "<p>A<script>var x = '<p>not text</p>';</script>B<style>p{}</style>C</p>"
      "<!-- <p>hidden</p> --><pre><code>code</code></pre><p>D <code>x</code> E</p>"
      "<SCRIPT type=x>alert(1)</SCRIPT>");
  expect_blocks(document, {{BlockKind::paragraph, 0, "ABC"}, {BlockKind::paragraph, 0, "D E"}});
}

TEST(ParseHtml, DecodesEntities) {
  const Document document = parse_html(
      "<p>&lt;b&gt; &quot;q&quot; &#39;s &#x2019; caf&eacute;&nbsp;bar &unknown; &amp</p>");
  expect_blocks(document,
                {{BlockKind::paragraph, 0, "<b> \"q\" 's \u2019 café bar &unknown; &amp"}});
}

TEST(ParseHtml, ToleratesMalformedMarkup) {
  const Document document =
      parse_html("<p>a < b and c<d <a href=x>open link <p>next <img src= <h2>x");
  // As in a browser, "<d <a href=x>" is a tag named "d", so no link opens.
  ASSERT_EQ(document.blocks.size(), 2u);
  EXPECT_EQ(document.blocks[0].text, "a < b and copen link");
  // "<img src= <h2>" is an image whose src is "<h2"; the "x" after it stays in the paragraph.
  EXPECT_EQ(document.blocks[1].text, "next x");
  EXPECT_TRUE(document.links.empty());
  ASSERT_EQ(document.images.size(), 1u);
  EXPECT_EQ(document.images[0].src, "<h2");
  EXPECT_EQ(parse_html("").blocks.size(), 0u);
  EXPECT_EQ(parse_html("<").blocks.size(), 1u);
  EXPECT_EQ(parse_html("<p").blocks.size(), 0u);
  EXPECT_EQ(parse_html("<!--").blocks.size(), 0u);
  EXPECT_EQ(parse_html("<script>").blocks.size(), 0u);
}

TEST(NormalizeSpace, CollapsesSpacesAndKeepsLineBreaks) {
  EXPECT_EQ(normalize_space("  a \t b  \n  c  \n\n d "), "a b\nc\nd");
  EXPECT_EQ(normalize_space("   "), "");
}

}  // namespace
}  // namespace seoagents::seo
