// The log-bucketed latency histogram (see histogram.hpp).
#include "tools/loadgen/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace seoagents::loadgen {

std::size_t LatencyHistogram::bucket_of(std::uint64_t micros) {
  if (micros < kSubBuckets) return static_cast<std::size_t>(micros);
  int exponent = std::bit_width(micros) - 1;
  if (exponent >= kTopExponent) return kBucketCount - 1;
  int shift = exponent - kSubBucketBits;
  std::uint64_t sub = (micros >> shift) - kSubBuckets;
  return static_cast<std::size_t>(kSubBuckets + shift * kSubBuckets + sub);
}

std::uint64_t LatencyHistogram::bucket_lowest(std::size_t bucket) {
  if (bucket < kSubBuckets) return bucket;
  std::size_t shift = (bucket - kSubBuckets) / kSubBuckets;
  std::uint64_t sub = (bucket - kSubBuckets) % kSubBuckets;
  return (kSubBuckets + sub) << shift;
}

std::uint64_t LatencyHistogram::bucket_highest(std::size_t bucket) {
  if (bucket < kSubBuckets) return bucket;
  std::size_t shift = (bucket - kSubBuckets) / kSubBuckets;
  return bucket_lowest(bucket) + (std::uint64_t{1} << shift) - 1;
}

void LatencyHistogram::record(std::uint64_t micros) {
  ++counts_[bucket_of(micros)];
  ++count_;
  sum_ += micros;
  min_ = std::min(min_, micros);
  max_ = std::max(max_, micros);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < kBucketCount; ++i)
    counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

std::uint64_t LatencyHistogram::percentile(double p) const {
  if (count_ == 0) return 0;
  double wanted = std::ceil(std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(count_));
  std::uint64_t rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(wanted));
  if (rank >= count_) return max_;
  std::uint64_t seen = 0;
  for (std::size_t bucket = 0; bucket < kBucketCount; ++bucket) {
    seen += counts_[bucket];
    if (seen < rank) continue;
    if (bucket == kBucketCount - 1) return max_;  // beyond the range: only the maximum is known
    std::uint64_t middle = (bucket_lowest(bucket) + bucket_highest(bucket)) / 2;
    return std::clamp(middle, min(), max_);
  }
  return max_;
}

std::uint64_t LatencyHistogram::count_at_or_above(std::uint64_t micros) const {
  std::uint64_t total = 0;
  for (std::size_t bucket = bucket_of(micros); bucket < kBucketCount; ++bucket)
    total += counts_[bucket];
  return total;
}

}  // namespace seoagents::loadgen
