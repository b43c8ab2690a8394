// The metric types, the exposition-format text and the registry's families.
#include "core/metrics.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include "core/loop_pool.hpp"

namespace seoagents::metrics {
namespace {

bool is_name_char(char c, bool first, bool colon_allowed) {
  bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  if (letter || (colon_allowed && c == ':')) return true;
  return !first && c >= '0' && c <= '9';
}

bool is_name(std::string_view name, bool colon_allowed) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (!is_name_char(name[i], i == 0, colon_allowed)) return false;
  }
  return true;
}

void check_series(std::string_view name, const Labels& labels, bool histogram) {
  if (!is_valid_metric_name(name))
    throw std::invalid_argument("bad metric name: " + std::string(name));
  for (const Label& label : labels) {
    if (!is_valid_label_name(label.name) || (histogram && label.name == "le")) {
      throw std::invalid_argument("bad label name " + label.name + " on " + std::string(name));
    }
  }
}

bool same_names(const Labels& a, const Labels& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const Label& x, const Label& y) { return x.name == y.name; });
}

bool same_labels(const Labels& a, const Labels& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const Label& x, const Label& y) {
    return x.name == y.name && x.value == y.value;
  });
}

// Doubles below this are whole numbers exactly.
constexpr double kExactIntegers = 9007199254740992.0;  // 2^53

std::string_view type_name(int type) {
  static constexpr std::string_view kNames[] = {"counter", "gauge", "histogram"};
  return kNames[type];
}

}  // namespace

unsigned slot_for_this_thread(unsigned slots) noexcept {
  unsigned slot = static_cast<unsigned>(LoopPool::current_index() + 1);
  return slot < slots ? slot : 0;
}

Counter::Counter(unsigned slots) : slots_(std::max(slots, 1u)), slot_(new Slot[slots_]) {}

void Counter::add(std::uint64_t amount) noexcept {
  slot_[slot_for_this_thread(slots_)].value.fetch_add(amount, std::memory_order_relaxed);
}

std::uint64_t Counter::value() const noexcept {
  std::uint64_t total = 0;
  for (unsigned i = 0; i < slots_; ++i)
    total += slot_[i].value.load(std::memory_order_relaxed);
  return total;
}

Histogram::Histogram(std::vector<double> upper_bounds, unsigned slots)
    : bounds_(std::move(upper_bounds)), slots_(std::max(slots, 1u)) {
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    if (!std::isfinite(bounds_[i]) || (i > 0 && bounds_[i] <= bounds_[i - 1])) {
      throw std::invalid_argument("histogram bounds must be finite and strictly ascending");
    }
  }
  std::size_t cells = bounds_.size() + 2;  // the buckets, +Inf, the sum
  lines_per_slot_ = (cells + 7) / 8;
  lines_ = std::make_unique<Line[]>(slots_ * lines_per_slot_);
}

std::atomic<std::uint64_t>& Histogram::cell(unsigned slot, std::size_t index) const {
  return lines_[slot * lines_per_slot_ + index / 8].cell[index % 8];
}

void Histogram::observe(double value) noexcept {
  unsigned slot = slot_for_this_thread(slots_);
  // The first bound ≥ value; values past the last (and NaN) count in +Inf.
  std::size_t bucket = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  cell(slot, bucket).fetch_add(1, std::memory_order_relaxed);
  std::atomic<std::uint64_t>& sum = cell(slot, bounds_.size() + 1);
  std::uint64_t old_bits = sum.load(std::memory_order_relaxed);
  // One writer per slot but for threads off the loops: the exchange nearly always succeeds.
  while (!sum.compare_exchange_weak(
      old_bits, std::bit_cast<std::uint64_t>(std::bit_cast<double>(old_bits) + value),
      std::memory_order_relaxed)) {
  }
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot snapshot;
  snapshot.cumulative.assign(bounds_.size() + 1, 0);
  for (unsigned slot = 0; slot < slots_; ++slot) {
    for (std::size_t i = 0; i <= bounds_.size(); ++i)
      snapshot.cumulative[i] += cell(slot, i).load(std::memory_order_relaxed);
    snapshot.sum +=
        std::bit_cast<double>(cell(slot, bounds_.size() + 1).load(std::memory_order_relaxed));
  }
  for (std::size_t i = 1; i < snapshot.cumulative.size(); ++i)
    snapshot.cumulative[i] += snapshot.cumulative[i - 1];
  snapshot.count = snapshot.cumulative.back();
  return snapshot;
}

std::vector<double> latency_buckets() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
          0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
}

std::vector<double> exponential_buckets(double start, double factor, std::size_t count) {
  std::vector<double> bounds;
  bounds.reserve(count);
  for (double bound = start; bounds.size() < count; bound *= factor)
    bounds.push_back(bound);
  return bounds;
}

namespace {
// Backslash and newline escaped (HELP text); with `quotes`, double quotes too (label values).
std::string escape_text(std::string_view text, bool quotes) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quotes && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}
}  // namespace

std::string escape_label_value(std::string_view value) {
  return escape_text(value, true);
}

std::string escape_help(std::string_view text) {
  return escape_text(text, false);
}

std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[400];  // room for any double in fixed notation
  char* end = buffer;
  double magnitude = std::fabs(value);
  if (value == std::trunc(value) && magnitude < kExactIntegers) {
    end = std::to_chars(buffer, std::end(buffer), static_cast<long long>(value)).ptr;
  } else if (magnitude >= 1e-4 && magnitude < 1e21) {
    end = std::to_chars(buffer, std::end(buffer), value, std::chars_format::fixed).ptr;
  } else {
    end = std::to_chars(buffer, std::end(buffer), value).ptr;
  }
  return std::string(buffer, end);
}

bool is_valid_metric_name(std::string_view name) {
  return is_name(name, true);
}

bool is_valid_label_name(std::string_view name) {
  return is_name(name, false) && !name.starts_with("__");
}

void TextWriter::family(std::string_view name, std::string_view help, std::string_view type) {
  out_.append("# HELP ").append(name).append(" ").append(escape_help(help)).append("\n");
  out_.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void TextWriter::labels(const Labels& labels, const Label* extra) {
  if (labels.empty() && extra == nullptr) return;
  out_ += '{';
  bool first = true;
  auto write = [&](const Label& label) {
    if (!first) out_ += ',';
    first = false;
    out_.append(label.name).append("=\"").append(escape_label_value(label.value)).append("\"");
  };
  for (const Label& label : labels)
    write(label);
  if (extra != nullptr) write(*extra);
  out_ += '}';
}

void TextWriter::sample(std::string_view name, const Labels& labels, double value) {
  out_.append(name);
  this->labels(labels);
  out_.append(" ").append(format_value(value)).append("\n");
}

void TextWriter::sample(std::string_view name, const Labels& labels, std::uint64_t value) {
  out_.append(name);
  this->labels(labels);
  out_.append(" ").append(std::to_string(value)).append("\n");
}

void TextWriter::histogram(std::string_view name, const Labels& labels,
                           const std::vector<double>& bounds, const Histogram::Snapshot& snapshot) {
  std::string bucket_name = std::string(name) + "_bucket";
  for (std::size_t i = 0; i <= bounds.size(); ++i) {
    Label le{"le", i < bounds.size() ? format_value(bounds[i]) : "+Inf"};
    out_.append(bucket_name);
    this->labels(labels, &le);
    out_.append(" ").append(std::to_string(snapshot.cumulative[i])).append("\n");
  }
  sample(std::string(name) + "_sum", labels, snapshot.sum);
  sample(std::string(name) + "_count", labels, snapshot.count);
}

Registry::Family& Registry::family_for(std::string_view name, std::string_view help, Type type,
                                       const Labels& labels) {
  check_series(name, labels, type == Type::histogram);
  if (type == Type::counter && !name.ends_with("_total")) {
    throw std::invalid_argument("a counter's name ends in _total: " + std::string(name));
  }
  for (Entry& entry : entries_) {
    if (!entry.family || entry.family->name != name) continue;
    Family& family = *entry.family;
    if (family.type != type) {
      throw std::invalid_argument(std::string(name) + " is registered with another type");
    }
    for (const Series& series : family.series) {
      if (!same_names(series.labels, labels))
        throw std::invalid_argument(std::string(name) + ": label names differ between series");
      if (same_labels(series.labels, labels))
        throw std::invalid_argument(std::string(name) + ": these labels are registered");
    }
    return family;
  }
  Entry entry;
  entry.family = std::make_unique<Family>(Family{std::string(name), std::string(help), type, {}});
  entries_.push_back(std::move(entry));
  return *entries_.back().family;
}

Counter& Registry::counter(std::string_view name, std::string_view help, Labels labels) {
  Family& family = family_for(name, help, Type::counter, labels);
  counters_.push_back(std::make_unique<Counter>(slots_));
  family.series.push_back({std::move(labels), counters_.back().get()});
  return *counters_.back();
}

Gauge& Registry::gauge(std::string_view name, std::string_view help, Labels labels) {
  Family& family = family_for(name, help, Type::gauge, labels);
  gauges_.push_back(std::make_unique<Gauge>());
  family.series.push_back({std::move(labels), gauges_.back().get()});
  return *gauges_.back();
}

Histogram& Registry::histogram(std::string_view name, std::string_view help,
                               std::vector<double> upper_bounds, Labels labels) {
  Family& family = family_for(name, help, Type::histogram, labels);
  histograms_.push_back(std::make_unique<Histogram>(std::move(upper_bounds), slots_));
  family.series.push_back({std::move(labels), histograms_.back().get()});
  return *histograms_.back();
}

void Registry::gauge_function(std::string_view name, std::string_view help, Labels labels,
                              std::function<double()> read) {
  Family& family = family_for(name, help, Type::gauge, labels);
  family.series.push_back({std::move(labels), std::move(read)});
}

void Registry::add_histogram(std::string_view name, std::string_view help, Labels labels,
                             const Histogram& histogram) {
  Family& family = family_for(name, help, Type::histogram, labels);
  family.series.push_back({std::move(labels), &histogram});
}

void Registry::add_collector(std::function<void(TextWriter&)> collect) {
  Entry entry;
  entry.collect = std::move(collect);
  entries_.push_back(std::move(entry));
}

void Registry::render_family(const Family& family, TextWriter& out) const {
  out.family(family.name, family.help, type_name(static_cast<int>(family.type)));
  for (const Series& series : family.series) {
    if (auto* counter = std::get_if<const Counter*>(&series.source)) {
      out.sample(family.name, series.labels, (*counter)->value());
    } else if (auto* gauge = std::get_if<const Gauge*>(&series.source)) {
      out.sample(family.name, series.labels, (*gauge)->value());
    } else if (auto* histogram = std::get_if<const Histogram*>(&series.source)) {
      out.histogram(family.name, series.labels, (*histogram)->upper_bounds(),
                    (*histogram)->snapshot());
    } else {
      out.sample(family.name, series.labels, std::get<std::function<double()>>(series.source)());
    }
  }
}

std::string Registry::render() const {
  std::string text;
  text.reserve(16 * 1024);
  TextWriter out(text);
  for (const Entry& entry : entries_) {
    if (entry.family) {
      render_family(*entry.family, out);
    } else {
      entry.collect(out);
    }
  }
  return text;
}

}  // namespace seoagents::metrics
