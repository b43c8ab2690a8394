// Origin matching and CORS headers.
#include "http/cors.hpp"

namespace seoagents::http {
namespace {

// "http://localhost", "http://localhost:5173", likewise 127.0.0.1 and [::1].
bool is_local_development_origin(std::string_view origin) {
  for (std::string_view host : {"http://localhost", "http://127.0.0.1", "http://[::1]"}) {
    if (!origin.starts_with(host)) continue;
    std::string_view rest = origin.substr(host.size());
    if (rest.empty()) return true;
    if (rest.front() != ':' || rest.size() < 2 || rest.size() > 6) return false;
    unsigned port = 0;
    for (char c : rest.substr(1)) {
      if (c < '0' || c > '9') return false;
      port = port * 10 + static_cast<unsigned>(c - '0');
    }
    return port >= 1 && port <= 65535;
  }
  return false;
}

}  // namespace

CorsPolicy::CorsPolicy(std::vector<std::string> origins) : origins_(std::move(origins)) {}

bool CorsPolicy::allows(std::string_view origin) const {
  if (origin.empty()) return false;
  if (is_local_development_origin(origin)) return true;
  return std::find(origins_.begin(), origins_.end(), origin) != origins_.end();
}

bool CorsPolicy::is_preflight(const Request& request) {
  return request.method() == bhttp::verb::options &&
         request.find(bhttp::field::origin) != request.end() &&
         request.find(bhttp::field::access_control_request_method) != request.end();
}

namespace {

// Adds "Origin" to Vary without dropping what a handler put there.
void vary_on_origin(Response& response) {
  auto existing = response.find(bhttp::field::vary);
  if (existing == response.end()) {
    response.set(bhttp::field::vary, "Origin");
    return;
  }
  std::string value(existing->value());
  if (value.find("Origin") == std::string::npos)
    response.set(bhttp::field::vary, value + ", Origin");
}

}  // namespace

void CorsPolicy::add_response_headers(Response& response, std::string_view origin) const {
  response.set(bhttp::field::access_control_allow_origin, origin);
  response.set(bhttp::field::access_control_allow_methods, "GET, HEAD, POST, PUT, DELETE, OPTIONS");
  response.set(bhttp::field::access_control_allow_headers, kCorsAllowedHeaders);
  response.set(bhttp::field::access_control_expose_headers, kCorsExposedHeaders);
  vary_on_origin(response);
}

void CorsPolicy::add_preflight_headers(Response& response, std::string_view origin,
                                       std::string_view methods) const {
  response.set(bhttp::field::access_control_allow_origin, origin);
  response.set(bhttp::field::access_control_allow_methods, methods);
  response.set(bhttp::field::access_control_allow_headers, kCorsAllowedHeaders);
  response.set(bhttp::field::access_control_max_age, kCorsMaxAgeSeconds);
  vary_on_origin(response);
}

}  // namespace seoagents::http
