// CORS: which browser origins may call the API, the preflight answer, and the headers added to
// responses for allowed origins. A disallowed origin gets no CORS headers at all.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http/types.hpp"

namespace seoagents::http {

class CorsPolicy {
 public:
  // `origins`: exact origins allowed besides http://localhost:<port> and http://127.0.0.1:<port>.
  explicit CorsPolicy(std::vector<std::string> origins);

  bool allows(std::string_view origin) const;

  // An OPTIONS request with Origin and Access-Control-Request-Method.
  static bool is_preflight(const Request& request);

  // Headers for an actual (non-preflight) response to an allowed origin.
  void add_response_headers(Response& response, std::string_view origin) const;

  // Headers for a preflight answer to an allowed origin; `methods` is the path's Allow list.
  void add_preflight_headers(Response& response, std::string_view origin,
                             std::string_view methods) const;

 private:
  // Exact origins from the configuration.
  std::vector<std::string> origins_;
};

// Headers a browser may send and read; kept with the policy so the preflight lists them all.
inline constexpr std::string_view kCorsAllowedHeaders =
    "Authorization, X-API-Key, Content-Type, Idempotency-Key, X-Request-Id";
inline constexpr std::string_view kCorsExposedHeaders =
    "X-Request-Id, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Retry-After, "
    "Idempotent-Replayed";
inline constexpr std::string_view kCorsMaxAgeSeconds = "600";

}  // namespace seoagents::http
