// The articles repository: insert and read back, the list's filters and its three orders walked
// page by page, content updates keeping the agent's score total, and the expiry queries.
#include "storage/articles.hpp"

#include <gtest/gtest.h>

#include "storage/agents.hpp"
#include "storage/dashboard.hpp"
#include "tests/storage/store_fixture.hpp"

namespace seoagents::storage {
namespace {

class ArticlesTest : public fixtures::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    account_ = new_account("acme");
    other_ = new_account("globex");
    agent_ = add_agent(account_.id);
    second_agent_ = add_agent(account_.id);
    foreign_agent_ = add_agent(other_.id);
  }

  Agent add_agent(const std::string& account_id) {
    Agent agent;
    agent.account_id = account_id;
    agent.name = "writer";
    agent.keywords = {"booth"};
    return write<Agent>([&](Connection& db) { return insert_agent(db, agent); });
  }

  Article add_article(const Agent& agent, const std::string& slug, std::int64_t score,
                      std::int64_t words, std::int64_t now, std::int64_t expires_at = 0) {
    Article article;
    article.s3_key = "articles/" + agent.id + "/" + slug + ".md";
    article.account_id = agent.account_id;
    article.agent_id = agent.id;
    article.title = "Title " + slug;
    article.meta_description = "Meta " + slug;
    article.keyword = "booth";
    article.slug = slug;
    article.word_count = words;
    article.seo_score = score;
    article.readability_score = 70;
    article.created_by_job = "content-" + slug;
    article.expires_at = expires_at;
    return write<Article>([&](Connection& db) { return insert_article(db, article, now); });
  }

  // Every page of a list, in order, `limit` rows at a time.
  std::vector<std::string> walk(const ArticleFilter& filter, std::string_view column,
                                bool descending, std::size_t limit) {
    std::vector<std::string> keys;
    std::optional<PagePosition> after;
    for (int page = 0; page < 1000; ++page) {
      auto rows = list_articles(db(), account_.id, filter, column, descending, after, limit);
      for (const Article& row : rows)
        keys.push_back(row.slug);
      if (rows.size() < limit) return keys;
      const Article& last = rows.back();
      std::int64_t value = column == "seo_score"    ? last.seo_score
                           : column == "word_count" ? last.word_count
                                                    : last.created_at;
      after = PagePosition{value, last.s3_key};
    }
    ADD_FAILURE() << "the walk did not end";
    return keys;
  }

  Account account_;
  Account other_;
  Agent agent_;
  Agent second_agent_;
  Agent foreign_agent_;
};

TEST_F(ArticlesTest, InsertedArticlesReadBackWhole) {
  Article stored = add_article(agent_, "a", 80, 1500, 1'000);
  EXPECT_EQ(stored.status, "active");
  EXPECT_EQ(stored.version, 1);
  EXPECT_EQ(stored.expires_at, 1'000 + kArticleLifetimeMs);
  auto read = find_article(db(), stored.s3_key);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->meta_description, "Meta a");
  EXPECT_EQ(read->created_by_job, "content-a");
  EXPECT_EQ(read->updated_by_job, "content-a");
  EXPECT_EQ(read->word_count, 1500);
  auto by_job = find_article_created_by(db(), "content-a");
  ASSERT_TRUE(by_job);
  EXPECT_EQ(by_job->s3_key, stored.s3_key);
  EXPECT_FALSE(find_article_created_by(db(), "content-none"));
}

TEST_F(ArticlesTest, OneArticlePerCreatingJob) {
  add_article(agent_, "a", 80, 1500, 1'000);
  Article again;
  again.s3_key = "articles/" + agent_.id + "/other.md";
  again.account_id = account_.id;
  again.agent_id = agent_.id;
  again.created_by_job = "content-a";
  auto result = try_write<Article>([&](Connection& db) { return insert_article(db, again, 2); });
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, StorageError::Kind::constraint);
}

TEST_F(ArticlesTest, ListsWalkEveryOrderWithTiesAndFilters) {
  // Scores and word counts repeat, so pages must break ties by key.
  for (int i = 0; i < 23; ++i) {
    std::string slug = "s" + std::to_string(100 + i);
    add_article(i % 3 == 0 ? second_agent_ : agent_, slug, 50 + (i % 5) * 10, 1000 + (i % 4) * 250,
                10'000 + i);
  }
  add_article(foreign_agent_, "foreign", 99, 9999, 50'000);
  for (std::string_view column : kArticleSortColumns) {
    for (bool descending : {false, true}) {
      std::vector<std::string> whole = walk({}, column, descending, 100);
      ASSERT_EQ(whole.size(), 23u) << column;
      for (std::size_t limit : {1u, 4u, 7u})
        EXPECT_EQ(walk({}, column, descending, limit), whole) << column << " " << limit;
    }
  }
  // created_at descending: newest first.
  EXPECT_EQ(walk({}, "created_at", true, 100).front(), "s122");
  // Agent and minimum score filters, alone and together.
  EXPECT_EQ(walk({second_agent_.id, std::nullopt}, "created_at", false, 3).size(), 8u);
  for (const std::string& slug : walk({"", 90}, "seo_score", true, 2)) {
    auto article = find_article(db(), "articles/" + agent_.id + "/" + slug + ".md");
    if (!article) article = find_article(db(), "articles/" + second_agent_.id + "/" + slug + ".md");
    ASSERT_TRUE(article);
    EXPECT_GE(article->seo_score, 90);
  }
  EXPECT_EQ(walk({"", 90}, "seo_score", true, 2).size(), 4u);
  EXPECT_EQ(walk({second_agent_.id, 90}, "word_count", false, 2).size(), 1u);
  // Another account's agent lists nothing here.
  EXPECT_TRUE(walk({foreign_agent_.id, std::nullopt}, "created_at", true, 5).empty());
}

TEST_F(ArticlesTest, ContentUpdatesBumpTheVersionAndTheScoreTotal) {
  Article article = add_article(agent_, "a", 60, 900, 1'000);
  add_article(agent_, "b", 80, 900, 1'001);
  article.title = "New title";
  article.slug = "new-slug";
  article.seo_score = 90;
  article.word_count = 1400;
  article.updated_by_job = "optimize-1";
  Article stored =
      write<Article>([&](Connection& db) { return update_article_content(db, article, 5'000); });
  EXPECT_EQ(stored.version, 2);
  EXPECT_EQ(stored.title, "New title");
  EXPECT_EQ(stored.slug, "new-slug");
  EXPECT_EQ(stored.updated_by_job, "optimize-1");
  EXPECT_EQ(stored.created_by_job, "content-a");
  EXPECT_EQ(stored.updated_at, 5'000);
  EXPECT_EQ(stored.created_at, 1'000);
  // The dashboard's average follows: (90 + 80) / 2.
  Query totals =
      db().query("SELECT articles, score_sum FROM agent_article_totals WHERE agent_id = ?1");
  totals->bind(1, agent_.id);
  ASSERT_TRUE(totals->step());
  EXPECT_EQ(totals->integer(0), 2);
  EXPECT_EQ(totals->integer(1), 170);
}

TEST_F(ArticlesTest, ExpiryFindsDueArticlesOnceAndMarksThem) {
  add_article(agent_, "due", 60, 900, 1'000, 2'000);
  add_article(agent_, "later", 60, 900, 1'000, 9'000);
  auto due = list_expired_articles(db(), 2'000, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].slug, "due");
  EXPECT_TRUE(
      write<bool>([&](Connection& db) { return mark_article_expired(db, due[0].s3_key, 2'500); }));
  EXPECT_FALSE(
      write<bool>([&](Connection& db) { return mark_article_expired(db, due[0].s3_key, 2'600); }));
  EXPECT_TRUE(list_expired_articles(db(), 2'000, 10).empty());
  EXPECT_EQ(find_article(db(), due[0].s3_key)->status, "expired");
  // Expired articles stay listed, with their status.
  EXPECT_EQ(walk({}, "created_at", true, 10).size(), 2u);
}

TEST_F(ArticlesTest, RecentAgentArticlesAreActiveAndNewestFirst) {
  add_article(agent_, "old", 60, 900, 1'000);
  add_article(agent_, "new", 60, 900, 3'000);
  add_article(agent_, "gone", 60, 900, 2'000, 2'500);
  add_article(second_agent_, "elsewhere", 60, 900, 4'000);
  write<bool>([&](Connection& db) {
    return mark_article_expired(db, "articles/" + agent_.id + "/gone.md", 2'600);
  });
  auto recent = list_recent_agent_articles(db(), agent_.id, 10);
  ASSERT_EQ(recent.size(), 2u);
  EXPECT_EQ(recent[0].slug, "new");
  EXPECT_EQ(recent[1].slug, "old");
}

}  // namespace
}  // namespace seoagents::storage
