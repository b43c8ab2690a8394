// The durable job queue: jobs and their progress events in SQLite. A worker claims a pending job
// with a lease (a random token and an expiry) and renews it while it works; every later write of
// the job's state names the token, so a worker that lost its lease changes nothing. Times are
// passed in (milliseconds since the Unix epoch) so tests can drive the clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/keyset.hpp"
#include "storage/sqlite.hpp"

namespace seoagents::storage {

// The job types and their id prefixes ("content-" for create/enhance/optimize).
inline constexpr std::string_view kJobTypes[] = {"create", "enhance", "optimize", "publish",
                                                 "audit"};
std::string_view job_id_prefix(std::string_view job_type);

// pending → processing → completed | failed | cancelled (and processing → pending to retry).
inline constexpr std::string_view kJobStatuses[] = {"pending", "processing", "completed", "failed",
                                                    "cancelled"};
bool is_finished_status(std::string_view status);

struct Job {
  std::string id;
  std::string account_id;
  std::string agent_id;
  std::string job_type;
  std::string status = "pending";
  // "api" or "schedule".
  std::string origin = "api";
  // What the job works on; which are set depends on the type.
  std::optional<std::string> keyword;
  std::optional<std::string> s3_key;
  std::optional<std::string> site_id;
  std::optional<std::string> publish_action;
  std::optional<std::string> status_on_publish;
  // Attempts started (a lease that expired used one up) and the most allowed.
  std::int64_t attempts = 0;
  std::int64_t max_attempts = 3;
  // Not claimed before this time.
  std::int64_t run_after = 0;
  std::optional<std::string> lease_token;
  std::optional<std::int64_t> lease_expires_at;
  bool cancel_requested = false;
  // The last attempt's error.
  std::optional<std::string> error;
  // A JSON object, once completed.
  std::optional<std::string> result;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> started_at;
  std::optional<std::int64_t> finished_at;
};

struct JobEvent {
  std::string job_id;
  // 1, 2, 3… per job.
  std::int64_t seq = 0;
  std::int64_t ts = 0;
  std::string step;
  std::int64_t percent = 0;
  std::string message;
};

// --- submitting (writer connection) ---

// Inserts `job` as pending with a fresh id for its type, created now and runnable at once.
Job insert_job(Connection& db, Job job, std::int64_t now);
// Jobs of the account that are pending or processing: what its concurrent-job limit counts.
std::int64_t count_jobs_in_flight(Connection& db, std::string_view account_id);
// Jobs of the account that are processing now.
std::int64_t count_jobs_processing(Connection& db, std::string_view account_id);

// --- working (writer connection) ---

// Claims the pending job that should run next, if any is runnable at `now`: of the accounts with
// runnable jobs, those with the fewest jobs processing first (one busy account cannot starve the
// others), oldest job first within that; never past an account's concurrent-job limit. The job
// becomes processing with `token` until now + lease_ms, its attempts counting this one.
std::optional<Job> claim_next_job(Connection& db, std::int64_t now, std::int64_t lease_ms,
                                  std::string_view token);
// Extends the lease to now + lease_ms; false when the token no longer holds the job.
bool renew_lease(Connection& db, std::string_view job_id, std::string_view token, std::int64_t now,
                 std::int64_t lease_ms);
// True when the token holds the job (it is processing under this lease).
bool holds_lease(Connection& db, std::string_view job_id, std::string_view token);

// The transitions out of processing; each is refused (false) when the token no longer holds the
// job, and each ends the lease.
bool complete_job(Connection& db, std::string_view job_id, std::string_view token,
                  std::string_view result_json, std::int64_t now);
bool fail_job(Connection& db, std::string_view job_id, std::string_view token,
              std::string_view error, std::int64_t now);
// Back to pending to run again at `run_after`, keeping the error.
bool retry_job(Connection& db, std::string_view job_id, std::string_view token,
               std::string_view error, std::int64_t run_after, std::int64_t now);
bool cancel_processing_job(Connection& db, std::string_view job_id, std::string_view token,
                           std::int64_t now);
// Hands the job back to the queue untouched (the server is stopping): pending, runnable at once,
// the attempt not counted.
bool release_lease(Connection& db, std::string_view job_id, std::string_view token,
                   std::int64_t now);

// A job whose lease ran out, as reclaim_expired_leases() left it.
struct ReclaimedJob {
  std::string job_id;
  std::string account_id;
  std::string job_type;
  // "pending" (it will run again) or "failed" (it had used its attempts).
  std::string status;
  std::int64_t attempts = 0;
  // The progress event that says so.
  JobEvent event;
};

// Jobs processing with a lease expired at `now` (or every processing job, when `all`: at start,
// when no other process can hold one) go back to pending, or to failed once they used
// max_attempts. Each gets a progress event saying so.
std::vector<ReclaimedJob> reclaim_expired_leases(Connection& db, std::int64_t now, bool all);

// What a cancel request did.
enum class CancelOutcome {
  // It was pending: cancelled now.
  cancelled,
  // It is processing: it stops at its next step boundary.
  requested,
  // It had already finished (completed, failed or cancelled).
  finished,
};
CancelOutcome request_cancel(Connection& db, const Job& job, std::int64_t now);

// Appends the job's next progress event and returns it.
JobEvent append_job_event(Connection& db, std::string_view job_id, std::string_view step,
                          std::int64_t percent, std::string_view message, std::int64_t now);

// --- reads ---

std::optional<Job> find_job(Connection& db, std::string_view job_id);

struct JobFilter {
  // Empty: any.
  std::string agent_id;
  std::string status;
  std::string job_type;
};

// A page of the account's jobs by created_at.
std::vector<Job> list_jobs(Connection& db, std::string_view account_id, const JobFilter& filter,
                           bool descending, const std::optional<PagePosition>& after,
                           std::size_t limit);

// The job's events with ts after `since` (all when nullopt), oldest first.
std::vector<JobEvent> list_job_events(Connection& db, std::string_view job_id,
                                      std::optional<std::int64_t> since);

// "YYYY-MM-DD" (UTC) of a time: the key of the daily dashboard counters.
std::string utc_day(std::int64_t unix_ms);

}  // namespace seoagents::storage
