// Over-the-wire tests of /v1/dashboard/jobs, /stats and /chart-data with the test pipeline
// registered for every job type: the reference's create example (202 and its body), the job
// read back, progress events and `since`, bad input for every field of every type, references
// to missing and foreign agents, articles and sites, the plan's concurrent-job limit, cancel,
// listing filters and pages, Idempotency-Key on POST /jobs, and the dashboard numbers.
#include "storage/jobs.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <regex>

#include "storage/articles.hpp"
#include "storage/sites.hpp"
#include "tests/support/api_helpers.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_pipelines.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kJobs = "/v1/dashboard/jobs";

Config one_worker_config() {
  Config config = test_config();
  config.access_log = false;
  // One worker: a held job keeps the next one pending.
  config.jobs.workers = 1;
  return config;
}

class JobsApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    api_.emplace(server_.port(), *server_.app().first_api_key());
    agent_id_ = create_agent(*api_, R"(["trade show booth cost", "custom trade show booth"])");
    account_id_ = default_account_id(store());
  }

  static std::string create_agent(const Api& api, std::string_view keywords_json) {
    auto agent =
        api.create("/v1/dashboard/agents",
                   join(R"({"name":"Trade Show Content Agent","keywords":)", keywords_json, "}"));
    return text_of(agent, "id");
  }

  std::string job_body(std::string_view agent_id, std::string_view job_type,
                       std::string_view extra = {}) const {
    std::string body = join(R"({"agent_id":")", agent_id, R"(","job_type":")", job_type);
    body.append("\"").append(extra).append("}");
    return body;
  }

  ClientResponse submit(std::string_view body) const {
    return api_->post(kJobs, std::string(body));
  }

  // POST /jobs that must be accepted; the job id.
  std::string submit_ok(const Api& api, std::string_view body) const {
    auto response = api.post(kJobs, std::string(body));
    auto accepted = expect_json(response, 202);
    return text_of(accepted, "job_id");
  }

  json::object job(const Api& api, const std::string& id) const {
    return expect_json(api.get(join(kJobs, "/", id)), 200);
  }

  bool reaches(const Api& api, const std::string& id, std::string_view status) const {
    return eventually([&] { return text_of(job(api, id), "status") == status; });
  }

  storage::Store& store() { return server_.app().store(); }

  TestAccount other_account(storage::Plan plan = storage::Plan::starter) {
    return create_account_with_key(context_, store(), join("other-", std::to_string(++accounts_)),
                                   plan);
  }

  std::string insert_article(const std::string& account_id, const std::string& agent_id) {
    return store_write<std::string>(context_, store(), [&](storage::Connection& db) {
      storage::Article article;
      article.s3_key = join("articles/", agent_id, "/trade-show-booth-cost.md");
      article.account_id = account_id;
      article.agent_id = agent_id;
      article.title = "Trade Show Booth Cost";
      article.keyword = "trade show booth cost";
      article.slug = "trade-show-booth-cost";
      article.word_count = 1500;
      article.seo_score = 80;
      return storage::insert_article(db, article, storage::now_ms()).s3_key;
    });
  }

  std::string insert_site(const std::string& account_id) {
    return store_write<std::string>(context_, store(), [&](storage::Connection& db) {
      storage::Site site;
      site.id = storage::new_site_id();
      site.account_id = account_id;
      site.name = "Blog";
      site.url = "https://blog.example.com";
      site.username = "editor";
      site.password_sealed = "sealed";
      storage::insert_site(db, site);
      return site.id;
    });
  }

  // Declared before the server: the store's writer thread posts to it (see store_write).
  asio::io_context context_;
  std::shared_ptr<PipelineControl> control_ = std::make_shared<PipelineControl>();
  TestServer server_{one_worker_config(), TestServer::AppSetup([this](App& app) {
                       for (std::string_view type : storage::kJobTypes)
                         app.add_pipeline(std::string(type), test_pipeline(control_));
                     })};
  std::optional<Api> api_;
  std::string agent_id_;
  std::string account_id_;
  int accounts_ = 0;
};

TEST_F(JobsApiTest, TheReferencesCreateExampleAnswers202WithItsBody) {
  auto response =
      submit(job_body(agent_id_, "create", R"(,"keyword":"best trade show booths 2026")"));
  auto body = expect_json(response, 202);
  EXPECT_EQ(member_names(body),
            (std::set<std::string>{"job_id", "status", "keyword", "agent_id", "created_at"}));
  std::string id = text_of(body, "job_id");
  EXPECT_TRUE(std::regex_match(id, std::regex("content-[0-9a-f]{8}"))) << id;
  EXPECT_EQ(text_of(body, "status"), "pending");
  EXPECT_EQ(text_of(body, "keyword"), "best trade show booths 2026");
  EXPECT_EQ(text_of(body, "agent_id"), agent_id_);
  EXPECT_TRUE(std::regex_match(text_of(body, "created_at"),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
  EXPECT_EQ(response[bhttp::field::location], join(kJobs, "/", id));

  ASSERT_TRUE(reaches(*api_, id, "completed"));
  auto done = job(*api_, id);
  EXPECT_EQ(text_of(done, "job_type"), "create");
  EXPECT_EQ(done.at("attempts").as_int64(), 1);
  EXPECT_EQ(done.at("max_attempts").as_int64(), 3);
  EXPECT_TRUE(done.at("error").is_null());
  EXPECT_EQ(done.at("result").as_object().at("keyword").as_string(), "best trade show booths 2026");
  EXPECT_FALSE(done.at("started_at").is_null());
  EXPECT_FALSE(done.at("finished_at").is_null());
}

TEST_F(JobsApiTest, ACreateJobWithoutAKeywordTakesTheAgentsNextOne) {
  std::string first = submit_ok(*api_, job_body(agent_id_, "create"));
  std::string second = submit_ok(*api_, job_body(agent_id_, "create"));
  EXPECT_EQ(text_of(job(*api_, first), "keyword"), "trade show booth cost");
  EXPECT_EQ(text_of(job(*api_, second), "keyword"), "custom trade show booth");
}

TEST_F(JobsApiTest, ProgressListsEventsOldestFirstAndSinceKeepsOnlyLaterOnes) {
  std::string id = submit_ok(*api_, job_body(agent_id_, "create"));
  ASSERT_TRUE(reaches(*api_, id, "completed"));
  auto all = expect_json(api_->get(join(kJobs, "/", id, "/progress")), 200);
  EXPECT_EQ(text_of(all, "job_id"), id);
  EXPECT_EQ(text_of(all, "status"), "completed");
  auto events = all.at("events").as_array();
  ASSERT_GE(events.size(), 6u);
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& event = events[i].as_object();
    EXPECT_EQ(member_names(event),
              (std::set<std::string>{"seq", "ts", "step", "percent", "message"}));
    EXPECT_EQ(event.at("seq").as_int64(), static_cast<std::int64_t>(i + 1));
  }
  EXPECT_EQ(text_of(events.front().as_object(), "step"), "queued");
  EXPECT_EQ(text_of(events.back().as_object(), "step"), "completed");
  EXPECT_EQ(events.back().as_object().at("percent").as_int64(), 100);

  // The reference's example: a `since` before the job gives every event.
  auto since_reference =
      expect_json(api_->get(join(kJobs, "/", id, "/progress?since=2026-02-26T10:30:00Z")), 200);
  EXPECT_EQ(since_reference.at("events").as_array().size(), events.size());
  // Strictly after the last event's time: none of the events at or before it.
  std::string last_ts(events.back().as_object().at("ts").as_string());
  auto after_last = expect_json(api_->get(join(kJobs, "/", id, "/progress?since=", last_ts)), 200);
  EXPECT_TRUE(after_last.at("events").as_array().empty());
  // Every event returned for a `since` is later than it; those not returned are not.
  std::string middle_ts(events[2].as_object().at("ts").as_string());
  auto later = expect_json(api_->get(join(kJobs, "/", id, "/progress?since=", middle_ts)), 200);
  for (const auto& event : later.at("events").as_array())
    EXPECT_GT(std::string(event.as_object().at("ts").as_string()), middle_ts);
  std::size_t at_or_before = 0;
  for (const auto& event : events)
    at_or_before += std::string(event.as_object().at("ts").as_string()) <= middle_ts ? 1 : 0;
  EXPECT_EQ(later.at("events").as_array().size(), events.size() - at_or_before);
  // An offset is understood.
  auto with_offset = expect_json(
      api_->get(join(kJobs, "/", id, "/progress?since=2000-01-01T02:00:00%2B02:00")), 200);
  EXPECT_EQ(with_offset.at("events").as_array().size(), events.size());

  for (std::string_view bad : {"yesterday", "2026-02-30T10:00:00Z", "2026-02-26", "1700000000"}) {
    expect_validation_error(api_->get(join(kJobs, "/", id, join("/progress?since=", bad))),
                            "since");
  }
}

TEST_F(JobsApiTest, EveryFieldOfEveryJobTypeIsValidated) {
  std::string a = agent_id_;
  struct Case {
    std::string body;
    std::string field;
  };
  std::vector<Case> cases = {
      {R"({"job_type":"create"})", "agent_id"},
      {R"({"agent_id":42,"job_type":"create"})", "agent_id"},
      {R"({"agent_id":"","job_type":"create"})", "agent_id"},
      {join(R"({"agent_id":")", std::string(65, 'a'), R"(","job_type":"create"})"), "agent_id"},
      {join(R"({"agent_id":")", a, R"("})"), "job_type"},
      {job_body(a, "translate"), "job_type"},
      {join(R"({"agent_id":")", a, R"(","job_type":7})"), "job_type"},
      {join(R"({"agent_id":")", a, R"(","job_type":null})"), "job_type"},
      {job_body(a, "create", R"(,"keyword":"")"), "keyword"},
      {job_body(a, "create", R"(,"keyword":12)"), "keyword"},
      {job_body(a, "create", join(R"(,"keyword":")", std::string(201, 'k'), "\"")), "keyword"},
      {job_body(a, "create", R"(,"s3_key":"articles/x.md")"), "s3_key"},
      {job_body(a, "create", R"(,"priority":"high")"), "priority"},
      {job_body(a, "enhance"), "s3_key"},
      {job_body(a, "enhance", R"(,"s3_key":"")"), "s3_key"},
      {job_body(a, "enhance", R"(,"s3_key":["a"])"), "s3_key"},
      {job_body(a, "enhance", join(R"(,"s3_key":")", std::string(1025, 's'), "\"")), "s3_key"},
      {job_body(a, "enhance", R"(,"s3_key":"a.md","keyword":"k")"), "keyword"},
      {job_body(a, "optimize"), "s3_key"},
      {job_body(a, "optimize", R"(,"s3_key":"a.md","site_id":"site-1")"), "site_id"},
      {job_body(a, "publish"), "s3_key"},
      {job_body(a, "publish", R"(,"s3_key":"a.md","publish_action":"tweet")"), "publish_action"},
      {job_body(a, "publish", R"(,"s3_key":"a.md","status_on_publish":"future")"),
       "status_on_publish"},
      {job_body(a, "publish", R"(,"s3_key":"a.md","status_on_publish":true)"), "status_on_publish"},
      {job_body(a, "publish", R"(,"s3_key":"a.md","site_id":5)"), "site_id"},
      {job_body(a, "publish", R"(,"s3_key":"a.md","keyword":"k")"), "keyword"},
      {job_body(a, "audit", R"(,"site_id":"")"), "site_id"},
      {job_body(a, "audit", R"(,"s3_key":"a.md")"), "s3_key"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    expect_validation_error(submit(c.body), c.field);
  }
  expect_error(submit("{\"agent_id\":"), 400, "INVALID_JSON");
  expect_error(submit("[1,2]"), 400, "INVALID_JSON");
  // Nothing was queued by any of them.
  auto list = expect_json(api_->get(kJobs), 200);
  EXPECT_TRUE(list.at("data").as_array().empty());
}

TEST_F(JobsApiTest, ReferencesToMissingOrForeignResourcesAreRefused) {
  TestAccount other = other_account();
  Api other_api(server_.port(), other.key);
  std::string foreign_agent = create_agent(other_api, R"(["x"])");
  expect_error(submit(job_body("agent-00000000", "create")), 404, "RESOURCE_NOT_FOUND");
  expect_error(submit(job_body(foreign_agent, "create")), 403, "FORBIDDEN");

  // The reference's scenario: an agent with no keywords.
  std::string empty = create_agent(*api_, "[]");
  auto no_keywords = expect_error(submit(job_body(empty, "create")), 400, "AGENT_HAS_NO_KEYWORDS");
  EXPECT_NE(text_of(no_keywords, "message").find("PUT /agents/{id}"), std::string::npos);

  std::string paused = create_agent(*api_, R"(["k"])");
  expect_json(api_->put(join("/v1/dashboard/agents/", paused), R"({"status":"paused"})"), 200);
  expect_error(submit(job_body(paused, "create")), 409, "CONFLICT");
  std::string deleted = create_agent(*api_, R"(["k"])");
  expect_json(api_->remove(join("/v1/dashboard/agents/", deleted)), 200);
  expect_error(submit(job_body(deleted, "create")), 409, "CONFLICT");

  expect_error(submit(job_body(agent_id_, "enhance", R"(,"s3_key":"articles/none.md")")), 404,
               "RESOURCE_NOT_FOUND");
  std::string foreign_article = insert_article(other.account_id, foreign_agent);
  expect_error(
      submit(job_body(agent_id_, "optimize", join(R"(,"s3_key":")", foreign_article, "\""))), 403,
      "FORBIDDEN");
  std::string article = insert_article(account_id_, agent_id_);
  // Publishing needs a site: the agent has none and none is given.
  expect_validation_error(
      submit(job_body(agent_id_, "publish", join(R"(,"s3_key":")", article, "\""))), "site_id");
  std::string foreign_site = insert_site(other.account_id);
  expect_error(
      submit(job_body(agent_id_, "publish",
                      join(R"(,"s3_key":")", article, R"(","site_id":")", foreign_site, "\""))),
      403, "FORBIDDEN");
  expect_error(submit(job_body(agent_id_, "audit", R"(,"site_id":"site-00000000")")), 404,
               "RESOURCE_NOT_FOUND");

  // With everything in order, each type is accepted with its prefix and defaults.
  std::string site = insert_site(account_id_);
  std::string enhance =
      submit_ok(*api_, job_body(agent_id_, "enhance", join(R"(,"s3_key":")", article, "\"")));
  EXPECT_TRUE(enhance.starts_with("content-"));
  EXPECT_EQ(text_of(job(*api_, enhance), "keyword"), "trade show booth cost");
  std::string publish =
      submit_ok(*api_, job_body(agent_id_, "publish",
                                join(R"(,"s3_key":")", article, R"(","site_id":")", site, "\"")));
  EXPECT_TRUE(publish.starts_with("publish-"));
  auto published = job(*api_, publish);
  EXPECT_EQ(text_of(published, "publish_action"), "publish");
  EXPECT_EQ(text_of(published, "status_on_publish"), "draft");
  EXPECT_EQ(text_of(published, "site_id"), site);
  std::string audit =
      submit_ok(*api_, job_body(agent_id_, "audit", join(R"(,"site_id":")", site, "\"")));
  EXPECT_TRUE(audit.starts_with("audit-"));
}

TEST_F(JobsApiTest, AStarterAccountGets409OnItsThirdJobInFlightAndAnotherAccountDoesNot) {
  control_->hold = true;
  TestAccount starter = other_account(storage::Plan::starter);
  Api starter_api(server_.port(), starter.key);
  std::string agent = create_agent(starter_api, R"(["k"])");
  std::string first = submit_ok(starter_api, job_body(agent, "create"));
  submit_ok(starter_api, job_body(agent, "create"));
  auto refused =
      expect_error(starter_api.post(kJobs, job_body(agent, "create")), 409, "CONCURRENT_JOB_LIMIT");
  EXPECT_NE(text_of(refused, "message").find("2 of 2"), std::string::npos);
  // Another account is not held back by it.
  TestAccount second = other_account(storage::Plan::starter);
  Api second_api(server_.port(), second.key);
  submit_ok(second_api, job_body(create_agent(second_api, R"(["k"])"), "create"));
  // Once one finishes, the account may submit again.
  control_->hold = false;
  ASSERT_TRUE(reaches(starter_api, first, "completed"));
  submit_ok(starter_api, job_body(agent, "create"));
}

TEST_F(JobsApiTest, CancelEndsAPendingJobAtOnceAndAProcessingOneAtItsNextStep) {
  control_->hold = true;
  std::string running = submit_ok(*api_, job_body(agent_id_, "create"));
  ASSERT_TRUE(eventually([&] { return control_->drafting == 1; }));
  std::string waiting = submit_ok(*api_, job_body(agent_id_, "create"));

  auto cancelled = expect_json(api_->post(join(kJobs, "/", waiting, "/cancel"), ""), 200);
  EXPECT_EQ(text_of(cancelled, "status"), "cancelled");
  auto requested = expect_json(api_->post(join(kJobs, "/", running, "/cancel"), ""), 202);
  EXPECT_EQ(text_of(requested, "status"), "processing");
  EXPECT_TRUE(requested.at("cancel_requested").as_bool());
  // The account shows the job running.
  auto account = expect_json(api_->get("/v1/dashboard/account"), 200);
  EXPECT_EQ(account.at("usage").as_object().at("running_jobs").as_int64(), 1);
  control_->hold = false;
  ASSERT_TRUE(reaches(*api_, running, "cancelled"));
  expect_error(api_->post(join(kJobs, "/", running, "/cancel"), ""), 409, "CONFLICT");
  expect_error(api_->post(join(kJobs, "/content-00000000/cancel"), ""), 404, "RESOURCE_NOT_FOUND");
  TestAccount other = other_account();
  Api other_api(server_.port(), other.key);
  expect_error(other_api.post(join(kJobs, "/", running, "/cancel"), ""), 403, "FORBIDDEN");
  expect_error(other_api.get(join(kJobs, "/", running)), 403, "FORBIDDEN");
  expect_error(other_api.get(join(kJobs, "/", running, "/progress")), 403, "FORBIDDEN");
  expect_error(api_->get(join(kJobs, "/content-00000000")), 404, "RESOURCE_NOT_FOUND");
}

TEST_F(JobsApiTest, ListsFilterAndPageWithoutLosingOrRepeatingJobs) {
  const std::string& account_id = account_id_;
  std::string second_agent = create_agent(*api_, R"(["k"])");
  store_write<bool>(context_, store(), [&](storage::Connection& db) {
    for (int i = 0; i < 23; ++i) {
      storage::Job job;
      job.account_id = account_id;
      job.agent_id = i % 2 == 0 ? agent_id_ : second_agent;
      job.job_type = i % 3 == 0 ? "audit" : "create";
      auto inserted = storage::insert_job(db, job, 1'700'000'000'000 + i);
      if (i % 4 == 0)
        db.exec(join("UPDATE jobs SET status = 'failed' WHERE id = '", inserted.id, "'"));
    }
    return true;
  });
  TestAccount other = other_account();
  Api other_api(server_.port(), other.key);
  EXPECT_TRUE(expect_json(other_api.get(kJobs), 200).at("data").as_array().empty());

  ListWalk walk = walk_list(*api_, join(kJobs, "?limit=7"));
  ASSERT_TRUE(walk.ended);
  EXPECT_EQ(walk.items.size(), 23u);
  EXPECT_EQ(walk.pages, 4);
  std::set<std::string> unique;
  for (const auto& item : walk.items)
    unique.insert(text_of(item, "job_id"));
  EXPECT_EQ(unique.size(), 23u);
  for (std::size_t i = 1; i < walk.items.size(); ++i) {
    EXPECT_GE(text_of(walk.items[i - 1], "created_at"), text_of(walk.items[i], "created_at"));
  }
  ListWalk ascending = walk_list(*api_, join(kJobs, "?limit=5&sort=created_at:asc"));
  EXPECT_EQ(ascending.items.size(), 23u);
  EXPECT_LE(text_of(ascending.items.front(), "created_at"),
            text_of(ascending.items.back(), "created_at"));

  auto count = [&](const std::string& query) {
    ListWalk filtered = walk_list(*api_, join(kJobs, "?limit=100&", query));
    EXPECT_TRUE(filtered.ended) << query;
    return filtered.items.size();
  };
  EXPECT_EQ(count(join("agent_id=", second_agent)), 11u);
  EXPECT_EQ(count("job_type=audit"), 8u);
  EXPECT_EQ(count("status=failed"), 6u);
  EXPECT_EQ(count(join("status=failed&job_type=audit&agent_id=", agent_id_)), 2u);
  EXPECT_EQ(count("agent_id=agent-00000000"), 0u);
  expect_validation_error(api_->get(join(kJobs, "?status=done")), "status");
  expect_validation_error(api_->get(join(kJobs, "?job_type=translate")), "job_type");
  expect_error(api_->get(join(kJobs, "?sort=score:desc")), 400, "VALIDATION_ERROR");
}

TEST_F(JobsApiTest, AnIdempotentRetryOfPostJobsQueuesOneJob) {
  HeaderList headers = {{"X-API-Key", api_->key()},
                        {"Content-Type", "application/json"},
                        {"Idempotency-Key", "job-retry-1"}};
  std::string body = job_body(agent_id_, "create", R"(,"keyword":"retry me")");
  auto first = HttpClient(server_.port()).request(bhttp::verb::post, kJobs, body, headers);
  auto second = HttpClient(server_.port()).request(bhttp::verb::post, kJobs, body, headers);
  auto first_body = expect_json(first, 202);
  EXPECT_EQ(expect_json(second, 202), first_body);
  EXPECT_EQ(second["Idempotent-Replayed"], "true");
  ListWalk walk = walk_list(*api_, join(kJobs, "?limit=100"));
  EXPECT_EQ(walk.items.size(), 1u);
}

TEST_F(JobsApiTest, StatsAndChartDataCountTheAccountsWork) {
  std::string id = submit_ok(*api_, job_body(agent_id_, "create"));
  ASSERT_TRUE(reaches(*api_, id, "completed"));
  insert_article(account_id_, agent_id_);
  auto stats = expect_json(api_->get("/v1/dashboard/stats"), 200);
  EXPECT_EQ(member_names(stats),
            (std::set<std::string>{"active_agents", "total_articles", "avg_score", "jobs"}));
  EXPECT_EQ(stats.at("active_agents").as_int64(), 1);
  EXPECT_EQ(stats.at("total_articles").as_int64(), 1);
  EXPECT_EQ(stats.at("avg_score").to_number<double>(), 80.0);
  auto jobs = stats.at("jobs").as_object();
  EXPECT_EQ(member_names(jobs),
            (std::set<std::string>{"pending", "processing", "completed_24h", "failed_24h"}));
  EXPECT_EQ(jobs.at("completed_24h").as_int64(), 1);
  EXPECT_EQ(jobs.at("failed_24h").as_int64(), 0);

  auto chart = expect_json(api_->get("/v1/dashboard/chart-data?days=7"), 200);
  auto activity = chart.at("activity").as_array();
  ASSERT_EQ(activity.size(), 7u);
  auto today = activity.back().as_object();
  EXPECT_EQ(today.at("jobs_created").as_int64(), 1);
  EXPECT_EQ(today.at("jobs_completed").as_int64(), 1);
  EXPECT_EQ(today.at("articles").as_int64(), 1);
  auto categories = chart.at("categories").as_array();
  ASSERT_EQ(categories.size(), 1u);
  EXPECT_EQ(text_of(categories[0].as_object(), "name"), "Trade Show Content Agent");
  EXPECT_EQ(categories[0].as_object().at("articles").as_int64(), 1);
  auto types = chart.at("job_types").as_object();
  EXPECT_EQ(member_names(types),
            (std::set<std::string>{"create", "enhance", "optimize", "publish", "audit"}));
  EXPECT_EQ(types.at("create").as_object().at("completed").as_int64(), 1);
  EXPECT_EQ(
      expect_json(api_->get("/v1/dashboard/chart-data"), 200).at("activity").as_array().size(),
      30u);
  for (std::string_view bad : {"0", "366", "abc", "7.5", "-1", ""}) {
    expect_validation_error(api_->get(join("/v1/dashboard/chart-data?days=", bad)), "days");
  }
  // Another account sees its own (empty) numbers.
  TestAccount other = other_account();
  auto other_stats = expect_json(Api(server_.port(), other.key).get("/v1/dashboard/stats"), 200);
  EXPECT_EQ(other_stats.at("total_articles").as_int64(), 0);
  EXPECT_TRUE(other_stats.at("avg_score").is_null());
}

TEST(JobsWithoutPipelines, EveryTypeHasItsPipelineInEveryServer) {
  TestServer server;
  Api api(server.port(), *server.app().first_api_key());
  auto agent = api.create("/v1/dashboard/agents", R"({"name":"a","keywords":["k"]})");
  // No type is refused as unavailable any more (400 JOB_TYPE_UNAVAILABLE): a request that gets
  // past validation reaches the checks of what it refers to.
  const std::string agent_id = text_of(agent, "id");
  const std::vector<std::pair<std::string, std::string>> requests{
      {"enhance", R"(,"s3_key":"articles/none.md")"},
      {"optimize", R"(,"s3_key":"articles/none.md")"},
      {"publish", R"(,"s3_key":"articles/none.md","site_id":"site-00000000")"},
      {"audit", R"(,"site_id":"site-00000000")"}};
  for (const auto& [type, fields] : requests) {
    SCOPED_TRACE(type);
    std::string body = join(R"({"agent_id":")", agent_id, R"(","job_type":")", type, "\"", fields);
    body.append("}");
    expect_error(api.post(kJobs, body), 404, "RESOURCE_NOT_FOUND");
  }
  // Bad input is still reported as such first.
  expect_validation_error(api.post(kJobs, R"({"job_type":"create"})"), "agent_id");
}

}  // namespace
}  // namespace seoagents::testing
