// The open-loop schedule: R requests per second in total over N connections, each connection
// sending at R/N per second on a fixed timetable, the connections staggered by 1/R so the
// requests are evenly spread. Latency is measured from a request's intended send time, not from
// when it was actually sent, so a stalled server shows in the latency of every request that had
// to wait for it (no coordinated omission).
#pragma once

#include <chrono>
#include <cstdint>

namespace seoagents::loadgen {

using Clock = std::chrono::steady_clock;

class OpenLoopSchedule {
 public:
  // `rate` > 0 requests per second in total, `connections` > 0, the timetable starting at `start`.
  OpenLoopSchedule(double rate, int connections, Clock::time_point start);

  // When request number `k` (0, 1, …) of connection `connection` (0 … N-1) is meant to be sent.
  Clock::time_point intended(int connection, std::uint64_t k) const;
  // The time between two requests of one connection.
  std::chrono::nanoseconds interval() const { return interval_; }

 private:
  double rate_;
  int connections_;
  std::chrono::nanoseconds interval_;
  Clock::time_point start_;
};

// The latency of an answer received at `received` to a request meant to be sent at `intended`
// (closed loop: the time it was sent), in whole microseconds, 0 when `received` is earlier.
std::uint64_t latency_micros(Clock::time_point intended, Clock::time_point received);

}  // namespace seoagents::loadgen
