// The builtin writer's planning: the word budget split into introduction, body sections (as
// many as the target needs, each a few points), related sections, FAQ and conclusion; headings
// alternating with and without the keyphrase; the title and the meta description.
#include "jobs/writers/builtin_plan.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace seoagents::jobs::builtin {
namespace {

// Words the introduction has (two short paragraphs) and a heading adds.
constexpr std::int64_t kIntroductionWords = 70;
constexpr std::int64_t kHeadingWords = 6;
// Words a related section has (two paragraphs of three sentences and its heading).
constexpr std::int64_t kRelatedSectionWords = 82;
// Title lengths that stay well inside 600 px and are not short.
constexpr std::int64_t kTitleMin = 42;
constexpr std::int64_t kTitleMax = 56;
// Meta descriptions aim inside 121–156 with a margin either side.
constexpr std::int64_t kMetaMin = 125;
constexpr std::int64_t kMetaMax = 150;
constexpr std::int64_t kMetaLimit = 156;
// Under this many words an article may have a single body section (fewer headings, so fewer
// keyphrases in them); longer ones have two at least.
constexpr std::int64_t kTwoSectionWords = 400;
// Keyphrase density (weighted by its length, per 100 words) the headings may use up, and the
// share of headings that should carry it when the density allows.
constexpr double kHeadingDensityBudget = 2.6;
constexpr double kPreferredHeadingShare = 0.45;

// The first sections of an article: one angle of each tier, the rest shuffled after them.
constexpr std::string_view kTier1[] = {"basics", "benefits"};
constexpr std::string_view kTier2[] = {"getting_started", "planning"};
constexpr std::string_view kTier3[] = {"mistakes", "expert_tips"};
constexpr std::string_view kTier4[] = {"best_practices", "choosing", "costs"};
constexpr std::span<const std::string_view> kTiers[] = {kTier1, kTier2, kTier3, kTier4};

constexpr std::string_view kFaqCues[] = {"frequently asked", "faq", "common questions", "q&a"};
constexpr std::string_view kConclusionCues[] = {"conclusion",  "final thoughts", "wrapping up",
                                                "bottom line", "summary",        "takeaway",
                                                "in closing",  "final word"};

std::size_t angle_index(std::string_view id) {
  std::span<const AngleTemplate> angles = angle_templates();
  for (std::size_t i = 0; i < angles.size(); ++i)
    if (angles[i].id == id) return i;
  return 0;
}

template <class T>
void shuffle(std::vector<T>& items, Prng& random) {
  for (std::size_t i = items.size(); i > 1; --i)
    std::swap(items[i - 1], items[random.below(i)]);
}

// The angles an article of `count` sections gets, in reading order.
std::vector<const AngleTemplate*> choose_angles(std::size_t count, Prng& random) {
  std::span<const AngleTemplate> angles = angle_templates();
  std::vector<std::size_t> priority;
  for (std::span<const std::string_view> tier : kTiers)
    priority.push_back(angle_index(tier[random.below(tier.size())]));
  std::vector<std::size_t> rest;
  for (std::size_t i = 0; i < angles.size(); ++i)
    if (std::find(priority.begin(), priority.end(), i) == priority.end()) rest.push_back(i);
  shuffle(rest, random);
  priority.insert(priority.end(), rest.begin(), rest.end());
  priority.resize(std::min(count, priority.size()));
  std::sort(priority.begin(), priority.end());
  std::vector<const AngleTemplate*> chosen;
  for (std::size_t i : priority)
    chosen.push_back(&angles[i]);
  return chosen;
}

bool contains_any(std::string_view text, std::span<const std::string_view> cues) {
  std::string lower = ascii_lower(text);
  return std::any_of(cues.begin(), cues.end(),
                     [&](std::string_view cue) { return lower.find(cue) != std::string::npos; });
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return ascii_lower(a) == ascii_lower(b);
}

std::int64_t body_words(const BriefContext& brief) {
  std::int64_t target = brief.word_target;
  std::int64_t faq = kHeadingWords + faq_question_count(target) *
                                         (kHeadingWords + 3 + faq_answer_sentences(target) * 13);
  std::int64_t conclusion = kHeadingWords + 38 + closing_sentences(target) * 12;
  std::int64_t related = related_section_count(brief) * kRelatedSectionWords;
  return target - kIntroductionWords - faq - conclusion - related;
}

std::int64_t total_points(const BriefContext& brief) {
  double per_point = static_cast<double>(kWordsPerPoint) + 2.0;
  auto points =
      static_cast<std::int64_t>(std::lround(static_cast<double>(body_words(brief)) / per_point));
  return std::max<std::int64_t>(points, 2);
}

std::int64_t points_per_section(std::int64_t word_target) {
  if (word_target < 1000) return 2;
  if (word_target < 2000) return 3;
  return 4;
}

// How many headings carry the keyphrase: about 45% of them, at least 30% and at most 75% (what
// the analysis asks), and fewer than 45% when more would push the keyphrase density over 3%.
HeadingRhythm planned_rhythm(const BriefContext& brief, const std::vector<std::int64_t>& points) {
  std::int64_t headings = 2 + faq_question_count(brief.word_target) + related_section_count(brief);
  for (std::int64_t count : points) {
    std::vector<std::int64_t> groups = group_sizes(count, brief.word_target);
    headings += static_cast<std::int64_t>(groups.size());
  }
  std::int64_t minimum = (3 * headings + 9) / 10;
  std::int64_t maximum = 3 * headings / 4;
  double factor = KeywordMatcher(brief.keyword.phrase).length_factor();
  auto affordable = static_cast<std::int64_t>(
      kHeadingDensityBudget * static_cast<double>(brief.word_target) / (100.0 * factor));
  // The introduction and the body need a few of the affordable uses.
  affordable -= 2;
  auto preferred = static_cast<std::int64_t>(
      std::lround(kPreferredHeadingShare * static_cast<double>(headings)));
  std::int64_t chosen = std::min(preferred, std::max(minimum, affordable));
  return HeadingRhythm(headings, std::clamp(chosen, minimum, std::max(minimum, maximum)));
}

std::vector<PlannedGroup> plan_groups(const AngleTemplate* angle, std::int64_t points,
                                      const BriefContext& brief, PointSupply& supply,
                                      HeadingRhythm& rhythm) {
  std::vector<std::int64_t> sizes = group_sizes(points, brief.word_target);
  std::vector<PlannedGroup> groups;
  for (std::size_t g = 0; g < sizes.size(); ++g) {
    PlannedGroup group;
    for (std::int64_t p = 0; p < sizes[g]; ++p)
      if (const PointTemplate* point = supply.take(angle)) group.points.push_back(point);
    if (group.points.empty()) continue;
    if (g > 0) {
      const PointTemplate& first = *group.points.front();
      group.heading =
          fill_heading(rhythm.next() ? first.label_with_keyword : first.label, brief.keyword);
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

PlannedSection plan_conclusion(const BriefContext& brief, HeadingRhythm& rhythm) {
  PlannedSection section;
  section.kind = SectionKind::conclusion;
  section.heading = fill_heading(
      rhythm.next() ? brief.tone->conclusion_heading_with_keyword : brief.tone->conclusion_heading,
      brief.keyword);
  section.summary = "Sum up the key points and the next step.";
  return section;
}

// Points per body section: `total` spread evenly, earlier sections taking the remainder.
std::vector<std::int64_t> spread(std::int64_t total, std::size_t sections) {
  std::vector<std::int64_t> counts(sections, 0);
  if (sections == 0) return counts;
  auto n = static_cast<std::int64_t>(sections);
  for (std::size_t i = 0; i < sections; ++i)
    counts[i] = total / n + (static_cast<std::int64_t>(i) < total % n ? 1 : 0);
  return counts;
}

const FaqTemplate* match_question(const BriefContext& brief, std::string_view question) {
  for (const FaqTemplate& faq : faq_templates()) {
    if (equals_ignoring_case(question, fill_heading(faq.question, brief.keyword)) ||
        equals_ignoring_case(question, fill_heading(faq.question_with_keyword, brief.keyword)))
      return &faq;
  }
  return nullptr;
}

const std::string* related_in(const BriefContext& brief, std::string_view heading) {
  for (const std::string& related : brief.related)
    if (contains_phrase(heading, related)) return &related;
  return nullptr;
}

// A body section under another writer's heading and H3s.
PlannedSection plan_given_body(const BriefContext& brief, const OutlineSection& given,
                               std::int64_t points, PointSupply& supply) {
  PlannedSection section;
  section.kind = SectionKind::body;
  section.angle = match_angle(brief, given.heading);
  section.heading = given.heading;
  section.summary = given.summary;
  std::size_t groups = given.subheadings.size() + 1;
  std::vector<std::int64_t> sizes =
      spread(std::max<std::int64_t>(points, static_cast<std::int64_t>(groups)), groups);
  for (std::size_t g = 0; g < groups; ++g) {
    PlannedGroup group;
    if (g > 0) group.heading = given.subheadings[g - 1];
    for (std::int64_t p = 0; p < sizes[g]; ++p)
      if (const PointTemplate* point = supply.take(section.angle)) group.points.push_back(point);
    section.groups.push_back(std::move(group));
  }
  return section;
}

PlannedSection plan_given_faq(const BriefContext& brief, const OutlineSection& given,
                              Prng& random) {
  if (given.subheadings.empty()) {
    HeadingRhythm rhythm;
    PlannedSection section = plan_faq(brief, random, rhythm);
    section.heading = given.heading;
    return section;
  }
  PlannedSection section;
  section.kind = SectionKind::faq;
  section.heading = given.heading;
  section.summary = given.summary;
  for (const std::string& question : given.subheadings) {
    section.questions.push_back(question);
    section.question_templates.push_back(match_question(brief, question));
  }
  return section;
}

std::string cut_at_word(std::string_view text, std::int64_t max_characters) {
  std::string out;
  for (std::string_view rest = text; !rest.empty();) {
    std::size_t space = rest.find(' ');
    std::string_view word = rest.substr(0, space);
    std::string candidate = out.empty() ? std::string(word) : out + " " + std::string(word);
    if (character_count(candidate) > max_characters) break;
    out = std::move(candidate);
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  while (!out.empty() && (out.back() == ',' || out.back() == ':' || out.back() == '.'))
    out.pop_back();
  return out + ".";
}

}  // namespace

PlannedSection plan_body(const AngleTemplate* angle, std::int64_t points, const BriefContext& brief,
                         PointSupply& supply, HeadingRhythm& rhythm) {
  PlannedSection section;
  section.kind = SectionKind::body;
  section.angle = angle;
  bool with_keyword = rhythm.next();
  bool casual = brief.tone->casual_headings;
  std::string_view heading =
      casual ? (with_keyword ? angle->casual_heading_with_keyword : angle->casual_heading)
             : (with_keyword ? angle->heading_with_keyword : angle->heading);
  section.heading = fill_heading(heading, brief.keyword);
  section.summary = fill_heading(angle->summary, brief.keyword);
  section.groups = plan_groups(angle, points, brief, supply, rhythm);
  return section;
}

PlannedSection plan_related(const std::string& related, const BriefContext& brief,
                            HeadingRhythm& rhythm) {
  PlannedSection section;
  section.kind = SectionKind::related;
  section.related = related;
  section.heading = fill_heading(related_heading(brief.tone->casual_headings, rhythm.next()),
                                 brief.keyword, related);
  section.summary = "Explain how " + related + " connects to " + brief.keyword.in_text + ".";
  return section;
}

PlannedSection plan_faq(const BriefContext& brief, Prng& random, HeadingRhythm& rhythm) {
  PlannedSection section;
  section.kind = SectionKind::faq;
  section.heading = fill_heading(faq_heading(rhythm.next()), brief.keyword);
  section.summary = "Answer the questions readers ask most about " + brief.keyword.in_text + ".";
  std::span<const FaqTemplate> bank = faq_templates();
  std::vector<std::size_t> order(bank.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  shuffle(order, random);
  auto count = static_cast<std::size_t>(faq_question_count(brief.word_target));
  for (std::size_t i = 0; i < count && i < order.size(); ++i) {
    const FaqTemplate& faq = bank[order[i]];
    section.questions.push_back(
        fill_heading(rhythm.next() ? faq.question_with_keyword : faq.question, brief.keyword));
    section.question_templates.push_back(&faq);
  }
  return section;
}

bool HeadingRhythm::next() {
  std::int64_t i = index_++;
  if (i < headings_) return (i + 1) * with_keyword_ / headings_ > i * with_keyword_ / headings_;
  return (i % 2 == 0) == keyword_first_;
}

BriefContext read_brief(const ArticleBrief& brief) {
  BriefContext context;
  context.tone = &tone_templates(parse_tone(brief.tone));
  context.keyword = keyword_forms(brief.keyword);
  context.word_target = std::clamp(brief.word_target, kMinWordTarget, kMaxWordTarget);
  for (const std::string& related : brief.related_keywords) {
    std::string phrase = keyword_forms(related).phrase;
    if (phrase.empty() || equals_ignoring_case(phrase, context.keyword.phrase)) continue;
    bool seen = std::any_of(context.related.begin(), context.related.end(),
                            [&](const std::string& r) { return equals_ignoring_case(r, phrase); });
    if (!seen) context.related.push_back(std::move(phrase));
  }
  std::uint64_t seed = fnv1a(context.keyword.phrase);
  seed = fnv1a("\x1f", seed);
  seed = fnv1a(context.tone->name, seed);
  seed = fnv1a("\x1f", seed);
  context.seed = fnv1a(std::to_string(context.word_target), seed);
  return context;
}

void PointSupply::use(const PointTemplate* point) {
  if (point != nullptr && !used(point)) used_.push_back(point);
}

void PointSupply::use_plan(const ArticlePlan& plan) {
  for (const PlannedSection& section : plan.sections)
    for (const PlannedGroup& group : section.groups)
      for (const PointTemplate* point : group.points)
        use(point);
}

bool PointSupply::used(const PointTemplate* point) const {
  return std::find(used_.begin(), used_.end(), point) != used_.end();
}

const PointTemplate* PointSupply::take(const AngleTemplate* angle) {
  if (angle != nullptr) {
    for (const PointTemplate& point : angle->points) {
      if (used(&point)) continue;
      used_.push_back(&point);
      return &point;
    }
  }
  for (const PointTemplate& point : general_points()) {
    if (used(&point)) continue;
    used_.push_back(&point);
    return &point;
  }
  return nullptr;
}

std::int64_t related_section_count(const BriefContext& brief) {
  if (brief.related.empty() || brief.word_target < 800) return 0;
  std::int64_t wanted = 1 + (brief.word_target >= 2000 ? 1 : 0) +
                        (brief.word_target >= 3500 ? 1 : 0) + (brief.word_target >= 6000 ? 1 : 0);
  return std::min<std::int64_t>(wanted, static_cast<std::int64_t>(brief.related.size()));
}

std::string fill_heading(std::string_view heading, const KeywordForms& keyword,
                         std::string_view related) {
  std::string out;
  std::size_t i = 0;
  while (i < heading.size()) {
    if (heading.substr(i, 4) == "{Kw}") {
      out += out.empty() ? keyword.heading_start : keyword.heading_inner;
      i += 4;
    } else if (heading.substr(i, 4) == "{kw}") {
      out += keyword.in_text;
      i += 4;
    } else if (heading.substr(i, 5) == "{Rel}") {
      out += title_case(related, out.empty());
      i += 5;
    } else {
      out += heading[i++];
    }
  }
  return out;
}

ArticlePlan plan_article(const BriefContext& brief) {
  Prng random(brief.seed ^ 0x706c616e00000001ULL);
  ArticlePlan plan;
  plan.title = default_title(brief);
  std::int64_t points = total_points(brief);
  std::int64_t per_section = points_per_section(brief.word_target);
  auto wanted_sections = static_cast<std::size_t>((points + per_section - 1) / per_section);
  std::size_t fewest_sections = brief.word_target < kTwoSectionWords ? 1 : 2;
  wanted_sections =
      std::clamp<std::size_t>(wanted_sections, fewest_sections, angle_templates().size());
  std::vector<const AngleTemplate*> angles = choose_angles(wanted_sections, random);
  std::vector<std::int64_t> counts = spread(points, angles.size());
  PointSupply supply;
  HeadingRhythm rhythm = planned_rhythm(brief, counts);
  for (std::size_t i = 0; i < angles.size(); ++i)
    if (counts[i] > 0)
      plan.sections.push_back(plan_body(angles[i], counts[i], brief, supply, rhythm));
  for (std::int64_t i = 0; i < related_section_count(brief); ++i)
    plan.sections.push_back(
        plan_related(brief.related[static_cast<std::size_t>(i)], brief, rhythm));
  plan.sections.push_back(plan_faq(brief, random, rhythm));
  plan.sections.push_back(plan_conclusion(brief, rhythm));
  return plan;
}

ArticlePlan plan_from_outline(const BriefContext& brief, const Outline& outline) {
  Prng random(brief.seed ^ 0x706c616e00000002ULL);
  ArticlePlan plan;
  plan.title = outline.title;
  if (plan.title.empty() ||
      ascii_lower(plan.title).rfind(ascii_lower(brief.keyword.phrase), 0) != 0)
    plan.title = default_title(brief);
  std::size_t body_sections = 0;
  for (const OutlineSection& given : outline.sections)
    if (!is_faq_heading(given.heading) && !is_conclusion_heading(given.heading) &&
        related_in(brief, given.heading) == nullptr)
      ++body_sections;
  std::vector<std::int64_t> counts = spread(total_points(brief), body_sections);
  PointSupply supply;
  std::size_t body = 0;
  bool has_faq = false;
  bool has_conclusion = false;
  for (const OutlineSection& given : outline.sections) {
    if (is_faq_heading(given.heading)) {
      plan.sections.push_back(plan_given_faq(brief, given, random));
      has_faq = true;
    } else if (is_conclusion_heading(given.heading)) {
      PlannedSection conclusion;
      conclusion.kind = SectionKind::conclusion;
      conclusion.heading = given.heading;
      conclusion.summary = given.summary;
      plan.sections.push_back(std::move(conclusion));
      has_conclusion = true;
    } else if (const std::string* related = related_in(brief, given.heading)) {
      HeadingRhythm rhythm;
      PlannedSection section = plan_related(*related, brief, rhythm);
      section.heading = given.heading;
      plan.sections.push_back(std::move(section));
    } else {
      plan.sections.push_back(plan_given_body(brief, given, counts[body++], supply));
    }
  }
  HeadingRhythm rhythm;
  if (!has_faq) {
    auto at = plan.sections.end();
    if (has_conclusion) at = std::prev(at);
    plan.sections.insert(at, plan_faq(brief, random, rhythm));
  }
  if (!has_conclusion) plan.sections.push_back(plan_conclusion(brief, rhythm));
  return plan;
}

Outline outline_of(const ArticlePlan& plan) {
  Outline outline;
  outline.title = plan.title;
  for (const PlannedSection& section : plan.sections) {
    OutlineSection out;
    out.heading = section.heading;
    out.summary = section.summary;
    for (const PlannedGroup& group : section.groups)
      if (!group.heading.empty()) out.subheadings.push_back(group.heading);
    for (const std::string& question : section.questions)
      out.subheadings.push_back(question);
    outline.sections.push_back(std::move(out));
  }
  return outline;
}

bool outline_matches(const ArticlePlan& plan, const Outline& outline) {
  Outline planned = outline_of(plan);
  if (planned.sections.size() != outline.sections.size()) return false;
  for (std::size_t i = 0; i < planned.sections.size(); ++i) {
    if (planned.sections[i].heading != outline.sections[i].heading ||
        planned.sections[i].subheadings != outline.sections[i].subheadings)
      return false;
  }
  return true;
}

const AngleTemplate* match_angle(const BriefContext& brief, std::string_view heading) {
  for (const AngleTemplate& angle : angle_templates()) {
    for (std::string_view candidate : {angle.heading, angle.heading_with_keyword,
                                       angle.casual_heading, angle.casual_heading_with_keyword})
      if (equals_ignoring_case(heading, fill_heading(candidate, brief.keyword))) return &angle;
  }
  std::string lower = ascii_lower(heading);
  std::string phrase = ascii_lower(brief.keyword.phrase);
  if (std::size_t at = lower.find(phrase); !phrase.empty() && at != std::string::npos)
    lower.erase(at, phrase.size());
  const AngleTemplate* best = nullptr;
  std::int64_t best_hits = 0;
  for (const AngleTemplate& angle : angle_templates()) {
    std::int64_t hits = 0;
    std::string_view cues = angle.cues;
    while (!cues.empty()) {
      std::size_t bar = cues.find('|');
      std::string_view cue = cues.substr(0, bar);
      if (lower.find(cue) != std::string::npos) ++hits;
      cues = bar == std::string_view::npos ? std::string_view() : cues.substr(bar + 1);
    }
    if (hits > best_hits) {
      best_hits = hits;
      best = &angle;
    }
  }
  return best;
}

bool is_faq_heading(std::string_view heading) {
  return contains_any(heading, kFaqCues);
}
bool is_conclusion_heading(std::string_view heading) {
  return contains_any(heading, kConclusionCues);
}

std::string make_title(const BriefContext& brief, Prng& random) {
  const std::string& start = brief.keyword.title;
  std::vector<std::string> fitting;
  std::string longest_short;
  for (std::string_view suffix : brief.tone->title_suffixes) {
    std::string title = start + ": " + std::string(suffix);
    std::int64_t length = character_count(title);
    if (length >= kTitleMin && length <= kTitleMax) fitting.push_back(title);
    if (length <= kTitleMax && length > character_count(longest_short)) longest_short = title;
  }
  if (!fitting.empty()) return fitting[random.below(fitting.size())];
  if (!longest_short.empty()) return longest_short;
  return start;
}

std::string default_title(const BriefContext& brief) {
  Prng random(brief.seed ^ 0x7469746c65000001ULL);
  return make_title(brief, random);
}

std::string make_meta_description(const BriefContext& brief, Composer& composer) {
  std::vector<std::string> candidates;
  std::span<const std::string_view> tails = brief.tone->meta_tails;
  for (std::string_view lead_template : brief.tone->meta_leads) {
    std::string lead = composer.text(lead_template);
    candidates.push_back(lead);
    for (std::size_t i = 0; i < tails.size(); ++i) {
      candidates.push_back(lead + " " + std::string(tails[i]));
      for (std::size_t j = 0; j < tails.size(); ++j)
        if (j != i)
          candidates.push_back(lead + " " + std::string(tails[i]) + " " + std::string(tails[j]));
    }
  }
  std::vector<const std::string*> fitting;
  for (const std::string& candidate : candidates) {
    std::int64_t length = character_count(candidate);
    if (length >= kMetaMin && length <= kMetaMax) fitting.push_back(&candidate);
  }
  if (!fitting.empty()) return *fitting[composer.random().below(fitting.size())];
  // No combination fits: the keyphrase is very short or very long.
  std::string longest = candidates.front();
  for (const std::string& candidate : candidates)
    if (character_count(candidate) > character_count(longest)) longest = candidate;
  if (character_count(longest) < kMetaMin) {
    for (std::string_view tail : tails)
      longest += " " + std::string(tail);
    for (std::string_view tail : tails)
      longest += " " + std::string(tail);
  }
  return cut_at_word(longest, kMetaLimit - 6);
}

std::int64_t character_count(std::string_view text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

std::int64_t faq_question_count(std::int64_t word_target) {
  if (word_target < 450) return 2;
  if (word_target < 900) return 3;
  if (word_target < 1800) return 4;
  if (word_target < 2800) return 5;
  if (word_target < 4000) return 6;
  if (word_target < 6000) return 7;
  if (word_target < 8000) return 9;
  return static_cast<std::int64_t>(faq_templates().size());
}

std::int64_t faq_answer_sentences(std::int64_t word_target) {
  return word_target < 600 ? 2 : 3;
}

std::int64_t closing_sentences(std::int64_t word_target) {
  if (word_target < 1000) return 0;
  if (word_target < 2500) return 2;
  return 3;
}

std::vector<std::int64_t> group_sizes(std::int64_t points, std::int64_t word_target) {
  if (points < 4 || word_target < 1200) return {points};
  std::int64_t rest = points - 1;
  return {1, (rest + 1) / 2, rest / 2};
}

}  // namespace seoagents::jobs::builtin
