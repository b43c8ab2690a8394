// Maps method + path to a handler. Patterns are literal segments and `{param}` segments
// ("/v1/dashboard/agents/{id}"); a literal segment wins over a parameter at the same place.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/types.hpp"

namespace seoagents::http {

// Who may call a route.
enum class Access {
  // Anyone: no credentials, never rate limited (health, the OpenAPI document).
  open,
  // Callers that authenticate; the authentication, rate-limit and idempotency stages run.
  authenticated,
  // A WebSocket endpoint: only upgrade requests (a plain GET → 426), from an allowed Origin or
  // none (→ 403), authenticated like `authenticated` (credentials also in the query string:
  // browsers cannot set headers on a WebSocket) and counted by the rate limit. A handler that
  // grants the upgrade answers 101; the server then hands the connection over.
  websocket,
};

struct Route {
  bhttp::verb method;
  // The pattern as registered; also the route's name in logs and metrics.
  std::string pattern;
  Handler handler;
  Access access = Access::authenticated;
};

struct RouteMatch {
  // The matched route; null when no route matched.
  const Route* route = nullptr;
  PathParams params;
  // The path exists but not for this method: the methods it has, for the Allow header.
  std::string allow;
  // The path exists (for some method).
  bool path_found = false;
};

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Registers a route. Throws std::invalid_argument on a malformed or duplicate pattern.
  void add(bhttp::verb method, std::string pattern, Handler handler,
           Access access = Access::authenticated);

  // Matches an already-validated, percent-encoded path. HEAD matches a GET route.
  RouteMatch match(bhttp::verb method, std::string_view path) const;

  // Every registered route, in registration order.
  const std::vector<std::unique_ptr<Route>>& routes() const { return routes_; }

 private:
  struct Node;
  bool match_from(const Node& node, std::string_view rest, PathParams& params,
                  const Node*& found) const;

  std::unique_ptr<Node> root_;
  std::vector<std::unique_ptr<Route>> routes_;
};

// Decodes %XX escapes; returns false on a malformed escape or an encoded '/' or NUL.
bool percent_decode_segment(std::string_view encoded, std::string& out);

}  // namespace seoagents::http
