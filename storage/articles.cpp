// Article persistence and the article counters of the dashboard.
#include "storage/articles.hpp"

#include "storage/jobs.hpp"

namespace seoagents::storage {
namespace {

// The columns every article query reads, in read_article()'s order. A macro so that each
// statement stays one string literal, concatenated at compile time.
#define SEOAGENTS_ARTICLE_COLUMNS                                                             \
  "s3_key, account_id, agent_id, title, meta_description, keyword, slug, word_count, "        \
  "seo_score, readability_score, status, version, wp_post_id, wp_url, created_by_job, "       \
  "updated_by_job, created_at, updated_at, expires_at, wp_site_id, wp_status, published_at, " \
  "published_by_job"

constexpr std::string_view kInsertArticle =
    "INSERT INTO articles (" SEOAGENTS_ARTICLE_COLUMNS
    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'active', 1, ?11, ?12, ?13, ?13, ?14, "
    "?14, ?15, NULL, NULL, NULL, NULL)";
constexpr std::string_view kSelectArticle =
    "SELECT " SEOAGENTS_ARTICLE_COLUMNS " FROM articles WHERE s3_key = ?1";
constexpr std::string_view kSelectArticleCreatedBy =
    "SELECT " SEOAGENTS_ARTICLE_COLUMNS " FROM articles WHERE created_by_job = ?1";
constexpr std::string_view kUpdateArticleContent =
    "UPDATE articles SET title = ?2, meta_description = ?3, slug = ?4, word_count = ?5, "
    "seo_score = ?6, readability_score = ?7, updated_by_job = ?8, version = version + 1, "
    "updated_at = ?9 WHERE s3_key = ?1 RETURNING " SEOAGENTS_ARTICLE_COLUMNS;
constexpr std::string_view kRecordPublication =
    "UPDATE articles SET wp_post_id = ?2, wp_url = ?3, wp_site_id = ?4, wp_status = ?5, "
    "published_at = ?6, published_by_job = ?7, updated_at = ?6 WHERE s3_key = ?1 "
    "RETURNING " SEOAGENTS_ARTICLE_COLUMNS;
constexpr std::string_view kSelectRecentAgentArticles =
    "SELECT " SEOAGENTS_ARTICLE_COLUMNS
    " FROM articles WHERE agent_id = ?1 AND status = 'active' "
    "ORDER BY created_at DESC, s3_key DESC LIMIT ?2";
constexpr std::string_view kSelectExpiredArticles =
    "SELECT " SEOAGENTS_ARTICLE_COLUMNS
    " FROM articles WHERE status = 'active' "
    "AND expires_at <= ?1 ORDER BY expires_at LIMIT ?2";
constexpr std::string_view kMarkArticleExpired =
    "UPDATE articles SET status = 'expired', updated_at = ?2 WHERE s3_key = ?1 "
    "AND status = 'active'";
// The list's filters (1: account; 2: minimum score; 3: agent). With an agent, the
// articles_by_agent* indexes serve the order; without one, the account's. Sorted by score, the
// minimum is a range on the score index; sorted otherwise, `+seo_score` keeps SQLite from
// choosing the score index for the minimum and then sorting every matching row.
constexpr std::string_view kSelectArticlePage =
    "SELECT " SEOAGENTS_ARTICLE_COLUMNS
    " FROM articles WHERE account_id = ?1 AND +seo_score >= CAST(?2 AS INTEGER)";
constexpr std::string_view kSelectArticlePageByScore =
    "SELECT " SEOAGENTS_ARTICLE_COLUMNS
    " FROM articles WHERE account_id = ?1 AND seo_score >= CAST(?2 AS INTEGER)";
constexpr std::string_view kSelectAgentArticlePage =
    "SELECT " SEOAGENTS_ARTICLE_COLUMNS
    " FROM articles WHERE account_id = ?1 AND +seo_score >= CAST(?2 AS INTEGER) AND agent_id = ?3";
constexpr std::string_view kSelectAgentArticlePageByScore =
    "SELECT " SEOAGENTS_ARTICLE_COLUMNS
    " FROM articles WHERE account_id = ?1 AND seo_score >= CAST(?2 AS INTEGER) AND agent_id = ?3";
#undef SEOAGENTS_ARTICLE_COLUMNS

constexpr std::string_view kCountArticleOfDay =
    "INSERT INTO daily_activity (account_id, day, job_type, articles) VALUES (?1, ?2, 'create', 1) "
    "ON CONFLICT DO UPDATE SET articles = articles + 1";
constexpr std::string_view kAddToAgentTotals =
    "INSERT INTO agent_article_totals (agent_id, account_id, articles, score_sum) "
    "VALUES (?1, ?2, 1, ?3) "
    "ON CONFLICT DO UPDATE SET articles = articles + 1, score_sum = score_sum + ?3";
constexpr std::string_view kChangeAgentScoreSum =
    "UPDATE agent_article_totals SET score_sum = score_sum + ?2 WHERE agent_id = ?1";

// The statements of one list: by score, or by another column.
const KeysetStatements& article_pages(bool by_score, bool of_agent) {
  static const KeysetStatements account(kSelectArticlePage, 2, {"created_at", "word_count"},
                                        "s3_key");
  static const KeysetStatements account_by_score(kSelectArticlePageByScore, 2, {"seo_score"},
                                                 "s3_key");
  static const KeysetStatements agent(kSelectAgentArticlePage, 3, {"created_at", "word_count"},
                                      "s3_key");
  static const KeysetStatements agent_by_score(kSelectAgentArticlePageByScore, 3, {"seo_score"},
                                               "s3_key");
  if (of_agent) return by_score ? agent_by_score : agent;
  return by_score ? account_by_score : account;
}

Article read_article(Statement& row) {
  Article article;
  article.s3_key = row.text(0);
  article.account_id = row.text(1);
  article.agent_id = row.text(2);
  article.title = row.text(3);
  article.meta_description = row.text(4);
  article.keyword = row.text(5);
  article.slug = row.text(6);
  article.word_count = row.integer(7);
  article.seo_score = row.integer(8);
  article.readability_score = row.integer(9);
  article.status = row.text(10);
  article.version = row.integer(11);
  article.wp_post_id = row.optional_integer(12);
  article.wp_url = row.optional_text(13);
  article.created_by_job = row.optional_text(14);
  article.updated_by_job = row.optional_text(15);
  article.created_at = row.integer(16);
  article.updated_at = row.integer(17);
  article.expires_at = row.integer(18);
  article.wp_site_id = row.optional_text(19);
  article.wp_status = row.optional_text(20);
  article.published_at = row.optional_integer(21);
  article.published_by_job = row.optional_text(22);
  return article;
}

std::optional<Article> read_one(Query& query) {
  if (!query->step()) return std::nullopt;
  return read_article(*query);
}

std::vector<Article> read_all(Query& query) {
  std::vector<Article> articles;
  while (query->step())
    articles.push_back(read_article(*query));
  return articles;
}

}  // namespace

Article insert_article(Connection& db, Article article, std::int64_t now) {
  article.status = "active";
  article.version = 1;
  article.updated_by_job = article.created_by_job;
  article.created_at = article.updated_at = now;
  if (article.expires_at == 0) article.expires_at = now + kArticleLifetimeMs;
  db.query(kInsertArticle)
      ->bind(1, article.s3_key)
      .bind(2, article.account_id)
      .bind(3, article.agent_id)
      .bind(4, article.title)
      .bind(5, article.meta_description)
      .bind(6, article.keyword)
      .bind(7, article.slug)
      .bind(8, article.word_count)
      .bind(9, article.seo_score)
      .bind(10, article.readability_score)
      .bind(11, article.wp_post_id)
      .bind(12, article.wp_url)
      .bind(13, article.created_by_job)
      .bind(14, now)
      .bind(15, article.expires_at)
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
  return read_one(query);
}

std::optional<Article> find_article_created_by(Connection& db, std::string_view job_id) {
  Query query = db.query(kSelectArticleCreatedBy);
  query->bind(1, job_id);
  return read_one(query);
}

Article update_article_content(Connection& db, const Article& changed, std::int64_t now) {
  std::optional<Article> before = find_article(db, changed.s3_key);
  if (!before) throw std::runtime_error("no article " + changed.s3_key);
  std::optional<Article> stored;
  {
    Query query = db.query(kUpdateArticleContent);
    query->bind(1, changed.s3_key)
        .bind(2, changed.title)
        .bind(3, changed.meta_description)
        .bind(4, changed.slug)
        .bind(5, changed.word_count)
        .bind(6, changed.seo_score)
        .bind(7, changed.readability_score)
        .bind(8, changed.updated_by_job)
        .bind(9, now);
    stored = read_one(query);
  }
  db.query(kChangeAgentScoreSum)
      ->bind(1, stored->agent_id)
      .bind(2, stored->seo_score - before->seo_score)
      .run();
  return *stored;
}

std::optional<Article> record_article_publication(Connection& db, std::string_view s3_key,
                                                  const ArticlePublication& publication,
                                                  std::int64_t now) {
  Query query = db.query(kRecordPublication);
  query->bind(1, s3_key)
      .bind(2, publication.wp_post_id)
      .bind(3, publication.wp_url)
      .bind(4, publication.site_id)
      .bind(5, publication.wp_status)
      .bind(6, now)
      .bind(7, publication.job_id);
  return read_one(query);
}

std::vector<Article> list_articles(Connection& db, std::string_view account_id,
                                   const ArticleFilter& filter, std::string_view sort_column,
                                   bool descending, const std::optional<PagePosition>& after,
                                   std::size_t limit) {
  KeysetPage page{sort_column, descending, after, limit};
  // The filters are bound as text; the statements cast the minimum back to an integer.
  std::string min_score = std::to_string(filter.min_score.value_or(0));
  bool by_score = sort_column == "seo_score";
  if (!filter.agent_id.empty()) {
    return read_page(db, article_pages(by_score, true), {account_id, min_score, filter.agent_id},
                     page, read_article);
  }
  return read_page(db, article_pages(by_score, false), {account_id, min_score}, page, read_article);
}

std::vector<Article> list_recent_agent_articles(Connection& db, std::string_view agent_id,
                                                std::size_t limit) {
  Query query = db.query(kSelectRecentAgentArticles);
  query->bind(1, agent_id).bind(2, static_cast<std::int64_t>(limit));
  return read_all(query);
}

std::vector<Article> list_expired_articles(Connection& db, std::int64_t now, std::size_t limit) {
  Query query = db.query(kSelectExpiredArticles);
  query->bind(1, now).bind(2, static_cast<std::int64_t>(limit));
  return read_all(query);
}

bool mark_article_expired(Connection& db, std::string_view s3_key, std::int64_t now) {
  Query query = db.query(kMarkArticleExpired);
  query->bind(1, s3_key).bind(2, now);
  query->run();
  return db.changes() > 0;
}

}  // namespace seoagents::storage
