// The job.completed and job.failed webhook events (see job_events.hpp).
#include "jobs/webhooks/job_events.hpp"

#include <boost/json/parse.hpp>

#include "core/clock.hpp"
#include "storage/webhook_events.hpp"

namespace seoagents::jobs {
namespace {

namespace json = boost::json;

void optional_member(json::object& data, std::string_view name,
                     const std::optional<std::string>& value) {
  if (value) data[name] = *value;
}

bool is_string_array(const json::value& value) {
  if (!value.is_array()) return false;
  for (const auto& item : value.as_array()) {
    if (!item.is_string()) return false;
  }
  return true;
}

// The result's scalars and string arrays: what a receiver acts on, without the analysis reports.
json::object result_summary(const std::optional<std::string>& result_json) {
  json::object summary;
  if (!result_json) return summary;
  boost::system::error_code ec;
  json::value result = json::parse(*result_json, ec);
  if (ec || !result.is_object()) return summary;
  for (const auto& [name, value] : result.as_object()) {
    if (value.is_primitive() || is_string_array(value)) summary[name] = value;
  }
  return summary;
}

}  // namespace

json::object job_event_data(const storage::Job& job) {
  json::object data;
  data["job_id"] = job.id;
  data["job_type"] = job.job_type;
  data["agent_id"] = job.agent_id;
  data["status"] = job.status;
  optional_member(data, "keyword", job.keyword);
  json::object summary = result_summary(job.result);
  std::optional<std::string> s3_key = job.s3_key;
  if (const auto* key = summary.if_contains("s3_key"); key && key->is_string()) {
    s3_key = std::string(key->as_string());
  }
  optional_member(data, "s3_key", s3_key);
  optional_member(data, "site_id", job.site_id);
  data["attempts"] = job.attempts;
  if (job.status == "failed") data["error"] = job.error ? json::value(*job.error) : nullptr;
  if (job.status == "completed") data["result"] = std::move(summary);
  data["created_at"] = format_rfc3339_ms(job.created_at);
  data["finished_at"] =
      job.finished_at ? json::value(format_rfc3339_ms(*job.finished_at)) : json::value(nullptr);
  return data;
}

void record_job_webhook_event(storage::Connection& db, std::string_view job_id, std::int64_t now) {
  auto job = storage::find_job(db, job_id);
  if (!job) return;
  if (job->status != "completed" && job->status != "failed") return;
  std::string_view type = job->status == "completed" ? "job.completed" : "job.failed";
  storage::record_webhook_event(db, job->account_id, type, job_event_data(*job), now);
}

}  // namespace seoagents::jobs
