// English language data for the analysis: the word lists and the rules that use them.
#include "seo/english.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <initializer_list>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace seoagents::seo::english {
namespace {

// An immutable set of words, hashed: the lists are looked up for every word of the text.
class WordSet {
 public:
  WordSet(std::initializer_list<std::string_view> words) : words_(words) {}
  bool contains(std::string_view word) const { return words_.contains(word); }

 private:
  std::unordered_set<std::string_view> words_;
};

const WordSet& function_words() {
  static const WordSet words{
      // Articles, determiners and quantifiers.
      "a", "an", "the", "this", "that", "these", "those", "my", "your", "his", "her", "its", "our",
      "their", "some", "any", "each", "every", "either", "neither", "all", "both", "few", "many",
      "much", "more", "most", "less", "least", "several", "no", "other", "another", "such", "own",
      "same", "lot", "lots", "plenty", "enough", "whatever", "whichever",
      // Pronouns.
      "i", "me", "you", "he", "him", "she", "it", "we", "us", "they", "them", "myself", "yourself",
      "himself", "herself", "itself", "ourselves", "yourselves", "themselves", "mine", "yours",
      "hers", "ours", "theirs", "someone", "somebody", "something", "anyone", "anybody", "anything",
      "everyone", "everybody", "everything", "nobody", "nothing", "none", "one's",
      // Interrogatives and relatives.
      "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "whenever",
      "wherever", "whoever",
      // Prepositions.
      "about", "above", "across", "after", "against", "along", "among", "amongst", "around", "as",
      "at", "before", "behind", "below", "beneath", "beside", "besides", "between", "beyond", "by",
      "despite", "down", "during", "except", "for", "from", "in", "inside", "into", "like", "near",
      "of", "off", "on", "onto", "out", "outside", "over", "past", "per", "since", "than",
      "through", "throughout", "till", "to", "toward", "towards", "under", "underneath", "until",
      "up", "upon", "via", "with", "within", "without",
      // Conjunctions.
      "and", "but", "or", "nor", "so", "yet", "because", "although", "though", "if", "unless",
      "whether", "while", "whereas", "however",
      // Auxiliaries and modals.
      "am", "is", "are", "was", "were", "be", "been", "being", "do", "does", "did", "doing", "have",
      "has", "had", "having", "can", "could", "may", "might", "must", "shall", "should", "will",
      "would", "ought",
      // Contractions.
      "i'm", "you're", "he's", "she's", "it's", "we're", "they're", "i've", "you've", "we've",
      "they've", "i'd", "you'd", "he'd", "she'd", "we'd", "they'd", "i'll", "you'll", "he'll",
      "she'll", "we'll", "they'll", "isn't", "aren't", "wasn't", "weren't", "don't", "doesn't",
      "didn't", "can't", "couldn't", "won't", "wouldn't", "shouldn't", "hasn't", "haven't",
      "hadn't", "mustn't", "let's", "that's", "there's", "here's", "what's", "who's",
      // Very common adverbs and particles.
      "very", "really", "too", "also", "just", "only", "even", "quite", "rather", "then", "there",
      "here", "now", "not", "never", "always", "often", "sometimes", "again", "already", "still",
      "ever", "almost", "else", "perhaps", "maybe", "well", "instead", "indeed", "etc", "yes", "ok",
      "okay", "please",
      // Cardinal and ordinal numerals.
      "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
      "twelve", "twenty", "hundred", "thousand", "million", "first", "second", "third", "fourth",
      "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"};
  return words;
}

const WordSet& first_word_exceptions() {
  // clang-format off
  static const WordSet words{
      "the", "a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
      "ten", "this", "that", "these", "those"};
  // clang-format on
  return words;
}

const WordSet& single_transition_words() {
  // clang-format off
  static const WordSet words{
      "accordingly", "additionally", "afterward", "afterwards", "albeit", "also", "although",
      "altogether", "basically", "because", "besides", "but", "certainly", "chiefly",
      "comparatively", "concurrently", "consequently", "contrarily", "conversely",
      "correspondingly", "e.g", "earlier", "emphatically", "equally", "especially", "eventually",
      "evidently", "explicitly", "finally", "firstly", "formerly", "forthwith", "fourthly",
      "further", "furthermore", "generally", "hence", "henceforth", "however", "i.e", "identically",
      "importantly", "indeed", "initially", "instead", "lastly", "later", "lest", "likewise",
      "markedly", "meanwhile", "moreover", "namely", "nevertheless", "nonetheless", "nor",
      "notably", "notwithstanding", "obviously", "occasionally", "otherwise", "overall",
      "particularly", "presently", "previously", "rather", "regardless", "secondly", "shortly",
      "significantly", "similarly", "simultaneously", "since", "so", "soon", "specifically",
      "still", "straightaway", "subsequently", "surely", "surprisingly", "then", "thereafter",
      "therefore", "thereupon", "thirdly", "though", "thus", "till", "too", "undeniably",
      "undoubtedly", "unless", "unlike", "unquestionably", "until", "when", "whenever", "whereas",
      "while"};
  // clang-format on
  return words;
}

// Multi-word transitions, each as its words.
const std::vector<std::vector<std::string_view>>& transition_phrases() {
  // clang-format off
  static const std::vector<std::vector<std::string_view>> phrases{
      {"above", "all"}, {"after", "all"}, {"after", "that"}, {"all", "in", "all"},
      {"as", "a", "consequence"}, {"as", "a", "result"}, {"as", "an", "example"},
      {"as", "long", "as"}, {"as", "mentioned"}, {"as", "soon", "as"}, {"as", "well", "as"},
      {"at", "first"}, {"at", "last"}, {"at", "the", "same", "time"}, {"because", "of"},
      {"by", "contrast"}, {"by", "the", "way"}, {"due", "to"}, {"equally", "important"},
      {"even", "if"}, {"even", "so"}, {"even", "though"}, {"first", "of", "all"},
      {"for", "example"}, {"for", "instance"}, {"for", "one", "thing"}, {"for", "this", "reason"},
      {"given", "that"}, {"in", "addition"}, {"in", "any", "case"}, {"in", "brief"},
      {"in", "conclusion"}, {"in", "contrast"}, {"in", "fact"}, {"in", "general"},
      {"in", "order", "to"}, {"in", "other", "words"}, {"in", "particular"}, {"in", "short"},
      {"in", "spite", "of"}, {"in", "summary"}, {"in", "the", "end"},
      {"in", "the", "first", "place"}, {"in", "the", "long", "run"}, {"in", "the", "meantime"},
      {"in", "the", "same", "way"}, {"most", "importantly"}, {"not", "to", "mention"},
      {"of", "course"}, {"on", "the", "contrary"}, {"on", "the", "other", "hand"},
      {"on", "top", "of", "that"}, {"provided", "that"}, {"so", "that"}, {"such", "as"},
      {"that", "is"}, {"to", "begin", "with"}, {"to", "conclude"}, {"to", "illustrate"},
      {"to", "sum", "up"}, {"to", "summarize"}, {"with", "this", "in", "mind"}};
  // clang-format on
  return phrases;
}

// Two-part transitions: the first part, then the second later in the same sentence.
struct TwoPartTransition {
  std::vector<std::string_view> first;
  std::vector<std::string_view> second;
};
const std::vector<TwoPartTransition>& two_part_transitions() {
  static const std::vector<TwoPartTransition> pairs{
      {{"both"}, {"and"}},         {{"either"}, {"or"}},
      {{"neither"}, {"nor"}},      {{"not", "only"}, {"but", "also"}},
      {{"whether"}, {"or"}},       {{"if"}, {"then"}},
      {{"no", "sooner"}, {"than"}}};
  return pairs;
}

// Whether `phrase` occurs in `words` at `start`.
bool phrase_at(std::span<const std::string> words, std::span<const std::string_view> phrase,
               std::size_t start) {
  return start + phrase.size() <= words.size() &&
         std::equal(phrase.begin(), phrase.end(),
                    words.begin() + static_cast<std::ptrdiff_t>(start));
}

// Where `phrase` occurs in `words` at or after `from`; words.size() if nowhere.
std::size_t find_phrase(std::span<const std::string> words,
                        std::span<const std::string_view> phrase, std::size_t from = 0) {
  for (std::size_t start = from; start + phrase.size() <= words.size(); ++start) {
    if (phrase_at(words, phrase, start)) return start;
  }
  return words.size();
}

// The multi-word transitions, found by their first word.
using PhraseIndex =
    std::unordered_map<std::string_view, std::vector<std::span<const std::string_view>>>;

const PhraseIndex& phrases_by_first_word() {
  static const PhraseIndex index = [] {
    PhraseIndex built;
    for (const auto& phrase : transition_phrases())
      built[phrase.front()].emplace_back(phrase);
    return built;
  }();
  return index;
}

bool has_transition_at(std::span<const std::string> words, std::size_t i) {
  if (single_transition_words().contains(words[i])) return true;
  const PhraseIndex& index = phrases_by_first_word();
  const auto phrases = index.find(words[i]);
  if (phrases == index.end()) return false;
  return std::any_of(phrases->second.begin(), phrases->second.end(),
                     [&](const auto& phrase) { return phrase_at(words, phrase, i); });
}

bool has_two_part_transition(std::span<const std::string> words) {
  for (const TwoPartTransition& pair : two_part_transitions()) {
    const std::size_t first = find_phrase(words, pair.first);
    if (first == words.size()) continue;
    if (find_phrase(words, pair.second, first + pair.first.size()) < words.size()) {
      return true;
    }
  }
  return false;
}

// Forms of "be" and "get" that build the passive voice, contractions included.
const WordSet& passive_auxiliaries() {
  // clang-format off
  static const WordSet words{
      "am", "is", "are", "was", "were", "be", "been", "being", "get", "gets", "got", "gotten",
      "getting", "i'm", "you're", "he's", "she's", "it's", "we're", "they're", "that's", "what's",
      "isn't", "aren't", "wasn't", "weren't", "there's", "here's", "who's"};
  // clang-format on
  return words;
}

// Words that may stand between the auxiliary and the participle ("is not always used").
const WordSet& passive_interjacent_words() {
  // clang-format off
  static const WordSet words{
      "not", "never", "also", "always", "often", "already", "still", "just", "being", "been",
      "even", "then", "now", "all", "both", "each", "rarely", "seldom", "usually", "ever", "only",
      "mostly", "partly", "largely"};
  // clang-format on
  return words;
}

const WordSet& irregular_participles() {
  // clang-format off
  static const WordSet words{
      "arisen", "awoken", "beaten", "become", "begun", "bent", "bet", "bid", "bitten", "blown",
      "born", "borne", "bought", "bound", "broken", "brought", "built", "burnt", "burst", "caught",
      "chosen", "clung", "come", "cost", "crept", "cut", "dealt", "done", "drawn", "dreamt",
      "driven", "drunk", "dug", "eaten", "fallen", "fed", "felt", "fought", "found", "fled",
      "flown", "flung", "forbidden", "forecast", "foreseen", "forgiven", "forgotten", "frozen",
      "given", "gone", "ground", "grown", "hung", "heard", "hidden", "hit", "held", "hurt", "kept",
      "knelt", "known", "laid", "led", "leant", "learnt", "left", "lent", "let", "lain", "lit",
      "lost", "made", "meant", "met", "mistaken", "misunderstood", "mown", "overcome", "overseen",
      "overtaken", "overthrown", "paid", "proven", "put", "quit", "read", "rebuilt", "redone",
      "rewritten", "rid", "ridden", "rung", "risen", "run", "said", "sawn", "seen", "sought",
      "sold", "sent", "set", "sewn", "shaken", "shed", "shone", "shot", "shown", "shrunk", "shut",
      "sung", "sunk", "sat", "slain", "slept", "slid", "slit", "sown", "spoken", "sped", "spent",
      "spilt", "spun", "spat", "split", "spoilt", "spread", "sprung", "stood", "stolen", "stuck",
      "stung", "stunk", "strewn", "stridden", "struck", "strung", "striven", "sworn", "swept",
      "swollen", "swum", "swung", "taken", "taught", "torn", "told", "thought", "thrown", "thrust",
      "trodden", "understood", "undertaken", "undone", "upheld", "upset", "woken", "worn", "woven",
      "wed", "wept", "won", "wound", "withdrawn", "withheld", "withstood", "wrung", "written"};
  // clang-format on
  return words;
}

// Words ending in -ed that are not past participles.
const WordSet& non_participles_ending_in_ed() {
  // clang-format off
  static const WordSet words{
      "aged", "beloved", "bleed", "bed", "breed", "creed", "crooked", "deed", "dogged", "embed",
      "exceed", "feed", "greed", "hatred", "heed", "hundred", "indeed", "jagged", "kindred",
      "naked", "need", "proceed", "ragged", "red", "reed", "rugged", "sacred", "seed", "shred",
      "sled", "speed", "steed", "succeed", "tweed", "weed", "wicked", "wretched"};
  // clang-format on
  return words;
}

bool ends_with(std::string_view word, std::string_view suffix) {
  return word.size() >= suffix.size() && word.substr(word.size() - suffix.size()) == suffix;
}

bool is_participle(std::string_view word) {
  if (irregular_participles().contains(word)) return true;
  // A regular participle: at least one letter before "ed", and not a known non-verb.
  return word.size() >= 4 && ends_with(word, "ed") &&
         !non_participles_ending_in_ed().contains(word);
}

// "shoe's" -> "shoe", "shoes'" -> "shoes".
std::string_view without_possessive(std::string_view word) {
  if (ends_with(word, "'s")) return word.substr(0, word.size() - 2);
  if (ends_with(word, "'")) return word.substr(0, word.size() - 1);
  return word;
}

// Whether `plural` is a regular plural of `singular`.
bool is_plural_of(std::string_view plural, std::string_view singular) {
  if (singular.size() < 2) return false;
  const std::string_view stem = plural.substr(0, plural.size() >= 3 ? plural.size() - 3 : 0);
  if (ends_with(plural, "ies") && ends_with(singular, "y") &&
      stem == singular.substr(0, singular.size() - 1)) {
    return true;
  }
  if (plural.size() == singular.size() + 1 && ends_with(plural, "s")) {
    return plural.substr(0, singular.size()) == singular;
  }
  return plural.size() == singular.size() + 2 && ends_with(plural, "es") &&
         plural.substr(0, singular.size()) == singular;
}

bool is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

// The word's letters a-z only (apostrophes and other characters dropped).
std::string ascii_letters(std::string_view word) {
  std::string letters;
  for (char c : word) {
    if (c >= 'a' && c <= 'z') letters += c;
  }
  return letters;
}

int count_vowel_groups(std::string_view letters) {
  int groups = 0;
  bool in_group = false;
  for (char c : letters) {
    const bool vowel = is_vowel(c);
    if (vowel && !in_group) ++groups;
    in_group = vowel;
  }
  return groups;
}

// Endings spelled with a vowel that is not pronounced: "make", "used", "boxes" after a sibilant
// keep their syllable ("boxes", "wanted") and are not counted here.
bool has_silent_ending(std::string_view letters) {
  const std::size_t n = letters.size();
  if (n < 3) return false;
  const char before_end = letters[n - 2];
  if (letters[n - 1] == 'e') {
    // "table", "little": the -le keeps its syllable after a consonant.
    return !(before_end == 'l' && !is_vowel(letters[n - 3])) && !is_vowel(before_end);
  }
  if (ends_with(letters, "ed")) {
    const char stem_end = letters[n - 3];
    return stem_end != 't' && stem_end != 'd' && !is_vowel(stem_end);
  }
  if (ends_with(letters, "es")) {
    const char stem_end = letters[n - 3];
    return stem_end != 's' && stem_end != 'x' && stem_end != 'z' && stem_end != 'c' &&
           stem_end != 'g' && stem_end != 'h' && !is_vowel(stem_end);
  }
  return false;
}

constexpr std::array<std::string_view, 40> kAbbreviations{
    "e.g.",  "E.g.", "i.e.",  "I.e.", "Dr.",  "Mr.",  "Mrs.",  "Ms.",     "Prof.", "St.",
    "Jr.",   "Sr.",  "vs.",   "Vs.",  "cf.",  "U.S.", "U.K.",  "U.S.A.",  "E.U.",  "Inc.",
    "Ltd.",  "Co.",  "Corp.", "No.",  "Nos.", "Fig.", "Figs.", "approx.", "Mt.",   "Gen.",
    "Capt.", "Sgt.", "Rev.",  "Ave.", "Jan.", "Feb.", "Aug.",  "Sept.",   "Oct.",  "Nov."};

}  // namespace

std::span<const std::string_view> abbreviations() {
  return kAbbreviations;
}

bool is_function_word(std::string_view word) {
  return function_words().contains(word);
}

bool same_word_form(std::string_view text_word, std::string_view keyphrase_word) {
  if (text_word == keyphrase_word) return true;
  // Forms differ only at the end, by at most three characters ("city" / "cities'"): most pairs
  // are ruled out before any comparison.
  const std::size_t longer = std::max(text_word.size(), keyphrase_word.size());
  const std::size_t shorter = std::min(text_word.size(), keyphrase_word.size());
  if (shorter == 0 || longer - shorter > 3 || text_word[0] != keyphrase_word[0]) return false;
  const std::string_view text = without_possessive(text_word);
  const std::string_view keyphrase = without_possessive(keyphrase_word);
  return text == keyphrase || is_plural_of(text, keyphrase) || is_plural_of(keyphrase, text);
}

bool is_first_word_exception(std::string_view word) {
  return first_word_exceptions().contains(word);
}

bool has_transition_word(std::span<const std::string> words) {
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (has_transition_at(words, i)) return true;
  }
  return has_two_part_transition(words);
}

bool is_passive(std::span<const std::string> words) {
  const WordSet& auxiliaries = passive_auxiliaries();
  const WordSet& interjacent = passive_interjacent_words();
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (!auxiliaries.contains(words[i])) continue;
    std::size_t next = i + 1;
    while (next < words.size() &&
           (interjacent.contains(words[next]) || ends_with(words[next], "ly"))) {
      ++next;
    }
    if (next < words.size() && is_participle(words[next])) return true;
  }
  return false;
}

int count_syllables(std::string_view word) {
  const std::string letters = ascii_letters(word);
  if (letters.empty()) return 1;
  if (letters.size() <= 3) return 1;
  const int groups = count_vowel_groups(letters) - (has_silent_ending(letters) ? 1 : 0);
  return std::max(groups, 1);
}

}  // namespace seoagents::seo::english
