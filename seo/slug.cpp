// URL slugs: ASCII letters and digits joined by single hyphens, accents removed from Latin
// letters (through ICU's canonical decomposition), everything else a word separator.
#include "seo/slug.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <array>
#include <cstdint>

namespace seoagents::seo {
namespace {

struct Transliteration {
  UChar32 code_point;
  std::string_view ascii;
};

// Latin letters whose decomposition has no ASCII base.
constexpr std::array<Transliteration, 19> kLatinLetters{{
    {0x00C6, "ae"}, {0x00E6, "ae"}, {0x0152, "oe"}, {0x0153, "oe"}, {0x00D8, "o"},
    {0x00F8, "o"},  {0x00DF, "ss"}, {0x0110, "d"},  {0x0111, "d"},  {0x0141, "l"},
    {0x0142, "l"},  {0x00DE, "th"}, {0x00FE, "th"}, {0x00D0, "d"},  {0x00F0, "d"},
    {0x0131, "i"},  {0x0132, "ij"}, {0x0133, "ij"}, {0x1E9E, "ss"},
}};

bool is_apostrophe(UChar32 c) {
  return c == '\'' || c == 0x2019 || c == 0x02BC;
}

bool is_latin(UChar32 c) {
  return (c >= 0x00C0 && c <= 0x024F) || (c >= 0x1E00 && c <= 0x1EFF);
}

char ascii_lower(UChar32 c) {
  return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

bool is_ascii_alnum(UChar32 c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// "é" -> "e": the ASCII letter at the start of the canonical decomposition, if there is one.
std::string decomposed_base(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  icu::UnicodeString decomposition;
  if (U_FAILURE(status) || !nfd->getDecomposition(c, decomposition)) return {};
  const UChar32 base = decomposition.char32At(0);
  return is_ascii_alnum(base) ? std::string(1, ascii_lower(base)) : std::string();
}

// The ASCII spelling of one character in a slug; empty when it separates words.
std::string ascii_for(UChar32 c) {
  if (c < 0x80) return is_ascii_alnum(c) ? std::string(1, ascii_lower(c)) : std::string();
  for (const Transliteration& letter : kLatinLetters) {
    if (letter.code_point == c) return std::string(letter.ascii);
  }
  return is_latin(c) ? decomposed_base(c) : std::string();
}

// Cuts to at most max_length bytes, at the last hyphen when the cut would split a word.
std::string shortened(std::string slug, std::size_t max_length) {
  if (slug.size() <= max_length) return slug;
  const bool cut_between_words = slug[max_length] == '-';
  slug.resize(max_length);
  if (!cut_between_words) {
    const std::size_t hyphen = slug.rfind('-');
    if (hyphen != std::string::npos && hyphen > 0) slug.resize(hyphen);
  }
  while (!slug.empty() && slug.back() == '-')
    slug.pop_back();
  return slug;
}

}  // namespace

std::string slugify(std::string_view text, std::size_t max_length) {
  std::string slug;
  bool separator_pending = false;
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (is_apostrophe(c)) continue;
    const std::string ascii = c < 0 ? std::string() : ascii_for(c);
    if (ascii.empty()) {
      separator_pending = !slug.empty();
      continue;
    }
    if (separator_pending) slug += '-';
    separator_pending = false;
    slug += ascii;
  }
  return shortened(std::move(slug), max_length);
}

}  // namespace seoagents::seo
