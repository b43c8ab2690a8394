// The builtin writer's operations: outline (the plan), draft (the plan composed and fitted to
// the word target), enhance (a given article kept and deepened) and paragraph rewrites.
#include "jobs/writers/builtin_article.hpp"

#include <algorithm>

#include "jobs/writers/builtin_compose.hpp"
#include "jobs/writers/builtin_document.hpp"
#include "jobs/writers/builtin_plan.hpp"

namespace seoagents::jobs::builtin {
namespace {

// Readability limits the analysis applies.
constexpr std::int64_t kMaxSentenceWords = 20;
constexpr std::int64_t kMaxParagraphWords = 150;
constexpr std::int64_t kMaxWordsWithoutSubheading = 280;
// Share of sentences the writer gives a transition word (the analysis wants 30%).
constexpr int kTransitionPercent = 40;
// Longest title kept from a given article.
constexpr std::int64_t kMaxKeptTitle = 60;
constexpr std::int64_t kMetaMin = 121;
constexpr std::int64_t kMetaMax = 156;

// The fixes the analysis's readability problems ask for, read from its wording.
struct ProblemFixes {
  bool long_sentences = false;
  bool long_paragraphs = false;
  bool subheadings = false;
  bool transitions = false;
  bool beginnings = false;
};

bool mentions(std::string_view text, std::initializer_list<std::string_view> words) {
  return std::any_of(words.begin(), words.end(),
                     [&](std::string_view word) { return text.find(word) != std::string::npos; });
}

ProblemFixes read_problems(const std::vector<std::string>& problems) {
  ProblemFixes fixes;
  for (const std::string& problem : problems) {
    std::string text = ascii_lower(problem);
    fixes.transitions = fixes.transitions || mentions(text, {"transition"});
    fixes.beginnings =
        fixes.beginnings || mentions(text, {"consecutive", "same word", "begin", "start with"});
    fixes.subheadings = fixes.subheadings || mentions(text, {"subheading", "heading distribution"});
    fixes.long_paragraphs = fixes.long_paragraphs || mentions(text, {"paragraph"});
    fixes.long_sentences =
        fixes.long_sentences ||
        (mentions(text, {"sentence"}) && mentions(text, {"long", "length", "words", "shorten"}) &&
         !mentions(text, {"consecutive", "transition", "passive"}));
  }
  return fixes;
}

void finish_readability(Document& document, Composer& composer, const ProblemFixes& fixes) {
  if (fixes.subheadings) add_missing_subheadings(document, kMaxWordsWithoutSubheading, composer);
  add_transitions(document, composer, kTransitionPercent,
                  fixes.transitions ? BlockFilter(any_block) : BlockFilter(generated_block));
  vary_sentence_beginnings(
      document, composer, fixes.beginnings ? BlockFilter(any_block) : BlockFilter(generated_block));
}

bool starts_with_keyword(std::string_view text, const KeywordForms& keyword) {
  return ascii_lower(text).rfind(ascii_lower(keyword.phrase), 0) == 0;
}

std::string title_for(const BriefContext& brief, std::string_view given) {
  if (!given.empty() && starts_with_keyword(given, brief.keyword) &&
      character_count(given) <= kMaxKeptTitle)
    return std::string(given);
  return default_title(brief);
}

std::string meta_for(const BriefContext& brief, std::string_view given, Composer& composer) {
  std::int64_t length = character_count(given);
  if (contains_phrase(given, brief.keyword.phrase) && length >= kMetaMin && length <= kMetaMax)
    return std::string(given);
  return make_meta_description(brief, composer);
}

// --- draft ---

Document compose_plan(const BriefContext& brief, const ArticlePlan& plan, ArticleComposer& writer) {
  Document document;
  for (Block& block : writer.introduction(plan))
    document.blocks.push_back(std::move(block));
  bool mention_related = related_section_count(brief) == 0 && !brief.related.empty();
  for (const PlannedSection& section : plan.sections) {
    std::vector<Block> blocks = writer.section(section);
    if (mention_related && section.kind == SectionKind::body &&
        blocks.back().kind == BlockKind::paragraph) {
      blocks.back().sentences.push_back(writer.related_mention(brief.related.front()));
      mention_related = false;
    }
    for (Block& block : blocks)
      document.blocks.push_back(std::move(block));
  }
  return document;
}

// --- enhance ---

std::size_t find_heading(const Document& document, bool (*matches)(std::string_view)) {
  for (std::size_t i = 0; i < document.blocks.size(); ++i) {
    const Block& block = document.blocks[i];
    if (block.kind == BlockKind::heading2 && matches(block.text)) return i;
  }
  return document.blocks.size();
}

// Where new body sections go: before the FAQ, else before the conclusion, else at the end.
std::size_t insertion_point(const Document& document) {
  std::size_t faq = find_heading(document, is_faq_heading);
  if (faq < document.blocks.size()) return faq;
  return find_heading(document, is_conclusion_heading);
}

// The literal start of a sentence template (up to its first slot), to recognise it in text.
std::string_view literal_start(std::string_view sentence) {
  return sentence.substr(0, sentence.find_first_of("{["));
}

// Marks the points whose first sentence the text already has, so they are not written twice.
void use_points_in_text(std::string_view text, PointSupply& supply) {
  auto check = [&](const PointTemplate& point) {
    std::string_view start = literal_start(point.sentences.front());
    if (start.size() >= 12 && text.find(start) != std::string_view::npos) supply.use(&point);
  };
  for (const AngleTemplate& angle : angle_templates())
    for (const PointTemplate& point : angle.points)
      check(point);
  for (const PointTemplate& point : general_points())
    check(point);
}

// Gives every body section of the given text a section id (so it may be deepened) and returns
// the angles the text already covers.
std::vector<const AngleTemplate*> adopt_sections(Document& document, const BriefContext& brief,
                                                 ArticleComposer& writer) {
  std::vector<const AngleTemplate*> covered;
  int section = -1;
  for (Block& block : document.blocks) {
    if (block.kind == BlockKind::heading2) {
      section = -1;
      if (!is_faq_heading(block.text) && !is_conclusion_heading(block.text)) {
        const AngleTemplate* angle = match_angle(brief, block.text);
        if (angle != nullptr) covered.push_back(angle);
        section = writer.adopt_section(angle);
      }
    }
    block.section = section;
  }
  return covered;
}

HeadingRhythm rhythm_for(const Document& document, const KeywordForms& keyword) {
  std::int64_t headings = 0;
  std::int64_t with_keyword = 0;
  for (const Block& block : document.blocks) {
    if (block.kind != BlockKind::heading2 && block.kind != BlockKind::heading3) continue;
    ++headings;
    if (contains_phrase(block.text, keyword.phrase)) ++with_keyword;
  }
  return HeadingRhythm(with_keyword * 2 <= headings);
}

void insert_blocks(Document& document, std::size_t& at, std::vector<Block> blocks) {
  for (Block& block : blocks) {
    document.blocks.insert(document.blocks.begin() + static_cast<std::ptrdiff_t>(at),
                           std::move(block));
    ++at;
  }
}

void add_missing_subtopics(Document& document, std::size_t& at, const BriefContext& brief,
                           const std::vector<std::string>& subtopics, ArticleComposer& writer,
                           HeadingRhythm& rhythm) {
  std::string text = to_markdown(document);
  for (const std::string& subtopic : subtopics) {
    std::string phrase = keyword_forms(subtopic).phrase;
    if (phrase.empty() || contains_phrase(text, phrase)) continue;
    insert_blocks(document, at, writer.section(plan_related(phrase, brief, rhythm)));
  }
}

void add_faq(Document& document, std::size_t& at, const BriefContext& brief,
             ArticleComposer& writer, Composer& composer, HeadingRhythm& rhythm) {
  std::size_t conclusion = find_heading(document, is_conclusion_heading);
  std::vector<Block> faq = writer.section(plan_faq(brief, composer.random(), rhythm));
  document.blocks.insert(document.blocks.begin() + static_cast<std::ptrdiff_t>(conclusion),
                         faq.begin(), faq.end());
  at = conclusion;
}

std::size_t reading_order(const AngleTemplate* angle) {
  return static_cast<std::size_t>(angle - angle_templates().data());
}

// Where a new section of `angle` goes: before the first body section of a later angle (reading
// order), else at `end` (before the FAQ).
std::size_t position_for(const Document& document, const BriefContext& brief,
                         const AngleTemplate& angle, std::size_t end) {
  for (std::size_t i = 0; i < end; ++i) {
    const Block& block = document.blocks[i];
    if (block.kind != BlockKind::heading2) continue;
    const AngleTemplate* other = match_angle(brief, block.text);
    if (other != nullptr && reading_order(other) > reading_order(&angle)) return i;
  }
  return end;
}

// New body sections for angles the article lacks, until it nears the word target.
void add_angle_sections(Document& document, std::size_t& at, const BriefContext& brief,
                        const std::vector<const AngleTemplate*>& covered, ArticleComposer& writer,
                        PointSupply& supply, HeadingRhythm& rhythm) {
  for (const AngleTemplate& angle : angle_templates()) {
    std::int64_t missing = brief.word_target * 98 / 100 - count_words(document);
    if (missing < kWordsPerPoint) return;
    if (std::find(covered.begin(), covered.end(), &angle) != covered.end()) continue;
    std::int64_t points = std::clamp<std::int64_t>((missing - 6) / (kWordsPerPoint + 2), 1, 5);
    PlannedSection section = plan_body(&angle, points, brief, supply, rhythm);
    if (section.groups.empty()) continue;
    std::size_t position = position_for(document, brief, angle, at);
    std::vector<Block> blocks = writer.section(section);
    std::size_t added = blocks.size();
    insert_blocks(document, position, std::move(blocks));
    at += added;
  }
}

// --- rewrite ---

struct RewriteRequest {
  bool start_with_keyword = false;
  bool shorten = false;
  bool transitions = false;
};

RewriteRequest read_instruction(std::string_view instruction) {
  std::string text = ascii_lower(instruction);
  RewriteRequest request;
  bool about_keyword = mentions(text, {"keyphrase", "keyword", "key phrase", "focus"});
  request.start_with_keyword =
      about_keyword && mentions(text, {"start", "begin", "open", "lead with", "first word"});
  request.shorten = mentions(
      text, {"shorten", "split", "long sentence", "shorter", "simplif", "sentence length"});
  request.transitions = mentions(text, {"transition"});
  return request;
}

std::string rewrite_heading(std::string_view line, const KeywordForms& keyword,
                            bool start_with_keyword) {
  std::size_t hashes = line.find_first_not_of('#');
  std::string marks(line.substr(0, hashes));
  std::string text(line.substr(hashes));
  text.erase(0, text.find_first_not_of(' '));
  bool has_keyword = contains_phrase(text, keyword.phrase);
  if (has_keyword && (!start_with_keyword || starts_with_keyword(text, keyword))) {
    return std::string(line);
  }
  return marks + " " + keyword.title + ": " + text;
}

// Puts the keyphrase in front of the first sentence: "Café au lait: most people …".
void start_with_keyword(Block& paragraph, const KeywordForms& keyword) {
  Sentence& first = paragraph.sentences.front();
  if (starts_with_keyword(render_sentence(first), keyword)) return;
  first.text = capitalize_first(keyword.phrase) + ": " + render_sentence(first);
  first.opener.clear();
}

// Works the keyphrase into the first sentence, or adds a short sentence after it.
void include_keyword(Block& paragraph, Composer& composer) {
  const KeywordForms& keyword = composer.keyword();
  Sentence& first = paragraph.sentences.front();
  if (first.opener.empty() && first.lowercase_after_opener &&
      count_words(first.text) <= kMaxSentenceWords - 6) {
    first.opener = "When it comes to " + keyword.in_text + ",";
    return;
  }
  std::string_view rendered = first.text;
  if (!rendered.empty() && rendered.back() == '.' &&
      count_words(rendered) <= kMaxSentenceWords - 4) {
    first.text.pop_back();
    first.text += ", especially with " + keyword.in_text + ".";
    return;
  }
  Sentence added = composer.sentence("That is especially true for {kw}.");
  paragraph.sentences.insert(paragraph.sentences.begin() + 1, std::move(added));
}

Block first_paragraph(Document& document) {
  for (Block& block : document.blocks)
    if (block.kind == BlockKind::paragraph && !block.sentences.empty()) return block;
  return Block{};
}

}  // namespace

Outline plan_outline(const ArticleBrief& brief) {
  return outline_of(plan_article(read_brief(brief)));
}

WrittenArticle write_draft(const ArticleBrief& brief_in, const Outline& outline) {
  BriefContext brief = read_brief(brief_in);
  ArticlePlan plan = plan_article(brief);
  if (!outline_matches(plan, outline)) plan = plan_from_outline(brief, outline);
  Composer composer(*brief.tone, brief.keyword, brief.seed);
  PointSupply supply;
  supply.use_plan(plan);
  ArticleComposer writer(brief, composer, supply);
  Document document = compose_plan(brief, plan, writer);
  ProblemFixes fixes;
  fixes.subheadings = true;
  writer.fit_to_target(document, brief.word_target, true);
  finish_readability(document, composer, fixes);
  // The openers the readability pass added count too: fit once more, then keep beginnings varied.
  writer.fit_to_target(document, brief.word_target, true);
  vary_sentence_beginnings(document, composer, generated_block);
  WrittenArticle article;
  article.title = title_for(brief, outline.title.empty() ? plan.title : outline.title);
  article.meta_description = make_meta_description(brief, composer);
  article.body_markdown = to_markdown(document);
  return article;
}

WrittenArticle write_enhanced(const ArticleBrief& brief_in, const WrittenArticle& current,
                              const EnhanceGuidance& guidance) {
  if (count_words(std::string_view(current.body_markdown)) == 0) {
    // Nothing to keep: the article is written from scratch at the guidance's target.
    ArticleBrief fresh = brief_in;
    if (guidance.word_target > 0) fresh.word_target = guidance.word_target;
    return write_draft(fresh, plan_outline(fresh));
  }
  BriefContext brief = read_brief(brief_in);
  if (guidance.word_target > 0)
    brief.word_target = std::clamp(guidance.word_target, kMinWordTarget, kMaxWordTarget);
  Composer composer(*brief.tone, brief.keyword, brief.seed ^ fnv1a(current.body_markdown));
  Document document = parse_markdown(current.body_markdown);
  composer.observe(to_markdown(document));
  ProblemFixes fixes = read_problems(guidance.readability_problems);
  if (fixes.long_sentences) split_long_sentences(document, kMaxSentenceWords, any_block);
  if (fixes.long_paragraphs) split_long_paragraphs(document, kMaxParagraphWords);
  PointSupply supply;
  use_points_in_text(current.body_markdown, supply);
  ArticleComposer writer(brief, composer, supply);
  std::vector<const AngleTemplate*> covered = adopt_sections(document, brief, writer);
  HeadingRhythm rhythm = rhythm_for(document, brief.keyword);
  std::size_t at = insertion_point(document);
  add_missing_subtopics(document, at, brief, guidance.missing_subtopics, writer, rhythm);
  if (guidance.add_faq && find_heading(document, is_faq_heading) == document.blocks.size())
    add_faq(document, at, brief, writer, composer, rhythm);
  add_angle_sections(document, at, brief, covered, writer, supply, rhythm);
  writer.fit_to_target(document, brief.word_target, true);
  finish_readability(document, composer, fixes);
  writer.fit_to_target(document, brief.word_target, true);
  vary_sentence_beginnings(
      document, composer, fixes.beginnings ? BlockFilter(any_block) : BlockFilter(generated_block));
  WrittenArticle article;
  article.title = title_for(brief, current.title);
  article.meta_description = meta_for(brief, current.meta_description, composer);
  article.body_markdown = to_markdown(document);
  return article;
}

std::string rewrite_paragraph(const ArticleBrief& brief_in, std::string_view paragraph,
                              std::string_view instruction) {
  BriefContext brief = read_brief(brief_in);
  std::uint64_t seed = fnv1a(instruction, fnv1a(paragraph, brief.seed));
  Composer composer(*brief.tone, brief.keyword, seed);
  RewriteRequest request = read_instruction(instruction);
  std::string_view text = paragraph;
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n'))
    text.remove_suffix(1);
  if (text.empty()) {
    const SentenceTemplates& opening = brief.tone->introductions.front();
    return render_sentence(composer.sentence(opening.front()));
  }
  if (text.front() == '#') return rewrite_heading(text, brief.keyword, request.start_with_keyword);
  Document document = parse_markdown(text);
  Block block = first_paragraph(document);
  if (block.sentences.empty()) return std::string(text);
  Document single;
  single.blocks.push_back(std::move(block));
  if (request.shorten) split_long_sentences(single, kMaxSentenceWords, any_block);
  if (request.transitions) add_transitions(single, composer, 50, any_block);
  Block& result = single.blocks.front();
  if (request.start_with_keyword)
    start_with_keyword(result, brief.keyword);
  else if (!contains_phrase(to_markdown(single), brief.keyword.phrase))
    include_keyword(result, composer);
  std::string markdown = to_markdown(single);
  while (!markdown.empty() && markdown.back() == '\n')
    markdown.pop_back();
  return markdown;
}

}  // namespace seoagents::jobs::builtin
