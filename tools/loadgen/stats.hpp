// What a run counts. Each worker thread owns its own counters (no locks, no shared cache lines
// on the hot path) and the main thread merges them once the workers are done; the few atomics
// here are only what the live progress line reads.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "tools/loadgen/histogram.hpp"

namespace seoagents::loadgen {

enum class ErrorKind : std::uint8_t {
  none,
  // TCP connect refused, unreachable or timed out.
  connect,
  // The TLS handshake failed (certificate, protocol).
  tls,
  write,
  // The connection broke while reading an answer.
  read,
  // An answer did not arrive within --timeout.
  timeout,
  // Not HTTP the parser accepts.
  parse,
  // The WebSocket upgrade was refused or failed.
  handshake,
  count
};

inline constexpr std::array<std::string_view, static_cast<std::size_t>(ErrorKind::count)>
    kErrorNames = {"none", "connect", "tls", "write", "read", "timeout", "parse", "handshake"};

struct HttpTotals {
  LatencyHistogram latency;
  // By status code (100…599; others at 0).
  std::array<std::uint64_t, 600> status{};
  std::array<std::uint64_t, static_cast<std::size_t>(ErrorKind::count)> errors{};
  std::uint64_t responses = 0;
  // Bytes of answers received (header and body).
  std::uint64_t bytes = 0;
  // Connections the server closed after an answer (Connection: close), opened again.
  std::uint64_t reconnects = 0;

  void count_error(ErrorKind kind) { ++errors[static_cast<std::size_t>(kind)]; }
  std::uint64_t error_total() const;
  void merge(const HttpTotals& other);
};

struct WsTotals {
  // Delivery latency of live progress frames (receipt − the frame's ts).
  LatencyHistogram latency;
  // Every message received, progress messages, and those that were replays of events stored
  // before this watcher subscribed (not in the latency).
  std::uint64_t frames = 0;
  std::uint64_t progress_frames = 0;
  std::uint64_t replayed_frames = 0;
  std::uint64_t subscribed = 0;
  // completed / failed / cancelled messages.
  std::uint64_t final_messages = 0;
  std::map<std::string, std::uint64_t, std::less<>> final_types;
  // `error` messages by their code.
  std::map<std::string, std::uint64_t, std::less<>> error_codes;
  // Close frames from the server by code (0: the connection ended without one).
  std::map<int, std::uint64_t> closes;
  // Upgrades the server answered with something else than 101, by status (e.g. 401, 429).
  std::map<int, std::uint64_t> refused_upgrades;
  std::array<std::uint64_t, static_cast<std::size_t>(ErrorKind::count)> errors{};

  void count_error(ErrorKind kind) { ++errors[static_cast<std::size_t>(kind)]; }
  void merge(const WsTotals& other);
};

// One worker thread's counters.
struct ThreadStats {
  HttpTotals http;
  WsTotals ws;
  // Read by the progress line while the run goes on.
  std::atomic<std::uint64_t> live_responses{0};
  std::atomic<std::uint64_t> live_errors{0};
  std::atomic<std::uint64_t> live_frames{0};

  // Single writer (the worker): a plain load and store, no locked instruction.
  static void bump(std::atomic<std::uint64_t>& counter) {
    counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
};

}  // namespace seoagents::loadgen
