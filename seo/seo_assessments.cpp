// The SEO assessments, with Yoast's thresholds and scores (Yoast SEO's "SCORING SEO" rules):
// keyphrase use in the title, introduction, meta description, subheadings, slug, image alt
// texts and link anchors; keyphrase length and density; text length; links; title width; meta
// description length; H1s; images.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "seo/assessments.hpp"
#include "seo/language.hpp"
#include "seo/slug.hpp"
#include "seo/text.hpp"
#include "seo/title_width.hpp"

namespace seoagents::seo {
namespace {

constexpr Category kSeo = Category::seo;

Assessment seo_assessment(std::string id, int yoast_score, std::string message) {
  return make_assessment(std::move(id), kSeo, yoast_score, std::move(message));
}

std::string_view trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

std::string quoted(std::string_view text) {
  std::string result = "\"";
  result += trimmed(text);
  result += '"';
  return result;
}

std::vector<std::string> words_of(const TextBlock& block) {
  std::vector<std::string> words;
  for (const Sentence& sentence : block.sentences) {
    words.insert(words.end(), sentence.words.begin(), sentence.words.end());
  }
  return words;
}

// Yoast counts a subheading or an alt text as reflecting the topic when it holds at least half
// of the keyphrase's content words.
bool reflects_keyphrase(const Keyphrase& keyphrase, std::span<const std::string> words) {
  return keyphrase.share_found_in(words) >= 0.5;
}

// ---------------------------------------------------------------------------------------------
// Keyphrase in SEO title: the exact keyphrase at the beginning (only function words before it)
// 9; elsewhere, or all its words but not as the exact phrase, 6; otherwise 2.

bool only_function_words_before(std::span<const std::string> words, std::size_t start,
                                const Language& language) {
  if (language.is_function_word == nullptr) return start == 0;
  return std::all_of(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(start),
                     [&](const std::string& w) { return language.is_function_word(w); });
}

Assessment keyphrase_in_title(const AnalysisContext& context) {
  const std::string id = "keyphrase_in_title";
  const Keyphrase& keyphrase = context.keyphrase;
  const std::string_view title = trimmed(context.input->title);
  if (keyphrase.empty() || title.empty()) {
    return seo_assessment(id, 2, "Add both a keyphrase and an SEO title that begins with it.");
  }
  const std::vector<std::string> words = split_words(title, *context.language);
  if (const auto start = keyphrase.find_exact(words)) {
    if (only_function_words_before(words, *start, *context.language)) {
      return seo_assessment(
          id, 9, "The exact keyphrase appears at the beginning of the SEO title. Good job!");
    }
    return seo_assessment(id, 6,
                          "The exact keyphrase appears in the SEO title, but not at the "
                          "beginning. Move it to the beginning.");
  }
  if (!keyphrase.exact_only() && keyphrase.all_found_in(words)) {
    return seo_assessment(id, 6,
                          "The SEO title contains every word of the keyphrase, but not the exact "
                          "phrase " +
                              quoted(context.input->keyword) +
                              ". Write the exact keyphrase, at the beginning of the title.");
  }
  return seo_assessment(id, 2,
                        "Not all words of the keyphrase " + quoted(context.input->keyword) +
                            " appear in the SEO title. Write the exact keyphrase at the "
                            "beginning of the title.");
}

// ---------------------------------------------------------------------------------------------
// Keyphrase in introduction (the first paragraph): all content words within one sentence 9,
// spread over the paragraph 6, missing 3.

const TextBlock* introduction(const AnalysisContext& context) {
  const auto& blocks = context.blocks;
  const auto paragraph = std::find_if(blocks.begin(), blocks.end(), [](const TextBlock& b) {
    return b.block->kind == BlockKind::paragraph;
  });
  if (paragraph != blocks.end()) return &*paragraph;
  const auto other = std::find_if(blocks.begin(), blocks.end(), [](const TextBlock& b) {
    return b.block->kind != BlockKind::heading;
  });
  return other == blocks.end() ? nullptr : &*other;
}

Assessment keyphrase_in_introduction(const AnalysisContext& context) {
  const std::string id = "keyphrase_in_introduction";
  const Keyphrase& keyphrase = context.keyphrase;
  const TextBlock* intro = introduction(context);
  if (keyphrase.empty() || intro == nullptr) {
    return seo_assessment(id, 3, "Add both a keyphrase and an introduction that contains it.");
  }
  const bool in_one_sentence =
      std::any_of(intro->sentences.begin(), intro->sentences.end(),
                  [&](const Sentence& s) { return keyphrase.all_found_in(s.words); });
  if (in_one_sentence) {
    return seo_assessment(id, 9, "The keyphrase appears in the first paragraph. Well done!");
  }
  if (keyphrase.all_found_in(words_of(*intro))) {
    return seo_assessment(id, 6,
                          "The words of the keyphrase appear in the first paragraph, but not "
                          "within one sentence. Use them together in one sentence.");
  }
  return seo_assessment(id, 3,
                        "The keyphrase does not appear in the first paragraph. Use it there to "
                        "make the topic clear at once.");
}

// ---------------------------------------------------------------------------------------------
// Keyphrase in meta description: found once or twice 9; never, or more than twice, 3.

Assessment keyphrase_in_meta_description(const AnalysisContext& context) {
  const std::string id = "keyphrase_in_meta_description";
  const Keyphrase& keyphrase = context.keyphrase;
  const std::string_view meta = trimmed(context.input->meta_description);
  if (keyphrase.empty() || meta.empty()) {
    return seo_assessment(id, 3, "Add both a keyphrase and a meta description that contains it.");
  }
  int count = 0;
  for (const Sentence& sentence : split_sentences(meta, *context.language)) {
    count += keyphrase.count_in_sentence(sentence.words);
  }
  if (count == 0) {
    return seo_assessment(id, 3,
                          "The meta description does not contain the keyphrase. Use it there "
                          "once or twice.");
  }
  if (count <= 2) {
    return seo_assessment(id, 9,
                          "The keyphrase appears in the meta description (" +
                              count_of(count, "time", "times") + "). Well done!");
  }
  return seo_assessment(id, 3,
                        "The meta description contains the keyphrase " +
                            count_of(count, "time", "times") +
                            ", more than the maximum of 2. Use it at most twice.");
}

// ---------------------------------------------------------------------------------------------
// Keyphrase in subheadings: 30–75% of the H2 and H3 subheadings (or the only one) reflect the
// keyphrase 9; fewer or more 3. Without H2/H3: 9 up to 300 words, 2 beyond; no keyphrase 1.

Assessment keyphrase_in_subheadings(const AnalysisContext& context) {
  const std::string id = "keyphrase_in_subheadings";
  const Keyphrase& keyphrase = context.keyphrase;
  if (keyphrase.empty()) {
    return seo_assessment(id, 1, "Add a keyphrase, then use it in your H2 and H3 subheadings.");
  }
  const std::vector<const TextBlock*> headings = context.subheadings();
  if (headings.empty()) {
    if (context.word_count > 300) {
      return seo_assessment(id, 2,
                            "The text has " + std::to_string(context.word_count) +
                                " words and no H2 or H3 subheadings. Add some, and use the "
                                "keyphrase in 30–75% of them.");
    }
    return seo_assessment(id, 9,
                          "The text has no H2 or H3 subheadings, but it is short enough not to "
                          "need them.");
  }
  const auto total = static_cast<std::int64_t>(headings.size());
  const auto matches = std::count_if(headings.begin(), headings.end(), [&](const TextBlock* h) {
    return reflects_keyphrase(keyphrase, words_of(*h));
  });
  // 30% and 75% of the subheadings, rounded inwards: ceil(0.3 n) and floor(0.75 n).
  const std::int64_t minimum = (3 * total + 9) / 10;
  const std::int64_t maximum = (3 * total) / 4;
  const std::string found = "The keyphrase appears in " + std::to_string(matches) + " of " +
                            std::to_string(total) + " subheadings (" +
                            format_percentage(std::round(100.0 * static_cast<double>(matches) /
                                                         static_cast<double>(total))) +
                            ").";
  if (total > 1 && matches > maximum) {
    return seo_assessment(id, 3,
                          found +
                              " That is more than 75% of your H2 and H3 subheadings: don't "
                              "over-optimize, rephrase some of them.");
  }
  if ((total == 1 && matches == 1) || (matches >= minimum && matches <= maximum && matches > 0)) {
    return seo_assessment(id, 9, found + " Good job!");
  }
  return seo_assessment(id, 3, found + " Use it in 30–75% of your H2 and H3 subheadings.");
}

// ---------------------------------------------------------------------------------------------
// Keyphrase in slug: a keyphrase of 1–2 content words entirely in the slug, or more than half of
// a longer one, 9; otherwise 6; no slug 3.

std::vector<std::string> slug_parts(std::string_view slug) {
  std::vector<std::string> parts;
  std::string part;
  for (char c : slug) {
    if (c == '-' || c == '_' || c == '/' || c == ' ') {
      if (!part.empty()) parts.push_back(fold_case(part));
      part.clear();
    } else {
      part += c;
    }
  }
  if (!part.empty()) parts.push_back(fold_case(part));
  return parts;
}

bool same_form(std::string_view a, std::string_view b, const Language& language) {
  return a == b || (language.same_word_form != nullptr && language.same_word_form(a, b));
}

// Whether the slugified word ("e-commerce" -> parts "e", "commerce") runs through the slug.
bool slug_contains(std::span<const std::string> slug, std::string_view word,
                   const Language& language) {
  const std::vector<std::string> parts = slug_parts(slugify(word));
  if (parts.empty()) return false;
  for (std::size_t start = 0; start + parts.size() <= slug.size(); ++start) {
    bool all = true;
    for (std::size_t i = 0; i < parts.size() && all; ++i) {
      all = parts.size() == 1 ? same_form(slug[start + i], parts[i], language)
                              : slug[start + i] == parts[i];
    }
    if (all) return true;
  }
  return false;
}

Assessment keyphrase_in_slug(const AnalysisContext& context) {
  const std::string id = "keyphrase_in_slug";
  const Keyphrase& keyphrase = context.keyphrase;
  const std::vector<std::string> slug = slug_parts(context.input->slug);
  if (keyphrase.empty() || slug.empty()) {
    return seo_assessment(id, 3, "Add both a keyphrase and a slug that contains it.");
  }
  std::vector<std::string> missing;
  for (const std::string& word : keyphrase.content_words()) {
    if (!slug_contains(slug, word, *context.language)) missing.push_back(word);
  }
  const std::size_t total = keyphrase.content_words().size();
  const std::size_t found = total - missing.size();
  const bool good = total <= 2 ? missing.empty() : 2 * found > total;
  if (good && missing.empty())
    return seo_assessment(id, 9, "The slug contains the keyphrase. Great work!");
  if (good) {
    return seo_assessment(id, 9,
                          "More than half of the keyphrase appears in the slug. That's great!");
  }
  std::string list;
  for (const std::string& word : missing) {
    if (!list.empty()) list += ", ";
    list += quoted(word);
  }
  return seo_assessment(id, 6,
                        "Part of the keyphrase does not appear in the slug (missing: " + list +
                            "). Change the slug to contain the keyphrase.");
}

// ---------------------------------------------------------------------------------------------
// Keyphrase length in content words: 1–4 9, 5–8 6, more 3 (languages without function words:
// 1–6, 7–9, more); no keyphrase -999, which sinks the SEO score as in Yoast.

Assessment keyphrase_length(const AnalysisContext& context) {
  const std::string id = "keyphrase_length";
  const Keyphrase& keyphrase = context.keyphrase;
  if (keyphrase.empty()) {
    return seo_assessment(id, -999, "No focus keyphrase was set. Set one to get an SEO score.");
  }
  const bool content_words_only = context.language->is_function_word != nullptr;
  const std::int64_t recommended = content_words_only ? 4 : 6;
  const std::int64_t acceptable = content_words_only ? 8 : 9;
  const auto length = static_cast<std::int64_t>(keyphrase.content_words().size());
  const std::string found =
      "The keyphrase has " + count_of(length, content_words_only ? "content word" : "word",
                                      content_words_only ? "content words" : "words");
  if (length <= recommended) return seo_assessment(id, 9, found + ". Good job!");
  const std::string over = length <= acceptable ? ", more than" : ", way more than";
  return seo_assessment(id, length <= acceptable ? 6 : 3,
                        found + over + " the recommended maximum of " +
                            std::to_string(recommended) + ". Make it shorter.");
}

// ---------------------------------------------------------------------------------------------
// Keyphrase density. From 100 words: Yoast weighs the density (occurrences per 100 words) by
// the keyphrase's length, 0.7 + content words / 3; weighted 0.5–3% is 9 (so is a second
// occurrence when the recommended minimum is 2), under 0.5% or a single occurrence 4, over 3%
// up to 4% -10, beyond -50. Under 100 words Yoast counts occurrences: up to 50 words once is
// right, up to 99 once or twice; one more is -10, more still -50. None at all is 4.

struct DensityLimits {
  std::int64_t minimum = 0;
  std::int64_t maximum = 0;
};

double keyphrase_length_factor(std::size_t content_words) {
  return 0.7 + static_cast<double>(content_words) / 3.0;
}

// Yoast's recommended counts: density × words / (100 × length factor), at least 2, rounded up
// for the minimum and down for the maximum.
std::int64_t recommended_count(double density, std::int64_t words, double factor, bool minimum) {
  const double count = density * static_cast<double>(words) / (100.0 * factor);
  if (count < 2) return 2;
  return static_cast<std::int64_t>(minimum ? std::ceil(count) : std::floor(count));
}

std::string density_found(std::int64_t count, std::int64_t words) {
  char density[32];
  std::snprintf(density, sizeof density, "%.1f",
                words == 0 ? 0.0 : 100.0 * static_cast<double>(count) / static_cast<double>(words));
  return "The keyphrase was found " + count_of(count, "time", "times") + " (" + density + "% of " +
         std::to_string(words) + " words).";
}

Assessment density_result(std::int64_t count, std::int64_t words, int score, DensityLimits limits) {
  const std::string id = "keyphrase_density";
  const std::string found = density_found(count, words);
  switch (score) {
    case 9:
      return seo_assessment(id, 9, found + " This is great!");
    case 4:
      return seo_assessment(id, 4,
                            found + " That's less than the recommended minimum of " +
                                count_of(limits.minimum, "time", "times") +
                                " for a text of this length. Use the keyphrase more often.");
    case -10:
      return seo_assessment(id, -10,
                            found + " That's more than the recommended maximum of " +
                                count_of(limits.maximum, "time", "times") +
                                " for a text of this length. Don't over-optimize.");
    default:
      return seo_assessment(id, -50,
                            found + " That's way more than the recommended maximum of " +
                                count_of(limits.maximum, "time", "times") +
                                " for a text of this length. Don't over-optimize.");
  }
}

Assessment short_text_density(std::int64_t count, std::int64_t words) {
  const DensityLimits limits{1, words <= 50 ? 1 : 2};
  if (count == 0) return density_result(count, words, 4, limits);
  if (count <= limits.maximum) return density_result(count, words, 9, limits);
  return density_result(count, words, count == limits.maximum + 1 ? -10 : -50, limits);
}

Assessment keyphrase_density(const AnalysisContext& context) {
  const Keyphrase& keyphrase = context.keyphrase;
  const std::int64_t count = context.keyphrase_count;
  const std::int64_t words = context.word_count;
  if (keyphrase.empty() || words == 0) {
    return seo_assessment("keyphrase_density", -50,
                          "Add both a keyphrase and some text that contains it.");
  }
  if (words < 100) return short_text_density(count, words);
  const double factor = keyphrase_length_factor(keyphrase.content_words().size());
  const DensityLimits limits{recommended_count(0.5, words, factor, true),
                             recommended_count(3, words, factor, false)};
  const double weighted = 100.0 * static_cast<double>(count) / static_cast<double>(words) * factor;
  if (count == 0 || weighted < 0.5 || count == 1) return density_result(count, words, 4, limits);
  if (weighted <= 3 || (count == 2 && limits.minimum <= 2)) {
    return density_result(count, words, 9, limits);
  }
  return density_result(count, words, weighted <= 4 ? -10 : -50, limits);
}

// ---------------------------------------------------------------------------------------------
// Competing links: a link whose anchor text is the keyphrase (all its content words and no other
// content word) 2, none 8. Not assessed without a keyphrase.

bool anchor_competes(const Keyphrase& keyphrase, std::string_view anchor,
                     const Language& language) {
  const std::vector<std::string> words = split_words(anchor, language);
  if (words.empty()) return false;
  if (keyphrase.exact_only()) return words == keyphrase.words();
  if (!keyphrase.all_found_in(words)) return false;
  return std::all_of(words.begin(), words.end(), [&](const std::string& w) {
    return keyphrase.is_content_word(w) ||
           (language.is_function_word != nullptr && language.is_function_word(w));
  });
}

Assessment competing_links(const AnalysisContext& context) {
  const auto& links = context.document.links;
  const auto competing = std::count_if(links.begin(), links.end(), [&](const Link& link) {
    return anchor_competes(context.keyphrase, link.text, *context.language);
  });
  if (competing == 0) {
    return seo_assessment("competing_links", 8,
                          "No links use the keyphrase as their anchor text. Nice!");
  }
  return seo_assessment("competing_links", 2,
                        count_of(competing, "link uses", "links use") +
                            " the keyphrase as anchor text, competing with this page for it. "
                            "Change the anchor text.");
}

// ---------------------------------------------------------------------------------------------
// Text length: 300 words and more 9, 250–299 6, 200–249 3, 100–199 -10, fewer -20.

Assessment text_length(const AnalysisContext& context) {
  const std::int64_t words = context.word_count;
  const std::string found = "The text contains " + count_of(words, "word", "words");
  if (words >= 300) return seo_assessment("text_length", 9, found + ". Good job!");
  const char* how_far = words >= 250 ? "slightly below" : words >= 200 ? "below" : "far below";
  const int score = words >= 250 ? 6 : words >= 200 ? 3 : words >= 100 ? -10 : -20;
  return seo_assessment(
      "text_length", score,
      found + ", " + how_far + " the recommended minimum of 300 words. Add more content.");
}

// ---------------------------------------------------------------------------------------------
// Links: none 3; all nofollowed 7; followed and nofollowed 8; all followed 9 (internal links:
// the same, as Yoast scores them).

enum class LinkTarget { internal, outbound, other };

std::string lowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

// "User@WWW.Example.com:8080" -> "example.com".
std::string normalized_host(std::string_view authority) {
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  if (const auto colon = authority.find(':'); colon != std::string_view::npos) {
    authority = authority.substr(0, colon);
  }
  std::string host = lowercase(authority);
  if (host.starts_with("www.")) host.erase(0, 4);
  while (!host.empty() && host.back() == '.')
    host.pop_back();
  return host;
}

// The host of "//host/path" or "https://host/path" (given what follows the scheme's ':').
std::string host_of(std::string_view after_scheme) {
  if (!after_scheme.starts_with("//")) return {};
  after_scheme.remove_prefix(2);
  return normalized_host(after_scheme.substr(0, after_scheme.find_first_of("/?#")));
}

std::string site_host(std::string_view configured) {
  const auto scheme_end = configured.find("://");
  const std::string_view rest =
      scheme_end == std::string_view::npos ? configured : configured.substr(scheme_end + 3);
  return normalized_host(rest.substr(0, rest.find_first_of("/?#")));
}

// Relative links are internal; http(s) links are internal when they point at the site's host
// ("www." ignored), outbound otherwise; fragments, mailto:, tel: and other schemes are neither.
LinkTarget classify_link(std::string_view href, std::string_view site) {
  href = trimmed(href);
  if (href.empty() || href.front() == '#') return LinkTarget::other;
  if (href.starts_with("//")) {
    return !site.empty() && host_of(href) == site ? LinkTarget::internal : LinkTarget::outbound;
  }
  const auto colon = href.find(':');
  const auto delimiter = href.find_first_of("/?#");
  if (colon == std::string_view::npos ||
      (delimiter != std::string_view::npos && delimiter < colon)) {
    return LinkTarget::internal;
  }
  const std::string scheme = lowercase(href.substr(0, colon));
  if (scheme != "http" && scheme != "https") return LinkTarget::other;
  const std::string host = host_of(href.substr(colon + 1));
  return !site.empty() && host == site ? LinkTarget::internal : LinkTarget::outbound;
}

struct LinkCounts {
  std::int64_t total = 0;
  std::int64_t nofollow = 0;
};

LinkCounts count_links(const AnalysisContext& context, LinkTarget target) {
  const std::string site = site_host(context.input->site_host);
  LinkCounts counts;
  for (const Link& link : context.document.links) {
    if (classify_link(link.href, site) != target) continue;
    ++counts.total;
    if (link.nofollow) ++counts.nofollow;
  }
  return counts;
}

Assessment links_assessment(std::string id, LinkCounts counts, std::string_view kind,
                            std::string_view none_advice) {
  const std::string links =
      count_of(counts.total, std::string(kind) + " link", std::string(kind) + " links");
  if (counts.total == 0) {
    return seo_assessment(
        std::move(id), 3,
        "No " + std::string(kind) + " links appear in the text. " + std::string(none_advice));
  }
  if (counts.nofollow == counts.total) {
    return seo_assessment(std::move(id), 7,
                          "All " + links + " are nofollowed. Add some normal links.");
  }
  if (counts.nofollow > 0) {
    return seo_assessment(std::move(id), 8,
                          "The text has " + links + ", some nofollowed and some normal. Good job!");
  }
  return seo_assessment(std::move(id), 9, "The text has " + links + ". Good job!");
}

// ---------------------------------------------------------------------------------------------
// SEO title width: none 1; up to 600 px 9 (Yoast no longer penalizes short titles); wider 3.

Assessment title_width(const AnalysisContext& context) {
  const std::string id = "title_width";
  if (trimmed(context.input->title).empty()) return seo_assessment(id, 1, "Write an SEO title.");
  const std::int64_t width = title_width_px(context.input->title);
  const std::string found = "The SEO title is about " + std::to_string(width) + " px wide";
  if (width <= 600) {
    return seo_assessment(id, 9, found + ", within the 600 px search results show. Good job!");
  }
  return seo_assessment(id, 3,
                        found + ", wider than the 600 px search results show. Make it shorter.");
}

// ---------------------------------------------------------------------------------------------
// Meta description length in characters: none 1; up to 120 6; 121–156 9; over 156 6.

Assessment meta_description_length(const AnalysisContext& context) {
  const std::string id = "meta_description_length";
  const auto length =
      static_cast<std::int64_t>(count_characters(trimmed(context.input->meta_description)));
  if (length == 0) {
    return seo_assessment(id, 1,
                          "No meta description has been written, so search engines will show "
                          "text from the page instead. Write one of 121–156 characters.");
  }
  const std::string found =
      "The meta description has " + count_of(length, "character", "characters");
  if (length <= 120) {
    return seo_assessment(id, 6,
                          found +
                              ", fewer than the recommended 121. Use the space: up to 156 "
                              "characters are shown.");
  }
  if (length > 156) {
    return seo_assessment(id, 6,
                          found +
                              ", more than the 156 that are shown. Shorten it so it shows in "
                              "full.");
  }
  return seo_assessment(id, 9, found + ". Well done!");
}

// ---------------------------------------------------------------------------------------------
// Single H1: the title is the page's H1, so the body may hold at most one: two or more 1,
// otherwise 8.

Assessment single_h1(const AnalysisContext& context) {
  const auto h1s =
      std::count_if(context.document.blocks.begin(), context.document.blocks.end(),
                    [](const Block& b) { return b.kind == BlockKind::heading && b.level == 1; });
  if (h1s >= 2) {
    return seo_assessment("single_h1", 1,
                          "The text has " + std::to_string(h1s) +
                              " H1 headings. The title is the page's H1: make the others H2 or "
                              "lower.");
  }
  return seo_assessment("single_h1", 8,
                        h1s == 0 ? "The text has no H1 heading of its own. Well done!"
                                 : "The text has a single H1 heading. Well done!");
}

// ---------------------------------------------------------------------------------------------
// Images: none 3, at least one 9.

Assessment images(const AnalysisContext& context) {
  const auto count = static_cast<std::int64_t>(context.document.images.size());
  if (count == 0) return seo_assessment("images", 3, "No images appear in the text. Add some.");
  return seo_assessment("images", 9,
                        "The text has " + count_of(count, "image", "images") + ". Good job!");
}

// ---------------------------------------------------------------------------------------------
// Keyphrase in image alt texts (an alt text matches with half of the keyphrase's content words):
// fewer than 5 images and at least one match 9; 5 images and 2–4 matches 9; more images and
// 30–75% matching 9; too few, too many, alt texts without the keyphrase or no alt text 6; no
// images or no keyphrase 3.

struct AltCounts {
  std::int64_t images = 0;
  std::int64_t with_alt = 0;
  std::int64_t with_keyphrase = 0;
};

AltCounts count_alts(const AnalysisContext& context) {
  AltCounts counts;
  for (const Image& image : context.document.images) {
    ++counts.images;
    if (trimmed(image.alt).empty()) continue;
    ++counts.with_alt;
    if (!context.keyphrase.empty() &&
        reflects_keyphrase(context.keyphrase, split_words(image.alt, *context.language))) {
      ++counts.with_keyphrase;
    }
  }
  return counts;
}

bool good_alt_share(const AltCounts& c) {
  const std::int64_t minimum = (3 * c.images + 9) / 10;
  const std::int64_t maximum = (3 * c.images) / 4;
  if (c.images < 5) return c.with_keyphrase > 0;
  if (c.images == 5) return c.with_keyphrase >= 2 && c.with_keyphrase <= 4;
  return c.with_keyphrase >= minimum && c.with_keyphrase <= maximum;
}

Assessment image_keyphrase(const AnalysisContext& context) {
  const std::string id = "image_keyphrase";
  const AltCounts c = count_alts(context);
  if (context.keyphrase.empty() && c.with_alt > 0) {
    return seo_assessment(id, 6, "The images have alt text, but no keyphrase is set. Set one.");
  }
  if (context.keyphrase.empty() || c.images == 0) {
    return seo_assessment(id, 3,
                          "The text has no images, no keyphrase, or neither. Add images with alt "
                          "text that contains the keyphrase.");
  }
  const std::string share =
      std::to_string(c.with_keyphrase) + " of " + count_of(c.images, "image", "images");
  if (c.with_keyphrase == 0 && c.with_alt > 0) {
    return seo_assessment(id, 6,
                          "None of the images has alt text with at least half of the keyphrase's "
                          "words. Add the keyphrase to the alt text of relevant images.");
  }
  if (c.with_keyphrase == 0) {
    return seo_assessment(id, 6,
                          "The images have no alt text. Add alt text that describes them, with "
                          "the keyphrase where it fits.");
  }
  if (good_alt_share(c)) {
    return seo_assessment(id, 9, share + " have alt text that reflects the keyphrase. Good job!");
  }
  if (c.with_keyphrase < (3 * c.images + 9) / 10) {
    return seo_assessment(id, 6,
                          "Only " + share +
                              " have alt text that reflects the keyphrase. Add it to the alt "
                              "text of more relevant images.");
  }
  return seo_assessment(id, 6,
                        share +
                            " have the keyphrase in their alt text. That's a bit much: use "
                            "it only where it fits the image.");
}

}  // namespace

void add_seo_assessments(const AnalysisContext& context, std::vector<Assessment>& out) {
  out.push_back(keyphrase_in_title(context));
  out.push_back(keyphrase_in_introduction(context));
  out.push_back(keyphrase_in_meta_description(context));
  out.push_back(keyphrase_in_subheadings(context));
  out.push_back(keyphrase_in_slug(context));
  out.push_back(keyphrase_length(context));
  out.push_back(keyphrase_density(context));
  if (!context.keyphrase.empty()) out.push_back(competing_links(context));
  out.push_back(text_length(context));
  out.push_back(links_assessment("outbound_links", count_links(context, LinkTarget::outbound),
                                 "outbound", "Link to sources that back up the text."));
  out.push_back(links_assessment("internal_links", count_links(context, LinkTarget::internal),
                                 "internal", "Link to related pages of the site."));
  out.push_back(title_width(context));
  out.push_back(meta_description_length(context));
  out.push_back(single_h1(context));
  out.push_back(images(context));
  out.push_back(image_keyphrase(context));
}

}  // namespace seoagents::seo
