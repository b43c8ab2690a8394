// The open-loop timetable (see schedule.hpp).
#include "tools/loadgen/schedule.hpp"

namespace seoagents::loadgen {
namespace {

std::chrono::nanoseconds seconds_to_nanos(double seconds) {
  return std::chrono::nanoseconds(static_cast<std::int64_t>(seconds * 1e9 + 0.5));
}

}  // namespace

OpenLoopSchedule::OpenLoopSchedule(double rate, int connections, Clock::time_point start)
    : rate_(rate),
      connections_(connections),
      interval_(seconds_to_nanos(connections / rate)),
      start_(start) {}

Clock::time_point OpenLoopSchedule::intended(int connection, std::uint64_t k) const {
  // Computed from k each time (not by adding intervals) so rounding does not accumulate.
  double slot = static_cast<double>(connection) + static_cast<double>(k) * connections_;
  return start_ + seconds_to_nanos(slot / rate_);
}

std::uint64_t latency_micros(Clock::time_point intended, Clock::time_point received) {
  if (received <= intended) return 0;
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(received - intended);
  return static_cast<std::uint64_t>(micros.count());
}

}  // namespace seoagents::loadgen
