// The one way a job enters the queue, for the API and the scheduler alike: checks the agent,
// what the job refers to and the account's concurrent-job limit, then inserts it. Runs on the
// writer connection, so the limit check and the insert are one atomic step.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/expected.hpp"
#include "storage/jobs.hpp"
#include "storage/sqlite.hpp"

namespace seoagents::jobs {

struct JobRequest {
  std::string account_id;
  std::string agent_id;
  // One of storage::kJobTypes.
  std::string job_type;
  // create: the keyword (the agent's next one when absent).
  std::optional<std::string> keyword;
  // enhance, optimize, publish: the article.
  std::optional<std::string> s3_key;
  // publish, audit: the site (the agent's when absent).
  std::optional<std::string> site_id;
  // publish: "publish" | "elementor_publish" (default "publish"), and the post status
  // "draft" | "publish" | "pending" | "private" (default "draft").
  std::optional<std::string> publish_action;
  std::optional<std::string> status_on_publish;
  // "api" or "schedule".
  std::string origin = "api";
  // Attempts the job gets; 0: the engine's (--job-max-attempts).
  std::int64_t max_attempts = 0;
};

// Why a job was not accepted.
struct SubmitRefusal {
  enum class Kind {
    // A referenced agent, article or site does not exist (404).
    not_found,
    // It belongs to another account (403).
    forbidden,
    // The agent is paused or deleted (409).
    agent_unavailable,
    // The agent has no keywords (400 AGENT_HAS_NO_KEYWORDS).
    no_keywords,
    // The account already has its limit of jobs pending or processing (409).
    job_limit,
    // A field the job needs is missing (400 VALIDATION_ERROR on `field`).
    missing_field,
  };
  Kind kind = Kind::not_found;
  // What was not found or not owned ("Agent", "Article", "Site") and its id; or the field.
  std::string subject;
  std::string id;
  std::string message;
};

Expected<storage::Job, SubmitRefusal> submit_job(storage::Connection& db, const JobRequest& request,
                                                 std::int64_t now);

}  // namespace seoagents::jobs
