// The fixes of an `optimize` job: what each failing SEO assessment asks for, done to the article
// deterministically where the text allows it (title, meta description, subheadings, slug, links,
// image alt text, extra H1s). Changes that need new prose (the keyphrase worked into the
// introduction or into more paragraphs) are found here and written by the job's writer.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "jobs/article_file.hpp"

namespace seoagents::jobs {

// One change, as the job's result reports it.
struct OptimizationChange {
  // The assessment it answers ("keyphrase_in_title").
  std::string assessment;
  // What was done, for people: "Title now starts with the keyphrase".
  std::string change;
};

// Another article of the agent, a candidate for an internal link.
struct RelatedArticle {
  std::string title;
  // Its WordPress URL once published, else the site-relative path of its slug ("/slug/").
  std::string url;
};

// Where a paragraph's text is in the body: bytes [begin, end).
struct ParagraphSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Applies every deterministic fix for the assessments in `failing` (ids of the assessments not
// rated good) and returns what changed.
std::vector<OptimizationChange> apply_structural_fixes(ArticleFile& file,
                                                       const std::set<std::string>& failing,
                                                       const std::vector<RelatedArticle>& related);

// The introduction: the first paragraph of prose (not a heading, list, quote, table, image or
// code), if there is one.
std::optional<ParagraphSpan> introduction_paragraph(std::string_view body);

// Up to `limit` paragraphs of prose after the introduction that do not contain `keyword`
// (case-insensitive), in order.
std::vector<ParagraphSpan> paragraphs_without_keyword(std::string_view body,
                                                      std::string_view keyword, std::size_t limit);

// The keyphrase with its first letter capitalised ("trade show booth cost" → "Trade show booth
// cost").
std::string capitalised(std::string_view keyword);

// Whether `text` contains `keyword`, ignoring ASCII case.
bool contains_keyword(std::string_view text, std::string_view keyword);

}  // namespace seoagents::jobs
