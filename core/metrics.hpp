// A small Prometheus metrics registry: counters, gauges and fixed-bucket histograms whose label
// sets are fixed when they are registered, rendered in the text exposition format 0.0.4.
//
// Threads: registration happens before serving, on one thread. Updates are lock-free from any
// thread: a counter or histogram keeps one slot per loop thread plus one for every other thread,
// each on cache lines of its own, so loops never write the same line; render() sums the slots
// (relaxed loads: a scrape sees each update whole, not all updates of one instant).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace seoagents::metrics {

// The Content-Type of render()'s text.
inline constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

struct Label {
  std::string name;
  std::string value;
};
using Labels = std::vector<Label>;

// The slot the calling thread writes among `slots`: 1 + its loop index on a loop thread, 0 on
// any other thread (and on loops beyond the slots).
unsigned slot_for_this_thread(unsigned slots) noexcept;

// A value that only goes up.
class Counter {
 public:
  // `slots`: 1 for a counter written by one thread; loops + 1 for one written by every loop.
  explicit Counter(unsigned slots = 1);

  void add(std::uint64_t amount = 1) noexcept;
  std::uint64_t value() const noexcept;

 private:
  struct alignas(64) Slot {
    std::atomic<std::uint64_t> value{0};
  };
  unsigned slots_;
  std::unique_ptr<Slot[]> slot_;
};

// A value that goes up and down; set by whoever knows it.
class Gauge {
 public:
  void set(double value) noexcept { value_.store(value, std::memory_order_relaxed); }
  void add(double amount) noexcept { value_.fetch_add(amount, std::memory_order_relaxed); }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Observations counted into buckets with fixed upper bounds (plus +Inf), with their sum.
class Histogram {
 public:
  // `upper_bounds`: finite, strictly ascending. Throws std::invalid_argument otherwise.
  explicit Histogram(std::vector<double> upper_bounds, unsigned slots = 1);

  void observe(double value) noexcept;

  struct Snapshot {
    // Observations ≤ each upper bound (cumulative), then the +Inf bucket (= count).
    std::vector<std::uint64_t> cumulative;
    double sum = 0;
    std::uint64_t count = 0;
  };
  Snapshot snapshot() const;
  const std::vector<double>& upper_bounds() const { return bounds_; }

 private:
  // Per slot: one count per bucket (the last is +Inf), then the sum's bits (a double), on
  // cache lines of the slot's own.
  struct alignas(64) Line {
    std::atomic<std::uint64_t> cell[8];
  };
  std::atomic<std::uint64_t>& cell(unsigned slot, std::size_t index) const;

  std::vector<double> bounds_;
  unsigned slots_;
  std::size_t lines_per_slot_;
  std::unique_ptr<Line[]> lines_;
};

// Seconds from 100 µs to 10 s: request handling, commits.
std::vector<double> latency_buckets();
// `count` bounds: start, start·factor, start·factor²…
std::vector<double> exponential_buckets(double start, double factor, std::size_t count);

// `\` → `\\`, `"` → `\"`, newline → `\n`: a label value inside its quotes.
std::string escape_label_value(std::string_view value);
// `\` → `\\`, newline → `\n`: a HELP text.
std::string escape_help(std::string_view text);
// A sample value that reads back the same: whole numbers as integers ("1500"), others in the
// shortest fixed notation ("0.0001", "104.3") or, very large or small, scientific ("1e+21",
// "1e-07"); "+Inf", "-Inf", "NaN".
std::string format_value(double value);

// Writes families and samples in the exposition format into a string; for the registry and for
// collectors that render families of their own.
class TextWriter {
 public:
  explicit TextWriter(std::string& out) : out_(out) {}

  // The "# HELP" and "# TYPE" lines that open a family; `type` is counter, gauge or histogram.
  void family(std::string_view name, std::string_view help, std::string_view type);
  // One sample line: name{labels} value.
  void sample(std::string_view name, const Labels& labels, double value);
  void sample(std::string_view name, const Labels& labels, std::uint64_t value);
  // A histogram's _bucket lines (cumulative, le="+Inf" last), _sum and _count.
  void histogram(std::string_view name, const Labels& labels, const std::vector<double>& bounds,
                 const Histogram::Snapshot& snapshot);

 private:
  void labels(const Labels& labels, const Label* extra = nullptr);
  std::string& out_;
};

// Names: [a-zA-Z_:][a-zA-Z0-9_:]*. Label names: [a-zA-Z_][a-zA-Z0-9_]*, not starting "__".
bool is_valid_metric_name(std::string_view name);
bool is_valid_label_name(std::string_view name);

class Registry {
 public:
  // `slots`: how many slots the counters and histograms it creates get (loops + 1).
  explicit Registry(unsigned slots = 1) : slots_(slots) {}
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Registers one series of the family `name` (created with `help` on first use) and returns
  // it. Throws std::invalid_argument for a malformed name or label, a counter not ending in
  // _total, a family registered before with another type, or the same labels twice.
  Counter& counter(std::string_view name, std::string_view help, Labels labels = {});
  Gauge& gauge(std::string_view name, std::string_view help, Labels labels = {});
  Histogram& histogram(std::string_view name, std::string_view help,
                       std::vector<double> upper_bounds, Labels labels = {});
  // A gauge whose value `read` gives at render time (on the rendering thread).
  void gauge_function(std::string_view name, std::string_view help, Labels labels,
                      std::function<double()> read);
  // A histogram owned elsewhere (it must outlive the registry's renders).
  void add_histogram(std::string_view name, std::string_view help, Labels labels,
                     const Histogram& histogram);
  // A collector renders whole families itself, at its place in the registration order: for
  // series known only at render time (a database query) or kept in dense arrays.
  void add_collector(std::function<void(TextWriter&)> collect);

  // Every family in registration order.
  std::string render() const;
  unsigned slots() const { return slots_; }

 private:
  enum class Type { counter, gauge, histogram };
  using Source =
      std::variant<const Counter*, const Gauge*, const Histogram*, std::function<double()>>;
  struct Series {
    Labels labels;
    Source source;
  };
  struct Family {
    std::string name;
    std::string help;
    Type type;
    std::vector<Series> series;
  };
  struct Entry {
    // One of the two.
    std::unique_ptr<Family> family;
    std::function<void(TextWriter&)> collect;
  };

  Family& family_for(std::string_view name, std::string_view help, Type type, const Labels& labels);
  void render_family(const Family& family, TextWriter& out) const;

  unsigned slots_;
  std::vector<Entry> entries_;
  // What the registry created; the families point into these.
  std::vector<std::unique_ptr<Counter>> counters_;
  std::vector<std::unique_ptr<Gauge>> gauges_;
  std::vector<std::unique_ptr<Histogram>> histograms_;
};

}  // namespace seoagents::metrics
