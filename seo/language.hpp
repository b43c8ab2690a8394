// What the analysis knows about one language: its word lists and language-specific checks, as a
// table of functions keyed by language code. A language without some entry skips the assessments
// that need it (only English has transition words, passive voice and Flesch reading ease).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace seoagents::seo {

struct Language {
  // ISO 639-1 code ("en"); empty for the language-neutral fallback.
  std::string_view code;
  // The ICU locale of the word and sentence break iterators ("en", "" for the root locale).
  const char* icu_locale = "";
  // Abbreviations after which a period does not end a sentence ("Dr.", "e.g."), as written.
  std::span<const std::string_view> abbreviations;
  // Words that carry little meaning on their own ("the", "to", "how"): left out of keyphrase
  // matching. Null when the language has no list: every keyphrase word then counts.
  bool (*is_function_word)(std::string_view folded_word) = nullptr;
  // Whether two case-folded words are forms of one word ("shoe" and "shoes"). Null: only equal
  // words match.
  bool (*same_word_form)(std::string_view text_word, std::string_view keyphrase_word) = nullptr;
  // Sentence beginnings that are not counted alone ("the", "this"): the next word joins them.
  bool (*is_first_word_exception)(std::string_view folded_word) = nullptr;
  // Whether a sentence (its case-folded words) contains a transition word or phrase.
  bool (*has_transition_word)(std::span<const std::string> words) = nullptr;
  // Whether a sentence is in the passive voice.
  bool (*is_passive)(std::span<const std::string> words) = nullptr;
  // Syllables in a case-folded word, for Flesch reading ease.
  int (*count_syllables)(std::string_view folded_word) = nullptr;

  // Yoast calls a language fully supported by the readability analysis when it has every
  // readability assessment; its readability rollup is then more lenient.
  bool has_full_readability_support() const {
    return has_transition_word != nullptr && is_passive != nullptr;
  }
};

// The language for an ISO 639-1 code ("en", "en-US", "en_GB"); unknown codes get the
// language-neutral fallback, which segments text with ICU's root rules and has no word lists.
const Language& language_for(std::string_view code);

}  // namespace seoagents::seo
