// Over-the-wire tests of the content pipelines with the builtin writer, and of /articles,
// /articles/analysis, /preview and /analyze: the reference's create example produces a listed,
// scored, previewable article; enhance keeps the previous version; optimize raises a poor
// article's score; Markdown injection comes out inert; expiry answers 404; other accounts get
// 403; bad parameters get 400.
#include "storage/articles.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <regex>

#include "jobs/article_file.hpp"
#include "jobs/article_lifecycle.hpp"
#include "storage/jobs.hpp"
#include "tests/support/api_helpers.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::testing {
namespace {

constexpr std::string_view kJobs = "/v1/dashboard/jobs";
constexpr std::string_view kArticles = "/v1/dashboard/articles";

// A poor article: keyphrase missing from title, introduction, subheadings, slug and meta.
jobs::ArticleFile poor_article() {
  jobs::ArticleFile file;
  file.keyword = "trade show booth cost";
  file.title = "Some Thoughts About Exhibiting";
  file.meta_description = "Short.";
  file.slug = "thoughts";
  file.writer = "builtin";
  file.model = "builtin-1";
  std::string body = "Exhibiting takes planning, and budgets matter.\n\n";
  for (std::string_view heading : {"Planning", "Staffing", "Shipping", "Design"}) {
    body += "## " + std::string(heading) + "\n\n";
    for (int i = 0; i < 4; ++i) {
      body +=
          "Good exhibitors plan every detail early. However, they also keep a reserve for "
          "surprises. For example, shipping can cost more than expected.\n\n";
    }
  }
  body += "A paragraph on the trade show booth cost itself.\n\n## Conclusion\n\nPlan ahead.\n";
  file.body_markdown = body;
  return file;
}

class ArticlesApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    api_.emplace(server_.port(), *server_.app().first_api_key());
    auto agent = api_->create(
        "/v1/dashboard/agents",
        R"({"name":"Trade Show Content Agent","keywords":["trade show booth cost","custom trade show booth"],"tone":"professional","word_target":1200})");
    agent_id_ = text_of(agent, "id");
    account_id_ = default_account_id(store());
  }

  storage::Store& store() { return server_.app().store(); }

  std::string submit(std::string_view job_type, std::string_view extra) {
    std::string body = join(R"({"agent_id":")", agent_id_, R"(","job_type":")", job_type, "\"");
    body.append(extra).append("}");
    return text_of(expect_json(api_->post(kJobs, body), 202), "job_id");
  }

  // Waits for the job to finish and returns it as GET /jobs/{id} shows it. Polls the store, not
  // the API: the account's rate limit is not the test's subject.
  json::object finished_job(const std::string& id) {
    bool finished = eventually([&] {
      auto job = storage::find_job(store().reader(), id);
      return job &&
             (job->status == "completed" || job->status == "failed" || job->status == "cancelled");
    });
    EXPECT_TRUE(finished) << id;
    return expect_json(api_->get(join(kJobs, "/", id)), 200);
  }

  json::object completed_result(const std::string& id) {
    json::object job = finished_job(id);
    EXPECT_EQ(text_of(job, "status"), "completed") << boost::json::serialize(job);
    if (!job.contains("result") || !job.at("result").is_object()) return {};
    return job.at("result").as_object();
  }

  // Stores `file` as an article of the agent directly (body and row).
  std::string insert_article(const jobs::ArticleFile& file, std::string agent_id = {},
                             std::string account_id = {}) {
    if (agent_id.empty()) agent_id = agent_id_;
    if (account_id.empty()) account_id = account_id_;
    std::string key = jobs::article_key(agent_id, file.slug);
    EXPECT_TRUE(server_.app().objects().put(key, jobs::render_article_file(file)));
    return store_write<std::string>(context_, store(), [&](storage::Connection& db) {
      storage::Article article;
      article.s3_key = key;
      article.account_id = account_id;
      article.agent_id = agent_id;
      article.title = file.title;
      article.keyword = file.keyword;
      article.slug = file.slug;
      article.word_count = 300;
      article.seo_score = 10;
      return storage::insert_article(db, article, storage::now_ms()).s3_key;
    });
  }

  json::object listed(const std::string& s3_key) {
    auto page = expect_json(api_->get(join(kArticles, "?limit=100")), 200);
    for (const auto& item : page.at("data").as_array()) {
      if (text_of(item.as_object(), "s3_key") == s3_key) return item.as_object();
    }
    ADD_FAILURE() << s3_key << " is not listed";
    return {};
  }

  std::string preview_target(std::string_view s3_key) {
    return join("/v1/dashboard/preview?s3_key=", s3_key);
  }

  // Declared before the server: the store's writer thread posts to it (see store_write).
  asio::io_context context_;
  TestServer server_{quiet_test_config()};
  std::optional<Api> api_;
  std::string agent_id_;
  std::string account_id_;
};

TEST_F(ArticlesApiTest, CreateProducesAListedScoredPreviewableArticle) {
  std::string id = submit("create", R"(,"keyword":"trade show booth cost")");
  json::object result = completed_result(id);
  std::string s3_key = text_of(result, "s3_key");
  EXPECT_EQ(s3_key, join("articles/", agent_id_, "/trade-show-booth-cost.md"));
  EXPECT_EQ(text_of(result, "writer"), "builtin");
  EXPECT_GE(result.at("seo_score").as_int64(), 80);
  std::int64_t words = result.at("word_count").as_int64();
  EXPECT_GE(words, 1080);
  EXPECT_LE(words, 1320);

  // Its progress: the four steps in order, then completed.
  auto progress = expect_json(api_->get(join(kJobs, "/", id, "/progress")), 200);
  std::vector<std::string> steps;
  for (const auto& event : progress.at("events").as_array())
    steps.push_back(text_of(event.as_object(), "step"));
  std::vector<std::string> expected = {"queued",  "started", "outline",  "draft",
                                       "analyze", "store",   "completed"};
  EXPECT_EQ(steps, expected);

  json::object article = listed(s3_key);
  EXPECT_EQ(article.at("word_count").as_int64(), words);
  EXPECT_EQ(article.at("seo_score").as_int64(), result.at("seo_score").as_int64());
  EXPECT_EQ(text_of(article, "status"), "active");
  EXPECT_EQ(text_of(article, "keyword"), "trade show booth cost");
  EXPECT_EQ(text_of(article, "agent_id"), agent_id_);
  EXPECT_TRUE(article.at("wp_post_id").is_null());

  auto preview = api_->get(preview_target(s3_key));
  ASSERT_EQ(preview.result_int(), 200u) << preview.body();
  EXPECT_EQ(preview[bhttp::field::content_type], "text/html; charset=utf-8");
  EXPECT_NE(std::string(preview["Content-Security-Policy"]).find("default-src 'none'"),
            std::string::npos);
  EXPECT_EQ(preview["X-Content-Type-Options"], "nosniff");
  const std::string& html = preview.body();
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_NE(html.find("<h1>" + text_of(article, "title") + "</h1>"), std::string::npos);
  EXPECT_NE(html.find("<meta name=\"description\""), std::string::npos);
  EXPECT_NE(html.find("<h2>"), std::string::npos);

  auto analysis = expect_json(api_->get(join(kArticles, "/analysis?s3_key=", s3_key)), 200);
  EXPECT_EQ(analysis.at("seo_score").as_int64(), result.at("seo_score").as_int64());
  EXPECT_GT(analysis.at("assessments").as_array().size(), 15u);
  for (const auto& item : analysis.at("assessments").as_array()) {
    const json::object& assessment = item.as_object();
    EXPECT_TRUE(text_of(assessment, "rating") == "good" || text_of(assessment, "rating") == "ok" ||
                text_of(assessment, "rating") == "bad");
    EXPECT_FALSE(text_of(assessment, "message").empty());
  }
}

TEST_F(ArticlesApiTest, TheSameKeywordTwiceGetsAUniqueSlug) {
  std::string first =
      text_of(completed_result(submit("create", R"(,"keyword":"booth lighting")")), "s3_key");
  std::string second =
      text_of(completed_result(submit("create", R"(,"keyword":"booth lighting")")), "s3_key");
  EXPECT_EQ(first, join("articles/", agent_id_, "/booth-lighting.md"));
  EXPECT_EQ(second, join("articles/", agent_id_, "/booth-lighting-2.md"));
}

TEST_F(ArticlesApiTest, EnhanceDeepensAndKeepsThePreviousVersion) {
  std::string s3_key = text_of(
      completed_result(submit("create", R"(,"keyword":"trade show booth cost")")), "s3_key");
  auto before = server_.app().objects().get(s3_key, 1 << 22);
  ASSERT_TRUE(before);
  json::object result = completed_result(submit("enhance", join(R"(,"s3_key":")", s3_key, "\"")));
  EXPECT_EQ(text_of(result, "s3_key"), s3_key);
  EXPECT_EQ(result.at("version").as_int64(), 2);
  std::int64_t words_before = result.at("before").as_object().at("word_count").as_int64();
  std::int64_t words_after = result.at("after").as_object().at("word_count").as_int64();
  EXPECT_GT(words_after, words_before);
  auto kept = server_.app().objects().get(jobs::article_version_key(s3_key, 1), 1 << 22);
  ASSERT_TRUE(kept);
  EXPECT_EQ(*kept, *before);
  json::object article = listed(s3_key);
  EXPECT_EQ(article.at("version").as_int64(), 2);
  EXPECT_EQ(article.at("word_count").as_int64(), words_after);
}

TEST_F(ArticlesApiTest, OptimizeRaisesAPoorArticlesScore) {
  std::string s3_key = insert_article(poor_article());
  json::object result = completed_result(submit("optimize", join(R"(,"s3_key":")", s3_key, "\"")));
  std::int64_t before = result.at("before").as_object().at("seo_score").as_int64();
  std::int64_t after = result.at("after").as_object().at("seo_score").as_int64();
  EXPECT_GT(after, before + 15) << boost::json::serialize(result);
  EXPECT_FALSE(result.at("changes").as_array().empty());
  auto stored = server_.app().objects().get(s3_key, 1 << 22);
  ASSERT_TRUE(stored);
  auto file = jobs::parse_article_file(*stored);
  ASSERT_TRUE(file);
  EXPECT_TRUE(file->title.starts_with("Trade show booth cost")) << file->title;
  EXPECT_EQ(file->slug, "trade-show-booth-cost");
  EXPECT_EQ(listed(s3_key).at("seo_score").as_int64(), after);
}

TEST_F(ArticlesApiTest, PreviewOfHostileMarkdownIsInert) {
  jobs::ArticleFile file = poor_article();
  file.slug = "hostile";
  file.title = "<script>alert('title')</script>";
  file.meta_description = "\"><script>alert(1)</script>";
  file.body_markdown =
      "<script>alert('raw')</script>\n\n<img src=x onerror=alert(1)>\n\n"
      "[click](javascript:alert(1)) and [data](data:text/html;base64,PHNjcmlwdD4=)\n\n"
      "<iframe src=\"https://evil.example\"></iframe>\n\n"
      "Text with <b onmouseover=alert(1)>inline html</b>.\n";
  std::string s3_key = insert_article(file);
  auto preview = api_->get(preview_target(s3_key));
  ASSERT_EQ(preview.result_int(), 200u);
  std::string html = preview.body();
  std::string lowered = html;
  for (char& c : lowered)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(lowered.find("<script"), std::string::npos) << html;
  EXPECT_EQ(lowered.find("onerror="), std::string::npos) << html;
  EXPECT_EQ(lowered.find("onmouseover="), std::string::npos) << html;
  EXPECT_EQ(lowered.find("javascript:"), std::string::npos) << html;
  EXPECT_EQ(lowered.find("<iframe"), std::string::npos) << html;
  EXPECT_NE(html.find("<title>&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;</title>"),
            std::string::npos);
  EXPECT_NE(html.find("content=\"&quot;&gt;&lt;script&gt;"), std::string::npos);
}

TEST_F(ArticlesApiTest, ExpiredArticlesAnswer404AndTheSweepDeletesThem) {
  std::string s3_key = text_of(
      completed_result(submit("create", R"(,"keyword":"trade show booth cost")")), "s3_key");
  ASSERT_EQ(api_->get(preview_target(s3_key)).result_int(), 200u);
  store_write<bool>(context_, store(), [&](storage::Connection& db) {
    auto query = db.query("UPDATE articles SET expires_at = 1 WHERE s3_key = ?1");
    query->bind(1, s3_key).run();
    return true;
  });
  // Past its expiry: 404 at once, as in the reference's scenario, before any sweep.
  expect_error(api_->get(preview_target(s3_key)), 404, "RESOURCE_NOT_FOUND");
  expect_error(api_->get(join(kArticles, "/analysis?s3_key=", s3_key)), 404, "RESOURCE_NOT_FOUND");
  auto sweep = [this]() -> asio::awaitable<std::size_t> {
    co_return co_await jobs::expire_articles(store(), server_.app().objects(), storage::now_ms());
  };
  auto swept = asio::co_spawn(context_, sweep, asio::use_future);
  context_.run();
  context_.restart();
  EXPECT_EQ(swept.get(), 1u);
  auto body = server_.app().objects().get(s3_key, 1 << 22);
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().kind, storage::ObjectError::Kind::not_found);
  EXPECT_EQ(text_of(listed(s3_key), "status"), "expired");
  expect_error(api_->get(preview_target(s3_key)), 404, "RESOURCE_NOT_FOUND");
  // Enhancing an expired article is refused (it is gone), never faked.
  std::string enhance =
      join(R"({"agent_id":")", agent_id_, R"(","job_type":"enhance","s3_key":")", s3_key, "\"}");
  expect_error(api_->post(kJobs, enhance), 404, "RESOURCE_NOT_FOUND");
}

TEST_F(ArticlesApiTest, OtherAccountsArticlesAreForbiddenAndBadParametersRefused) {
  std::string s3_key = insert_article(poor_article());
  TestAccount other = create_account_with_key(context_, store(), "other");
  Api other_api(server_.port(), other.key);
  expect_error(other_api.get(preview_target(s3_key)), 403, "FORBIDDEN");
  expect_error(other_api.get(join(kArticles, "/analysis?s3_key=", s3_key)), 403, "FORBIDDEN");
  auto other_list = expect_json(other_api.get(kArticles), 200);
  EXPECT_TRUE(other_list.at("data").as_array().empty());
  expect_error(api_->get(preview_target("articles/none/missing.md")), 404, "RESOURCE_NOT_FOUND");
  expect_validation_error(api_->get("/v1/dashboard/preview"), "s3_key");
  expect_validation_error(api_->get(preview_target(std::string(1100, 'a'))), "s3_key");
  expect_validation_error(api_->get(join(kArticles, "?min_score=101")), "min_score");
  expect_validation_error(api_->get(join(kArticles, "?min_score=abc")), "min_score");
  expect_error(api_->get(join(kArticles, "?sort=title:asc")), 400, "VALIDATION_ERROR");
}

TEST_F(ArticlesApiTest, ListsSortFilterAndPage) {
  for (int i = 0; i < 5; ++i) {
    jobs::ArticleFile file = poor_article();
    file.slug = "poor-" + std::to_string(i);
    insert_article(file);
  }
  std::string created = text_of(
      completed_result(submit("create", R"(,"keyword":"trade show booth cost")")), "s3_key");
  auto by_score = expect_json(api_->get(join(kArticles, "?sort=score:desc&limit=2")), 200);
  ASSERT_EQ(by_score.at("data").as_array().size(), 2u);
  EXPECT_EQ(text_of(by_score.at("data").as_array()[0].as_object(), "s3_key"), created);
  EXPECT_TRUE(by_score.at("next_cursor").is_string());
  ListWalk walk = walk_list(*api_, join(kArticles, "?sort=word_count:asc&limit=2"));
  EXPECT_TRUE(walk.ended);
  EXPECT_EQ(walk.items.size(), 6u);
  auto good = expect_json(api_->get(join(kArticles, "?min_score=50")), 200);
  ASSERT_EQ(good.at("data").as_array().size(), 1u);
  auto agent_list =
      expect_json(api_->get(join(kArticles, "?agent_id=", agent_id_, "&limit=100")), 200);
  EXPECT_EQ(agent_list.at("data").as_array().size(), 6u);
}

TEST_F(ArticlesApiTest, AnalyzeScoresAnyTextWithoutStoringIt) {
  jobs::ArticleFile file = poor_article();
  json::object request;
  request["keyword"] = file.keyword;
  request["title"] = file.title;
  request["meta_description"] = file.meta_description;
  request["slug"] = file.slug;
  request["content"] = file.body_markdown;
  auto report =
      expect_json(api_->post("/v1/dashboard/analyze", boost::json::serialize(request)), 200);
  EXPECT_LT(report.at("seo_score").as_int64(), 70);
  EXPECT_GT(report.at("metrics").as_object().at("word_count").as_int64(), 200);
  EXPECT_FALSE(report.at("assessments").as_array().empty());

  request["content"] = "<h2>Trade show booth cost</h2><p>HTML <b>content</b> works too.</p>";
  request["content_format"] = "html";
  auto html =
      expect_json(api_->post("/v1/dashboard/analyze", boost::json::serialize(request)), 200);
  EXPECT_EQ(html.at("metrics").as_object().at("subheading_count").as_int64(), 1);

  expect_validation_error(api_->post("/v1/dashboard/analyze", R"({"content":"text"})"), "keyword");
  expect_validation_error(api_->post("/v1/dashboard/analyze", R"({"keyword":"k"})"), "content");
  expect_validation_error(api_->post("/v1/dashboard/analyze",
                                     R"({"keyword":"k","content":"c","content_format":"pdf"})"),
                          "content_format");
  expect_validation_error(
      api_->post("/v1/dashboard/analyze", R"({"keyword":"k","content":"c","extra":1})"), "extra");
  expect_validation_error(
      api_->post("/v1/dashboard/analyze", R"({"keyword":"k","content":"c","site_url":"nope"})"),
      "site_url");
  expect_error(api_->post("/v1/dashboard/analyze", "{not json"), 400, "INVALID_JSON");
  // Nothing was stored.
  auto list = expect_json(api_->get(kArticles), 200);
  EXPECT_TRUE(list.at("data").as_array().empty());
}

}  // namespace
}  // namespace seoagents::testing
