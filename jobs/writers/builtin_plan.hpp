// How the builtin writer plans an article: which section angles, how many points each gets for
// the word target, which headings carry the keyphrase, the FAQ, the title and the meta
// description. Deterministic: the same brief always gives the same plan.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "jobs/writers/builtin_prose.hpp"
#include "jobs/writers/writer.hpp"

namespace seoagents::jobs::builtin {

// Words a point (three sentences, with its share of asides) adds on average.
inline constexpr std::int64_t kWordsPerPoint = 40;
// The word targets the writer accepts; others are clamped.
inline constexpr std::int64_t kMinWordTarget = 300;
inline constexpr std::int64_t kMaxWordTarget = 10000;

// The brief as the templates need it.
struct BriefContext {
  const ToneTemplates* tone = nullptr;
  KeywordForms keyword;
  std::int64_t word_target = 1500;
  // Related keywords other than the keyphrase, deduplicated, in the brief's order.
  std::vector<std::string> related;
  std::uint64_t seed = 0;
};
BriefContext read_brief(const ArticleBrief& brief);

struct PlannedGroup {
  // The H3 over the group; empty for the lead paragraph under the H2.
  std::string heading;
  std::vector<const PointTemplate*> points;
};

enum class SectionKind { body, related, faq, conclusion };

struct PlannedSection {
  SectionKind kind = SectionKind::body;
  // Body sections of a known angle; null for another writer's heading the bank does not know.
  const AngleTemplate* angle = nullptr;
  // Related sections: the related keyword.
  std::string related;
  std::string heading;
  std::string summary;
  // Body sections: the lead group and the H3 groups.
  std::vector<PlannedGroup> groups;
  // FAQ: the questions' H3s, and the template of each (null: answered generically).
  std::vector<std::string> questions;
  std::vector<const FaqTemplate*> question_templates;
};

struct ArticlePlan {
  std::string title;
  std::vector<PlannedSection> sections;
};

// Hands out points for sections, each at most once per article: the angle's own first, then
// the general ones.
class PointSupply {
 public:
  void use(const PointTemplate* point);
  void use_plan(const ArticlePlan& plan);
  // The angle's next unused point, else an unused general one; null when both are used up.
  const PointTemplate* take(const AngleTemplate* angle);

 private:
  bool used(const PointTemplate* point) const;
  std::vector<const PointTemplate*> used_;
};

// Related sections the plan gives an article of this brief.
std::int64_t related_section_count(const BriefContext& brief);
// A heading template with {Kw} and {Rel} filled in.
std::string fill_heading(std::string_view heading, const KeywordForms& keyword,
                         std::string_view related = {});

// Decides which headings carry the keyphrase, in document order: a planned number spread evenly
// over the article's headings, then (for headings beyond the plan) alternating.
class HeadingRhythm {
 public:
  explicit HeadingRhythm(bool keyword_first = true) : keyword_first_(keyword_first) {}
  HeadingRhythm(std::int64_t headings, std::int64_t with_keyword)
      : headings_(headings), with_keyword_(with_keyword) {}
  bool next();

 private:
  std::int64_t headings_ = 0;
  std::int64_t with_keyword_ = 0;
  std::int64_t index_ = 0;
  bool keyword_first_ = true;
};

// One section of each kind, for the plan and for sections enhance() adds.
PlannedSection plan_body(const AngleTemplate* angle, std::int64_t points, const BriefContext& brief,
                         PointSupply& supply, HeadingRhythm& rhythm);
PlannedSection plan_related(const std::string& related, const BriefContext& brief,
                            HeadingRhythm& rhythm);
PlannedSection plan_faq(const BriefContext& brief, Prng& random, HeadingRhythm& rhythm);

// The writer's own plan for the brief.
ArticlePlan plan_article(const BriefContext& brief);
// A plan that follows someone else's outline: its headings kept, sections matched to angles by
// their words, an FAQ and a conclusion added when missing.
ArticlePlan plan_from_outline(const BriefContext& brief, const Outline& outline);
Outline outline_of(const ArticlePlan& plan);
// Whether `outline` is the one `plan` gives (then the plan is drafted as it is).
bool outline_matches(const ArticlePlan& plan, const Outline& outline);

// The angle a heading (another writer's, or one of ours) is about; null when none fits.
const AngleTemplate* match_angle(const BriefContext& brief, std::string_view heading);
bool is_faq_heading(std::string_view heading);
bool is_conclusion_heading(std::string_view heading);

// "{Kw}: {suffix}", about 42–56 characters when the keyphrase allows.
std::string make_title(const BriefContext& brief, Prng& random);
// The title the writer's own plan gives the brief.
std::string default_title(const BriefContext& brief);
// 121–156 characters with the keyphrase.
std::string make_meta_description(const BriefContext& brief, Composer& composer);
// Unicode code points of UTF-8 text.
std::int64_t character_count(std::string_view text);

// FAQ questions for a word target, and the sentences each answer gets.
std::int64_t faq_question_count(std::int64_t word_target);
std::int64_t faq_answer_sentences(std::int64_t word_target);
// Sentences of the conclusion's second paragraph (0: none).
std::int64_t closing_sentences(std::int64_t word_target);
// Points a body section of `points` points is split into under H3s (empty: no H3s).
std::vector<std::int64_t> group_sizes(std::int64_t points, std::int64_t word_target);

}  // namespace seoagents::jobs::builtin
