// /v1/dashboard/reports: audit reports. GET /reports/{id}?expires=&signature= serves a report's
// JSON to whoever holds its presigned link — no credentials, the signature is the permission
// (tampered with, for another report or past its expiry → 403 FORBIDDEN). GET
// /reports/{id}/link, authenticated, gives the report's numbers and a fresh link.
#include "core/clock.hpp"
#include "core/json_writer.hpp"
#include "http/handlers/handlers.hpp"
#include "http/pipeline.hpp"
#include "http/request_body.hpp"
#include "jobs/audit_pipeline.hpp"
#include "storage/audit_reports.hpp"
#include "storage/object_store.hpp"

namespace seoagents::http::handlers {
namespace {

constexpr std::string_view kKind = "Report";
// Largest report served (--audit-max-pages at its maximum stays well below).
constexpr std::size_t kMaxReportBytes = 64 * 1024 * 1024;

ApiError link_refused(PresignedCheck check) {
  std::string message = check == PresignedCheck::expired
                            ? "The report link has expired; ask for a new one"
                            : "The report link is not valid: its signature does not match";
  return ApiError{bhttp::status::forbidden, "FORBIDDEN", std::move(message), {}};
}

asio::awaitable<Response> serve_report(const ResourceServices& services, RequestContext& context) {
  std::string report_id(context.param("id"));
  auto expires = query_parameter(context.query, "expires");
  auto signature = query_parameter(context.query, "signature");
  PresignedCheck check = services.audit->report_urls.check(
      jobs::report_path(report_id), expires.value_or(""), signature.value_or(""),
      unix_seconds(std::chrono::system_clock::now()));
  if (check != PresignedCheck::valid) co_return error_response(context, link_refused(check));
  auto report = storage::find_audit_report(services.store->reader(), report_id);
  if (!report) co_return error_response(context, errors::not_found(kKind, report_id));
  auto body = services.objects->get(report->object_key, kMaxReportBytes);
  if (!body && body.error().kind == storage::ObjectError::Kind::not_found) {
    co_return error_response(context, errors::not_found(kKind, report_id));
  }
  if (!body) {
    services.logger->error("report_unreadable", {{"request_id", context.request_id},
                                                 {"report", report_id},
                                                 {"error", body.error().message}});
    co_return error_response(context, errors::internal_error());
  }
  Response response = json_response(bhttp::status::ok, std::move(*body));
  response.set(bhttp::field::cache_control, "private, no-store");
  co_return response;
}

std::string link_json(const storage::AuditReport& report, const jobs::ReportLink& link) {
  std::string body;
  JsonWriter json(body);
  json.begin_object()
      .member("report_id", report.id)
      .member("job_id", report.job_id)
      .member("site_id", report.site_id)
      .member("site_score", report.site_score)
      .member("pages", report.pages)
      .key("issues")
      .begin_object()
      .member("high", report.issues_high)
      .member("medium", report.issues_medium)
      .member("low", report.issues_low)
      .end_object()
      .member("created_at", format_rfc3339_ms(report.created_at))
      .member("report_url", link.url)
      .member("report_url_expires_at", format_rfc3339_ms(link.expires_at * 1000))
      .end_object();
  return body;
}

asio::awaitable<Response> fresh_link(const ResourceServices& services, RequestContext& context) {
  std::string report_id(context.param("id"));
  auto report = storage::find_audit_report(services.store->reader(), report_id);
  if (!report) co_return error_response(context, errors::not_found(kKind, report_id));
  if (report->account_id != context.principal->account_id)
    co_return error_response(context, errors::forbidden(kKind, report_id));
  jobs::ReportLink link = jobs::report_link(*services.audit, report->id, storage::now_ms());
  co_return json_response(bhttp::status::ok, link_json(*report, link));
}

}  // namespace

void add_report_routes(Router& router, const ResourceServices& services) {
  auto bind = [services](auto handler) {
    return [services, handler](RequestContext& context) { return handler(services, context); };
  };
  router.add(bhttp::verb::get, "/v1/dashboard/reports/{id}", bind(serve_report), Access::open);
  router.add(bhttp::verb::get, "/v1/dashboard/reports/{id}/link", bind(fresh_link));
}

}  // namespace seoagents::http::handlers
