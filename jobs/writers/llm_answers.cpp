// Parsing of model answers (see llm_answers.hpp).
#include "jobs/writers/llm_answers.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cctype>
#include <vector>

#include "core/text.hpp"

namespace seoagents::jobs {
namespace {

// Longest title and meta description taken from an answer.
constexpr std::size_t kMaxTitleBytes = 200;
constexpr std::size_t kMaxMetaBytes = 400;
// Fewest words an article body must have to count as one.
constexpr std::size_t kMinBodyWords = 80;
// Most sections an outline may plan.
constexpr std::size_t kMaxOutlineSections = 40;

// The answer without a code fence around all of it (```json … ```, ```markdown … ```).
std::string_view strip_fence(std::string_view answer) {
  answer = trim_whitespace(answer);
  if (!answer.starts_with("```")) return answer;
  std::size_t first_line_end = answer.find('\n');
  if (first_line_end == std::string_view::npos) return answer;
  answer.remove_prefix(first_line_end + 1);
  answer = trim_whitespace(answer);
  if (answer.ends_with("```")) answer.remove_suffix(3);
  return trim_whitespace(answer);
}

// Emphasis and heading marks around a label or a title: "**Title:**", "# Title".
std::string_view strip_marks(std::string_view text) {
  text = trim_whitespace(text);
  while (!text.empty() && (text.front() == '*' || text.front() == '_' || text.front() == '#'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == '*' || text.back() == '_'))
    text.remove_suffix(1);
  text = trim_whitespace(text);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
    text = trim_whitespace(text.substr(1, text.size() - 2));
  return text;
}

bool iequals_prefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

// The value of a "TITLE: …" style line, when the line is one with any of `labels`.
std::optional<std::string_view> labelled_value(std::string_view line,
                                               std::initializer_list<std::string_view> labels) {
  std::string_view text = line;
  while (!text.empty() && (text.front() == '*' || text.front() == '_' || text.front() == ' '))
    text.remove_prefix(1);
  for (std::string_view label : labels) {
    if (!iequals_prefix(text, label)) continue;
    std::string_view rest = text.substr(label.size());
    while (!rest.empty() && (rest.front() == '*' || rest.front() == '_'))
      rest.remove_prefix(1);
    if (rest.empty() || rest.front() != ':') continue;
    return strip_marks(rest.substr(1));
  }
  return std::nullopt;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return lines;
}

std::size_t count_words(std::string_view text) {
  std::size_t words = 0;
  bool in_word = false;
  for (char c : text) {
    bool letter = std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80);
    if (letter && !in_word) ++words;
    in_word = letter;
  }
  return words;
}

std::string single_line(std::string_view text, std::size_t max_bytes) {
  std::string line;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    line.push_back(c);
  }
  if (line.size() > max_bytes) line.resize(max_bytes);
  return line;
}

std::optional<std::string> string_member(const boost::json::object& object, std::string_view name) {
  const boost::json::value* value = object.if_contains(name);
  if (!value || !value->is_string()) return std::nullopt;
  return std::string(value->get_string());
}

Expected<OutlineSection, std::string> read_section(const boost::json::value& value) {
  if (!value.is_object()) return unexpected(std::string("an outline section is not an object"));
  const boost::json::object& object = value.get_object();
  OutlineSection section;
  std::optional<std::string> heading = string_member(object, "heading");
  if (!heading || trim_whitespace(*heading).empty())
    return unexpected(std::string("an outline section has no heading"));
  section.heading = single_line(strip_marks(*heading), kMaxTitleBytes);
  section.summary = string_member(object, "summary").value_or("");
  if (const boost::json::value* subs = object.if_contains("subheadings");
      subs && subs->is_array()) {
    for (const boost::json::value& sub : subs->get_array()) {
      if (sub.is_string() && !trim_whitespace(sub.get_string()).empty())
        section.subheadings.push_back(single_line(strip_marks(sub.get_string()), kMaxTitleBytes));
    }
  }
  return section;
}

}  // namespace

Expected<Outline, std::string> parse_outline_answer(std::string_view answer) {
  std::string_view text = strip_fence(answer);
  std::size_t open = text.find('{');
  std::size_t close = text.rfind('}');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open)
    return unexpected(std::string("the model's outline was not a JSON object"));
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(text.substr(open, close - open + 1), error);
  if (error || !value.is_object())
    return unexpected(std::string("the model's outline was not valid JSON: ") + error.message());
  const boost::json::object& object = value.get_object();
  Outline outline;
  std::optional<std::string> title = string_member(object, "title");
  if (!title || trim_whitespace(*title).empty())
    return unexpected(std::string("the model's outline had no title"));
  outline.title = single_line(strip_marks(*title), kMaxTitleBytes);
  const boost::json::value* sections = object.if_contains("sections");
  if (!sections || !sections->is_array() || sections->get_array().empty())
    return unexpected(std::string("the model's outline had no sections"));
  for (const boost::json::value& item : sections->get_array()) {
    if (outline.sections.size() == kMaxOutlineSections) break;
    Expected<OutlineSection, std::string> section = read_section(item);
    if (!section) return unexpected(section.error());
    outline.sections.push_back(std::move(*section));
  }
  return outline;
}

Expected<WrittenArticle, std::string> parse_article_answer(std::string_view answer) {
  std::vector<std::string_view> lines = split_lines(strip_fence(answer));
  WrittenArticle article;
  std::size_t body_start = 0;
  // The header: TITLE and META lines, up to a `---` line or the first line that is neither.
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = trim_whitespace(lines[i]);
    if (line.empty()) continue;
    if (auto title = labelled_value(line, {"title", "seo title"})) {
      article.title = single_line(*title, kMaxTitleBytes);
    } else if (auto meta = labelled_value(line, {"meta description", "meta"})) {
      article.meta_description = single_line(*meta, kMaxMetaBytes);
    } else if (line == "---") {
      body_start = i + 1;
      break;
    } else {
      body_start = i;
      break;
    }
    body_start = i + 1;
  }
  // A leading H1 repeats the title: it becomes the title if there was none, and is dropped.
  while (body_start < lines.size() && trim_whitespace(lines[body_start]).empty())
    ++body_start;
  if (body_start < lines.size() && lines[body_start].starts_with("# ")) {
    if (article.title.empty())
      article.title = single_line(strip_marks(lines[body_start]), kMaxTitleBytes);
    ++body_start;
  }
  for (std::size_t i = body_start; i < lines.size(); ++i) {
    article.body_markdown.append(lines[i]);
    article.body_markdown.push_back('\n');
  }
  article.body_markdown = std::string(trim_whitespace(article.body_markdown));
  if (!article.body_markdown.empty()) article.body_markdown.push_back('\n');
  if (article.title.empty()) return unexpected(std::string("the model's answer had no TITLE line"));
  if (article.meta_description.empty())
    return unexpected(std::string("the model's answer had no META line"));
  if (count_words(article.body_markdown) < kMinBodyWords)
    return unexpected(std::string("the model's answer had no article body (under ") +
                      std::to_string(kMinBodyWords) + " words)");
  return article;
}

Expected<std::string, std::string> parse_paragraph_answer(std::string_view answer) {
  std::string_view text = strip_fence(answer);
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
    text = trim_whitespace(text.substr(1, text.size() - 2));
  if (count_words(text) < 3)
    return unexpected(std::string("the model's rewritten paragraph was empty"));
  if (text.find("\n#") != std::string_view::npos || text.starts_with("#"))
    return unexpected(std::string("the model answered with headings instead of a paragraph"));
  return std::string(text);
}

}  // namespace seoagents::jobs
