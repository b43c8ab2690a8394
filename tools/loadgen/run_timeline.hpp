// What the HTTP and WebSocket runs share around their connections: the run's control atomics
// (recording after the warmup, stopping, the -n tickets), the worker threads (one io_context
// each, owning their connections) and the main thread's timeline (warmup, duration or -n, the
// progress line, the stop and the merge of the workers' counters).
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "tools/loadgen/options.hpp"
#include "tools/loadgen/run_result.hpp"
#include "tools/loadgen/schedule.hpp"
#include "tools/loadgen/stats.hpp"

namespace seoagents::loadgen {

struct RunControl {
  explicit RunControl(std::optional<std::uint64_t> limit_in) : limit(limit_in) {}

  // Answers count only for requests sent while this is set (after the warmup).
  std::atomic<bool> recording{false};
  // Set once: connections finish (their thread closes them) and record nothing more.
  std::atomic<bool> stopping{false};
  // -n: the run stops after this many recorded answers; each request takes a ticket first.
  const std::optional<std::uint64_t> limit;
  std::atomic<std::uint64_t> tickets{0};
  std::atomic<std::uint64_t> completed{0};
  // Steady-clock nanoseconds of the -n-th answer.
  std::atomic<std::int64_t> finished_at{0};
  std::atomic<std::uint64_t> ever_connected{0};
  std::atomic<std::uint64_t> connect_failures{0};
  // Idle mode.
  std::atomic<std::uint64_t> open_now{0};
  std::atomic<std::uint64_t> idle_failed{0};

  // False when -n requests are already out (give it back with return_ticket() if it fails).
  bool claim_ticket();
  void return_ticket() { tickets.fetch_sub(1, std::memory_order_relaxed); }
  // After a recorded answer: the -n-th one stops the run.
  void count_response(Clock::time_point now);
};

// A connection the stop must reach (called on the connection's own thread).
class Cancellable {
 public:
  virtual ~Cancellable() = default;
  virtual void cancel() = 0;
};

struct Worker {
  boost::asio::io_context context{1};
  ThreadStats stats;
  // Owned here, touched only on this worker's thread once it runs.
  std::vector<std::unique_ptr<Cancellable>> connections;
  std::thread thread;
  std::atomic<bool> finished{false};
};

std::vector<std::unique_ptr<Worker>> make_workers(int count);
void start_workers(std::vector<std::unique_ptr<Worker>>& workers);
// Cancels every connection on its thread, waits for the threads (a bounded grace, then their
// io_context is stopped) and joins them.
void stop_workers(std::vector<std::unique_ptr<Worker>>& workers);

// Writes the progress line once a second (when there is a hook).
class ProgressClock {
 public:
  explicit ProgressClock(Clock::time_point started) : started_(started), last_(started) {}
  // True once per second; `elapsed` is the seconds since the start.
  bool due(Clock::time_point now, double& elapsed, double& since_last);

 private:
  Clock::time_point started_;
  Clock::time_point last_;
};

// The main thread's part of an HTTP run (closed, open loop or idle).
class Timeline {
 public:
  Timeline(const Options& options, RunControl& control,
           std::vector<std::unique_ptr<Worker>>& workers, const RunHooks& hooks,
           Clock::time_point started)
      : options_(options), control_(control), workers_(workers), hooks_(hooks), started_(started) {}

  RunResult run(std::uint64_t connections);

 private:
  bool nothing_can_connect(std::uint64_t connections) const;
  void report_progress(ProgressClock& clock, Clock::time_point now);
  RunResult merge(Clock::time_point measured_from, Clock::time_point measured_to) const;

  const Options& options_;
  RunControl& control_;
  std::vector<std::unique_ptr<Worker>>& workers_;
  const RunHooks& hooks_;
  Clock::time_point started_;
  std::uint64_t last_responses_ = 0;
};

std::uint64_t live_total(const std::vector<std::unique_ptr<Worker>>& workers,
                         std::atomic<std::uint64_t> ThreadStats::*counter);

}  // namespace seoagents::loadgen
