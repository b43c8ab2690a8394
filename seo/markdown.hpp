// Markdown (CommonMark, through the cmark library): rendering to HTML for previews and parsing
// into the structure the analysis reads.
#pragma once

#include <string>
#include <string_view>

namespace seoagents::seo {

// CommonMark to an HTML fragment. Raw HTML in the Markdown is never passed through (it is
// replaced by a comment) and links or images with javascript:, vbscript:, file: or data:
// (other than images) URLs get an empty URL: what comes out is inert whatever went in.
std::string render_markdown_html(std::string_view markdown);

}  // namespace seoagents::seo
