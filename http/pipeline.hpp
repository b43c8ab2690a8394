// The request pipeline, in DESIGN.md's order: request id → CORS → route lookup → (for
// authenticated routes) the middleware slots: authentication → rate limit → idempotency → the
// handler. It also gives every response its common headers and writes the access log.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "core/log.hpp"
#include "http/answer.hpp"
#include "http/api_error.hpp"
#include "http/cors.hpp"
#include "http/request_metrics.hpp"
#include "http/router.hpp"
#include "http/types.hpp"

namespace seoagents::http {

class Pipeline;

// One stage between route lookup and the handler (authentication, rate limiting, idempotency).
// A stage either answers itself (an error, a replayed response) or calls `next`. A stage whose
// decision needs no waiting should not be a coroutine: it returns `next(...)`'s awaitable, or
// answer_now(...), as it is (each coroutine layer costs a frame and a resumption per request).
class Middleware {
 public:
  class Next {
   public:
    Next(const Pipeline& pipeline, std::size_t index) : pipeline_(pipeline), index_(index) {}
    asio::awaitable<Response> operator()(RequestContext& context, const Route& route) const;

   private:
    const Pipeline& pipeline_;
    std::size_t index_;
  };

  virtual ~Middleware() = default;
  virtual asio::awaitable<Response> handle(RequestContext& context, const Route& route,
                                           Next next) = 0;
};

class Pipeline {
 public:
  Pipeline(const Router& router, const CorsPolicy& cors, Logger& logger, bool access_log);

  // Appends a stage; stages run in the order they were added. Only before serving starts.
  void add(std::unique_ptr<Middleware> stage);
  // Counts every answered request in `metrics` (null: none). Only before serving starts.
  void set_metrics(RequestMetrics* metrics) { metrics_ = metrics; }

  // Answers one complete request. Never throws: a failing handler becomes a logged 500.
  // `upgrade`: where a granted WebSocket upgrade (a 101 answer) puts the caller; null when the
  // connection cannot be upgraded, and the WebSocket routes then answer 404.
  asio::awaitable<Answer> handle(Request& request, const ConnectionInfo& connection,
                                 std::optional<Principal>* upgrade = nullptr) const;

  // The response to a request the protocol layer refused before it was complete (431, 413, 400…);
  // `request` holds whatever headers were parsed, if any. The connection closes after it.
  Response reject(const ApiError& error, const Request* request,
                  const ConnectionInfo& connection) const;

 private:
  friend class Middleware::Next;
  asio::awaitable<Response> run_stage(std::size_t index, RequestContext& context,
                                      const Route& route) const;
  asio::awaitable<Response> dispatch(RequestContext& context) const;
  // The answer to a request no route takes: 404, 405 with Allow, or OPTIONS' 204 with Allow.
  Response unrouted(const RequestContext& context, const RouteMatch& match) const;
  // The 426 for a request that is no WebSocket upgrade, or the 403 for a foreign Origin.
  std::optional<ApiError> check_upgrade(const Request& request) const;
  // Fills in the answer's standard headers, CORS and keep-alive, and writes the access log.
  void finish(Answer& answer, const Request& request, std::string_view path,
              const ConnectionInfo& connection,
              std::chrono::steady_clock::time_point started) const;

  const Router& router_;
  const CorsPolicy& cors_;
  Logger& logger_;
  bool access_log_;
  std::vector<std::unique_ptr<Middleware>> stages_;
  RequestMetrics* metrics_ = nullptr;
};

// GET /v1 and GET /v1/ws: the WebSocket progress channel (Access::websocket). The handler grants
// every upgrade that got through the pipeline's checks; the server serves it.
void add_websocket_routes(Router& router);

// An awaitable that yields `response` at once: how a stage that is not a coroutine answers.
asio::awaitable<Response> answer_now(Response response);

// An error response for `context`'s request.
Response error_response(const RequestContext& context, const ApiError& error);

// The same, for a known request id.
Response error_response(std::string_view request_id, const ApiError& error);

}  // namespace seoagents::http
