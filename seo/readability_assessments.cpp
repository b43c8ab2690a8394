// The readability assessments, with Yoast's thresholds and scores (Yoast SEO's "SCORING
// READABILITY" rules): subheading distribution, paragraph length, sentence length, transition
// words, passive voice and consecutive sentences starting with the same word.
#include <algorithm>

#include "seo/assessments.hpp"
#include "seo/language.hpp"

namespace seoagents::seo {
namespace {

constexpr Category kReadability = Category::readability;

// Yoast assesses readability from 50 characters of text on.
constexpr std::int64_t kEnoughCharacters = 50;

Assessment readability_assessment(std::string id, int yoast_score, std::string message) {
  return make_assessment(std::move(id), kReadability, yoast_score, std::move(message));
}

// ---------------------------------------------------------------------------------------------
// Subheading distribution (every heading level counts): in a text over 300 words, sections of at
// most 300 words 9, up to 350 6, longer 3; a beginning of 300–350 words before the first heading
// 6 (over 350: 3) when no other section is too long; no subheadings at all 2. Up to 300 words
// 9, subheadings or not.

struct Sections {
  bool has_headings = false;
  // Words before the first heading; -1 when the text starts with a heading.
  std::int64_t beginning = -1;
  // Words after each heading, up to the next.
  std::vector<std::int64_t> after_headings;
};

Sections sections_of(const AnalysisContext& context) {
  Sections sections;
  std::int64_t words = 0;
  for (const TextBlock& block : context.blocks) {
    if (block.block->kind != BlockKind::heading) {
      words += block.word_count;
      continue;
    }
    if (sections.has_headings) {
      sections.after_headings.push_back(words);
    } else if (words > 0) {
      sections.beginning = words;
    }
    sections.has_headings = true;
    words = 0;
  }
  if (sections.has_headings) {
    sections.after_headings.push_back(words);
  } else {
    sections.beginning = words;
  }
  return sections;
}

Assessment subheading_distribution(const AnalysisContext& context) {
  const std::string id = "subheading_distribution";
  const Sections sections = sections_of(context);
  if (context.word_count <= 300) {
    return readability_assessment(
        id, 9,
        sections.has_headings
            ? "Great job!"
            : "The text has no subheadings, but it is short enough not to need them.");
  }
  if (!sections.has_headings) {
    return readability_assessment(id, 2,
                                  "The text has " + std::to_string(context.word_count) +
                                      " words and no subheadings. Add subheadings to break it "
                                      "up.");
  }
  std::vector<std::int64_t> lengths = sections.after_headings;
  if (sections.beginning > 0) lengths.push_back(sections.beginning);
  const auto too_long =
      std::count_if(lengths.begin(), lengths.end(), [](std::int64_t n) { return n > 300; });
  if (sections.beginning > 300 && too_long < 2) {
    return readability_assessment(id, sections.beginning <= 350 ? 6 : 3,
                                  "The beginning of the text has " +
                                      std::to_string(sections.beginning) +
                                      " words before the first subheading, more than 300. Add a "
                                      "subheading to improve readability.");
  }
  const std::int64_t longest = *std::max_element(lengths.begin(), lengths.end());
  if (longest <= 300) {
    return readability_assessment(id, 9,
                                  "No section runs longer than 300 words without a subheading. "
                                  "Great job!");
  }
  return readability_assessment(
      id, longest <= 350 ? 6 : 3,
      count_of(too_long, "section of the text is", "sections of the text are") +
          " longer than 300 words without a subheading (the longest "
          "has " +
          std::to_string(longest) + "). Add subheadings to improve readability.");
}

// ---------------------------------------------------------------------------------------------
// Paragraph length (list items count as paragraphs): longest up to 150 words 9, up to 200 6,
// longer 3. Not assessed without paragraphs.

void add_paragraph_length(const AnalysisContext& context, std::vector<Assessment>& out) {
  std::int64_t longest = 0;
  std::int64_t too_long = 0;
  bool any = false;
  for (const TextBlock& block : context.blocks) {
    if (block.block->kind == BlockKind::heading) continue;
    any = true;
    longest = std::max(longest, block.word_count);
    if (block.word_count > 150) ++too_long;
  }
  if (!any) return;
  const std::string id = "paragraph_length";
  if (longest <= 150) {
    out.push_back(
        readability_assessment(id, 9, "No paragraph is longer than 150 words. Great job!"));
    return;
  }
  out.push_back(readability_assessment(
      id, longest <= 200 ? 6 : 3,
      count_of(too_long, "paragraph has", "paragraphs have") +
          " more than the recommended maximum of 150 words (the longest has " +
          std::to_string(longest) + "). Shorten your paragraphs."));
}

// ---------------------------------------------------------------------------------------------
// Sentence length: sentences over 20 words make up at most 25% 9, up to 30% 6, more 3.

Assessment sentence_length(const AnalysisContext& context) {
  const std::vector<const Sentence*> sentences = context.sentences();
  const auto too_long = std::count_if(sentences.begin(), sentences.end(),
                                      [](const Sentence* s) { return s->words.size() > 20; });
  const double percentage =
      rounded_percentage(too_long, static_cast<std::int64_t>(sentences.size()));
  if (percentage <= 25) {
    return readability_assessment("sentence_length", 9,
                                  format_percentage(percentage) +
                                      " of the sentences contain more than 20 words, within the "
                                      "recommended maximum of 25%. Great!");
  }
  return readability_assessment(
      "sentence_length", percentage <= 30 ? 6 : 3,
      format_percentage(percentage) +
          " of the sentences contain more than 20 words, more than the recommended maximum of "
          "25%. Shorten the sentences.");
}

// ---------------------------------------------------------------------------------------------
// Transition words: at least 30% of the sentences with one 9, 20–30% 6, fewer 3; texts under
// 200 words always 9.

void add_transition_words(const AnalysisContext& context, std::vector<Assessment>& out) {
  const Language& language = *context.language;
  if (language.has_transition_word == nullptr) return;
  const std::string id = "transition_words";
  const std::vector<const Sentence*> sentences = context.sentences();
  const auto with_transition =
      std::count_if(sentences.begin(), sentences.end(),
                    [&](const Sentence* s) { return language.has_transition_word(s->words); });
  const double percentage =
      rounded_percentage(with_transition, static_cast<std::int64_t>(sentences.size()));
  if (context.word_count < 200) {
    out.push_back(readability_assessment(
        id, 9,
        with_transition > 0 ? "The text uses transition words. Well done!"
                            : "The text uses no transition words, but it is short enough not to "
                              "need them."));
    return;
  }
  if (percentage >= 30) {
    out.push_back(readability_assessment(
        id, 9,
        format_percentage(percentage) + " of the sentences contain transition words. Well done!"));
    return;
  }
  if (with_transition == 0) {
    out.push_back(readability_assessment(
        id, 3,
        "None of the sentences contain transition words (\"however\", \"for example\"). Use "
        "some in at least 30% of them."));
    return;
  }
  out.push_back(readability_assessment(
      id, percentage >= 20 ? 6 : 3,
      "Only " + format_percentage(percentage) +
          " of the sentences contain transition words, which is not enough. Use them in at "
          "least 30% of the sentences."));
}

// ---------------------------------------------------------------------------------------------
// Passive voice: at most 10% of the sentences 9, up to 15% 6, more 3.

void add_passive_voice(const AnalysisContext& context, std::vector<Assessment>& out) {
  const Language& language = *context.language;
  if (language.is_passive == nullptr) return;
  const std::vector<const Sentence*> sentences = context.sentences();
  const auto passive = std::count_if(sentences.begin(), sentences.end(), [&](const Sentence* s) {
    return language.is_passive(s->words);
  });
  const double percentage =
      rounded_percentage(passive, static_cast<std::int64_t>(sentences.size()));
  if (percentage <= 10) {
    out.push_back(readability_assessment("passive_voice", 9,
                                         "You're using enough active voice. That's great!"));
    return;
  }
  out.push_back(readability_assessment(
      "passive_voice", percentage <= 15 ? 6 : 3,
      format_percentage(percentage) +
          " of the sentences contain passive voice, more than the recommended maximum of 10%. "
          "Use their active counterparts."));
}

// ---------------------------------------------------------------------------------------------
// Consecutive sentences: three or more in a row starting with the same word 3, otherwise 9. An
// article, numeral or demonstrative at the start counts together with the word after it.

std::string beginning_of(const Sentence& sentence, const Language& language) {
  const std::vector<std::string>& words = sentence.words;
  if (words.size() > 1 && language.is_first_word_exception != nullptr &&
      language.is_first_word_exception(words[0])) {
    return words[0] + " " + words[1];
  }
  return words[0];
}

Assessment consecutive_sentences(const AnalysisContext& context) {
  std::string longest_beginning;
  std::int64_t longest_run = 0;
  std::string previous;
  std::int64_t run = 0;
  for (const Sentence* sentence : context.sentences()) {
    std::string beginning = beginning_of(*sentence, *context.language);
    run = beginning == previous ? run + 1 : 1;
    if (run > longest_run) {
      longest_run = run;
      longest_beginning = beginning;
    }
    previous = std::move(beginning);
  }
  if (longest_run < 3) {
    return readability_assessment("consecutive_sentences", 9,
                                  "There are no repetitive sentence beginnings. That's great!");
  }
  return readability_assessment("consecutive_sentences", 3,
                                "The text contains " + std::to_string(longest_run) +
                                    " consecutive sentences starting with \"" + longest_beginning +
                                    "\". Mix things up.");
}

}  // namespace

void add_readability_assessments(const AnalysisContext& context, std::vector<Assessment>& out) {
  if (context.text_characters < kEnoughCharacters) {
    out.push_back(readability_assessment("text_presence", 3,
                                         "There is not enough text to assess its readability. "
                                         "Add some content."));
    return;
  }
  out.push_back(subheading_distribution(context));
  add_paragraph_length(context, out);
  out.push_back(sentence_length(context));
  add_transition_words(context, out);
  add_passive_voice(context, out);
  out.push_back(consecutive_sentences(context));
}

}  // namespace seoagents::seo
