// /v1/dashboard/jobs: submit a job (202), list them (?agent_id=&status=&job_type=), read one,
// cancel one, and read its progress events (?since=). Which fields a job takes depends on its
// type; a type whose pipeline this server does not have is refused, never faked.
#include <span>

#include "core/clock.hpp"
#include "core/json_writer.hpp"
#include "http/handlers/handlers.hpp"
#include "http/handlers/representations.hpp"
#include "http/pipeline.hpp"
#include "http/request_body.hpp"
#include "jobs/engine.hpp"

namespace seoagents::http::handlers {
namespace {

constexpr std::string_view kList = "jobs";
constexpr std::string_view kPath = "/v1/dashboard/jobs";
constexpr std::string_view kKind = "Job";

// Reads the fields of `job_type` into `request`; fields of other types are refused.
void read_job_fields(FieldValidator& fields, const std::string& job_type,
                     jobs::JobRequest& request) {
  if (job_type == "create") {
    fields.allow_only({"agent_id", "job_type", "keyword"});
    request.keyword = fields.text("keyword", false, 1, 200);
  } else if (job_type == "enhance" || job_type == "optimize") {
    fields.allow_only({"agent_id", "job_type", "s3_key"});
    request.s3_key = fields.text("s3_key", true, 1, 1024);
  } else if (job_type == "publish") {
    fields.allow_only(
        {"agent_id", "job_type", "s3_key", "site_id", "publish_action", "status_on_publish"});
    request.s3_key = fields.text("s3_key", true, 1, 1024);
    request.site_id = fields.text("site_id", false, 1, 64);
    request.publish_action =
        fields.choice("publish_action", false, {"publish", "elementor_publish"});
    request.status_on_publish =
        fields.choice("status_on_publish", false, {"draft", "publish", "pending", "private"});
  } else if (job_type == "audit") {
    fields.allow_only({"agent_id", "job_type", "site_id"});
    request.site_id = fields.text("site_id", false, 1, 64);
  }
}

ApiError job_type_unavailable(const std::string& job_type) {
  std::string message("This server cannot run ");
  message.append(job_type).append(" jobs yet");
  return ApiError{bhttp::status::bad_request, "JOB_TYPE_UNAVAILABLE", std::move(message), {}};
}

ApiError refusal_error(const jobs::SubmitRefusal& refusal) {
  using Kind = jobs::SubmitRefusal::Kind;
  switch (refusal.kind) {
    case Kind::not_found:
      return errors::not_found(refusal.subject, refusal.id);
    case Kind::forbidden:
      return errors::forbidden(refusal.subject, refusal.id);
    case Kind::agent_unavailable:
      return errors::conflict(refusal.message);
    case Kind::no_keywords:
      return ApiError{bhttp::status::bad_request, "AGENT_HAS_NO_KEYWORDS", refusal.message, {}};
    case Kind::job_limit:
      return ApiError{bhttp::status::conflict, "CONCURRENT_JOB_LIMIT", refusal.message, {}};
    case Kind::missing_field:
      break;
  }
  return ApiError{bhttp::status::bad_request,
                  "VALIDATION_ERROR",
                  "Invalid request body",
                  {{refusal.subject, refusal.message}}};
}

// The 202 body of the reference: {"job_id","status","keyword","agent_id","created_at"}.
std::string accepted_body(const storage::Job& job) {
  std::string body;
  JsonWriter json(body);
  json.begin_object().member("job_id", job.id).member("status", job.status).key("keyword");
  if (job.keyword) {
    json.value(*job.keyword);
  } else {
    json.null();
  }
  json.member("agent_id", job.agent_id)
      .member("created_at", format_rfc3339_ms(job.created_at))
      .end_object();
  return body;
}

asio::awaitable<Response> create_job(const ResourceServices& services, RequestContext& context) {
  auto body = parse_json_object(context.request);
  if (!body) co_return error_response(context, body.error());
  FieldValidator fields(*body);
  jobs::JobRequest request;
  request.account_id = context.principal->account_id;
  auto agent_id = fields.text("agent_id", true, 1, 64);
  auto job_type =
      fields.choice("job_type", true, {"create", "enhance", "optimize", "publish", "audit"});
  if (job_type) read_job_fields(fields, *job_type, request);
  if (!fields.ok()) co_return error_response(context, fields.error());
  if (!services.jobs->accepts(*job_type)) {
    co_return error_response(context, job_type_unavailable(*job_type));
  }
  request.agent_id = *agent_id;
  request.job_type = *job_type;
  auto submitted = co_await services.jobs->submit(std::move(request));
  if (!submitted) {
    co_return error_response(
        context, storage_failure(submitted.error(), *services.logger, context.request_id));
  }
  if (!*submitted) co_return error_response(context, refusal_error(submitted->error()));
  const storage::Job& job = **submitted;
  Response response = json_response(bhttp::status::accepted, accepted_body(job));
  std::string location(kPath);
  location.append("/").append(job.id);
  response.set(bhttp::field::location, location);
  co_return response;
}

// The job `job_id` if it belongs to the caller (else 404 or 403).
Expected<storage::Job, ApiError> owned_job(const ResourceServices& services,
                                           const RequestContext& context,
                                           const std::string& job_id) {
  auto job = storage::find_job(services.store->reader(), job_id);
  if (!job) return unexpected(errors::not_found(kKind, job_id));
  if (job->account_id != context.principal->account_id) {
    return unexpected(errors::forbidden(kKind, job_id));
  }
  return *job;
}

asio::awaitable<Response> get_job(const ResourceServices& services, RequestContext& context) {
  auto job = owned_job(services, context, std::string(context.param("id")));
  if (!job) co_return error_response(context, job.error());
  co_return json_response(bhttp::status::ok, job_json(*job));
}

// An optional query parameter that must be one of `values`.
Expected<std::string, ApiError> enum_filter(std::string_view query, std::string_view name,
                                            std::span<const std::string_view> values) {
  auto value = query_parameter(query, name);
  if (!value) return std::string();
  for (std::string_view allowed : values) {
    if (*value == allowed) return *value;
  }
  std::string issue("must be one of");
  for (std::string_view allowed : values)
    issue.append(allowed == values.front() ? " " : ", ").append(allowed);
  std::string message("Invalid query parameter: ");
  message.append(name);
  return unexpected(ApiError{bhttp::status::bad_request,
                             "VALIDATION_ERROR",
                             std::move(message),
                             {{std::string(name), std::move(issue)}}});
}

Expected<storage::JobFilter, ApiError> job_filter(std::string_view query) {
  storage::JobFilter filter;
  auto status = enum_filter(query, "status", storage::kJobStatuses);
  if (!status) return unexpected(status.error());
  auto job_type = enum_filter(query, "job_type", storage::kJobTypes);
  if (!job_type) return unexpected(job_type.error());
  filter.status = *status;
  filter.job_type = *job_type;
  filter.agent_id = query_parameter(query, "agent_id").value_or("");
  return filter;
}

asio::awaitable<Response> list_jobs(const ResourceServices& services, RequestContext& context) {
  const std::string& account_id = context.principal->account_id;
  auto page =
      parse_page_request(context.query, kList, account_id, {"created_at"}, *services.cursors);
  if (!page) co_return error_response(context, page.error());
  auto filter = job_filter(context.query);
  if (!filter) co_return error_response(context, filter.error());
  auto jobs = storage::list_jobs(services.store->reader(), account_id, *filter, page->descending,
                                 page_position(page->after), page->limit + 1);
  auto position_of = [](const storage::Job& job) {
    return cursor_position(job.created_at, job.id);
  };
  co_return json_response(bhttp::status::ok,
                          render_list_page(jobs, *page, *services.cursors, position_of, write_job));
}

ApiError already_finished(const storage::Job& job) {
  std::string message("Job ");
  message.append(job.id).append(" is already ").append(job.status);
  return errors::conflict(std::move(message));
}

asio::awaitable<Response> cancel_job(const ResourceServices& services, RequestContext& context) {
  std::string job_id(context.param("id"));
  auto cancelled = co_await services.jobs->cancel(context.principal->account_id, job_id);
  if (!cancelled) {
    co_return error_response(
        context, storage_failure(cancelled.error(), *services.logger, context.request_id));
  }
  using Kind = jobs::CancelResult::Kind;
  switch (cancelled->kind) {
    case Kind::not_found:
      co_return error_response(context, errors::not_found(kKind, job_id));
    case Kind::forbidden:
      co_return error_response(context, errors::forbidden(kKind, job_id));
    case Kind::finished:
      co_return error_response(context, already_finished(cancelled->job));
    case Kind::cancelled:
      co_return json_response(bhttp::status::ok, job_json(cancelled->job));
    case Kind::requested:
      break;
  }
  // Processing: it stops at its next step boundary.
  co_return json_response(bhttp::status::accepted, job_json(cancelled->job));
}

std::string progress_body(const storage::Job& job, const std::vector<storage::JobEvent>& events) {
  std::string body;
  body.reserve(128 + events.size() * 128);
  JsonWriter json(body);
  json.begin_object()
      .member("job_id", job.id)
      .member("job_type", job.job_type)
      .member("status", job.status)
      .key("events")
      .begin_array();
  for (const auto& event : events) {
    json.begin_object();
    write_job_event_members(json, event);
    json.end_object();
  }
  json.end_array().end_object();
  return body;
}

Expected<std::optional<std::int64_t>, ApiError> since_parameter(std::string_view query) {
  auto since = query_parameter(query, "since");
  if (!since) return std::optional<std::int64_t>();
  auto parsed = parse_rfc3339_ms(*since);
  if (!parsed) {
    return unexpected(ApiError{bhttp::status::bad_request,
                               "VALIDATION_ERROR",
                               "Invalid query parameter: since",
                               {{"since",
                                 "must be an RFC 3339 date-time, e.g. "
                                 "2026-02-26T10:30:00Z"}}});
  }
  return std::optional<std::int64_t>(*parsed);
}

asio::awaitable<Response> job_progress(const ResourceServices& services, RequestContext& context) {
  auto since = since_parameter(context.query);
  if (!since) co_return error_response(context, since.error());
  auto job = owned_job(services, context, std::string(context.param("id")));
  if (!job) co_return error_response(context, job.error());
  auto events = storage::list_job_events(services.store->reader(), job->id, *since);
  co_return json_response(bhttp::status::ok, progress_body(*job, events));
}

}  // namespace

void add_job_routes(Router& router, const ResourceServices& services) {
  auto bind = [services](auto handler) {
    return [services, handler](RequestContext& context) { return handler(services, context); };
  };
  router.add(bhttp::verb::get, "/v1/dashboard/jobs", bind(list_jobs));
  router.add(bhttp::verb::post, "/v1/dashboard/jobs", bind(create_job));
  router.add(bhttp::verb::get, "/v1/dashboard/jobs/{id}", bind(get_job));
  router.add(bhttp::verb::post, "/v1/dashboard/jobs/{id}/cancel", bind(cancel_job));
  router.add(bhttp::verb::get, "/v1/dashboard/jobs/{id}/progress", bind(job_progress));
}

}  // namespace seoagents::http::handlers
