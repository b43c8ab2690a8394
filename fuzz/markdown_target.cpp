// Fuzz target: Markdown -> HTML as previews render it (seo/markdown.hpp, cmark's safe mode) and
// the document model the SEO analysis reads (seo/document.hpp). The rendered HTML must stay
// inert: no script element and no javascript: link, whatever the Markdown.
#include "fuzz/targets.hpp"
#include "seo/document.hpp"
#include "seo/markdown.hpp"

namespace seoagents::fuzz {

int markdown(const std::uint8_t* data, std::size_t size) {
  std::string_view text = as_text(data, size);
  std::string html = seo::render_markdown_html(text);
  if (html.find("<script") != std::string::npos ||
      html.find("href=\"javascript:") != std::string::npos) {
    __builtin_trap();
  }
  (void)seo::parse_markdown(text);
  return 0;
}

}  // namespace seoagents::fuzz
