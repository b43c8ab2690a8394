// Tests of the agent repository: insert, find, update, soft delete, ownership by account,
// detaching a site, and keyset listing by every sort column with ties broken by id.
#include "storage/agents.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "storage/sites.hpp"
#include "tests/storage/store_fixture.hpp"

namespace seoagents::storage {
namespace {

// The base of the times the listing tests give their agents.
constexpr std::int64_t kBaseTime = 1'700'000'000'000;
constexpr std::size_t kAgents = 40;

constexpr std::string_view kSelectAccountAgentIds = "SELECT id FROM agents WHERE account_id = ?1";
// Ties everywhere: 3 created_at values, 4 updated_at values, 5 names, spread by rowid.
constexpr std::string_view kSpreadAgentsIntoTies =
    "UPDATE agents SET created_at = 1700000000000 + (rowid % 3), "
    "updated_at = 1700000000000 + (rowid % 4), name = 'agent ' || (rowid % 5)";

class AgentsTest : public fixtures::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    account_ = new_account("acme");
    other_ = new_account("globex");
  }

  Agent sample_agent(const std::string& account_id) {
    Agent agent;
    agent.account_id = account_id;
    agent.name = "Trade Show Content Agent";
    agent.keywords = {"trade show booth cost", "custom \"booth\"", "café"};
    agent.tone = "friendly";
    agent.word_target = 2500;
    agent.schedule = "weekly";
    return agent;
  }

  Agent insert(const Agent& agent) {
    return write<Agent>([&](Connection& db) { return insert_agent(db, agent); });
  }
  Agent update(const Agent& agent) {
    return write<Agent>([&](Connection& db) { return update_agent(db, agent); });
  }
  Site insert_sample_site(const std::string& account_id) {
    Site site;
    site.id = new_site_id();
    site.account_id = account_id;
    site.name = "Blog";
    site.url = "https://blog.example.com";
    site.username = "editor";
    site.password_sealed = "sealed";
    site.created_at = site.updated_at = now_ms();
    write<bool>([&](Connection& db) {
      insert_site(db, site);
      return true;
    });
    return site;
  }

  std::vector<Agent> list(const std::string& account_id, const std::optional<std::string>& status,
                          std::string_view sort_column = "created_at", bool descending = false,
                          const std::optional<PagePosition>& after = std::nullopt,
                          std::size_t limit = 100) {
    return list_agents(db(), account_id, status, sort_column, descending, after, limit);
  }

  // Every agent of the account, whatever its status, read one by one.
  std::vector<Agent> all_agents(const std::string& account_id) {
    std::vector<std::string> ids;
    {
      Query query = db().query(kSelectAccountAgentIds);
      query->bind(1, account_id);
      while (query->step())
        ids.emplace_back(query->text(0));
    }
    std::vector<Agent> agents;
    for (const std::string& id : ids)
      agents.push_back(*find_agent(db(), id));
    return agents;
  }

  static std::vector<std::string> ids_of(const std::vector<Agent>& agents) {
    std::vector<std::string> ids;
    for (const Agent& agent : agents)
      ids.push_back(agent.id);
    return ids;
  }

  Account account_;
  Account other_;
};

void expect_same_agent(const Agent& actual, const Agent& expected) {
  EXPECT_EQ(actual.id, expected.id);
  EXPECT_EQ(actual.account_id, expected.account_id);
  EXPECT_EQ(actual.name, expected.name);
  EXPECT_EQ(actual.keywords, expected.keywords);
  EXPECT_EQ(actual.tone, expected.tone);
  EXPECT_EQ(actual.word_target, expected.word_target);
  EXPECT_EQ(actual.schedule, expected.schedule);
  EXPECT_EQ(actual.site_id, expected.site_id);
  EXPECT_EQ(actual.status, expected.status);
  EXPECT_EQ(actual.created_at, expected.created_at);
  EXPECT_EQ(actual.updated_at, expected.updated_at);
}

// ---------------------------------------------------------------------------------------------
// Create, find, update, delete

TEST_F(AgentsTest, InsertReturnsTheStoredAgentWithAFreshIdAndTime) {
  std::int64_t before = now_ms();
  Agent agent = insert(sample_agent(account_.id));
  std::int64_t after = now_ms();
  EXPECT_TRUE(std::regex_match(agent.id, std::regex("^agent-[0-9a-f]{8}$"))) << agent.id;
  EXPECT_GE(agent.created_at, before);
  EXPECT_LE(agent.created_at, after);
  EXPECT_EQ(agent.updated_at, agent.created_at);
  EXPECT_EQ(agent.status, "active");
  EXPECT_FALSE(agent.site_id.has_value());

  auto found = find_agent(db(), agent.id);
  ASSERT_TRUE(found.has_value());
  expect_same_agent(*found, agent);
  EXPECT_EQ(found->keywords,
            (std::vector<std::string>{"trade show booth cost", "custom \"booth\"", "café"}));
}

TEST_F(AgentsTest, EachInsertGetsItsOwnId) {
  std::set<std::string> ids;
  for (int i = 0; i < 20; ++i)
    ids.insert(insert(sample_agent(account_.id)).id);
  EXPECT_EQ(ids.size(), 20u);
}

TEST_F(AgentsTest, EmptyKeywordsRoundTrip) {
  Agent agent = sample_agent(account_.id);
  agent.keywords.clear();
  Agent stored = insert(agent);
  EXPECT_TRUE(find_agent(db(), stored.id)->keywords.empty());
}

TEST_F(AgentsTest, UnknownAgentIsNotFound) {
  insert(sample_agent(account_.id));
  EXPECT_FALSE(find_agent(db(), "agent-00000000").has_value());
  EXPECT_FALSE(find_agent(db(), "").has_value());
}

TEST_F(AgentsTest, InsertForAnUnknownAccountIsAConstraintError) {
  Agent agent = sample_agent("acct-00000000");
  auto result = try_write<Agent>([&](Connection& db) { return insert_agent(db, agent); });
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, StorageError::Kind::constraint);
}

TEST_F(AgentsTest, UpdateWritesEveryMutableFieldButNotTheOwnerOrCreationTime) {
  Agent agent = insert(sample_agent(account_.id));
  Site site = insert_sample_site(account_.id);
  Agent changed = agent;
  changed.name = "Renamed";
  changed.keywords = {"one"};
  changed.tone = "casual";
  changed.word_target = 800;
  changed.schedule = "daily";
  changed.site_id = site.id;
  changed.status = "paused";
  changed.account_id = other_.id;  // not a mutable field: ignored
  changed.created_at = 1;          // likewise
  std::int64_t before = now_ms();
  Agent stored = update(changed);
  EXPECT_GE(stored.updated_at, before);

  auto found = find_agent(db(), agent.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->account_id, account_.id);
  EXPECT_EQ(found->created_at, agent.created_at);
  EXPECT_EQ(found->name, "Renamed");
  EXPECT_EQ(found->keywords, std::vector<std::string>{"one"});
  EXPECT_EQ(found->tone, "casual");
  EXPECT_EQ(found->word_target, 800);
  EXPECT_EQ(found->schedule, "daily");
  EXPECT_EQ(found->site_id, site.id);
  EXPECT_EQ(found->status, "paused");
  EXPECT_EQ(found->updated_at, stored.updated_at);
}

TEST_F(AgentsTest, UpdatedAtNeverMovesBackwards) {
  Agent agent = insert(sample_agent(account_.id));
  agent.updated_at = now_ms() + 3'600'000;  // a clock that was ahead
  Agent stored = update(agent);
  EXPECT_EQ(stored.updated_at, agent.updated_at);
  EXPECT_EQ(find_agent(db(), agent.id)->updated_at, agent.updated_at);
}

TEST_F(AgentsTest, UpdateChangesOnlyThatAgent) {
  Agent one = insert(sample_agent(account_.id));
  Agent two = insert(sample_agent(account_.id));
  one.name = "changed";
  update(one);
  expect_same_agent(*find_agent(db(), two.id), two);
}

TEST_F(AgentsTest, SoftDeletedAgentsAreReadableButNeverListed) {
  Agent kept = insert(sample_agent(account_.id));
  Agent deleted = insert(sample_agent(account_.id));
  deleted.status = "deleted";
  update(deleted);

  auto found = find_agent(db(), deleted.id);
  ASSERT_TRUE(found.has_value()) << "find reads an agent whatever its status";
  EXPECT_EQ(found->status, "deleted");
  EXPECT_EQ(ids_of(list(account_.id, std::nullopt)), std::vector<std::string>{kept.id});
  EXPECT_EQ(ids_of(list(account_.id, "active")), std::vector<std::string>{kept.id});
  EXPECT_TRUE(list(account_.id, "paused").empty());
}

TEST_F(AgentsTest, UnknownStatusIsAConstraintError) {
  Agent agent = insert(sample_agent(account_.id));
  agent.status = "archived";
  auto result = try_write<Agent>([&](Connection& db) { return update_agent(db, agent); });
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, StorageError::Kind::constraint);
  EXPECT_EQ(find_agent(db(), agent.id)->status, "active");
}

TEST_F(AgentsTest, StatusFilterListsOnlyThatStatus) {
  std::set<std::string> active;
  std::set<std::string> paused;
  for (int i = 0; i < 6; ++i) {
    Agent agent = insert(sample_agent(account_.id));
    if (i % 2 == 0) {
      active.insert(agent.id);
      continue;
    }
    agent.status = "paused";
    update(agent);
    paused.insert(agent.id);
  }
  auto ids = [](const std::vector<Agent>& agents) {
    std::set<std::string> set;
    for (const Agent& agent : agents)
      set.insert(agent.id);
    return set;
  };
  EXPECT_EQ(ids(list(account_.id, "active")), active);
  EXPECT_EQ(ids(list(account_.id, "paused")), paused);
  std::set<std::string> both = active;
  both.insert(paused.begin(), paused.end());
  EXPECT_EQ(ids(list(account_.id, std::nullopt)), both);
}

TEST_F(AgentsTest, DetachSiteClearsItFromEveryAgentThatUsesItOnly) {
  Site site = insert_sample_site(account_.id);
  Site other_site = insert_sample_site(account_.id);
  Agent uses = sample_agent(account_.id);
  uses.site_id = site.id;
  uses = insert(uses);
  Agent also_uses = insert(uses);
  Agent uses_other = sample_agent(account_.id);
  uses_other.site_id = other_site.id;
  uses_other = insert(uses_other);

  write<bool>([&](Connection& db) {
    detach_site_from_agents(db, site.id);
    delete_site(db, site.id);
    return true;
  });
  EXPECT_FALSE(find_agent(db(), uses.id)->site_id.has_value());
  EXPECT_FALSE(find_agent(db(), also_uses.id)->site_id.has_value());
  EXPECT_GE(find_agent(db(), uses.id)->updated_at, uses.updated_at);
  expect_same_agent(*find_agent(db(), uses_other.id), uses_other);
}

TEST_F(AgentsTest, ASiteInUseCannotBeDeletedBeforeItIsDetached) {
  Site site = insert_sample_site(account_.id);
  Agent agent = sample_agent(account_.id);
  agent.site_id = site.id;
  insert(agent);
  auto result = try_write<bool>([&](Connection& db) {
    delete_site(db, site.id);
    return true;
  });
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().kind, StorageError::Kind::constraint);
  EXPECT_TRUE(find_site(db(), site.id).has_value());
}

// ---------------------------------------------------------------------------------------------
// Ownership and keyset listing

class AgentListTest : public AgentsTest {
 protected:
  void SetUp() override {
    AgentsTest::SetUp();
    for (std::size_t i = 0; i < kAgents; ++i)
      insert(sample_agent(account_.id));
    for (int i = 0; i < 5; ++i)
      insert(sample_agent(other_.id));
    exec(kSpreadAgentsIntoTies);
  }

  std::vector<std::string> walk(std::string_view column, bool descending, std::size_t limit) {
    return fixtures::walk_pages<Agent>(
        [&](const std::optional<PagePosition>& after, std::size_t page_limit) {
          return list(account_.id, std::nullopt, column, descending, after, page_limit);
        },
        [&](const Agent& agent) { return agent_position(agent, column); }, limit);
  }

  std::vector<std::string> expected(std::string_view column, bool descending) {
    return fixtures::keyset_order<Agent>(
        all_agents(account_.id), [&](const Agent& agent) { return agent_position(agent, column); },
        descending);
  }
};

TEST_F(AgentListTest, TheSetupHasTiesInEverySortColumn) {
  std::set<std::int64_t> created;
  std::set<std::int64_t> updated;
  std::set<std::string> names;
  for (const Agent& agent : all_agents(account_.id)) {
    created.insert(agent.created_at);
    updated.insert(agent.updated_at);
    names.insert(agent.name);
  }
  EXPECT_EQ(created.size(), 3u);
  EXPECT_EQ(updated.size(), 4u);
  EXPECT_EQ(names.size(), 5u);
}

TEST_F(AgentListTest, EverySortAndPageSizeVisitsEachAgentOnceInOrder) {
  for (std::string_view column : kAgentSortColumns) {
    for (bool descending : {false, true}) {
      std::vector<std::string> order = expected(column, descending);
      ASSERT_EQ(order.size(), kAgents);
      for (std::size_t limit : {1u, 2u, 3u, 7u, 39u, 40u, 41u}) {
        SCOPED_TRACE(std::string(column) + (descending ? " desc" : " asc") + ", limit " +
                     std::to_string(limit));
        EXPECT_EQ(walk(column, descending, limit), order);
      }
    }
  }
}

TEST_F(AgentListTest, APositionInsideATieContinuesWithTheLargerIdsOfThatTie) {
  std::vector<Agent> named;
  for (const Agent& agent : all_agents(account_.id))
    if (agent.name == "agent 2") named.push_back(agent);
  ASSERT_GE(named.size(), 3u);
  std::vector<std::string> tie = fixtures::keyset_order<Agent>(
      named, [](const Agent& agent) { return agent_position(agent, "name"); }, false);

  auto page = list(account_.id, std::nullopt, "name", false, PagePosition{"agent 2", tie[0]},
                   tie.size() - 1);
  EXPECT_EQ(ids_of(page), std::vector<std::string>(tie.begin() + 1, tie.end()));

  page = list(account_.id, std::nullopt, "name", true, PagePosition{"agent 2", tie.back()},
              tie.size() - 1);
  EXPECT_EQ(ids_of(page), std::vector<std::string>(tie.rbegin() + 1, tie.rend()));
}

TEST_F(AgentListTest, APositionNeedNotBeARow) {
  // Between two ids of the created_at tie kBaseTime + 1: the page starts at the larger one.
  std::vector<std::string> order = expected("created_at", false);
  std::vector<Agent> all = all_agents(account_.id);
  auto created_at = [&](const std::string& id) {
    for (const Agent& agent : all)
      if (agent.id == id) return agent.created_at;
    return std::int64_t{-1};
  };
  std::size_t first = 0;
  while (created_at(order[first]) != kBaseTime + 1)
    ++first;
  std::string between = order[first] + "~";  // after order[first], before order[first + 1]
  ASSERT_EQ(created_at(order[first + 1]), kBaseTime + 1);
  auto page =
      list(account_.id, std::nullopt, "created_at", false, PagePosition{kBaseTime + 1, between}, 2);
  EXPECT_EQ(ids_of(page), (std::vector<std::string>{order[first + 1], order[first + 2]}));

  // Past the last value: nothing; before the first: from the start.
  EXPECT_TRUE(list(account_.id, std::nullopt, "created_at", false, PagePosition{kBaseTime + 9, ""})
                  .empty());
  EXPECT_EQ(ids_of(list(account_.id, std::nullopt, "created_at", false,
                        PagePosition{kBaseTime - 1, "agent-ffffffff"})),
            order);
}

TEST_F(AgentListTest, ListsOnlyTheAccountsAgents) {
  for (const Agent& agent : list(account_.id, std::nullopt))
    EXPECT_EQ(agent.account_id, account_.id);
  auto others = list(other_.id, std::nullopt);
  EXPECT_EQ(others.size(), 5u);
  for (const Agent& agent : others)
    EXPECT_EQ(agent.account_id, other_.id);
  EXPECT_TRUE(list("acct-00000000", std::nullopt).empty());
}

TEST_F(AgentListTest, APositionFromAnotherAccountOnlyPositions) {
  auto others = list(other_.id, std::nullopt, "name", false, std::nullopt, 1);
  ASSERT_EQ(others.size(), 1u);
  auto page = list(account_.id, std::nullopt, "name", false, agent_position(others[0], "name"));
  EXPECT_FALSE(page.empty());
  for (const Agent& agent : page)
    EXPECT_EQ(agent.account_id, account_.id);
}

TEST_F(AgentListTest, TheStatusFilterPagesToo) {
  // Pause every other agent in name order; paging the paused ones sees exactly those.
  std::vector<std::string> order = expected("name", false);
  std::vector<std::string> paused;
  for (std::size_t i = 0; i < order.size(); i += 2) {
    Agent agent = *find_agent(db(), order[i]);
    agent.status = "paused";
    update(agent);
    paused.push_back(agent.id);
  }
  auto seen = fixtures::walk_pages<Agent>(
      [&](const std::optional<PagePosition>& after, std::size_t limit) {
        return list(account_.id, "paused", "name", false, after, limit);
      },
      [](const Agent& agent) { return agent_position(agent, "name"); }, 3);
  EXPECT_EQ(seen, paused);
}

TEST_F(AgentListTest, PositionsFollowTheSortColumn) {
  Agent agent = *find_agent(db(), expected("name", false).front());
  PagePosition by_name = agent_position(agent, "name");
  PagePosition by_created = agent_position(agent, "created_at");
  PagePosition by_updated = agent_position(agent, "updated_at");
  EXPECT_EQ(std::get<std::string>(by_name.sort_value), agent.name);
  EXPECT_EQ(std::get<std::int64_t>(by_created.sort_value), agent.created_at);
  EXPECT_EQ(std::get<std::int64_t>(by_updated.sort_value), agent.updated_at);
  EXPECT_EQ(by_name.id, agent.id);
}

TEST_F(AgentListTest, AnUnknownSortColumnIsRefused) {
  EXPECT_THROW(list(account_.id, std::nullopt, "keywords"), std::invalid_argument);
  EXPECT_THROW(list(account_.id, std::nullopt, "id; DROP TABLE agents"), std::invalid_argument);
}

}  // namespace
}  // namespace seoagents::storage
