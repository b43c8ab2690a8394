// The content pipeline with the hosted-model writers, end to end over HTTP: the server's
// `anthropic` and `openai` writers talk to a loopback server that speaks each provider's wire
// format (the real APIs are not reachable from the tests). A create job plans and drafts through
// two model calls and stores what came back; a refused key fails the job with the provider's
// message after one call; an answer that is not an article fails the job, never stores it.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "storage/jobs.hpp"
#include "tests/support/api_helpers.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/fake_model_server.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::testing {
namespace {

constexpr std::string_view kJobs = "/v1/dashboard/jobs";

constexpr std::string_view kOutline =
    R"({"title": "Trade show booth cost: a budget guide", "sections": [)"
    R"({"heading": "What drives trade show booth cost", "subheadings": ["Space"], "summary": "s"},)"
    R"({"heading": "Saving money", "subheadings": [], "summary": "s"}]})";

class LlmContentTest : public ::testing::Test {
 protected:
  // Starts the server with `writer` talking to the fake model server.
  void start(std::string writer, std::string key, unsigned max_attempts = 3) {
    Config config = test_config();
    config.access_log = false;
    config.jobs.max_attempts = max_attempts;
    config.content.writer = writer;
    config.content.anthropic_base_url = model_.base_url();
    config.content.anthropic_api_key = writer == "anthropic" ? key : "";
    config.content.openai_base_url = model_.base_url();
    config.content.openai_api_key = writer == "openai" ? key : "";
    server_.emplace(config);
    api_.emplace(server_->port(), *server_->app().first_api_key());
    auto agent =
        api_->create("/v1/dashboard/agents",
                     R"({"name":"Booths","keywords":["trade show booth cost"],"word_target":500})");
    agent_id_ = text_of(agent, "id");
  }

  json::object run_create_job() {
    std::string body = join(R"({"agent_id":")", agent_id_,
                            R"(","job_type":"create","keyword":"trade show booth cost"})");
    std::string id = text_of(expect_json(api_->post(kJobs, body), 202), "job_id");
    // Polls the store, not the API: the account's rate limit is not the test's subject.
    EXPECT_TRUE(eventually([&] {
      auto job = storage::find_job(server_->app().store().reader(), id);
      return job && (job->status == "completed" || job->status == "failed");
    }));
    return expect_json(api_->get(join(kJobs, "/", id)), 200);
  }

  FakeModelServer model_;
  std::optional<TestServer> server_;
  std::optional<Api> api_;
  std::string agent_id_;
};

TEST_F(LlmContentTest, AnthropicWriterPlansDraftsAndStores) {
  model_.push(json_response(200, anthropic_message_body(kOutline, 120, 80)));
  model_.push(json_response(200, anthropic_message_body(booth_article_answer(), 900, 700)));
  start("anthropic", "sk-ant-test-key");
  json::object job = run_create_job();
  ASSERT_EQ(text_of(job, "status"), "completed") << boost::json::serialize(job);
  const json::object& result = job.at("result").as_object();
  EXPECT_EQ(text_of(result, "writer"), "anthropic");
  EXPECT_EQ(text_of(result, "model"), "claude-sonnet-4-5");
  EXPECT_EQ(text_of(result, "title"), "Trade show booth cost: a budget guide");
  const json::object& usage = result.at("usage").as_object();
  EXPECT_EQ(usage.at("input_tokens").as_int64(), 1020);
  EXPECT_EQ(usage.at("output_tokens").as_int64(), 780);

  std::vector<RecordedRequest> requests = model_.requests();
  ASSERT_EQ(requests.size(), 2u);
  for (const RecordedRequest& request : requests) {
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.target, "/v1/messages");
    EXPECT_EQ(request.header("x-api-key"), "sk-ant-test-key");
    EXPECT_EQ(request.header("anthropic-version"), "2023-06-01");
    json::object body = boost::json::parse(request.body).as_object();
    EXPECT_EQ(body.at("model").as_string(), "claude-sonnet-4-5");
    EXPECT_FALSE(body.at("system").as_string().empty());
    EXPECT_EQ(body.at("messages").as_array().size(), 1u);
  }
  // The draft prompt carries the outline the first call returned.
  EXPECT_NE(requests[1].body.find("What drives trade show booth cost"), std::string::npos);

  std::string s3_key = text_of(result, "s3_key");
  auto preview = api_->get(join("/v1/dashboard/preview?s3_key=", s3_key));
  ASSERT_EQ(preview.result_int(), 200u);
  EXPECT_NE(preview.body().find("<h2>What drives trade show booth cost</h2>"), std::string::npos);
}

TEST_F(LlmContentTest, ARefusedKeyFailsTheJobWithTheProvidersMessageAfterOneCall) {
  model_.push(
      json_response(401, anthropic_error_body("authentication_error", "invalid x-api-key")));
  start("anthropic", "sk-ant-wrong");
  json::object job = run_create_job();
  ASSERT_EQ(text_of(job, "status"), "failed");
  EXPECT_NE(text_of(job, "error").find("invalid x-api-key"), std::string::npos)
      << text_of(job, "error");
  EXPECT_EQ(text_of(job, "error").find("sk-ant-wrong"), std::string::npos);
  EXPECT_EQ(job.at("attempts").as_int64(), 1);
  EXPECT_EQ(model_.request_count(), 1u);
}

TEST_F(LlmContentTest, AnAnswerThatIsNotAnArticleFailsTheJobAndStoresNothing) {
  model_.push(json_response(200, openai_completion_body(kOutline, 50, 40)));
  model_.push(json_response(200, openai_completion_body("I cannot help with that.", 50, 8)));
  start("openai", "", 1);
  json::object job = run_create_job();
  ASSERT_EQ(text_of(job, "status"), "failed");
  // --job-max-attempts 1: the job ends with the first attempt's error.
  EXPECT_EQ(job.at("attempts").as_int64(), 1);
  EXPECT_EQ(job.at("max_attempts").as_int64(), 1);
  EXPECT_EQ(text_of(job, "error"), "draft: the model's answer had no TITLE line");
  EXPECT_EQ(model_.request_count(), 2u);
  auto articles = expect_json(api_->get("/v1/dashboard/articles"), 200);
  EXPECT_TRUE(articles.at("data").as_array().empty());
  // OpenAI-compatible servers: no Authorization header without a key.
  for (const RecordedRequest& request : model_.requests()) {
    EXPECT_EQ(request.target, "/v1/chat/completions");
    EXPECT_FALSE(request.header("authorization"));
  }
}

TEST_F(LlmContentTest, OpenAiWriterWithAKeySendsItAsABearerToken) {
  model_.push(json_response(200, openai_completion_body(kOutline, 50, 40)));
  model_.push(json_response(200, openai_completion_body(booth_article_answer(), 500, 400)));
  start("openai", "sk-local-key");
  json::object job = run_create_job();
  ASSERT_EQ(text_of(job, "status"), "completed") << boost::json::serialize(job);
  EXPECT_EQ(text_of(job.at("result").as_object(), "writer"), "openai");
  for (const RecordedRequest& request : model_.requests())
    EXPECT_EQ(request.header("authorization"), "Bearer sk-local-key");
}

}  // namespace
}  // namespace seoagents::testing
