// The phrase banks of the builtin writer: sentence, heading, title and meta templates per tone and
// per section angle. Pure constant data for the offline template engine (not a language model).
//
// Template syntax (rendered by builtin_prose):
//   {kw}            the keyphrase as running text ("the best running shoes")
//   {kw:fallback}   the keyphrase, or `fallback` when the text already uses it often enough
//   {Kw}            the keyphrase in title case, for headings
//   {rel} / {Rel}   a related keyword, as text / in title case
//   {name}          a tone word ({good}, {a_good}, {mistake}, …) or a variable ({topics})
//   {link:text}     a Markdown link with that text to the reference URL (variable {url})
//   [a|b|c]         one of the choices, picked by the article's seeded generator
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string_view>

namespace seoagents::jobs::builtin {

enum class Tone {
  professional,
  casual,
  friendly,
  authoritative,
  conversational,
  technical,
  humorous
};

// A word choice that differs by tone: `{slot}` in a template becomes one of `choices` ("a|b").
struct ToneWord {
  std::string_view slot;
  std::string_view choices;
};

// A template of up to three sentences (an empty one is skipped).
using SentenceTemplates = std::array<std::string_view, 3>;

// One idea of a section: a paragraph's worth of sentences, and the H3 it gets when the section
// is long enough to be split.
struct PointTemplate {
  std::string_view label;
  std::string_view label_with_keyword;
  SentenceTemplates sentences;
};

// A kind of section any topic can have ("common mistakes", "costs", …).
struct AngleTemplate {
  std::string_view id;
  // H2 headings: formal tones, then casual tones; each without and with the keyphrase.
  std::string_view heading;
  std::string_view heading_with_keyword;
  std::string_view casual_heading;
  std::string_view casual_heading_with_keyword;
  // How the introduction names this section ("the most common mistakes").
  std::string_view topic;
  // What the section covers, for the outline.
  std::string_view summary;
  // Word stems that mark another writer's heading as this angle ("mistake|error|avoid").
  std::string_view cues;
  std::span<const PointTemplate> points;
};

struct FaqTemplate {
  std::string_view question;
  std::string_view question_with_keyword;
  SentenceTemplates answer;
};

struct ToneTemplates {
  Tone tone;
  std::string_view name;
  // Headings in the casual register (casual_heading of the angles).
  bool casual_headings;
  std::span<const ToneWord> words;
  // Additive transitions put before a sentence that needs one ("In addition,").
  std::span<const std::string_view> openers;
  // Short topic-neutral sentences that carry the tone, sprinkled between points.
  std::span<const std::string_view> asides;
  // First paragraphs; the first sentence of each uses {kw}.
  std::span<const SentenceTemplates> introductions;
  // The introduction's overview of the sections: uses {topics}.
  std::string_view overview;
  std::span<const SentenceTemplates> conclusions;
  // Sentences for the conclusion's second paragraph in longer articles.
  std::span<const std::string_view> closings;
  std::string_view conclusion_heading;
  std::string_view conclusion_heading_with_keyword;
  // What follows "{Kw}: " in the title.
  std::span<const std::string_view> title_suffixes;
  // Meta description pieces: a lead with {kw}, then tails added until the length fits.
  std::span<const std::string_view> meta_leads;
  std::span<const std::string_view> meta_tails;
};

const ToneTemplates& tone_templates(Tone tone);
// The angles in reading order.
std::span<const AngleTemplate> angle_templates();
// Points that fit any section: used when a section needs more than its angle has.
std::span<const PointTemplate> general_points();
std::span<const FaqTemplate> faq_templates();
// The FAQ heading without and with the keyphrase.
std::string_view faq_heading(bool with_keyword);
// Answer sentences for questions this bank does not know (another writer's outline).
std::span<const std::string_view> generic_answers();
// Sentences about a related keyword ({rel}): the first of a section, the ones after it, and the
// headings of its section.
std::span<const std::string_view> related_openings();
std::span<const std::string_view> related_sentences();
std::string_view related_heading(bool casual, bool with_keyword);
// One sentence naming a related keyword in articles too short for its own section.
std::string_view related_mention();
// The sentence carrying the outbound reference link: uses {link:…}.
std::span<const std::string_view> reference_link_sentences();
// H3 headings for splitting an over-long stretch of someone else's text (`index` picks one).
std::string_view continuation_heading(bool with_keyword, std::size_t index);

}  // namespace seoagents::jobs::builtin
