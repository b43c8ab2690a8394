// Unit tests of what the dispatcher computes without sending: the signature header (checked
// against an HMAC the test computes with OpenSSL itself), the signed request's headers, the
// secrets' form, the retry schedule (exponential, jittered, capped, dead past the maximum age)
// and the data of the job.completed / job.failed events.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <regex>
#include <set>

#include "jobs/webhooks/dispatcher.hpp"
#include "jobs/webhooks/job_events.hpp"
#include "jobs/webhooks/signature.hpp"
#include "tests/support/webhook_receiver.hpp"

namespace seoagents::jobs {
namespace {

using namespace std::chrono_literals;
using testing::expected_signature;

constexpr std::string_view kBody = R"({"id":"evt_0123456789abcdef","type":"job.completed"})";

TEST(WebhookSignature, IsTheHmacOfTimestampDotBodyUnderTheSecret) {
  std::string header = signature_header(1767225600, kBody, {"whsec_test"});
  EXPECT_EQ(header, "t=1767225600,v1=" + expected_signature("whsec_test", 1767225600, kBody));
  // A known answer, computed with Python's hmac module, pins the scheme itself.
  EXPECT_EQ(header,
            "t=1767225600,v1=abf85b3bdfc828d8f567c871e589120b063134c2af2f9e18b37c59c3ccbc79c3");
  EXPECT_NE(signature_header(1767225601, kBody, {"whsec_test"}), header);
}

TEST(WebhookSignature, CarriesOneV1PerSigningSecretInOrder) {
  std::string header = signature_header(42, kBody, {"whsec_new", "whsec_old"});
  EXPECT_EQ(header, "t=42,v1=" + expected_signature("whsec_new", 42, kBody) +
                        ",v1=" + expected_signature("whsec_old", 42, kBody));
  std::int64_t timestamp = 0;
  std::vector<std::string> v1;
  testing::parse_signature(header, timestamp, v1);
  EXPECT_EQ(timestamp, 42);
  EXPECT_EQ(v1.size(), 2u);
  for (const std::string& signature : v1)
    EXPECT_TRUE(std::regex_match(signature, std::regex("[0-9a-f]{64}")));
}

TEST(WebhookSignature, SecretsAreWhsecAnd43Base62CharactersAndNeverRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string secret = new_webhook_secret();
    EXPECT_TRUE(std::regex_match(secret, std::regex("whsec_[0-9A-Za-z]{43}"))) << secret;
    EXPECT_TRUE(seen.insert(secret).second);
  }
}

TEST(WebhookSignature, TheRequestIsASignedJsonPostWithTheEventHeaders) {
  WebhookMessage message{"https://hooks.example.com/x?y=1", "evt_1", "job.failed", "dlv_1",
                         std::string(kBody)};
  OutboundRequest request = webhook_request(message, {"whsec_a"}, 1000);
  EXPECT_EQ(request.method, boost::beast::http::verb::post);
  EXPECT_EQ(request.url, message.url);
  EXPECT_EQ(request.body, kBody);
  std::map<std::string, std::string> headers(request.headers.begin(), request.headers.end());
  EXPECT_EQ(headers["Content-Type"], "application/json");
  EXPECT_EQ(headers["X-SEOAgents-Event-Id"], "evt_1");
  EXPECT_EQ(headers["X-SEOAgents-Event-Type"], "job.failed");
  EXPECT_EQ(headers["X-SEOAgents-Delivery-Id"], "dlv_1");
  EXPECT_EQ(headers["X-SEOAgents-Signature"],
            "t=1000,v1=" + expected_signature("whsec_a", 1000, kBody));
  EXPECT_TRUE(headers["User-Agent"].starts_with("SEOAgents-Webhooks/"));
  message.delivery_id.clear();
  for (const auto& [name, value] : webhook_request(message, {"whsec_a"}, 1000).headers)
    EXPECT_NE(name, "X-SEOAgents-Delivery-Id");
}

WebhookOptions schedule(std::chrono::milliseconds base, std::chrono::milliseconds max_delay,
                        std::chrono::milliseconds max_age) {
  WebhookOptions options;
  options.retry_base = base;
  options.retry_max_delay = max_delay;
  options.retry_max_age = max_age;
  return options;
}

TEST(WebhookRetrySchedule, DoublesFromTheBaseJitteredBetweenHalfAndAll) {
  WebhookOptions options = schedule(1s, 1h, 72h);
  for (std::int64_t attempts = 1; attempts <= 5; ++attempts) {
    std::int64_t full = 1000LL << (attempts - 1);
    std::set<std::int64_t> delays;
    for (std::uint64_t random = 0; random < 2000; random += 7) {
      auto at = next_retry_at(options, attempts, 0, 10'000, random);
      ASSERT_TRUE(at);
      std::int64_t delay = *at - 10'000;
      EXPECT_GE(delay, full / 2);
      EXPECT_LE(delay, full);
      delays.insert(delay);
    }
    EXPECT_GT(delays.size(), 10u) << "jitter spreads the retries";
  }
  EXPECT_EQ(next_retry_at(options, 1, 0, 0, 0), 500);
  EXPECT_EQ(next_retry_at(options, 1, 0, 0, 500), 1000);
}

TEST(WebhookRetrySchedule, IsCappedByTheMaximumDelay) {
  WebhookOptions options = schedule(30s, 6h, 72h);
  for (std::uint64_t random : {0ull, 12345ull, 99999999ull}) {
    auto at = next_retry_at(options, 40, 0, 0, random);
    ASSERT_TRUE(at);
    EXPECT_LE(*at, 6 * 3'600'000);
    EXPECT_GE(*at, 3 * 3'600'000);
  }
}

TEST(WebhookRetrySchedule, GivesUpOnceARetryWouldPassTheMaximumAge) {
  WebhookOptions options = schedule(100ms, 6h, 1s);
  EXPECT_TRUE(next_retry_at(options, 1, 0, 0, 0));
  // Created at 0: a retry at 1000 is the last one allowed, later ones are past it.
  EXPECT_EQ(next_retry_at(options, 1, 0, 950, 0), 1000);
  EXPECT_FALSE(next_retry_at(options, 1, 0, 951, 0));
  EXPECT_FALSE(next_retry_at(options, 5, 0, 500, 0));
  // The default: up to 3 days of retries, at most 6 h apart, from 30 s on.
  WebhookOptions defaults;
  std::int64_t now = 0;
  std::int64_t attempts = 0;
  for (std::optional<std::int64_t> at = 0; at;
       at = next_retry_at(defaults, attempts, 0, now, ~0ull))
    now = *at, ++attempts;
  EXPECT_LE(now, 72 * 3'600'000);
  EXPECT_GT(now, 66 * 3'600'000);
  EXPECT_GT(attempts, 15);
}

storage::Job finished_job(std::string status) {
  storage::Job job;
  job.id = "content-1a2b3c4d";
  job.account_id = "acct-1";
  job.agent_id = "agent-a1b2c3d4";
  job.job_type = "create";
  job.status = std::move(status);
  job.keyword = "trade show booth cost";
  job.attempts = 2;
  job.created_at = 1'767'225'600'000;
  job.finished_at = 1'767'225'601'500;
  return job;
}

TEST(WebhookJobEvents, ACompletedJobCarriesItsResultSummaryAndS3Key) {
  storage::Job job = finished_job("completed");
  job.result =
      R"({"s3_key":"articles/agent-a1b2c3d4/trade-show-booth-cost.md","title":"Trade Show Booth Cost","seo_score":87,"word_count":1300,"warnings":["w"],"usage":{"input_tokens":1},"after":{"score":87}})";
  auto data = job_event_data(job);
  EXPECT_EQ(data.at("job_id").as_string(), "content-1a2b3c4d");
  EXPECT_EQ(data.at("job_type").as_string(), "create");
  EXPECT_EQ(data.at("agent_id").as_string(), "agent-a1b2c3d4");
  EXPECT_EQ(data.at("status").as_string(), "completed");
  EXPECT_EQ(data.at("keyword").as_string(), "trade show booth cost");
  EXPECT_EQ(data.at("s3_key").as_string(), "articles/agent-a1b2c3d4/trade-show-booth-cost.md");
  EXPECT_EQ(data.at("attempts").as_int64(), 2);
  EXPECT_EQ(data.at("created_at").as_string(), "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(data.at("finished_at").as_string(), "2026-01-01T00:00:01.500Z");
  const auto& result = data.at("result").as_object();
  EXPECT_EQ(result.at("title").as_string(), "Trade Show Booth Cost");
  EXPECT_EQ(result.at("seo_score").as_int64(), 87);
  EXPECT_EQ(result.at("word_count").as_int64(), 1300);
  EXPECT_EQ(result.at("warnings").as_array().size(), 1u);
  EXPECT_FALSE(result.contains("usage"));
  EXPECT_FALSE(result.contains("after"));
  EXPECT_FALSE(data.contains("error"));
}

TEST(WebhookJobEvents, AFailedJobCarriesItsErrorAndNoResult) {
  storage::Job job = finished_job("failed");
  job.job_type = "publish";
  job.s3_key = "articles/agent-a1b2c3d4/x.md";
  job.site_id = "site-0000beef";
  job.error = "upload: WordPress refused the application password";
  auto data = job_event_data(job);
  EXPECT_EQ(data.at("status").as_string(), "failed");
  EXPECT_EQ(data.at("error").as_string(), "upload: WordPress refused the application password");
  EXPECT_EQ(data.at("s3_key").as_string(), "articles/agent-a1b2c3d4/x.md");
  EXPECT_EQ(data.at("site_id").as_string(), "site-0000beef");
  EXPECT_FALSE(data.contains("result"));
}

}  // namespace
}  // namespace seoagents::jobs
