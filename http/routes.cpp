// Assembles the route table from the handler files.
#include "http/routes.hpp"

#include "http/handlers/handlers.hpp"
#include "http/pipeline.hpp"

namespace seoagents::http {

void register_api_routes(Router& router, const ApiServices& services) {
  handlers::add_health_routes(router, services);
  handlers::add_openapi_routes(router);
  handlers::add_account_routes(router, services.resources);
  handlers::add_api_key_routes(router, services.resources);
  handlers::add_agent_routes(router, services.resources);
  handlers::add_site_routes(router, services.resources);
  handlers::add_job_routes(router, services.resources);
  handlers::add_article_routes(router, services.resources);
  handlers::add_dashboard_routes(router, services.resources);
  handlers::add_webhook_routes(router, services.resources);
  handlers::add_ranking_routes(router, services.resources);
  handlers::add_report_routes(router, services.resources);
  add_websocket_routes(router);
  handlers::add_web_ui_routes(router);
  if (services.metrics.on_this_port) handlers::add_metrics_routes(router, services.metrics);
}

void register_metrics_route(Router& router, const MetricsEndpoint& endpoint) {
  handlers::add_metrics_routes(router, endpoint);
}

}  // namespace seoagents::http
