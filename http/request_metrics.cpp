// Dense per-loop request counters and their exposition text.
#include "http/request_metrics.hpp"

#include <array>

namespace seoagents::http {
namespace {

// The status codes with a column of their own; any other code counts in its class ("5xx").
constexpr unsigned kCodes[] = {101, 200, 201, 202, 204, 206, 301, 302, 303, 304, 307, 308, 400,
                               401, 403, 404, 405, 406, 408, 409, 410, 411, 412, 413, 414, 415,
                               416, 417, 422, 426, 428, 429, 431, 500, 501, 502, 503, 504};
constexpr std::size_t kCodeCount = std::size(kCodes);
// The class columns follow the codes: 1xx … 5xx.
constexpr std::size_t kColumns = kCodeCount + 5;

// Column of each status 0…599.
constexpr std::array<std::uint8_t, 600> make_code_columns() {
  std::array<std::uint8_t, 600> columns{};
  for (unsigned status = 0; status < 600; ++status) {
    unsigned code_class = status < 100 ? 5 : status / 100;  // nonsense counts as 5xx
    columns[status] = static_cast<std::uint8_t>(kCodeCount + code_class - 1);
  }
  for (std::size_t i = 0; i < kCodeCount; ++i)
    columns[kCodes[i]] = static_cast<std::uint8_t>(i);
  return columns;
}
constexpr std::array<std::uint8_t, 600> kCodeColumns = make_code_columns();

std::string column_label(std::size_t column) {
  if (column < kCodeCount) return std::to_string(kCodes[column]);
  return std::to_string(column - kCodeCount + 1) + "xx";
}

// The rows of requests no route took, one per method; the last is every other method.
constexpr bhttp::verb kUnmatchedMethods[] = {
    bhttp::verb::get,   bhttp::verb::head,    bhttp::verb::post,   bhttp::verb::put,
    bhttp::verb::patch, bhttp::verb::delete_, bhttp::verb::options};
constexpr std::size_t kUnmatchedRows = std::size(kUnmatchedMethods) + 1;
constexpr std::string_view kUnmatched = "unmatched";

constexpr std::uint64_t kNanosPerSecond = 1'000'000'000;

}  // namespace

RequestMetrics::RequestMetrics(const Router& router, unsigned slots)
    : latency_bounds_(metrics::latency_buckets()), slots_(std::max(slots, 1u)) {
  for (const auto& route : router.routes()) {
    route_rows_.emplace(route.get(), rows_.size());
    rows_.push_back({route->pattern, std::string(bhttp::to_string(route->method))});
  }
  for (bhttp::verb method : kUnmatchedMethods)
    rows_.push_back({std::string(kUnmatched), std::string(bhttp::to_string(method))});
  rows_.push_back({std::string(kUnmatched), "OTHER"});
  // Requests, then latency (buckets, +Inf, sum), then the 429s.
  std::size_t cells = rows_.size() * kColumns + rows_.size() * (latency_bounds_.size() + 2) + 1;
  block_cells_ = (cells + 7) / 8 * 8;
  lines_ = std::make_unique<Line[]>(slots_ * block_cells_ / 8);
}

std::atomic<std::uint64_t>& RequestMetrics::cell(unsigned slot, std::size_t index) const {
  std::size_t at = slot * block_cells_ + index;
  return lines_[at / 8].cell[at % 8];
}

std::size_t RequestMetrics::request_cell(std::size_t row, std::size_t column) const {
  return row * kColumns + column;
}

std::size_t RequestMetrics::latency_cell(std::size_t row, std::size_t bucket) const {
  return rows_.size() * kColumns + row * (latency_bounds_.size() + 2) + bucket;
}

std::size_t RequestMetrics::rate_limited_cell() const {
  return latency_cell(rows_.size(), 0);  // just past the last row's latency cells
}

std::size_t RequestMetrics::row_of(const Route* route, bhttp::verb method) const {
  if (route != nullptr) {
    auto found = route_rows_.find(route);
    if (found != route_rows_.end()) return found->second;
  }
  std::size_t first_unmatched = rows_.size() - kUnmatchedRows;
  for (std::size_t i = 0; i < std::size(kUnmatchedMethods); ++i) {
    if (kUnmatchedMethods[i] == method) return first_unmatched + i;
  }
  return rows_.size() - 1;
}

void RequestMetrics::record(const Route* route, bhttp::verb method, unsigned status,
                            std::chrono::steady_clock::duration elapsed) noexcept {
  unsigned slot = metrics::slot_for_this_thread(slots_);
  std::size_t row = row_of(route, method);
  std::size_t column = kCodeColumns[status < kCodeColumns.size() ? status : 599];
  cell(slot, request_cell(row, column)).fetch_add(1, std::memory_order_relaxed);

  auto nanos = static_cast<std::uint64_t>(
      std::max<std::int64_t>(0, std::chrono::nanoseconds(elapsed).count()));
  double seconds = static_cast<double>(nanos) / kNanosPerSecond;
  std::size_t bucket = std::lower_bound(latency_bounds_.begin(), latency_bounds_.end(), seconds) -
                       latency_bounds_.begin();
  cell(slot, latency_cell(row, bucket)).fetch_add(1, std::memory_order_relaxed);
  cell(slot, latency_cell(row, latency_bounds_.size() + 1))
      .fetch_add(nanos, std::memory_order_relaxed);
  if (status == 429) {
    cell(slot, rate_limited_cell()).fetch_add(1, std::memory_order_relaxed);
  }
}

std::uint64_t RequestMetrics::total(std::size_t index) const {
  std::uint64_t sum = 0;
  for (unsigned slot = 0; slot < slots_; ++slot)
    sum += cell(slot, index).load(std::memory_order_relaxed);
  return sum;
}

void RequestMetrics::collect(metrics::TextWriter& out) const {
  collect_requests(out);
  collect_latency(out);
  out.family("seoagents_http_rate_limited_total",
             "Requests refused by the per-plan rate limit (429 RATE_LIMITED).", "counter");
  out.sample("seoagents_http_rate_limited_total", {}, total(rate_limited_cell()));
}

void RequestMetrics::collect_requests(metrics::TextWriter& out) const {
  out.family("seoagents_http_requests_total",
             "HTTP requests answered, by route pattern (\"unmatched\": no route took it), method "
             "and status code.",
             "counter");
  for (std::size_t row = 0; row < rows_.size(); ++row) {
    for (std::size_t column = 0; column < kColumns; ++column) {
      std::uint64_t count = total(request_cell(row, column));
      if (count == 0) continue;
      out.sample("seoagents_http_requests_total",
                 {{"route", rows_[row].route},
                  {"method", rows_[row].method},
                  {"code", column_label(column)}},
                 count);
    }
  }
}

void RequestMetrics::collect_latency(metrics::TextWriter& out) const {
  constexpr std::string_view kName = "seoagents_http_request_duration_seconds";
  out.family(kName,
             "Time from a complete request to its response (network I/O excluded), by route "
             "pattern and method.",
             "histogram");
  for (std::size_t row = 0; row < rows_.size(); ++row) {
    metrics::Histogram::Snapshot snapshot;
    snapshot.cumulative.resize(latency_bounds_.size() + 1);
    std::uint64_t running = 0;
    for (std::size_t bucket = 0; bucket <= latency_bounds_.size(); ++bucket) {
      running += total(latency_cell(row, bucket));
      snapshot.cumulative[bucket] = running;
    }
    if (running == 0) continue;
    snapshot.count = running;
    snapshot.sum =
        static_cast<double>(total(latency_cell(row, latency_bounds_.size() + 1))) / kNanosPerSecond;
    out.histogram(kName, {{"route", rows_[row].route}, {"method", rows_[row].method}},
                  latency_bounds_, snapshot);
  }
}

}  // namespace seoagents::http
