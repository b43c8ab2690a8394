// GET /health and GET /v1/dashboard/health: liveness for load balancers, no authentication.
#include <chrono>

#include "core/json_writer.hpp"
#include "http/handlers/handlers.hpp"

namespace seoagents::http::handlers {

void add_health_routes(Router& router, const ApiServices& services) {
  auto health = [started_at = services.started_at](RequestContext&) -> asio::awaitable<Response> {
    auto uptime = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::system_clock::now() - started_at);
    std::string body;
    body.reserve(64);
    JsonWriter(body)
        .begin_object()
        .member("status", "ok")
        .member("version", SEOAGENTS_VERSION)
        .member("uptime_s", static_cast<std::int64_t>(uptime.count()))
        .end_object();
    co_return json_response(bhttp::status::ok, std::move(body));
  };
  router.add(bhttp::verb::get, "/health", health, Access::open);
  router.add(bhttp::verb::get, "/v1/dashboard/health", health, Access::open);
}

}  // namespace seoagents::http::handlers
