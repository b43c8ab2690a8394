// Route registration of each handler file (one resource per file).
#pragma once

#include "http/routes.hpp"

namespace seoagents::http::handlers {

void add_health_routes(Router& router, const ApiServices& services);
void add_openapi_routes(Router& router);
void add_account_routes(Router& router, const ResourceServices& services);
void add_api_key_routes(Router& router, const ResourceServices& services);
void add_agent_routes(Router& router, const ResourceServices& services);
void add_site_routes(Router& router, const ResourceServices& services);
void add_job_routes(Router& router, const ResourceServices& services);
void add_dashboard_routes(Router& router, const ResourceServices& services);
void add_article_routes(Router& router, const ResourceServices& services);
void add_webhook_routes(Router& router, const ResourceServices& services);
void add_ranking_routes(Router& router, const ResourceServices& services);
void add_report_routes(Router& router, const ResourceServices& services);
void add_metrics_routes(Router& router, const MetricsEndpoint& endpoint);
// GET / and /assets/{file}: the web dashboard compiled into the binary.
void add_web_ui_routes(Router& router);

}  // namespace seoagents::http::handlers
