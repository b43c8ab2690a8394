// The embedded job scheduler. Workers are coroutines on the loop threads: each claims a job from
// the durable queue with a lease, renews the lease while the job's pipeline runs, records a
// progress event after every step (persisted, then published on the event bus), and ends the
// job completed, failed, cancelled, or back in the queue for a retry with backoff. Beside the
// workers, a sweeper returns jobs whose lease expired to the queue, and the scheduler creates
// the `create` jobs of agent schedules through the same submit path as the API.
//
// Threads: start() and stop() are called from the thread that owns the App; submit(), cancel()
// and the rest from any loop thread. Each worker and its timers live on one loop.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.hpp"
#include "core/log.hpp"
#include "core/loop_pool.hpp"
#include "jobs/event_bus.hpp"
#include "jobs/pipeline.hpp"
#include "jobs/submit.hpp"
#include "storage/store.hpp"

namespace seoagents::jobs {

struct EngineOptions {
  // Workers across all loops: at most this many jobs run at once in the process.
  unsigned workers = 4;
  // A claimed job is the worker's until this long after its last renewal (renewed every third).
  std::chrono::milliseconds lease{30'000};
  // An idle worker looks for work at least this often (a submit wakes it at once).
  std::chrono::milliseconds idle_poll{1'000};
  // How often agent schedules are checked.
  std::chrono::milliseconds schedule_interval{30'000};
  // Retry backoff: base · 2^(attempt-1), at most max, then between half and all of it (jitter).
  std::chrono::milliseconds retry_base{2'000};
  std::chrono::milliseconds retry_max{300'000};
  // On stop, time running steps get to return before their leases are released regardless.
  std::chrono::milliseconds stop_grace{5'000};
  // Attempts a job gets before it fails for good.
  std::int64_t max_attempts = 3;
  // Called (on the worker's loop) when an attempt of a job of `job_type` ends, with the time it
  // ran from its claim to its recorded end (metrics). May be empty.
  std::function<void(const std::string& job_type, std::chrono::steady_clock::duration ran)>
      on_attempt_end;
};

// Milliseconds since the Unix epoch; tests substitute a clock they drive.
using NowFunction = std::function<std::int64_t()>;

// What a cancel request found.
struct CancelResult {
  enum class Kind { not_found, forbidden, cancelled, requested, finished };
  Kind kind;
  // The job after the request (not set for not_found / forbidden).
  storage::Job job;
};

class JobEngine {
 public:
  JobEngine(storage::Store& store, LoopPool& loops, Logger& logger, EngineOptions options,
            NowFunction now);
  ~JobEngine();
  JobEngine(const JobEngine&) = delete;
  JobEngine& operator=(const JobEngine&) = delete;

  // Gives a job type its pipeline; before start(). A type without one is refused at submit.
  void register_pipeline(std::string job_type, Pipeline pipeline);
  // Runs `pass` on loop 0 every `interval` (first at start) until stop, like the engine's own
  // sweeper and scheduler; before start(). For the upkeep jobs need (the article sweeper).
  void add_periodic_task(std::chrono::milliseconds interval,
                         std::function<asio::awaitable<std::size_t>()> pass);
  bool accepts(std::string_view job_type) const;

  // Before the store's writer starts: every job left processing by the last process goes back to
  // the queue (or fails, out of attempts). Only one server runs on a data directory (it holds a
  // lock), so no other process can be working on them.
  void recover_before_start();
  // Spawns the workers, the lease sweeper and the scheduler on the loops.
  void start();
  // Stops claiming, lets running steps return (up to stop_grace), and hands every job still held
  // back to the queue, lease released and the attempt not counted. Idempotent.
  void stop();

  // Admits a job (see submit_job) with its first progress event, and wakes a worker.
  asio::awaitable<Expected<Expected<storage::Job, SubmitRefusal>, storage::StorageError>> submit(
      JobRequest request);
  // Cancels a pending job now, or asks a processing one to stop at its next step boundary.
  asio::awaitable<Expected<CancelResult, storage::StorageError>> cancel(std::string account_id,
                                                                        std::string job_id);

  // One pass of the scheduler at now(): the number of jobs it created.
  asio::awaitable<std::size_t> run_schedules();
  // One pass of the lease sweeper at now(): the number of jobs it returned or failed.
  asio::awaitable<std::size_t> reclaim_expired_leases();

  JobEventBus& events() { return bus_; }
  std::int64_t now() const { return now_(); }
  // Jobs running in this process now.
  std::size_t running_jobs() const;

 private:
  struct Worker;
  struct Run;
  class RunContext;
  enum class Ending { completed, failed, cancelled, lost, stopping };
  struct StepsResult {
    Ending ending;
    std::string error;
    bool retryable = false;
  };
  static StepsResult ended(Ending ending);
  static StepsResult failed(std::string error, bool retryable);

  asio::awaitable<void> work(std::shared_ptr<Worker> worker);
  asio::awaitable<void> idle_wait(Worker& worker);
  asio::awaitable<std::shared_ptr<Run>> claim(Worker& worker);
  asio::awaitable<void> run(std::shared_ptr<Run> run);
  asio::awaitable<StepsResult> run_steps(Run& run, RunContext& context);
  asio::awaitable<Ending> record_step(Run& run, std::string step, std::int64_t percent,
                                      std::string message);
  asio::awaitable<void> finish(Run& run, const StepsResult& result);
  asio::awaitable<void> heartbeat(std::shared_ptr<Run> run);
  asio::awaitable<void> periodic(std::chrono::milliseconds interval,
                                 std::function<asio::awaitable<std::size_t>()> pass,
                                 std::shared_ptr<asio::steady_timer> timer);
  void start_periodic(std::chrono::milliseconds interval,
                      std::function<asio::awaitable<std::size_t>()> pass);

  // storage::reclaim_expired_leases, each reclaimed job's event published once committed.
  std::vector<storage::ReclaimedJob> reclaim(storage::Connection& db, std::int64_t now, bool all);
  // Wakes idle workers: a job may be runnable.
  void notify();
  std::int64_t retry_delay(std::int64_t attempt);
  void spawn(asio::io_context& loop, asio::awaitable<void> task);
  void release_held_leases();

  storage::Store& store_;
  LoopPool& loops_;
  Logger& logger_;
  EngineOptions options_;
  NowFunction now_;
  JobEventBus bus_;
  std::map<std::string, Pipeline, std::less<>> pipelines_;
  // Owned by their coroutines, so that whatever still holds them when the loops are destroyed
  // goes with the loops (the engine may be destroyed before or after them).
  std::vector<std::weak_ptr<Worker>> workers_;
  // The periodic tasks' timers, on loop 0.
  std::vector<std::weak_ptr<asio::steady_timer>> periodic_timers_;
  // Tasks added with add_periodic_task, started by start().
  std::vector<std::pair<std::chrono::milliseconds, std::function<asio::awaitable<std::size_t>()>>>
      extra_periodic_tasks_;
  std::atomic<bool> stopping_{false};
  bool started_ = false;
  // Coroutines still running (workers, heartbeats, periodic tasks); stop() waits for zero.
  std::mutex live_mutex_;
  std::condition_variable live_changed_;
  std::size_t live_ = 0;
  // Leases held by this process: job id → token.
  mutable std::mutex held_mutex_;
  std::map<std::string, std::string> held_;
};

}  // namespace seoagents::jobs
