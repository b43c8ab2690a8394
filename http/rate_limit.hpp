// The rate-limit stage of the pipeline: each authenticated request counts against its
// principal's plan (per API key, or per JWT subject), in the lock-free RateLimiter. Over the
// limit → 429 RATE_LIMITED with Retry-After; every authenticated response carries
// X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset (epoch seconds): the stage
// records the request's standing in the context and the pipeline writes the headers.
#pragma once

#include "core/rate_limiter.hpp"
#include "http/pipeline.hpp"

namespace seoagents::http {

// 429 RATE_LIMITED for a refused decision, with Retry-After; the decision becomes the context's
// standing, which the pipeline writes as the X-RateLimit-* headers.
Response rate_limited_response(RequestContext& context, const RateDecision& decision);

class RateLimitStage : public Middleware {
 public:
  explicit RateLimitStage(RateLimiter& limiter) : limiter_(limiter) {}

  asio::awaitable<Response> handle(RequestContext& context, const Route& route, Next next) override;

 private:
  RateLimiter& limiter_;
};

}  // namespace seoagents::http
