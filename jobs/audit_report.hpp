// The audit of a site, page by page, and the report it adds up to. Pure computation (the
// pipeline reads the site and stores the report): each published post or page is run through
// the SEO analysis with its focus keyphrase — the SEO plugin's when the site exposes it, else
// one derived from the title — and its failing assessments become issues by severity.
//
// Severity: an SEO assessment rated bad is `high`; an SEO assessment rated ok, or a readability
// one rated bad, is `medium`; a readability assessment rated ok is `low`.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "jobs/wordpress/site_reader.hpp"
#include "seo/analysis.hpp"

namespace seoagents::jobs {

// A failing assessment of one page.
struct AuditIssue {
  // The assessment's id ("keyphrase_in_title").
  std::string id;
  // "seo" or "readability".
  std::string category;
  // "bad" or "ok".
  std::string rating;
  // "high", "medium" or "low".
  std::string severity;
  std::string message;
};

struct PageAudit {
  std::int64_t id = 0;
  // "post" or "page".
  std::string type;
  std::string title;
  std::string url;
  std::string slug;
  std::string focus_keyphrase;
  // "yoast", "rank_math" or "title" (derived).
  std::string focus_keyphrase_source;
  // "yoast", "rank_math", "excerpt" or "none".
  std::string meta_description_source;
  // The page's score: its SEO score, 0–100.
  int seo_score = 0;
  int readability_score = 0;
  std::int64_t word_count = 0;
  // Failing assessments, most severe first.
  std::vector<AuditIssue> issues;
};

struct IssueCounts {
  std::int64_t high = 0;
  std::int64_t medium = 0;
  std::int64_t low = 0;
};

struct AuditSummary {
  // The rounded mean of the pages' SEO scores (0 without pages).
  std::int64_t site_score = 0;
  // The rounded mean of their readability scores.
  std::int64_t readability_score = 0;
  std::int64_t pages = 0;
  IssueCounts issues;
  // The --audit-max-pages cap was reached: the site may have more.
  bool capped = false;
};

// A focus keyphrase from a title: the part before its first separator (":", "|", "?", "!",
// " - ", " – ", " — "), lowercased, its first four content words (function words such as "the",
// "how", "to" left out, as the analysis ignores them anyway; four is the most Yoast recommends).
// The first four words when it has no content word; empty for an empty title.
std::string derive_keyphrase(std::string_view title);

// "high", "medium", "low" for a failing assessment; "" for a good one.
std::string_view severity_of(const seo::Assessment& assessment);

// Analyses one page (CPU work: run it off the loops). `site_host`: links to it are internal.
PageAudit audit_page(const wordpress::PublishedItem& item, std::string_view site_host);

// The numbers of the whole audit.
AuditSummary summarize(const std::vector<PageAudit>& pages, bool capped);

// Worst first: lowest SEO score, then lowest readability, then most high issues, then id.
void sort_worst_first(std::vector<PageAudit>& pages);

boost::json::object page_audit_json(const PageAudit& page);
boost::json::object issue_counts_json(const IssueCounts& counts);

}  // namespace seoagents::jobs
