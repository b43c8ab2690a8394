// Turns a builtin plan into Markdown blocks: the introduction (keyphrase first, the reference
// link), body sections of points with the tone's asides, related sections, the FAQ and the
// conclusion; then adds or trims sentences until the body is within 2% of the word target.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "jobs/writers/builtin_document.hpp"
#include "jobs/writers/builtin_plan.hpp"

namespace seoagents::jobs::builtin {

class ArticleComposer {
 public:
  // `composer` and `supply` must outlive this object.
  ArticleComposer(const BriefContext& brief, Composer& composer, PointSupply& supply);

  std::vector<Block> introduction(const ArticlePlan& plan);
  // Each call registers a new body section: its blocks carry the returned section id.
  std::vector<Block> body_section(const PlannedSection& section);
  std::vector<Block> related_section(const PlannedSection& section);
  std::vector<Block> faq_section(const PlannedSection& section);
  std::vector<Block> conclusion_section(const PlannedSection& section);
  // Blocks of any planned section.
  std::vector<Block> section(const PlannedSection& section);
  // Registers a section of given text so fit_to_target may deepen it; returns its id.
  int adopt_section(const AngleTemplate* angle);
  // A sentence naming a related keyword, for articles too short for a related section.
  Sentence related_mention(const std::string& related);

  // Adds points to the body sections (round robin) while the document is under 98% of the
  // target; removes sentences from body paragraphs while it is over 102% (when `trim`).
  void fit_to_target(Document& document, std::int64_t target, bool trim);

 private:
  struct SectionSource {
    const AngleTemplate* angle = nullptr;
    std::string related;
  };

  Block heading(BlockKind kind, std::string text, int section = -1);
  std::vector<Block> point_paragraphs(const std::vector<const PointTemplate*>& points, int section);
  std::vector<Sentence> point_sentences(const PointTemplate& point);
  std::vector<Sentence> related_sentences(const std::string& related, std::size_t count);
  std::vector<Sentence> answer(const FaqTemplate* faq);
  std::string topics(const ArticlePlan& plan) const;
  // A new paragraph for section `id`, or nothing when its sources are used up.
  std::vector<Sentence> more_for(int id);
  // Words added or removed (0: nothing left to add or remove).
  std::int64_t grow(Document& document);
  std::int64_t trim_one(Document& document);

  const BriefContext& brief_;
  Composer& composer_;
  PointSupply& supply_;
  std::vector<SectionSource> sources_;
  std::vector<std::size_t> related_order_;
  std::size_t next_related_ = 0;
  std::size_t next_opening_ = 0;
  std::size_t next_generic_answer_ = 0;
  std::size_t next_grow_ = 0;
};

}  // namespace seoagents::jobs::builtin
