// The builtin writer's text machinery: a seeded generator, the forms of the keyphrase, the
// template renderer and small text utilities (word counts, sentence splitting, transitions).
// Part of a deterministic template engine for offline use and testing, not a language model.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jobs/writers/builtin_phrases.hpp"

namespace seoagents::jobs::builtin {

// FNV-1a, 64 bits: a hash that is the same on every platform (std::hash is not).
std::uint64_t fnv1a(std::string_view text, std::uint64_t hash = 0xcbf29ce484222325ULL);

// SplitMix64: a tiny generator whose sequence depends only on its seed. Choices are derived from
// its raw output (no std::*_distribution, whose results differ between standard libraries).
class Prng {
 public:
  explicit Prng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  // A number in [0, n); 0 when n is 0.
  std::size_t below(std::size_t n);
  // True `percent` times in a hundred.
  bool chance(int percent) { return below(100) < static_cast<std::size_t>(percent); }

 private:
  std::uint64_t state_;
};

// The agent's free-text tone read as one of the known tones ("Playful and casual" -> humorous,
// anything unknown -> professional).
Tone parse_tone(std::string_view tone);

// The keyphrase as the templates use it.
struct KeywordForms {
  // As given, trimmed, inner whitespace collapsed ("best running shoes").
  std::string phrase;
  // In running text, with the article or verb a bare superlative or "how to" phrase needs
  // ("the best running shoes", "learning how to knit"); always contains `phrase`.
  std::string in_text;
  // `in_text` in title case at the start of a heading, and inside one.
  std::string heading_start;
  std::string heading_inner;
  // `phrase` in title case: the start of the SEO title.
  std::string title;
};
KeywordForms keyword_forms(std::string_view keyword);

// Counts the keyphrase the way the analysis does: per sentence, each content word (function
// words left out) in any order and in its singular or plural form; a sentence holds as many
// occurrences as its rarest content word.
class KeywordMatcher {
 public:
  explicit KeywordMatcher(std::string_view phrase);
  std::int64_t count_in_sentence(std::string_view sentence) const;
  // Occurrences in a text of several sentences.
  std::int64_t count_in_text(std::string_view text) const;
  // The analysis weighs density by 0.7 + content words / 3.
  double length_factor() const;

 private:
  std::vector<std::string> content_words_;
};

// Title case for headings: words already holding a capital are kept ("iPhone"), short function
// words stay lowercase unless first.
std::string title_case(std::string_view text, bool at_start = true);
// The first letter in upper case, unless the first word is a mixed-case name ("iPhone").
std::string capitalize_first(std::string_view text);
std::string lowercase_first(std::string_view text);
std::string ascii_lower(std::string_view text);

// Words as the analysis counts them: whitespace-separated tokens with a letter or digit
// (Markdown markers and link targets glued to a word do not add words).
std::int64_t count_words(std::string_view text);
// Occurrences of `phrase` in `text`, ASCII case-insensitive, on word boundaries.
std::int64_t count_phrase(std::string_view text, std::string_view phrase);
bool contains_phrase(std::string_view text, std::string_view phrase);
// The first word, lowercase, without punctuation.
std::string first_word(std::string_view sentence);
// Whether the sentence holds a transition word or phrase ("however", "for example", …).
bool has_transition(std::string_view sentence);
// Whether a word may be lowercased at the start of a sentence ("The" yes, "Paris" no).
bool is_common_word(std::string_view word);
// Whether a sentence starts like a plain clause, with its subject ("You", "The", "Most …") and
// no introductory phrase ("That way, …"): where an opener such as "In addition," reads well.
bool starts_with_subject(std::string_view sentence);
// A paragraph's sentences, split after . ! ? followed by a space and a capital or digit.
std::vector<std::string> split_sentences(std::string_view paragraph);
// A sentence over `max_words` cut at a clause boundary (", but", ", because", ", so", "; ", …)
// into shorter sentences; unchanged when no safe boundary exists.
std::vector<std::string> split_long_sentence(std::string_view sentence, std::int64_t max_words);
// A URL query value: unreserved characters kept, spaces as '+', the rest percent-encoded.
std::string url_query_encode(std::string_view text);
// The outbound reference: Wikipedia's search for the keyphrase (a real, stable page).
std::string reference_url(std::string_view keyword);

// A sentence of the article: its text and the transition word put before it, if any.
struct Sentence {
  // The sentence as written: templates start it with a capital, the keyphrase as it is spelled.
  std::string text;
  // "In addition," put in front to vary beginnings or add a transition; empty if none.
  std::string opener;
  // Whether `text` may start in lower case after an opener.
  bool lowercase_after_opener = true;
};
// The sentence as printed: capitalized, with its opener.
std::string render_sentence(const Sentence& sentence);

// Renders templates for one article: the tone's words, the keyphrase (kept near a target
// density by counting what the article has so far), related keywords, variables, choices.
class Composer {
 public:
  Composer(const ToneTemplates& tone, KeywordForms keyword, std::uint64_t seed);

  const ToneTemplates& tone() const { return tone_; }
  const KeywordForms& keyword() const { return keyword_; }
  Prng& random() { return random_; }

  // A variable the templates may use as {name}.
  void set_variable(std::string_view name, std::string value);
  // A sentence of the body; its words and keyphrases count toward the density.
  Sentence sentence(std::string_view text_template, std::string_view related = {});
  // A heading or other text that is not a body sentence ({kw:…} always takes the keyphrase).
  std::string text(std::string_view text_template, std::string_view related = {});
  // Counts text the article already has (headings, existing paragraphs) toward the density.
  void observe(std::string_view text);
  // The tone's next unused aside, or empty when all are used.
  std::string_view next_aside();
  // One of the tone's openers, different from `avoid` (a lowercase first word).
  std::string_view opener(std::string_view avoid);

  std::int64_t words() const { return words_; }
  std::int64_t keyword_uses() const { return keyword_uses_; }

 private:
  void render(std::string& out, std::string_view text_template, std::string_view related,
              bool optional_keyword);
  void render_slot(std::string& out, std::string_view slot, std::string_view related,
                   bool optional_keyword);
  bool keyword_wanted() const;

  const ToneTemplates& tone_;
  KeywordForms keyword_;
  KeywordMatcher matcher_;
  // Keyphrase uses per 1,000 words the renderer aims at.
  double keywords_per_thousand_;
  Prng random_;
  std::vector<std::pair<std::string, std::string>> variables_;
  std::vector<std::size_t> aside_order_;
  std::size_t next_aside_ = 0;
  std::size_t next_opener_ = 0;
  std::int64_t words_ = 0;
  std::int64_t keyword_uses_ = 0;
};

}  // namespace seoagents::jobs::builtin
