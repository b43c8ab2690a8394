// Tests of the CORS policy: which origins are allowed, preflight detection and the CORS headers.
#include "http/cors.hpp"

#include <gtest/gtest.h>

namespace seoagents::http {
namespace {

CorsPolicy configured() {
  return CorsPolicy({"https://app.example.com", "http://intranet:8000"});
}

std::string header(const Response& response, bhttp::field field) {
  auto it = response.find(field);
  return it == response.end() ? std::string("<absent>") : std::string(it->value());
}

std::string header(const Response& response, std::string_view name) {
  auto it = response.find(name);
  return it == response.end() ? std::string("<absent>") : std::string(it->value());
}

TEST(CorsPolicy, AllowsConfiguredOriginsByExactMatchOnly) {
  CorsPolicy policy = configured();
  EXPECT_TRUE(policy.allows("https://app.example.com"));
  EXPECT_TRUE(policy.allows("http://intranet:8000"));
  for (std::string_view origin :
       {"https://app.example.com.evil.com", "https://evil.com", "null", "",
        "http://app.example.com", "https://app.example.com:443", "https://app.example.com/",
        "https://APP.example.com", "https://sub.app.example.com", "https://app.example.co",
        "http://intranet:8001", "http://intranet"}) {
    EXPECT_FALSE(policy.allows(origin)) << '"' << origin << '"';
  }
}

TEST(CorsPolicy, AnEmptyPolicyAllowsOnlyLocalDevelopmentOrigins) {
  CorsPolicy policy(std::vector<std::string>{});
  EXPECT_FALSE(policy.allows("https://app.example.com"));
  EXPECT_TRUE(policy.allows("http://localhost:3000"));
}

TEST(CorsPolicy, AllowsLocalDevelopmentOriginsOnAnyPort) {
  CorsPolicy policy = configured();
  for (std::string_view origin :
       {"http://localhost", "http://localhost:5173", "http://localhost:1", "http://localhost:65535",
        "http://127.0.0.1", "http://127.0.0.1:8080", "http://[::1]", "http://[::1]:3000"}) {
    EXPECT_TRUE(policy.allows(origin)) << origin;
  }
}

TEST(CorsPolicy, RefusesLookalikesOfLocalDevelopmentOrigins) {
  CorsPolicy policy = configured();
  for (std::string_view origin :
       {"https://localhost:3000", "https://localhost", "https://127.0.0.1:8080",
        "http://localhost:abc", "http://localhost.evil.com", "http://localhost:123456",
        "http://localhost:", "http://localhost:80/", "http://localhost:80x", "http://localhostx",
        "http://127.0.0.10", "http://127.0.0.1.evil.com", "http://[::1]x", "http://[::2]:3000",
        "http://localhost@evil.com", "http://localhost:3000@evil.com", "localhost:3000",
        "http://LOCALHOST:3000"}) {
    EXPECT_FALSE(policy.allows(origin)) << origin;
  }
}

Request request_with(bhttp::verb method, bool origin, bool request_method) {
  Request request{method, "/v1/things", 11};
  if (origin) request.set(bhttp::field::origin, "https://app.example.com");
  if (request_method) request.set(bhttp::field::access_control_request_method, "POST");
  return request;
}

TEST(CorsPolicy, PreflightIsOptionsWithOriginAndRequestMethod) {
  EXPECT_TRUE(CorsPolicy::is_preflight(request_with(bhttp::verb::options, true, true)));
  EXPECT_FALSE(CorsPolicy::is_preflight(request_with(bhttp::verb::options, true, false)));
  EXPECT_FALSE(CorsPolicy::is_preflight(request_with(bhttp::verb::options, false, true)));
  EXPECT_FALSE(CorsPolicy::is_preflight(request_with(bhttp::verb::options, false, false)));
  EXPECT_FALSE(CorsPolicy::is_preflight(request_with(bhttp::verb::get, true, true)));
  EXPECT_FALSE(CorsPolicy::is_preflight(request_with(bhttp::verb::post, true, true)));
}

TEST(CorsPolicy, ResponseHeadersForAnActualRequest) {
  Response response;
  configured().add_response_headers(response, "https://app.example.com");
  EXPECT_EQ(header(response, bhttp::field::access_control_allow_origin), "https://app.example.com");
  EXPECT_EQ(header(response, bhttp::field::access_control_allow_methods),
            "GET, HEAD, POST, PUT, DELETE, OPTIONS");
  EXPECT_EQ(header(response, bhttp::field::access_control_allow_headers), kCorsAllowedHeaders);
  EXPECT_EQ(header(response, bhttp::field::access_control_expose_headers), kCorsExposedHeaders);
  EXPECT_EQ(header(response, bhttp::field::vary), "Origin");
  EXPECT_EQ(header(response, bhttp::field::access_control_max_age), "<absent>");
  EXPECT_EQ(header(response, bhttp::field::access_control_allow_credentials), "<absent>");
}

TEST(CorsPolicy, PreflightHeaders) {
  Response response;
  configured().add_preflight_headers(response, "http://localhost:5173", "GET, HEAD, OPTIONS");
  EXPECT_EQ(header(response, bhttp::field::access_control_allow_origin), "http://localhost:5173");
  EXPECT_EQ(header(response, bhttp::field::access_control_allow_methods), "GET, HEAD, OPTIONS");
  EXPECT_EQ(header(response, bhttp::field::access_control_allow_headers), kCorsAllowedHeaders);
  EXPECT_EQ(header(response, bhttp::field::access_control_max_age), "600");
  EXPECT_EQ(header(response, "Vary"), "Origin");
}

TEST(CorsPolicy, AllowedHeadersListTheApiRequestHeaders) {
  std::string allowed(kCorsAllowedHeaders);
  for (std::string_view name :
       {"Authorization", "X-API-Key", "Content-Type", "Idempotency-Key", "X-Request-Id"}) {
    EXPECT_NE(allowed.find(name), std::string::npos) << name;
  }
  std::string exposed(kCorsExposedHeaders);
  for (std::string_view name : {"X-Request-Id", "X-RateLimit-Limit", "X-RateLimit-Remaining",
                                "X-RateLimit-Reset", "Retry-After", "Idempotent-Replayed"}) {
    EXPECT_NE(exposed.find(name), std::string::npos) << name;
  }
  EXPECT_EQ(kCorsMaxAgeSeconds, "600");
}

TEST(CorsPolicy, HeadersReplaceRatherThanDuplicate) {
  Response response;
  CorsPolicy policy = configured();
  policy.add_response_headers(response, "https://app.example.com");
  policy.add_response_headers(response, "https://app.example.com");
  EXPECT_EQ(response.count(bhttp::field::access_control_allow_origin), 1u);
  EXPECT_EQ(response.count(bhttp::field::vary), 1u);
}

}  // namespace
}  // namespace seoagents::http
