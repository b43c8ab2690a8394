// The request pipeline and the headers every response carries.
#include "http/pipeline.hpp"

#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/url/parse.hpp>
#include <chrono>

#include "core/clock.hpp"
#include "core/random_id.hpp"
#include "http/websocket_handshake.hpp"

namespace seoagents::http {
namespace {

constexpr std::string_view kServerName = "seoagents";

// An incoming X-Request-Id is kept when it is 1–128 characters of [A-Za-z0-9._:-].
bool is_well_formed_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

std::string request_id_for(const Request* request) {
  if (request != nullptr) {
    auto it = request->find("X-Request-Id");
    if (it != request->end() && is_well_formed_request_id(it->value())) {
      return std::string(it->value());
    }
  }
  return make_request_id();
}

// The path-and-query part of a request target. Absolute-form targets ("http://host/path?q"),
// which RFC 9112 asks servers to accept, are reduced to it; anything else is returned as it is
// and validated by the caller.
std::string_view origin_form(std::string_view target) {
  if (target.starts_with("/")) return target;
  auto absolute = boost::urls::parse_absolute_uri(target);
  if (!absolute || (absolute->scheme() != "http" && absolute->scheme() != "https")) return target;
  std::string_view rest = target.substr(target.find("//") + 2);
  std::size_t start = rest.find_first_of("/?");
  if (start == std::string_view::npos) return "/";
  return rest[start] == '/' ? rest.substr(start) : target;
}

Response empty_response(bhttp::status status) {
  Response response;
  response.result(status);
  return response;
}

ApiError upgrade_required() {
  return {bhttp::status::upgrade_required,
          "UPGRADE_REQUIRED",
          "This is the WebSocket progress channel: connect with a WebSocket client",
          {}};
}

ApiError origin_not_allowed(std::string_view origin) {
  std::string message = "Origin not allowed: ";
  message.append(origin);
  return {bhttp::status::forbidden, "FORBIDDEN", std::move(message), {}};
}

// The 101 the pipeline grants: it selects the channel's subprotocol when the client offers it
// (a browser that sent its credential as a subprotocol must see one of its offers selected, or
// it drops the connection).
Response upgrade_response(const Request& request) {
  Response response = empty_response(bhttp::status::switching_protocols);
  if (offers_channel_protocol(request)) {
    response.set(bhttp::field::sec_websocket_protocol, kChannelProtocol);
  }
  return response;
}

asio::awaitable<Response> grant_upgrade(RequestContext& context) {
  co_return upgrade_response(context.request);
}

}  // namespace

void add_websocket_routes(Router& router) {
  router.add(bhttp::verb::get, "/v1", grant_upgrade, Access::websocket);
  router.add(bhttp::verb::get, "/v1/ws", grant_upgrade, Access::websocket);
}

Response json_response(bhttp::status status, std::string body) {
  Response response;
  response.result(status);
  response.set(bhttp::field::content_type, "application/json");
  response.body() = std::move(body);
  return response;
}

Response error_response(std::string_view request_id, const ApiError& error) {
  return json_response(error.status, render_error_body(error, request_id));
}

Response error_response(const RequestContext& context, const ApiError& error) {
  return error_response(context.request_id, error);
}

asio::awaitable<Response> Middleware::Next::operator()(RequestContext& context,
                                                       const Route& route) const {
  return pipeline_.run_stage(index_, context, route);
}

Pipeline::Pipeline(const Router& router, const CorsPolicy& cors, Logger& logger, bool access_log)
    : router_(router), cors_(cors), logger_(logger), access_log_(access_log) {}

void Pipeline::add(std::unique_ptr<Middleware> stage) {
  stages_.push_back(std::move(stage));
}

asio::awaitable<Response> Pipeline::run_stage(std::size_t index, RequestContext& context,
                                              const Route& route) const {
  if (index == stages_.size()) {
    co_return co_await route.handler(context);
  }
  co_return co_await stages_[index]->handle(context, route, Middleware::Next(*this, index + 1));
}

asio::awaitable<Response> Pipeline::dispatch(RequestContext& context) const {
  const Request& request = context.request;
  RouteMatch match = router_.match(request.method(), context.path);
  if (CorsPolicy::is_preflight(request)) {
    if (!match.path_found) co_return error_response(context, errors::route_not_found(context.path));
    Response response = empty_response(bhttp::status::no_content);
    std::string_view origin = request[bhttp::field::origin];
    if (cors_.allows(origin)) cors_.add_preflight_headers(response, origin, match.allow);
    co_return response;
  }
  if (match.route == nullptr) {
    if (!match.path_found) co_return error_response(context, errors::route_not_found(context.path));
    if (request.method() == bhttp::verb::options) {
      Response response = empty_response(bhttp::status::no_content);
      response.set(bhttp::field::allow, match.allow);
      co_return response;
    }
    Response response =
        error_response(context, errors::method_not_allowed(request.method_string()));
    response.set(bhttp::field::allow, match.allow);
    co_return response;
  }
  context.params = std::move(match.params);
  context.route = match.route;
  if (match.route->access == Access::websocket) {
    if (auto refusal = check_upgrade(request)) {
      Response response = error_response(context, *refusal);
      if (refusal->status == bhttp::status::upgrade_required) {
        response.set(bhttp::field::upgrade, "websocket");
      }
      co_return response;
    }
  }
  if (match.route->access == Access::open) {
    co_return co_await match.route->handler(context);
  }
  co_return co_await run_stage(0, context, *match.route);
}

std::optional<ApiError> Pipeline::check_upgrade(const Request& request) const {
  if (!beast::websocket::is_upgrade(request)) return upgrade_required();
  auto origin = request.find(bhttp::field::origin);
  if (origin != request.end() && !cors_.allows(origin->value()) &&
      !is_same_origin(origin->value(), request)) {
    return origin_not_allowed(origin->value());
  }
  return std::nullopt;
}

asio::awaitable<Response> Pipeline::handle(Request& request, const ConnectionInfo& connection,
                                           std::optional<Principal>* upgrade) const {
  auto started = std::chrono::steady_clock::now();
  std::string request_id = request_id_for(&request);
  std::string_view target = origin_form(request.target());
  Response response;
  const Route* route = nullptr;
  std::string_view path = target.substr(0, target.find('?'));
  if (!boost::urls::parse_origin_form(target)) {
    response = error_response(request_id, errors::bad_request("Malformed request target"));
  } else {
    std::string_view query = path.size() < target.size() ? target.substr(path.size() + 1) : "";
    RequestContext context{request, connection, request_id, path, query, {}, std::nullopt};
    try {
      response = co_await dispatch(context);
      route = context.route;
      if (response.result() == bhttp::status::switching_protocols) {
        if (upgrade == nullptr || !context.principal) {
          response = error_response(request_id, errors::route_not_found(path));
        } else {
          *upgrade = std::move(context.principal);
        }
      }
    } catch (const std::exception& e) {
      logger_.error("handler_failed",
                    {{"request_id", request_id}, {"path", path}, {"error", e.what()}});
      response = error_response(request_id, errors::internal_error());
    } catch (...) {
      logger_.error("handler_failed",
                    {{"request_id", request_id}, {"path", path}, {"error", "unknown exception"}});
      response = error_response(request_id, errors::internal_error());
    }
  }
  finish(response, request, request_id, path, connection, started);
  if (metrics_ != nullptr) {
    metrics_->record(route, request.method(), response.result_int(),
                     std::chrono::steady_clock::now() - started);
  }
  co_return response;
}

Response Pipeline::reject(const ApiError& error, const Request* request,
                          const ConnectionInfo& connection) const {
  auto started = std::chrono::steady_clock::now();
  std::string request_id = request_id_for(request);
  Response response = error_response(request_id, error);
  Request fallback;
  const Request& base = request != nullptr ? *request : fallback;
  std::string_view target = base.target();
  finish(response, base, request_id, target.substr(0, target.find('?')), connection, started);
  if (metrics_ != nullptr) {
    metrics_->record(nullptr, base.method(), response.result_int(),
                     std::chrono::steady_clock::now() - started);
  }
  response.keep_alive(false);
  return response;
}

void Pipeline::finish(Response& response, const Request& request, std::string_view request_id,
                      std::string_view path, const ConnectionInfo& connection,
                      std::chrono::steady_clock::time_point started) const {
  response.version(request.version() == 10 ? 10 : 11);
  response.set(bhttp::field::server, kServerName);
  response.set(bhttp::field::date, http_date_now());
  response.set("X-Request-Id", request_id);
  // Answers are JSON for API clients: never sniffed as something else, and not stored by
  // caches (they carry account data) unless the handler set its own policy.
  response.set("X-Content-Type-Options", "nosniff");
  if (response.find(bhttp::field::cache_control) == response.end()) {
    response.set(bhttp::field::cache_control, "no-store");
  }
  if (!CorsPolicy::is_preflight(request)) {
    std::string_view origin = request[bhttp::field::origin];
    if (cors_.allows(origin)) cors_.add_response_headers(response, origin);
  }
  response.keep_alive(request.keep_alive());
  if (response.result() == bhttp::status::no_content) {
    response.erase(bhttp::field::content_length);  // a 204 carries no Content-Length (RFC 9110)
  } else {
    response.prepare_payload();
  }
  if (!access_log_) return;
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - started)
                    .count();
  logger_.info("request", {{"request_id", request_id},
                           {"method", request.method_string()},
                           {"path", path},
                           {"status", response.result_int()},
                           {"bytes", static_cast<std::uint64_t>(response.body().size())},
                           {"us", static_cast<std::int64_t>(micros)},
                           {"remote", connection.remote_address}});
}

}  // namespace seoagents::http
