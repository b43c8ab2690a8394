// Agents: an account's content writers, each with keywords, tone, word target, schedule and an
// optional WordPress site. Deleting is soft: the status becomes "deleted" and the agent is no
// longer listed or readable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/accounts.hpp"
#include "storage/sqlite.hpp"

namespace seoagents::storage {

struct Agent {
  std::string id;
  std::string account_id;
  std::string name;
  std::vector<std::string> keywords;
  std::string tone = "professional";
  std::int64_t word_target = 1500;
  std::string schedule = "none";
  std::optional<std::string> site_id;
  std::string status = "active";
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// The sort columns agent lists accept.
inline constexpr std::string_view kAgentSortColumns[] = {"created_at", "updated_at", "name"};

// Inserts `agent` with a fresh id and the current time; returns it as stored.
Agent insert_agent(Connection& db, Agent agent);
// Writes every mutable field and updated_at = now; returns the agent as stored.
Agent update_agent(Connection& db, Agent agent);

// The agent, whatever its status.
std::optional<Agent> find_agent(Connection& db, std::string_view agent_id);

// A page of the account's agents: `status` "active" or "paused", or nullopt for both (deleted
// agents are never listed).
std::vector<Agent> list_agents(Connection& db, std::string_view account_id,
                               const std::optional<std::string>& status,
                               std::string_view sort_column, bool descending,
                               const std::optional<PagePosition>& after, std::size_t limit);

// The value of `sort_column` for `agent`, for the next page's cursor.
PagePosition agent_position(const Agent& agent, std::string_view sort_column);

// The keyword a `create` job without one uses: the agent's keywords in turn (the rotation is
// kept in the agent row). nullopt when the agent has none.
std::optional<std::string> take_next_keyword(Connection& db, const Agent& agent);

// An active agent with a schedule, and the last period ("2026-11-29", "2026-W48", "2026-11")
// a scheduled job was created for.
struct ScheduledAgent {
  Agent agent;
  std::optional<std::string> scheduled_period;
};
std::vector<ScheduledAgent> list_scheduled_agents(Connection& db);
// The last period a scheduled job was created for.
std::optional<std::string> scheduled_period_of(Connection& db, std::string_view agent_id);
// Records that the agent's job for `period` was created.
void mark_agent_scheduled(Connection& db, std::string_view agent_id, std::string_view period);

// Drops the site from every agent that uses it (the site is being removed).
void detach_site_from_agents(Connection& db, std::string_view site_id);

}  // namespace seoagents::storage
