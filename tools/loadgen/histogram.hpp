// The latency histogram of the load generator: log-bucketed like HdrHistogram (128 linear
// sub-buckets per power of two, so a reported percentile is within 0.4% of the recorded value),
// from 1 µs to about 100 s; values above are counted in the top bucket, the maximum is exact.
// One histogram per thread, no locks: merge them once the threads are done.
#pragma once

#include <array>
#include <cstdint>

namespace seoagents::loadgen {

class LatencyHistogram {
 public:
  // Values up to 2^kTopExponent µs (about 137 s) have their own bucket.
  static constexpr int kSubBucketBits = 7;
  static constexpr std::uint64_t kSubBuckets = 1u << kSubBucketBits;
  static constexpr int kTopExponent = 37;
  static constexpr std::size_t kBucketCount =
      kSubBuckets + (kTopExponent - kSubBucketBits) * kSubBuckets;
  // The largest relative error of a reported percentile (half a sub-bucket).
  static constexpr double kRelativePrecision = 1.0 / (2.0 * kSubBuckets);

  void record(std::uint64_t micros);
  void merge(const LatencyHistogram& other);

  std::uint64_t count() const { return count_; }
  // 0 when empty.
  std::uint64_t min() const { return count_ == 0 ? 0 : min_; }
  std::uint64_t max() const { return max_; }
  double mean() const { return count_ == 0 ? 0.0 : static_cast<double>(sum_) / count_; }
  // The value at percentile `p` (0 < p <= 100): the middle of the bucket holding the value of
  // rank ceil(p% × count), kept within [min, max]; the exact maximum for the highest rank.
  // 0 when empty.
  std::uint64_t percentile(double p) const;
  // How many recorded values are at least `micros` (exact up to the bucket holding `micros`).
  std::uint64_t count_at_or_above(std::uint64_t micros) const;

  // The bucket of a value, and the range of values [lowest, highest] a bucket holds.
  static std::size_t bucket_of(std::uint64_t micros);
  static std::uint64_t bucket_lowest(std::size_t bucket);
  static std::uint64_t bucket_highest(std::size_t bucket);

 private:
  std::array<std::uint64_t, kBucketCount> counts_{};
  std::uint64_t count_ = 0;
  std::uint64_t sum_ = 0;
  std::uint64_t min_ = UINT64_MAX;
  std::uint64_t max_ = 0;
};

}  // namespace seoagents::loadgen
