// Keyphrase matching, as Yoast does it for languages with function words: matching is per word
// (case-insensitive, whole words, in any order) on the keyphrase's content words, the function
// words ("how", "to", "the") being ignored; word forms match where the language knows them
// ("shoe" matches "shoes"). A keyphrase in double quotes ("\"seo analysis\"") matches only
// exactly, all its words in order, as in Yoast.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace seoagents::seo {

struct Language;

class Keyphrase {
 public:
  Keyphrase() = default;
  Keyphrase(std::string_view text, const Language& language);

  bool empty() const { return words_.empty(); }
  // Every word, case-folded, in order.
  const std::vector<std::string>& words() const { return words_; }
  // The words that carry meaning: function words left out, unless the keyphrase has nothing else.
  const std::vector<std::string>& content_words() const { return content_words_; }
  // Written in double quotes: only the exact phrase matches.
  bool exact_only() const { return exact_only_; }

  // Where the exact phrase (every word, in order, same forms) starts in `words`.
  std::optional<std::size_t> find_exact(std::span<const std::string> words) const;
  // How many times the keyphrase occurs in one sentence: the fewest occurrences of any content
  // word (Yoast counts each time all content words occur as a match); exact phrases for a
  // quoted keyphrase.
  int count_in_sentence(std::span<const std::string> words) const;
  // The share (0–1) of content words that occur in `words`; 0 or 1 for a quoted keyphrase.
  double share_found_in(std::span<const std::string> words) const;
  bool all_found_in(std::span<const std::string> words) const {
    return !empty() && share_found_in(words) == 1.0;
  }
  // Whether a word of the text is a form of one of the content words.
  bool is_content_word(std::string_view word) const;

 private:
  bool same_word(std::string_view text_word, std::string_view keyphrase_word) const;

  const Language* language_ = nullptr;
  std::vector<std::string> words_;
  std::vector<std::string> content_words_;
  bool exact_only_ = false;
};

}  // namespace seoagents::seo
