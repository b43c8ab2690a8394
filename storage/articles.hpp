// Articles: what `create` jobs write. The Markdown body lives in the object store under s3_key;
// this table holds what lists and the dashboard need. Every insert keeps the dashboard counters
// (daily_activity, agent_article_totals) in the same transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/sqlite.hpp"

namespace seoagents::storage {

// How long an article is kept by default: 90 days.
inline constexpr std::int64_t kArticleLifetimeMs = 90LL * 24 * 3600 * 1000;

struct Article {
  std::string s3_key;
  std::string account_id;
  std::string agent_id;
  std::string title;
  std::string keyword;
  std::string slug;
  std::int64_t word_count = 0;
  std::int64_t seo_score = 0;
  std::int64_t readability_score = 0;
  // "active" or "expired".
  std::string status = "active";
  std::optional<std::int64_t> wp_post_id;
  std::optional<std::string> wp_url;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::int64_t expires_at = 0;
};

// Inserts an active article created at `now` (expires_at as given, or now + 90 days when 0).
Article insert_article(Connection& db, Article article, std::int64_t now);

std::optional<Article> find_article(Connection& db, std::string_view s3_key);

}  // namespace seoagents::storage
