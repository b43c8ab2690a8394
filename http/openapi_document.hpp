// The OpenAPI document as JSON text, generated from docs/openapi.yaml when the project builds.
#pragma once

#include <string_view>

namespace seoagents::http {

extern const std::string_view kOpenApiJson;

}  // namespace seoagents::http
