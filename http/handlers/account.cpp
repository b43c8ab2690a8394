// GET /v1/dashboard/account: the caller's account, its plan and limits, and its current usage
// (this request's standing against the rate limit; jobs running now).
#include "core/clock.hpp"
#include "core/json_writer.hpp"
#include "http/handlers/handlers.hpp"
#include "http/pipeline.hpp"
#include "storage/accounts.hpp"
#include "storage/jobs.hpp"

namespace seoagents::http::handlers {
namespace {

void write_usage(JsonWriter& json, const RequestContext& context, std::int64_t running_jobs) {
  json.key("usage").begin_object();
  if (context.rate_limit) {
    json.member("requests_remaining", context.rate_limit->remaining)
        .member("rate_limit_reset", context.rate_limit->reset_epoch_seconds);
  }
  json.member("running_jobs", running_jobs).end_object();
}

asio::awaitable<Response> get_account(const ResourceServices& services, RequestContext& context) {
  const Principal& principal = *context.principal;
  auto account = storage::find_account(services.store->reader(), principal.account_id);
  if (!account)
    co_return error_response(context, errors::not_found("Account", principal.account_id));
  std::string body;
  JsonWriter json(body);
  json.begin_object()
      .member("id", account->id)
      .member("name", account->name)
      .member("plan", storage::to_string(account->plan))
      .member("authenticated_with", principal.api_key_id.empty() ? "jwt" : "api_key");
  json.key("limits")
      .begin_object()
      .member("requests_per_minute", account->limits.requests_per_minute)
      .member("concurrent_jobs", account->limits.concurrent_jobs)
      .end_object();
  write_usage(json, context,
              storage::count_jobs_processing(services.store->reader(), principal.account_id));
  json.member("created_at", format_rfc3339_ms(account->created_at)).end_object();
  co_return json_response(bhttp::status::ok, std::move(body));
}

}  // namespace

void add_account_routes(Router& router, const ResourceServices& services) {
  router.add(bhttp::verb::get, "/v1/dashboard/account",
             [services](RequestContext& context) { return get_account(services, context); });
}

}  // namespace seoagents::http::handlers
