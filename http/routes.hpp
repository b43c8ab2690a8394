// The API's route table: every handler file registers its routes here, so the router the
// server runs and the one the OpenAPI test checks are the same.
#pragma once

#include "core/clock.hpp"
#include "http/resources.hpp"
#include "http/router.hpp"

namespace seoagents::http {

// What the handlers need from the rest of the server.
struct ApiServices {
  // When the server started, for /health's uptime.
  SystemTime started_at;
  ResourceServices resources;
};

void register_api_routes(Router& router, const ApiServices& services);

}  // namespace seoagents::http
