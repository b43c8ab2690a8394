// GET /v1/dashboard/stats and /v1/dashboard/chart-data: the caller's dashboard numbers (active
// agents, articles and their mean score, jobs in flight and finished in the last 24 hours;
// daily activity, per-agent categories and per-type job counts over ?days=, 1–365, default 30).
#include "storage/dashboard.hpp"

#include <charconv>

#include "core/json_writer.hpp"
#include "http/handlers/handlers.hpp"
#include "http/pipeline.hpp"
#include "http/request_body.hpp"
#include "jobs/engine.hpp"

namespace seoagents::http::handlers {
namespace {

constexpr int kDefaultDays = 30;
constexpr int kMaxDays = 365;

void optional_score(JsonWriter& json, std::string_view name, const std::optional<double>& score) {
  json.key(name);
  if (score) {
    json.value(*score);
  } else {
    json.null();
  }
}

std::string stats_body(const storage::DashboardStats& stats) {
  std::string body;
  JsonWriter json(body);
  json.begin_object()
      .member("active_agents", stats.active_agents)
      .member("total_articles", stats.total_articles);
  optional_score(json, "avg_score", stats.avg_score);
  json.key("jobs")
      .begin_object()
      .member("pending", stats.jobs_pending)
      .member("processing", stats.jobs_processing)
      .member("completed_24h", stats.jobs_completed_24h)
      .member("failed_24h", stats.jobs_failed_24h)
      .end_object()
      .end_object();
  return body;
}

asio::awaitable<Response> get_stats(const ResourceServices& services, RequestContext& context) {
  auto stats = storage::dashboard_stats(services.store->reader(), context.principal->account_id,
                                        services.jobs->now());
  co_return json_response(bhttp::status::ok, stats_body(stats));
}

Expected<int, ApiError> days_parameter(std::string_view query) {
  auto text = query_parameter(query, "days");
  if (!text) return kDefaultDays;
  int days = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), days);
  if (ec != std::errc() || end != text->data() + text->size() || days < 1 || days > kMaxDays) {
    return unexpected(ApiError{bhttp::status::bad_request,
                               "VALIDATION_ERROR",
                               "Invalid query parameter: days",
                               {{"days", "must be an integer from 1 to 365"}}});
  }
  return days;
}

std::string chart_body(const storage::ChartData& chart, int days) {
  std::string body;
  body.reserve(256 + chart.activity.size() * 96 + chart.categories.size() * 128);
  JsonWriter json(body);
  json.begin_object().member("days", days).key("activity").begin_array();
  for (const auto& day : chart.activity) {
    json.begin_object()
        .member("date", day.date)
        .member("jobs_created", day.jobs_created)
        .member("jobs_completed", day.jobs_completed)
        .member("articles", day.articles)
        .end_object();
  }
  json.end_array().key("categories").begin_array();
  for (const auto& category : chart.categories) {
    json.begin_object()
        .member("agent_id", category.agent_id)
        .member("name", category.name)
        .member("articles", category.articles);
    optional_score(json, "avg_score", category.avg_score);
    json.end_object();
  }
  json.end_array().key("job_types").begin_object();
  for (const auto& type : chart.job_types) {
    json.key(type.job_type)
        .begin_object()
        .member("created", type.created)
        .member("completed", type.completed)
        .member("failed", type.failed)
        .end_object();
  }
  json.end_object().end_object();
  return body;
}

asio::awaitable<Response> get_chart_data(const ResourceServices& services,
                                         RequestContext& context) {
  auto days = days_parameter(context.query);
  if (!days) co_return error_response(context, days.error());
  auto chart = storage::chart_data(services.store->reader(), context.principal->account_id, *days,
                                   services.jobs->now());
  co_return json_response(bhttp::status::ok, chart_body(chart, *days));
}

}  // namespace

void add_dashboard_routes(Router& router, const ResourceServices& services) {
  router.add(bhttp::verb::get, "/v1/dashboard/stats",
             [services](RequestContext& context) { return get_stats(services, context); });
  router.add(bhttp::verb::get, "/v1/dashboard/chart-data",
             [services](RequestContext& context) { return get_chart_data(services, context); });
}

}  // namespace seoagents::http::handlers
