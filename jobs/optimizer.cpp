// The deterministic fixes of `optimize` (see optimizer.hpp). The body is handled line by line:
// Markdown headings, paragraphs and images are line-shaped, and lines inside code fences are
// never touched.
#include "jobs/optimizer.hpp"

#include <algorithm>
#include <cctype>

#include "core/text.hpp"
#include "seo/slug.hpp"

namespace seoagents::jobs {
namespace {

// The assessment ids (seo/analysis) each fix answers.
constexpr std::string_view kTitleKeyphrase = "keyphrase_in_title";
constexpr std::string_view kTitleWidth = "title_width";
constexpr std::string_view kMetaLength = "meta_description_length";
constexpr std::string_view kMetaKeyphrase = "keyphrase_in_meta_description";
constexpr std::string_view kSubheadingKeyphrase = "keyphrase_in_subheadings";
constexpr std::string_view kSlugKeyphrase = "keyphrase_in_slug";
constexpr std::string_view kInternalLinks = "internal_links";
constexpr std::string_view kOutboundLinks = "outbound_links";
constexpr std::string_view kImageAlt = "image_keyphrase";
constexpr std::string_view kSingleH1 = "single_h1";

// Titles longer than this are cut (about 600 px in search results).
constexpr std::size_t kMaxTitleChars = 60;
// Yoast's meta description range.
constexpr std::size_t kMinMetaChars = 121;
constexpr std::size_t kMaxMetaChars = 156;

// Leading and trailing separators left when a keyphrase is cut out of a title.
std::string_view trim_separators(std::string_view text) {
  auto separator = [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) || c == ':' || c == '-' || c == '|' ||
           c == ',';
  };
  while (!text.empty() && separator(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && separator(text.back()))
    text.remove_suffix(1);
  return text;
}

// `text` cut to at most `max` bytes at a space (never mid-word, never mid-UTF-8 character).
std::string cut_at_word(std::string_view text, std::size_t max) {
  if (text.size() <= max) return std::string(text);
  std::size_t cut = text.rfind(' ', max);
  if (cut == std::string_view::npos || cut == 0) {
    cut = max;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
      --cut;
  }
  return std::string(trim_separators(text.substr(0, cut)));
}

// A line that opens or closes a fenced code block.
bool is_fence(std::string_view line) {
  std::string_view text = trim_whitespace(line);
  return text.starts_with("```") || text.starts_with("~~~");
}

struct Line {
  std::string text;
  bool in_code = false;
};

std::vector<Line> split_lines(std::string_view body) {
  std::vector<Line> lines;
  bool in_code = false;
  while (!body.empty()) {
    std::size_t end = body.find('\n');
    std::string_view text = body.substr(0, end);
    bool fence = is_fence(text);
    lines.push_back({std::string(text), in_code || fence});
    if (fence) in_code = !in_code;
    if (end == std::string_view::npos) break;
    body.remove_prefix(end + 1);
  }
  return lines;
}

std::string join_lines(const std::vector<Line>& lines) {
  std::string body;
  for (const Line& line : lines)
    body.append(line.text).push_back('\n');
  return body;
}

// The heading level of a line ("## x" → 2), 0 when it is not an ATX heading.
int heading_level(std::string_view line) {
  int level = 0;
  while (level < static_cast<int>(line.size()) && line[level] == '#')
    ++level;
  if (level == 0 || level > 6 || level >= static_cast<int>(line.size()) || line[level] != ' ')
    return 0;
  return level;
}

bool is_closing_section(std::string_view heading) {
  std::string text = ascii_lowercase(heading);
  return text.find("faq") != std::string::npos ||
         text.find("frequently asked") != std::string::npos ||
         text.find("conclusion") != std::string::npos;
}

bool is_prose_line(std::string_view line) {
  std::string_view text = trim_whitespace(line);
  if (text.empty()) return false;
  if (heading_level(text) > 0) return false;
  char first = text.front();
  if (first == '-' || first == '*' || first == '+' || first == '>' || first == '|' ||
      first == '!' || first == '<')
    return false;
  if (std::isdigit(static_cast<unsigned char>(first))) {
    std::size_t i = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
      ++i;
    if (i < text.size() && (text[i] == '.' || text[i] == ')')) return false;
  }
  return true;
}

// Every paragraph of prose: runs of prose lines outside code.
std::vector<ParagraphSpan> prose_paragraphs(std::string_view body) {
  std::vector<ParagraphSpan> spans;
  std::size_t offset = 0;
  bool in_code = false;
  std::optional<ParagraphSpan> open;
  while (offset <= body.size()) {
    std::size_t end = body.find('\n', offset);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(offset, end - offset);
    bool fence = is_fence(line);
    bool prose = !in_code && !fence && is_prose_line(line);
    if (fence) in_code = !in_code;
    if (prose) {
      if (!open) open = ParagraphSpan{offset, end};
      open->end = end;
    } else if (open) {
      spans.push_back(*open);
      open.reset();
    }
    if (end == body.size()) break;
    offset = end + 1;
  }
  if (open) spans.push_back(*open);
  return spans;
}

std::string percent_encoded(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

bool fix_title(ArticleFile& file, const std::set<std::string>& failing,
               std::vector<OptimizationChange>& changes) {
  bool keyphrase = failing.contains(std::string(kTitleKeyphrase));
  bool width = failing.contains(std::string(kTitleWidth));
  if (!keyphrase && !width) return false;
  std::string title = file.title;
  if (keyphrase && !ascii_lowercase(title).starts_with(ascii_lowercase(file.keyword))) {
    std::string rest = title;
    std::size_t at = ascii_lowercase(rest).find(ascii_lowercase(file.keyword));
    if (at != std::string::npos) rest.erase(at, file.keyword.size());
    std::string_view kept = trim_separators(rest);
    title =
        capitalised(file.keyword) + ": " + std::string(kept.empty() ? "A Complete Guide" : kept);
  }
  if (title.size() > kMaxTitleChars) title = cut_at_word(title, kMaxTitleChars);
  if (title == file.title) return false;
  changes.push_back({std::string(keyphrase ? kTitleKeyphrase : kTitleWidth),
                     "Title changed from \"" + file.title + "\" to \"" + title + "\""});
  file.title = std::move(title);
  return true;
}

// The first sentence of the introduction, as plain text (links and emphasis marks removed).
std::string introduction_sentence(std::string_view body) {
  std::optional<ParagraphSpan> intro = introduction_paragraph(body);
  if (!intro) return {};
  std::string plain;
  for (char c : body.substr(intro->begin, intro->end - intro->begin)) {
    if (c == '*' || c == '_' || c == '[' || c == '`') continue;
    if (c == '\n') c = ' ';
    plain.push_back(c);
  }
  // Links: "text](url)" → "text".
  for (std::size_t open = plain.find("]("); open != std::string::npos; open = plain.find("](")) {
    std::size_t close = plain.find(')', open);
    plain.erase(open, close == std::string::npos ? std::string::npos : close - open + 1);
  }
  std::size_t stop = plain.find(". ");
  return std::string(
      trim_whitespace(plain.substr(0, stop == std::string::npos ? plain.size() : stop + 1)));
}

std::string meta_description_for(const ArticleFile& file) {
  std::string meta = capitalised(file.keyword) + ": ";
  std::string sentence = introduction_sentence(file.body_markdown);
  if (contains_keyword(sentence, file.keyword)) meta = "";
  meta += sentence;
  static constexpr std::string_view kClosers[] = {
      " Learn what matters most and how to get it right.",
      " Practical steps, common mistakes and expert answers inside.", " Read the complete guide."};
  for (std::string_view closer : kClosers) {
    if (meta.size() >= kMinMetaChars) break;
    meta += closer;
  }
  if (meta.size() > kMaxMetaChars) {
    meta = cut_at_word(meta, kMaxMetaChars - 1);
    meta.push_back('.');
  }
  return meta;
}

bool fix_meta_description(ArticleFile& file, const std::set<std::string>& failing,
                          std::vector<OptimizationChange>& changes) {
  bool length = failing.contains(std::string(kMetaLength));
  bool keyphrase = failing.contains(std::string(kMetaKeyphrase));
  if (!length && !keyphrase) return false;
  std::string meta = meta_description_for(file);
  if (meta == file.meta_description) return false;
  file.meta_description = meta;
  changes.push_back({std::string(keyphrase ? kMetaKeyphrase : kMetaLength),
                     "Meta description rewritten (" + std::to_string(meta.size()) +
                         " characters, with the keyphrase)"});
  return true;
}

void fix_subheadings(ArticleFile& file, const std::set<std::string>& failing,
                     std::vector<OptimizationChange>& changes) {
  if (!failing.contains(std::string(kSubheadingKeyphrase))) return;
  std::vector<Line> lines = split_lines(file.body_markdown);
  std::size_t total = 0, with_keyphrase = 0;
  for (const Line& line : lines) {
    int level = line.in_code ? 0 : heading_level(line.text);
    if (level != 2 && level != 3) continue;
    ++total;
    if (contains_keyword(line.text, file.keyword)) ++with_keyphrase;
  }
  // Aim for half of the subheadings: inside Yoast's 30–75% with room on both sides.
  std::size_t wanted = (total + 1) / 2;
  std::size_t changed = 0;
  for (int pass_level : {2, 3}) {
    for (Line& line : lines) {
      if (with_keyphrase >= wanted) break;
      if (line.in_code || heading_level(line.text) != pass_level) continue;
      std::string_view heading =
          trim_whitespace(std::string_view(line.text).substr(pass_level + 1));
      if (contains_keyword(heading, file.keyword) || is_closing_section(heading)) continue;
      line.text = std::string(pass_level, '#') + " " + capitalised(file.keyword) + ": " +
                  std::string(heading);
      ++with_keyphrase;
      ++changed;
    }
  }
  if (changed == 0) return;
  file.body_markdown = join_lines(lines);
  changes.push_back({std::string(kSubheadingKeyphrase),
                     "Keyphrase added to " + std::to_string(changed) + " subheading" +
                         (changed == 1 ? "" : "s") + " (now " + std::to_string(with_keyphrase) +
                         " of " + std::to_string(total) + ")"});
}

void fix_slug(ArticleFile& file, const std::set<std::string>& failing,
              std::vector<OptimizationChange>& changes) {
  if (!failing.contains(std::string(kSlugKeyphrase))) return;
  std::string slug = seo::slugify(file.keyword);
  if (slug.empty() || slug == file.slug) return;
  changes.push_back(
      {std::string(kSlugKeyphrase), "Slug changed from \"" + file.slug + "\" to \"" + slug + "\""});
  file.slug = std::move(slug);
}

// Inserts `section` (Markdown ending in a blank line) before the conclusion, or at the end.
void insert_before_conclusion(ArticleFile& file, const std::string& section) {
  std::vector<Line> lines = split_lines(file.body_markdown);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].in_code || heading_level(lines[i].text) != 2) continue;
    if (ascii_lowercase(lines[i].text).find("conclusion") == std::string::npos) continue;
    std::string before = join_lines(std::vector<Line>(lines.begin(), lines.begin() + i));
    std::string after = join_lines(std::vector<Line>(lines.begin() + i, lines.end()));
    file.body_markdown = before + section + after;
    return;
  }
  std::string body(trim_whitespace(file.body_markdown));
  file.body_markdown = body + "\n\n" + section;
}

void fix_internal_links(ArticleFile& file, const std::set<std::string>& failing,
                        const std::vector<RelatedArticle>& related,
                        std::vector<OptimizationChange>& changes) {
  if (!failing.contains(std::string(kInternalLinks)) || related.empty()) return;
  std::string section = "## Related Reading\n\n";
  for (const RelatedArticle& article : related) {
    std::string title = article.title;
    std::replace(title.begin(), title.end(), ']', ')');
    section += "- [" + title + "](" + article.url + ")\n";
  }
  section += "\n";
  insert_before_conclusion(file, section);
  changes.push_back(
      {std::string(kInternalLinks),
       "Added links to " + std::to_string(related.size()) + " of the agent's other articles"});
}

void fix_outbound_links(ArticleFile& file, const std::set<std::string>& failing,
                        std::vector<OptimizationChange>& changes) {
  if (!failing.contains(std::string(kOutboundLinks))) return;
  std::string body(trim_whitespace(file.body_markdown));
  body += "\n\nFor more background, see [" + file.keyword +
          " on Wikipedia](https://en.wikipedia.org/wiki/Special:Search?search=" +
          percent_encoded(file.keyword) + ").\n";
  file.body_markdown = body;
  changes.push_back({std::string(kOutboundLinks), "Added a link to an outside reference"});
}

void fix_image_alt_text(ArticleFile& file, const std::set<std::string>& failing,
                        std::vector<OptimizationChange>& changes) {
  if (!failing.contains(std::string(kImageAlt))) return;
  std::vector<Line> lines = split_lines(file.body_markdown);
  std::size_t fixed = 0;
  for (Line& line : lines) {
    if (line.in_code) continue;
    for (std::size_t at = line.text.find("![]("); at != std::string::npos;
         at = line.text.find("![](", at)) {
      line.text.insert(at + 2, file.keyword);
      ++fixed;
    }
  }
  if (fixed == 0) return;
  file.body_markdown = join_lines(lines);
  changes.push_back({std::string(kImageAlt), "Alt text with the keyphrase given to " +
                                                 std::to_string(fixed) + " image" +
                                                 (fixed == 1 ? "" : "s")});
}

void fix_extra_h1(ArticleFile& file, const std::set<std::string>& failing,
                  std::vector<OptimizationChange>& changes) {
  if (!failing.contains(std::string(kSingleH1))) return;
  std::vector<Line> lines = split_lines(file.body_markdown);
  std::size_t demoted = 0;
  for (Line& line : lines) {
    if (line.in_code || heading_level(line.text) != 1) continue;
    line.text = "#" + line.text;
    ++demoted;
  }
  if (demoted == 0) return;
  file.body_markdown = join_lines(lines);
  changes.push_back(
      {std::string(kSingleH1), std::to_string(demoted) + " H1 heading" + (demoted == 1 ? "" : "s") +
                                   " in the body made H2 (the title is the page's H1)"});
}

}  // namespace

std::string capitalised(std::string_view keyword) {
  std::string text(keyword);
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  return text;
}

bool contains_keyword(std::string_view text, std::string_view keyword) {
  if (keyword.empty()) return false;
  return ascii_lowercase(text).find(ascii_lowercase(keyword)) != std::string::npos;
}

std::vector<OptimizationChange> apply_structural_fixes(ArticleFile& file,
                                                       const std::set<std::string>& failing,
                                                       const std::vector<RelatedArticle>& related) {
  std::vector<OptimizationChange> changes;
  fix_extra_h1(file, failing, changes);
  fix_title(file, failing, changes);
  fix_subheadings(file, failing, changes);
  fix_slug(file, failing, changes);
  fix_image_alt_text(file, failing, changes);
  fix_internal_links(file, failing, related, changes);
  fix_outbound_links(file, failing, changes);
  // Last: the meta description is built from the introduction as it now reads.
  fix_meta_description(file, failing, changes);
  return changes;
}

std::optional<ParagraphSpan> introduction_paragraph(std::string_view body) {
  std::vector<ParagraphSpan> spans = prose_paragraphs(body);
  if (spans.empty()) return std::nullopt;
  return spans.front();
}

std::vector<ParagraphSpan> paragraphs_without_keyword(std::string_view body,
                                                      std::string_view keyword, std::size_t limit) {
  std::vector<ParagraphSpan> spans = prose_paragraphs(body);
  std::vector<ParagraphSpan> found;
  for (std::size_t i = 1; i < spans.size() && found.size() < limit; ++i) {
    std::string_view text = body.substr(spans[i].begin, spans[i].end - spans[i].begin);
    if (!contains_keyword(text, keyword)) found.push_back(spans[i]);
  }
  return found;
}

}  // namespace seoagents::jobs
