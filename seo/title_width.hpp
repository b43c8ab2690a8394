// The width of an SEO title as search results render it, estimated from Arial's character
// widths: Google's desktop results set titles in Arial at 20 px and cut them after about 600 px.
#pragma once

#include <cstdint>
#include <string_view>

namespace seoagents::seo {

// Pixels at 20 px Arial. Letters with accents are as wide as their base letter, CJK ideographs
// and fullwidth forms one em, combining marks nothing, other characters an average letter.
std::int64_t title_width_px(std::string_view title);

}  // namespace seoagents::seo
