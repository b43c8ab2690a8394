// Page audits, severities and the audit summary (see audit_report.hpp).
#include "jobs/audit_report.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

#include "seo/english.hpp"

namespace seoagents::jobs {
namespace {

namespace json = boost::json;

// Content words a derived keyphrase keeps at most.
constexpr std::size_t kMaxKeyphraseWords = 4;

// The title up to its first separator.
std::string_view before_separator(std::string_view title) {
  std::size_t end = title.find_first_of(":|?!");
  for (std::string_view dash : {" - ", " \xE2\x80\x93 ", " \xE2\x80\x94 "}) {
    end = std::min(end, title.find(dash));
  }
  return title.substr(0, end);
}

// A word without the ASCII punctuation around it, ASCII letters lowercased.
std::string bare_word(std::string_view word) {
  auto punctuation = [](char c) {
    return std::ispunct(static_cast<unsigned char>(c)) != 0 && c != '-';
  };
  while (!word.empty() && punctuation(word.front()))
    word.remove_prefix(1);
  while (!word.empty() && punctuation(word.back()))
    word.remove_suffix(1);
  std::string out(word);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string joined(const std::vector<std::string>& words) {
  std::string text;
  for (const std::string& word : words) {
    if (!text.empty()) text += ' ';
    text += word;
  }
  return text;
}

int severity_rank(std::string_view severity) {
  if (severity == "high") return 0;
  if (severity == "medium") return 1;
  return 2;
}

std::int64_t rounded_mean(std::int64_t total, std::size_t count) {
  if (count == 0) return 0;
  return static_cast<std::int64_t>(std::lround(static_cast<double>(total) / count));
}

std::int64_t high_issues(const PageAudit& page) {
  return std::count_if(page.issues.begin(), page.issues.end(),
                       [](const AuditIssue& issue) { return issue.severity == "high"; });
}

}  // namespace

std::string derive_keyphrase(std::string_view title) {
  std::istringstream words{std::string(before_separator(title))};
  std::vector<std::string> all;
  std::vector<std::string> content;
  for (std::string word; words >> word;) {
    std::string bare = bare_word(word);
    if (bare.empty()) continue;
    if (all.size() < kMaxKeyphraseWords) all.push_back(bare);
    if (content.size() < kMaxKeyphraseWords && !seo::english::is_function_word(bare))
      content.push_back(bare);
  }
  return joined(content.empty() ? all : content);
}

std::string_view severity_of(const seo::Assessment& assessment) {
  if (assessment.rating == seo::Rating::good) return "";
  bool bad = assessment.rating == seo::Rating::bad;
  if (assessment.category == seo::Category::seo) return bad ? "high" : "medium";
  return bad ? "medium" : "low";
}

PageAudit audit_page(const wordpress::PublishedItem& item, std::string_view site_host) {
  PageAudit page;
  page.id = item.id;
  page.type = item.type;
  page.title = item.title;
  page.url = item.link;
  page.slug = item.slug;
  page.meta_description_source = item.meta_description_source;
  page.focus_keyphrase = item.focus_keyphrase;
  page.focus_keyphrase_source = item.focus_keyphrase_source;
  if (page.focus_keyphrase.empty()) {
    page.focus_keyphrase = derive_keyphrase(item.title);
    page.focus_keyphrase_source = "title";
  }
  seo::AnalysisInput input;
  input.keyword = page.focus_keyphrase;
  input.title = item.title;
  input.meta_description = item.meta_description;
  input.slug = item.slug;
  input.content = item.content_html;
  input.format = seo::ContentFormat::html;
  input.site_host = site_host;
  seo::AnalysisReport report = seo::analyze(input);
  page.seo_score = report.seo_score;
  page.readability_score = report.readability_score;
  page.word_count = report.metrics.word_count;
  for (const seo::Assessment& assessment : report.assessments) {
    std::string_view severity = severity_of(assessment);
    if (severity.empty()) continue;
    page.issues.push_back({assessment.id, std::string(seo::to_string(assessment.category)),
                           std::string(seo::to_string(assessment.rating)), std::string(severity),
                           assessment.message});
  }
  std::stable_sort(page.issues.begin(), page.issues.end(),
                   [](const AuditIssue& a, const AuditIssue& b) {
                     return severity_rank(a.severity) < severity_rank(b.severity);
                   });
  return page;
}

AuditSummary summarize(const std::vector<PageAudit>& pages, bool capped) {
  AuditSummary summary;
  std::int64_t seo_total = 0;
  std::int64_t readability_total = 0;
  for (const PageAudit& page : pages) {
    seo_total += page.seo_score;
    readability_total += page.readability_score;
    for (const AuditIssue& issue : page.issues) {
      if (issue.severity == "high") ++summary.issues.high;
      if (issue.severity == "medium") ++summary.issues.medium;
      if (issue.severity == "low") ++summary.issues.low;
    }
  }
  summary.site_score = rounded_mean(seo_total, pages.size());
  summary.readability_score = rounded_mean(readability_total, pages.size());
  summary.pages = static_cast<std::int64_t>(pages.size());
  summary.capped = capped;
  return summary;
}

void sort_worst_first(std::vector<PageAudit>& pages) {
  std::sort(pages.begin(), pages.end(), [](const PageAudit& a, const PageAudit& b) {
    if (a.seo_score != b.seo_score) return a.seo_score < b.seo_score;
    if (a.readability_score != b.readability_score)
      return a.readability_score < b.readability_score;
    std::int64_t a_high = high_issues(a);
    std::int64_t b_high = high_issues(b);
    if (a_high != b_high) return a_high > b_high;
    return a.id < b.id;
  });
}

json::object issue_counts_json(const IssueCounts& counts) {
  json::object object;
  object["high"] = counts.high;
  object["medium"] = counts.medium;
  object["low"] = counts.low;
  return object;
}

json::object page_audit_json(const PageAudit& page) {
  json::array issues;
  for (const AuditIssue& issue : page.issues) {
    json::object item;
    item["id"] = issue.id;
    item["category"] = issue.category;
    item["rating"] = issue.rating;
    item["severity"] = issue.severity;
    item["message"] = issue.message;
    issues.emplace_back(std::move(item));
  }
  json::object object;
  object["id"] = page.id;
  object["type"] = page.type;
  object["title"] = page.title;
  object["url"] = page.url;
  object["slug"] = page.slug;
  object["focus_keyphrase"] = page.focus_keyphrase;
  object["focus_keyphrase_source"] = page.focus_keyphrase_source;
  object["meta_description_source"] = page.meta_description_source;
  object["seo_score"] = page.seo_score;
  object["readability_score"] = page.readability_score;
  object["word_count"] = page.word_count;
  object["issues"] = std::move(issues);
  return object;
}

}  // namespace seoagents::jobs
