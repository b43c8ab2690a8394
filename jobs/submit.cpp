// Job admission: ownership, agent state, references and the concurrent-job limit.
#include "jobs/submit.hpp"

#include "storage/accounts.hpp"
#include "storage/agents.hpp"
#include "storage/articles.hpp"
#include "storage/sites.hpp"

namespace seoagents::jobs {
namespace {

using Kind = SubmitRefusal::Kind;

SubmitRefusal refusal(Kind kind, std::string subject, std::string id, std::string message) {
  return SubmitRefusal{kind, std::move(subject), std::move(id), std::move(message)};
}

Expected<storage::Agent, SubmitRefusal> usable_agent(storage::Connection& db,
                                                     const JobRequest& request) {
  auto agent = storage::find_agent(db, request.agent_id);
  if (!agent) return unexpected(refusal(Kind::not_found, "Agent", request.agent_id, ""));
  if (agent->account_id != request.account_id) {
    return unexpected(refusal(Kind::forbidden, "Agent", request.agent_id, ""));
  }
  if (agent->status != "active") {
    std::string message("Agent ");
    message.append(request.agent_id).append(" is ").append(agent->status);
    message.append(agent->status == "paused" ? "; resume it (PUT status active) to run jobs"
                                             : " and cannot run jobs");
    return unexpected(refusal(Kind::agent_unavailable, "Agent", request.agent_id, message));
  }
  if (agent->keywords.empty()) {
    return unexpected(refusal(Kind::no_keywords, "Agent", request.agent_id,
                              "Agent has no keywords configured. Add at least one keyword via "
                              "PUT /agents/{id} before triggering jobs"));
  }
  return *agent;
}

// The job's article: it must exist, be active and belong to the account.
Expected<storage::Article, SubmitRefusal> owned_article(storage::Connection& db,
                                                        const JobRequest& request) {
  if (!request.s3_key) {
    return unexpected(refusal(Kind::missing_field, "s3_key", "", "required for this job_type"));
  }
  auto article = storage::find_article(db, *request.s3_key);
  if (!article || article->status != "active") {
    return unexpected(refusal(Kind::not_found, "Article", *request.s3_key, ""));
  }
  if (article->account_id != request.account_id) {
    return unexpected(refusal(Kind::forbidden, "Article", *request.s3_key, ""));
  }
  return *article;
}

// The site the job works on: the request's, else the agent's.
Expected<std::string, SubmitRefusal> owned_site(storage::Connection& db, const JobRequest& request,
                                                const storage::Agent& agent) {
  std::optional<std::string> site_id = request.site_id ? request.site_id : agent.site_id;
  if (!site_id) {
    return unexpected(refusal(Kind::missing_field, "site_id", "",
                              "required: the agent has no site; give site_id or attach a site "
                              "to the agent"));
  }
  auto site = storage::find_site(db, *site_id);
  if (!site) return unexpected(refusal(Kind::not_found, "Site", *site_id, ""));
  if (site->account_id != request.account_id) {
    return unexpected(refusal(Kind::forbidden, "Site", *site_id, ""));
  }
  return *site_id;
}

std::optional<SubmitRefusal> check_job_limit(storage::Connection& db, std::string_view account_id) {
  auto account = storage::find_account(db, account_id);
  std::int64_t limit = account ? account->limits.concurrent_jobs : 0;
  std::int64_t in_flight = storage::count_jobs_in_flight(db, account_id);
  if (in_flight < limit) return std::nullopt;
  std::string message("Concurrent job limit reached: ");
  message.append(std::to_string(in_flight))
      .append(" of ")
      .append(std::to_string(limit))
      .append(" jobs pending or processing. Wait for one to finish or upgrade the plan");
  return refusal(Kind::job_limit, "", "", message);
}

// Fills in what the job works on from the request and what it refers to.
std::optional<SubmitRefusal> resolve_targets(storage::Connection& db, const JobRequest& request,
                                             const storage::Agent& agent, storage::Job& job) {
  const std::string& type = request.job_type;
  if (type == "enhance" || type == "optimize" || type == "publish") {
    auto article = owned_article(db, request);
    if (!article) return article.error();
    job.s3_key = article->s3_key;
    job.keyword = article->keyword;
  }
  if (type == "publish" || type == "audit") {
    auto site = owned_site(db, request, agent);
    if (!site) return site.error();
    job.site_id = *site;
  }
  if (type == "publish") {
    job.publish_action = request.publish_action.value_or("publish");
    job.status_on_publish = request.status_on_publish.value_or("draft");
  }
  return std::nullopt;
}

}  // namespace

Expected<storage::Job, SubmitRefusal> submit_job(storage::Connection& db, const JobRequest& request,
                                                 std::int64_t now) {
  auto agent = usable_agent(db, request);
  if (!agent) return unexpected(agent.error());
  storage::Job job;
  job.account_id = request.account_id;
  job.agent_id = request.agent_id;
  job.job_type = request.job_type;
  job.origin = request.origin;
  job.max_attempts = request.max_attempts;
  if (auto problem = resolve_targets(db, request, *agent, job)) return unexpected(*problem);
  if (auto problem = check_job_limit(db, request.account_id)) return unexpected(*problem);
  // Last: the keyword rotation moves only for a job that is accepted.
  if (request.job_type == "create") {
    job.keyword = request.keyword ? request.keyword : storage::take_next_keyword(db, *agent);
  }
  return storage::insert_job(db, std::move(job), now);
}

}  // namespace seoagents::jobs
