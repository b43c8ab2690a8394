// Articles: what `create` jobs write. The Markdown body lives in the object store under s3_key;
// this table holds what lists and the dashboard need. Every insert keeps the dashboard counters
// (daily_activity, agent_article_totals) in the same transaction, and every score change keeps
// agent_article_totals.score_sum true.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/keyset.hpp"
#include "storage/sqlite.hpp"

namespace seoagents::storage {

// How long an article is kept by default: 90 days.
inline constexpr std::int64_t kArticleLifetimeMs = 90LL * 24 * 3600 * 1000;

struct Article {
  std::string s3_key;
  std::string account_id;
  std::string agent_id;
  std::string title;
  std::string meta_description;
  std::string keyword;
  std::string slug;
  std::int64_t word_count = 0;
  std::int64_t seo_score = 0;
  std::int64_t readability_score = 0;
  // "active" or "expired".
  std::string status = "active";
  // The version of the body at s3_key: 1 when created, one more per enhance or optimize.
  std::int64_t version = 1;
  // Where the article is published (see record_article_publication): the WordPress post, its
  // link, the site it is on, its status there ("draft", "publish", …), when and by which publish
  // job it was last sent. All null until the first publish.
  std::optional<std::int64_t> wp_post_id;
  std::optional<std::string> wp_url;
  std::optional<std::string> wp_site_id;
  std::optional<std::string> wp_status;
  std::optional<std::int64_t> published_at;
  std::optional<std::string> published_by_job;
  // The job that created the article, and the one that last changed its body.
  std::optional<std::string> created_by_job;
  std::optional<std::string> updated_by_job;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::int64_t expires_at = 0;
};

// The sort columns article lists accept (the API's `score` is seo_score).
inline constexpr std::string_view kArticleSortColumns[] = {"created_at", "seo_score", "word_count"};

struct ArticleFilter {
  // Only this agent's articles ("" for all of the account's).
  std::string agent_id;
  // Only articles scoring at least this much.
  std::optional<std::int64_t> min_score;
};

// Inserts an active article created at `now` (expires_at as given, or now + 90 days when 0).
Article insert_article(Connection& db, Article article, std::int64_t now);

std::optional<Article> find_article(Connection& db, std::string_view s3_key);
// The article `job_id` created, if it did.
std::optional<Article> find_article_created_by(Connection& db, std::string_view job_id);

// Stores a new body's numbers: title, meta_description, slug, word_count, the scores,
// updated_by_job, version + 1 and updated_at = now. Returns the article as stored.
Article update_article_content(Connection& db, const Article& changed, std::int64_t now);

// A page of the account's articles in the order of `sort_column` (one of kArticleSortColumns).
std::vector<Article> list_articles(Connection& db, std::string_view account_id,
                                   const ArticleFilter& filter, std::string_view sort_column,
                                   bool descending, const std::optional<PagePosition>& after,
                                   std::size_t limit);

// The agent's most recent active articles, newest first.
std::vector<Article> list_recent_agent_articles(Connection& db, std::string_view agent_id,
                                                std::size_t limit);

// Active articles whose expires_at is at or before `now`, soonest first.
std::vector<Article> list_expired_articles(Connection& db, std::int64_t now, std::size_t limit);

// What a publish job learnt from WordPress about the article's post.
struct ArticlePublication {
  std::string site_id;
  std::int64_t wp_post_id = 0;
  std::string wp_url;
  std::string wp_status;
  // The publish job.
  std::string job_id;
};

// Records the article's post (wp_* fields, published_at = updated_at = now, published_by_job).
// nullopt when there is no article at s3_key.
std::optional<Article> record_article_publication(Connection& db, std::string_view s3_key,
                                                  const ArticlePublication& publication,
                                                  std::int64_t now);

// Marks the article expired (its objects are gone). False when it was not active.
bool mark_article_expired(Connection& db, std::string_view s3_key, std::int64_t now);

}  // namespace seoagents::storage
