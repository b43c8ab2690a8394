// Tests of OpenAiModel against the fake model server: the chat-completions request on the wire,
// base URL forms, the answer read back, the error bodies of OpenAI, llama.cpp, Ollama and vLLM,
// and the retry policy for every failure a server or a network produces.
#include "jobs/writers/openai_model.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

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

const std::string kApiKey = "sk-proj-test-secret-key";

// Options for the fake server: loopback allowed, retries without real waits.
OpenAiOptions test_options(const FakeModelServer& server) {
  OpenAiOptions options;
  options.base_url = server.base_url();
  options.api_key = kApiKey;
  options.model = "llama3.1:8b";
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
  request.max_tokens = 2048;
  return request;
}

ScriptedResponse success(std::string_view text = "Cold brew is coffee steeped cold.") {
  return json_response(200, testing::openai_completion_body(text, 31, 12));
}

ScriptedResponse error_response(unsigned status, std::string_view message, std::string_view type,
                                std::string_view code = {}, testing::FakeHeaders headers = {}) {
  return json_response(status, testing::openai_error_body(message, type, code), std::move(headers));
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

TEST(OpenAiModel, SendsTheChatCompletionsRequest) {
  FakeModelServer server;
  server.push(success());
  OpenAiModel model(test_options(server));
  Result result = run_completion(model, sample_request());
  ASSERT_TRUE(result) << describe(result);
  ASSERT_EQ(server.request_count(), 1u);
  testing::RecordedRequest sent = server.requests()[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.target, "/v1/chat/completions");
  EXPECT_EQ(sent.header("authorization"), "Bearer " + kApiKey);
  EXPECT_EQ(sent.header("content-type"), "application/json");
  boost::json::value expected = boost::json::parse(R"({
    "model": "llama3.1:8b",
    "max_tokens": 2048,
    "messages": [
      {"role": "system", "content": "You are an SEO writer. Answer in Markdown."},
      {"role": "user", "content": "Write about \"cold brew\" coffee.\nKeep it short."}
    ]
  })");
  EXPECT_EQ(boost::json::parse(sent.body), expected) << sent.body;
}

TEST(OpenAiModel, NoKeyMeansNoAuthorizationHeader) {
  FakeModelServer server;
  server.push(success());
  OpenAiOptions options = test_options(server);
  options.api_key.clear();
  OpenAiModel model(options);
  ASSERT_TRUE(run_completion(model, sample_request()));
  ASSERT_EQ(server.request_count(), 1u);
  EXPECT_EQ(server.requests()[0].header("authorization"), std::nullopt);
}

TEST(OpenAiModel, EmptySystemPromptSendsOnlyTheUserMessage) {
  FakeModelServer server;
  server.push(success());
  OpenAiModel model(test_options(server));
  CompletionRequest request = sample_request();
  request.system.clear();
  ASSERT_TRUE(run_completion(model, request));
  boost::json::value body = boost::json::parse(server.requests().at(0).body);
  EXPECT_EQ(body.at("messages"), boost::json::parse(R"([{"role": "user",
      "content": "Write about \"cold brew\" coffee.\nKeep it short."}])"));
}

TEST(OpenAiModel, MaxCompletionTokensFieldForReasoningModels) {
  FakeModelServer server;
  server.push(success());
  OpenAiOptions options = test_options(server);
  options.max_tokens_field = "max_completion_tokens";
  OpenAiModel model(options);
  ASSERT_TRUE(run_completion(model, sample_request()));
  boost::json::object body = boost::json::parse(server.requests().at(0).body).as_object();
  EXPECT_EQ(body.at("max_completion_tokens"), 2048);
  EXPECT_FALSE(body.contains("max_tokens"));
}

TEST(OpenAiModel, EveryBaseUrlFormReachesChatCompletions) {
  FakeModelServer server;
  for (const std::string suffix : {"", "/", "/v1", "/v1/", "/v1/chat/completions"}) {
    server.push(success());
    OpenAiOptions options = test_options(server);
    options.base_url += suffix;
    OpenAiModel model(options);
    ASSERT_TRUE(run_completion(model, sample_request())) << suffix;
  }
  EXPECT_EQ(server.request_count(), 5u);
  for (const auto& request : server.requests())
    EXPECT_EQ(request.target, "/v1/chat/completions");
}

TEST(OpenAiModel, ChatCompletionsUrlKeepsAPathPrefix) {
  EXPECT_EQ(chat_completions_url("https://api.groq.com/openai/v1"),
            "https://api.groq.com/openai/v1/chat/completions");
  EXPECT_EQ(chat_completions_url("http://gateway.local/llm//"),
            "http://gateway.local/llm/v1/chat/completions");
  EXPECT_EQ(chat_completions_url("https://api.openai.com"),
            "https://api.openai.com/v1/chat/completions");
}

TEST(OpenAiModel, ReturnsTextUsageModelAndFinishReason) {
  FakeModelServer server;
  server.push(
      json_response(200, testing::openai_completion_body("# Cold brew\n\nSteep it.", 1500, 420,
                                                         "gpt-4o-mini-2024-07-18", "length")));
  OpenAiModel model(test_options(server));
  Result result = run_completion(model, sample_request());
  ASSERT_TRUE(result) << describe(result);
  EXPECT_EQ(result->text, "# Cold brew\n\nSteep it.");
  EXPECT_EQ(result->usage.input_tokens, 1500);
  EXPECT_EQ(result->usage.output_tokens, 420);
  EXPECT_EQ(result->model, "gpt-4o-mini-2024-07-18");
  EXPECT_EQ(result->stop_reason, "length");
}

TEST(OpenAiModel, ContentAsTextPartsIsConcatenated) {
  FakeModelServer server;
  server.push(json_response(200, R"({"id":"chatcmpl-1","object":"chat.completion","model":"m",
      "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant",
      "content":[{"type":"text","text":"One. "},{"type":"image_url"},{"type":"text","text":"Two."}]}}]})"));
  OpenAiModel model(test_options(server));
  Result result = run_completion(model, sample_request());
  ASSERT_TRUE(result) << describe(result);
  EXPECT_EQ(result->text, "One. Two.");
  EXPECT_EQ(result->usage.input_tokens, 0);
}

TEST(OpenAiModel, NamesProviderAndModel) {
  FakeModelServer server;
  OpenAiOptions options = test_options(server);
  options.model = "qwen2.5:7b";
  OpenAiModel model(options);
  EXPECT_EQ(model.provider(), "openai");
  EXPECT_EQ(model.model(), "qwen2.5:7b");
}

TEST(OpenAiModel, DefaultsReachALocalServer) {
  OpenAiOptions defaults;
  EXPECT_EQ(defaults.base_url, "http://127.0.0.1:11434");
  EXPECT_EQ(defaults.model, "llama3.1:8b");
  EXPECT_TRUE(defaults.allow_private_targets);
  EXPECT_EQ(chat_completions_url(defaults.base_url), "http://127.0.0.1:11434/v1/chat/completions");
}

TEST(OpenAiModel, PrivateTargetIsRefusedWhenTurnedOff) {
  FakeModelServer server;
  OpenAiOptions options = test_options(server);
  options.allow_private_targets = false;
  OpenAiModel model(options);
  ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::permanent);
  EXPECT_EQ(server.request_count(), 0u);
  EXPECT_TRUE(contains(failure.message, "private or loopback")) << failure.message;
}

TEST(OpenAiModel, RateLimitIsRetriedAfterRetryAfter) {
  FakeModelServer server;
  server.push(error_response(429, "Rate limit reached for requests", "requests",
                             "rate_limit_exceeded", {{"retry-after", "1"}}));
  server.push(success("after the wait"));
  OpenAiModel model(test_options(server));
  Result result = run_completion(model, sample_request());
  ASSERT_TRUE(result) << describe(result);
  EXPECT_EQ(result->text, "after the wait");
  ASSERT_EQ(server.request_count(), 2u);
  EXPECT_EQ(server.requests()[0].body, server.requests()[1].body);
}

TEST(OpenAiModel, RetryAfterMillisecondsIsHonoured) {
  FakeModelServer server;
  server.push(error_response(429, "Rate limit reached", "requests", "rate_limit_exceeded",
                             {{"retry-after-ms", "20"}, {"retry-after", "600"}}));
  server.push(success());
  OpenAiOptions options = test_options(server);
  options.max_retry_delay = 1s;
  OpenAiModel model(options);
  // retry-after-ms wins: 20 ms is within the cap, where 600 s would have ended the retries.
  Result result = run_completion(model, sample_request());
  ASSERT_TRUE(result) << describe(result);
  EXPECT_EQ(server.request_count(), 2u);
}

TEST(OpenAiModel, RetryAfterBeyondTheCapGivesUpAtOnce) {
  FakeModelServer server;
  server.push(error_response(429, "Rate limit reached", "requests", "rate_limit_exceeded",
                             {{"retry-after", "90"}}));
  OpenAiOptions options = test_options(server);
  options.max_retry_delay = 10s;
  OpenAiModel model(options);
  ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::retryable);
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_EQ(failure.status, 429u);
  EXPECT_TRUE(contains(failure.message, "asked to wait 90 s, more than the 10 s allowed"))
      << failure.message;
}

TEST(OpenAiModel, QuotaExhaustedIsPermanent) {
  FakeModelServer server;
  server.set_fallback(error_response(
      429, "You exceeded your current quota, please check your plan and billing details.",
      "insufficient_quota", "insufficient_quota"));
  OpenAiModel model(test_options(server));
  ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::permanent);
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_TRUE(contains(failure.message, "429 insufficient_quota: You exceeded your current quota"))
      << failure.message;
}

TEST(OpenAiModel, ModelLoadingIsRetried) {
  FakeModelServer server;
  // llama.cpp's server while it loads the model (its code is a number).
  server.push(json_response(
      503, R"({"error":{"code":503,"message":"Loading model","type":"unavailable_error"}})"));
  server.push(success("loaded"));
  OpenAiModel model(test_options(server));
  Result result = run_completion(model, sample_request());
  ASSERT_TRUE(result) << describe(result);
  EXPECT_EQ(result->text, "loaded");
  EXPECT_EQ(server.request_count(), 2u);
}

TEST(OpenAiModel, ServerErrorIsRetried) {
  FakeModelServer server;
  server.push(error_response(500, "The server had an error while processing your request.",
                             "server_error"));
  server.push(success());
  OpenAiModel model(test_options(server));
  ASSERT_TRUE(run_completion(model, sample_request()));
  EXPECT_EQ(server.request_count(), 2u);
}

TEST(OpenAiModel, PersistentBadGatewayIsRetryableAfterMaxAttempts) {
  FakeModelServer server;
  ScriptedResponse gateway;
  gateway.status = 502;
  gateway.headers = {{"Content-Type", "text/html"}};
  gateway.body = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n</html>";
  server.set_fallback(gateway);
  OpenAiOptions options = test_options(server);
  options.max_attempts = 3;
  OpenAiModel model(options);
  ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::retryable);
  EXPECT_EQ(server.request_count(), 3u);
  EXPECT_EQ(failure.status, 502u);
  EXPECT_EQ(failure.message,
            "openai: 502 Bad Gateway: <html>  <head><title>502 Bad Gateway</title></head>  "
            "</html>; gave up after 3 attempts");
}

TEST(OpenAiModel, InvalidKeyIsPermanentAfterOneRequest) {
  FakeModelServer server;
  server.set_fallback(
      error_response(401,
                     "Incorrect API key provided: sk-proj-****-key. You can find "
                     "your API key at https://platform.openai.com/account/api-keys.",
                     "invalid_request_error", "invalid_api_key", {{"x-request-id", "req_7f3c"}}));
  OpenAiModel model(test_options(server));
  ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::permanent);
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_EQ(failure.status, 401u);
  EXPECT_EQ(failure.message,
            "openai: 401 invalid_request_error: Incorrect API key provided: sk-proj-****-key. You "
            "can find your API key at https://platform.openai.com/account/api-keys. "
            "(request-id req_7f3c)");
}

TEST(OpenAiModel, BadRequestIsPermanent) {
  FakeModelServer server;
  server.set_fallback(error_response(400, "Unsupported parameter: 'max_tokens'",
                                     "invalid_request_error", "unsupported_parameter"));
  OpenAiModel model(test_options(server));
  ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::permanent);
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_EQ(failure.message,
            "openai: 400 invalid_request_error: Unsupported parameter: 'max_tokens'");
}

TEST(OpenAiModel, OtherServersErrorBodiesAreRead) {
  struct Case {
    unsigned status;
    const char* body;
    const char* message;
  };
  const Case cases[] = {
      // Ollama: a bare string.
      {404, R"({"error":"model \"llama9\" not found, try pulling it first"})",
       "openai: 404 Not Found: model \"llama9\" not found, try pulling it first"},
      // vLLM: the fields at the top level.
      {400,
       R"({"object":"error","message":"This model's maximum context length is 8192 tokens.",
           "type":"BadRequestError","param":null,"code":400})",
       "openai: 400 BadRequestError: This model's maximum context length is 8192 tokens."},
      // A FastAPI server.
      {403, R"({"detail":"Not authenticated"})", "openai: 403 Forbidden: Not authenticated"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.status);
    FakeModelServer server;
    server.set_fallback(json_response(c.status, c.body));
    OpenAiModel model(test_options(server));
    ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::permanent);
    EXPECT_EQ(server.request_count(), 1u);
    EXPECT_EQ(failure.message, c.message);
  }
}

TEST(OpenAiModel, MalformedJsonIsPermanent) {
  FakeModelServer server;
  server.set_fallback(json_response(200, R"({"choices":[{"message":)"));
  OpenAiModel model(test_options(server));
  ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::permanent);
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_EQ(failure.message.rfind("openai: unusable answer: malformed JSON", 0), 0u)
      << failure.message;
}

TEST(OpenAiModel, AnswerWithoutTextIsPermanent) {
  FakeModelServer server;
  server.set_fallback(json_response(200, R"({"id":"chatcmpl-1","object":"chat.completion",
      "model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,
      "refusal":"I can't help with that."},"finish_reason":"stop"}]})"));
  OpenAiModel model(test_options(server));
  ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::permanent);
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_EQ(failure.message, "openai: unusable answer: no text content (finish_reason stop)");
}

TEST(OpenAiModel, ErrorInsideA200IsPermanent) {
  FakeModelServer server;
  server.set_fallback(
      json_response(200, testing::openai_error_body("context window exceeded", "server_error")));
  OpenAiModel model(test_options(server));
  ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::permanent);
  EXPECT_EQ(failure.message,
            "openai: unusable answer: an error instead of a choice: context window exceeded");
}

TEST(OpenAiModel, AnswerOverTheSizeCapIsPermanent) {
  FakeModelServer server;
  server.set_fallback(
      json_response(200, testing::openai_completion_body(std::string(8192, 'x'), 1, 1)));
  OpenAiOptions options = test_options(server);
  options.max_response_bytes = 4096;
  OpenAiModel model(options);
  ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::permanent);
  EXPECT_EQ(server.request_count(), 1u);
  EXPECT_TRUE(contains(failure.message, "exceeds the limit of 4096 bytes")) << failure.message;
}

TEST(OpenAiModel, StalledServerTimesOutRetryable) {
  FakeModelServer server;
  ScriptedResponse stall;
  stall.stall = true;
  server.set_fallback(stall);
  OpenAiOptions options = test_options(server);
  options.response_timeout = 200ms;
  options.max_attempts = 2;
  OpenAiModel model(options);
  ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::retryable);
  EXPECT_EQ(server.request_count(), 2u);
  EXPECT_TRUE(contains(failure.message, "no complete response from 127.0.0.1:")) << failure.message;
  EXPECT_TRUE(contains(failure.message, "gave up after 2 attempts")) << failure.message;
}

TEST(OpenAiModel, SlowAnswerWithinTheTimeoutSucceeds) {
  FakeModelServer server;
  ScriptedResponse slow = success("worth the wait");
  slow.delay = 50ms;
  server.push(slow);
  OpenAiModel model(test_options(server));
  Result result = run_completion(model, sample_request());
  ASSERT_TRUE(result) << describe(result);
  EXPECT_EQ(result->text, "worth the wait");
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(OpenAiModel, RefusedConnectionIsRetryable) {
  std::uint16_t port = 0;
  {
    asio::io_context io;
    asio::ip::tcp::acceptor probe(io, {asio::ip::make_address("127.0.0.1"), 0});
    port = probe.local_endpoint().port();
  }
  FakeModelServer unused;
  OpenAiOptions options = test_options(unused);
  options.base_url = "http://127.0.0.1:" + std::to_string(port) + "/v1";
  options.max_attempts = 3;
  OpenAiModel model(options);
  ModelFailure failure = expect_failure(run_completion(model, sample_request()), Kind::retryable);
  EXPECT_EQ(failure.status, 0u);
  EXPECT_EQ(failure.message, "openai: connection to 127.0.0.1:" + std::to_string(port) +
                                 " refused; gave up after 3 attempts");
}

}  // namespace
}  // namespace seoagents::jobs
