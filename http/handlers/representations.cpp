// The JSON representations of agents, sites, jobs and articles (see representations.hpp).
#include "http/handlers/representations.hpp"

#include "core/clock.hpp"

namespace seoagents::http::handlers {
namespace {

void optional_member(JsonWriter& json, std::string_view name,
                     const std::optional<std::string>& text) {
  json.key(name);
  if (text) {
    json.value(*text);
  } else {
    json.null();
  }
}

void optional_member(JsonWriter& json, std::string_view name,
                     const std::optional<std::int64_t>& number) {
  json.key(name);
  if (number) {
    json.value(*number);
  } else {
    json.null();
  }
}

void optional_time(JsonWriter& json, std::string_view name,
                   const std::optional<std::int64_t>& unix_ms) {
  json.key(name);
  if (unix_ms) {
    json.timestamp(*unix_ms);
  } else {
    json.null();
  }
}

}  // namespace

void write_agent(JsonWriter& json, const storage::Agent& agent) {
  json.begin_object().member("id", agent.id).member("name", agent.name).key("keywords");
  json.begin_array();
  for (const auto& keyword : agent.keywords)
    json.value(keyword);
  json.end_array()
      .member("tone", agent.tone)
      .member("word_target", agent.word_target)
      .member("schedule", agent.schedule)
      .key("site_id");
  if (agent.site_id) {
    json.value(*agent.site_id);
  } else {
    json.null();
  }
  json.member("status", agent.status)
      .key("created_at")
      .timestamp(agent.created_at)
      .key("updated_at")
      .timestamp(agent.updated_at)
      .end_object();
}

std::string agent_json(const storage::Agent& agent) {
  std::string body;
  body.reserve(256);
  JsonWriter json(body);
  write_agent(json, agent);
  return body;
}

void write_site(JsonWriter& json, const storage::Site& site) {
  json.begin_object()
      .member("id", site.id)
      .member("name", site.name)
      .member("url", site.url)
      .member("username", site.username)
      .member("has_credentials", !site.password_sealed.empty())
      .member("verification_status", site.verification_status)
      .key("last_verified_at");
  if (site.last_verified_at) {
    json.timestamp(*site.last_verified_at);
  } else {
    json.null();
  }
  json.member("rank_alert_threshold", site.rank_alert_threshold)
      .key("created_at")
      .timestamp(site.created_at)
      .key("updated_at")
      .timestamp(site.updated_at)
      .end_object();
}

std::string site_json(const storage::Site& site) {
  std::string body;
  JsonWriter json(body);
  write_site(json, site);
  return body;
}

void write_job(JsonWriter& json, const storage::Job& job) {
  json.begin_object()
      .member("job_id", job.id)
      .member("job_type", job.job_type)
      .member("status", job.status)
      .member("agent_id", job.agent_id);
  optional_member(json, "keyword", job.keyword);
  optional_member(json, "s3_key", job.s3_key);
  optional_member(json, "site_id", job.site_id);
  optional_member(json, "publish_action", job.publish_action);
  optional_member(json, "status_on_publish", job.status_on_publish);
  json.member("origin", job.origin)
      .member("attempts", job.attempts)
      .member("max_attempts", job.max_attempts)
      .member("cancel_requested", job.cancel_requested);
  // A pending job that failed before waits for its next attempt.
  std::optional<std::int64_t> next_attempt;
  if (job.status == "pending" && job.attempts > 0) next_attempt = job.run_after;
  optional_time(json, "next_attempt_at", next_attempt);
  optional_member(json, "error", job.error);
  json.key("result");
  if (job.result) {
    json.raw(*job.result);
  } else {
    json.null();
  }
  json.key("created_at").timestamp(job.created_at).key("updated_at").timestamp(job.updated_at);
  optional_time(json, "started_at", job.started_at);
  optional_time(json, "finished_at", job.finished_at);
  json.end_object();
}

void write_job_event_members(JsonWriter& json, const storage::JobEvent& event) {
  json.member("seq", event.seq)
      .key("ts")
      .timestamp(event.ts)
      .member("step", event.step)
      .member("percent", event.percent)
      .member("message", event.message);
}

std::string job_json(const storage::Job& job) {
  std::string body;
  body.reserve(512);
  JsonWriter json(body);
  write_job(json, job);
  return body;
}

void write_article(JsonWriter& json, const storage::Article& article) {
  json.begin_object()
      .member("s3_key", article.s3_key)
      .member("agent_id", article.agent_id)
      .member("title", article.title)
      .member("keyword", article.keyword)
      .member("slug", article.slug)
      .member("word_count", article.word_count)
      .member("seo_score", article.seo_score)
      .member("readability_score", article.readability_score)
      .member("status", article.status)
      .member("version", article.version);
  optional_member(json, "wp_post_id", article.wp_post_id);
  optional_member(json, "wp_url", article.wp_url);
  optional_member(json, "wp_status", article.wp_status);
  json.key("published_at");
  if (article.published_at) {
    json.timestamp(*article.published_at);
  } else {
    json.null();
  }
  json.key("created_at")
      .timestamp(article.created_at)
      .key("updated_at")
      .timestamp(article.updated_at)
      .key("expires_at")
      .timestamp(article.expires_at)
      .end_object();
}

}  // namespace seoagents::http::handlers
