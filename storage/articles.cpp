// Article persistence and the article counters of the dashboard.
#include "storage/articles.hpp"

#include "storage/jobs.hpp"

namespace seoagents::storage {
namespace {

constexpr std::string_view kInsertArticle =
    "INSERT INTO articles (s3_key, account_id, agent_id, title, keyword, slug, word_count, "
    "seo_score, readability_score, status, wp_post_id, wp_url, created_at, updated_at, "
    "expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'active', ?10, ?11, ?12, ?12, ?13)";
constexpr std::string_view kSelectArticle =
    "SELECT s3_key, account_id, agent_id, title, keyword, slug, word_count, seo_score, "
    "readability_score, status, wp_post_id, wp_url, created_at, updated_at, expires_at "
    "FROM articles WHERE s3_key = ?1";
constexpr std::string_view kCountArticleOfDay =
    "INSERT INTO daily_activity (account_id, day, job_type, articles) VALUES (?1, ?2, 'create', 1) "
    "ON CONFLICT DO UPDATE SET articles = articles + 1";
constexpr std::string_view kAddToAgentTotals =
    "INSERT INTO agent_article_totals (agent_id, account_id, articles, score_sum) "
    "VALUES (?1, ?2, 1, ?3) "
    "ON CONFLICT DO UPDATE SET articles = articles + 1, score_sum = score_sum + ?3";

Article read_article(Statement& row) {
  Article article;
  article.s3_key = row.text(0);
  article.account_id = row.text(1);
  article.agent_id = row.text(2);
  article.title = row.text(3);
  article.keyword = row.text(4);
  article.slug = row.text(5);
  article.word_count = row.integer(6);
  article.seo_score = row.integer(7);
  article.readability_score = row.integer(8);
  article.status = row.text(9);
  article.wp_post_id = row.optional_integer(10);
  article.wp_url = row.optional_text(11);
  article.created_at = row.integer(12);
  article.updated_at = row.integer(13);
  article.expires_at = row.integer(14);
  return article;
}

}  // namespace

Article insert_article(Connection& db, Article article, std::int64_t now) {
  article.status = "active";
  article.created_at = article.updated_at = now;
  if (article.expires_at == 0) article.expires_at = now + kArticleLifetimeMs;
  db.query(kInsertArticle)
      ->bind(1, article.s3_key)
      .bind(2, article.account_id)
      .bind(3, article.agent_id)
      .bind(4, article.title)
      .bind(5, article.keyword)
      .bind(6, article.slug)
      .bind(7, article.word_count)
      .bind(8, article.seo_score)
      .bind(9, article.readability_score)
      .bind(10, article.wp_post_id)
      .bind(11, article.wp_url)
      .bind(12, now)
      .bind(13, article.expires_at)
      .run();
  db.query(kCountArticleOfDay)->bind(1, article.account_id).bind(2, utc_day(now)).run();
  db.query(kAddToAgentTotals)
      ->bind(1, article.agent_id)
      .bind(2, article.account_id)
      .bind(3, article.seo_score)
      .run();
  return article;
}

std::optional<Article> find_article(Connection& db, std::string_view s3_key) {
  Query query = db.query(kSelectArticle);
  query->bind(1, s3_key);
  if (!query->step()) return std::nullopt;
  return read_article(*query);
}

}  // namespace seoagents::storage
