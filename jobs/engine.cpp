// The worker loop, the step runner, leases, retries and the periodic sweeper and scheduler.
#include "jobs/engine.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>
#include <random>

#include "core/random_id.hpp"
#include "jobs/schedule.hpp"
#include "jobs/webhooks/job_events.hpp"
#include "storage/agents.hpp"

namespace seoagents::jobs {

using storage::Connection;
using storage::Job;
using storage::JobEvent;

// A worker: a coroutine bound to one loop, with the timer it sleeps on when idle.
struct JobEngine::Worker {
  asio::io_context* loop = nullptr;
  std::unique_ptr<asio::steady_timer> wake;
  // The job it runs now, if any (its nap timer is cancelled on stop).
  std::shared_ptr<Run> current;
};

// One attempt of one job, shared by the worker running it and its heartbeat.
struct JobEngine::Run {
  Run(Job claimed, asio::io_context& worker_loop)
      : job(std::move(claimed)), loop(worker_loop), heartbeat_timer(loop), nap_timer(loop) {}
  Job job;
  // The worker's loop: the heartbeat runs there too.
  asio::io_context& loop;
  std::string token;
  boost::json::object result;
  boost::json::object scratch;
  // The step running now: the `step` of its intermediate progress events.
  std::string current_step;
  // The last percent recorded, for the events that end the attempt.
  std::int64_t percent = 0;
  bool done = false;
  // The heartbeat found the lease taken away.
  bool lost = false;
  asio::steady_timer heartbeat_timer;
  asio::steady_timer nap_timer;
};

// What a step sees: the job, the result being built, intermediate progress, an interruptible
// sleep.
class JobEngine::RunContext final : public JobContext {
 public:
  RunContext(JobEngine& engine, Run& run) : engine_(engine), run_(run) {}
  const Job& job() const override { return run_.job; }
  boost::json::object& result() override { return run_.result; }
  boost::json::object& scratch() override { return run_.scratch; }
  asio::awaitable<void> progress(std::int64_t percent, std::string message) override {
    co_await engine_.record_step(run_, run_.current_step, percent, std::move(message));
  }
  asio::awaitable<void> sleep(std::chrono::milliseconds duration) override {
    if (engine_.stopping_) co_return;
    run_.nap_timer.expires_after(duration);
    boost::system::error_code ec;
    co_await run_.nap_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  bool stopping() const override { return engine_.stopping_; }

 private:
  JobEngine& engine_;
  Run& run_;
};

namespace {

using StoreResult = Expected<std::vector<JobEvent>, storage::StorageError>;

std::string attempt_message(const Job& job) {
  std::string message("Attempt ");
  message.append(std::to_string(job.attempts))
      .append(" of ")
      .append(std::to_string(job.max_attempts))
      .append(" started");
  return message;
}

// The first event of a job.
JobEvent record_queued(Connection& db, const Job& job) {
  std::string message = job.origin == "schedule" ? "Queued by the agent's schedule" : "Queued";
  return storage::append_job_event(db, job.id, "queued", 0, message, job.created_at);
}

// Publishes `event` on the bus once the write that appended it commits (the writer thread
// runs these in commit order, so subscribers see each job's events in seq order).
void announce(Connection& db, JobEventBus& bus, const Job& job, std::string status,
              JobEvent event) {
  db.after_commit([&bus, update = JobUpdate{job.account_id, job.job_type, std::move(status),
                                            std::move(event)}] { bus.publish(update); });
}

// A claimed job and the event that says so.
struct Claimed {
  Job job;
  JobEvent event;
};

// `a` followed by `b` and `c`.
std::string joined(std::string_view a, std::string_view b, std::string_view c = {}) {
  std::string text(a);
  text.append(b).append(c);
  return text;
}

}  // namespace

JobEngine::StepsResult JobEngine::ended(Ending ending) {
  return StepsResult{ending, std::string(), false};
}

JobEngine::StepsResult JobEngine::failed(std::string error, bool retryable) {
  return StepsResult{Ending::failed, std::move(error), retryable};
}

JobEngine::JobEngine(storage::Store& store, LoopPool& loops, Logger& logger, EngineOptions options,
                     NowFunction now)
    : store_(store), loops_(loops), logger_(logger), options_(options), now_(std::move(now)) {}

JobEngine::~JobEngine() {
  stop();
}

void JobEngine::register_pipeline(std::string job_type, Pipeline pipeline) {
  pipelines_[std::move(job_type)] = std::move(pipeline);
}

bool JobEngine::accepts(std::string_view job_type) const {
  return pipelines_.find(job_type) != pipelines_.end();
}

std::size_t JobEngine::running_jobs() const {
  std::lock_guard lock(held_mutex_);
  return held_.size();
}

void JobEngine::recover_before_start() {
  std::int64_t now = now_();
  auto reclaimed = store_.write_before_start<std::vector<storage::ReclaimedJob>>(
      [this, now](Connection& db) { return reclaim(db, now, true); });
  if (!reclaimed) {
    throw std::runtime_error("cannot return interrupted jobs to the queue: " +
                             reclaimed.error().detail);
  }
  for (const auto& job : *reclaimed) {
    logger_.warn("job_recovered",
                 {{"job", job.job_id}, {"status", job.status}, {"attempts", job.attempts}});
  }
}

void JobEngine::spawn(asio::io_context& loop, asio::awaitable<void> task) {
  {
    std::lock_guard lock(live_mutex_);
    ++live_;
  }
  asio::co_spawn(loop, std::move(task), [this](std::exception_ptr error) {
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        logger_.error("job_engine_task_failed", {{"error", e.what()}});
      }
    }
    std::lock_guard lock(live_mutex_);
    --live_;
    live_changed_.notify_all();
  });
}

void JobEngine::start() {
  if (started_) return;
  started_ = true;
  for (unsigned i = 0; i < options_.workers; ++i) {
    auto worker = std::make_shared<Worker>();
    worker->loop = &loops_.loop(i % loops_.size());
    worker->wake = std::make_unique<asio::steady_timer>(*worker->loop);
    workers_.push_back(worker);
    spawn(*worker->loop, work(worker));
  }
  start_periodic(options_.lease / 2, [this] { return reclaim_expired_leases(); });
  start_periodic(options_.schedule_interval, [this] { return run_schedules(); });
  for (auto& [interval, pass] : extra_periodic_tasks_)
    start_periodic(interval, pass);
}

void JobEngine::add_periodic_task(std::chrono::milliseconds interval,
                                  std::function<asio::awaitable<std::size_t>()> pass) {
  extra_periodic_tasks_.emplace_back(interval, std::move(pass));
}

void JobEngine::start_periodic(std::chrono::milliseconds interval,
                               std::function<asio::awaitable<std::size_t>()> pass) {
  asio::io_context& first = loops_.loop(0);
  auto timer = std::make_shared<asio::steady_timer>(first);
  periodic_timers_.push_back(timer);
  spawn(first, periodic(interval, std::move(pass), timer));
}

void JobEngine::stop() {
  if (!started_ || stopping_.exchange(true)) return;
  for (const auto& weak : workers_) {
    auto worker = weak.lock();
    if (!worker) continue;
    asio::post(*worker->loop, [weak] {
      auto worker = weak.lock();
      if (!worker) return;
      worker->wake->cancel();
      if (worker->current) worker->current->nap_timer.cancel();
    });
  }
  for (const auto& weak : periodic_timers_) {
    asio::post(loops_.loop(0), [weak] {
      if (auto timer = weak.lock()) timer->cancel();
    });
  }
  {
    std::unique_lock lock(live_mutex_);
    live_changed_.wait_for(lock, options_.stop_grace, [this] { return live_ == 0; });
    if (live_ > 0) logger_.warn("job_engine_stop_grace_elapsed", {{"still_running", live_}});
  }
  release_held_leases();
}

void JobEngine::release_held_leases() {
  std::map<std::string, std::string> held;
  {
    std::lock_guard lock(held_mutex_);
    held = held_;
  }
  if (held.empty()) return;
  if (!store_.accepting_writes()) {
    // Stopped out of order: the next start returns these jobs to the queue.
    logger_.warn("job_leases_not_released", {{"count", held.size()}});
    return;
  }
  // The loops may be busy or stopping: wait for the write on a context of this thread.
  asio::io_context local(1);
  auto guard = asio::make_work_guard(local);
  std::int64_t now = now_();
  auto release = [this, &held, &guard, now]() -> asio::awaitable<void> {
    auto released = co_await store_.write<std::size_t>([&held, now](Connection& db) {
      std::size_t count = 0;
      for (const auto& [job_id, token] : held) {
        if (!storage::release_lease(db, job_id, token, now)) continue;
        storage::append_job_event(db, job_id, "requeued", 0,
                                  "The server stopped; the job will resume", now);
        ++count;
      }
      return count;
    });
    if (released) logger_.info("job_leases_released", {{"count", *released}});
    guard.reset();
  };
  asio::co_spawn(local, release(), asio::detached);
  local.run();
}

void JobEngine::notify() {
  for (const auto& weak : workers_) {
    auto worker = weak.lock();
    if (!worker) continue;
    asio::post(*worker->loop, [weak] {
      if (auto worker = weak.lock()) worker->wake->cancel();
    });
  }
}

asio::awaitable<void> JobEngine::work(std::shared_ptr<Worker> worker) {
  while (!stopping_) {
    std::shared_ptr<Run> run = co_await claim(*worker);
    if (!run) {
      co_await idle_wait(*worker);
      continue;
    }
    worker->current = run;
    co_await this->run(run);
    worker->current.reset();
  }
}

asio::awaitable<void> JobEngine::idle_wait(Worker& worker) {
  if (stopping_) co_return;
  worker.wake->expires_after(options_.idle_poll);
  boost::system::error_code ec;
  co_await worker.wake->async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

asio::awaitable<std::shared_ptr<JobEngine::Run>> JobEngine::claim(Worker& worker) {
  std::string token = secure_random_hex(16);
  std::int64_t now = now_();
  std::int64_t lease_ms = options_.lease.count();
  auto claimed = co_await store_.write<std::optional<Claimed>>(
      [this, now, lease_ms, &token](Connection& db) -> std::optional<Claimed> {
        auto job = storage::claim_next_job(db, now, lease_ms, token);
        if (!job) return std::nullopt;
        JobEvent event =
            storage::append_job_event(db, job->id, "started", 0, attempt_message(*job), now);
        announce(db, bus_, *job, "processing", event);
        return Claimed{std::move(*job), std::move(event)};
      });
  if (!claimed) {
    logger_.warn("job_claim_failed", {{"error", claimed.error().detail}});
    co_return nullptr;
  }
  if (!*claimed) co_return nullptr;
  auto run = std::make_shared<Run>(std::move((*claimed)->job), *worker.loop);
  run->token = token;
  {
    std::lock_guard lock(held_mutex_);
    held_[run->job.id] = token;
  }
  co_return run;
}

asio::awaitable<void> JobEngine::run(std::shared_ptr<Run> run) {
  logger_.info("job_started",
               {{"job", run->job.id}, {"type", run->job.job_type}, {"attempt", run->job.attempts}});
  auto began = std::chrono::steady_clock::now();
  spawn(run->loop, heartbeat(run));
  RunContext context(*this, *run);
  StepsResult result = co_await run_steps(*run, context);
  run->done = true;
  run->heartbeat_timer.cancel();
  co_await finish(*run, result);
  if (options_.on_attempt_end) {
    options_.on_attempt_end(run->job.job_type, std::chrono::steady_clock::now() - began);
  }
  std::lock_guard lock(held_mutex_);
  held_.erase(run->job.id);
}

asio::awaitable<JobEngine::StepsResult> JobEngine::run_steps(Run& run, RunContext& context) {
  auto found = pipelines_.find(run.job.job_type);
  if (found == pipelines_.end()) {
    co_return failed(joined("this server cannot run ", run.job.job_type, " jobs"), false);
  }
  for (const Step& step : found->second.steps) {
    if (stopping_) co_return ended(Ending::stopping);
    if (run.lost) co_return ended(Ending::lost);
    run.current_step = step.name;
    StepOutcome outcome;
    std::string exception_text;
    try {
      outcome = co_await step.run(context);
    } catch (const std::exception& e) {
      exception_text = e.what();
    }
    if (stopping_) co_return ended(Ending::stopping);
    if (!exception_text.empty()) {
      logger_.warn("job_step_threw",
                   {{"job", run.job.id}, {"step", step.name}, {"error", exception_text}});
      co_return failed(joined(step.name, ": internal error"), true);
    }
    if (outcome.kind != StepOutcome::Kind::done) {
      bool retryable = outcome.kind == StepOutcome::Kind::retryable_failure;
      co_return failed(joined(step.name, ": ", outcome.message), retryable);
    }
    Ending recorded = co_await record_step(run, step.name, step.percent, outcome.message);
    if (recorded != Ending::completed) co_return ended(recorded);
  }
  co_return ended(Ending::completed);
}

// Records a step's progress event under the lease; the step boundary is also where a cancel
// request takes effect. `completed` here means "go on".
asio::awaitable<JobEngine::Ending> JobEngine::record_step(Run& run, std::string step,
                                                          std::int64_t percent,
                                                          std::string message) {
  std::int64_t now = now_();
  bool cancelled = false;
  percent = std::clamp<std::int64_t>(percent, run.percent, 100);
  auto recorded = co_await store_.write<std::vector<JobEvent>>(
      [this, &run, &step, &message, &cancelled, percent, now](Connection& db) {
        std::vector<JobEvent> events;
        if (!storage::holds_lease(db, run.job.id, run.token)) return events;
        events.push_back(storage::append_job_event(db, run.job.id, step, percent, message, now));
        announce(db, bus_, run.job, "processing", events.back());
        auto job = storage::find_job(db, run.job.id);
        if (job && job->cancel_requested &&
            storage::cancel_processing_job(db, run.job.id, run.token, now)) {
          cancelled = true;
          events.push_back(storage::append_job_event(db, run.job.id, "cancelled", percent,
                                                     "Cancelled at the caller's request", now));
          announce(db, bus_, run.job, "cancelled", events.back());
        }
        return events;
      });
  if (!recorded) {
    logger_.warn("job_progress_not_recorded",
                 {{"job", run.job.id}, {"error", recorded.error().detail}});
    co_return Ending::completed;
  }
  if (recorded->empty()) co_return Ending::lost;
  run.percent = percent;
  co_return cancelled ? Ending::cancelled : Ending::completed;
}

asio::awaitable<void> JobEngine::finish(Run& run, const StepsResult& result) {
  if (result.ending == Ending::cancelled) {
    logger_.info("job_cancelled", {{"job", run.job.id}});
    co_return;
  }
  if (result.ending == Ending::lost) {
    logger_.warn("job_lease_lost", {{"job", run.job.id}});
    co_return;
  }
  std::int64_t now = now_();
  const Job& job = run.job;
  std::string status;
  std::string result_json = boost::json::serialize(run.result);
  std::int64_t delay = retry_delay(job.attempts);
  auto written = co_await store_.write<std::vector<JobEvent>>(
      [this, &job, &run, &result, &status, &result_json, delay, now](Connection& db) {
        std::vector<JobEvent> events;
        const std::string& token = run.token;
        if (result.ending == Ending::completed) {
          if (storage::complete_job(db, job.id, token, result_json, now)) {
            status = "completed";
            record_job_webhook_event(db, job.id, now);
            events.push_back(
                storage::append_job_event(db, job.id, "completed", 100, "Job completed", now));
          }
        } else if (result.ending == Ending::stopping) {
          if (storage::release_lease(db, job.id, token, now)) {
            status = "pending";
            events.push_back(storage::append_job_event(db, job.id, "requeued", run.percent,
                                                       "The server stopped; the job will resume",
                                                       now));
          }
        } else if (result.retryable && job.attempts < job.max_attempts) {
          if (storage::retry_job(db, job.id, token, result.error, now + delay, now)) {
            status = "pending";
            std::string message = "Attempt " + std::to_string(job.attempts) + " failed (" +
                                  result.error + "); retrying in " +
                                  std::to_string((delay + 999) / 1000) + "s";
            events.push_back(
                storage::append_job_event(db, job.id, "retrying", run.percent, message, now));
          }
        } else if (storage::fail_job(db, job.id, token, result.error, now)) {
          status = "failed";
          record_job_webhook_event(db, job.id, now);
          events.push_back(
              storage::append_job_event(db, job.id, "failed", run.percent, result.error, now));
        }
        if (!events.empty()) announce(db, bus_, job, status, events.back());
        return events;
      });
  if (!written) {
    // The lease runs out and the sweeper returns the job to the queue.
    logger_.error("job_end_not_recorded", {{"job", job.id}, {"error", written.error().detail}});
    co_return;
  }
  if (written->empty()) {
    logger_.warn("job_lease_lost", {{"job", job.id}});
    co_return;
  }
  logger_.info("job_finished", {{"job", job.id}, {"status", status}, {"attempt", job.attempts}});
  // A retry or a released job may be runnable by someone else; a finished one frees a slot.
  notify();
}

asio::awaitable<void> JobEngine::heartbeat(std::shared_ptr<Run> run) {
  auto interval = options_.lease / 3;
  std::int64_t lease_ms = options_.lease.count();
  while (!run->done && !stopping_) {
    run->heartbeat_timer.expires_after(interval);
    boost::system::error_code ec;
    co_await run->heartbeat_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (run->done || stopping_) break;
    std::int64_t now = now_();
    auto renewed = co_await store_.write<bool>([&run, now, lease_ms](Connection& db) {
      return storage::renew_lease(db, run->job.id, run->token, now, lease_ms);
    });
    if (renewed && !*renewed) {
      run->lost = true;
      break;
    }
  }
}

asio::awaitable<void> JobEngine::periodic(std::chrono::milliseconds interval,
                                          std::function<asio::awaitable<std::size_t>()> pass,
                                          std::shared_ptr<asio::steady_timer> timer) {
  while (!stopping_) {
    try {
      co_await pass();
    } catch (const std::exception& e) {
      logger_.error("job_engine_pass_failed", {{"error", e.what()}});
    }
    if (stopping_) break;
    timer->expires_after(interval);
    boost::system::error_code ec;
    co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

std::int64_t JobEngine::retry_delay(std::int64_t attempt) {
  std::int64_t delay = options_.retry_base.count();
  for (std::int64_t i = 1; i < attempt && delay < options_.retry_max.count(); ++i)
    delay *= 2;
  delay = std::min<std::int64_t>(delay, options_.retry_max.count());
  thread_local std::minstd_rand random(std::random_device{}());
  std::uniform_int_distribution<std::int64_t> jitter(delay / 2, delay);
  return jitter(random);
}

std::vector<storage::ReclaimedJob> JobEngine::reclaim(Connection& db, std::int64_t now, bool all) {
  auto reclaimed = storage::reclaim_expired_leases(db, now, all);
  for (const auto& job : reclaimed) {
    if (job.status == "failed") record_job_webhook_event(db, job.job_id, now);
    db.after_commit([&bus = bus_, update = JobUpdate{job.account_id, job.job_type, job.status,
                                                     job.event}] { bus.publish(update); });
  }
  return reclaimed;
}

asio::awaitable<Expected<Expected<Job, SubmitRefusal>, storage::StorageError>> JobEngine::submit(
    JobRequest request) {
  using Submitted = Expected<Job, SubmitRefusal>;
  std::int64_t now = now_();
  if (request.max_attempts <= 0) request.max_attempts = options_.max_attempts;
  auto written =
      co_await store_.write<Submitted>([this, &request, now](Connection& db) -> Submitted {
        auto job = submit_job(db, request, now);
        if (job) announce(db, bus_, *job, "pending", record_queued(db, *job));
        return job;
      });
  if (written && *written) notify();
  co_return written;
}

asio::awaitable<Expected<CancelResult, storage::StorageError>> JobEngine::cancel(
    std::string account_id, std::string job_id) {
  std::int64_t now = now_();
  auto written =
      co_await store_.write<CancelResult>([this, &account_id, &job_id, now](Connection& db) {
        CancelResult result{CancelResult::Kind::not_found, Job{}};
        auto job = storage::find_job(db, job_id);
        if (!job) return result;
        if (job->account_id != account_id) {
          result.kind = CancelResult::Kind::forbidden;
          return result;
        }
        switch (storage::request_cancel(db, *job, now)) {
          case storage::CancelOutcome::cancelled:
            result.kind = CancelResult::Kind::cancelled;
            announce(db, bus_, *job, "cancelled",
                     storage::append_job_event(db, job_id, "cancelled", 0,
                                               "Cancelled at the caller's request", now));
            break;
          case storage::CancelOutcome::requested:
            result.kind = CancelResult::Kind::requested;
            break;
          case storage::CancelOutcome::finished:
            result.kind = CancelResult::Kind::finished;
            break;
        }
        result.job = storage::find_job(db, job_id).value_or(*job);
        return result;
      });
  co_return written;
}

asio::awaitable<std::size_t> JobEngine::run_schedules() {
  if (!accepts("create")) co_return 0;
  std::int64_t now = now_();
  std::size_t created = 0;
  for (const auto& scheduled : storage::list_scheduled_agents(store_.reader())) {
    if (stopping_) break;
    const storage::Agent& agent = scheduled.agent;
    auto period = schedule_period(agent.schedule, now);
    if (!period || period == scheduled.scheduled_period) continue;
    JobRequest request;
    request.account_id = agent.account_id;
    request.agent_id = agent.id;
    request.job_type = "create";
    request.origin = "schedule";
    request.max_attempts = options_.max_attempts;
    bool already_served = false;
    using Submitted = Expected<Job, SubmitRefusal>;
    auto written = co_await store_.write<Submitted>(
        [this, &request, &period, &already_served, now](Connection& db) -> Submitted {
          // Checked again in the write: another pass may have served the period meanwhile.
          if (storage::scheduled_period_of(db, request.agent_id) == *period) {
            already_served = true;
            return unexpected(SubmitRefusal{});
          }
          auto job = submit_job(db, request, now);
          if (!job) return job;
          storage::mark_agent_scheduled(db, request.agent_id, *period);
          announce(db, bus_, *job, "pending", record_queued(db, *job));
          return job;
        });
    if (!written) {
      logger_.warn("schedule_not_recorded",
                   {{"agent", agent.id}, {"error", written.error().detail}});
      continue;
    }
    if (already_served) continue;
    if (!*written) {
      // Tried again at the next pass while the period lasts (e.g. once a job slot frees up).
      logger_.debug(
          "schedule_deferred",
          {{"agent", agent.id}, {"period", *period}, {"reason", (*written).error().message}});
      continue;
    }
    ++created;
    logger_.info("schedule_job_created",
                 {{"agent", agent.id}, {"period", *period}, {"job", (*written)->id}});
  }
  if (created > 0) notify();
  co_return created;
}

asio::awaitable<std::size_t> JobEngine::reclaim_expired_leases() {
  std::int64_t now = now_();
  auto reclaimed = co_await store_.write<std::vector<storage::ReclaimedJob>>(
      [this, now](Connection& db) { return reclaim(db, now, false); });
  if (!reclaimed) co_return 0;
  for (const auto& job : *reclaimed) {
    logger_.warn("job_lease_expired",
                 {{"job", job.job_id}, {"status", job.status}, {"attempts", job.attempts}});
  }
  if (!reclaimed->empty()) notify();
  co_return reclaimed->size();
}

}  // namespace seoagents::jobs
