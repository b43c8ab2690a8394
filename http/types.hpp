// The vocabulary of the HTTP layer: requests, responses, the per-request context handlers see,
// and the handler signature.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/container/small_vector.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/accounts.hpp"

namespace seoagents::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

using Request = bhttp::request<bhttp::string_body>;
using Response = bhttp::response<bhttp::string_body>;

// What a request knows of the connection it came on.
struct ConnectionInfo {
  // Peer IP address as text.
  std::string remote_address;
  // The connection speaks TLS.
  bool tls = false;
};

// A `{name}` segment of a route pattern and the percent-decoded value it matched.
struct PathParam {
  std::string_view name;
  std::string value;
};
// No route has more than two parameters: they live inside the request's context, not on the heap.
using PathParams = boost::container::small_vector<PathParam, 2>;

// Who is calling: set by the authentication stage on authenticated routes.
struct Principal {
  std::string account_id;
  // The API key used, or empty for a JWT.
  std::string api_key_id;
  storage::Plan plan = storage::Plan::starter;
  storage::PlanLimits limits{};
  // What the rate limit is kept per: "k:" + the key's id, or "sub:" + the JWT's subject.
  std::string rate_limit_key;
};

struct Route;

// Everything a handler needs about one request. Lives for the duration of the request.
struct RequestContext {
  Request& request;
  const ConnectionInfo& connection;
  // "req-…": echoed in X-Request-Id and in every error body (the answer's header owns it).
  std::string_view request_id;
  // The request target's path, still percent-encoded.
  std::string_view path;
  // The request target's query, percent-encoded, without '?'.
  std::string_view query;
  // Values of the route's `{params}`, in pattern order.
  PathParams params;
  // The caller, once authenticated.
  std::optional<Principal> principal;
  // This request's standing against the caller's rate limit, once counted: what the
  // X-RateLimit-* headers say (limit, remaining, reset in epoch seconds).
  struct RateStanding {
    std::int64_t limit = 0;
    std::int64_t remaining = 0;
    std::int64_t reset_epoch_seconds = 0;
  };
  std::optional<RateStanding> rate_limit;
  // The route that took the request, once routed (metrics name it by its pattern).
  const Route* route = nullptr;

  // The decoded value of path parameter `name`; empty when the route has none by that name.
  std::string_view param(std::string_view name) const {
    for (const PathParam& p : params) {
      if (p.name == name) return p.value;
    }
    return {};
  }
};

using Handler = std::function<asio::awaitable<Response>(RequestContext&)>;

// A 200-style response with a JSON body; the pipeline adds the common headers.
Response json_response(bhttp::status status, std::string body);

}  // namespace seoagents::http
