// The job.completed and job.failed webhook events: what they say about a job that just ended,
// recorded in the write that ends it (the engine's finish and its lease sweeper).
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string_view>

#include "storage/jobs.hpp"
#include "storage/sqlite.hpp"

namespace seoagents::jobs {

// The event's data: job_id, job_type, agent_id, status, the job's targets (keyword, s3_key,
// site_id when set), attempts, error (failed) or the result's summary (completed: its scalar
// members and arrays of strings, e.g. s3_key, title, seo_score, wp_post_id, warnings; nested
// reports are left out), created_at and finished_at.
boost::json::object job_event_data(const storage::Job& job);

// Records job.completed or job.failed (by the job's status as the write left it) for the job
// `job_id`, if it is completed or failed and some webhook of its account subscribes. Call it in
// the write that ended the job, after the change.
void record_job_webhook_event(storage::Connection& db, std::string_view job_id, std::int64_t now);

}  // namespace seoagents::jobs
