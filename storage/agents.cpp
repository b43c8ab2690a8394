// Agent persistence. Keywords are stored as a JSON array.
#include "storage/agents.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/random_id.hpp"
#include "storage/ids.hpp"
#include "storage/keyset.hpp"

namespace seoagents::storage {
namespace {

constexpr std::string_view kAgentIdTaken = "SELECT 1 FROM agents WHERE id = ?";

constexpr std::string_view kInsertAgent =
    "INSERT INTO agents (id, account_id, name, keywords, tone, word_target, schedule, site_id, "
    "status, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
constexpr std::string_view kUpdateAgent =
    "UPDATE agents SET name = ?2, keywords = ?3, tone = ?4, word_target = ?5, schedule = ?6, "
    "site_id = ?7, status = ?8, updated_at = ?9 WHERE id = ?1";
constexpr std::string_view kSelectAgent =
    "SELECT id, account_id, name, keywords, tone, word_target, schedule, site_id, status, "
    "created_at, updated_at FROM agents "
    "WHERE id = ?1";
constexpr std::string_view kNextKeyword = "SELECT next_keyword FROM agents WHERE id = ?1";
constexpr std::string_view kAdvanceKeyword = "UPDATE agents SET next_keyword = ?2 WHERE id = ?1";
constexpr std::string_view kSelectScheduled =
    "SELECT id, account_id, name, keywords, tone, word_target, schedule, site_id, status, "
    "created_at, updated_at, scheduled_period FROM agents "
    "WHERE status = 'active' AND schedule != 'none' ORDER BY created_at, id";
constexpr std::string_view kScheduledPeriod = "SELECT scheduled_period FROM agents WHERE id = ?1";
constexpr std::string_view kMarkScheduled = "UPDATE agents SET scheduled_period = ?2 WHERE id = ?1";
constexpr std::string_view kDetachSite =
    "UPDATE agents SET site_id = NULL, updated_at = ?2 WHERE site_id = ?1";

// The agent list's filters (parameter 1: the account; 2: the status, when one is asked for);
// keyset.hpp adds position, order and limit.
constexpr std::string_view kSelectAgentPageWithStatus =
    "SELECT id, account_id, name, keywords, tone, word_target, schedule, site_id, status, "
    "created_at, updated_at FROM agents "
    "WHERE account_id = ?1 AND status = ?2";
constexpr std::string_view kSelectAgentPageWithoutDeleted =
    "SELECT id, account_id, name, keywords, tone, word_target, schedule, site_id, status, "
    "created_at, updated_at FROM agents "
    "WHERE account_id = ?1 AND status != 'deleted'";

const KeysetStatements& pages_with_status() {
  static const KeysetStatements pages(kSelectAgentPageWithStatus, 2,
                                      {"created_at", "updated_at", "name"});
  return pages;
}

const KeysetStatements& pages_without_deleted() {
  static const KeysetStatements pages(kSelectAgentPageWithoutDeleted, 1,
                                      {"created_at", "updated_at", "name"});
  return pages;
}

std::string keywords_json(const std::vector<std::string>& keywords) {
  boost::json::array array;
  for (const auto& keyword : keywords)
    array.emplace_back(keyword);
  return boost::json::serialize(array);
}

std::vector<std::string> keywords_from_json(std::string_view text) {
  std::vector<std::string> keywords;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(text, ec);
  if (ec || !value.is_array()) return keywords;
  for (const auto& item : value.as_array()) {
    if (item.is_string()) keywords.emplace_back(item.as_string());
  }
  return keywords;
}

Agent read_agent(Statement& row) {
  Agent agent;
  agent.id = row.text(0);
  agent.account_id = row.text(1);
  agent.name = row.text(2);
  agent.keywords = keywords_from_json(row.text(3));
  agent.tone = row.text(4);
  agent.word_target = row.integer(5);
  agent.schedule = row.text(6);
  agent.site_id = row.optional_text(7);
  agent.status = row.text(8);
  agent.created_at = row.integer(9);
  agent.updated_at = row.integer(10);
  return agent;
}

}  // namespace

Agent insert_agent(Connection& db, Agent agent) {
  agent.id = fresh_id(db, "agent-", kAgentIdTaken);
  agent.created_at = agent.updated_at = now_ms();
  db.query(kInsertAgent)
      ->bind(1, agent.id)
      .bind(2, agent.account_id)
      .bind(3, agent.name)
      .bind(4, keywords_json(agent.keywords))
      .bind(5, agent.tone)
      .bind(6, agent.word_target)
      .bind(7, agent.schedule)
      .bind(8, agent.site_id)
      .bind(9, agent.status)
      .bind(10, agent.created_at)
      .bind(11, agent.updated_at)
      .run();
  return agent;
}

Agent update_agent(Connection& db, Agent agent) {
  agent.updated_at = std::max(now_ms(), agent.updated_at);
  db.query(kUpdateAgent)
      ->bind(1, agent.id)
      .bind(2, agent.name)
      .bind(3, keywords_json(agent.keywords))
      .bind(4, agent.tone)
      .bind(5, agent.word_target)
      .bind(6, agent.schedule)
      .bind(7, agent.site_id)
      .bind(8, agent.status)
      .bind(9, agent.updated_at)
      .run();
  return agent;
}

std::optional<Agent> find_agent(Connection& db, std::string_view agent_id) {
  Query query = db.query(kSelectAgent);
  query->bind(1, agent_id);
  if (!query->step()) return std::nullopt;
  return read_agent(*query);
}

std::vector<Agent> list_agents(Connection& db, std::string_view account_id,
                               const std::optional<std::string>& status,
                               std::string_view sort_column, bool descending,
                               const std::optional<PagePosition>& after, std::size_t limit) {
  KeysetPage page{sort_column, descending, after, limit};
  if (status) return read_page(db, pages_with_status(), {account_id, *status}, page, read_agent);
  return read_page(db, pages_without_deleted(), {account_id}, page, read_agent);
}

PagePosition agent_position(const Agent& agent, std::string_view sort_column) {
  if (sort_column == "name") return {agent.name, agent.id};
  if (sort_column == "updated_at") return {agent.updated_at, agent.id};
  return {agent.created_at, agent.id};
}

std::optional<std::string> take_next_keyword(Connection& db, const Agent& agent) {
  if (agent.keywords.empty()) return std::nullopt;
  std::int64_t next = 0;
  {
    Query query = db.query(kNextKeyword);
    query->bind(1, agent.id);
    if (query->step()) next = query->integer(0);
  }
  auto count = static_cast<std::int64_t>(agent.keywords.size());
  std::int64_t index = ((next % count) + count) % count;
  db.query(kAdvanceKeyword)->bind(1, agent.id).bind(2, (index + 1) % count).run();
  return agent.keywords[static_cast<std::size_t>(index)];
}

std::vector<ScheduledAgent> list_scheduled_agents(Connection& db) {
  Query query = db.query(kSelectScheduled);
  std::vector<ScheduledAgent> agents;
  while (query->step())
    agents.push_back({read_agent(*query), query->optional_text(11)});
  return agents;
}

std::optional<std::string> scheduled_period_of(Connection& db, std::string_view agent_id) {
  Query query = db.query(kScheduledPeriod);
  query->bind(1, agent_id);
  if (!query->step()) return std::nullopt;
  return query->optional_text(0);
}

void mark_agent_scheduled(Connection& db, std::string_view agent_id, std::string_view period) {
  db.query(kMarkScheduled)->bind(1, agent_id).bind(2, period).run();
}

void detach_site_from_agents(Connection& db, std::string_view site_id) {
  db.query(kDetachSite)->bind(1, site_id).bind(2, now_ms()).run();
}

}  // namespace seoagents::storage
