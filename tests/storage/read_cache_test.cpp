// Tests of the per-loop read cache: a hit does not load, any committed change to the table (by
// any row) makes entries stale before the writer resumes, changes to other tables do not, rows
// not found are not cached, and threads that are not loops always load.
#include "storage/read_cache.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "storage/agents.hpp"
#include "tests/storage/store_fixture.hpp"

namespace seoagents::storage {
namespace {

class ReadCacheTest : public fixtures::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    cache_ = std::make_unique<ReadCache<Agent>>(*store_, Store::CachedTable::agents, 2, 100);
    account_ = new_account("acme");
    agent_ = insert("first");
    other_ = insert("second");
  }

  Agent insert(const std::string& name) {
    Agent agent;
    agent.account_id = account_.id;
    agent.name = name;
    return write<Agent>([&](Connection& db) { return insert_agent(db, agent); });
  }

  // Looks `id` up as loop 0 would, counting loads.
  const Agent* find(const std::string& id) {
    LoopPool::ScopedLoopIndex on_loop(0);
    return cache_->find(id, [&](Connection& db) {
      ++loads_;
      return find_agent(db, id);
    });
  }

  Account account_;
  Agent agent_;
  Agent other_;
  // Created in SetUp, once the store exists.
  std::unique_ptr<ReadCache<Agent>> cache_;
  int loads_ = 0;
};

TEST_F(ReadCacheTest, ASecondLookupIsAHitWithoutALoad) {
  ASSERT_NE(find(agent_.id), nullptr);
  EXPECT_EQ(find(agent_.id)->name, "first");
  EXPECT_EQ(loads_, 1);
  EXPECT_EQ(cache_->hits(0), 1u);
}

TEST_F(ReadCacheTest, AnyChangeToTheTableMakesEveryEntryStale) {
  find(agent_.id);
  find(other_.id);
  // Another row changes: both entries are stale (one generation per table).
  Agent renamed = other_;
  renamed.name = "renamed";
  write<Agent>([&](Connection& db) { return update_agent(db, renamed); });
  EXPECT_EQ(find(other_.id)->name, "renamed");
  EXPECT_EQ(find(agent_.id)->name, "first");
  EXPECT_EQ(loads_, 4);
  // Through the writer thread too, before the writer's caller resumes.
  asio::io_context context;
  store_->start();
  // A named lambda: its captures must outlive the coroutine it starts.
  auto write_then_read = [&]() -> asio::awaitable<bool> {
    co_await store_->write<bool>([&](Connection& db) {
      Agent again = agent_;
      again.name = "changed by a request";
      update_agent(db, again);
      return true;
    });
    // What the next request on this loop would see right after the answer.
    co_return find(agent_.id)->name == "changed by a request";
  };
  auto done = asio::co_spawn(context, write_then_read(), asio::use_future);
  context.run();
  EXPECT_TRUE(done.get());
  store_->stop();
}

TEST_F(ReadCacheTest, ChangesToOtherTablesLeaveEntriesValid) {
  find(agent_.id);
  new_account("globex");
  find(agent_.id);
  EXPECT_EQ(loads_, 1);
}

TEST_F(ReadCacheTest, MissingRowsAreNotCached) {
  EXPECT_EQ(find("agent-00000000"), nullptr);
  EXPECT_EQ(find("agent-00000000"), nullptr);
  EXPECT_EQ(loads_, 2);
}

TEST_F(ReadCacheTest, ThreadsThatAreNotLoopsAlwaysLoad) {
  for (int i = 0; i < 3; ++i) {
    const Agent* agent = cache_->find(agent_.id, [&](Connection& db) {
      ++loads_;
      return find_agent(db, agent_.id);
    });
    ASSERT_NE(agent, nullptr);
    EXPECT_EQ(agent->id, agent_.id);
  }
  EXPECT_EQ(loads_, 3);
}

TEST_F(ReadCacheTest, AFullShardIsEmptiedNotGrown) {
  ReadCache<Agent> small(*store_, Store::CachedTable::agents, 1, 1);
  LoopPool::ScopedLoopIndex on_loop(0);
  auto load = [&](const std::string& id) {
    return [&, id](Connection& db) {
      ++loads_;
      return find_agent(db, id);
    };
  };
  small.find(agent_.id, load(agent_.id));
  small.find(other_.id, load(other_.id));
  small.find(agent_.id, load(agent_.id));
  EXPECT_EQ(loads_, 3);
}

}  // namespace
}  // namespace seoagents::storage
