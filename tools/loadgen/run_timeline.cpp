// The run's control, worker threads and main-thread timeline (see run_timeline.hpp).
#include "tools/loadgen/run_timeline.hpp"

#include <boost/asio/post.hpp>
#include <cstdio>

namespace seoagents::loadgen {
namespace {

using namespace std::chrono_literals;

// How often the main thread looks at the run.
constexpr auto kTick = 10ms;
// How long the stop waits for connections to finish before it stops their loops.
constexpr auto kStopGrace = 2s;

std::chrono::nanoseconds since_epoch(Clock::time_point time) {
  return time.time_since_epoch();
}

Clock::duration seconds(double value) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(value));
}

}  // namespace

bool RunControl::claim_ticket() {
  if (tickets.fetch_add(1, std::memory_order_relaxed) < *limit) return true;
  tickets.fetch_sub(1, std::memory_order_relaxed);
  return false;
}

void RunControl::count_response(Clock::time_point now) {
  if (!limit) return;
  if (completed.fetch_add(1, std::memory_order_relaxed) + 1 != *limit) return;
  finished_at.store(since_epoch(now).count(), std::memory_order_relaxed);
  stopping.store(true);
}

std::vector<std::unique_ptr<Worker>> make_workers(int count) {
  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < count; ++i)
    workers.push_back(std::make_unique<Worker>());
  return workers;
}

void start_workers(std::vector<std::unique_ptr<Worker>>& workers) {
  for (auto& worker : workers) {
    Worker* self = worker.get();
    worker->thread = std::thread([self] {
      self->context.run();
      self->finished.store(true);
    });
  }
}

void stop_workers(std::vector<std::unique_ptr<Worker>>& workers) {
  for (auto& worker : workers) {
    Worker* self = worker.get();
    boost::asio::post(self->context, [self] {
      for (auto& connection : self->connections)
        connection->cancel();
    });
  }
  Clock::time_point give_up = Clock::now() + kStopGrace;
  for (auto& worker : workers) {
    while (!worker->finished.load() && Clock::now() < give_up)
      std::this_thread::sleep_for(kTick);
    if (!worker->finished.load()) worker->context.stop();
    worker->thread.join();
  }
}

std::uint64_t live_total(const std::vector<std::unique_ptr<Worker>>& workers,
                         std::atomic<std::uint64_t> ThreadStats::*counter) {
  std::uint64_t total = 0;
  for (const auto& worker : workers)
    total += (worker->stats.*counter).load(std::memory_order_relaxed);
  return total;
}

bool ProgressClock::due(Clock::time_point now, double& elapsed, double& since_last) {
  if (now - last_ < 1s) return false;
  since_last = std::chrono::duration<double>(now - last_).count();
  elapsed = std::chrono::duration<double>(now - started_).count();
  last_ = now;
  return true;
}

RunResult Timeline::run(std::uint64_t connections) {
  bool idle = options_.idle;
  bool bounded_by_time = idle || !options_.requests || options_.duration_given;
  Clock::time_point record_from = started_ + seconds(idle ? 0 : options_.warmup_s);
  std::optional<Clock::time_point> measured_from;
  std::optional<Clock::time_point> deadline;
  if (idle || options_.warmup_s == 0) control_.recording.store(true);
  if (!idle && options_.warmup_s == 0) {
    measured_from = Clock::now();
    deadline = *measured_from + seconds(options_.duration_s);
  }
  start_workers(workers_);
  bool ready_reported = false;
  bool nothing_connected = false;
  ProgressClock clock(started_);
  Clock::time_point now = started_;
  for (;;) {
    std::this_thread::sleep_for(kTick);
    now = Clock::now();
    if (!idle && !measured_from && now >= record_from) {
      control_.recording.store(true);
      measured_from = now;
      deadline = now + seconds(options_.duration_s);
    }
    if (idle && !ready_reported &&
        control_.open_now.load() + control_.idle_failed.load() >= connections) {
      ready_reported = true;
      if (hooks_.ready) hooks_.ready(control_.open_now.load());
      measured_from = now;
      deadline = now + seconds(options_.duration_s);
    }
    if (control_.stopping.load()) break;
    if (nothing_can_connect(connections)) {
      nothing_connected = true;
      break;
    }
    if (bounded_by_time && deadline && now >= *deadline) break;
    report_progress(clock, now);
  }
  control_.stopping.store(true);
  std::int64_t finished_at = control_.finished_at.load();
  Clock::time_point end =
      finished_at != 0 ? Clock::time_point(std::chrono::nanoseconds(finished_at)) : now;
  std::uint64_t open = control_.open_now.load();
  stop_workers(workers_);
  RunResult result = merge(measured_from.value_or(end), end);
  result.connections = static_cast<int>(connections);
  result.open = open;
  result.nothing_connected = nothing_connected || control_.ever_connected.load() == 0;
  return result;
}

bool Timeline::nothing_can_connect(std::uint64_t connections) const {
  return control_.ever_connected.load() == 0 && control_.connect_failures.load() >= connections;
}

void Timeline::report_progress(ProgressClock& clock, Clock::time_point now) {
  double elapsed = 0;
  double since_last = 0;
  if (!hooks_.progress || !clock.due(now, elapsed, since_last)) return;
  char line[160];
  if (options_.idle) {
    std::snprintf(line, sizeof line, "%5.0fs  open %llu", elapsed,
                  static_cast<unsigned long long>(control_.open_now.load()));
    hooks_.progress(line);
    return;
  }
  std::uint64_t responses = live_total(workers_, &ThreadStats::live_responses);
  std::uint64_t errors = live_total(workers_, &ThreadStats::live_errors);
  double rate = static_cast<double>(responses - last_responses_) / since_last;
  last_responses_ = responses;
  std::snprintf(line, sizeof line, "%5.0fs  %10.0f req/s  %12llu responses  %llu errors%s", elapsed,
                rate, static_cast<unsigned long long>(responses),
                static_cast<unsigned long long>(errors),
                control_.recording.load() ? "" : "  (warmup)");
  hooks_.progress(line);
}

RunResult Timeline::merge(Clock::time_point measured_from, Clock::time_point measured_to) const {
  RunResult result;
  for (const auto& worker : workers_) {
    result.http.merge(worker->stats.http);
    result.ws.merge(worker->stats.ws);
  }
  result.threads = static_cast<int>(workers_.size());
  result.connected = control_.ever_connected.load();
  if (measured_to > measured_from) {
    result.duration_s = std::chrono::duration<double>(measured_to - measured_from).count();
  }
  return result;
}

}  // namespace seoagents::loadgen
