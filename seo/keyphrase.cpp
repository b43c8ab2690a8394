// Keyphrase matching: content words, word forms, exact phrases.
#include "seo/keyphrase.hpp"

#include <algorithm>
#include <limits>

#include "seo/language.hpp"
#include "seo/text.hpp"

namespace seoagents::seo {
namespace {

// "\"seo analysis\"" (straight or typographic quotes) -> "seo analysis".
std::optional<std::string_view> unquoted(std::string_view text) {
  while (!text.empty() && text.front() == ' ')
    text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ')
    text.remove_suffix(1);
  for (const auto& [open, close] :
       {std::pair<std::string_view, std::string_view>{"\"", "\""}, {"\u201C", "\u201D"}}) {
    if (text.size() > open.size() + close.size() && text.starts_with(open) &&
        text.ends_with(close)) {
      return text.substr(open.size(), text.size() - open.size() - close.size());
    }
  }
  return std::nullopt;
}

}  // namespace

Keyphrase::Keyphrase(std::string_view text, const Language& language) : language_(&language) {
  const auto quoted = unquoted(text);
  exact_only_ = quoted.has_value();
  words_ = split_words(quoted.value_or(text), language);
  if (!exact_only_ && language.is_function_word != nullptr) {
    std::copy_if(words_.begin(), words_.end(), std::back_inserter(content_words_),
                 [&](const std::string& word) { return !language.is_function_word(word); });
  }
  // A keyphrase of function words only ("how to") keeps all of them.
  if (content_words_.empty()) content_words_ = words_;
}

bool Keyphrase::same_word(std::string_view text_word, std::string_view keyphrase_word) const {
  if (text_word == keyphrase_word) return true;
  return !exact_only_ && language_ != nullptr && language_->same_word_form != nullptr &&
         language_->same_word_form(text_word, keyphrase_word);
}

std::optional<std::size_t> Keyphrase::find_exact(std::span<const std::string> words) const {
  if (words_.empty() || words.size() < words_.size()) return std::nullopt;
  for (std::size_t start = 0; start + words_.size() <= words.size(); ++start) {
    if (std::equal(words_.begin(), words_.end(),
                   words.begin() + static_cast<std::ptrdiff_t>(start))) {
      return start;
    }
  }
  return std::nullopt;
}

int Keyphrase::count_in_sentence(std::span<const std::string> words) const {
  if (empty()) return 0;
  if (exact_only_) {
    int count = 0;
    for (std::size_t start = 0; start < words.size();) {
      const auto found = find_exact(words.subspan(start));
      if (!found) break;
      ++count;
      start += *found + words_.size();
    }
    return count;
  }
  int fewest = std::numeric_limits<int>::max();
  for (const std::string& content_word : content_words_) {
    const auto occurrences = std::count_if(words.begin(), words.end(), [&](const std::string& w) {
      return same_word(w, content_word);
    });
    fewest = std::min(fewest, static_cast<int>(occurrences));
  }
  return fewest;
}

double Keyphrase::share_found_in(std::span<const std::string> words) const {
  if (empty()) return 0;
  if (exact_only_) return find_exact(words) ? 1.0 : 0.0;
  const auto found = std::count_if(
      content_words_.begin(), content_words_.end(), [&](const std::string& content_word) {
        return std::any_of(words.begin(), words.end(),
                           [&](const std::string& w) { return same_word(w, content_word); });
      });
  return static_cast<double>(found) / static_cast<double>(content_words_.size());
}

bool Keyphrase::is_content_word(std::string_view word) const {
  return std::any_of(
      content_words_.begin(), content_words_.end(),
      [&](const std::string& content_word) { return same_word(word, content_word); });
}

}  // namespace seoagents::seo
