// The HTTP request metrics: requests by route pattern, method and status code, handling latency
// by route, and the requests the rate limit refused, counted by the pipeline for every response.
//
// The series are dense arrays fixed when the server starts — one row per route of the router
// (its pattern is the label, never the raw path, so the label values are bounded) plus one per
// method for requests no route took ("unmatched") — with a column per status code of a fixed
// table. Each loop writes a block of its own (relaxed atomic adds on its own cache lines: no
// lock, no shared line on the request path); collect() sums the blocks and renders the
// non-zero series.
//
// Threads: record() from any thread (loops use their own blocks); collect() from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/metrics.hpp"
#include "http/router.hpp"

namespace seoagents::http {

class RequestMetrics {
 public:
  // Rows for the routes `router` holds now (routes added later count as unmatched). `slots`:
  // the loops + 1 (see metrics::slot_for_this_thread).
  RequestMetrics(const Router& router, unsigned slots);
  RequestMetrics(const RequestMetrics&) = delete;
  RequestMetrics& operator=(const RequestMetrics&) = delete;

  // One answered request: the route that took it (null: none did), its method, the response's
  // status, and the time from the complete request to the response.
  void record(const Route* route, bhttp::verb method, unsigned status,
              std::chrono::steady_clock::duration elapsed) noexcept;

  // seoagents_http_requests_total, seoagents_http_request_duration_seconds and
  // seoagents_http_rate_limited_total.
  void collect(metrics::TextWriter& out) const;

 private:
  // Where one row's cells start in a block.
  std::size_t request_cell(std::size_t row, std::size_t code) const;
  std::size_t latency_cell(std::size_t row, std::size_t bucket) const;
  std::size_t rate_limited_cell() const;
  std::size_t row_of(const Route* route, bhttp::verb method) const;
  // A cell summed over the blocks.
  std::uint64_t total(std::size_t index) const;
  void collect_requests(metrics::TextWriter& out) const;
  void collect_latency(metrics::TextWriter& out) const;

  // Per row: its route pattern and method labels.
  struct Row {
    std::string route;
    std::string method;
  };
  std::vector<Row> rows_;
  std::unordered_map<const Route*, std::size_t> route_rows_;
  std::vector<double> latency_bounds_;
  unsigned slots_;
  // Cells of one block: requests by row and code, latency buckets (+Inf) and the sum in
  // nanoseconds by row, the 429 count; rounded up to whole cache lines.
  struct alignas(64) Line {
    std::atomic<std::uint64_t> cell[8];
  };
  std::atomic<std::uint64_t>& cell(unsigned slot, std::size_t index) const;
  std::size_t block_cells_;
  std::unique_ptr<Line[]> lines_;
};

}  // namespace seoagents::http
