// The structure the analysis reads from an article body, whatever its format: blocks of text
// (headings, paragraphs, list items), links and images. Code (blocks and inline), raw scripts and
// styles are left out, as Yoast leaves them out of its text analysis.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace seoagents::seo {

enum class BlockKind { heading, paragraph, list_item };

struct Block {
  BlockKind kind = BlockKind::paragraph;
  // 1–6 for headings, 0 otherwise.
  int level = 0;
  // The text with inline markup removed: link text kept, image alt text and code left out,
  // runs of spaces collapsed, a hard line break kept as "\n".
  std::string text;
};

struct Link {
  // The URL as written (not resolved).
  std::string href;
  // The anchor text.
  std::string text;
  // rel="nofollow" (HTML only; Markdown links are always followed).
  bool nofollow = false;
};

struct Image {
  std::string src;
  // Empty when the image has no alt text.
  std::string alt;
};

struct Document {
  // In document order.
  std::vector<Block> blocks;
  std::vector<Link> links;
  std::vector<Image> images;
};

// Collapses runs of spaces and tabs into one space and trims the ends; "\n" (a hard line break)
// is kept, without the spaces around it. Both readers clean their text with it.
std::string normalize_space(std::string_view text);

// CommonMark through cmark. HTML blocks inside the Markdown are read with parse_html; inline HTML
// tags are ignored (the text between them is kept).
Document parse_markdown(std::string_view markdown);

// A tolerant scan of HTML tags: h1–h6, p, li, a href (rel), img src/alt and br are understood;
// other block tags (div, blockquote, td, …) start a new paragraph; script, style, pre, code and
// comments are dropped; the common entities are decoded. Never fails on malformed markup.
Document parse_html(std::string_view html);

}  // namespace seoagents::seo
