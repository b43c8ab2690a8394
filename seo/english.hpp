// English language data for the analysis: function words, transition words, sentence-beginning
// exceptions, abbreviations, a passive-voice detector, word forms and syllable counting. Every
// function takes case-folded words (see fold_case in seo/text.hpp).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace seoagents::seo::english {

// Abbreviations after which a period does not end a sentence.
std::span<const std::string_view> abbreviations();

// Articles, pronouns, prepositions, conjunctions, auxiliaries, quantifiers, cardinal and ordinal
// numerals and a few very common adverbs: words a keyphrase match may ignore.
bool is_function_word(std::string_view word);

// Singular and plural ("shoe"/"shoes", "box"/"boxes", "city"/"cities") and the possessive
// ("shoe's", "shoes'") are forms of one word.
bool same_word_form(std::string_view text_word, std::string_view keyphrase_word);

// Articles, numerals one to ten and demonstratives: "The cat ..." and "The dog ..." do not start
// with the same word.
bool is_first_word_exception(std::string_view word);

// A single transition word ("however"), a phrase ("as a result") or both parts of a two-part one
// ("not only ... but also").
bool has_transition_word(std::span<const std::string> words);

// A form of "be" or "get" followed, possibly after adverbs ("is often used"), by a past
// participle: a regular one ending in -ed (minus adjectives and nouns such as "red" or "need")
// or an irregular one ("written", "made"). An approximation of Yoast's English rules.
bool is_passive(std::span<const std::string> words);

// Vowel groups, minus a silent final -e and a final -ed or -es that adds no syllable; at least 1.
int count_syllables(std::string_view word);

}  // namespace seoagents::seo::english
