// Tests of the writer's metrics: every committed group is observed once in the group-size and
// commit-latency histograms, with its writes summed.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <filesystem>
#include <future>
#include <vector>

#include "storage/store.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::storage {
namespace {

TEST(StoreMetrics, EveryCommittedGroupIsObservedWithItsWrites) {
  std::string directory = testing::make_temp_directory();
  Logger logger{LogLevel::error, [](std::string_view) {}};
  {
    // Declared before the store: the writer thread may still hold a handler bound to it until
    // the store stops.
    asio::io_context context;
    Store store({directory + "/seoagents.db"}, logger);
    std::uint64_t groups_before = store.committed_groups();
    EXPECT_EQ(store.group_sizes().snapshot().count, groups_before);  // the migrations' own
    store.start();
    constexpr int kWrites = 300;
    std::vector<std::future<bool>> results;
    for (int i = 0; i < kWrites; ++i) {
      results.push_back(asio::co_spawn(
          context,
          [&store]() -> asio::awaitable<bool> {
            auto result = co_await store.write<int>([](Connection& c) {
              c.exec("CREATE TABLE IF NOT EXISTS counted (n INTEGER)");
              c.exec("INSERT INTO counted (n) VALUES (1)");
              return 1;
            });
            co_return result.has_value();
          },
          asio::use_future));
    }
    context.run();
    for (auto& result : results)
      EXPECT_TRUE(result.get());
    store.stop();

    metrics::Histogram::Snapshot sizes = store.group_sizes().snapshot();
    metrics::Histogram::Snapshot latency = store.commit_seconds().snapshot();
    EXPECT_EQ(sizes.count, store.committed_groups());
    EXPECT_EQ(latency.count, store.committed_groups());
    EXPECT_EQ(static_cast<std::uint64_t>(sizes.sum), store.committed_writes());
    EXPECT_GE(store.committed_writes(), static_cast<std::uint64_t>(kWrites));
    EXPECT_GT(latency.sum, 0);
    // Group commit: fewer groups than writes, so some group held several.
    EXPECT_LT(sizes.cumulative[0], sizes.count);
  }
  std::filesystem::remove_all(directory);
}

}  // namespace
}  // namespace seoagents::storage
