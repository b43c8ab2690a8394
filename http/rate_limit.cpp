// The rate-limit stage (see rate_limit.hpp).
#include "http/rate_limit.hpp"

#include <string>

namespace seoagents::http {
namespace {

ApiError rate_limited(std::int64_t limit) {
  std::string message = "Rate limit exceeded: ";
  message.append(std::to_string(limit)).append(" requests per minute; retry after Retry-After");
  return {bhttp::status::too_many_requests, "RATE_LIMITED", std::move(message), {}};
}

RequestContext::RateStanding standing_of(const RateDecision& decision) {
  return {decision.limit, decision.remaining, decision.reset_epoch_seconds};
}

}  // namespace

Response rate_limited_response(RequestContext& context, const RateDecision& decision) {
  context.rate_limit = standing_of(decision);
  Response response = error_response(context, rate_limited(decision.limit));
  response.set(bhttp::field::retry_after, std::to_string(decision.retry_after_seconds));
  return response;
}

// Not a coroutine (see Middleware): counting the request needs no waiting.
asio::awaitable<Response> RateLimitStage::handle(RequestContext& context, const Route& route,
                                                 Next next) {
  const Principal& principal = *context.principal;
  RateDecision decision =
      limiter_.check(principal.rate_limit_key, principal.limits.requests_per_minute);
  if (!decision.allowed) return answer_now(rate_limited_response(context, decision));
  context.rate_limit = standing_of(decision);  // the pipeline writes the X-RateLimit-* headers
  return next(context, route);
}

}  // namespace seoagents::http
