// Merging per-thread counters (see stats.hpp).
#include "tools/loadgen/stats.hpp"

namespace seoagents::loadgen {

std::uint64_t HttpTotals::error_total() const {
  std::uint64_t total = 0;
  for (std::uint64_t n : errors)
    total += n;
  return total;
}

void HttpTotals::merge(const HttpTotals& other) {
  latency.merge(other.latency);
  for (std::size_t i = 0; i < status.size(); ++i)
    status[i] += other.status[i];
  for (std::size_t i = 0; i < errors.size(); ++i)
    errors[i] += other.errors[i];
  responses += other.responses;
  bytes += other.bytes;
  reconnects += other.reconnects;
}

void WsTotals::merge(const WsTotals& other) {
  latency.merge(other.latency);
  frames += other.frames;
  progress_frames += other.progress_frames;
  replayed_frames += other.replayed_frames;
  subscribed += other.subscribed;
  final_messages += other.final_messages;
  for (const auto& [type, n] : other.final_types)
    final_types[type] += n;
  for (const auto& [code, n] : other.error_codes)
    error_codes[code] += n;
  for (const auto& [code, n] : other.closes)
    closes[code] += n;
  for (const auto& [status, n] : other.refused_upgrades)
    refused_upgrades[status] += n;
  for (std::size_t i = 0; i < errors.size(); ++i)
    errors[i] += other.errors[i];
}

}  // namespace seoagents::loadgen
