// Hand-built texts with known word and sentence counts for the seo tests.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cctype>
#include <string>
#include <string_view>

#include "seo/analysis.hpp"

namespace seoagents::seo::testing {

// Words that are not function words, transition words, participles or keyphrase words, so a
// filler text changes no assessment but the ones that count words and sentences.
inline constexpr std::array<std::string_view, 26> kFillerWords{
    "apple",  "banana", "cherry", "mango",  "papaya", "lemon", "melon", "grape", "peach",
    "plum",   "orange", "lime",   "guava",  "fig",    "date",  "olive", "pear",  "quince",
    "raisin", "nutmeg", "almond", "cashew", "walnut", "pecan", "hazel", "cocoa"};

// One sentence of `words` filler words (at least 1), its beginning chosen by `index` so that
// consecutive sentences start differently.
inline std::string filler_sentence(int words, int index) {
  std::string sentence;
  for (int i = 0; i < words; ++i) {
    std::string word(kFillerWords[static_cast<std::size_t>((index * 7 + i) % 26)]);
    if (i == 0) word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
    if (i > 0) sentence += ' ';
    sentence += word;
  }
  return sentence + ".";
}

// Exactly `words` words in sentences of `per_sentence` words (the last one shorter).
inline std::string filler(int words, int per_sentence = 10, int first_index = 0) {
  std::string text;
  for (int index = first_index; words > 0; ++index) {
    const int n = words < per_sentence ? words : per_sentence;
    if (!text.empty()) text += ' ';
    text += filler_sentence(n, index);
    words -= n;
  }
  return text;
}

// Exactly `words` words in sentences of 10, `occurrences` of them (one per sentence, at its
// end) being `keyword`.
inline std::string filler_with(int words, int occurrences, std::string_view keyword) {
  std::string text;
  for (int index = 0; words > 0; ++index) {
    const int n = words < 10 ? words : 10;
    std::string sentence = filler_sentence(n, index);
    if (occurrences > 0) {
      sentence.pop_back();  // the period
      sentence.erase(sentence.rfind(' ') + 1);
      sentence += std::string(keyword) + ".";
      --occurrences;
    }
    if (!text.empty()) text += ' ';
    text += sentence;
    words -= n;
  }
  return text;
}

// The assessment with this id, or a failure and an empty assessment.
inline Assessment find_assessment(const AnalysisReport& report, std::string_view id) {
  for (const Assessment& assessment : report.assessments) {
    if (assessment.id == id) return assessment;
  }
  ADD_FAILURE() << "no assessment " << id;
  return {};
}

inline bool has_assessment(const AnalysisReport& report, std::string_view id) {
  for (const Assessment& assessment : report.assessments) {
    if (assessment.id == id) return true;
  }
  return false;
}

}  // namespace seoagents::seo::testing
