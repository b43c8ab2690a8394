// The table of languages the analysis knows, and the lookup by code.
#include "seo/language.hpp"

#include <array>
#include <cctype>

#include "seo/english.hpp"

namespace seoagents::seo {
namespace {

const Language kEnglish{
    .code = "en",
    .icu_locale = "en",
    .abbreviations = english::abbreviations(),
    .is_function_word = english::is_function_word,
    .same_word_form = english::same_word_form,
    .is_first_word_exception = english::is_first_word_exception,
    .has_transition_word = english::has_transition_word,
    .is_passive = english::is_passive,
    .count_syllables = english::count_syllables,
};

// Any other language: ICU's root segmentation rules and the language-independent assessments.
const Language kNeutral{};

const std::array<const Language*, 1> kLanguages{&kEnglish};

// "en-US", "en_GB" -> "en", lowercased.
std::string primary_subtag(std::string_view code) {
  std::string primary;
  for (char c : code) {
    if (c == '-' || c == '_') break;
    primary += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return primary;
}

}  // namespace

const Language& language_for(std::string_view code) {
  const std::string primary = primary_subtag(code);
  for (const Language* language : kLanguages) {
    if (language->code == primary) return *language;
  }
  return kNeutral;
}

}  // namespace seoagents::seo
