// /v1/dashboard/sites: WordPress sites — register, list, read, update, remove, and verify (real
// HTTP(S) calls to the site's REST API through the outbound client and its SSRF guard).
#include "storage/sites.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/json_writer.hpp"
#include "core/url_guard.hpp"
#include "http/handlers/handlers.hpp"
#include "http/handlers/representations.hpp"
#include "http/pipeline.hpp"
#include "http/request_body.hpp"
#include "storage/agents.hpp"

namespace seoagents::http::handlers {
namespace {

constexpr std::string_view kList = "sites";
constexpr std::string_view kKind = "Site";

using SiteResult = Expected<storage::Site, ApiError>;

// The URL as stored: parsed, without a trailing slash (paths are appended to it).
std::optional<std::string> normalized_site_url(FieldValidator& fields, std::string_view url) {
  auto parsed = parse_outbound_url(url);
  if (!parsed) {
    fields.fail("url", parsed.error());
    return std::nullopt;
  }
  std::string text(url);
  while (text.ends_with("/"))
    text.pop_back();
  return text;
}

ApiError unsafe_url(std::string issue) {
  return {bhttp::status::bad_request,
          "UNSAFE_URL",
          "The site URL points at an address the server does not connect to",
          {{"url", std::move(issue)}}};
}

// Refuses a URL whose host is, or resolves to, a non-public address. A name that does not
// resolve now is accepted: every request to the site checks again before connecting.
asio::awaitable<std::optional<ApiError>> check_public_target(std::string_view url,
                                                             bool allow_private) {
  if (allow_private) co_return std::nullopt;
  auto parsed = parse_outbound_url(url);
  if (!parsed) co_return unsafe_url(parsed.error());
  if (auto address = literal_address(*parsed)) {
    if (!is_public_address(*address)) co_return unsafe_url(refused_address_issue(*address));
    co_return std::nullopt;
  }
  asio::ip::tcp::resolver resolver(co_await asio::this_coro::executor);
  auto [ec, results] = co_await resolver.async_resolve(parsed->host, std::to_string(parsed->port),
                                                       asio::as_tuple(asio::use_awaitable));
  if (ec) co_return std::nullopt;
  for (const auto& entry : results) {
    auto address = entry.endpoint().address();
    if (!is_public_address(address)) co_return unsafe_url(refused_address_issue(address));
  }
  co_return std::nullopt;
}

Response answer(RequestContext& context, const ResourceServices& services,
                const Expected<SiteResult, storage::StorageError>& written, bhttp::status ok) {
  if (!written) {
    return error_response(context,
                          storage_failure(written.error(), *services.logger, context.request_id));
  }
  if (!*written) return error_response(context, written->error());
  return json_response(ok, site_json(**written));
}

Expected<storage::Site, ApiError> owned_site(storage::Connection& db, std::string_view account_id,
                                             const std::string& site_id) {
  auto site = storage::find_site(db, site_id);
  if (!site) return unexpected(errors::not_found(kKind, site_id));
  if (site->account_id != account_id) return unexpected(errors::forbidden(kKind, site_id));
  return *site;
}

asio::awaitable<Response> create_site(const ResourceServices& services, RequestContext& context) {
  auto body = parse_json_object(context.request);
  if (!body) co_return error_response(context, body.error());
  FieldValidator fields(*body);
  fields.allow_only({"url", "name", "username", "application_password"});
  auto url_text = fields.text("url", true, 1, kMaxOutboundUrlLength);
  auto name = fields.text("name", true, 1, 200);
  auto username = fields.text("username", true, 1, 200);
  auto password = fields.text("application_password", true, 1, 200);
  std::optional<std::string> url;
  if (url_text) url = normalized_site_url(fields, *url_text);
  if (!fields.ok()) co_return error_response(context, fields.error());
  if (auto unsafe = co_await check_public_target(*url, services.allow_private_targets)) {
    co_return error_response(context, *unsafe);
  }

  storage::Site site;
  site.id = storage::new_site_id();
  site.account_id = context.principal->account_id;
  site.name = *name;
  site.url = *url;
  site.username = *username;
  site.password_sealed = services.secrets->seal(*password, site.id);
  site.created_at = site.updated_at = storage::now_ms();
  auto written =
      co_await services.store->write<SiteResult>([&site](storage::Connection& db) -> SiteResult {
        storage::insert_site(db, site);
        return site;
      });
  Response response = answer(context, services, written, bhttp::status::created);
  if (response.result() == bhttp::status::created) {
    response.set(bhttp::field::location, "/v1/dashboard/sites/" + site.id);
  }
  co_return response;
}

asio::awaitable<Response> list_sites(const ResourceServices& services, RequestContext& context) {
  auto page = parse_page_request(context.query, kList, {"created_at", "updated_at", "name"},
                                 *services.cursors);
  if (!page) co_return error_response(context, page.error());
  auto sites =
      storage::list_sites(services.store->reader(), context.principal->account_id, page->sort_field,
                          page->descending, page_position(page->after), page->limit + 1);
  std::optional<std::string> next;
  if (sites.size() > page->limit) {
    sites.pop_back();
    auto position = storage::site_position(sites.back(), page->sort_field);
    boost::json::value sort_value;
    std::visit([&](const auto& v) { sort_value = boost::json::value(v); }, position.sort_value);
    next = services.cursors->encode(kList, page->sort_key(), {sort_value, position.id});
  }
  std::string items;
  for (const auto& site : sites) {
    if (!items.empty()) items += ',';
    JsonWriter json(items);
    write_site(json, site);
  }
  co_return json_response(bhttp::status::ok, render_page(items, next));
}

asio::awaitable<Response> get_site(const ResourceServices& services, RequestContext& context) {
  auto site = owned_site(services.store->reader(), context.principal->account_id,
                         std::string(context.param("id")));
  if (!site) co_return error_response(context, site.error());
  co_return json_response(bhttp::status::ok, site_json(*site));
}

asio::awaitable<Response> update_site(const ResourceServices& services, RequestContext& context) {
  auto body = parse_json_object(context.request);
  if (!body) co_return error_response(context, body.error());
  FieldValidator fields(*body);
  fields.allow_only({"url", "name", "username", "application_password"});
  auto url_text = fields.text("url", false, 1, kMaxOutboundUrlLength);
  auto name = fields.text("name", false, 1, 200);
  auto username = fields.text("username", false, 1, 200);
  auto password = fields.text("application_password", false, 1, 200);
  std::optional<std::string> url;
  if (url_text) url = normalized_site_url(fields, *url_text);
  if (!fields.ok()) co_return error_response(context, fields.error());
  if (url) {
    if (auto unsafe = co_await check_public_target(*url, services.allow_private_targets)) {
      co_return error_response(context, *unsafe);
    }
  }

  std::string site_id(context.param("id"));
  std::string account_id = context.principal->account_id;
  auto written =
      co_await services.store->write<SiteResult>([&](storage::Connection& db) -> SiteResult {
        auto site = owned_site(db, account_id, site_id);
        if (!site) return site;
        if (name) site->name = *name;
        if (url || username || password) {
          // Where or as whom the server connects changed: the last verification no longer holds.
          site->verification_status = "unverified";
          site->last_verified_at.reset();
        }
        if (url) site->url = *url;
        if (username) site->username = *username;
        if (password) site->password_sealed = services.secrets->seal(*password, site->id);
        site->updated_at = std::max(storage::now_ms(), site->updated_at);
        storage::update_site(db, *site);
        return site;
      });
  co_return answer(context, services, written, bhttp::status::ok);
}

asio::awaitable<Response> delete_site(const ResourceServices& services, RequestContext& context) {
  std::string site_id(context.param("id"));
  std::string account_id = context.principal->account_id;
  auto written =
      co_await services.store->write<SiteResult>([&](storage::Connection& db) -> SiteResult {
        auto site = owned_site(db, account_id, site_id);
        if (!site) return site;
        storage::detach_site_from_agents(db, site_id);
        storage::delete_site(db, site_id);
        return site;
      });
  co_return answer(context, services, written, bhttp::status::ok);
}

// --- verify ---

struct Check {
  std::string name;
  bool ok = false;
  std::string detail;
};

std::string failure_detail(const OutboundFailure& failure) {
  return std::string(to_string(failure.kind)) + ": " + failure.message;
}

// The "message"/"code" of a WordPress REST error body, when it has them.
std::string wordpress_error(const OutboundResponse& response) {
  boost::system::error_code ec;
  auto value = boost::json::parse(response.body, ec);
  std::string detail = "HTTP " + std::to_string(response.status);
  if (ec || !value.is_object()) return detail;
  const auto& object = value.as_object();
  if (const auto* code = object.if_contains("code"); code && code->is_string()) {
    detail += " " + std::string(code->as_string());
  }
  if (const auto* message = object.if_contains("message"); message && message->is_string()) {
    detail += ": " + std::string(message->as_string());
  }
  return detail;
}

struct VerifyOutcome {
  std::vector<Check> checks;
  std::optional<std::pair<std::string, std::string>> wordpress;  // name, url
  std::optional<boost::json::object> user;
  std::chrono::milliseconds latency{0};
  bool ok() const {
    return !checks.empty() &&
           std::all_of(checks.begin(), checks.end(), [](const Check& c) { return c.ok; });
  }
};

// GET {url}/wp-json/: is WordPress there, and what is it called?
asio::awaitable<Check> check_reachable(OutboundClient& client, const storage::Site& site,
                                       VerifyOutcome& outcome) {
  Check check;
  check.name = "wordpress_reachable";
  OutboundRequest request;
  request.url = site.url + "/wp-json/";
  auto response = co_await client.send(std::move(request));
  if (!response) {
    check.detail = failure_detail(response.error());
    co_return check;
  }
  outcome.latency += response->latency;
  boost::system::error_code ec;
  auto value = boost::json::parse(response->body, ec);
  if (response->status != 200 || ec || !value.is_object() ||
      !value.as_object().contains("namespaces")) {
    check.detail = response->status != 200 ? wordpress_error(*response)
                                           : "the answer is not a WordPress REST API index";
    co_return check;
  }
  const auto& index = value.as_object();
  auto text = [&](std::string_view key) {
    const auto* member = index.if_contains(key);
    return member && member->is_string() ? std::string(member->as_string()) : std::string();
  };
  outcome.wordpress.emplace(text("name"), text("url"));
  check.ok = true;
  check.detail = "WordPress REST API found";
  co_return check;
}

// GET {url}/wp-json/wp/v2/users/me?context=edit with Basic auth: are the credentials good, and
// may this user publish?
asio::awaitable<Check> check_credentials(OutboundClient& client, const storage::Site& site,
                                         const std::string& password, VerifyOutcome& outcome) {
  Check check;
  check.name = "credentials";
  std::string basic = base64_encode(site.username + ":" + password);
  OutboundRequest request;
  request.url = site.url + "/wp-json/wp/v2/users/me?context=edit";
  request.headers.emplace_back("Authorization", "Basic " + basic);
  auto response = co_await client.send(std::move(request));
  if (!response) {
    check.detail = failure_detail(response.error());
    co_return check;
  }
  outcome.latency += response->latency;
  if (response->status != 200) {
    check.detail = wordpress_error(*response);
    co_return check;
  }
  boost::system::error_code ec;
  auto value = boost::json::parse(response->body, ec);
  if (ec || !value.is_object()) {
    check.detail = "the answer is not a WordPress user";
    co_return check;
  }
  const auto& me = value.as_object();
  bool can_publish = false;
  if (const auto* caps = me.if_contains("capabilities"); caps && caps->is_object()) {
    const auto* publish = caps->as_object().if_contains("publish_posts");
    can_publish = publish && publish->is_bool() && publish->as_bool();
  }
  boost::json::object user;
  user["id"] = me.contains("id") ? me.at("id") : boost::json::value(nullptr);
  user["name"] = me.contains("name") ? me.at("name") : boost::json::value(nullptr);
  user["can_publish"] = can_publish;
  outcome.user = std::move(user);
  check.ok = can_publish;
  check.detail = can_publish ? "credentials accepted; the user can publish posts"
                             : "credentials accepted, but the user cannot publish posts";
  co_return check;
}

std::string verify_json(const VerifyOutcome& outcome) {
  std::string body;
  JsonWriter json(body);
  json.begin_object().member("ok", outcome.ok()).key("checks").begin_array();
  for (const Check& check : outcome.checks) {
    json.begin_object()
        .member("name", check.name)
        .member("ok", check.ok)
        .member("detail", check.detail)
        .end_object();
  }
  json.end_array().key("wordpress");
  if (outcome.wordpress) {
    json.begin_object()
        .member("name", outcome.wordpress->first)
        .member("url", outcome.wordpress->second)
        .end_object();
  } else {
    json.null();
  }
  json.key("user");
  if (outcome.user) {
    json.raw(boost::json::serialize(*outcome.user));
  } else {
    json.null();
  }
  json.member("latency_ms", static_cast<std::int64_t>(outcome.latency.count())).end_object();
  return body;
}

asio::awaitable<Response> verify_site(const ResourceServices& services, RequestContext& context) {
  std::string site_id(context.param("id"));
  std::string account_id = context.principal->account_id;
  auto site = owned_site(services.store->reader(), account_id, site_id);
  if (!site) co_return error_response(context, site.error());
  auto password = services.secrets->open(site->password_sealed, site->id);
  if (!password) {
    services.logger->error("site_secret_unreadable",
                           {{"request_id", context.request_id}, {"site", site_id}});
    co_return error_response(context, errors::internal_error());
  }

  VerifyOutcome outcome;
  outcome.checks.push_back(co_await check_reachable(*services.outbound, *site, outcome));
  if (outcome.checks.back().ok) {
    outcome.checks.push_back(
        co_await check_credentials(*services.outbound, *site, *password, outcome));
  }
  std::string status = outcome.ok() ? "verified" : "failed";
  std::int64_t now = storage::now_ms();
  auto written = co_await services.store->write<bool>([&](storage::Connection& db) {
    auto current = storage::find_site(db, site_id);
    // A site changed or removed meanwhile keeps what the change set.
    if (!current || current->updated_at != site->updated_at) return false;
    current->verification_status = status;
    current->last_verified_at = now;
    storage::update_site(db, *current);
    return true;
  });
  if (!written) {
    co_return error_response(
        context, storage_failure(written.error(), *services.logger, context.request_id));
  }
  co_return json_response(bhttp::status::ok, verify_json(outcome));
}

}  // namespace

void add_site_routes(Router& router, const ResourceServices& services) {
  auto bind = [services](auto handler) {
    return [services, handler](RequestContext& context) { return handler(services, context); };
  };
  router.add(bhttp::verb::get, "/v1/dashboard/sites", bind(list_sites));
  router.add(bhttp::verb::post, "/v1/dashboard/sites", bind(create_site));
  router.add(bhttp::verb::get, "/v1/dashboard/sites/{id}", bind(get_site));
  router.add(bhttp::verb::put, "/v1/dashboard/sites/{id}", bind(update_site));
  router.add(bhttp::verb::delete_, "/v1/dashboard/sites/{id}", bind(delete_site));
  router.add(bhttp::verb::post, "/v1/dashboard/sites/{id}/verify", bind(verify_site));
}

}  // namespace seoagents::http::handlers
