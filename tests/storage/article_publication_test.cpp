// Recording where an article is published (record_article_publication): a new article has no
// post; the record sets every wp_* field, published_at and the job, reads back whole through
// find_article and the list, replaces an earlier record (another post, another site), and names
// no article when the key is unknown. Its content, scores and version are left alone.
#include <gtest/gtest.h>

#include "storage/agents.hpp"
#include "storage/articles.hpp"
#include "tests/storage/store_fixture.hpp"

namespace seoagents::storage {
namespace {

class ArticlePublicationTest : public fixtures::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    account_ = new_account("acme");
    Agent agent;
    agent.account_id = account_.id;
    agent.name = "writer";
    agent.keywords = {"booth"};
    agent_ = write<Agent>([&](Connection& db) { return insert_agent(db, agent); });
    Article article;
    article.s3_key = "articles/" + agent_.id + "/booth.md";
    article.account_id = account_.id;
    article.agent_id = agent_.id;
    article.title = "Booth";
    article.slug = "booth";
    article.seo_score = 77;
    article.created_by_job = "content-00000001";
    article_ = write<Article>([&](Connection& db) { return insert_article(db, article, 1000); });
  }

  std::optional<Article> record(const ArticlePublication& publication, std::int64_t now,
                                const std::string& s3_key = {}) {
    return write<std::optional<Article>>([&](Connection& db) {
      return record_article_publication(db, s3_key.empty() ? article_.s3_key : s3_key, publication,
                                        now);
    });
  }

  static ArticlePublication publication(std::string site, std::int64_t post, std::string status,
                                        std::string job) {
    ArticlePublication out;
    out.site_id = std::move(site);
    out.wp_post_id = post;
    out.wp_url = "https://blog.example.com/?p=" + std::to_string(post);
    out.wp_status = std::move(status);
    out.job_id = std::move(job);
    return out;
  }

  Account account_;
  Agent agent_;
  Article article_;
};

TEST_F(ArticlePublicationTest, ANewArticleHasNoPost) {
  auto stored = find_article(db(), article_.s3_key);
  ASSERT_TRUE(stored);
  EXPECT_FALSE(stored->wp_post_id);
  EXPECT_FALSE(stored->wp_url);
  EXPECT_FALSE(stored->wp_site_id);
  EXPECT_FALSE(stored->wp_status);
  EXPECT_FALSE(stored->published_at);
  EXPECT_FALSE(stored->published_by_job);
}

TEST_F(ArticlePublicationTest, TheRecordReadsBackWholeAndLeavesTheContentAlone) {
  auto recorded = record(publication("site-0000000a", 42, "draft", "publish-00000001"), 5000);
  ASSERT_TRUE(recorded);
  for (const Article& article : {*recorded, *find_article(db(), article_.s3_key)}) {
    EXPECT_EQ(article.wp_post_id, 42);
    EXPECT_EQ(article.wp_url, "https://blog.example.com/?p=42");
    EXPECT_EQ(article.wp_site_id, "site-0000000a");
    EXPECT_EQ(article.wp_status, "draft");
    EXPECT_EQ(article.published_at, 5000);
    EXPECT_EQ(article.published_by_job, "publish-00000001");
    EXPECT_EQ(article.updated_at, 5000);
    EXPECT_EQ(article.created_at, 1000);
    EXPECT_EQ(article.title, "Booth");
    EXPECT_EQ(article.seo_score, 77);
    EXPECT_EQ(article.version, 1);
    EXPECT_EQ(article.updated_by_job, "content-00000001");
  }
  auto listed = list_articles(db(), account_.id, {}, "created_at", true, std::nullopt, 10);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].wp_status, "draft");
  EXPECT_EQ(listed[0].published_at, 5000);
}

TEST_F(ArticlePublicationTest, ALaterRecordReplacesTheEarlierOne) {
  record(publication("site-0000000a", 42, "draft", "publish-00000001"), 5000);
  auto moved = record(publication("site-0000000b", 7, "publish", "publish-00000002"), 6000);
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->wp_post_id, 7);
  EXPECT_EQ(moved->wp_site_id, "site-0000000b");
  EXPECT_EQ(moved->wp_status, "publish");
  EXPECT_EQ(moved->published_at, 6000);
  EXPECT_EQ(moved->published_by_job, "publish-00000002");
}

TEST_F(ArticlePublicationTest, AnUnknownKeyNamesNoArticle) {
  EXPECT_FALSE(record(publication("site-0000000a", 1, "draft", "publish-00000001"), 5000,
                      "articles/none/none.md"));
}

}  // namespace
}  // namespace seoagents::storage
