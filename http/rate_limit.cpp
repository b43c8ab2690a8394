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

}  // namespace

void add_rate_limit_headers(Response& response, const RateDecision& decision) {
  response.set("X-RateLimit-Limit", std::to_string(decision.limit));
  response.set("X-RateLimit-Remaining", std::to_string(decision.remaining));
  response.set("X-RateLimit-Reset", std::to_string(decision.reset_epoch_seconds));
}

Response rate_limited_response(const RequestContext& context, const RateDecision& decision) {
  Response response = error_response(context, rate_limited(decision.limit));
  response.set(bhttp::field::retry_after, std::to_string(decision.retry_after_seconds));
  add_rate_limit_headers(response, decision);
  return response;
}

asio::awaitable<Response> RateLimitStage::handle(RequestContext& context, const Route& route,
                                                 Next next) {
  const Principal& principal = *context.principal;
  RateDecision decision =
      limiter_.check(principal.rate_limit_key, principal.limits.requests_per_minute);
  if (!decision.allowed) co_return rate_limited_response(context, decision);
  context.rate_limit = RequestContext::RateStanding{decision.limit, decision.remaining,
                                                    decision.reset_epoch_seconds};
  Response response = co_await next(context, route);
  add_rate_limit_headers(response, decision);
  co_return response;
}

}  // namespace seoagents::http
