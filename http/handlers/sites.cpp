// /v1/dashboard/sites: WordPress sites — register, list, read, update, remove, and verify (real
// HTTP(S) calls to the site's REST API through the outbound client and its SSRF guard). The
// application password is stored sealed and never returned.
#include "storage/sites.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>

#include "core/clock.hpp"
#include "core/json_writer.hpp"
#include "core/url_guard.hpp"
#include "http/handlers/handlers.hpp"
#include "http/handlers/representations.hpp"
#include "http/pipeline.hpp"
#include "http/request_body.hpp"
#include "jobs/wordpress/rest.hpp"
#include "storage/agents.hpp"

namespace seoagents::http::handlers {
namespace {

constexpr std::string_view kList = "sites";
constexpr std::string_view kPath = "/v1/dashboard/sites";
constexpr std::string_view kKind = "Site";

using SiteResult = Expected<storage::Site, ApiError>;

// The URL as stored: http or https, host lowercased, the scheme's default port and trailing
// slashes dropped (paths such as /wp-json/ are appended to it), so no query.
std::optional<std::string> normalized_site_url(FieldValidator& fields, std::string_view text) {
  auto parsed = parse_outbound_url(text);
  if (!parsed) {
    fields.fail("url", parsed.error());
    return std::nullopt;
  }
  if (parsed->target.find('?') != std::string::npos) {
    fields.fail("url", "must not have a query: it is the base the WordPress REST paths follow");
    return std::nullopt;
  }
  std::string_view path = parsed->target;
  while (path.ends_with('/'))
    path.remove_suffix(1);
  std::string url = parsed->scheme;
  url.append("://").append(host_header_value(*parsed)).append(path);
  return url;
}

// The fields POST (all required) and PUT (any of them) share; a field is set when it was given
// and valid.
struct SiteFields {
  std::optional<std::string> url;
  std::optional<std::string> name;
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::optional<std::int64_t> rank_alert_threshold;
};

SiteFields read_site_fields(FieldValidator& fields, bool creating) {
  fields.allow_only({"url", "name", "username", "application_password", "rank_alert_threshold"});
  SiteFields site;
  if (auto url = fields.text("url", creating, 1, kMaxOutboundUrlLength)) {
    site.url = normalized_site_url(fields, *url);
  }
  site.name = fields.text("name", creating, 1, 200);
  site.username = fields.text("username", creating, 1, 200);
  if (site.username && site.username->find(':') != std::string::npos) {
    // HTTP Basic authentication ends the user name at the first colon.
    fields.fail("username", "must not contain ':'");
    site.username.reset();
  }
  site.password = fields.text("application_password", creating, 1, 200);
  site.rank_alert_threshold = fields.integer("rank_alert_threshold", false, 1, 100);
  return site;
}

ApiError unsafe_url(std::string issue) {
  return {bhttp::status::bad_request,
          "UNSAFE_URL",
          "The site URL points at an address the server does not connect to",
          {{"url", std::move(issue)}}};
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
  SiteFields given = read_site_fields(fields, true);
  if (!fields.ok()) co_return error_response(context, fields.error());
  if (auto issue = co_await refused_target_issue(*given.url, services.allow_private_targets)) {
    co_return error_response(context, unsafe_url(std::move(*issue)));
  }

  storage::Site site;
  site.id = storage::new_site_id();
  site.account_id = context.principal->account_id;
  site.name = *given.name;
  site.url = *given.url;
  site.username = *given.username;
  site.password_sealed = services.secrets->seal(*given.password, site.id);
  site.rank_alert_threshold =
      given.rank_alert_threshold.value_or(storage::kDefaultRankAlertThreshold);
  site.created_at = site.updated_at = storage::now_ms();
  auto written =
      co_await services.store->write<SiteResult>([&site](storage::Connection& db) -> SiteResult {
        storage::insert_site(db, site);
        return site;
      });
  Response response = answer(context, services, written, bhttp::status::created);
  if (response.result() == bhttp::status::created) {
    std::string location(kPath);
    location.append("/").append(site.id);
    response.set(bhttp::field::location, location);
  }
  co_return response;
}

asio::awaitable<Response> list_sites(const ResourceServices& services, RequestContext& context) {
  const std::string& account_id = context.principal->account_id;
  auto page = parse_page_request(context.query, kList, account_id,
                                 {"created_at", "updated_at", "name"}, *services.cursors);
  if (!page) co_return error_response(context, page.error());
  auto sites = storage::list_sites(services.store->reader(), account_id, page->sort_field,
                                   page->descending, page_position(page->after), page->limit + 1);
  auto position_of = [&page](const storage::Site& site) {
    auto position = storage::site_position(site, page->sort_field);
    return cursor_position(position.sort_value, position.id);
  };
  co_return json_response(bhttp::status::ok, render_list_page(sites, *page, *services.cursors,
                                                              position_of, write_site));
}

asio::awaitable<Response> get_site(const ResourceServices& services, RequestContext& context) {
  auto site = owned_site(services.store->reader(), context.principal->account_id,
                         std::string(context.param("id")));
  if (!site) co_return error_response(context, site.error());
  co_return json_response(bhttp::status::ok, site_json(*site));
}

// Copies onto `site` the fields the request gave.
void apply_changes(const SiteFields& given, const SecretBox& secrets, storage::Site& site) {
  if (given.name) site.name = *given.name;
  if (given.rank_alert_threshold) site.rank_alert_threshold = *given.rank_alert_threshold;
  if (given.url || given.username || given.password) {
    // Where or as whom the server connects changed: the last verification no longer holds.
    site.verification_status = "unverified";
    site.last_verified_at.reset();
  }
  if (given.url) site.url = *given.url;
  if (given.username) site.username = *given.username;
  if (given.password) site.password_sealed = secrets.seal(*given.password, site.id);
  // Every change moves updated_at forward, even within the same millisecond: verify relies on
  // it to notice a change made while it was talking to the site.
  site.updated_at = std::max(storage::now_ms(), site.updated_at + 1);
}

asio::awaitable<Response> update_site(const ResourceServices& services, RequestContext& context) {
  auto body = parse_json_object(context.request);
  if (!body) co_return error_response(context, body.error());
  FieldValidator fields(*body);
  SiteFields given = read_site_fields(fields, false);
  if (!fields.ok()) co_return error_response(context, fields.error());
  if (given.url) {
    if (auto issue = co_await refused_target_issue(*given.url, services.allow_private_targets)) {
      co_return error_response(context, unsafe_url(std::move(*issue)));
    }
  }

  std::string site_id(context.param("id"));
  std::string account_id = context.principal->account_id;
  auto written =
      co_await services.store->write<SiteResult>([&](storage::Connection& db) -> SiteResult {
        auto site = owned_site(db, account_id, site_id);
        if (!site) return site;
        apply_changes(given, *services.secrets, *site);
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
  auto response =
      co_await client.send(wordpress::anonymous_rest_request(bhttp::verb::get, site.url, ""));
  if (!response) {
    check.detail = wordpress::describe_failure(response.error());
    co_return check;
  }
  outcome.latency += response->latency;
  boost::system::error_code ec;
  auto value = boost::json::parse(response->body, ec);
  if (response->status != 200 || ec || !value.is_object() ||
      !value.as_object().contains("namespaces")) {
    check.detail = response->status != 200 ? wordpress::describe_error(*response)
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

// The detail of a 401 to the stored credentials.
std::string refused_credentials(const OutboundResponse& response) {
  std::string detail("WordPress refused the user name or application password (");
  detail.append(wordpress::describe_error(response)).append(")");
  return detail;
}

// GET {url}/wp-json/wp/v2/users/me?context=edit with Basic auth: are the credentials good, and
// may this user publish?
asio::awaitable<Check> check_credentials(OutboundClient& client, const storage::Site& site,
                                         const std::string& password, VerifyOutcome& outcome) {
  Check check;
  check.name = "credentials";
  wordpress::SiteCredentials credentials{site.url, site.username, password};
  auto response = co_await client.send(
      wordpress::rest_request(bhttp::verb::get, credentials, "wp/v2/users/me?context=edit"));
  if (!response) {
    check.detail = wordpress::describe_failure(response.error());
    co_return check;
  }
  outcome.latency += response->latency;
  if (response->status != 200) {
    check.detail = response->status == 401 ? refused_credentials(*response)
                                           : wordpress::describe_error(*response);
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

// The checks in order; the credentials are tried only on a WordPress that answered.
asio::awaitable<VerifyOutcome> run_checks(OutboundClient& client, const storage::Site& site,
                                          const std::string& password) {
  VerifyOutcome outcome;
  outcome.checks.push_back(co_await check_reachable(client, site, outcome));
  if (outcome.checks.back().ok) {
    outcome.checks.push_back(co_await check_credentials(client, site, password, outcome));
  }
  co_return outcome;
}

// Records the outcome on the site, unless the site was changed or removed since `checked` was
// read: then what the change set stands.
std::function<bool(storage::Connection&)> record_verification(const storage::Site& checked,
                                                              bool ok) {
  return [site_id = checked.id, updated_at = checked.updated_at, ok](storage::Connection& db) {
    auto current = storage::find_site(db, site_id);
    if (!current || current->updated_at != updated_at) return false;
    current->verification_status = ok ? "verified" : "failed";
    current->last_verified_at = storage::now_ms();
    storage::update_site(db, *current);
    return true;
  };
}

asio::awaitable<Response> verify_site(const ResourceServices& services, RequestContext& context) {
  auto site = owned_site(services.store->reader(), context.principal->account_id,
                         std::string(context.param("id")));
  if (!site) co_return error_response(context, site.error());
  auto password = services.secrets->open(site->password_sealed, site->id);
  if (!password) {
    services.logger->error("site_secret_unreadable",
                           {{"request_id", context.request_id}, {"site", site->id}});
    co_return error_response(context, errors::internal_error());
  }
  VerifyOutcome outcome = co_await run_checks(*services.outbound, *site, *password);
  auto written = co_await services.store->write<bool>(record_verification(*site, outcome.ok()));
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
