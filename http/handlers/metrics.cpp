// GET /metrics: the server's metrics in the Prometheus text format. An open route (no API key, no
// rate limit, not counted as an account's request); with --metrics-token it answers only
// "Authorization: Bearer <token>", compared in constant time, and 401 otherwise.
#include <string>

#include "core/crypto.hpp"
#include "http/handlers/handlers.hpp"
#include "http/pipeline.hpp"

namespace seoagents::http::handlers {
namespace {

ApiError metrics_unauthorized() {
  return {bhttp::status::unauthorized,
          "UNAUTHORIZED",
          "The metrics need their token: send Authorization: Bearer <metrics token>",
          {}};
}

// The token of an "Authorization: Bearer <token>" header; empty when there is none.
std::string_view bearer_token(const Request& request) {
  auto header = request.find(bhttp::field::authorization);
  if (header == request.end()) return {};
  std::string_view value = header->value();
  constexpr std::string_view kScheme = "bearer ";
  if (value.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) != kScheme[i]) return {};
  }
  value.remove_prefix(kScheme.size());
  while (!value.empty() && value.front() == ' ')
    value.remove_prefix(1);
  return value;
}

// Compares digests, so that neither the token's length nor its content shows in the timing.
bool token_matches(std::string_view given, std::string_view expected) {
  return constant_time_equal(sha256_hex(given), sha256_hex(expected));
}

}  // namespace

void add_metrics_routes(Router& router, const MetricsEndpoint& endpoint) {
  auto serve = [endpoint](RequestContext& context) -> asio::awaitable<Response> {
    if (!endpoint.token.empty() && !token_matches(bearer_token(context.request), endpoint.token)) {
      Response refused = error_response(context, metrics_unauthorized());
      refused.set(bhttp::field::www_authenticate, "Bearer realm=\"metrics\"");
      co_return refused;
    }
    Response response;
    response.result(bhttp::status::ok);
    response.set(bhttp::field::content_type, metrics::kContentType);
    response.set(bhttp::field::cache_control, "no-store");
    if (endpoint.registry != nullptr) response.body() = endpoint.registry->render();
    co_return response;
  };
  router.add(bhttp::verb::get, "/metrics", serve, Access::open);
}

}  // namespace seoagents::http::handlers
