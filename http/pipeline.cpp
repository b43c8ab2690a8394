// The request pipeline and the headers every response carries.
#include "http/pipeline.hpp"

#include <array>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/url/parse.hpp>
#include <chrono>

#include "core/random_id.hpp"
#include "http/websocket_handshake.hpp"

namespace seoagents::http {
namespace {

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

// True when `target` is an origin-form target (RFC 9112 §3.2.1) made only of characters that
// need no further check: '/' first, then unreserved and sub-delims characters, ':', '@', '/' and
// '?'. Other targets (percent-encoded, or invalid) are left to Boost.URL's full parser.
bool is_plain_origin_form(std::string_view target) {
  static constexpr auto kAllowed = [] {
    std::array<bool, 256> allowed{};
    for (char c : std::string_view("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                                   "-._~!$&'()*+,;=:@/?")) {
      allowed[static_cast<unsigned char>(c)] = true;
    }
    return allowed;
  }();
  if (target.empty() || target.front() != '/') return false;
  for (char c : target) {
    if (!kAllowed[static_cast<unsigned char>(c)]) return false;
  }
  return true;
}

bool is_valid_origin_form(std::string_view target) {
  return is_plain_origin_form(target) || boost::urls::parse_origin_form(target).has_value();
}

// Content-Length for every status that may have a body; 1xx, 204 and 304 have none (RFC 9110).
std::optional<std::size_t> content_length_of(const Response& response) {
  unsigned status = response.result_int();
  if (status / 100 == 1 || status == 204 || status == 304) return std::nullopt;
  return response.body().size();
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

// Not a coroutine: the stage's (or the handler's) own awaitable is handed back as it is, so
// passing a request from one stage to the next costs no coroutine frame of its own.
asio::awaitable<Response> Pipeline::run_stage(std::size_t index, RequestContext& context,
                                              const Route& route) const {
  if (index == stages_.size()) return route.handler(context);
  return stages_[index]->handle(context, route, Middleware::Next(*this, index + 1));
}

asio::awaitable<Response> answer_now(Response response) {
  co_return response;
}

// Not a coroutine: it answers at once (404, 405, preflight, a refused upgrade) or hands back
// the awaitable of the first stage or of an open route's handler.
asio::awaitable<Response> Pipeline::dispatch(RequestContext& context) const {
  const Request& request = context.request;
  RouteMatch match = router_.match(request.method(), context.path);
  if (CorsPolicy::is_preflight(request)) {
    if (!match.path_found)
      return answer_now(error_response(context, errors::route_not_found(context.path)));
    Response response = empty_response(bhttp::status::no_content);
    std::string_view origin = request[bhttp::field::origin];
    if (cors_.allows(origin)) cors_.add_preflight_headers(response, origin, match.allow);
    return answer_now(std::move(response));
  }
  if (match.route == nullptr) return answer_now(unrouted(context, match));
  context.params = std::move(match.params);
  context.route = match.route;
  if (match.route->access == Access::websocket) {
    if (auto refusal = check_upgrade(request)) {
      Response response = error_response(context, *refusal);
      if (refusal->status == bhttp::status::upgrade_required) {
        response.set(bhttp::field::upgrade, "websocket");
      }
      return answer_now(std::move(response));
    }
  }
  if (match.route->access == Access::open) return match.route->handler(context);
  return run_stage(0, context, *match.route);
}

Response Pipeline::unrouted(const RequestContext& context, const RouteMatch& match) const {
  const Request& request = context.request;
  if (!match.path_found) return error_response(context, errors::route_not_found(context.path));
  if (request.method() == bhttp::verb::options) {
    Response response = empty_response(bhttp::status::no_content);
    response.set(bhttp::field::allow, match.allow);
    return response;
  }
  Response response = error_response(context, errors::method_not_allowed(request.method_string()));
  response.set(bhttp::field::allow, match.allow);
  return response;
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

asio::awaitable<Answer> Pipeline::handle(Request& request, const ConnectionInfo& connection,
                                         std::optional<Principal>* upgrade) const {
  auto started = std::chrono::steady_clock::now();
  Answer answer;
  answer.headers.request_id = request_id_for(&request);
  const std::string& request_id = answer.headers.request_id;
  Response& response = answer.response;
  std::string_view target = origin_form(request.target());
  const Route* route = nullptr;
  std::string_view path = target.substr(0, target.find('?'));
  if (!is_valid_origin_form(target)) {
    response = error_response(request_id, errors::bad_request("Malformed request target"));
  } else {
    std::string_view query = path.size() < target.size() ? target.substr(path.size() + 1) : "";
    RequestContext context{request, connection, request_id, path, query, {}, std::nullopt};
    try {
      response = co_await dispatch(context);
      route = context.route;
      answer.headers.rate_limit = context.rate_limit;
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
  finish(answer, request, path, connection, started);
  if (metrics_ != nullptr) {
    metrics_->record(route, request.method(), response.result_int(),
                     std::chrono::steady_clock::now() - started);
  }
  co_return answer;
}

Response Pipeline::reject(const ApiError& error, const Request* request,
                          const ConnectionInfo& connection) const {
  auto started = std::chrono::steady_clock::now();
  Answer answer;
  answer.headers.request_id = request_id_for(request);
  answer.response = error_response(answer.headers.request_id, error);
  Request fallback;
  const Request& base = request != nullptr ? *request : fallback;
  std::string_view target = base.target();
  finish(answer, base, target.substr(0, target.find('?')), connection, started);
  if (metrics_ != nullptr) {
    metrics_->record(nullptr, base.method(), answer.response.result_int(),
                     std::chrono::steady_clock::now() - started);
  }
  answer.response.keep_alive(false);
  return std::move(answer).complete();
}

void Pipeline::finish(Answer& answer, const Request& request, std::string_view path,
                      const ConnectionInfo& connection,
                      std::chrono::steady_clock::time_point started) const {
  Response& response = answer.response;
  response.version(request.version() == 10 ? 10 : 11);
  // Not stored by caches (answers carry account data) unless the handler set its own policy.
  answer.headers.no_store = response.find(bhttp::field::cache_control) == response.end();
  if (!CorsPolicy::is_preflight(request)) {
    std::string_view origin = request[bhttp::field::origin];
    if (cors_.allows(origin)) cors_.add_response_headers(response, origin);
  }
  response.keep_alive(request.keep_alive());
  answer.headers.content_length = content_length_of(response);
  const std::string& request_id = answer.headers.request_id;
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
