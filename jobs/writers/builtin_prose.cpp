// The builtin writer's text machinery: seeded choices, keyphrase forms, template rendering and
// the small text utilities the writer and its readability fixes share.
#include "jobs/writers/builtin_prose.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <iterator>

namespace seoagents::jobs::builtin {
namespace {

// Keyphrase uses per 1,000 words the renderer aims at: 1.2% at most, and a density weighted by
// the keyphrase's length (what the analysis holds to 0.5–3%) of about 1.7%.
constexpr double kMaxKeywordsPerThousand = 12.0;
constexpr double kWeightedKeywordsPerThousand = 17.0;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_ascii_lower(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_ascii_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_word_byte(char c) {
  return is_ascii_lower(c) || is_ascii_upper(c) || is_ascii_digit(c) ||
         static_cast<unsigned char>(c) >= 0x80;
}
char to_lower(char c) {
  return is_ascii_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
}
char to_upper(char c) {
  return is_ascii_lower(c) ? static_cast<char>(c - 'a' + 'A') : c;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_space(text.back()))
    text.remove_suffix(1);
  return text;
}

std::vector<std::string_view> split_on(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i != text.size() && text[i] != separator) continue;
    parts.push_back(text.substr(start, i - start));
    start = i + 1;
  }
  return parts;
}

// `words` is sorted (every word list below is checked at compile time).
bool contains_word(std::span<const std::string_view> words, std::string_view word) {
  return std::binary_search(words.begin(), words.end(), word);
}

constexpr std::string_view kSmallWords[] = {
    "a",  "an", "and", "as", "at", "au", "but", "by",  "de", "des", "du",  "et",  "for", "in",
    "la", "le", "nor", "of", "on", "or", "per", "the", "to", "van", "via", "von", "vs",  "with"};
static_assert(std::is_sorted(std::begin(kSmallWords), std::end(kSmallWords)));

constexpr std::string_view kSuperlatives[] = {
    "best",     "biggest",  "brightest",  "cheapest",  "coolest", "easiest",  "fastest",
    "finest",   "greatest", "healthiest", "highest",   "largest", "latest",   "leading",
    "lightest", "longest",  "lowest",     "most",      "newest",  "quickest", "safest",
    "simplest", "smallest", "smartest",   "strongest", "top",     "ultimate", "warmest"};
static_assert(std::is_sorted(std::begin(kSuperlatives), std::end(kSuperlatives)));

// The analysis's transition words (Yoast's English list) and its most common phrases.
constexpr std::string_view kTransitionWords[] = {"accordingly",   "additionally", "afterward",
                                                 "afterwards",    "albeit",       "also",
                                                 "although",      "altogether",   "basically",
                                                 "because",       "besides",      "but",
                                                 "certainly",     "chiefly",      "consequently",
                                                 "conversely",    "earlier",      "equally",
                                                 "especially",    "eventually",   "evidently",
                                                 "finally",       "firstly",      "further",
                                                 "furthermore",   "generally",    "hence",
                                                 "henceforth",    "however",      "importantly",
                                                 "indeed",        "initially",    "instead",
                                                 "lastly",        "later",        "likewise",
                                                 "meanwhile",     "moreover",     "namely",
                                                 "nevertheless",  "nonetheless",  "nor",
                                                 "notably",       "obviously",    "occasionally",
                                                 "otherwise",     "overall",      "particularly",
                                                 "presently",     "previously",   "rather",
                                                 "regardless",    "secondly",     "shortly",
                                                 "significantly", "similarly",    "simultaneously",
                                                 "since",         "so",           "soon",
                                                 "specifically",  "still",        "subsequently",
                                                 "surely",        "surprisingly", "then",
                                                 "thereafter",    "therefore",    "thirdly",
                                                 "though",        "thus",         "till",
                                                 "too",           "undeniably",   "undoubtedly",
                                                 "unless",        "unlike",       "until",
                                                 "when",          "whenever",     "whereas",
                                                 "while"};
static_assert(std::is_sorted(std::begin(kTransitionWords), std::end(kTransitionWords)));

constexpr std::string_view kTransitionPhrases[] = {
    "above all",       "after all",        "after that",      "as a result",       "as long as",
    "as soon as",      "as well as",       "at first",        "at the same time",  "because of",
    "due to",          "even if",          "even so",         "even though",       "first of all",
    "for example",     "for instance",     "for this reason", "in addition",       "in brief",
    "in conclusion",   "in contrast",      "in fact",         "in general",        "in order to",
    "in other words",  "in particular",    "in short",        "in summary",        "in the end",
    "in the long run", "most importantly", "of course",       "on the other hand", "on top of that",
    "so that",         "such as",          "that is",         "to begin with",     "to sum up",
    "to summarize",    "with this in mind"};

// Function words: what the analysis leaves out of a keyphrase when it matches it.
constexpr std::string_view kFunctionWords[] = {
    "a",       "about",   "above",   "across",   "after",   "again",   "against", "all",
    "along",   "already", "also",    "although", "always",  "am",      "among",   "an",
    "and",     "another", "any",     "are",      "around",  "as",      "at",      "be",
    "because", "been",    "before",  "behind",   "being",   "below",   "beside",  "besides",
    "between", "beyond",  "both",    "but",      "by",      "can",     "could",   "despite",
    "did",     "do",      "does",    "doing",    "down",    "during",  "each",    "eight",
    "either",  "enough",  "even",    "every",    "except",  "few",     "first",   "five",
    "for",     "four",    "from",    "had",      "has",     "have",    "having",  "he",
    "her",     "here",    "him",     "his",      "how",     "however", "i",       "if",
    "in",      "inside",  "into",    "is",       "it",      "its",     "just",    "least",
    "less",    "like",    "lot",     "lots",     "many",    "may",     "me",      "might",
    "more",    "most",    "much",    "must",     "my",      "near",    "neither", "never",
    "nine",    "no",      "nor",     "not",      "now",     "of",      "off",     "often",
    "on",      "one",     "only",    "onto",     "or",      "other",   "our",     "out",
    "outside", "over",    "own",     "past",     "per",     "plenty",  "quite",   "rather",
    "really",  "same",    "second",  "seven",    "several", "shall",   "she",     "should",
    "since",   "six",     "so",      "some",     "still",   "such",    "ten",     "than",
    "that",    "the",     "their",   "them",     "then",    "there",   "these",   "they",
    "third",   "this",    "those",   "though",   "three",   "through", "till",    "to",
    "too",     "toward",  "towards", "two",      "under",   "unless",  "until",   "up",
    "upon",    "us",      "very",    "via",      "was",     "we",      "were",    "what",
    "when",    "where",   "whereas", "whether",  "which",   "while",   "who",     "whom",
    "whose",   "why",     "will",    "with",     "within",  "without", "would",   "yet",
    "you",     "your"};
static_assert(std::is_sorted(std::begin(kFunctionWords), std::end(kFunctionWords)));

constexpr std::string_view kCommonWords[] = {
    "a",        "after",   "all",     "also",    "an",      "and",     "another", "any",
    "are",      "as",      "ask",     "at",      "because", "before",  "best",    "better",
    "big",      "both",    "but",     "by",      "can",     "check",   "choose",  "clear",
    "could",    "do",      "don't",   "each",    "either",  "even",    "every",   "few",
    "finally",  "first",   "for",     "from",    "get",     "give",    "good",    "great",
    "here",     "how",     "however", "if",      "in",      "instead", "is",      "it",
    "its",      "just",    "keep",    "learn",   "less",    "let",     "look",    "make",
    "many",     "may",     "might",   "money",   "more",    "most",    "much",    "must",
    "neither",  "next",    "no",      "not",     "now",     "of",      "often",   "on",
    "once",     "one",     "only",    "or",      "other",   "our",     "people",  "pick",
    "progress", "quality", "regular", "results", "set",     "several", "short",   "should",
    "simple",   "since",   "small",   "so",      "some",    "start",   "such",    "take",
    "that",     "the",     "their",   "then",    "there",   "these",   "they",    "think",
    "this",     "those",   "three",   "time",    "to",      "try",     "two",     "until",
    "use",      "usually", "very",    "was",     "we",      "were",    "what",    "when",
    "where",    "which",   "while",   "who",     "why",     "will",    "with",    "without",
    "would",    "write",   "yet",     "you",     "your"};
static_assert(std::is_sorted(std::begin(kCommonWords), std::end(kCommonWords)));

// Clause boundaries a long sentence may be cut at, and what starts the second half.
struct ClauseBreak {
  std::string_view marker;
  std::string_view replacement;
  // The second half must start like a clause ("you", "the", …) for the cut to read well.
  bool needs_subject;
};
constexpr ClauseBreak kClauseBreaks[] = {
    {"; ", "", false},
    {", but ", "However, ", true},
    {", because ", "That is because ", false},
    {", so ", "As a result, ", true},
    {", and ", "Also, ", true},
    {", while ", "Meanwhile, ", true},
    {", which ", "This ", false},
    {", then ", "Then ", false},
    {", although ", "Still, ", true},
};

constexpr std::string_view kSubjectWords[] = {
    "a",    "all",     "an",   "any",   "anyone", "each",  "every",  "everyone", "few",
    "he",   "her",     "his",  "i",     "it",     "its",   "many",   "most",     "my",
    "no",   "nobody",  "one",  "other", "others", "our",   "people", "several",  "she",
    "some", "someone", "such", "that",  "the",    "their", "there",  "these",    "they",
    "this", "those",   "we",   "you",   "your"};
static_assert(std::is_sorted(std::begin(kSubjectWords), std::end(kSubjectWords)));

struct ToneCue {
  std::string_view cue;
  Tone tone;
};
constexpr ToneCue kToneCues[] = {
    {"humor", Tone::humorous},
    {"humour", Tone::humorous},
    {"playful", Tone::humorous},
    {"funny", Tone::humorous},
    {"witty", Tone::humorous},
    {"whimsical", Tone::humorous},
    {"cheeky", Tone::humorous},
    {"technical", Tone::technical},
    {"academic", Tone::technical},
    {"scientific", Tone::technical},
    {"analytical", Tone::technical},
    {"authorit", Tone::authoritative},
    {"expert", Tone::authoritative},
    {"assertive", Tone::authoritative},
    {"conversational", Tone::conversational},
    {"chatty", Tone::conversational},
    {"friendly", Tone::friendly},
    {"warm", Tone::friendly},
    {"approachable", Tone::friendly},
    {"empathetic", Tone::friendly},
    {"casual", Tone::casual},
    {"informal", Tone::casual},
    {"relaxed", Tone::casual},
    {"laid-back", Tone::casual},
    {"professional", Tone::professional},
    {"formal", Tone::professional},
    {"business", Tone::professional},
};

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (char c : text) {
    if (is_word_byte(c) || c == '\'' || c == '-') {
      current += to_lower(c);
      continue;
    }
    if (!current.empty()) words.push_back(std::move(current));
    current.clear();
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

// Capitalizes a Latin-1 lowercase letter written as two UTF-8 bytes (é -> É).
bool capitalize_latin1(std::string& text) {
  if (text.size() < 2 || static_cast<unsigned char>(text[0]) != 0xC3) return false;
  auto second = static_cast<unsigned char>(text[1]);
  if (second < 0xA0 || second > 0xBE || second == 0xB7) return false;
  text[1] = static_cast<char>(second - 0x20);
  return true;
}

std::string capitalize_word(std::string_view word) {
  std::string out(word);
  if (!out.empty() && is_ascii_lower(out[0])) {
    out[0] = to_upper(out[0]);
    return out;
  }
  capitalize_latin1(out);
  return out;
}

bool has_upper(std::string_view word) {
  return std::any_of(word.begin(), word.end(), is_ascii_upper);
}

std::string collapse_whitespace(std::string_view text) {
  std::string out;
  for (char c : trim(text)) {
    if (is_space(c)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

std::uint64_t fnv1a(std::string_view text, std::uint64_t hash) {
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Singular and plural forms of one word, and the possessive ("shoe", "shoes", "shoe's").
bool same_word_form(std::string_view text_word, std::string_view word) {
  if (text_word == word) return true;
  // Every form of a word starts with the same letter.
  if (text_word.empty() || word.empty() || text_word.front() != word.front()) return false;
  for (std::string_view possessive : {"'s", "'"})
    if (ends_with(text_word, possessive) &&
        same_word_form(text_word.substr(0, text_word.size() - possessive.size()), word))
      return true;
  auto plural_of = [](std::string_view plural, std::string_view singular) {
    if (plural.size() == singular.size() + 1 && ends_with(plural, "s") &&
        plural.substr(0, singular.size()) == singular)
      return true;
    if (plural.size() == singular.size() + 2 && ends_with(plural, "es") &&
        plural.substr(0, singular.size()) == singular)
      return true;
    return ends_with(plural, "ies") && ends_with(singular, "y") &&
           plural.substr(0, plural.size() - 3) == singular.substr(0, singular.size() - 1);
  };
  return plural_of(text_word, word) || plural_of(word, text_word);
}

}  // namespace

KeywordMatcher::KeywordMatcher(std::string_view phrase) {
  std::vector<std::string> words = words_of(phrase);
  for (const std::string& word : words)
    if (!contains_word(kFunctionWords, word)) content_words_.push_back(word);
  if (content_words_.empty()) content_words_ = std::move(words);
}

std::int64_t KeywordMatcher::count_in_sentence(std::string_view sentence) const {
  if (content_words_.empty()) return 0;
  std::vector<std::string> words = words_of(sentence);
  std::int64_t fewest = -1;
  for (const std::string& content_word : content_words_) {
    auto found = std::count_if(words.begin(), words.end(), [&](const std::string& word) {
      return same_word_form(word, content_word);
    });
    if (fewest < 0 || found < fewest) fewest = found;
  }
  return fewest;
}

std::int64_t KeywordMatcher::count_in_text(std::string_view text) const {
  std::int64_t count = 0;
  for (const std::string& sentence : split_sentences(text))
    count += count_in_sentence(sentence);
  return count;
}

double KeywordMatcher::length_factor() const {
  return 0.7 + static_cast<double>(content_words_.size()) / 3.0;
}

std::uint64_t Prng::next() {
  state_ += 0x9e3779b97f4a7c15ULL;
  std::uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::size_t Prng::below(std::size_t n) {
  if (n == 0) return 0;
  return static_cast<std::size_t>(next() % n);
}

Tone parse_tone(std::string_view tone) {
  std::string lower = ascii_lower(tone);
  std::size_t best_position = std::string::npos;
  Tone best = Tone::professional;
  for (const ToneCue& cue : kToneCues) {
    std::size_t position = lower.find(cue.cue);
    if (position < best_position) {
      best_position = position;
      best = cue.tone;
    }
  }
  return best;
}

KeywordForms keyword_forms(std::string_view keyword) {
  KeywordForms forms;
  forms.phrase = collapse_whitespace(keyword);
  std::string lower = ascii_lower(forms.phrase);
  std::string first = first_word(lower);
  forms.in_text = forms.phrase;
  if (contains_word(kSuperlatives, first)) forms.in_text = "the " + forms.phrase;
  if (lower.rfind("how to ", 0) == 0) forms.in_text = "learning " + forms.phrase;
  forms.heading_start = title_case(forms.in_text, true);
  forms.heading_inner = title_case(forms.in_text, false);
  forms.title = title_case(forms.phrase, true);
  return forms;
}

std::string title_case(std::string_view text, bool at_start) {
  std::string out;
  std::vector<std::string_view> words = split_on(text, ' ');
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string_view word = words[i];
    if (!out.empty()) out += ' ';
    bool first = i == 0 && at_start;
    if (has_upper(word) || (!first && contains_word(kSmallWords, word))) {
      out += word;
      continue;
    }
    out += capitalize_word(word);
  }
  return out;
}

std::string capitalize_first(std::string_view text) {
  std::string out(text);
  if (out.empty()) return out;
  std::string_view first(out);
  first = first.substr(0, first.find(' '));
  if (has_upper(first.substr(1))) return out;
  if (is_ascii_lower(out[0])) {
    out[0] = to_upper(out[0]);
    return out;
  }
  capitalize_latin1(out);
  return out;
}

std::string lowercase_first(std::string_view text) {
  std::string out(text);
  if (out.size() < 2 || !is_ascii_upper(out[0])) return out;
  if (is_ascii_upper(out[1])) return out;                              // an acronym
  if (out[0] == 'I' && (out[1] == ' ' || out[1] == '\'')) return out;  // "I", "I'm"
  out[0] = to_lower(out[0]);
  return out;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = to_lower(c);
  return out;
}

std::int64_t count_words(std::string_view text) {
  std::int64_t words = 0;
  bool in_token = false;
  bool token_has_word = false;
  for (char c : text) {
    if (is_space(c)) {
      if (in_token && token_has_word) ++words;
      in_token = false;
      token_has_word = false;
      continue;
    }
    in_token = true;
    token_has_word = token_has_word || is_word_byte(c);
  }
  if (in_token && token_has_word) ++words;
  return words;
}

std::int64_t count_phrase(std::string_view text, std::string_view phrase) {
  if (phrase.empty()) return 0;
  std::string haystack = ascii_lower(text);
  std::string needle = ascii_lower(phrase);
  std::int64_t count = 0;
  std::size_t position = haystack.find(needle);
  while (position != std::string::npos) {
    std::size_t end = position + needle.size();
    bool starts_word = position == 0 || !is_word_byte(haystack[position - 1]);
    bool ends_word = end == haystack.size() || !is_word_byte(haystack[end]);
    if (starts_word && ends_word) ++count;
    position = haystack.find(needle, position + 1);
  }
  return count;
}

bool contains_phrase(std::string_view text, std::string_view phrase) {
  return count_phrase(text, phrase) > 0;
}

std::string first_word(std::string_view sentence) {
  std::string word;
  for (char c : sentence) {
    if (is_word_byte(c) || c == '\'' || c == '-') {
      word += to_lower(c);
      continue;
    }
    if (!word.empty()) break;
  }
  return word;
}

bool has_transition(std::string_view sentence) {
  std::vector<std::string> words = words_of(sentence);
  std::string joined = " ";
  for (const std::string& word : words) {
    if (contains_word(kTransitionWords, word)) return true;
    joined += word;
    joined += ' ';
  }
  std::string_view text(joined);
  for (std::string_view phrase : kTransitionPhrases) {
    for (std::size_t at = text.find(phrase); at != std::string_view::npos;
         at = text.find(phrase, at + 1)) {
      if (text[at - 1] == ' ' && text[at + phrase.size()] == ' ') return true;
    }
  }
  return false;
}

bool is_common_word(std::string_view word) {
  return contains_word(kCommonWords, ascii_lower(word));
}

bool starts_with_subject(std::string_view sentence) {
  std::string_view start = sentence.substr(0, sentence.find(' ', sentence.find(' ') + 1));
  if (start.find(',') != std::string_view::npos || start.find(':') != std::string_view::npos)
    return false;
  return contains_word(kSubjectWords, first_word(sentence));
}

std::vector<std::string> split_sentences(std::string_view paragraph) {
  std::vector<std::string> sentences;
  std::size_t start = 0;
  for (std::size_t i = 0; i < paragraph.size(); ++i) {
    char c = paragraph[i];
    if (c != '.' && c != '!' && c != '?') continue;
    std::size_t end = i + 1;
    while (end < paragraph.size() &&
           std::string_view("\"')]*_").find(paragraph[end]) != std::string_view::npos)
      ++end;
    if (end < paragraph.size() && !is_space(paragraph[end])) continue;
    std::size_t next = end;
    while (next < paragraph.size() && is_space(paragraph[next]))
      ++next;
    if (next < paragraph.size()) {
      char n = paragraph[next];
      bool starts_sentence = is_ascii_upper(n) || is_ascii_digit(n) || n == '"' || n == '[' ||
                             n == '*' || static_cast<unsigned char>(n) >= 0x80;
      if (!starts_sentence) continue;
    }
    std::string_view piece = trim(paragraph.substr(start, end - start));
    if (!piece.empty()) sentences.emplace_back(piece);
    start = next;
    i = next == 0 ? 0 : next - 1;
  }
  std::string_view rest = trim(paragraph.substr(std::min(start, paragraph.size())));
  if (!rest.empty()) sentences.emplace_back(rest);
  return sentences;
}

std::vector<std::string> split_long_sentence(std::string_view sentence, std::int64_t max_words) {
  std::vector<std::string> parts;
  if (count_words(sentence) <= max_words) {
    parts.emplace_back(sentence);
    return parts;
  }
  std::int64_t best_score = -1;
  std::string best_left;
  std::string best_right;
  for (const ClauseBreak& clause : kClauseBreaks) {
    for (std::size_t at = sentence.find(clause.marker); at != std::string_view::npos;
         at = sentence.find(clause.marker, at + 1)) {
      std::string_view left = trim(sentence.substr(0, at));
      std::string_view right = trim(sentence.substr(at + clause.marker.size()));
      std::int64_t left_words = count_words(left);
      std::int64_t right_words = count_words(right);
      if (left_words < 4 || right_words < 4) continue;
      if (clause.needs_subject && !contains_word(kSubjectWords, first_word(right))) continue;
      std::int64_t score =
          left_words > right_words ? left_words - right_words : right_words - left_words;
      if (best_score >= 0 && score >= best_score) continue;
      best_score = score;
      best_left = std::string(left) + ".";
      best_right = clause.replacement.empty()
                       ? capitalize_first(right)
                       : std::string(clause.replacement) + std::string(right);
    }
  }
  if (best_score < 0) {
    parts.emplace_back(sentence);
    return parts;
  }
  for (const std::string& half : {best_left, best_right})
    for (std::string& piece : split_long_sentence(half, max_words))
      parts.push_back(std::move(piece));
  return parts;
}

std::string url_query_encode(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (is_ascii_lower(c) || is_ascii_upper(c) || is_ascii_digit(c) || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += c;
      continue;
    }
    if (c == ' ') {
      out += '+';
      continue;
    }
    char escaped[4];
    std::snprintf(escaped, sizeof escaped, "%%%02X", static_cast<unsigned char>(c));
    out += escaped;
  }
  return out;
}

std::string reference_url(std::string_view keyword) {
  return "https://en.wikipedia.org/w/index.php?search=" +
         url_query_encode(collapse_whitespace(keyword));
}

std::string render_sentence(const Sentence& sentence) {
  if (sentence.opener.empty()) return capitalize_first(sentence.text);
  std::string body =
      sentence.lowercase_after_opener ? lowercase_first(sentence.text) : sentence.text;
  return sentence.opener + " " + body;
}

Composer::Composer(const ToneTemplates& tone, KeywordForms keyword, std::uint64_t seed)
    : tone_(tone),
      keyword_(std::move(keyword)),
      matcher_(keyword_.phrase),
      keywords_per_thousand_(std::min(kMaxKeywordsPerThousand,
                                      kWeightedKeywordsPerThousand / matcher_.length_factor())),
      random_(seed) {
  aside_order_.resize(tone_.asides.size());
  for (std::size_t i = 0; i < aside_order_.size(); ++i)
    aside_order_[i] = i;
  for (std::size_t i = aside_order_.size(); i > 1; --i)
    std::swap(aside_order_[i - 1], aside_order_[random_.below(i)]);
}

void Composer::set_variable(std::string_view name, std::string value) {
  for (auto& [known, known_value] : variables_) {
    if (known != name) continue;
    known_value = std::move(value);
    return;
  }
  variables_.emplace_back(std::string(name), std::move(value));
}

Sentence Composer::sentence(std::string_view text_template, std::string_view related) {
  Sentence sentence;
  render(sentence.text, text_template, related, true);
  bool starts_with_name = sentence.text.rfind(keyword_.phrase, 0) == 0 ||
                          (!related.empty() && sentence.text.rfind(related, 0) == 0);
  sentence.lowercase_after_opener = !starts_with_name;
  observe(sentence.text);
  return sentence;
}

std::string Composer::text(std::string_view text_template, std::string_view related) {
  std::string out;
  render(out, text_template, related, false);
  return out;
}

void Composer::observe(std::string_view text) {
  words_ += count_words(text);
  keyword_uses_ += matcher_.count_in_text(text);
}

std::string_view Composer::next_aside() {
  if (next_aside_ >= aside_order_.size()) return {};
  return tone_.asides[aside_order_[next_aside_++]];
}

std::string_view Composer::opener(std::string_view avoid) {
  for (std::size_t tries = 0; tries < tone_.openers.size(); ++tries) {
    std::string_view candidate = tone_.openers[next_opener_++ % tone_.openers.size()];
    if (first_word(candidate) != avoid) return candidate;
  }
  return tone_.openers.front();
}

void Composer::render(std::string& out, std::string_view text_template, std::string_view related,
                      bool optional_keyword) {
  std::size_t i = 0;
  while (i < text_template.size()) {
    char c = text_template[i];
    if (c == '{') {
      std::size_t close = text_template.find('}', i);
      render_slot(out, text_template.substr(i + 1, close - i - 1), related, optional_keyword);
      i = close + 1;
      continue;
    }
    if (c == '[') {
      std::size_t close = text_template.find(']', i);
      std::vector<std::string_view> choices =
          split_on(text_template.substr(i + 1, close - i - 1), '|');
      render(out, choices[random_.below(choices.size())], related, optional_keyword);
      i = close + 1;
      continue;
    }
    out += c;
    ++i;
  }
}

void Composer::render_slot(std::string& out, std::string_view slot, std::string_view related,
                           bool optional_keyword) {
  if (slot == "kw") {
    out += keyword_.in_text;
    return;
  }
  if (slot.rfind("kw:", 0) == 0) {
    if (!optional_keyword || keyword_wanted()) {
      out += keyword_.in_text;
      return;
    }
    render(out, slot.substr(3), related, optional_keyword);
    return;
  }
  if (slot.rfind("link:", 0) == 0) {
    out += '[';
    out += slot.substr(5);
    out += "](";
    render_slot(out, "url", related, optional_keyword);
    out += ')';
    return;
  }
  if (slot == "Kw") {
    out += out.empty() ? keyword_.heading_start : keyword_.heading_inner;
    return;
  }
  if (slot == "rel") {
    out += related;
    return;
  }
  if (slot == "Rel") {
    out += title_case(related, out.empty());
    return;
  }
  for (const ToneWord& word : tone_.words) {
    if (word.slot != slot) continue;
    std::vector<std::string_view> choices = split_on(word.choices, '|');
    out += choices[random_.below(choices.size())];
    return;
  }
  for (const auto& [name, value] : variables_) {
    if (name != slot) continue;
    out += value;
    return;
  }
  out += '{';
  out += slot;
  out += '}';
}

bool Composer::keyword_wanted() const {
  return static_cast<double>(keyword_uses_ + 1) * 1000.0 <=
         keywords_per_thousand_ * static_cast<double>(words_ + 15);
}

}  // namespace seoagents::jobs::builtin
