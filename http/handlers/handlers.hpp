// Route registration of each handler file (one resource per file).
#pragma once

#include "http/routes.hpp"

namespace seoagents::http::handlers {

void add_health_routes(Router& router, const ApiServices& services);
void add_openapi_routes(Router& router);

}  // namespace seoagents::http::handlers
