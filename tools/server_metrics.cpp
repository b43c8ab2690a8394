// The seoagents_* series, their meaning (the HELP texts) and where each value comes from.
#include "tools/server_metrics.hpp"

#include "storage/job_counts.hpp"
#include "storage/jobs.hpp"

namespace seoagents {
namespace {

// Seconds from 100 ms to 30 min: one attempt of a job.
std::vector<double> job_duration_buckets() {
  return {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800};
}

constexpr std::string_view kProviders[] = {"anthropic", "openai"};

}  // namespace

ServerMetrics::ServerMetrics(unsigned loops, SystemTime started_at, std::string_view io_backend)
    : registry_(loops + 1) {
  register_process(started_at, io_backend);
  register_http();
  register_jobs();
  register_webhooks();
  register_store();
  register_llm();
}

void ServerMetrics::register_process(SystemTime started_at, std::string_view io_backend) {
  registry_
      .gauge("seoagents_build_info", "Always 1: the version and I/O backend of this binary.",
             {{"version", SEOAGENTS_VERSION}, {"io_backend", std::string(io_backend)}})
      .set(1);
  registry_
      .gauge("seoagents_process_start_time_seconds",
             "When the server started, in seconds since the Unix epoch.")
      .set(std::chrono::duration<double>(started_at.time_since_epoch()).count());
}

void ServerMetrics::register_http() {
  registry_.add_collector([this](metrics::TextWriter& out) {
    if (requests_) requests_->collect(out);
  });
  registry_.gauge_function(
      "seoagents_http_open_connections",
      "Open client connections on the main port (WebSocket connections included).", {},
      [this] { return server_ ? static_cast<double>(server_->open_connections()) : 0.0; });
  registry_.gauge_function(
      "seoagents_websocket_open_connections", "Open WebSocket progress-channel connections.", {},
      [this] { return websockets_ ? static_cast<double>(websockets_->stats().connections) : 0.0; });
  registry_.gauge_function(
      "seoagents_websocket_subscriptions", "Job subscriptions of the open WebSocket connections.",
      {}, [this] {
        return websockets_ ? static_cast<double>(websockets_->stats().subscriptions) : 0.0;
      });
}

void ServerMetrics::register_jobs() {
  registry_.add_collector([this](metrics::TextWriter& out) { collect_jobs(out); });
  for (std::string_view type : storage::kJobTypes) {
    job_durations_[std::string(type)] = &registry_.histogram(
        "seoagents_job_duration_seconds",
        "Time one attempt of a job ran, from its claim to its recorded end, by job type.",
        job_duration_buckets(), {{"type", std::string(type)}});
  }
}

void ServerMetrics::collect_jobs(metrics::TextWriter& out) const {
  std::map<std::pair<std::string, std::string>, std::int64_t> counts;
  if (store_ != nullptr) {
    for (const storage::JobCount& count : storage::count_jobs_by_type_and_status(store_->reader()))
      counts[{count.job_type, count.status}] = count.jobs;
  }
  out.family("seoagents_jobs", "Jobs in the database by type and state.", "gauge");
  std::int64_t pending = 0;
  for (std::string_view type : storage::kJobTypes) {
    for (std::string_view state : storage::kJobStatuses) {
      auto found = counts.find({std::string(type), std::string(state)});
      std::int64_t jobs = found == counts.end() ? 0 : found->second;
      if (state == "pending") pending += jobs;
      out.sample("seoagents_jobs", {{"type", std::string(type)}, {"state", std::string(state)}},
                 static_cast<double>(jobs));
    }
  }
  out.family("seoagents_job_queue_depth",
             "Jobs queued (pending), waiting for a worker or for their retry time.", "gauge");
  out.sample("seoagents_job_queue_depth", {}, static_cast<double>(pending));
}

void ServerMetrics::register_webhooks() {
  constexpr std::string_view kDeliveries = "seoagents_webhook_deliveries_total";
  constexpr std::string_view kDeliveriesHelp =
      "Webhook deliveries that reached their end: delivered (a 2xx), or dead (retries used up).";
  webhooks_delivered_ =
      &registry_.counter(kDeliveries, kDeliveriesHelp, {{"outcome", "delivered"}});
  webhooks_dead_ = &registry_.counter(kDeliveries, kDeliveriesHelp, {{"outcome", "dead"}});
  webhook_failures_ =
      &registry_.counter("seoagents_webhook_delivery_failures_total",
                         "Failed webhook delivery attempts (no answer, or not a 2xx), each retried "
                         "later or, the last one, dead.");
}

void ServerMetrics::register_store() {
  registry_.add_collector([this](metrics::TextWriter& out) { collect_store(out); });
}

void ServerMetrics::collect_store(metrics::TextWriter& out) const {
  if (store_ == nullptr) return;
  constexpr std::string_view kSizes = "seoagents_store_commit_group_writes";
  out.family(kSizes, "Writes committed together in one transaction (group commit).", "histogram");
  out.histogram(kSizes, {}, store_->group_sizes().upper_bounds(), store_->group_sizes().snapshot());
  constexpr std::string_view kLatency = "seoagents_store_commit_duration_seconds";
  out.family(kLatency, "Time from a write group's BEGIN to its durable COMMIT.", "histogram");
  out.histogram(kLatency, {}, store_->commit_seconds().upper_bounds(),
                store_->commit_seconds().snapshot());
}

void ServerMetrics::register_llm() {
  constexpr std::string_view kTokens = "seoagents_llm_tokens_total";
  constexpr std::string_view kHelp =
      "Tokens the language model used, as its provider reported them, by provider and direction.";
  for (std::string_view provider : kProviders) {
    metrics::Counter& input = registry_.counter(
        kTokens, kHelp, {{"provider", std::string(provider)}, {"direction", "input"}});
    metrics::Counter& output = registry_.counter(
        kTokens, kHelp, {{"provider", std::string(provider)}, {"direction", "output"}});
    tokens_[std::string(provider)] = {&input, &output};
  }
}

http::RequestMetrics& ServerMetrics::count_requests(const http::Router& router) {
  requests_ = std::make_unique<http::RequestMetrics>(router, registry_.slots());
  return *requests_;
}

std::function<void(const std::string&, std::chrono::steady_clock::duration)>
ServerMetrics::job_attempt_ended() {
  return [this](const std::string& job_type, std::chrono::steady_clock::duration ran) {
    auto found = job_durations_.find(job_type);
    if (found == job_durations_.end()) return;
    found->second->observe(std::chrono::duration<double>(ran).count());
  };
}

std::function<void(std::string_view)> ServerMetrics::webhook_attempt_recorded() {
  return [this](std::string_view outcome) {
    if (outcome == "delivered") {
      webhooks_delivered_->add();
      return;
    }
    webhook_failures_->add();
    if (outcome == "dead") webhooks_dead_->add();
  };
}

std::function<std::optional<jobs::TokenCounters>(std::string_view)> ServerMetrics::llm_tokens() {
  return [this](std::string_view provider) -> std::optional<jobs::TokenCounters> {
    auto found = tokens_.find(provider);
    if (found == tokens_.end()) return std::nullopt;
    return jobs::TokenCounters{*found->second.first, *found->second.second};
  };
}

namespace {

Config metrics_listener_config(const Config& config) {
  Config listener = config;
  listener.port = config.metrics.port;
  return listener;
}

}  // namespace

MetricsListener::MetricsListener(LoopPool& loops, const Config& config,
                                 http::MetricsEndpoint endpoint, const http::CorsPolicy& cors,
                                 Logger& logger)
    : config_(metrics_listener_config(config)),
      pipeline_(router_, cors, logger, config.access_log),
      server_(loops, config_, pipeline_, logger) {
  http::register_metrics_route(router_, endpoint);
}

}  // namespace seoagents
