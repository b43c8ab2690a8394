// GET /v1/openapi.json: the OpenAPI 3.1 document, converted from docs/openapi.yaml at build time.
#include "http/handlers/handlers.hpp"
#include "http/openapi_document.hpp"

namespace seoagents::http::handlers {

void add_openapi_routes(Router& router) {
  router.add(
      bhttp::verb::get, "/v1/openapi.json",
      [](RequestContext&) -> asio::awaitable<Response> {
        Response response = json_response(bhttp::status::ok, std::string(kOpenApiJson));
        response.set(bhttp::field::cache_control, "public, max-age=300");
        co_return response;
      },
      Access::open);
}

}  // namespace seoagents::http::handlers
