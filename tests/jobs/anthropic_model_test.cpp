// Tests of AnthropicModel against the fake model server: the Messages API request on the wire,
// the answer read back, and the retry policy for every failure a provider or a network produces.
#include "jobs/writers/anthropic_model.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <thread>
#include <vector>

#include "tests/support/fake_model_server.hpp"

namespace seoagents::jobs {
namespace {

using namespace std::chrono_literals;
using testing::FakeModelServer;
using testing::json_response;
using testing::run_completion;
using testing::ScriptedResponse;
using Result = Expected<Completion, ModelFailure>;
using Kind = ModelFailure::Kind;

const std::string kApiKey = "sk-ant-api03-test-secret-key";

// Options for the fake server: loopback allowed, retries without real waits.
AnthropicOptions test_options(const FakeModelServer& server) {
  AnthropicOptions options;
  options.base_url = server.base_url();
  options.api_key = kApiKey;
  options.model = "claude-test-model";
  options.allow_private_targets = true;
  options.first_retry_delay = 1ms;
  options.max_retry_delay = 5s;
  options.connect_timeout = 5s;
  options.response_timeout = 10s;
  return options;
}

CompletionRequest sample_request() {
  CompletionRequest request;
  request.system = "You are an SEO writer. Answer in Markdown.";
  request.user = "Write about \"cold brew\" coffee.\nKeep it short.";
  request.max_tokens = 1024;
  return request;
}

ScriptedResponse success(std::string_view text = "Cold brew is coffee steeped cold.") {
  return json_response(200, testing::anthropic_message_body(text, 25, 9));
}

ScriptedResponse error_response(unsigned status, std::string_view type, std::string_view message,
                                testing::FakeHeaders headers = {}) {
  return json_response(status, testing::anthropic_error_body(type, message), std::move(headers));
}

std::string describe(const Result& result) {
  if (result) return "completion: " + result->text;
  return "failure: " + result.error().message;
}

// Expects a failure of `kind`; returns it.
ModelFailure expect_failure(const Result& result, Kind kind) {
  EXPECT_FALSE(result.has_value()) << describe(result);
  if (result) return {};
  EXPECT_EQ(result.error().kind, kind) << result.error().message;
  EXPECT_EQ(result.error().message.find(kApiKey), std::string::npos) << result.error().message;
  return result.error();
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

TEST(AnthropicModel, SendsTheMessagesRequest) {
  FakeModelServer server;
  server.push(success());
  AnthropicModel model(test_options(server));
  Result result = run_completion(model, sample_request());
  ASSERT_TRUE(result) << describe(result);
  ASSERT_EQ(server.request_count(), 1u);
  testing::RecordedRequest sent = server.requests()[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.target, "/v1/messages");
  EXPECT_EQ(sent.header("x-api-key"), kApiKey);
  EXPECT_EQ(sent.header("anthropic-version"), "2023-06-01");
  EXPECT_EQ(sent.header("content-type"), "application/json");
  EXPECT_EQ(sent.header("authorization"), std::nullopt);
  boost::json::value expected = boost::json::parse(R"({
    "model": "claude-test-model",
    "max_tokens": 1024,
    "system": "You are an SEO writer. Answer in Markdown.",
    "messages": [{"role": "user", "content": "Write about \"cold brew\" coffee.\nKeep it short."}]
  })");
  EXPECT_EQ(boost::json::parse(sent.body), expected) << sent.body;
}

TEST(AnthropicModel, EmptySystemPromptIsLeftOut) {
  FakeModelServer server;
  server.push(success());
  AnthropicModel model(test_options(server));
  CompletionRequest request = sample_request();
  request.system.clear();
  ASSERT_TRUE(run_completion(model, request));
  ASSERT_EQ(server.request_count(), 1u);
  boost::json::value body = boost::json::parse(server.requests()[0].body);
  EXPECT_FALSE(body.as_object().contains("system")) << body;
  EXPECT_EQ(body.at("messages").as_array().size(), 1u);
}

TEST(AnthropicModel, ReturnsTextUsageModelAndStopReason) {
  FakeModelServer server;
  server.push(json_response(
      200, testing::anthropic_message_body("# Cold brew\n\nSteeped for 12 hours.", 1200, 345,
                                           "claude-sonnet-4-5-20250929", "end_turn")));
  AnthropicModel model(test_options(server));
  Result result = run_completion(model, sample_request());
  ASSERT_TRUE(result) << describe(result);
  EXPECT_EQ(result->text, "# Cold brew\n\nSteeped for 12 hours.");
  EXPECT_EQ(result->usage.input_tokens, 1200);
  EXPECT_EQ(result->usage.output_tokens, 345);
  EXPECT_EQ(result->model, "claude-sonnet-4-5-20250929");
  EXPECT_EQ(result->stop_reason, "end_turn");
}

TEST(AnthropicModel, ConcatenatesTextBlocksAndSkipsOthers) {
  FakeModelServer server;
  server.push(json_response(200, R"({
    "id": "msg_01", "type": "message", "role": "assistant", "model": "claude-test-model",
    "content": [
      {"type": "thinking", "thinking": "plan the article", "signature": "abc"},
      {"type": "text", "text": "First part. "},
      {"type": "tool_use", "id": "toolu_01", "name": "search", "input": {}},
      {"type": "text", "text": "Second part."}
    ],
    "stop_reason": "max_tokens", "stop_sequence": null,
    "usage": {"input_tokens": 10, "output_tokens": 1024}
  })"));
  AnthropicModel model(test_options(server));
  Result result = run_completion(model, sample_request());
  ASSERT_TRUE(result) << describe(result);
  EXPECT_EQ(result->text, "First part. Second part.");
  EXPECT_EQ(result->stop_reason, "max_tokens");
  EXPECT_EQ(result->usage.output_tokens, 1024);
}

TEST(AnthropicModel, NamesProviderAndModel) {
  FakeModelServer server;
  AnthropicModel model(test_options(server));
  EXPECT_EQ(model.provider(), "anthropic");
  EXPECT_EQ(model.model(), "claude-test-model");
  AnthropicOptions defaults;
  EXPECT_EQ(defaults.base_url, "https://api.anthropic.com");
  EXPECT_EQ(defaults.model, "claude-sonnet-4-5");
}

TEST(AnthropicModel, BaseUrlWithTrailingSlashOrV1ReachesTheSamePath) {
  FakeModelServer server;
  for (const std::string suffix : {"/", "/v1", "/v1/"}) {
    server.push(success());
    AnthropicOptions options = test_options(server);
    options.base_url += suffix;
    AnthropicModel model(options);
    ASSERT_TRUE(run_completion(model, sample_request())) << suffix;
  }
  for (const auto& request : server.requests())
    EXPECT_EQ(request.target, "/v1/messages");
  EXPECT_EQ(server.request_count(), 3u);
}

TEST(AnthropicModel, RateLimitIsRetriedAfterRetryAfter) {
  FakeModelServer server;
  server.push(error_response(429, "rate_limit_error", "Number of request tokens has exceeded",
                             {{"retry-after", "1"}}));
  server.push(success("after the wait"));
  AnthropicModel model(test_options(server));
  Result result = run_completion(model, sample_request());
  ASSERT_TRUE(result) << describe(result);
  EXPECT_EQ(result->text, "after the wait");
  ASSERT_EQ(server.request_count(), 2u);
  // The retry is the same request.
  EXPECT_EQ(server.requests()[0].body, server.requests()[1].body);
}

TEST(AnthropicModel, RetryAfterBeyondTheCapGivesUpAtOnce) {
  FakeModelServer server;
  server.push(error_response(429, "rate_limit_error", "rate limited", {{"retry-after", "120"}}));
  AnthropicOptions options = test_options(server);
  options.max_retry_delay = 30s;
  AnthropicModel model(options);
  ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::retryable);
  EXPECT_EQ(failure.status, 429u);
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_TRUE(contains(failure.message, "429 rate_limit_error: rate limited")) << failure.message;
  EXPECT_TRUE(contains(failure.message, "asked to wait 120 s, more than the 30 s allowed"))
      << failure.message;
}

TEST(AnthropicModel, OverloadedIsRetried) {
  FakeModelServer server;
  server.push(error_response(529, "overloaded_error", "Overloaded"));
  server.push(success("not overloaded now"));
  AnthropicModel model(test_options(server));
  Result result = run_completion(model, sample_request());
  ASSERT_TRUE(result) << describe(result);
  EXPECT_EQ(result->text, "not overloaded now");
  EXPECT_EQ(server.request_count(), 2u);
}

TEST(AnthropicModel, ServerErrorIsRetried) {
  FakeModelServer server;
  server.push(error_response(500, "api_error", "Internal server error"));
  server.push(success());
  AnthropicModel model(test_options(server));
  Result result = run_completion(model, sample_request());
  ASSERT_TRUE(result) << describe(result);
  EXPECT_EQ(server.request_count(), 2u);
}

TEST(AnthropicModel, PersistentServerErrorIsRetryableAfterMaxAttempts) {
  FakeModelServer server;
  server.set_fallback(error_response(500, "api_error", "Internal server error",
                                     {{"request-id", "req_011CServerError"}}));
  AnthropicOptions options = test_options(server);
  options.max_attempts = 3;
  AnthropicModel model(options);
  ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::retryable);
  EXPECT_EQ(server.request_count(), 3u);
  EXPECT_EQ(failure.status, 500u);
  EXPECT_EQ(failure.message,
            "anthropic: 500 api_error: Internal server error (request-id req_011CServerError); "
            "gave up after 3 attempts");
}

TEST(AnthropicModel, InvalidKeyIsPermanentAfterOneRequest) {
  FakeModelServer server;
  server.set_fallback(error_response(401, "authentication_error", "invalid x-api-key",
                                     {{"request-id", "req_011CAuth"}}));
  AnthropicModel model(test_options(server));
  ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::permanent);
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_EQ(failure.status, 401u);
  EXPECT_EQ(failure.message,
            "anthropic: 401 authentication_error: invalid x-api-key (request-id req_011CAuth)");
}

TEST(AnthropicModel, RequestIdFromTheBodyWhenNoHeader) {
  FakeModelServer server;
  server.set_fallback(json_response(
      403, testing::anthropic_error_body("permission_error", "no access", "req_011CBody")));
  AnthropicModel model(test_options(server));
  ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::permanent);
  EXPECT_EQ(failure.message,
            "anthropic: 403 permission_error: no access (request-id req_011CBody)");
}

TEST(AnthropicModel, ClientErrorsArePermanentAfterOneRequest) {
  struct Case {
    unsigned status;
    const char* type;
    const char* message;
  };
  const Case cases[] = {
      {400, "invalid_request_error", "max_tokens: Field required"},
      {403, "permission_error", "Your API key does not have permission to use the specified model"},
      {404, "not_found_error", "model: claude-test-model"},
      {413, "request_too_large", "Request exceeds the maximum allowed number of bytes."},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.status);
    FakeModelServer server;
    server.set_fallback(error_response(c.status, c.type, c.message));
    AnthropicModel model(test_options(server));
    ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::permanent);
    EXPECT_EQ(server.request_count(), 1u);
    EXPECT_EQ(failure.status, c.status);
    EXPECT_TRUE(
        contains(failure.message, std::to_string(c.status) + " " + c.type + ": " + c.message))
        << failure.message;
  }
}

TEST(AnthropicModel, SpendLimitIsPermanent) {
  FakeModelServer server;
  server.set_fallback(json_response(429, R"({"type":"error","error":{"type":"rate_limit_error",
      "message":"You have reached your specified API usage limits.",
      "details":{"error_code":"enforced_spend_limit_reached"}}})"));
  AnthropicModel model(test_options(server));
  ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::permanent);
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_EQ(failure.status, 429u);
}

TEST(AnthropicModel, KeyEchoedByTheServerIsBlankedOut) {
  FakeModelServer server;
  server.set_fallback(
      error_response(401, "authentication_error", "key " + kApiKey + " is not valid"));
  AnthropicModel model(test_options(server));
  ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::permanent);
  EXPECT_TRUE(contains(failure.message, "key [redacted] is not valid")) << failure.message;
}

TEST(AnthropicModel, MalformedJsonIsPermanent) {
  FakeModelServer server;
  server.set_fallback(json_response(200, R"({"type":"message","content":[{"type":"text",)",
                                    {{"request-id", "req_011CBroken"}}));
  AnthropicModel model(test_options(server));
  ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::permanent);
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_EQ(failure.message.rfind("anthropic: unusable answer: malformed JSON", 0), 0u)
      << failure.message;
  EXPECT_TRUE(contains(failure.message, "(request-id req_011CBroken)")) << failure.message;
}

TEST(AnthropicModel, AnswerWithoutTextIsPermanent) {
  FakeModelServer server;
  server.set_fallback(json_response(200, R"({"id":"msg_01","type":"message","role":"assistant",
      "model":"claude-test-model","content":[],"stop_reason":"refusal","stop_sequence":null,
      "usage":{"input_tokens":10,"output_tokens":0}})"));
  AnthropicModel model(test_options(server));
  ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::permanent);
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_EQ(failure.message, "anthropic: unusable answer: no text content (stop_reason refusal)");
}

TEST(AnthropicModel, AnswerOverTheSizeCapIsPermanent) {
  FakeModelServer server;
  server.set_fallback(
      json_response(200, testing::anthropic_message_body(std::string(8192, 'x'), 1, 1)));
  AnthropicOptions options = test_options(server);
  options.max_response_bytes = 4096;
  AnthropicModel model(options);
  ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::permanent);
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_TRUE(contains(failure.message, "exceeds the limit of 4096 bytes")) << failure.message;
}

TEST(AnthropicModel, StalledServerTimesOutRetryable) {
  FakeModelServer server;
  ScriptedResponse stall;
  stall.stall = true;
  server.set_fallback(stall);
  AnthropicOptions options = test_options(server);
  options.response_timeout = 200ms;
  options.max_attempts = 2;
  AnthropicModel model(options);
  ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::retryable);
  EXPECT_EQ(server.request_count(), 2u);
  EXPECT_EQ(failure.status, 0u);
  EXPECT_TRUE(contains(failure.message, "no complete response from 127.0.0.1:")) << failure.message;
  EXPECT_TRUE(contains(failure.message, "gave up after 2 attempts")) << failure.message;
}

TEST(AnthropicModel, DroppedConnectionIsRetried) {
  FakeModelServer server;
  ScriptedResponse hang_up;
  hang_up.hang_up = true;
  server.push(hang_up);
  server.push(success("second try"));
  AnthropicModel model(test_options(server));
  Result result = run_completion(model, sample_request());
  ASSERT_TRUE(result) << describe(result);
  EXPECT_EQ(result->text, "second try");
  EXPECT_EQ(server.request_count(), 2u);
}

TEST(AnthropicModel, RefusedConnectionIsRetryable) {
  std::uint16_t port = 0;
  {
    asio::io_context io;
    asio::ip::tcp::acceptor probe(io, {asio::ip::make_address("127.0.0.1"), 0});
    port = probe.local_endpoint().port();
  }
  FakeModelServer unused;
  AnthropicOptions options = test_options(unused);
  options.base_url = "http://127.0.0.1:" + std::to_string(port);
  options.max_attempts = 2;
  AnthropicModel model(options);
  ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::retryable);
  EXPECT_EQ(failure.message, "anthropic: connection to 127.0.0.1:" + std::to_string(port) +
                                 " refused; gave up after 2 attempts");
}

TEST(AnthropicModel, PrivateTargetIsRefusedWithoutARequest) {
  FakeModelServer server;
  AnthropicOptions options = test_options(server);
  options.allow_private_targets = false;
  AnthropicModel model(options);
  ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::permanent);
  EXPECT_EQ(server.request_count(), 0u);
  EXPECT_TRUE(contains(failure.message, "private or loopback")) << failure.message;
}

TEST(AnthropicModel, UsableFromSeveralLoopThreadsAtOnce) {
  FakeModelServer server;
  server.set_fallback(success("shared"));
  AnthropicModel model(test_options(server));
  constexpr int kThreads = 3;
  constexpr int kPerThread = 4;
  std::vector<int> succeeded(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&model, &succeeded, t] {
      asio::io_context io;
      auto one = [&]() -> asio::awaitable<void> {
        Result result = co_await model.complete(sample_request());
        if (result && result->text == "shared") ++succeeded[t];
      };
      for (int i = 0; i < kPerThread; ++i)
        asio::co_spawn(io, one, asio::detached);
      io.run();
    });
  }
  for (auto& thread : threads)
    thread.join();
  for (int t = 0; t < kThreads; ++t)
    EXPECT_EQ(succeeded[t], kPerThread) << "thread " << t;
  EXPECT_EQ(server.request_count(), static_cast<std::size_t>(kThreads * kPerThread));
}

}  // namespace
}  // namespace seoagents::jobs
