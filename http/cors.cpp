// Origin matching and CORS headers.
#include "http/cors.hpp"

#include <algorithm>

namespace seoagents::http {
namespace {

// "http://localhost", "http://localhost:5173", likewise 127.0.0.1 and [::1].
bool is_local_development_origin(std::string_view origin) {
  for (std::string_view host : {"http://localhost", "http://127.0.0.1", "http://[::1]"}) {
    if (!origin.starts_with(host)) continue;
    std::string_view rest = origin.substr(host.size());
    if (rest.empty()) return true;
    if (rest.front() != ':' || rest.size() < 2 || rest.size() > 6) return false;
    return std::all_of(rest.begin() + 1, rest.end(), [](char c) { return c >= '0' && c <= '9'; });
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

void CorsPolicy::add_response_headers(Response& response, std::string_view origin) const {
  response.set(bhttp::field::access_control_allow_origin, origin);
  response.set(bhttp::field::access_control_allow_methods, "GET, HEAD, POST, PUT, DELETE, OPTIONS");
  response.set(bhttp::field::access_control_allow_headers, kCorsAllowedHeaders);
  response.set(bhttp::field::access_control_expose_headers, kCorsExposedHeaders);
  response.set(bhttp::field::vary, "Origin");
}

void CorsPolicy::add_preflight_headers(Response& response, std::string_view origin,
                                       std::string_view methods) const {
  response.set(bhttp::field::access_control_allow_origin, origin);
  response.set(bhttp::field::access_control_allow_methods, methods);
  response.set(bhttp::field::access_control_allow_headers, kCorsAllowedHeaders);
  response.set(bhttp::field::access_control_max_age, kCorsMaxAgeSeconds);
  response.set(bhttp::field::vary, "Origin");
}

}  // namespace seoagents::http
