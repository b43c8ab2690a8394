// The builtin writer's composition: plan sections rendered sentence by sentence through the
// Composer (tone words, keyphrase density), points grouped into paragraphs of one or two ideas,
// and the word count brought to the target by adding whole points or trimming sentences.
#include "jobs/writers/builtin_compose.hpp"

#include <algorithm>

namespace seoagents::jobs::builtin {
namespace {

// Chance (in percent) that a paragraph closes after one point, and that it ends with an aside.
constexpr int kSinglePointParagraph = 50;
constexpr int kAsideChance = 30;
// The word count aims inside target ± 2%, and at no fewer than 303 words (the analysis wants
// 300 at least), in a window of at least 15 words.
constexpr std::int64_t kFitPercent = 2;
constexpr std::int64_t kFewestWords = 303;
constexpr std::int64_t kNarrowestWindow = 15;

void append(std::vector<Block>& blocks, std::vector<Block> more) {
  for (Block& block : more)
    blocks.push_back(std::move(block));
}

std::string join_topics(const std::vector<std::string_view>& topics) {
  std::string out;
  for (std::size_t i = 0; i < topics.size(); ++i) {
    if (i > 0) out += topics.size() == 2 ? " and " : (i + 1 == topics.size() ? ", and " : ", ");
    out += topics[i];
  }
  return out;
}

}  // namespace

ArticleComposer::ArticleComposer(const BriefContext& brief, Composer& composer, PointSupply& supply)
    : brief_(brief), composer_(composer), supply_(supply) {
  related_order_.resize(builtin::related_sentences().size());
  for (std::size_t i = 0; i < related_order_.size(); ++i)
    related_order_[i] = i;
  for (std::size_t i = related_order_.size(); i > 1; --i)
    std::swap(related_order_[i - 1], related_order_[composer_.random().below(i)]);
}

Block ArticleComposer::heading(BlockKind kind, std::string text, int section) {
  composer_.observe(text);
  return heading_block(kind, std::move(text), section);
}

std::vector<Block> ArticleComposer::introduction(const ArticlePlan& plan) {
  const ToneTemplates& tone = composer_.tone();
  const SentenceTemplates& opening =
      tone.introductions[composer_.random().below(tone.introductions.size())];
  std::vector<Sentence> first;
  for (std::string_view sentence : opening)
    if (!sentence.empty()) first.push_back(composer_.sentence(sentence));
  composer_.set_variable("topics", topics(plan));
  composer_.set_variable("url", reference_url(brief_.keyword.phrase));
  std::span<const std::string_view> links = reference_link_sentences();
  std::vector<Sentence> second;
  second.push_back(composer_.sentence(tone.overview));
  second.push_back(composer_.sentence(links[composer_.random().below(links.size())]));
  if (brief_.word_target >= 1000) {
    std::string_view aside = composer_.next_aside();
    if (!aside.empty()) second.push_back(composer_.sentence(aside));
  }
  std::vector<Block> blocks;
  blocks.push_back(paragraph_block(std::move(first)));
  blocks.back().accepts_openers = false;
  blocks.push_back(paragraph_block(std::move(second)));
  return blocks;
}

std::vector<Block> ArticleComposer::body_section(const PlannedSection& section) {
  int id = adopt_section(section.angle);
  std::vector<Block> blocks;
  blocks.push_back(heading(BlockKind::heading2, section.heading, id));
  for (const PlannedGroup& group : section.groups) {
    if (!group.heading.empty()) blocks.push_back(heading(BlockKind::heading3, group.heading, id));
    std::vector<const PointTemplate*> points = group.points;
    if (points.empty())
      if (const PointTemplate* point = supply_.take(section.angle)) points.push_back(point);
    append(blocks, point_paragraphs(points, id));
  }
  return blocks;
}

std::vector<Block> ArticleComposer::related_section(const PlannedSection& section) {
  auto id = static_cast<int>(sources_.size());
  sources_.push_back({nullptr, section.related});
  std::vector<Block> blocks;
  blocks.push_back(heading(BlockKind::heading2, section.heading, id));
  for (int paragraph = 0; paragraph < 2; ++paragraph) {
    std::vector<Sentence> sentences;
    if (paragraph == 0) {
      std::span<const std::string_view> openings = related_openings();
      sentences.push_back(
          composer_.sentence(openings[next_opening_++ % openings.size()], section.related));
    }
    for (Sentence& sentence : related_sentences(section.related, paragraph == 0 ? 2 : 3))
      sentences.push_back(std::move(sentence));
    Block block = paragraph_block(std::move(sentences), id);
    block.trimmable = true;
    blocks.push_back(std::move(block));
  }
  return blocks;
}

std::vector<Block> ArticleComposer::faq_section(const PlannedSection& section) {
  std::vector<Block> blocks;
  blocks.push_back(heading(BlockKind::heading2, section.heading));
  for (std::size_t i = 0; i < section.questions.size(); ++i) {
    blocks.push_back(heading(BlockKind::heading3, section.questions[i]));
    blocks.push_back(paragraph_block(answer(section.question_templates[i])));
  }
  return blocks;
}

std::vector<Block> ArticleComposer::conclusion_section(const PlannedSection& section) {
  const ToneTemplates& tone = composer_.tone();
  std::vector<Block> blocks;
  blocks.push_back(heading(BlockKind::heading2, section.heading));
  const SentenceTemplates& closing =
      tone.conclusions[composer_.random().below(tone.conclusions.size())];
  std::vector<Sentence> first;
  for (std::string_view sentence : closing)
    if (!sentence.empty()) first.push_back(composer_.sentence(sentence));
  blocks.push_back(paragraph_block(std::move(first)));
  blocks.back().accepts_openers = false;
  auto count = static_cast<std::size_t>(closing_sentences(brief_.word_target));
  if (count == 0) return blocks;
  std::vector<Sentence> second;
  std::size_t start = composer_.random().below(tone.closings.size());
  for (std::size_t i = 0; i < count && i < tone.closings.size(); ++i)
    second.push_back(composer_.sentence(tone.closings[(start + i) % tone.closings.size()]));
  blocks.push_back(paragraph_block(std::move(second)));
  return blocks;
}

std::vector<Block> ArticleComposer::section(const PlannedSection& section) {
  switch (section.kind) {
    case SectionKind::body:
      return body_section(section);
    case SectionKind::related:
      return related_section(section);
    case SectionKind::faq:
      return faq_section(section);
    case SectionKind::conclusion:
      return conclusion_section(section);
  }
  return {};
}

int ArticleComposer::adopt_section(const AngleTemplate* angle) {
  sources_.push_back({angle, {}});
  return static_cast<int>(sources_.size()) - 1;
}

Sentence ArticleComposer::related_mention(const std::string& related) {
  return composer_.sentence(builtin::related_mention(), related);
}

std::vector<Block> ArticleComposer::point_paragraphs(
    const std::vector<const PointTemplate*>& points, int section) {
  std::vector<Block> blocks;
  std::vector<Sentence> sentences;
  std::size_t points_in_paragraph = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    for (Sentence& sentence : point_sentences(*points[i]))
      sentences.push_back(std::move(sentence));
    ++points_in_paragraph;
    bool last = i + 1 == points.size();
    bool close =
        last || points_in_paragraph == 2 || composer_.random().chance(kSinglePointParagraph);
    if (!close) continue;
    if (composer_.random().chance(kAsideChance)) {
      std::string_view aside = composer_.next_aside();
      if (!aside.empty()) sentences.push_back(composer_.sentence(aside));
    }
    Block block = paragraph_block(std::move(sentences), section);
    block.trimmable = true;
    blocks.push_back(std::move(block));
    sentences.clear();
    points_in_paragraph = 0;
  }
  return blocks;
}

std::vector<Sentence> ArticleComposer::point_sentences(const PointTemplate& point) {
  std::vector<Sentence> sentences;
  for (std::string_view sentence : point.sentences)
    if (!sentence.empty()) sentences.push_back(composer_.sentence(sentence));
  return sentences;
}

std::vector<Sentence> ArticleComposer::related_sentences(const std::string& related,
                                                         std::size_t count) {
  std::span<const std::string_view> bank = builtin::related_sentences();
  std::vector<Sentence> sentences;
  for (std::size_t i = 0; i < count; ++i) {
    std::string_view sentence = bank[related_order_[next_related_++ % related_order_.size()]];
    sentences.push_back(composer_.sentence(sentence, related));
  }
  return sentences;
}

std::vector<Sentence> ArticleComposer::answer(const FaqTemplate* faq) {
  auto count = static_cast<std::size_t>(faq_answer_sentences(brief_.word_target));
  std::vector<Sentence> sentences;
  if (faq != nullptr) {
    for (std::size_t i = 0; i < count && i < faq->answer.size(); ++i)
      if (!faq->answer[i].empty()) sentences.push_back(composer_.sentence(faq->answer[i]));
    return sentences;
  }
  std::span<const std::string_view> bank = generic_answers();
  for (std::size_t i = 0; i < count; ++i)
    sentences.push_back(composer_.sentence(bank[next_generic_answer_++ % bank.size()]));
  return sentences;
}

std::string ArticleComposer::topics(const ArticlePlan& plan) const {
  std::vector<std::string_view> topics;
  for (const PlannedSection& section : plan.sections) {
    if (section.kind != SectionKind::body || section.angle == nullptr) continue;
    topics.push_back(section.angle->topic);
    if (topics.size() == 3) break;
  }
  if (topics.empty()) topics.push_back("the essentials");
  return join_topics(topics);
}

std::vector<Sentence> ArticleComposer::more_for(int id) {
  const SectionSource& source = sources_[static_cast<std::size_t>(id)];
  if (!source.related.empty()) return related_sentences(source.related, 3);
  const PointTemplate* point = supply_.take(source.angle);
  if (point == nullptr) return {};
  return point_sentences(*point);
}

std::int64_t ArticleComposer::grow(Document& document) {
  for (std::size_t tries = 0; tries < sources_.size(); ++tries) {
    auto id = static_cast<int>(next_grow_++ % sources_.size());
    std::size_t last = document.blocks.size();
    for (std::size_t i = 0; i < document.blocks.size(); ++i)
      if (document.blocks[i].section == id) last = i;
    if (last == document.blocks.size()) continue;
    std::vector<Sentence> sentences = more_for(id);
    if (sentences.empty()) continue;
    Block block = paragraph_block(std::move(sentences), id);
    block.trimmable = true;
    std::int64_t words = count_words(block);
    document.blocks.insert(document.blocks.begin() + static_cast<std::ptrdiff_t>(last + 1),
                           std::move(block));
    return words;
  }
  return 0;
}

std::int64_t ArticleComposer::trim_one(Document& document) {
  Block* longest = nullptr;
  for (Block& block : document.blocks) {
    if (block.kind != BlockKind::paragraph || !block.trimmable || block.sentences.size() < 3)
      continue;
    if (longest == nullptr || block.sentences.size() >= longest->sentences.size()) longest = &block;
  }
  if (longest != nullptr) {
    std::int64_t words = count_words(render_sentence(longest->sentences.back()));
    longest->sentences.pop_back();
    return words;
  }
  for (std::size_t i = document.blocks.size(); i-- > 1;) {
    const Block& block = document.blocks[i];
    if (block.kind != BlockKind::paragraph || !block.trimmable) continue;
    if (document.blocks[i - 1].kind != BlockKind::paragraph) continue;
    std::int64_t words = count_words(block);
    document.blocks.erase(document.blocks.begin() + static_cast<std::ptrdiff_t>(i));
    return words;
  }
  return 0;
}

void ArticleComposer::fit_to_target(Document& document, std::int64_t target, bool trim) {
  std::int64_t lower = std::max(target * (100 - kFitPercent) / 100, kFewestWords);
  std::int64_t upper = std::max(target * (100 + kFitPercent) / 100, lower + kNarrowestWindow);
  std::int64_t words = count_words(document);
  while (words < lower) {
    std::int64_t added = grow(document);
    if (added == 0) break;
    words += added;
  }
  while (trim && words > upper) {
    std::int64_t removed = trim_one(document);
    if (removed == 0) break;
    words -= removed;
  }
}

}  // namespace seoagents::jobs::builtin
