// URL slugs from titles and keyphrases.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace seoagents::seo {

// Lowercase ASCII letters, digits and single hyphens, no hyphen at either end, at most
// `max_length` bytes (cut at a hyphen when possible): "Best Running Shoes (2026)!" ->
// "best-running-shoes-2026". Latin letters with accents lose them ("Café Crème" -> "cafe-creme");
// apostrophes are dropped ("Men's Shoes" -> "mens-shoes"); other characters separate words.
// May be empty (nothing sluggable in the text).
std::string slugify(std::string_view text, std::size_t max_length = 80);

}  // namespace seoagents::seo
