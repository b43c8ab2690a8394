// Fuzz target: the SEO analysis' sentence and word segmentation (seo/text.hpp, ICU), with
// English's rules (abbreviations) and with the neutral ones of every other language.
#include "fuzz/targets.hpp"
#include "seo/language.hpp"
#include "seo/text.hpp"

namespace seoagents::fuzz {

int text_segmentation(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the language.
  const seo::Language& language = seo::language_for(data[0] % 2 == 0 ? "en" : "und");
  std::string_view text = as_text(data + 1, size - 1);
  (void)seo::split_sentences(text, language);
  (void)seo::split_words(text, language);
  return 0;
}

}  // namespace seoagents::fuzz
