// The JSON representations of agents, sites, jobs and articles, as the API returns them. Shared by
// the handlers (single resources and list pages) and the benchmarks.
#pragma once

#include <string>

#include "core/json_writer.hpp"
#include "storage/agents.hpp"
#include "storage/articles.hpp"
#include "storage/jobs.hpp"
#include "storage/sites.hpp"

namespace seoagents::http::handlers {

void write_agent(JsonWriter& json, const storage::Agent& agent);
std::string agent_json(const storage::Agent& agent);

// A job with everything the API shows of it: type, status, targets, attempts, timestamps, the
// last error and, once completed, the result. Absent values are null: every job has the same
// members.
void write_job(JsonWriter& json, const storage::Job& job);
std::string job_json(const storage::Job& job);

// The members of a progress event inside an object the caller has begun: "seq", "ts", "step",
// "percent", "message" (GET /jobs/{id}/progress and the WebSocket progress message).
void write_job_event_members(JsonWriter& json, const storage::JobEvent& event);

// Never includes the application password: only whether one is stored.
void write_site(JsonWriter& json, const storage::Site& site);
std::string site_json(const storage::Site& site);

// An article's row as GET /articles lists it (wp_post_id, wp_url, wp_status and published_at
// null until published).
void write_article(JsonWriter& json, const storage::Article& article);

}  // namespace seoagents::http::handlers
