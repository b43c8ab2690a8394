// The load generator's latency histogram: percentiles of known distributions within its stated
// precision, the exact maximum, merging per-thread histograms, and its bucket layout.
#include "tools/loadgen/histogram.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace seoagents::loadgen {
namespace {

constexpr double kPrecision = LatencyHistogram::kRelativePrecision;

// `actual` within the histogram's relative precision of `expected`.
void expect_near_relative(std::uint64_t actual, double expected) {
  EXPECT_LE(std::abs(static_cast<double>(actual) - expected), expected * kPrecision + 1.0)
      << "got " << actual << ", expected " << expected;
}

TEST(LatencyHistogram, StatesAPrecisionBetterThanOnePercent) {
  EXPECT_LT(kPrecision, 0.01);
}

TEST(LatencyHistogram, UniformOneToAMillionMicroseconds) {
  LatencyHistogram histogram;
  for (std::uint64_t value = 1; value <= 1'000'000; ++value)
    histogram.record(value);
  EXPECT_EQ(histogram.count(), 1'000'000u);
  EXPECT_EQ(histogram.min(), 1u);
  EXPECT_EQ(histogram.max(), 1'000'000u);
  expect_near_relative(histogram.percentile(50), 500'000);
  expect_near_relative(histogram.percentile(90), 900'000);
  expect_near_relative(histogram.percentile(99), 990'000);
  expect_near_relative(histogram.percentile(99.9), 999'000);
  EXPECT_EQ(histogram.percentile(100), 1'000'000u);
  EXPECT_NEAR(histogram.mean(), 500'000.5, 0.01);
}

TEST(LatencyHistogram, SmallValuesAreExact) {
  LatencyHistogram histogram;
  for (std::uint64_t value = 0; value < 100; ++value)
    histogram.record(value);
  EXPECT_EQ(histogram.percentile(50), 49u);
  EXPECT_EQ(histogram.percentile(90), 89u);
  EXPECT_EQ(histogram.percentile(1), 0u);
}

TEST(LatencyHistogram, ConstantInputGivesThatValueAtEveryPercentile) {
  LatencyHistogram histogram;
  for (int i = 0; i < 10'000; ++i)
    histogram.record(1234);
  for (double p : {1.0, 50.0, 90.0, 99.0, 99.9, 100.0})
    EXPECT_EQ(histogram.percentile(p), 1234u) << p;
  EXPECT_EQ(histogram.max(), 1234u);
  EXPECT_EQ(histogram.min(), 1234u);
}

TEST(LatencyHistogram, TwoPointDistribution) {
  LatencyHistogram histogram;
  for (int i = 0; i < 900; ++i)
    histogram.record(100);
  for (int i = 0; i < 100; ++i)
    histogram.record(250'000);
  EXPECT_EQ(histogram.percentile(50), 100u);
  EXPECT_EQ(histogram.percentile(90), 100u);
  expect_near_relative(histogram.percentile(90.1), 250'000);
  expect_near_relative(histogram.percentile(99), 250'000);
  EXPECT_EQ(histogram.max(), 250'000u);
  EXPECT_EQ(histogram.count_at_or_above(1000), 100u);
  EXPECT_EQ(histogram.count_at_or_above(100), 1000u);
}

TEST(LatencyHistogram, MaxIsExactEvenBeyondTheLastBucket) {
  LatencyHistogram histogram;
  histogram.record(7);
  histogram.record(123'456'789);
  histogram.record(400'000'000'000ull);  // beyond 2^37 µs: counted in the top bucket
  EXPECT_EQ(histogram.max(), 400'000'000'000ull);
  EXPECT_EQ(histogram.percentile(100), 400'000'000'000ull);
  expect_near_relative(histogram.percentile(60), 123'456'789);
}

TEST(LatencyHistogram, MergeAddsCountsAndKeepsExtremes) {
  LatencyHistogram first;
  LatencyHistogram second;
  for (std::uint64_t value = 1; value <= 500'000; ++value)
    first.record(value);
  for (std::uint64_t value = 500'001; value <= 1'000'000; ++value)
    second.record(value);
  LatencyHistogram merged;
  merged.merge(first);
  merged.merge(second);
  EXPECT_EQ(merged.count(), 1'000'000u);
  EXPECT_EQ(merged.min(), 1u);
  EXPECT_EQ(merged.max(), 1'000'000u);
  expect_near_relative(merged.percentile(50), 500'000);
  expect_near_relative(merged.percentile(99), 990'000);
}

TEST(LatencyHistogram, EmptyReportsZeros) {
  LatencyHistogram histogram;
  EXPECT_EQ(histogram.count(), 0u);
  EXPECT_EQ(histogram.percentile(99), 0u);
  EXPECT_EQ(histogram.max(), 0u);
  EXPECT_EQ(histogram.min(), 0u);
  LatencyHistogram merged;
  merged.merge(histogram);
  EXPECT_EQ(merged.min(), 0u);
}

TEST(LatencyHistogram, BucketsTileTheRangeWithoutGaps) {
  for (std::size_t bucket = 0; bucket + 1 < LatencyHistogram::kBucketCount; ++bucket) {
    ASSERT_EQ(LatencyHistogram::bucket_highest(bucket) + 1,
              LatencyHistogram::bucket_lowest(bucket + 1))
        << bucket;
    ASSERT_EQ(LatencyHistogram::bucket_of(LatencyHistogram::bucket_lowest(bucket)), bucket);
    ASSERT_EQ(LatencyHistogram::bucket_of(LatencyHistogram::bucket_highest(bucket)), bucket);
  }
  // Each bucket is narrower than the precision says, relative to its values.
  for (std::uint64_t value : {1'000ull, 65'000ull, 1'000'000ull, 100'000'000ull}) {
    std::size_t bucket = LatencyHistogram::bucket_of(value);
    double width = static_cast<double>(LatencyHistogram::bucket_highest(bucket) -
                                       LatencyHistogram::bucket_lowest(bucket) + 1);
    EXPECT_LE(width / 2, static_cast<double>(LatencyHistogram::bucket_lowest(bucket)) * kPrecision)
        << value;
  }
}

}  // namespace
}  // namespace seoagents::loadgen
