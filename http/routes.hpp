// The API's route table: every handler file registers its routes here, so the router the
// server runs and the one the OpenAPI test checks are the same.
#pragma once

#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "http/resources.hpp"
#include "http/router.hpp"

namespace seoagents::http {

// GET /metrics: what it renders and who may read it.
struct MetricsEndpoint {
  // The metrics; null renders none (route tables built without a server).
  const metrics::Registry* registry = nullptr;
  // When not empty, required as "Authorization: Bearer <token>".
  std::string token;
  // Served by this route table (the main port); false when --metrics-port serves it or
  // --metrics is off.
  bool on_this_port = true;
};

// What the handlers need from the rest of the server.
struct ApiServices {
  // When the server started, for /health's uptime.
  SystemTime started_at;
  ResourceServices resources;
  MetricsEndpoint metrics;
};

// GET /metrics alone, for the route table of --metrics-port.
void register_metrics_route(Router& router, const MetricsEndpoint& endpoint);

void register_api_routes(Router& router, const ApiServices& services);

}  // namespace seoagents::http
