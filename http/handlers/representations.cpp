// The JSON representations of agents and sites (see representations.hpp).
#include "http/handlers/representations.hpp"

#include "core/clock.hpp"

namespace seoagents::http::handlers {

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
      .member("created_at", format_rfc3339_ms(agent.created_at))
      .member("updated_at", format_rfc3339_ms(agent.updated_at))
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
    json.value(format_rfc3339_ms(*site.last_verified_at));
  } else {
    json.null();
  }
  json.member("created_at", format_rfc3339_ms(site.created_at))
      .member("updated_at", format_rfc3339_ms(site.updated_at))
      .end_object();
}

std::string site_json(const storage::Site& site) {
  std::string body;
  JsonWriter json(body);
  write_site(json, site);
  return body;
}

}  // namespace seoagents::http::handlers
