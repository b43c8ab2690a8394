// A tolerant HTML tag scanner that builds the Document the analysis reads. It does not build a
// DOM: it reads tags left to right, starts a new block at every block-level tag and never fails,
// whatever the markup (unclosed tags, stray "<", unquoted attributes).
#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

#include "seo/document.hpp"

namespace seoagents::seo {
namespace {

struct Tag {
  // Lowercase; empty when the markup was not a tag.
  std::string name;
  bool closing = false;
  std::vector<std::pair<std::string, std::string>> attributes;

  std::optional<std::string_view> attribute(std::string_view key) const {
    for (const auto& [name, value] : attributes) {
      if (name == key) return std::string_view(value);
    }
    return std::nullopt;
  }
};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

std::string lowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

void append_utf8(std::string& out, std::uint32_t code_point) {
  // NUL, surrogates and values past Unicode become U+FFFD, as HTML parsers do.
  if (code_point == 0 || (code_point >= 0xD800 && code_point <= 0xDFFF) || code_point > 0x10FFFF) {
    code_point = 0xFFFD;
  }
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

struct NamedEntity {
  std::string_view name;
  std::uint32_t code_point;
};

// The named entities articles commonly use; others are kept as written.
constexpr std::array<NamedEntity, 40> kNamedEntities{{
    {"amp", '&'},       {"lt", '<'},        {"gt", '>'},        {"quot", '"'},
    {"apos", '\''},     {"nbsp", ' '},      {"ndash", 0x2013},  {"mdash", 0x2014},
    {"hellip", 0x2026}, {"lsquo", 0x2018},  {"rsquo", 0x2019},  {"ldquo", 0x201C},
    {"rdquo", 0x201D},  {"laquo", 0x00AB},  {"raquo", 0x00BB},  {"middot", 0x00B7},
    {"bull", 0x2022},   {"copy", 0x00A9},   {"reg", 0x00AE},    {"trade", 0x2122},
    {"euro", 0x20AC},   {"pound", 0x00A3},  {"deg", 0x00B0},    {"times", 0x00D7},
    {"aacute", 0x00E1}, {"agrave", 0x00E0}, {"acirc", 0x00E2},  {"auml", 0x00E4},
    {"eacute", 0x00E9}, {"egrave", 0x00E8}, {"ecirc", 0x00EA},  {"iacute", 0x00ED},
    {"oacute", 0x00F3}, {"ouml", 0x00F6},   {"uacute", 0x00FA}, {"uuml", 0x00FC},
    {"ntilde", 0x00F1}, {"ccedil", 0x00E7}, {"szlig", 0x00DF},  {"shy", 0x00AD},
}};

int digit_value(char c, bool hex) {
  const auto u = static_cast<unsigned char>(c);
  if (std::isdigit(u)) return c - '0';
  if (hex && std::isxdigit(u)) return std::tolower(u) - 'a' + 10;
  return -1;
}

std::optional<std::uint32_t> numeric_entity(std::string_view body) {
  const bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
  const std::string_view digits = body.substr(hex ? 2 : 1);
  if (digits.empty() || digits.size() > 8) return std::nullopt;
  std::uint32_t value = 0;
  for (char c : digits) {
    const int digit = digit_value(c, hex);
    if (digit < 0) return std::nullopt;
    value = value * (hex ? 16 : 10) + static_cast<std::uint32_t>(digit);
  }
  return value;
}

// The code point of an entity body ("amp", "#39", "#x2019"), if it is one we know.
std::optional<std::uint32_t> entity_value(std::string_view body) {
  if (body.empty()) return std::nullopt;
  if (body[0] == '#') return numeric_entity(body);
  for (const NamedEntity& entity : kNamedEntities) {
    if (entity.name == body) return entity.code_point;
  }
  return std::nullopt;
}

// Entities decoded; unknown or unterminated ones are kept as written.
std::string decode_entities(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::size_t semicolon = text[i] == '&' ? text.find(';', i) : std::string_view::npos;
    const bool short_enough = semicolon != std::string_view::npos && semicolon - i <= 10;
    const auto value =
        short_enough ? entity_value(text.substr(i + 1, semicolon - i - 1)) : std::nullopt;
    if (!value) {
      decoded += text[i];
      continue;
    }
    append_utf8(decoded, *value);
    i = semicolon;
  }
  return decoded;
}

// Tags whose content is never text: skipped up to their closing tag.
bool skips_content(std::string_view name) {
  static constexpr std::array<std::string_view, 8> kSkipped{"script",   "style",    "pre", "code",
                                                            "textarea", "template", "svg", "head"};
  return std::find(kSkipped.begin(), kSkipped.end(), name) != kSkipped.end();
}

// Tags that end the current block and start another.
bool is_block_tag(std::string_view name) {
  static constexpr std::array<std::string_view, 30> kBlocks{
      "p",          "li", "div",    "section", "article", "blockquote", "ul",    "ol",
      "dl",         "dt", "dd",     "table",   "thead",   "tbody",      "tfoot", "tr",
      "td",         "th", "header", "footer",  "main",    "nav",        "aside", "figure",
      "figcaption", "hr", "form",   "address", "details", "summary"};
  return std::find(kBlocks.begin(), kBlocks.end(), name) != kBlocks.end();
}

// 1–6 for h1–h6, 0 otherwise.
int heading_level(std::string_view name) {
  if (name.size() != 2 || name[0] != 'h' || name[1] < '1' || name[1] > '6') return 0;
  return name[1] - '0';
}

bool has_token(std::string_view list, std::string_view token) {
  const std::string lower = lowercase(list);
  std::size_t start = 0;
  while (start < lower.size()) {
    while (start < lower.size() && is_space(lower[start]))
      ++start;
    std::size_t end = start;
    while (end < lower.size() && !is_space(lower[end]))
      ++end;
    if (std::string_view(lower).substr(start, end - start) == token) return true;
    start = end;
  }
  return false;
}

class HtmlReader {
 public:
  explicit HtmlReader(std::string_view html) : html_(html) {}

  Document read() {
    while (pos_ < html_.size()) {
      const std::size_t open = html_.find('<', pos_);
      append_text(html_.substr(pos_, open == std::string_view::npos ? open : open - pos_));
      if (open == std::string_view::npos) break;
      pos_ = open;
      read_markup();
    }
    close_block();
    while (!links_.empty())
      close_link();
    return std::move(document_);
  }

 private:
  void read_markup() {
    const std::string_view rest = html_.substr(pos_);
    if (rest.starts_with("<!--")) return skip_past("-->", pos_ + 4);
    if (rest.starts_with("<!") || rest.starts_with("<?")) return skip_past(">", pos_ + 2);
    const bool looks_like_tag =
        rest.size() > 1 && (std::isalpha(static_cast<unsigned char>(rest[1])) || rest[1] == '/');
    if (!looks_like_tag) {
      append_text("<");
      ++pos_;
      return;
    }
    handle(read_tag());
  }

  void skip_past(std::string_view terminator, std::size_t from) {
    const std::size_t end = html_.find(terminator, from);
    pos_ = end == std::string_view::npos ? html_.size() : end + terminator.size();
  }

  // Reads "<name attr=value …>" or "</name>" from pos_ and moves past it.
  Tag read_tag() {
    Tag tag;
    std::size_t i = pos_ + 1;
    if (i < html_.size() && html_[i] == '/') {
      tag.closing = true;
      ++i;
    }
    const std::size_t name_start = i;
    while (i < html_.size() && std::isalnum(static_cast<unsigned char>(html_[i])))
      ++i;
    tag.name = lowercase(html_.substr(name_start, i - name_start));
    i = read_attributes(i, tag);
    pos_ = i < html_.size() ? i + 1 : html_.size();
    return tag;
  }

  // Reads attributes up to the closing '>' and returns its position (or the end).
  std::size_t read_attributes(std::size_t i, Tag& tag) {
    while (i < html_.size() && html_[i] != '>') {
      if (is_space(html_[i]) || html_[i] == '/') {
        ++i;
        continue;
      }
      const std::size_t key_start = i;
      while (i < html_.size() && !is_space(html_[i]) && html_[i] != '=' && html_[i] != '>' &&
             html_[i] != '/') {
        ++i;
      }
      std::string key = lowercase(html_.substr(key_start, i - key_start));
      while (i < html_.size() && is_space(html_[i]))
        ++i;
      std::string value;
      if (i < html_.size() && html_[i] == '=') i = read_value(i + 1, value);
      tag.attributes.emplace_back(std::move(key), decode_entities(value));
    }
    return i;
  }

  std::size_t read_value(std::size_t i, std::string& value) {
    while (i < html_.size() && is_space(html_[i]))
      ++i;
    if (i < html_.size() && (html_[i] == '"' || html_[i] == '\'')) {
      const char quote = html_[i];
      const std::size_t end = html_.find(quote, i + 1);
      const std::size_t stop = end == std::string_view::npos ? html_.size() : end;
      value = html_.substr(i + 1, stop - i - 1);
      return stop == html_.size() ? stop : stop + 1;
    }
    const std::size_t start = i;
    while (i < html_.size() && !is_space(html_[i]) && html_[i] != '>')
      ++i;
    value = html_.substr(start, i - start);
    return i;
  }

  void handle(const Tag& tag) {
    if (tag.closing) return handle_closing(tag);
    if (skips_content(tag.name)) return skip_element(tag.name);
    if (const int level = heading_level(tag.name); level > 0)
      return open_block(BlockKind::heading, level);
    if (tag.name == "li") return open_block(BlockKind::list_item, 0);
    if (is_block_tag(tag.name)) return open_block(BlockKind::paragraph, 0);
    if (tag.name == "br") return append_raw("\n");
    if (tag.name == "a") return open_link(tag);
    if (tag.name == "img") return add_image(tag);
  }

  void handle_closing(const Tag& tag) {
    if (heading_level(tag.name) > 0 || is_block_tag(tag.name))
      return open_block(BlockKind::paragraph, 0);
    if (tag.name == "a") close_link();
  }

  // Skips to the end of "</name>", matched without regard to case.
  void skip_element(std::string_view name) {
    const std::string closing = "</" + std::string(name);
    const auto match = std::search(html_.begin() + static_cast<std::ptrdiff_t>(pos_), html_.end(),
                                   closing.begin(), closing.end(), [](char a, char b) {
                                     return std::tolower(static_cast<unsigned char>(a)) == b;
                                   });
    if (match == html_.end()) {
      pos_ = html_.size();
      return;
    }
    skip_past(">", static_cast<std::size_t>(match - html_.begin()) + closing.size());
  }

  void open_block(BlockKind kind, int level) {
    close_block();
    kind_ = kind;
    level_ = level;
  }

  void close_block() {
    std::string text = normalize_space(text_);
    text_.clear();
    if (!text.empty()) document_.blocks.push_back(Block{kind_, level_, std::move(text)});
    kind_ = BlockKind::paragraph;
    level_ = 0;
  }

  // Running text: entities decoded, every whitespace character one space (only <br> breaks lines).
  void append_text(std::string_view raw) {
    if (raw.empty()) return;
    std::string text = decode_entities(raw);
    std::replace_if(text.begin(), text.end(), is_space, ' ');
    append_raw(text);
  }

  void append_raw(std::string_view text) {
    text_ += text;
    for (Link& link : links_)
      link.text += text;
  }

  void open_link(const Tag& tag) {
    const auto rel = tag.attribute("rel");
    links_.push_back({std::string(tag.attribute("href").value_or("")),
                      {},
                      rel.has_value() && has_token(*rel, "nofollow")});
  }

  void close_link() {
    if (links_.empty()) return;
    Link link = std::move(links_.back());
    links_.pop_back();
    link.text = normalize_space(link.text);
    document_.links.push_back(std::move(link));
  }

  void add_image(const Tag& tag) {
    document_.images.push_back({std::string(tag.attribute("src").value_or("")),
                                normalize_space(tag.attribute("alt").value_or(""))});
  }

  std::string_view html_;
  std::size_t pos_ = 0;
  Document document_;
  BlockKind kind_ = BlockKind::paragraph;
  int level_ = 0;
  std::string text_;
  std::vector<Link> links_;
};

}  // namespace

Document parse_html(std::string_view html) {
  return HtmlReader(html).read();
}

}  // namespace seoagents::seo
