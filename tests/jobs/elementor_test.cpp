// The Elementor layout of an article (jobs/wordpress/elementor): valid JSON that parses back to
// the document, one container per part of the article (introduction, then each ## section),
// heading and text-editor widgets with Elementor's keys, the sections' HTML from the /preview
// renderer, and element ids of 7 hex digits, unique, the same for the same article and
// different for another. Checked on a hand-written article with the awkward cases (a heading
// inside a code block, a setext heading, markup in headings) and on a builtin writer's article.
#include "jobs/wordpress/elementor.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "jobs/writers/builtin_writer.hpp"

namespace seoagents::wordpress {
namespace {

namespace json = boost::json;
namespace asio = boost::asio;

constexpr std::string_view kArticle =
    "An introduction with **bold** words.\n"
    "\n"
    "## First Section\n"
    "\n"
    "The first paragraph.\n"
    "\n"
    "### A Subsection\n"
    "\n"
    "The second paragraph, with a [link](https://example.com/).\n"
    "\n"
    "```\n"
    "## not a heading: inside a code block\n"
    "```\n"
    "\n"
    "## Second `code` Section & <3 Caveats <b>bold</b>\n"
    "\n"
    "- one\n"
    "- two\n"
    "\n"
    "Setext Section\n"
    "--------------\n"
    "\n"
    "The last words.\n";

const std::regex kElementId("^[0-9a-f]{7}$");

const json::object& object_at(const json::array& array, std::size_t i) {
  return array.at(i).as_object();
}

std::string text(const json::object& object, std::string_view key) {
  return std::string(object.at(key).as_string());
}

// Every element of the document, containers and widgets, depth first.
void collect(const json::array& elements, std::vector<json::object>& out) {
  for (const json::value& element : elements) {
    out.push_back(element.as_object());
    collect(element.as_object().at("elements").as_array(), out);
  }
}

std::vector<json::object> all_elements(const json::array& document) {
  std::vector<json::object> out;
  collect(document, out);
  return out;
}

// Elementor's keys on a container, and its widgets' types in order.
std::vector<std::string> widget_types(const json::object& container) {
  EXPECT_EQ(text(container, "elType"), "container");
  EXPECT_TRUE(container.at("settings").as_object().empty());
  EXPECT_FALSE(container.at("isInner").as_bool());
  std::vector<std::string> types;
  for (const json::value& widget : container.at("elements").as_array()) {
    const json::object& object = widget.as_object();
    EXPECT_EQ(text(object, "elType"), "widget");
    EXPECT_TRUE(object.at("elements").as_array().empty());
    types.push_back(text(object, "widgetType"));
  }
  return types;
}

const json::object& settings_of(const json::object& container, std::size_t widget) {
  return object_at(container.at("elements").as_array(), widget).at("settings").as_object();
}

TEST(ElementorDocument, IsValidJsonThatParsesBackToTheDocument) {
  std::string data = elementor_data(kArticle, "articles/agent-1/a.md");
  json::value parsed = json::parse(data);
  ASSERT_TRUE(parsed.is_array());
  EXPECT_EQ(parsed.as_array(), elementor_document(kArticle, "articles/agent-1/a.md"));
}

TEST(ElementorDocument, OneContainerForTheIntroductionAndEachSection) {
  json::array document = elementor_document(kArticle, "seed");
  ASSERT_EQ(document.size(), 4u) << json::serialize(document);
  EXPECT_EQ(widget_types(object_at(document, 0)), (std::vector<std::string>{"text-editor"}));
  for (std::size_t i = 1; i < 4; ++i) {
    EXPECT_EQ(widget_types(object_at(document, i)),
              (std::vector<std::string>{"heading", "text-editor"}));
  }
}

// Inline markup is left out of a heading (the text of code spans and tags kept), and what is
// left is HTML-escaped: Elementor prints the title as HTML.
TEST(ElementorDocument, HeadingWidgetsCarryTheSectionTitlesEscaped) {
  json::array document = elementor_document(kArticle, "seed");
  ASSERT_EQ(document.size(), 4u);
  const json::object& first = settings_of(object_at(document, 1), 0);
  EXPECT_EQ(text(first, "title"), "First Section");
  EXPECT_EQ(text(first, "header_size"), "h2");
  EXPECT_EQ(text(settings_of(object_at(document, 2), 0), "title"),
            "Second code Section &amp; &lt;3 Caveats bold");
  EXPECT_EQ(text(settings_of(object_at(document, 3), 0), "title"), "Setext Section");
}

TEST(ElementorDocument, TextEditorWidgetsHoldEachPartsHtml) {
  json::array document = elementor_document(kArticle, "seed");
  ASSERT_EQ(document.size(), 4u);
  std::string intro = text(settings_of(object_at(document, 0), 0), "editor");
  EXPECT_EQ(intro, "<p>An introduction with <strong>bold</strong> words.</p>\n");
  std::string first = text(settings_of(object_at(document, 1), 1), "editor");
  EXPECT_NE(first.find("<h3>A Subsection</h3>"), std::string::npos) << first;
  EXPECT_NE(first.find("<a href=\"https://example.com/\">link</a>"), std::string::npos) << first;
  // The heading inside the code block stayed code, in the first section.
  EXPECT_NE(first.find("<pre><code>## not a heading: inside a code block"), std::string::npos)
      << first;
  EXPECT_EQ(first.find("First Section"), std::string::npos) << "the heading is its own widget";
  EXPECT_EQ(text(settings_of(object_at(document, 2), 1), "editor"),
            "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n");
  EXPECT_EQ(text(settings_of(object_at(document, 3), 1), "editor"), "<p>The last words.</p>\n");
}

TEST(ElementorDocument, ElementIdsAreSevenHexDigitsUniqueAndStable) {
  json::array document = elementor_document(kArticle, "articles/agent-1/a.md");
  std::set<std::string> ids;
  std::vector<json::object> elements = all_elements(document);
  ASSERT_EQ(elements.size(), 11u);  // 4 containers, 7 widgets
  for (const json::object& element : elements) {
    std::string id = text(element, "id");
    EXPECT_TRUE(std::regex_match(id, kElementId)) << id;
    EXPECT_TRUE(ids.insert(id).second) << "duplicate id " << id;
  }
  EXPECT_EQ(elementor_document(kArticle, "articles/agent-1/a.md"), document);
  json::array other = elementor_document(kArticle, "articles/agent-1/b.md");
  EXPECT_NE(text(object_at(other, 0), "id"), text(object_at(document, 0), "id"));
}

TEST(ElementorDocument, EdgeCases) {
  EXPECT_TRUE(elementor_document("", "seed").empty());
  EXPECT_TRUE(elementor_document("\n\n  \n", "seed").empty());
  json::array only_text = elementor_document("Just a paragraph.", "seed");
  ASSERT_EQ(only_text.size(), 1u);
  EXPECT_EQ(widget_types(object_at(only_text, 0)), (std::vector<std::string>{"text-editor"}));
  // A heading with nothing under it is a heading alone; an H1 is a section too, sized h1.
  json::array headings = elementor_document("# Top\n## Empty\n", "seed");
  ASSERT_EQ(headings.size(), 2u);
  EXPECT_EQ(widget_types(object_at(headings, 1)), (std::vector<std::string>{"heading"}));
  EXPECT_EQ(text(settings_of(object_at(headings, 0), 0), "header_size"), "h1");
  // Raw HTML in the Markdown comes out inert, as in /preview.
  json::array raw = elementor_document("<script>alert(1)</script>\n", "seed");
  ASSERT_EQ(raw.size(), 1u);
  EXPECT_EQ(text(settings_of(object_at(raw, 0), 0), "editor").find("<script"), std::string::npos);
}

// Runs a writer coroutine to its end (use_future needs a default-constructible value).
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

TEST(ElementorDocument, BuiltinWritersArticleHasAContainerPerSection) {
  jobs::BuiltinWriter writer;
  jobs::ArticleBrief brief;
  brief.keyword = "trade show booth cost";
  brief.tone = "professional";
  brief.word_target = 1200;
  brief.agent_name = "Agent";
  auto outline = run(writer.outline(brief));
  ASSERT_TRUE(outline);
  auto article = run(writer.draft(brief, *outline));
  ASSERT_TRUE(article);
  const std::string& body = article->body_markdown;
  std::vector<std::string> section_titles;
  for (std::size_t at = body.find("## "); at != std::string::npos; at = body.find("## ", at + 1)) {
    if (at > 0 && body[at - 1] != '\n') continue;
    section_titles.push_back(body.substr(at + 3, body.find('\n', at) - at - 3));
  }
  ASSERT_GE(section_titles.size(), 3u);
  json::array document = elementor_document(body, "articles/agent-1/trade-show-booth-cost.md");
  ASSERT_EQ(document.size(), section_titles.size() + 1);  // the introduction first
  for (std::size_t i = 0; i < section_titles.size(); ++i) {
    const json::object& heading = settings_of(object_at(document, i + 1), 0);
    EXPECT_EQ(text(heading, "title"), section_titles[i]);
  }
  std::set<std::string> ids;
  for (const json::object& element : all_elements(document))
    EXPECT_TRUE(ids.insert(text(element, "id")).second);
}

}  // namespace
}  // namespace seoagents::wordpress
