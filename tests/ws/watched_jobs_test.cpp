// Tests of the set of watched jobs: counted watchers, the guard of a subscribe that may fail.
#include "ws/watched_jobs.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace seoagents::ws {
namespace {

TEST(WatchedJobs, AJobIsWatchedUntilItsLastWatcherLeaves) {
  WatchedJobs jobs;
  EXPECT_FALSE(jobs.watched("content-1"));
  jobs.add("content-1");
  jobs.add("content-1");
  EXPECT_TRUE(jobs.watched("content-1"));
  EXPECT_FALSE(jobs.watched("content-2"));
  jobs.remove("content-1");
  EXPECT_TRUE(jobs.watched("content-1"));
  jobs.remove("content-1");
  EXPECT_FALSE(jobs.watched("content-1"));
  jobs.remove("content-1");  // one too many: nothing happens
  EXPECT_FALSE(jobs.watched("content-1"));
}

TEST(WatchedJobs, AGuardUnmarksUnlessKept) {
  WatchedJobs jobs;
  std::string id = "content-1";
  {
    WatchGuard failed_subscribe(jobs, id);
    EXPECT_TRUE(jobs.watched(id));
  }
  EXPECT_FALSE(jobs.watched(id));
  {
    WatchGuard subscribed(jobs, id);
    subscribed.keep();
  }
  EXPECT_TRUE(jobs.watched(id));
}

TEST(WatchedJobs, ConcurrentWatchersBalanceOut) {
  WatchedJobs jobs;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&jobs, t] {
      for (int i = 0; i < 10'000; ++i) {
        std::string id = "content-" + std::to_string((i + t) % 50);
        jobs.add(id);
        EXPECT_TRUE(jobs.watched(id));
        jobs.remove(id);
      }
    });
  }
  for (auto& thread : threads)
    thread.join();
  for (int i = 0; i < 50; ++i)
    EXPECT_FALSE(jobs.watched("content-" + std::to_string(i)));
}

}  // namespace
}  // namespace seoagents::ws
