// The JSON representations of agents and sites, as the API returns them. Shared by the handlers
// (single resources and list pages) and the benchmarks.
#pragma once

#include <string>

#include "core/json_writer.hpp"
#include "storage/agents.hpp"
#include "storage/sites.hpp"

namespace seoagents::http::handlers {

void write_agent(JsonWriter& json, const storage::Agent& agent);
std::string agent_json(const storage::Agent& agent);

// Never includes the application password: only whether one is stored.
void write_site(JsonWriter& json, const storage::Site& site);
std::string site_json(const storage::Site& site);

}  // namespace seoagents::http::handlers
