// Tests of the retry policy the model clients share, as plain functions: which statuses are
// retried, how retry-after is read, the backoff's growth and jitter, and when retrying stops.
#include "jobs/writers/model_http.hpp"

#include <gtest/gtest.h>

#include <set>

namespace seoagents::jobs {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;
namespace bhttp = boost::beast::http;
using Kind = ModelFailure::Kind;

ModelFailure retryable_failure() {
  return ModelFailure{Kind::retryable, "anthropic: 529 overloaded_error: Overloaded", 529};
}

ModelHttpOptions policy(int max_attempts, milliseconds first, milliseconds cap) {
  ModelHttpOptions options;
  options.max_attempts = max_attempts;
  options.first_retry_delay = first;
  options.max_retry_delay = cap;
  return options;
}

TEST(ModelHttpPolicy, RetryableStatuses) {
  for (unsigned status : {408u, 409u, 429u, 500u, 502u, 503u, 504u, 529u, 520u})
    EXPECT_TRUE(is_retryable_status(status)) << status;
  for (unsigned status : {200u, 301u, 400u, 401u, 403u, 404u, 413u, 422u, 501u, 505u})
    EXPECT_FALSE(is_retryable_status(status)) << status;
}

TEST(ModelHttpPolicy, RetryAfterIsReadInSecondsOrMilliseconds) {
  bhttp::fields headers;
  EXPECT_EQ(requested_retry_delay(headers), std::nullopt);
  headers.set(bhttp::field::retry_after, "2");
  EXPECT_EQ(requested_retry_delay(headers), milliseconds(2000));
  headers.set(bhttp::field::retry_after, " 1.5 ");
  EXPECT_EQ(requested_retry_delay(headers), milliseconds(1500));
  headers.set(bhttp::field::retry_after, "0");
  EXPECT_EQ(requested_retry_delay(headers), milliseconds(0));
  headers.set("retry-after-ms", "250");
  EXPECT_EQ(requested_retry_delay(headers), milliseconds(250));
  headers.erase("retry-after-ms");
  for (const char* unreadable : {"Wed, 21 Oct 2015 07:28:00 GMT", "-1", "", "soon", "nan", "1s"}) {
    headers.set(bhttp::field::retry_after, unreadable);
    EXPECT_EQ(requested_retry_delay(headers), std::nullopt) << unreadable;
  }
  headers.set(bhttp::field::retry_after, "1e300");
  EXPECT_GT(requested_retry_delay(headers).value(), milliseconds(1'000'000'000));
}

TEST(ModelHttpPolicy, BackoffDoublesUpToTheCapWithJitter) {
  ModelHttpOptions options = policy(10, 100ms, 1000ms);
  struct Range {
    int retry;
    milliseconds low;
    milliseconds high;
  };
  for (Range range : {Range{1, 50ms, 100ms}, Range{2, 100ms, 200ms}, Range{3, 200ms, 400ms},
                      Range{4, 400ms, 800ms}, Range{5, 500ms, 1000ms}, Range{30, 500ms, 1000ms}}) {
    for (int sample = 0; sample < 50; ++sample) {
      milliseconds delay = backoff_delay(range.retry, options);
      EXPECT_GE(delay, range.low) << "retry " << range.retry;
      EXPECT_LE(delay, range.high) << "retry " << range.retry;
    }
  }
}

TEST(ModelHttpPolicy, BackoffIsJittered) {
  ModelHttpOptions options = policy(10, 10'000ms, 60'000ms);
  std::set<milliseconds::rep> seen;
  for (int sample = 0; sample < 50; ++sample)
    seen.insert(backoff_delay(1, options).count());
  EXPECT_GT(seen.size(), 1u);
}

TEST(ModelHttpPolicy, PermanentFailuresAreNeverRetried) {
  ModelFailure failure{Kind::permanent, "anthropic: 401 authentication_error: invalid x-api-key",
                       401};
  auto plan = plan_retry(failure, std::nullopt, 1, policy(4, 1ms, 1s));
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().message, failure.message);
  EXPECT_EQ(plan.error().kind, Kind::permanent);
}

TEST(ModelHttpPolicy, RetryableFailuresWaitUntilAttemptsRunOut) {
  ModelHttpOptions options = policy(3, 1ms, 1s);
  EXPECT_TRUE(plan_retry(retryable_failure(), std::nullopt, 1, options));
  EXPECT_TRUE(plan_retry(retryable_failure(), std::nullopt, 2, options));
  auto last = plan_retry(retryable_failure(), std::nullopt, 3, options);
  ASSERT_FALSE(last);
  EXPECT_EQ(last.error().kind, Kind::retryable);
  EXPECT_EQ(last.error().status, 529u);
  EXPECT_EQ(last.error().message,
            "anthropic: 529 overloaded_error: Overloaded; gave up after 3 attempts");
  auto single = plan_retry(retryable_failure(), std::nullopt, 1, policy(1, 1ms, 1s));
  ASSERT_FALSE(single);
  EXPECT_NE(single.error().message.find("gave up after 1 attempt"), std::string::npos);
}

TEST(ModelHttpPolicy, RetryAfterIsTakenAsItIsWithinTheCap) {
  ModelHttpOptions options = policy(4, 1ms, 30s);
  auto plan = plan_retry(retryable_failure(), 20s, 1, options);
  ASSERT_TRUE(plan);
  EXPECT_EQ(*plan, 20s);
  auto at_cap = plan_retry(retryable_failure(), 30s, 1, options);
  ASSERT_TRUE(at_cap);
  EXPECT_EQ(*at_cap, 30s);
}

TEST(ModelHttpPolicy, RetryAfterBeyondTheCapEndsRetriesRetryable) {
  auto plan = plan_retry(retryable_failure(), 1500ms, 1, policy(4, 1ms, 1s));
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().kind, Kind::retryable);
  EXPECT_EQ(plan.error().message,
            "anthropic: 529 overloaded_error: Overloaded; the provider asked to wait 1500 ms, "
            "more than the 1 s allowed");
}

TEST(ModelHttpPolicy, VersionedUrl) {
  EXPECT_EQ(versioned_url("https://api.anthropic.com", "messages"),
            "https://api.anthropic.com/v1/messages");
  EXPECT_EQ(versioned_url("https://api.anthropic.com/", "messages"),
            "https://api.anthropic.com/v1/messages");
  EXPECT_EQ(versioned_url("https://api.anthropic.com/v1//", "messages"),
            "https://api.anthropic.com/v1/messages");
  EXPECT_EQ(versioned_url("http://proxy.local/anthropic", "messages"),
            "http://proxy.local/anthropic/v1/messages");
}

TEST(ModelHttpJson, ReadsFieldsOfTheWantedTypeOnly) {
  auto object = parse_json_object(R"({"s":"text","i":42,"big":18446744073709551615,"d":1.5,
      "o":{"k":1},"n":null})");
  ASSERT_TRUE(object) << object.error();
  EXPECT_EQ(json_string_at(*object, "s"), "text");
  EXPECT_EQ(json_string_at(*object, "i"), "");
  EXPECT_EQ(json_int_at(*object, "i"), 42);
  EXPECT_EQ(json_int_at(*object, "big"), INT64_MAX);
  EXPECT_EQ(json_int_at(*object, "d"), 0);
  EXPECT_EQ(json_int_at(*object, "missing"), 0);
  EXPECT_NE(json_object_at(*object, "o"), nullptr);
  EXPECT_EQ(json_object_at(*object, "n"), nullptr);
  EXPECT_FALSE(parse_json_object("[1,2]"));
  auto broken = parse_json_object("{\"a\":");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().rfind("malformed JSON", 0), 0u) << broken.error();
}

}  // namespace
}  // namespace seoagents::jobs
