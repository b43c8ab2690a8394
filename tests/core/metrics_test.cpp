// Tests of the metrics registry: the exact exposition text of each metric type for known
// inputs, label escaping, the registration rules, slots written from several threads, and the
// --metrics* options.
#include "core/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <thread>
#include <vector>

#include "core/config.hpp"
#include "core/loop_pool.hpp"

namespace seoagents::metrics {
namespace {

TEST(MetricsText, CounterFamilyWithLabels) {
  Registry registry;
  registry.counter("seoagents_things_total", "Things done.", {{"kind", "a"}}).add(3);
  registry.counter("seoagents_things_total", "Things done.", {{"kind", "b"}});
  EXPECT_EQ(registry.render(),
            "# HELP seoagents_things_total Things done.\n"
            "# TYPE seoagents_things_total counter\n"
            "seoagents_things_total{kind=\"a\"} 3\n"
            "seoagents_things_total{kind=\"b\"} 0\n");
}

TEST(MetricsText, GaugeAndGaugeFunction) {
  Registry registry;
  Gauge& open = registry.gauge("seoagents_open", "Open now.");
  open.set(5);
  open.add(-1.5);
  registry.gauge_function("seoagents_read", "Read at render time.", {{"x", "1"}},
                          [] { return 0.25; });
  EXPECT_EQ(registry.render(),
            "# HELP seoagents_open Open now.\n"
            "# TYPE seoagents_open gauge\n"
            "seoagents_open 3.5\n"
            "# HELP seoagents_read Read at render time.\n"
            "# TYPE seoagents_read gauge\n"
            "seoagents_read{x=\"1\"} 0.25\n");
}

TEST(MetricsText, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  Registry registry;
  Histogram& latency =
      registry.histogram("seoagents_wait_seconds", "Waits.", {0.5, 1, 2.5}, {{"route", "/x"}});
  for (double value : {0.1, 0.5, 0.7, 3.0, 100.0})
    latency.observe(value);
  EXPECT_EQ(registry.render(),
            "# HELP seoagents_wait_seconds Waits.\n"
            "# TYPE seoagents_wait_seconds histogram\n"
            "seoagents_wait_seconds_bucket{route=\"/x\",le=\"0.5\"} 2\n"
            "seoagents_wait_seconds_bucket{route=\"/x\",le=\"1\"} 3\n"
            "seoagents_wait_seconds_bucket{route=\"/x\",le=\"2.5\"} 3\n"
            "seoagents_wait_seconds_bucket{route=\"/x\",le=\"+Inf\"} 5\n"
            "seoagents_wait_seconds_sum{route=\"/x\"} 104.3\n"
            "seoagents_wait_seconds_count{route=\"/x\"} 5\n");
}

TEST(MetricsText, EmptyHistogramWithoutLabels) {
  Registry registry;
  registry.histogram("seoagents_sizes", "Sizes.", {1, 10});
  EXPECT_EQ(registry.render(),
            "# HELP seoagents_sizes Sizes.\n"
            "# TYPE seoagents_sizes histogram\n"
            "seoagents_sizes_bucket{le=\"1\"} 0\n"
            "seoagents_sizes_bucket{le=\"10\"} 0\n"
            "seoagents_sizes_bucket{le=\"+Inf\"} 0\n"
            "seoagents_sizes_sum 0\n"
            "seoagents_sizes_count 0\n");
}

TEST(MetricsText, LabelValuesAndHelpAreEscaped) {
  Registry registry;
  registry.counter("seoagents_odd_total", "Back\\slash and\nnewline.", {{"path", "a\\b\"c\"\nd"}});
  EXPECT_EQ(registry.render(),
            "# HELP seoagents_odd_total Back\\\\slash and\\nnewline.\n"
            "# TYPE seoagents_odd_total counter\n"
            "seoagents_odd_total{path=\"a\\\\b\\\"c\\\"\\nd\"} 0\n");
  EXPECT_EQ(escape_label_value("plain/{id}"), "plain/{id}");
}

TEST(MetricsText, ValuesReadBackExactly) {
  EXPECT_EQ(format_value(0), "0");
  EXPECT_EQ(format_value(42), "42");
  EXPECT_EQ(format_value(0.0001), "0.0001");
  EXPECT_EQ(format_value(-2.5), "-2.5");
  EXPECT_EQ(format_value(1500), "1500");
  EXPECT_EQ(format_value(104.3), "104.3");
  EXPECT_EQ(format_value(1e21), "1e+21");
  EXPECT_EQ(format_value(1e-7), "1e-07");
  EXPECT_EQ(format_value(1.5e300), "1.5e+300");
  EXPECT_EQ(format_value(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_value(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(format_value(std::nan("")), "NaN");
}

TEST(MetricsText, CollectorsRenderInRegistrationOrder) {
  Registry registry;
  registry.counter("seoagents_first_total", "First.");
  registry.add_collector([](TextWriter& out) {
    out.family("seoagents_collected", "From a collector.", "gauge");
    out.sample("seoagents_collected", {{"state", "pending"}}, std::uint64_t{7});
  });
  registry.gauge("seoagents_last", "Last.");
  EXPECT_EQ(registry.render(),
            "# HELP seoagents_first_total First.\n"
            "# TYPE seoagents_first_total counter\n"
            "seoagents_first_total 0\n"
            "# HELP seoagents_collected From a collector.\n"
            "# TYPE seoagents_collected gauge\n"
            "seoagents_collected{state=\"pending\"} 7\n"
            "# HELP seoagents_last Last.\n"
            "# TYPE seoagents_last gauge\n"
            "seoagents_last 0\n");
}

TEST(MetricsText, ExternalHistogramIsRenderedFromItsOwner) {
  Histogram owned({1, 2});
  owned.observe(2);
  Registry registry;
  registry.add_histogram("seoagents_owned", "Owned elsewhere.", {}, owned);
  owned.observe(1);
  std::string text = registry.render();
  EXPECT_NE(text.find("seoagents_owned_bucket{le=\"1\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("seoagents_owned_bucket{le=\"2\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("seoagents_owned_sum 3\n"), std::string::npos) << text;
}

TEST(MetricsRegistry, RefusesWhatWouldRenderWrongly) {
  Registry registry;
  EXPECT_THROW(registry.counter("seoagents_no_suffix", "x"), std::invalid_argument);
  EXPECT_THROW(registry.counter("9starts_with_digit_total", "x"), std::invalid_argument);
  EXPECT_THROW(registry.gauge("seoagents_g", "x", {{"bad-name", "v"}}), std::invalid_argument);
  EXPECT_THROW(registry.gauge("seoagents_g", "x", {{"__reserved", "v"}}), std::invalid_argument);
  EXPECT_THROW(registry.histogram("seoagents_h", "x", {1}, {{"le", "1"}}), std::invalid_argument);
  EXPECT_THROW(registry.histogram("seoagents_h", "x", {2, 1}), std::invalid_argument);
  EXPECT_THROW(Histogram({1, std::numeric_limits<double>::infinity()}), std::invalid_argument);

  registry.gauge("seoagents_kind", "x", {{"a", "1"}});
  EXPECT_THROW(registry.counter("seoagents_kind", "x"), std::invalid_argument);
  EXPECT_THROW(registry.gauge("seoagents_kind", "x", {{"a", "1"}}), std::invalid_argument);
  EXPECT_THROW(registry.gauge("seoagents_kind", "x", {{"b", "1"}}), std::invalid_argument);
  EXPECT_NO_THROW(registry.gauge("seoagents_kind", "x", {{"a", "2"}}));
}

TEST(MetricsSlots, EveryLoopWritesItsOwnSlotAndTheSumIsExact) {
  constexpr unsigned kThreads = 4;
  constexpr std::uint64_t kAdds = 100'000;
  Counter counter(kThreads + 1);
  Histogram histogram({1}, kThreads + 1);
  std::vector<std::thread> threads;
  // Loops 0..2 have slots 1..3; loop 3 and a thread off the loops share slot 0.
  for (unsigned t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::optional<LoopPool::ScopedLoopIndex> loop;
      if (t < kThreads - 1) loop.emplace(static_cast<int>(t));
      for (std::uint64_t i = 0; i < kAdds; ++i) {
        counter.add();
        histogram.observe(t % 2 == 0 ? 0.5 : 2.0);
      }
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(counter.value(), kThreads * kAdds);
  Histogram::Snapshot snapshot = histogram.snapshot();
  EXPECT_EQ(snapshot.count, kThreads * kAdds);
  EXPECT_EQ(snapshot.cumulative[0], kThreads / 2 * kAdds);
  EXPECT_DOUBLE_EQ(snapshot.sum, (0.5 + 2.0) * kThreads / 2 * kAdds);
}

TEST(MetricsSlots, SlotOfThisThread) {
  EXPECT_EQ(slot_for_this_thread(3), 0u);
  {
    LoopPool::ScopedLoopIndex loop(1);
    EXPECT_EQ(slot_for_this_thread(3), 2u);
    EXPECT_EQ(slot_for_this_thread(2), 0u);  // more loops than slots: the shared one
  }
}

TEST(MetricsBuckets, ExponentialAndLatency) {
  EXPECT_EQ(exponential_buckets(1, 2, 4), (std::vector<double>{1, 2, 4, 8}));
  std::vector<double> latency = latency_buckets();
  EXPECT_EQ(latency.front(), 0.0001);
  EXPECT_EQ(latency.back(), 10);
  EXPECT_NO_THROW(Histogram{latency});
}

ConfigResult load(std::vector<std::string> args) {
  return load_config(args, [](std::string_view) { return std::optional<std::string>(); });
}

TEST(MetricsConfig, DefaultsServeOnTheMainPortWithoutToken) {
  ConfigResult result = load({});
  ASSERT_EQ(result.error, "");
  EXPECT_TRUE(result.config.metrics.enabled);
  EXPECT_EQ(result.config.metrics.port, 0);
  EXPECT_EQ(result.config.metrics.token, "");
}

TEST(MetricsConfig, ReadsFlagsAndEnvironment) {
  ConfigResult flags =
      load({"--metrics", "off", "--metrics-port", "9100", "--metrics-token", "0123456789abcdef"});
  ASSERT_EQ(flags.error, "");
  EXPECT_FALSE(flags.config.metrics.enabled);
  EXPECT_EQ(flags.config.metrics.port, 9100);
  EXPECT_EQ(flags.config.metrics.token, "0123456789abcdef");

  ConfigResult env = load_config({}, [](std::string_view name) -> std::optional<std::string> {
    if (name == "SEOAGENTS_METRICS_TOKEN") return std::string(32, 'k');
    return std::nullopt;
  });
  ASSERT_EQ(env.error, "");
  EXPECT_EQ(env.config.metrics.token, std::string(32, 'k'));
}

TEST(MetricsConfig, RefusesBadValues) {
  EXPECT_EQ(load({"--metrics", "maybe"}).error, "--metrics: not on or off: maybe");
  EXPECT_EQ(load({"--metrics-port", "70000"}).error, "--metrics-port: not a port number: 70000");
  EXPECT_NE(load({"--metrics-token", "short"}).error.find("needs 16 to 256 characters"),
            std::string::npos);
  EXPECT_NE(load({"--metrics-token", "has a space in it ok"}).error.find("visible ASCII"),
            std::string::npos);
  EXPECT_EQ(load({"--port", "9000", "--metrics-port", "9000"}).error,
            "--metrics-port must differ from --port (0 serves /metrics on the main port)");
}

}  // namespace
}  // namespace seoagents::metrics
