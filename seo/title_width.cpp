// Arial advance widths (in 1/1000 em; Arial shares Helvetica's metrics) summed over a title.
#include "seo/title_width.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <array>
#include <cmath>

namespace seoagents::seo {
namespace {

constexpr double kFontSizePx = 20;
constexpr int kAverageWidth = 556;
constexpr int kEmWidth = 1000;

// Widths of the printable ASCII characters, from ' ' (32) to '~' (126).
constexpr std::array<int, 95> kAsciiWidths{
    278,  278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,  // ' '../
    556,  556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,  // 0..?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,  // @..O
    667,  778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,  // P.._
    333,  556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,  // `..o
    556,  556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584};      // p..~

struct Width {
  UChar32 code_point;
  int width;
};

// Punctuation and letters without an ASCII base that titles often contain.
constexpr std::array<Width, 22> kSpecialWidths{{
    {0x00A0, 278}, {0x00A9, 737},  {0x00AB, 556}, {0x00AE, 737},  {0x00BB, 556},  {0x00C6, 1000},
    {0x00D8, 778}, {0x00DF, 611},  {0x00E6, 889}, {0x00F8, 611},  {0x0152, 1000}, {0x0153, 944},
    {0x2013, 556}, {0x2014, 1000}, {0x2018, 222}, {0x2019, 222},  {0x201C, 333},  {0x201D, 333},
    {0x2022, 350}, {0x2026, 1000}, {0x20AC, 556}, {0x2122, 1000},
}};

int ascii_width(UChar32 c) {
  if (c < 32 || c > 126) return 0;
  return kAsciiWidths[static_cast<std::size_t>(c - 32)];
}

bool is_wide(UChar32 c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
}

// "é" -> width of "e": the first character of the canonical decomposition, when it is ASCII.
int decomposed_width(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  icu::UnicodeString decomposition;
  if (U_FAILURE(status) || !nfd->getDecomposition(c, decomposition)) return kAverageWidth;
  const UChar32 base = decomposition.char32At(0);
  return base < 128 ? ascii_width(base) : kAverageWidth;
}

int character_width(UChar32 c) {
  if (c < 128) return ascii_width(c);
  for (const Width& special : kSpecialWidths) {
    if (special.code_point == c) return special.width;
  }
  if (u_getCombiningClass(c) > 0 || u_charType(c) == U_NON_SPACING_MARK) return 0;
  if (is_wide(c)) return kEmWidth;
  return decomposed_width(c);
}

}  // namespace

std::int64_t title_width_px(std::string_view title) {
  std::int64_t units = 0;
  const auto* bytes = reinterpret_cast<const uint8_t*>(title.data());
  const auto length = static_cast<int32_t>(title.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    units += c < 0 ? kAverageWidth : character_width(c);
  }
  return std::llround(static_cast<double>(units) * kFontSizePx / kEmWidth);
}

}  // namespace seoagents::seo
