// Job queue persistence: the SQL of submitting, claiming, leasing and finishing jobs, their
// progress events, and the daily counters the dashboard reads.
#include "storage/jobs.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "core/clock.hpp"
#include "storage/accounts.hpp"
#include "storage/ids.hpp"

namespace seoagents::storage {
namespace {

constexpr std::string_view kJobIdTaken = "SELECT 1 FROM jobs WHERE id = ?";

constexpr std::string_view kInsertJob =
    "INSERT INTO jobs (id, account_id, agent_id, job_type, status, origin, keyword, s3_key, "
    "site_id, publish_action, status_on_publish, attempts, max_attempts, run_after, "
    "created_at, updated_at) "
    "VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?6, ?7, ?8, ?9, ?10, 0, ?11, ?12, ?12, ?12)";

constexpr std::string_view kSelectJob =
    "SELECT id, account_id, agent_id, job_type, status, origin, keyword, s3_key, site_id, "
    "publish_action, status_on_publish, attempts, max_attempts, run_after, lease_token, "
    "lease_expires_at, cancel_requested, error, result, created_at, updated_at, started_at, "
    "finished_at FROM jobs WHERE id = ?1";

constexpr std::string_view kCountProcessing =
    "SELECT count(*) FROM jobs WHERE account_id = ?1 AND status = 'processing'";
// Kept by the triggers of schema v5: one row read, however many jobs are in flight.
constexpr std::string_view kCountInFlight =
    "SELECT coalesce((SELECT jobs FROM account_jobs_in_flight WHERE account_id = ?1), 0)";

// The claim reads, each an index seek rather than a scan of the pending jobs: the accounts with
// pending jobs (a skip scan over jobs_pending), the jobs processing per account (at most the
// workers of the servers), and one account's oldest runnable job.
constexpr std::string_view kAccountsWithPendingJobs =
    "WITH RECURSIVE pending_accounts(previous) AS ("
    "SELECT min(account_id) FROM jobs WHERE status = 'pending' "
    "UNION ALL "
    "SELECT (SELECT min(account_id) FROM jobs WHERE status = 'pending' AND account_id > previous) "
    "FROM pending_accounts WHERE previous IS NOT NULL) "
    "SELECT previous FROM pending_accounts WHERE previous IS NOT NULL";
constexpr std::string_view kProcessingByAccount =
    "SELECT account_id, count(*) FROM jobs WHERE status = 'processing' GROUP BY account_id";
constexpr std::string_view kOldestRunnable =
    "SELECT id, created_at FROM jobs "
    "WHERE account_id = ?1 AND status = 'pending' AND run_after <= ?2 "
    "ORDER BY created_at, id LIMIT 1";

constexpr std::string_view kClaim =
    "UPDATE jobs SET status = 'processing', attempts = attempts + 1, lease_token = ?2, "
    "lease_expires_at = ?3, started_at = coalesce(started_at, ?4), updated_at = ?4 "
    "WHERE id = ?1 AND status = 'pending'";

constexpr std::string_view kRenew =
    "UPDATE jobs SET lease_expires_at = ?3 "
    "WHERE id = ?1 AND lease_token = ?2 AND status = 'processing'";

constexpr std::string_view kHoldsLease =
    "SELECT 1 FROM jobs WHERE id = ?1 AND lease_token = ?2 AND status = 'processing'";

constexpr std::string_view kComplete =
    "UPDATE jobs SET status = 'completed', result = ?3, error = NULL, lease_token = NULL, "
    "lease_expires_at = NULL, updated_at = ?4, finished_at = ?4 "
    "WHERE id = ?1 AND lease_token = ?2 AND status = 'processing'";

constexpr std::string_view kFail =
    "UPDATE jobs SET status = 'failed', error = ?3, lease_token = NULL, lease_expires_at = NULL, "
    "updated_at = ?4, finished_at = ?4 "
    "WHERE id = ?1 AND lease_token = ?2 AND status = 'processing'";

constexpr std::string_view kRetry =
    "UPDATE jobs SET status = 'pending', error = ?3, run_after = ?4, lease_token = NULL, "
    "lease_expires_at = NULL, updated_at = ?5 "
    "WHERE id = ?1 AND lease_token = ?2 AND status = 'processing'";

constexpr std::string_view kCancelProcessing =
    "UPDATE jobs SET status = 'cancelled', lease_token = NULL, lease_expires_at = NULL, "
    "updated_at = ?3, finished_at = ?3 "
    "WHERE id = ?1 AND lease_token = ?2 AND status = 'processing'";

constexpr std::string_view kRelease =
    "UPDATE jobs SET status = 'pending', attempts = max(attempts - 1, 0), run_after = ?3, "
    "lease_token = NULL, lease_expires_at = NULL, updated_at = ?3 "
    "WHERE id = ?1 AND lease_token = ?2 AND status = 'processing'";

constexpr std::string_view kExpiredLeases =
    "SELECT id, account_id, job_type, attempts, max_attempts FROM jobs "
    "WHERE status = 'processing' AND lease_expires_at <= ?1";
constexpr std::string_view kAllLeases =
    "SELECT id, account_id, job_type, attempts, max_attempts FROM jobs "
    "WHERE status = 'processing'";

constexpr std::string_view kRequeueExpired =
    "UPDATE jobs SET status = 'pending', error = 'the worker running it stopped (lease expired)', "
    "run_after = ?2, lease_token = NULL, lease_expires_at = NULL, updated_at = ?2 WHERE id = ?1";
constexpr std::string_view kFailExpired =
    "UPDATE jobs SET status = 'failed', "
    "error = 'the worker running it stopped (lease expired) and no attempts are left', "
    "lease_token = NULL, lease_expires_at = NULL, updated_at = ?2, finished_at = ?2 WHERE id = ?1";

constexpr std::string_view kCancelPending =
    "UPDATE jobs SET status = 'cancelled', updated_at = ?2, finished_at = ?2 "
    "WHERE id = ?1 AND status = 'pending'";
constexpr std::string_view kRequestCancel =
    "UPDATE jobs SET cancel_requested = 1, updated_at = ?2 "
    "WHERE id = ?1 AND status = 'processing'";

constexpr std::string_view kNextSeq =
    "SELECT coalesce(max(seq), 0) + 1 FROM job_events WHERE job_id = ?1";
constexpr std::string_view kInsertEvent =
    "INSERT INTO job_events (job_id, seq, ts, step, percent, message) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr std::string_view kSelectEvents =
    "SELECT job_id, seq, ts, step, percent, message FROM job_events "
    "WHERE job_id = ?1 ORDER BY seq";
constexpr std::string_view kSelectEventsSince =
    "SELECT job_id, seq, ts, step, percent, message FROM job_events "
    "WHERE job_id = ?1 AND ts > ?2 ORDER BY seq";

// The daily counters (one statement per column: the SQL stays constant).
constexpr std::string_view kCountCreated =
    "INSERT INTO daily_activity (account_id, day, job_type, jobs_created) VALUES (?1, ?2, ?3, 1) "
    "ON CONFLICT DO UPDATE SET jobs_created = jobs_created + 1";
constexpr std::string_view kCountCompleted =
    "INSERT INTO daily_activity (account_id, day, job_type, jobs_completed) "
    "SELECT account_id, ?2, job_type, 1 FROM jobs WHERE id = ?1 "
    "ON CONFLICT DO UPDATE SET jobs_completed = jobs_completed + 1";
constexpr std::string_view kCountFailed =
    "INSERT INTO daily_activity (account_id, day, job_type, jobs_failed) "
    "SELECT account_id, ?2, job_type, 1 FROM jobs WHERE id = ?1 "
    "ON CONFLICT DO UPDATE SET jobs_failed = jobs_failed + 1";

// The job list's filters (1: account; 2: status or ''; 3: type or ''; 4: agent): with an agent
// the jobs_by_agent index serves the order, without one jobs_by_created.
constexpr std::string_view kSelectJobPage =
    "SELECT id, account_id, agent_id, job_type, status, origin, keyword, s3_key, site_id, "
    "publish_action, status_on_publish, attempts, max_attempts, run_after, lease_token, "
    "lease_expires_at, cancel_requested, error, result, created_at, updated_at, started_at, "
    "finished_at FROM jobs "
    "WHERE account_id = ?1 AND (?2 = '' OR status = ?2) AND (?3 = '' OR job_type = ?3)";
constexpr std::string_view kSelectAgentJobPage =
    "SELECT id, account_id, agent_id, job_type, status, origin, keyword, s3_key, site_id, "
    "publish_action, status_on_publish, attempts, max_attempts, run_after, lease_token, "
    "lease_expires_at, cancel_requested, error, result, created_at, updated_at, started_at, "
    "finished_at FROM jobs "
    "WHERE account_id = ?1 AND (?2 = '' OR status = ?2) AND (?3 = '' OR job_type = ?3) "
    "AND agent_id = ?4";

const KeysetStatements& job_pages() {
  static const KeysetStatements pages(kSelectJobPage, 3, {"created_at"});
  return pages;
}

const KeysetStatements& agent_job_pages() {
  static const KeysetStatements pages(kSelectAgentJobPage, 4, {"created_at"});
  return pages;
}

Job read_job(Statement& row) {
  Job job;
  job.id = row.text(0);
  job.account_id = row.text(1);
  job.agent_id = row.text(2);
  job.job_type = row.text(3);
  job.status = row.text(4);
  job.origin = row.text(5);
  job.keyword = row.optional_text(6);
  job.s3_key = row.optional_text(7);
  job.site_id = row.optional_text(8);
  job.publish_action = row.optional_text(9);
  job.status_on_publish = row.optional_text(10);
  job.attempts = row.integer(11);
  job.max_attempts = row.integer(12);
  job.run_after = row.integer(13);
  job.lease_token = row.optional_text(14);
  job.lease_expires_at = row.optional_integer(15);
  job.cancel_requested = row.integer(16) != 0;
  job.error = row.optional_text(17);
  job.result = row.optional_text(18);
  job.created_at = row.integer(19);
  job.updated_at = row.integer(20);
  job.started_at = row.optional_integer(21);
  job.finished_at = row.optional_integer(22);
  return job;
}

JobEvent read_event(Statement& row) {
  JobEvent event;
  event.job_id = row.text(0);
  event.seq = row.integer(1);
  event.ts = row.integer(2);
  event.step = row.text(3);
  event.percent = row.integer(4);
  event.message = row.text(5);
  return event;
}

// Runs an UPDATE of one job under its lease; true when it changed the job.
bool update_under_lease(Connection& db, std::string_view sql, std::string_view job_id,
                        std::string_view token, std::int64_t now) {
  db.query(sql)->bind(1, job_id).bind(2, token).bind(3, now).run();
  return db.changes() == 1;
}

void count_finished(Connection& db, std::string_view sql, std::string_view job_id,
                    std::int64_t now) {
  db.query(sql)->bind(1, job_id).bind(2, utc_day(now)).run();
}

}  // namespace

std::string_view job_id_prefix(std::string_view job_type) {
  if (job_type == "publish") return "publish-";
  if (job_type == "audit") return "audit-";
  return "content-";
}

bool is_finished_status(std::string_view status) {
  return status == "completed" || status == "failed" || status == "cancelled";
}

std::string utc_day(std::int64_t unix_ms) {
  return format_rfc3339_ms(unix_ms).substr(0, 10);
}

Job insert_job(Connection& db, Job job, std::int64_t now) {
  job.id = fresh_id(db, job_id_prefix(job.job_type), kJobIdTaken);
  job.status = "pending";
  job.attempts = 0;
  job.run_after = job.created_at = job.updated_at = now;
  db.query(kInsertJob)
      ->bind(1, job.id)
      .bind(2, job.account_id)
      .bind(3, job.agent_id)
      .bind(4, job.job_type)
      .bind(5, job.origin)
      .bind(6, job.keyword)
      .bind(7, job.s3_key)
      .bind(8, job.site_id)
      .bind(9, job.publish_action)
      .bind(10, job.status_on_publish)
      .bind(11, job.max_attempts)
      .bind(12, now)
      .run();
  db.query(kCountCreated)
      ->bind(1, job.account_id)
      .bind(2, utc_day(now))
      .bind(3, job.job_type)
      .run();
  return job;
}

std::int64_t count_jobs_in_flight(Connection& db, std::string_view account_id) {
  Query query = db.query(kCountInFlight);
  query->bind(1, account_id);
  query->step();
  return query->integer(0);
}

std::int64_t count_jobs_processing(Connection& db, std::string_view account_id) {
  Query query = db.query(kCountProcessing);
  query->bind(1, account_id);
  query->step();
  return query->integer(0);
}

std::optional<Job> claim_next_job(Connection& db, std::int64_t now, std::int64_t lease_ms,
                                  std::string_view token) {
  std::map<std::string, std::int64_t, std::less<>> running;
  {
    Query query = db.query(kProcessingByAccount);
    while (query->step())
      running.emplace(query->text(0), query->integer(1));
  }
  std::vector<std::string> accounts;
  {
    Query query = db.query(kAccountsWithPendingJobs);
    while (query->step())
      accounts.emplace_back(query->text(0));
  }
  // The account with the fewest jobs processing (below its limit) goes first; among equals, the
  // oldest job.
  struct Choice {
    std::int64_t running;
    std::int64_t created_at;
    std::string id;
    bool operator<(const Choice& other) const {
      return std::tie(running, created_at, id) <
             std::tie(other.running, other.created_at, other.id);
    }
  };
  std::optional<Choice> best;
  for (const std::string& account_id : accounts) {
    auto found = running.find(account_id);
    std::int64_t processing = found == running.end() ? 0 : found->second;
    auto account = find_account(db, account_id);
    if (!account || processing >= account->limits.concurrent_jobs) continue;
    Query query = db.query(kOldestRunnable);
    query->bind(1, account_id).bind(2, now);
    if (!query->step()) continue;
    Choice choice{processing, query->integer(1), std::string(query->text(0))};
    if (!best || choice < *best) best = std::move(choice);
  }
  if (!best) return std::nullopt;
  db.query(kClaim)->bind(1, best->id).bind(2, token).bind(3, now + lease_ms).bind(4, now).run();
  if (db.changes() != 1) return std::nullopt;
  return find_job(db, best->id);
}

bool renew_lease(Connection& db, std::string_view job_id, std::string_view token, std::int64_t now,
                 std::int64_t lease_ms) {
  return update_under_lease(db, kRenew, job_id, token, now + lease_ms);
}

bool holds_lease(Connection& db, std::string_view job_id, std::string_view token) {
  Query query = db.query(kHoldsLease);
  query->bind(1, job_id).bind(2, token);
  return query->step();
}

bool complete_job(Connection& db, std::string_view job_id, std::string_view token,
                  std::string_view result_json, std::int64_t now) {
  db.query(kComplete)->bind(1, job_id).bind(2, token).bind(3, result_json).bind(4, now).run();
  if (db.changes() != 1) return false;
  count_finished(db, kCountCompleted, job_id, now);
  return true;
}

bool fail_job(Connection& db, std::string_view job_id, std::string_view token,
              std::string_view error, std::int64_t now) {
  db.query(kFail)->bind(1, job_id).bind(2, token).bind(3, error).bind(4, now).run();
  if (db.changes() != 1) return false;
  count_finished(db, kCountFailed, job_id, now);
  return true;
}

bool retry_job(Connection& db, std::string_view job_id, std::string_view token,
               std::string_view error, std::int64_t run_after, std::int64_t now) {
  db.query(kRetry)
      ->bind(1, job_id)
      .bind(2, token)
      .bind(3, error)
      .bind(4, run_after)
      .bind(5, now)
      .run();
  return db.changes() == 1;
}

bool cancel_processing_job(Connection& db, std::string_view job_id, std::string_view token,
                           std::int64_t now) {
  return update_under_lease(db, kCancelProcessing, job_id, token, now);
}

bool release_lease(Connection& db, std::string_view job_id, std::string_view token,
                   std::int64_t now) {
  return update_under_lease(db, kRelease, job_id, token, now);
}

std::vector<ReclaimedJob> reclaim_expired_leases(Connection& db, std::int64_t now, bool all) {
  std::vector<ReclaimedJob> reclaimed;
  std::vector<std::int64_t> max_attempts;
  {
    Query query = db.query(all ? kAllLeases : kExpiredLeases);
    if (!all) query->bind(1, now);
    while (query->step()) {
      ReclaimedJob job;
      job.job_id = query->text(0);
      job.account_id = query->text(1);
      job.job_type = query->text(2);
      job.attempts = query->integer(3);
      reclaimed.push_back(std::move(job));
      max_attempts.push_back(query->integer(4));
    }
  }
  for (std::size_t i = 0; i < reclaimed.size(); ++i) {
    ReclaimedJob& job = reclaimed[i];
    bool exhausted = job.attempts >= max_attempts[i];
    job.status = exhausted ? "failed" : "pending";
    db.query(exhausted ? kFailExpired : kRequeueExpired)->bind(1, job.job_id).bind(2, now).run();
    if (exhausted) count_finished(db, kCountFailed, job.job_id, now);
    job.event =
        append_job_event(db, job.job_id, exhausted ? "failed" : "requeued", 0,
                         exhausted ? "The worker running the job stopped; no attempts are left"
                                   : "The worker running the job stopped; the job will run again",
                         now);
  }
  return reclaimed;
}

CancelOutcome request_cancel(Connection& db, const Job& job, std::int64_t now) {
  if (job.status == "pending") {
    db.query(kCancelPending)->bind(1, job.id).bind(2, now).run();
    if (db.changes() == 1) return CancelOutcome::cancelled;
  }
  if (job.status == "processing") {
    db.query(kRequestCancel)->bind(1, job.id).bind(2, now).run();
    if (db.changes() == 1) return CancelOutcome::requested;
  }
  return CancelOutcome::finished;
}

JobEvent append_job_event(Connection& db, std::string_view job_id, std::string_view step,
                          std::int64_t percent, std::string_view message, std::int64_t now) {
  JobEvent event{std::string(job_id), 1, now, std::string(step), percent, std::string(message)};
  {
    Query query = db.query(kNextSeq);
    query->bind(1, job_id);
    if (query->step()) event.seq = query->integer(0);
  }
  db.query(kInsertEvent)
      ->bind(1, job_id)
      .bind(2, event.seq)
      .bind(3, now)
      .bind(4, step)
      .bind(5, percent)
      .bind(6, message)
      .run();
  return event;
}

std::optional<Job> find_job(Connection& db, std::string_view job_id) {
  Query query = db.query(kSelectJob);
  query->bind(1, job_id);
  if (!query->step()) return std::nullopt;
  return read_job(*query);
}

std::vector<Job> list_jobs(Connection& db, std::string_view account_id, const JobFilter& filter,
                           bool descending, const std::optional<PagePosition>& after,
                           std::size_t limit) {
  KeysetPage page{"created_at", descending, after, limit};
  if (!filter.agent_id.empty()) {
    return read_page(db, agent_job_pages(),
                     {account_id, filter.status, filter.job_type, filter.agent_id}, page, read_job);
  }
  return read_page(db, job_pages(), {account_id, filter.status, filter.job_type}, page, read_job);
}

std::vector<JobEvent> list_job_events(Connection& db, std::string_view job_id,
                                      std::optional<std::int64_t> since) {
  Query query = db.query(since ? kSelectEventsSince : kSelectEvents);
  query->bind(1, job_id);
  if (since) query->bind(2, *since);
  std::vector<JobEvent> events;
  while (query->step())
    events.push_back(read_event(*query));
  return events;
}

}  // namespace seoagents::storage
