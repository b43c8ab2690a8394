// Tests of the job engine on a real store and real loops, with the test pipeline: a job's steps
// and their progress events (persisted and published), retries with backoff, attempts running
// out, permanent failures, cancellation (pending and at a step boundary), a stop that hands the
// running job back, a lost lease, the lease sweeper, and agent schedules under a simulated
// clock, across a restart.
#include "jobs/engine.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>

#include "storage/agents.hpp"
#include "storage/jobs.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/test_pipelines.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::jobs {
namespace {

using namespace std::chrono_literals;
using seoagents::testing::eventually;
using storage::Connection;

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    open_store();
    account_ = write_before_start<storage::Account>(
        [](Connection& db) { return storage::create_account(db, "acme", storage::Plan::agency); });
    agent_ = add_agent(account_.id, "none");
  }

  void TearDown() override {
    shut_down();
    store_.reset();
  }

  void open_store() {
    store_ = std::make_unique<storage::Store>(
        storage::Store::Options{directory_.path() + "/seoagents.db", storage::Durability::normal},
        logger_);
  }

  template <class T>
  T write_before_start(const std::function<T(Connection&)>& work) {
    auto result = store_->write_before_start<T>(work);
    if (!result) throw std::runtime_error(result.error().detail);
    return std::move(*result);
  }

  storage::Agent add_agent(const std::string& account_id, const std::string& schedule) {
    storage::Agent agent;
    agent.account_id = account_id;
    agent.name = "writer";
    agent.keywords = {"alpha", "beta"};
    agent.schedule = schedule;
    return write_before_start<storage::Agent>(
        [&](Connection& db) { return storage::insert_agent(db, agent); });
  }

  // Starts the store, the loops and an engine with the test pipeline for `create`.
  void start(EngineOptions options = fast_options()) {
    loops_ = std::make_unique<LoopPool>(2);
    engine_ = std::make_unique<JobEngine>(*store_, *loops_, logger_, options,
                                          [this] { return storage::now_ms() + clock_offset_; });
    engine_->register_pipeline("create", seoagents::testing::test_pipeline(control_));
    engine_->recover_before_start();
    subscription_ = engine_->events().subscribe(
        account_.id, std::nullopt, loops_->loop(1).get_executor(), [this](const JobUpdate& update) {
          std::lock_guard lock(updates_mutex_);
          updates_.push_back(update);
        });
    store_->start();
    engine_->start();
    loops_->start();
  }

  // Engine, store and loops stopped in the App's order; the store file stays for a restart.
  void shut_down() {
    if (!engine_) return;
    engine_->stop();
    subscription_.reset();
    store_->stop();
    loops_->stop();
    engine_.reset();
    loops_.reset();
  }

  void restart(EngineOptions options = fast_options()) {
    shut_down();
    store_.reset();
    open_store();
    start(options);
  }

  static EngineOptions fast_options() {
    EngineOptions options;
    options.workers = 2;
    options.idle_poll = 20ms;
    options.retry_base = 10ms;
    options.retry_max = 40ms;
    options.schedule_interval = 1h;  // the tests call run_schedules() themselves
    return options;
  }

  // Runs `task` on a loop and waits for its value (through an optional: use_future needs a
  // default-constructible value).
  template <class T>
  static asio::awaitable<std::optional<T>> optional_of(asio::awaitable<T> task) {
    co_return co_await std::move(task);
  }
  template <class T>
  T run(asio::awaitable<T> task) {
    return std::move(
        *asio::co_spawn(loops_->loop(0), optional_of(std::move(task)), asio::use_future).get());
  }

  storage::Job submit(const std::string& keyword = "alpha") {
    JobRequest request;
    request.account_id = account_.id;
    request.agent_id = agent_.id;
    request.job_type = "create";
    request.keyword = keyword;
    auto submitted = run(engine_->submit(request));
    if (!submitted || !*submitted) throw std::runtime_error("submit refused");
    return **submitted;
  }

  storage::Job job(const std::string& id) { return *storage::find_job(store_->reader(), id); }

  bool finishes(const std::string& id) {
    return eventually([&] { return storage::is_finished_status(job(id).status); });
  }

  std::vector<std::string> steps_of(const std::string& id) {
    std::vector<std::string> steps;
    for (const auto& event : storage::list_job_events(store_->reader(), id, std::nullopt))
      steps.push_back(event.step);
    return steps;
  }

  std::vector<JobUpdate> updates_of(const std::string& id) {
    std::lock_guard lock(updates_mutex_);
    std::vector<JobUpdate> found;
    for (const auto& update : updates_) {
      if (update.event.job_id == id) found.push_back(update);
    }
    return found;
  }

  Logger logger_{LogLevel::error, [](std::string_view) {}};
  seoagents::testing::TempDirectory directory_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<LoopPool> loops_;
  std::unique_ptr<JobEngine> engine_;
  std::shared_ptr<seoagents::testing::PipelineControl> control_ =
      std::make_shared<seoagents::testing::PipelineControl>();
  std::atomic<std::int64_t> clock_offset_{0};
  storage::Account account_;
  storage::Agent agent_;
  JobEventBus::Subscription subscription_;
  std::mutex updates_mutex_;
  std::vector<JobUpdate> updates_;
};

TEST_F(EngineTest, AJobRunsItsStepsAndRecordsEachOne) {
  start();
  storage::Job submitted = submit("best trade show booths");
  EXPECT_EQ(submitted.status, "pending");
  ASSERT_TRUE(finishes(submitted.id));
  storage::Job done = job(submitted.id);
  EXPECT_EQ(done.status, "completed");
  EXPECT_EQ(done.attempts, 1);
  auto result = boost::json::parse(*done.result).as_object();
  EXPECT_EQ(result.at("keyword").as_string(), "best trade show booths");
  EXPECT_EQ(steps_of(done.id), (std::vector<std::string>{"queued", "started", "outline", "draft",
                                                         "draft", "store", "completed"}));
  auto events = storage::list_job_events(store_->reader(), done.id, std::nullopt);
  for (std::size_t i = 1; i < events.size(); ++i) {
    EXPECT_EQ(events[i].seq, events[i - 1].seq + 1);
    EXPECT_GE(events[i].percent, events[i - 1].percent);
    EXPECT_GE(events[i].ts, events[i - 1].ts);
  }
  EXPECT_EQ(events.back().percent, 100);
  // Every persisted event was published, in order, with the status it left the job in.
  ASSERT_TRUE(eventually([&] { return updates_of(done.id).size() == events.size(); }));
  auto published = updates_of(done.id);
  for (std::size_t i = 0; i < events.size(); ++i)
    EXPECT_EQ(published[i].event.seq, events[i].seq);
  EXPECT_EQ(published.front().status, "pending");
  EXPECT_EQ(published[1].status, "processing");
  EXPECT_EQ(published.back().status, "completed");
}

TEST_F(EngineTest, ARetryableFailureRunsAgainAfterABackoff) {
  control_->retryable_failures = 1;
  start();
  storage::Job submitted = submit();
  ASSERT_TRUE(finishes(submitted.id));
  storage::Job done = job(submitted.id);
  EXPECT_EQ(done.status, "completed");
  EXPECT_EQ(done.attempts, 2);
  auto steps = steps_of(done.id);
  EXPECT_NE(std::find(steps.begin(), steps.end(), "retrying"), steps.end());
  EXPECT_EQ(std::count(steps.begin(), steps.end(), "started"), 2);
}

TEST_F(EngineTest, AJobFailsWithTheLastErrorOnceItsAttemptsAreUsed) {
  control_->retryable_failures = 100;
  start();
  storage::Job submitted = submit();
  ASSERT_TRUE(finishes(submitted.id));
  storage::Job failed = job(submitted.id);
  EXPECT_EQ(failed.status, "failed");
  EXPECT_EQ(failed.attempts, 3);
  EXPECT_EQ(failed.error, "draft: the model was overloaded");
  EXPECT_EQ(steps_of(failed.id).back(), "failed");
  EXPECT_TRUE(control_->stored().empty());
}

TEST_F(EngineTest, APermanentFailureIsNotRetried) {
  control_->fail_for_good = true;
  start();
  storage::Job submitted = submit();
  ASSERT_TRUE(finishes(submitted.id));
  storage::Job failed = job(submitted.id);
  EXPECT_EQ(failed.status, "failed");
  EXPECT_EQ(failed.attempts, 1);
  EXPECT_EQ(failed.error, "draft: the model refused the credentials");
}

TEST_F(EngineTest, CancellingARunningJobStopsItAtTheNextStepBoundary) {
  control_->hold = true;
  start();
  storage::Job submitted = submit();
  ASSERT_TRUE(eventually([&] { return control_->drafting == 1; }));
  auto cancelled = run(engine_->cancel(account_.id, submitted.id));
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled->kind, CancelResult::Kind::requested);
  EXPECT_TRUE(cancelled->job.cancel_requested);
  control_->hold = false;
  ASSERT_TRUE(finishes(submitted.id));
  EXPECT_EQ(job(submitted.id).status, "cancelled");
  EXPECT_EQ(steps_of(submitted.id).back(), "cancelled");
  // The step after the boundary never ran.
  EXPECT_TRUE(control_->stored().empty());
  // A finished job cannot be cancelled again; another account's is not found as its own.
  EXPECT_EQ(run(engine_->cancel(account_.id, submitted.id))->kind, CancelResult::Kind::finished);
  EXPECT_EQ(run(engine_->cancel("acct-other", submitted.id))->kind, CancelResult::Kind::forbidden);
  EXPECT_EQ(run(engine_->cancel(account_.id, "content-00000000"))->kind,
            CancelResult::Kind::not_found);
}

TEST_F(EngineTest, CancellingAPendingJobEndsItAtOnce) {
  control_->hold = true;
  EngineOptions options = fast_options();
  options.workers = 1;
  start(options);
  storage::Job running = submit();
  ASSERT_TRUE(eventually([&] { return control_->drafting == 1; }));
  storage::Job waiting = submit();
  auto cancelled = run(engine_->cancel(account_.id, waiting.id));
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled->kind, CancelResult::Kind::cancelled);
  EXPECT_EQ(job(waiting.id).status, "cancelled");
  EXPECT_EQ(steps_of(waiting.id), (std::vector<std::string>{"queued", "cancelled"}));
  control_->hold = false;
  ASSERT_TRUE(finishes(running.id));
  EXPECT_EQ(job(running.id).status, "completed");
  EXPECT_EQ(job(waiting.id).status, "cancelled");
}

TEST_F(EngineTest, StoppingHandsTheRunningJobBackAndARestartFinishesIt) {
  control_->hold = true;
  start();
  storage::Job submitted = submit();
  ASSERT_TRUE(eventually([&] { return control_->drafting == 1; }));
  shut_down();
  storage::Job handed_back = job(submitted.id);
  EXPECT_EQ(handed_back.status, "pending");
  EXPECT_EQ(handed_back.attempts, 0);
  EXPECT_FALSE(handed_back.lease_token);
  EXPECT_EQ(steps_of(submitted.id).back(), "requeued");

  control_->hold = false;
  restart();
  ASSERT_TRUE(finishes(submitted.id));
  EXPECT_EQ(job(submitted.id).status, "completed");
  EXPECT_EQ(job(submitted.id).attempts, 1);
}

TEST_F(EngineTest, AWorkerThatLostItsLeaseWritesNothingMore) {
  control_->hold = true;
  start();
  storage::Job submitted = submit();
  ASSERT_TRUE(eventually([&] { return control_->drafting == 1; }));
  // Another worker took the job over (as after an expiry).
  run(store_->write<bool>([&](Connection& db) {
    db.exec("UPDATE jobs SET lease_token = 'someone-else' WHERE id = '" + submitted.id + "'");
    return true;
  }));
  std::size_t events_before = steps_of(submitted.id).size();
  control_->hold = false;
  ASSERT_TRUE(eventually([&] { return control_->drafting == 0 && engine_->running_jobs() == 0; }));
  storage::Job after = job(submitted.id);
  EXPECT_EQ(after.status, "processing");
  EXPECT_EQ(after.lease_token, "someone-else");
  EXPECT_EQ(steps_of(submitted.id).size(), events_before);
  EXPECT_TRUE(control_->stored().empty());
}

TEST_F(EngineTest, TheSweeperReturnsAJobWhoseWorkerDiedAndItRunsAgain) {
  // A job claimed an hour ago by a worker that is gone.
  std::int64_t hour_ago = storage::now_ms() - 3'600'000;
  auto job_id = write_before_start<std::string>([&](Connection& db) {
    storage::Job job;
    job.account_id = account_.id;
    job.agent_id = agent_.id;
    job.job_type = "create";
    job.keyword = "alpha";
    auto inserted = storage::insert_job(db, job, hour_ago);
    storage::claim_next_job(db, hour_ago, 30'000, "dead-worker");
    return inserted.id;
  });
  EngineOptions options = fast_options();
  start(options);
  // recover_before_start() already returned it (no other process can hold it); it runs again.
  ASSERT_TRUE(finishes(job_id));
  EXPECT_EQ(job(job_id).status, "completed");
  EXPECT_EQ(job(job_id).attempts, 2);
  auto steps = steps_of(job_id);
  EXPECT_EQ(std::count(steps.begin(), steps.end(), "requeued"), 1);
  EXPECT_EQ(std::count(steps.begin(), steps.end(), "completed"), 1);
}

TEST_F(EngineTest, TheSweeperReclaimsLeasesThatExpireWhileTheServerRuns) {
  control_->hold = true;
  start();
  storage::Job submitted = submit();
  ASSERT_TRUE(eventually([&] { return control_->drafting == 1; }));
  // Nothing has expired yet.
  EXPECT_EQ(run(engine_->reclaim_expired_leases()), 0u);
  // An hour later (the heartbeat did not get to renew): the lease is expired.
  clock_offset_ = 3'600'000;
  EXPECT_EQ(run(engine_->reclaim_expired_leases()), 1u);
  control_->hold = false;
  ASSERT_TRUE(eventually([&] { return job(submitted.id).status == "completed"; }));
  // The first worker's late writes were refused; the second attempt completed it once.
  auto steps = steps_of(submitted.id);
  EXPECT_EQ(std::count(steps.begin(), steps.end(), "completed"), 1);
  EXPECT_EQ(job(submitted.id).attempts, 2);
}

TEST_F(EngineTest, AWeeklyScheduleCreatesOneJobPerWeekEvenAcrossRestarts) {
  storage::Agent weekly = add_agent(account_.id, "weekly");
  // Monday 2027-01-04 00:00 UTC, as the engine's clock.
  constexpr std::int64_t kMonday = 1'799'020'800'000;
  constexpr std::int64_t kDay = 24LL * 3600 * 1000;
  clock_offset_ = kMonday - storage::now_ms();
  control_->hold = true;  // the jobs stay in flight; only their creation matters here
  start();
  auto scheduled_jobs = [&] {
    storage::JobFilter filter;
    filter.agent_id = weekly.id;
    return storage::list_jobs(store_->reader(), account_.id, filter, false, std::nullopt, 100);
  };
  auto free_slots = [&] {
    run(store_->write<bool>([](Connection& db) {
      db.exec("UPDATE jobs SET status = 'completed', lease_token = NULL");
      return true;
    }));
  };
  // The engine's own pass at start may have come first: count jobs, not what a pass returns.
  auto pass_then_count = [&] {
    run(engine_->run_schedules());
    return scheduled_jobs().size();
  };
  EXPECT_EQ(pass_then_count(), 1u);
  EXPECT_EQ(pass_then_count(), 1u);
  for (int day = 1; day < 7; ++day) {
    clock_offset_ = kMonday + day * kDay - storage::now_ms();
    EXPECT_EQ(pass_then_count(), 1u) << "day " << day;
  }
  free_slots();
  clock_offset_ = kMonday + 7 * kDay - storage::now_ms();
  EXPECT_EQ(pass_then_count(), 2u);
  control_->hold = false;
  restart();
  EXPECT_EQ(pass_then_count(), 2u);
  clock_offset_ = kMonday + 13 * kDay - storage::now_ms();
  EXPECT_EQ(pass_then_count(), 2u);
  clock_offset_ = kMonday + 14 * kDay - storage::now_ms();
  EXPECT_EQ(pass_then_count(), 3u);
  auto jobs = scheduled_jobs();
  ASSERT_EQ(jobs.size(), 3u);
  for (const auto& job : jobs) {
    EXPECT_EQ(job.origin, "schedule");
    EXPECT_EQ(job.job_type, "create");
  }
  // The keywords rotate.
  EXPECT_EQ(*jobs[0].keyword, "alpha");
  EXPECT_EQ(*jobs[1].keyword, "beta");
  EXPECT_EQ(*jobs[2].keyword, "alpha");
}

TEST_F(EngineTest, SchedulesSkipPausedAgentsAndWaitForAFreeSlot) {
  storage::Agent daily = add_agent(account_.id, "daily");
  storage::Agent paused = add_agent(account_.id, "monthly");
  write_before_start<bool>([&](Connection& db) {
    db.exec("UPDATE agents SET status = 'paused' WHERE id = '" + paused.id + "'");
    // The account is at its limit: agency allows 15.
    for (int i = 0; i < 15; ++i) {
      storage::Job job;
      job.account_id = account_.id;
      job.agent_id = agent_.id;
      job.job_type = "create";
      storage::insert_job(db, job, 1);
    }
    return true;
  });
  EngineOptions options = fast_options();
  options.workers = 1;
  control_->hold = true;
  start(options);
  storage::JobFilter filter;
  filter.agent_id = daily.id;
  run(engine_->run_schedules());
  EXPECT_TRUE(
      storage::list_jobs(store_->reader(), account_.id, filter, false, std::nullopt, 10).empty());
  run(store_->write<bool>([](Connection& db) {
    db.exec("UPDATE jobs SET status = 'cancelled', lease_token = NULL");
    return true;
  }));
  run(engine_->run_schedules());
  EXPECT_EQ(
      storage::list_jobs(store_->reader(), account_.id, filter, false, std::nullopt, 10).size(),
      1u);
  filter.agent_id = paused.id;
  EXPECT_TRUE(
      storage::list_jobs(store_->reader(), account_.id, filter, false, std::nullopt, 10).empty());
  control_->hold = false;
}

}  // namespace
}  // namespace seoagents::jobs
