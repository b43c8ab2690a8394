// Text segmentation: a block of text into sentences and words, with ICU's break iterators and the
// language's abbreviations. Decimal numbers ("3.5"), abbreviations ("e.g.", "U.S."), URLs and
// hyphenated compounds ("well-known") stay whole; each URL counts as one word.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace seoagents::seo {

struct Language;

// One sentence as its words, case-folded (see fold_case).
struct Sentence {
  std::vector<std::string> words;
};

// The sentences of a block of text (a paragraph, a heading, a list item). A line break always
// ends a sentence; sentences without words (a lone "...") are dropped.
std::vector<Sentence> split_sentences(std::string_view text, const Language& language);

// The words of a short text (a title, a keyphrase, an alt text), case-folded, as one run.
std::vector<std::string> split_words(std::string_view text, const Language& language);

// Unicode case folding ("Straße" -> "strasse", "Café" -> "café"), with the typographic
// apostrophe (U+2019) written as "'" so "don’t" and "don't" are one word.
std::string fold_case(std::string_view word);

// Characters (Unicode code points) in UTF-8 text; invalid bytes count one each.
std::size_t count_characters(std::string_view text);

}  // namespace seoagents::seo
