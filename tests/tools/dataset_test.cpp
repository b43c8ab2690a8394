// Tests of seoagents-dataset, the load test's dataset generator, run as the real binary: a small
// dataset is generated into a new directory, the real server is started on it, and every figure
// the generator printed is checked over HTTP with the keys it printed (lists paged through with
// cursors, the dashboard, article bodies); plus its refusals (an existing database, bad options).
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "storage/accounts.hpp"
#include "storage/jobs.hpp"
#include "storage/store.hpp"
#include "tests/support/command.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/jwt_signer.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

// The safety net for a command that never exits; not a timing assertion.
constexpr std::chrono::seconds kCommandWait{120};

constexpr std::int64_t kAgents = 20;
constexpr std::int64_t kArticles = 2'000;
constexpr std::int64_t kJobs = 300;
constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

// Runs seoagents-dataset with `args`, stdout and stderr captured separately.
CommandResult run_dataset(const std::vector<std::string>& args) {
  return run_command(SEOAGENTS_DATASET, args, kCommandWait);
}

std::int64_t lines_in(const std::string& text) {
  return static_cast<std::int64_t>(std::count(text.begin(), text.end(), '\n'));
}

// One small dataset for the whole suite, and the real server on it.
class Dataset : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = make_temp_directory();
    data_ = root_ + "/data";
    CommandResult generated =
        run_dataset({"--data", data_, "--agents", std::to_string(kAgents), "--articles",
                     std::to_string(kArticles), "--jobs", std::to_string(kJobs)});
    generation_ = new CommandResult(generated);
    if (generated.exit_code != 0) return;
    summary_ = new json::object(json::parse(generated.out).as_object());
    // JWT on, with the signer's keys: a token for the dataset's subject acts on its account.
    signer_ = new JwtSigner();
    ServerProcessOptions options;
    options.extra_args = {"--jwks-file",    signer_->jwks_file(),
                          "--jwt-issuer",   std::string(kTestIssuer),
                          "--jwt-audience", std::string(kTestAudience)};
    server_ = new ServerProcess(data_, options);
    port_ = port_from_banner(server_->read_line());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete signer_;
    delete summary_;
    delete generation_;
    server_ = nullptr;
    signer_ = nullptr;
    summary_ = nullptr;
    generation_ = nullptr;
    fs::remove_all(root_);
  }
  void SetUp() override {
    ASSERT_EQ(generation_->exit_code, 0) << generation_->err;
    ASSERT_NE(port_, 0);
  }

  static const json::object& summary() { return *summary_; }
  static const json::object& account(std::string_view plan) {
    return summary().at("accounts").at(plan).as_object();
  }
  static std::string key_of(std::string_view plan) {
    return std::string(account(plan).at("api_key").as_string());
  }
  static std::int64_t count(std::string_view name) {
    return summary().at("counts").at(name).as_int64();
  }

  // GET `target` with the plan's key; the body as JSON, after checking the status.
  static json::value get(std::string_view plan, const std::string& target,
                         bhttp::status expected = bhttp::status::ok) {
    HttpClient client(port_);
    ClientResponse response =
        client.request(bhttp::verb::get, target, {}, {{"X-API-Key", key_of(plan)}});
    EXPECT_EQ(response.result(), expected) << target << ": " << response.body();
    return json::parse(response.body());
  }

  // Every row of a list, following next_cursor from page to page.
  static std::vector<json::object> all_pages(std::string_view plan, const std::string& path,
                                             const std::string& query) {
    std::vector<json::object> rows;
    std::string cursor;
    for (int page = 0; page < 10'000; ++page) {
      std::string target =
          path + "?limit=100" + query + (cursor.empty() ? "" : "&cursor=" + cursor);
      json::object body = get(plan, target).as_object();
      for (const json::value& row : body.at("data").as_array())
        rows.push_back(row.as_object());
      if (body.at("next_cursor").is_null()) return rows;
      cursor = std::string(body.at("next_cursor").as_string());
    }
    ADD_FAILURE() << "the list of " << path << " never ended";
    return rows;
  }

  static inline std::string root_;
  static inline std::string data_;
  static inline CommandResult* generation_ = nullptr;
  static inline json::object* summary_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline JwtSigner* signer_ = nullptr;
  static inline std::uint16_t port_ = 0;
};

TEST_F(Dataset, PrintsTheCountsAskedForAndAProgressLinePerPhase) {
  EXPECT_EQ(count("agents"), kAgents);
  EXPECT_EQ(count("articles"), kArticles);
  EXPECT_EQ(count("jobs"), kJobs);
  EXPECT_EQ(count("jobs_completed") + count("jobs_failed"), kJobs);
  EXPECT_GT(count("jobs_failed"), 0);
  EXPECT_GT(count("jobs_completed"), count("jobs_failed"));
  EXPECT_EQ(count("articles_with_content"), 1'000);
  EXPECT_EQ(count("accounts"), 5);
  EXPECT_EQ(lines_in(generation_->err), 5) << generation_->err;
  EXPECT_NE(generation_->err.find("rows only"), std::string::npos);
  std::int64_t agents = 0;
  for (std::string_view plan : {"starter", "professional", "agency", "enterprise", "jwt"}) {
    EXPECT_GE(account(plan).at("agents").as_int64(), 1) << plan;
    agents += account(plan).at("agents").as_int64();
  }
  EXPECT_EQ(agents, kAgents);
  EXPECT_GT(account("enterprise").at("agents").as_int64(), kAgents / 2);
  EXPECT_EQ(account("jwt").at("name").as_string(), "jwt:loadtest");
  EXPECT_EQ(account("jwt").at("sub").as_string(), "loadtest");
}

TEST_F(Dataset, EnterpriseAccountHasLimitsThatNeverBind) {
  json::object body = get("enterprise", "/v1/dashboard/account").as_object();
  EXPECT_EQ(body.at("id").as_string(), account("enterprise").at("id").as_string());
  EXPECT_EQ(body.at("plan").as_string(), "enterprise");
  EXPECT_EQ(body.at("limits").at("requests_per_minute").as_int64(), 100'000'000);
  EXPECT_EQ(body.at("limits").at("concurrent_jobs").as_int64(), 100'000);
  json::object starter = get("starter", "/v1/dashboard/account").as_object();
  EXPECT_EQ(starter.at("plan").as_string(), "starter");
  EXPECT_EQ(starter.at("limits").at("requests_per_minute").as_int64(), 60);
}

TEST_F(Dataset, EnterpriseKeyPagesThroughEveryArticleByScore) {
  std::vector<json::object> articles =
      all_pages("enterprise", "/v1/dashboard/articles", "&sort=score:desc");
  ASSERT_EQ(static_cast<std::int64_t>(articles.size()), kArticles);
  std::set<std::string> keys;
  std::set<std::int64_t> scores;
  std::int64_t previous = 100;
  for (const json::object& article : articles) {
    keys.emplace(article.at("s3_key").as_string());
    std::int64_t score = article.at("seo_score").as_int64();
    EXPECT_LE(score, previous);
    EXPECT_GE(score, 30);
    EXPECT_LE(score, 99);
    scores.insert(score);
    previous = score;
  }
  EXPECT_EQ(static_cast<std::int64_t>(keys.size()), kArticles) << "an article was seen twice";
  EXPECT_GT(scores.size(), 30u) << "scores should spread over 30–99";
  EXPECT_TRUE(keys.contains(std::string(summary().at("article_key").as_string())));
}

TEST_F(Dataset, AgentListsShowEachAccountOnlyItsOwnAgents) {
  std::vector<json::object> enterprise = all_pages("enterprise", "/v1/dashboard/agents", "");
  std::vector<json::object> starter = all_pages("starter", "/v1/dashboard/agents", "");
  EXPECT_EQ(static_cast<std::int64_t>(enterprise.size()),
            account("enterprise").at("agents").as_int64());
  EXPECT_EQ(static_cast<std::int64_t>(starter.size()), account("starter").at("agents").as_int64());
  std::set<std::string> enterprise_ids;
  for (const json::object& agent : enterprise) {
    enterprise_ids.emplace(agent.at("id").as_string());
    std::size_t keywords = agent.at("keywords").as_array().size();
    EXPECT_GE(keywords, 3u);
    EXPECT_LE(keywords, 10u);
  }
  EXPECT_TRUE(enterprise_ids.contains(std::string(summary().at("agent_id").as_string())));
  for (const json::object& agent : starter)
    EXPECT_FALSE(enterprise_ids.contains(std::string(agent.at("id").as_string())));
  std::string agent_id(summary().at("agent_id").as_string());
  get("starter", "/v1/dashboard/agents/" + agent_id, bhttp::status::forbidden);
  std::string jwt_agent(summary().at("jwt_agent_id").as_string());
  get("enterprise", "/v1/dashboard/agents/" + jwt_agent, bhttp::status::forbidden);
}

TEST_F(Dataset, JobsAreAllFinishedWithEventsAndResults) {
  std::vector<json::object> jobs = all_pages("enterprise", "/v1/dashboard/jobs", "");
  ASSERT_EQ(static_cast<std::int64_t>(jobs.size()), kJobs);
  std::int64_t completed = 0;
  std::int64_t failed = 0;
  for (const json::object& job : jobs) {
    std::string_view status = job.at("status").as_string();
    if (status == "completed") {
      ++completed;
      EXPECT_TRUE(job.at("result").is_object());
      EXPECT_TRUE(job.at("result").as_object().contains("s3_key"));
    } else {
      EXPECT_EQ(status, "failed");
      ++failed;
      EXPECT_FALSE(job.at("error").as_string().empty());
    }
  }
  EXPECT_EQ(completed, count("jobs_completed"));
  EXPECT_EQ(failed, count("jobs_failed"));

  std::string job_id(summary().at("job_id").as_string());
  json::object job = get("enterprise", "/v1/dashboard/jobs/" + job_id).as_object();
  EXPECT_EQ(job.at("status").as_string(), "completed");
  std::string s3_key(job.at("result").at("s3_key").as_string());
  json::object progress =
      get("enterprise", "/v1/dashboard/jobs/" + job_id + "/progress").as_object();
  const json::array& events = progress.at("events").as_array();
  ASSERT_GE(events.size(), 3u);
  EXPECT_EQ(events.front().at("step").as_string(), "queued");
  EXPECT_EQ(events.back().at("step").as_string(), "completed");
  EXPECT_EQ(events.back().at("percent").as_int64(), 100);
  for (std::size_t i = 0; i < events.size(); ++i)
    EXPECT_EQ(events[i].at("seq").as_int64(), static_cast<std::int64_t>(i + 1));
  // The article the create job wrote is listed.
  std::vector<json::object> articles = all_pages("enterprise", "/v1/dashboard/articles", "");
  bool found = false;
  for (const json::object& article : articles)
    found = found || article.at("s3_key").as_string() == s3_key;
  EXPECT_TRUE(found) << s3_key;
}

TEST_F(Dataset, DashboardStatsAndChartAgreeWithTheRows) {
  std::vector<json::object> agents = all_pages("enterprise", "/v1/dashboard/agents", "");
  std::vector<json::object> articles = all_pages("enterprise", "/v1/dashboard/articles", "");
  std::vector<json::object> jobs = all_pages("enterprise", "/v1/dashboard/jobs", "");
  std::int64_t active = 0;
  for (const json::object& agent : agents)
    active += agent.at("status").as_string() == "active" ? 1 : 0;
  std::int64_t score_sum = 0;
  for (const json::object& article : articles)
    score_sum += article.at("seo_score").as_int64();
  std::int64_t now = storage::now_ms();
  std::int64_t finished_today = 0;
  for (const json::object& job : jobs) {
    auto finished = parse_rfc3339_ms(job.at("finished_at").as_string());
    ASSERT_TRUE(finished.has_value());
    // A day back from a moment before the stats are read: the stats count at least these.
    finished_today += *finished > now - kDayMs + 60'000 ? 1 : 0;
  }

  json::object stats = get("enterprise", "/v1/dashboard/stats").as_object();
  EXPECT_EQ(stats.at("active_agents").as_int64(), active);
  EXPECT_EQ(stats.at("total_articles").as_int64(), kArticles);
  double mean = std::round(static_cast<double>(score_sum) * 10.0 / kArticles) / 10.0;
  EXPECT_DOUBLE_EQ(stats.at("avg_score").to_number<double>(), mean);
  EXPECT_EQ(stats.at("jobs").at("pending").as_int64(), 0);
  EXPECT_EQ(stats.at("jobs").at("processing").as_int64(), 0);
  std::int64_t finished_24h = stats.at("jobs").at("completed_24h").as_int64() +
                              stats.at("jobs").at("failed_24h").as_int64();
  EXPECT_GE(finished_24h, finished_today);

  json::object chart = get("enterprise", "/v1/dashboard/chart-data?days=90").as_object();
  std::int64_t created = 0;
  std::int64_t chart_articles = 0;
  for (const json::value& day : chart.at("activity").as_array()) {
    created += day.at("jobs_created").as_int64();
    chart_articles += day.at("articles").as_int64();
  }
  EXPECT_EQ(created, kJobs);
  EXPECT_EQ(chart_articles, kArticles);
  std::int64_t completed = 0;
  std::int64_t failed = 0;
  for (const auto& [type, counts] : chart.at("job_types").as_object()) {
    completed += counts.at("completed").as_int64();
    failed += counts.at("failed").as_int64();
  }
  EXPECT_EQ(completed, count("jobs_completed"));
  EXPECT_EQ(failed, count("jobs_failed"));
  std::int64_t category_articles = 0;
  for (const json::value& category : chart.at("categories").as_array())
    category_articles += category.at("articles").as_int64();
  EXPECT_EQ(category_articles, kArticles);
}

TEST_F(Dataset, ArticleWithContentPreviewsAndARowOnlyArticleIsNotFound) {
  std::string key(summary().at("article_key").as_string());
  HttpClient client(port_);
  ClientResponse preview = client.request(bhttp::verb::get, "/v1/dashboard/preview?s3_key=" + key,
                                          {}, {{"X-API-Key", key_of("enterprise")}});
  EXPECT_EQ(preview.result(), bhttp::status::ok);
  EXPECT_NE(preview.body().find("<h2"), std::string::npos);
  json::object analysis =
      get("enterprise", "/v1/dashboard/articles/analysis?s3_key=" + key).as_object();
  EXPECT_GT(analysis.at("metrics").at("word_count").as_int64(), 200);

  // The oldest article is a row without a body: a clean 404, not a server error.
  json::array oldest =
      get("enterprise", "/v1/dashboard/articles?limit=1&sort=created_at:asc").at("data").as_array();
  ASSERT_EQ(oldest.size(), 1u);
  std::string row_only(oldest[0].at("s3_key").as_string());
  json::object missing =
      get("enterprise", "/v1/dashboard/preview?s3_key=" + row_only, bhttp::status::not_found)
          .as_object();
  EXPECT_EQ(missing.at("code").as_string(), "RESOURCE_NOT_FOUND");
  get("enterprise", "/v1/dashboard/articles/analysis?s3_key=" + row_only, bhttp::status::not_found);
  get("starter", "/v1/dashboard/preview?s3_key=" + key, bhttp::status::forbidden);
}

TEST_F(Dataset, TokenForTheSubjectActsOnTheJwtAccount) {
  std::string bearer = "Bearer " + signer_->token_for("loadtest");
  HttpClient client(port_);
  ClientResponse response =
      client.request(bhttp::verb::get, "/v1/dashboard/account", {}, {{"Authorization", bearer}});
  ASSERT_EQ(response.result(), bhttp::status::ok) << response.body();
  json::object body = json::parse(response.body()).as_object();
  EXPECT_EQ(body.at("id").as_string(), account("jwt").at("id").as_string());
  EXPECT_EQ(body.at("plan").as_string(), "enterprise");
  EXPECT_EQ(body.at("authenticated_with").as_string(), "jwt");
  EXPECT_EQ(body.at("limits").at("requests_per_minute").as_int64(), 100'000'000);
  ClientResponse agents = client.request(bhttp::verb::get, "/v1/dashboard/agents?limit=100", {},
                                         {{"Authorization", bearer}});
  ASSERT_EQ(agents.result(), bhttp::status::ok) << agents.body();
  json::value page = json::parse(agents.body());
  const json::array& rows = page.at("data").as_array();
  EXPECT_EQ(static_cast<std::int64_t>(rows.size()), account("jwt").at("agents").as_int64());
  bool found = false;
  for (const json::value& agent : rows)
    found = found || agent.at("id").as_string() == summary().at("jwt_agent_id").as_string();
  EXPECT_TRUE(found);
}

TEST_F(Dataset, JwtSubjectAccountIsEnterpriseWithUnboundLimits) {
  Logger logger(LogLevel::error, [](std::string_view) {});
  storage::Store store({data_ + "/seoagents.db", storage::Durability::normal}, logger);
  auto subject = storage::find_account_by_subject(store.reader(), "loadtest");
  ASSERT_TRUE(subject.has_value());
  EXPECT_EQ(subject->id, account("jwt").at("id").as_string());
  EXPECT_EQ(subject->name, "jwt:loadtest");
  EXPECT_EQ(subject->plan, storage::Plan::enterprise);
  EXPECT_EQ(subject->limits.requests_per_minute, 100'000'000);
  EXPECT_EQ(subject->limits.concurrent_jobs, 100'000);
  EXPECT_EQ(storage::count_jobs_in_flight(store.reader(), subject->id), 0);
  std::string enterprise(account("enterprise").at("id").as_string());
  EXPECT_EQ(storage::count_jobs_in_flight(store.reader(), enterprise), 0);
}

// Runs without a server: the refusals leave the directory as they found it.
class DatasetRefusals : public ::testing::Test {
 protected:
  void SetUp() override { root_ = make_temp_directory(); }
  void TearDown() override { fs::remove_all(root_); }

  // Exit status 2 and one line on stderr naming `needle`; nothing on stdout.
  void expect_usage_error(const std::vector<std::string>& args, const std::string& needle) {
    CommandResult result = run_dataset(args);
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_EQ(lines_in(result.err), 1) << result.err;
    EXPECT_NE(result.err.find(needle), std::string::npos) << result.err;
    EXPECT_TRUE(result.out.empty()) << result.out;
  }

  std::string root_;
};

TEST_F(DatasetRefusals, OutFileGetsTheSummaryAndADatabaseIsNeverReused) {
  std::string data = root_ + "/data";
  std::string out = root_ + "/summary.json";
  CommandResult first = run_dataset(
      {"--data", data, "--agents", "5", "--articles", "10", "--jobs", "3", "--out", out});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(first.out.empty()) << "with --out, the summary goes to the file only";
  json::object summary = json::parse(read_file(out)).as_object();
  EXPECT_EQ(summary.at("counts").at("articles").as_int64(), 10);
  EXPECT_EQ(summary.at("counts").at("jobs").as_int64(), 3);
  auto size_before = fs::file_size(data + "/seoagents.db");
  expect_usage_error({"--data", data, "--agents", "5", "--articles", "10", "--jobs", "3"},
                     "already holds a database");
  EXPECT_EQ(fs::file_size(data + "/seoagents.db"), size_before);
  Logger logger(LogLevel::error, [](std::string_view) {});
  storage::Store store({data + "/seoagents.db", storage::Durability::normal}, logger);
  EXPECT_EQ(storage::count_accounts(store.reader()), 5);
}

TEST_F(DatasetRefusals, BadOptionsExitWithTwoNamingTheOption) {
  std::string data = root_ + "/data";
  expect_usage_error({"--data", data, "--bogus", "1"}, "unknown option --bogus");
  expect_usage_error({"--data", data, "--agents", "many"}, "--agents");
  expect_usage_error({"--data", data, "--articles", "-5"}, "--articles");
  expect_usage_error({"--data", data, "--jobs", "1.5"}, "--jobs");
  expect_usage_error({"--data", data, "--articles", "10000001"}, "--articles");
  expect_usage_error({"--data", data, "--agents", "4"}, "--agents");
  expect_usage_error({"--data", data, "--agents", "100001"}, "--agents");
  expect_usage_error({"--data", data, "--jobs", "99999999999999999999"}, "--jobs");
  expect_usage_error({"--data", data, "--articles", "0", "--jobs", "5"}, "--jobs");
  expect_usage_error({"--data", data, "--jwt-sub", ""}, "--jwt-sub");
  expect_usage_error({"--data", data, "--agents"}, "--agents");
  expect_usage_error({"--data", data, "stray"}, "stray");
  expect_usage_error({"--agents", "10"}, "--data");
  EXPECT_FALSE(fs::exists(data)) << "a refused command created the directory";
}

TEST_F(DatasetRefusals, HelpSaysWhichArticlesHaveABody) {
  CommandResult result = run_dataset({"--help"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_NE(result.out.find("--articles"), std::string::npos);
  EXPECT_NE(result.out.find("rows only"), std::string::npos);
}

}  // namespace
}  // namespace seoagents::testing
