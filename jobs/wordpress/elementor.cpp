// Builds the Elementor layout of an article (see elementor.hpp). cmark finds the section
// headings (and their source lines, so that a heading inside a code block is never one); the
// text between them is rendered with seo::render_markdown_html, the /preview renderer.
#include "jobs/wordpress/elementor.hpp"

#include <cmark.h>

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <memory>
#include <set>
#include <vector>

#include "core/crypto.hpp"
#include "core/text.hpp"
#include "seo/markdown.hpp"

namespace seoagents::wordpress {
namespace {

namespace json = boost::json;

// Headings at this level or above start a section (the articles use ## for sections).
constexpr int kSectionLevel = 2;

// A section heading found by cmark: its lines (1-based, inclusive) and its text.
struct SectionHeading {
  int first_line = 0;
  int last_line = 0;
  int level = 2;
  std::string text;
};

// The text of a heading, inline markup left out (code spans keep their text).
std::string heading_text(cmark_node* heading) {
  std::string text;
  std::unique_ptr<cmark_iter, decltype(&cmark_iter_free)> iter(cmark_iter_new(heading),
                                                               cmark_iter_free);
  for (cmark_event_type event = cmark_iter_next(iter.get()); event != CMARK_EVENT_DONE;
       event = cmark_iter_next(iter.get())) {
    if (event != CMARK_EVENT_ENTER) continue;
    cmark_node* node = cmark_iter_get_node(iter.get());
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
        text.append(cmark_node_get_literal(node));
        break;
      case CMARK_NODE_SOFTBREAK:
      case CMARK_NODE_LINEBREAK:
        text.push_back(' ');
        break;
      default:
        break;
    }
  }
  return std::string(trim_whitespace(text));
}

std::vector<SectionHeading> section_headings(std::string_view markdown) {
  std::vector<SectionHeading> headings;
  std::unique_ptr<cmark_node, decltype(&cmark_node_free)> document(
      cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT), cmark_node_free);
  for (cmark_node* node = cmark_node_first_child(document.get()); node != nullptr;
       node = cmark_node_next(node)) {
    if (cmark_node_get_type(node) != CMARK_NODE_HEADING) continue;
    int level = cmark_node_get_heading_level(node);
    if (level > kSectionLevel) continue;
    headings.push_back({cmark_node_get_start_line(node), cmark_node_get_end_line(node), level,
                        heading_text(node)});
  }
  return headings;
}

// The byte offset where each line starts; one more entry: the end of the text.
std::vector<std::size_t> line_starts(std::string_view text) {
  std::vector<std::size_t> starts{0};
  for (std::size_t at = text.find('\n'); at != std::string_view::npos; at = text.find('\n', at + 1))
    starts.push_back(at + 1);
  if (starts.back() != text.size()) starts.push_back(text.size());
  return starts;
}

// Lines [first, last] (1-based, inclusive; empty when first > last) of the text.
std::string_view lines(std::string_view text, const std::vector<std::size_t>& starts, int first,
                       int last) {
  int count = static_cast<int>(starts.size()) - 1;
  first = std::max(first, 1);
  last = std::min(last, count);
  if (first > last) return {};
  return text.substr(starts[first - 1], starts[last] - starts[first - 1]);
}

std::string html_escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out.append("&amp;");
        break;
      case '<':
        out.append("&lt;");
        break;
      case '>':
        out.append("&gt;");
        break;
      case '"':
        out.append("&quot;");
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// Element ids: 7 hex digits of SHA-256(seed#n), skipping any already given.
class ElementIds {
 public:
  explicit ElementIds(std::string_view seed) : seed_(seed) {}

  std::string next() {
    for (;;) {
      std::string id = sha256_hex(seed_ + "#" + std::to_string(counter_++)).substr(0, 7);
      if (given_.insert(id).second) return id;
    }
  }

 private:
  std::string seed_;
  std::size_t counter_ = 0;
  std::set<std::string> given_;
};

json::object widget(ElementIds& ids, std::string_view type, json::object settings) {
  json::object element;
  element["id"] = ids.next();
  element["elType"] = "widget";
  element["widgetType"] = type;
  element["isInner"] = false;
  element["settings"] = std::move(settings);
  element["elements"] = json::array();
  return element;
}

json::object heading_widget(ElementIds& ids, const SectionHeading& heading) {
  json::object settings;
  settings["title"] = html_escaped(heading.text);
  settings["header_size"] = "h" + std::to_string(heading.level);
  return widget(ids, "heading", std::move(settings));
}

json::object text_widget(ElementIds& ids, std::string_view markdown) {
  json::object settings;
  settings["editor"] = seo::render_markdown_html(markdown);
  return widget(ids, "text-editor", std::move(settings));
}

json::object container(ElementIds& ids, json::array elements) {
  json::object element;
  element["id"] = ids.next();
  element["elType"] = "container";
  element["isInner"] = false;
  element["settings"] = json::object();
  element["elements"] = std::move(elements);
  return element;
}

bool blank(std::string_view text) {
  return trim_whitespace(text).empty();
}

}  // namespace

json::array elementor_document(std::string_view markdown, std::string_view id_seed) {
  ElementIds ids(id_seed);
  std::vector<SectionHeading> headings = section_headings(markdown);
  std::vector<std::size_t> starts = line_starts(markdown);
  int line_count = static_cast<int>(starts.size()) - 1;
  json::array document;
  int intro_end = headings.empty() ? line_count : headings.front().first_line - 1;
  if (std::string_view intro = lines(markdown, starts, 1, intro_end); !blank(intro)) {
    json::array elements;
    elements.emplace_back(text_widget(ids, intro));
    document.emplace_back(container(ids, std::move(elements)));
  }
  for (std::size_t i = 0; i < headings.size(); ++i) {
    int body_end = i + 1 < headings.size() ? headings[i + 1].first_line - 1 : line_count;
    std::string_view body = lines(markdown, starts, headings[i].last_line + 1, body_end);
    json::array elements;
    elements.emplace_back(heading_widget(ids, headings[i]));
    if (!blank(body)) elements.emplace_back(text_widget(ids, body));
    document.emplace_back(container(ids, std::move(elements)));
  }
  return document;
}

std::string elementor_data(std::string_view markdown, std::string_view id_seed) {
  return json::serialize(elementor_document(markdown, id_seed));
}

}  // namespace seoagents::wordpress
