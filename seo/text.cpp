// Text segmentation with ICU break iterators run directly over the UTF-8 text (UText), so no
// conversion to UTF-16 is needed. Creating an ICU break iterator loads and compiles its rules,
// which is slow: each thread clones a per-language prototype once and keeps the clone.
#include "seo/text.hpp"

#include <unicode/brkiter.h>
#include <unicode/filteredbrk.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "seo/language.hpp"

namespace seoagents::seo {
namespace {

struct BreakIterators {
  std::unique_ptr<icu::BreakIterator> words;
  std::unique_ptr<icu::BreakIterator> sentences;
};

// The sentence iterator suppresses breaks after ICU's own abbreviations for the locale ("Mr.")
// when ICU has a list for it; the language's list is applied on top (see ends_with_abbreviation)
// because ICU does not suppress custom entries with inner periods such as "e.g.".
std::unique_ptr<icu::BreakIterator> create_sentence_iterator(const icu::Locale& locale) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> plain(
      icu::BreakIterator::createSentenceInstance(locale, status));
  if (U_FAILURE(status)) return nullptr;
  std::unique_ptr<icu::FilteredBreakIteratorBuilder> builder(
      icu::FilteredBreakIteratorBuilder::createInstance(locale, status));
  if (U_FAILURE(status) || !builder) return plain;
  std::unique_ptr<icu::BreakIterator> filtered(builder->build(plain.release(), status));
  if (U_FAILURE(status)) return nullptr;
  return filtered;
}

BreakIterators create_iterators(const Language& language) {
  const icu::Locale locale(language.icu_locale);
  UErrorCode status = U_ZERO_ERROR;
  BreakIterators iterators{
      std::unique_ptr<icu::BreakIterator>(icu::BreakIterator::createWordInstance(locale, status)),
      create_sentence_iterator(locale)};
  if (U_FAILURE(status) || !iterators.words || !iterators.sentences) {
    throw std::runtime_error("ICU break iterators unavailable for locale '" +
                             std::string(language.icu_locale) + "'");
  }
  return iterators;
}

// Prototypes are created on first use and only ever cloned afterwards; the mutex guards the list
// and the clones (ICU does not promise that cloning one iterator from two threads is safe).
BreakIterators clone_prototypes(const Language& language) {
  static std::mutex mutex;
  static std::vector<std::pair<const Language*, BreakIterators>> prototypes;
  std::lock_guard lock(mutex);
  auto it = std::find_if(prototypes.begin(), prototypes.end(),
                         [&](const auto& entry) { return entry.first == &language; });
  if (it == prototypes.end()) {
    prototypes.emplace_back(&language, create_iterators(language));
    it = prototypes.end() - 1;
  }
  return {std::unique_ptr<icu::BreakIterator>(it->second.words->clone()),
          std::unique_ptr<icu::BreakIterator>(it->second.sentences->clone())};
}

// This thread's iterators for a language, cloned on the thread's first use.
BreakIterators& thread_iterators(const Language& language) {
  thread_local std::vector<std::pair<const Language*, std::unique_ptr<BreakIterators>>> cache;
  for (auto& [cached_language, iterators] : cache) {
    if (cached_language == &language) return *iterators;
  }
  cache.emplace_back(&language, std::make_unique<BreakIterators>(clone_prototypes(language)));
  return *cache.back().second;
}

// A UText over UTF-8 bytes: native indexes are byte offsets into the text.
class Utf8Text {
 public:
  explicit Utf8Text(std::string_view text) {
    utext_openUTF8(&text_, text.data(), static_cast<int64_t>(text.size()), &status_);
  }
  ~Utf8Text() { utext_close(&text_); }
  Utf8Text(const Utf8Text&) = delete;
  Utf8Text& operator=(const Utf8Text&) = delete;

  void attach(icu::BreakIterator& iterator) {
    iterator.setText(&text_, status_);
    if (U_FAILURE(status_)) throw std::runtime_error("ICU: cannot segment text");
  }

 private:
  UText text_ = UTEXT_INITIALIZER;
  UErrorCode status_ = U_ZERO_ERROR;
};

// A half-open byte range of the text.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

bool starts_url(std::string_view rest) {
  const char first = rest.front();
  if (first != 'h' && first != 'H' && first != 'w' && first != 'W') return false;
  return starts_with_ignoring_case(rest, "http://") ||
         starts_with_ignoring_case(rest, "https://") || starts_with_ignoring_case(rest, "www.");
}

// Characters that end a URL written in running text, and the punctuation that closes the
// sentence around it rather than belonging to it.
bool ends_url(char c) {
  return is_space(c) || c == '<' || c == '>' || c == '"';
}
bool is_trailing_punctuation(char c) {
  return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' ||
         c == '\'';
}

// URLs written in the text ("https://…", "www.…").
std::vector<Span> find_urls(std::string_view text) {
  std::vector<Span> urls;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((i > 0 && is_ascii_alnum(text[i - 1])) || !starts_url(text.substr(i))) continue;
    std::size_t end = i;
    while (end < text.size() && !ends_url(text[end]))
      ++end;
    while (end > i && is_trailing_punctuation(text[end - 1]))
      --end;
    urls.push_back({i, end});
    i = end;
  }
  return urls;
}

std::vector<Span> icu_word_spans(icu::BreakIterator& words) {
  std::vector<Span> spans;
  int32_t start = words.first();
  for (int32_t end = words.next(); end != icu::BreakIterator::DONE;
       start = end, end = words.next()) {
    // Rule statuses below UBRK_WORD_NONE_LIMIT are spaces and punctuation, not words.
    if (words.getRuleStatus() >= UBRK_WORD_NONE_LIMIT) {
      spans.push_back({static_cast<std::size_t>(start), static_cast<std::size_t>(end)});
    }
  }
  return spans;
}

// "well-known" is one word: two words joined by a single hyphen (U+002D or U+2010).
std::vector<Span> join_hyphenated(std::vector<Span> spans, std::string_view text) {
  std::vector<Span> joined;
  for (const Span& span : spans) {
    if (!joined.empty()) {
      const std::string_view gap = text.substr(joined.back().end, span.begin - joined.back().end);
      if (gap == "-" || gap == "\u2010") {
        joined.back().end = span.end;
        continue;
      }
    }
    joined.push_back(span);
  }
  return joined;
}

// Words inside a URL are replaced by the URL, once.
std::vector<Span> merge_urls(const std::vector<Span>& spans, const std::vector<Span>& urls) {
  if (urls.empty()) return spans;
  std::vector<Span> merged;
  std::size_t url = 0;
  for (const Span& span : spans) {
    while (url < urls.size() && urls[url].end <= span.begin)
      ++url;
    const bool inside_url = url < urls.size() && span.end > urls[url].begin;
    if (!inside_url) {
      merged.push_back(span);
    } else if (merged.empty() || merged.back().begin != urls[url].begin) {
      merged.push_back(urls[url]);
    }
  }
  return merged;
}

std::vector<Span> word_spans(std::string_view text, icu::BreakIterator& iterator,
                             const std::vector<Span>& urls) {
  return merge_urls(join_hyphenated(icu_word_spans(iterator), text), urls);
}

// Whether the text before a sentence break ends with one of the language's abbreviations.
bool ends_with_abbreviation(std::string_view before, const Language& language) {
  while (!before.empty() && is_space(before.back()))
    before.remove_suffix(1);
  if (before.empty() || before.back() != '.') return false;
  std::size_t start = before.size();
  while (start > 0 && (std::isalpha(static_cast<unsigned char>(before[start - 1])) ||
                       before[start - 1] == '.')) {
    --start;
  }
  const std::string_view candidate = before.substr(start);
  return std::find(language.abbreviations.begin(), language.abbreviations.end(), candidate) !=
         language.abbreviations.end();
}

bool inside_any(std::size_t offset, const std::vector<Span>& spans) {
  return std::any_of(spans.begin(), spans.end(),
                     [&](const Span& s) { return offset > s.begin && offset < s.end; });
}

// Sentence ends, as byte offsets, without the breaks ICU finds inside URLs or after the
// language's abbreviations.
std::vector<std::size_t> sentence_ends(std::string_view text, icu::BreakIterator& iterator,
                                       const Language& language, const std::vector<Span>& urls) {
  std::vector<std::size_t> ends;
  std::size_t start = 0;
  iterator.first();
  for (int32_t end = iterator.next(); end != icu::BreakIterator::DONE; end = iterator.next()) {
    const auto offset = static_cast<std::size_t>(end);
    const bool last = offset >= text.size();
    const bool suppressed = inside_any(offset, urls) ||
                            ends_with_abbreviation(text.substr(start, offset - start), language);
    if (last || !suppressed) {
      ends.push_back(offset);
      start = offset;
    }
  }
  return ends;
}

}  // namespace

std::vector<Sentence> split_sentences(std::string_view text, const Language& language) {
  BreakIterators& iterators = thread_iterators(language);
  Utf8Text utext(text);
  utext.attach(*iterators.words);
  utext.attach(*iterators.sentences);
  const std::vector<Span> urls = find_urls(text);
  const std::vector<Span> words = word_spans(text, *iterators.words, urls);
  const std::vector<std::size_t> ends = sentence_ends(text, *iterators.sentences, language, urls);

  std::vector<Sentence> sentences;
  std::size_t word = 0;
  for (std::size_t end : ends) {
    Sentence sentence;
    for (; word < words.size() && words[word].begin < end; ++word) {
      const Span& span = words[word];
      sentence.words.push_back(fold_case(text.substr(span.begin, span.end - span.begin)));
    }
    if (!sentence.words.empty()) sentences.push_back(std::move(sentence));
  }
  return sentences;
}

std::vector<std::string> split_words(std::string_view text, const Language& language) {
  BreakIterators& iterators = thread_iterators(language);
  Utf8Text utext(text);
  utext.attach(*iterators.words);
  std::vector<std::string> words;
  for (const Span& span : word_spans(text, *iterators.words, find_urls(text))) {
    words.push_back(fold_case(text.substr(span.begin, span.end - span.begin)));
  }
  return words;
}

std::string fold_case(std::string_view word) {
  const bool ascii = std::all_of(word.begin(), word.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) {
    std::string folded(word);
    for (char& c : folded) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return folded;
  }
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(
      icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  unicode.foldCase(U_FOLD_CASE_DEFAULT);
  unicode.findAndReplace(icu::UnicodeString(static_cast<UChar32>(0x2019)),
                         icu::UnicodeString(static_cast<UChar32>('\'')));
  std::string folded;
  unicode.toUTF8String(folded);
  return folded;
}

std::size_t count_characters(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace seoagents::seo
