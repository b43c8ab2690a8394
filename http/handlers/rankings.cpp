// /v1/dashboard/rankings: keyword positions of the account's sites — ingest a batch (from a
// Search Console export or any rank tracker; rank.alert raised where a position moved by the
// site's threshold or more) and read a site's history, newest first.
//
// POST takes {"rankings": [...]} or the bare array, 1 to 1,000 observations
// {site_id, keyword, position, url, observed_at}, stored all or nothing. A row naming a
// (site, keyword, observed_at) already stored is a duplicate: skipped and counted, never an
// error, so an export can be sent again safely.
#include "storage/rankings.hpp"

#include <boost/json/parse.hpp>
#include <set>

#include "core/clock.hpp"
#include "core/json_writer.hpp"
#include "core/url_guard.hpp"
#include "http/handlers/handlers.hpp"
#include "http/pipeline.hpp"
#include "http/request_body.hpp"
#include "jobs/webhooks/dispatcher.hpp"
#include "storage/sites.hpp"

namespace seoagents::http::handlers {
namespace {

namespace json = boost::json;

constexpr std::string_view kList = "rankings";
constexpr std::size_t kMaxBatch = 1000;
constexpr std::size_t kMaxKeywordLength = 200;
constexpr std::int64_t kMaxPosition = 10'000;
// An observation may be stamped at most this far ahead of the server's clock: one far in the
// future would be "the newest" for ever and silence the keyword's alerts.
constexpr std::int64_t kMaxFutureSkewMs = 24LL * 3600 * 1000;

using IngestResult = Expected<storage::IngestSummary, ApiError>;

ApiError invalid_query(std::string_view name, std::string issue) {
  std::string message("Invalid query parameter: ");
  message.append(name);
  return ApiError{bhttp::status::bad_request,
                  "VALIDATION_ERROR",
                  std::move(message),
                  {{std::string(name), std::move(issue)}}};
}

ApiError invalid_body(std::string field, std::string issue) {
  return ApiError{bhttp::status::bad_request,
                  "VALIDATION_ERROR",
                  "The request has invalid fields; see details",
                  {{std::move(field), std::move(issue)}}};
}

// The observations array: the body itself, or its "rankings" member.
Expected<json::array, ApiError> observations_array(const Request& request) {
  std::string_view body = request.body();
  std::size_t first = body.find_first_not_of(" \t\r\n");
  bool bare = first != std::string_view::npos && body[first] == '[';
  Request wrapped;
  if (bare) {
    wrapped = request;
    wrapped.body() = "{\"rankings\":";
    wrapped.body().append(body).append("}");
  }
  auto object = parse_json_object(bare ? wrapped : request);
  if (!object) return unexpected(object.error());
  FieldValidator fields(*object);
  fields.allow_only({"rankings"});
  const json::value* rankings = object->if_contains("rankings");
  if (!fields.ok()) return unexpected(fields.error());
  if (!rankings) return unexpected(invalid_body("rankings", "is required"));
  if (!rankings->is_array()) return unexpected(invalid_body("rankings", "must be an array"));
  const json::array& rows = rankings->get_array();
  if (rows.empty() || rows.size() > kMaxBatch) {
    return unexpected(
        invalid_body("rankings", "must have 1 to " + std::to_string(kMaxBatch) + " observations"));
  }
  return rows;
}

bool is_web_url(std::string_view text) {
  if (!text.starts_with("http://") && !text.starts_with("https://")) return false;
  return parse_outbound_url(text).has_value();
}

// Checks one row, its problems recorded in `issues` under "rankings[<index>].<field>".
std::optional<storage::RankingObservation> read_observation(const json::value& value,
                                                            std::size_t index, std::int64_t now,
                                                            std::vector<FieldIssue>& issues) {
  std::string prefix = "rankings[" + std::to_string(index) + "]";
  if (!value.is_object()) {
    issues.push_back({prefix, "must be an object"});
    return std::nullopt;
  }
  FieldValidator fields(value.get_object());
  fields.allow_only({"site_id", "keyword", "position", "url", "observed_at"});
  auto site_id = fields.text("site_id", true, 1, 64);
  auto keyword = fields.text("keyword", true, 1, kMaxKeywordLength);
  auto position = fields.integer("position", true, 1, kMaxPosition);
  auto url = fields.text("url", true, 1, kMaxOutboundUrlLength);
  if (url && !is_web_url(*url)) fields.fail("url", "must be an http or https URL");
  auto observed_text = fields.text("observed_at", true, 1, 64);
  std::optional<std::int64_t> observed_at;
  if (observed_text) {
    observed_at = parse_rfc3339_ms(*observed_text);
    if (!observed_at) {
      fields.fail("observed_at", "must be an RFC 3339 date-time, e.g. 2026-02-26T10:30:00Z");
    } else if (*observed_at > now + kMaxFutureSkewMs) {
      fields.fail("observed_at", "must not be more than 24 hours in the future");
    }
  }
  if (!fields.ok()) {
    ApiError error = fields.error();
    for (FieldIssue& issue : error.details)
      issues.push_back({prefix + "." + issue.field, std::move(issue.issue)});
    return std::nullopt;
  }
  return storage::RankingObservation{*site_id, *keyword, *position, *url, *observed_at};
}

Expected<std::vector<storage::RankingObservation>, ApiError> read_observations(
    const Request& request, std::int64_t now) {
  auto rows = observations_array(request);
  if (!rows) return unexpected(rows.error());
  std::vector<storage::RankingObservation> observations;
  observations.reserve(rows->size());
  std::vector<FieldIssue> issues;
  for (std::size_t index = 0; index < rows->size(); ++index) {
    if (auto observation = read_observation((*rows)[index], index, now, issues))
      observations.push_back(std::move(*observation));
  }
  if (!issues.empty()) {
    return unexpected(ApiError{bhttp::status::bad_request, "VALIDATION_ERROR",
                               "The request has invalid fields; see details", std::move(issues)});
  }
  return observations;
}

// The site `site_id` if it belongs to `account_id` (else 404 or 403).
Expected<storage::Site, ApiError> owned_site(storage::Connection& db, std::string_view account_id,
                                             const std::string& site_id) {
  auto site = storage::find_site(db, site_id);
  if (!site) return unexpected(errors::not_found("Site", site_id));
  if (site->account_id != account_id) return unexpected(errors::forbidden("Site", site_id));
  return *site;
}

// Every site the batch names must be the caller's: another account's → 403 (checked first, for
// every site), a missing one → 404.
std::optional<ApiError> check_sites(storage::Connection& db, std::string_view account_id,
                                    const std::vector<storage::RankingObservation>& observations) {
  std::set<std::string> site_ids;
  for (const storage::RankingObservation& observation : observations)
    site_ids.insert(observation.site_id);
  std::optional<ApiError> missing;
  for (const std::string& site_id : site_ids) {
    auto site = owned_site(db, account_id, site_id);
    if (site) continue;
    if (site.error().status == bhttp::status::forbidden) return site.error();
    if (!missing) missing = site.error();
  }
  return missing;
}

std::string summary_json(const storage::IngestSummary& summary) {
  std::string body;
  JsonWriter json(body);
  json.begin_object()
      .member("ingested", summary.ingested)
      .member("duplicates", summary.duplicates)
      .member("alerts", summary.alerts)
      .end_object();
  return body;
}

asio::awaitable<Response> ingest_rankings(const ResourceServices& services,
                                          RequestContext& context) {
  std::int64_t now = storage::now_ms();
  auto observations = read_observations(context.request, now);
  if (!observations) co_return error_response(context, observations.error());
  std::string account_id = context.principal->account_id;
  auto written = co_await services.store->write<IngestResult>(
      [&account_id, &observations, now](storage::Connection& db) -> IngestResult {
        if (auto refused = check_sites(db, account_id, *observations)) return unexpected(*refused);
        return storage::ingest_rankings(db, account_id, std::move(*observations), now);
      });
  if (!written) {
    co_return error_response(
        context, storage_failure(written.error(), *services.logger, context.request_id));
  }
  if (!*written) co_return error_response(context, written->error());
  // The alerts' deliveries are due now: the dispatcher need not wait for its next poll.
  if ((*written)->alerts > 0 && services.webhooks != nullptr) services.webhooks->wake();
  co_return json_response(bhttp::status::created, summary_json(**written));
}

void write_ranking(JsonWriter& json, const storage::Ranking& ranking) {
  json.begin_object()
      .member("id", ranking.id)
      .member("site_id", ranking.site_id)
      .member("keyword", ranking.keyword)
      .member("position", ranking.position)
      .key("previous_position");
  if (ranking.previous_position) {
    json.value(*ranking.previous_position);
  } else {
    json.null();
  }
  json.key("change");
  if (ranking.previous_position) {
    json.value(*ranking.previous_position - ranking.position);
  } else {
    json.null();
  }
  json.member("alerted", ranking.alerted)
      .member("url", ranking.url)
      .member("observed_at", format_rfc3339_ms(ranking.observed_at))
      .member("created_at", format_rfc3339_ms(ranking.created_at))
      .end_object();
}

// The list's query with its default order, newest first, made explicit (the shared default is
// created_at, which rankings do not sort by).
std::string with_default_sort(std::string_view query) {
  if (query_parameter(query, "sort")) return std::string(query);
  std::string explicit_query("sort=observed_at:desc");
  if (!query.empty()) explicit_query.append("&").append(query);
  return explicit_query;
}

asio::awaitable<Response> list_rankings(const ResourceServices& services, RequestContext& context) {
  const std::string& account_id = context.principal->account_id;
  auto site_id = query_parameter(context.query, "site_id");
  if (!site_id || site_id->empty())
    co_return error_response(context, invalid_query("site_id", "is required"));
  auto keyword = query_parameter(context.query, "keyword");
  if (keyword && (keyword->empty() || utf8_length(*keyword) > kMaxKeywordLength)) {
    co_return error_response(context, invalid_query("keyword", "must be 1 to 200 characters"));
  }
  auto site = owned_site(services.store->reader(), account_id, *site_id);
  if (!site) co_return error_response(context, site.error());
  std::string query = with_default_sort(context.query);
  auto page = parse_page_request(query, kList, account_id, {"observed_at"}, *services.cursors);
  if (!page) co_return error_response(context, page.error());
  auto rankings =
      storage::list_rankings(services.store->reader(), *site_id, keyword, page->descending,
                             page_position(page->after), page->limit + 1);
  auto position_of = [](const storage::Ranking& ranking) {
    auto position = storage::ranking_position(ranking);
    return cursor_position(position.sort_value, position.id);
  };
  co_return json_response(bhttp::status::ok, render_list_page(rankings, *page, *services.cursors,
                                                              position_of, write_ranking));
}

}  // namespace

void add_ranking_routes(Router& router, const ResourceServices& services) {
  auto bind = [services](auto handler) {
    return [services, handler](RequestContext& context) { return handler(services, context); };
  };
  router.add(bhttp::verb::post, "/v1/dashboard/rankings", bind(ingest_rankings));
  router.add(bhttp::verb::get, "/v1/dashboard/rankings", bind(list_rankings));
}

}  // namespace seoagents::http::handlers
