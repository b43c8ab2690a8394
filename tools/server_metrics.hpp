// The server's metrics: every seoagents_* series GET /metrics shows, registered in one place and
// bound to the services that feed them, and the listener that serves /metrics on a port of its
// own (--metrics-port).
//
// Threads: built and bound by the App before the loops start; the counters are then written by
// the loops, the writer thread and the job workers, and render() runs on whichever loop serves
// /metrics.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/log.hpp"
#include "core/loop_pool.hpp"
#include "core/metrics.hpp"
#include "http/cors.hpp"
#include "http/pipeline.hpp"
#include "http/request_metrics.hpp"
#include "http/router.hpp"
#include "http/routes.hpp"
#include "http/server.hpp"
#include "jobs/writers/metered_model.hpp"
#include "storage/store.hpp"
#include "ws/channel.hpp"

namespace seoagents {

class ServerMetrics {
 public:
  // `loops`: the event loops (each gets slots of its own); `started_at`: the process's start.
  ServerMetrics(unsigned loops, SystemTime started_at, std::string_view io_backend);
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  const metrics::Registry& registry() const { return registry_; }

  // What the job engine, the webhook dispatcher and the writer report through (their options).
  std::function<void(const std::string&, std::chrono::steady_clock::duration)> job_attempt_ended();
  std::function<void(std::string_view outcome)> webhook_attempt_recorded();
  std::function<std::optional<jobs::TokenCounters>(std::string_view provider)> llm_tokens();

  // The services read at render time. Once each, before the loops start.
  void watch_store(storage::Store& store) { store_ = &store; }
  void watch_server(const http::HttpServer& server) { server_ = &server; }
  void watch_websockets(const ws::ProgressChannel& channel) { websockets_ = &channel; }
  // Counts the requests of `router`'s routes (all registered by now); the pipeline calls it.
  http::RequestMetrics& count_requests(const http::Router& router);

 private:
  void register_process(SystemTime started_at, std::string_view io_backend);
  void register_http();
  void register_jobs();
  void register_webhooks();
  void register_store();
  void register_llm();
  void collect_jobs(metrics::TextWriter& out) const;
  void collect_store(metrics::TextWriter& out) const;

  metrics::Registry registry_;
  std::unique_ptr<http::RequestMetrics> requests_;
  // Per job type: the durations of its attempts. Fixed once built: read without a lock.
  std::map<std::string, metrics::Histogram*, std::less<>> job_durations_;
  metrics::Counter* webhooks_delivered_ = nullptr;
  metrics::Counter* webhooks_dead_ = nullptr;
  metrics::Counter* webhook_failures_ = nullptr;
  // Per provider: its input and output token counters.
  std::map<std::string, std::pair<metrics::Counter*, metrics::Counter*>, std::less<>> tokens_;
  storage::Store* store_ = nullptr;
  const http::HttpServer* server_ = nullptr;
  const ws::ProgressChannel* websockets_ = nullptr;
};

// /metrics alone on --metrics-port (same address, same TLS as the main port): its own route
// table and pipeline (no authentication stages, no request counting) and its own HttpServer.
class MetricsListener {
 public:
  MetricsListener(LoopPool& loops, const Config& config, http::MetricsEndpoint endpoint,
                  const http::CorsPolicy& cors, Logger& logger);

  // Binds the port (throws std::runtime_error when it cannot). Before the loops start.
  void start() { server_.start(); }
  // While the loops still run.
  void stop() { server_.stop(); }
  std::uint16_t port() const { return server_.port(); }

 private:
  Config config_;
  http::Router router_;
  http::Pipeline pipeline_;
  http::HttpServer server_;
};

}  // namespace seoagents
