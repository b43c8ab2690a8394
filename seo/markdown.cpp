// Markdown through cmark: safe HTML rendering for previews, and the walk of cmark's tree that
// builds the Document the analysis reads.
#include "seo/markdown.hpp"

#include <cmark.h>

#include <algorithm>
#include <iterator>
#include <memory>
#include <optional>

#include "seo/document.hpp"

namespace seoagents::seo {
namespace {

// cmark's safe mode is its default (CMARK_OPT_UNSAFE unset): raw HTML becomes a comment and
// javascript:, vbscript:, file: and non-image data: URLs become empty. Invalid UTF-8 is replaced
// rather than passed through; smart punctuation stays off so the text is what was written.
constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;

struct NodeDeleter {
  void operator()(cmark_node* node) const { cmark_node_free(node); }
};
struct IteratorDeleter {
  void operator()(cmark_iter* iter) const { cmark_iter_free(iter); }
};

std::string_view literal_of(cmark_node* node) {
  const char* literal = cmark_node_get_literal(node);
  return literal == nullptr ? std::string_view{} : std::string_view(literal);
}

std::string_view url_of(cmark_node* node) {
  const char* url = cmark_node_get_url(node);
  return url == nullptr ? std::string_view{} : std::string_view(url);
}

// Walks cmark's events and fills a Document. Inline content belongs to the innermost open block
// (paragraph or heading), to every open link, and to the alt text of an open image.
class MarkdownReader {
 public:
  Document read(cmark_node* root) {
    std::unique_ptr<cmark_iter, IteratorDeleter> iter(cmark_iter_new(root));
    for (cmark_event_type event = cmark_iter_next(iter.get()); event != CMARK_EVENT_DONE;
         event = cmark_iter_next(iter.get())) {
      cmark_node* node = cmark_iter_get_node(iter.get());
      if (event == CMARK_EVENT_ENTER) {
        enter(node);
      } else if (event == CMARK_EVENT_EXIT) {
        exit(node);
      }
    }
    return std::move(document_);
  }

 private:
  void enter(cmark_node* node) {
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_PARAGRAPH:
        open_block(paragraph_kind(node), 0);
        break;
      case CMARK_NODE_HEADING:
        open_block(BlockKind::heading, cmark_node_get_heading_level(node));
        break;
      case CMARK_NODE_TEXT:
        append(literal_of(node));
        break;
      case CMARK_NODE_SOFTBREAK:
        append(" ");
        break;
      case CMARK_NODE_LINEBREAK:
        append("\n");
        break;
      case CMARK_NODE_LINK:
        links_.push_back({std::string(url_of(node)), {}, false});
        break;
      case CMARK_NODE_IMAGE:
        images_.push_back({std::string(url_of(node)), {}});
        break;
      case CMARK_NODE_HTML_BLOCK:
        read_html_block(literal_of(node));
        break;
      // Code, inline HTML and everything else add no text.
      default:
        break;
    }
  }

  void exit(cmark_node* node) {
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_PARAGRAPH:
      case CMARK_NODE_HEADING:
        close_block();
        break;
      case CMARK_NODE_LINK:
        close_link();
        break;
      case CMARK_NODE_IMAGE:
        close_image();
        break;
      default:
        break;
    }
  }

  static BlockKind paragraph_kind(cmark_node* paragraph) {
    cmark_node* parent = cmark_node_parent(paragraph);
    return parent != nullptr && cmark_node_get_type(parent) == CMARK_NODE_ITEM
               ? BlockKind::list_item
               : BlockKind::paragraph;
  }

  void open_block(BlockKind kind, int level) { block_ = Block{kind, level, {}}; }

  void close_block() {
    if (!block_) return;
    block_->text = normalize_space(block_->text);
    if (!block_->text.empty()) document_.blocks.push_back(std::move(*block_));
    block_.reset();
  }

  void append(std::string_view text) {
    if (!images_.empty()) {
      images_.back().alt += text;
      return;
    }
    if (block_) block_->text += text;
    for (Link& link : links_)
      link.text += text;
  }

  void close_link() {
    if (links_.empty()) return;
    Link link = std::move(links_.back());
    links_.pop_back();
    link.text = normalize_space(link.text);
    document_.links.push_back(std::move(link));
  }

  void close_image() {
    if (images_.empty()) return;
    Image image = std::move(images_.back());
    images_.pop_back();
    image.alt = normalize_space(image.alt);
    document_.images.push_back(std::move(image));
  }

  void read_html_block(std::string_view html) {
    Document part = parse_html(html);
    std::move(part.blocks.begin(), part.blocks.end(), std::back_inserter(document_.blocks));
    std::move(part.links.begin(), part.links.end(), std::back_inserter(document_.links));
    std::move(part.images.begin(), part.images.end(), std::back_inserter(document_.images));
  }

  Document document_;
  std::optional<Block> block_;
  std::vector<Link> links_;
  std::vector<Image> images_;
};

}  // namespace

std::string render_markdown_html(std::string_view markdown) {
  char* html = cmark_markdown_to_html(markdown.data(), markdown.size(), kOptions);
  if (html == nullptr) return {};
  std::string rendered(html);
  cmark_get_default_mem_allocator()->free(html);
  return rendered;
}

Document parse_markdown(std::string_view markdown) {
  std::unique_ptr<cmark_node, NodeDeleter> root(
      cmark_parse_document(markdown.data(), markdown.size(), kOptions));
  if (!root) return {};
  return MarkdownReader().read(root.get());
}

}  // namespace seoagents::seo
