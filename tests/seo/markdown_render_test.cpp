// render_markdown_html: CommonMark to HTML with raw HTML and dangerous URLs made inert.
#include <gtest/gtest.h>

#include "seo/markdown.hpp"

namespace seoagents::seo {
namespace {

TEST(RenderMarkdownHtml, RendersCommonMark) {
  EXPECT_EQ(render_markdown_html("# Title\n\nSome **bold** and *em*.\n\n- a\n- b\n"),
            "<h1>Title</h1>\n<p>Some <strong>bold</strong> and <em>em</em>.</p>\n"
            "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n");
  EXPECT_EQ(render_markdown_html(""), "");
}

TEST(RenderMarkdownHtml, SmartPunctuationIsOff) {
  EXPECT_EQ(render_markdown_html("\"quoted\" -- it's"), "<p>&quot;quoted&quot; -- it's</p>\n");
}

TEST(RenderMarkdownHtml, RawHtmlBlocksAreOmitted) {
  const std::string html = render_markdown_html("<script>alert(1)</script>\n\ntext");
  EXPECT_EQ(html, "<!-- raw HTML omitted -->\n<p>text</p>\n");
}

TEST(RenderMarkdownHtml, InlineHtmlIsOmitted) {
  const std::string html = render_markdown_html(
      "a <img src=x onerror=alert(1)> b <iframe src=\"https://evil\"></iframe>");
  EXPECT_EQ(html,
            "<p>a <!-- raw HTML omitted --> b <!-- raw HTML omitted --><!-- raw HTML omitted "
            "--></p>\n");
  EXPECT_EQ(html.find("onerror"), std::string::npos);
}

TEST(RenderMarkdownHtml, DangerousLinkUrlsAreEmptied) {
  EXPECT_EQ(render_markdown_html("[x](javascript:alert(1))"), "<p><a href=\"\">x</a></p>\n");
  EXPECT_EQ(render_markdown_html("[x](JavaScript:alert(1))"), "<p><a href=\"\">x</a></p>\n");
  EXPECT_EQ(render_markdown_html("[x](vbscript:msgbox)"), "<p><a href=\"\">x</a></p>\n");
  EXPECT_EQ(render_markdown_html("[x](file:///etc/passwd)"), "<p><a href=\"\">x</a></p>\n");
  EXPECT_EQ(render_markdown_html("[x](data:text/html;base64,PHNjcmlwdD4=)"),
            "<p><a href=\"\">x</a></p>\n");
  EXPECT_EQ(render_markdown_html("<javascript:alert(1)>"),
            "<p><a href=\"\">javascript:alert(1)</a></p>\n");
}

TEST(RenderMarkdownHtml, ImageDataUrlsAreKeptOnlyForImages) {
  EXPECT_EQ(render_markdown_html("![x](data:image/png;base64,AAAA)"),
            "<p><img src=\"data:image/png;base64,AAAA\" alt=\"x\" /></p>\n");
  EXPECT_EQ(render_markdown_html("![x](javascript:alert(1))"),
            "<p><img src=\"\" alt=\"x\" /></p>\n");
}

TEST(RenderMarkdownHtml, AttributesAreEscaped) {
  EXPECT_EQ(render_markdown_html("[x](https://e.com/?a=1&b=\"2\" \"t\\\"itle\")"),
            "<p><a href=\"https://e.com/?a=1&amp;b=%222%22\" title=\"t&quot;itle\">x</a></p>\n");
  EXPECT_EQ(render_markdown_html("![a\" onerror=\"x](p.png)"),
            "<p><img src=\"p.png\" alt=\"a&quot; onerror=&quot;x\" /></p>\n");
}

TEST(RenderMarkdownHtml, InvalidUtf8IsReplaced) {
  EXPECT_EQ(render_markdown_html("a\xff"
                                 "b"),
            "<p>a\xEF\xBF\xBD"
            "b</p>\n");
}

}  // namespace
}  // namespace seoagents::seo
