// The composition root: builds every service from the configuration, starts them in order and
// stops them in reverse. Owns them all; services get what they need by reference.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/compute_pool.hpp"
#include "core/config.hpp"
#include "core/log.hpp"
#include "core/loop_pool.hpp"
#include "core/outbound_client.hpp"
#include "core/presigned_url.hpp"
#include "core/rate_limiter.hpp"
#include "core/secret_box.hpp"
#include "http/auth.hpp"
#include "http/cors.hpp"
#include "http/pagination.hpp"
#include "http/pipeline.hpp"
#include "http/resources.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "jobs/audit_pipeline.hpp"
#include "jobs/content_pipelines.hpp"
#include "jobs/engine.hpp"
#include "jobs/publish_pipeline.hpp"
#include "jobs/webhooks/dispatcher.hpp"
#include "storage/object_store.hpp"
#include "storage/read_cache.hpp"
#include "storage/store.hpp"
#include "tools/server_metrics.hpp"
#include "ws/channel.hpp"

namespace seoagents {

class App {
 public:
  App(Config config, Logger& logger);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Starts every service. Throws std::runtime_error with a message for the operator.
  void start();
  // Graceful stop, in reverse order of start. Idempotent.
  void stop();

  std::uint16_t port() const { return server_.port(); }
  // The port of --metrics-port's listener (the real one), or 0 when /metrics has none.
  std::uint16_t metrics_port() const { return metrics_listener_ ? metrics_listener_->port() : 0; }
  const Config& config() const { return config_; }
  // The route table; routes may be added (tests add their own) until start().
  http::Router& router() { return router_; }
  // Gives a job type its pipeline; before start(). Types without one are refused by POST /jobs.
  void add_pipeline(std::string job_type, jobs::Pipeline pipeline);
  // The job engine, once started.
  jobs::JobEngine& jobs() { return *jobs_; }
  // The webhook dispatcher, once started.
  jobs::WebhookDispatcher& webhooks() { return *webhooks_; }
  // The store, once started.
  storage::Store& store() { return *store_; }
  // The object store, once started.
  storage::ObjectStore& objects() { return *objects_; }
  // What the content pipelines use, once started.
  jobs::ContentServices& content() { return *content_; }
  // The WebSocket channel's limits; may be changed (tests do) until start().
  ws::ChannelOptions& websocket_options() { return websocket_options_; }
  // The WebSocket progress channel, once started.
  ws::ProgressChannel& websocket_channel() { return *websocket_channel_; }
  // The request pipeline (router, middleware, handlers), once started: what the fuzz harnesses
  // drive without a socket.
  const http::Pipeline& pipeline() const { return pipeline_; }
  // Event loop `index` (below config().threads): where the handlers' per-loop state lives.
  asio::io_context& loop(unsigned index) { return loops_.loop(index); }
  // When start() found an empty database, the key of the account it created; shown once.
  const std::optional<std::string>& first_api_key() const { return first_api_key_; }

 private:
  // Frees idempotency keys whose requests were cut short by the last stop.
  void release_unfinished_requests();
  void create_first_account();
  // The create, enhance, optimize and publish pipelines (unless a test gave its own) and the
  // article sweep.
  void add_content_pipelines();
  // The audit pipeline (unless a test gave its own) and what the report routes use.
  void add_audit_pipeline(const std::string& master_key);
  // The webhook dispatcher, configured by --webhook-*.
  void add_webhook_dispatcher();
  // What GET /metrics serves, and its listener when --metrics-port is set.
  http::MetricsEndpoint metrics_endpoint() const;
  void start_metrics_listener();
  // Holds <data>/seoagents.lock: one server per data directory (its jobs' leases are its own).
  void lock_data_directory();
  void unlock_data_directory();

  // Declared in start order: destroyed in reverse, the loops last.
  Config config_;
  Logger& logger_;
  SystemTime started_at_;
  LoopPool loops_;
  // The lock file's descriptor, held while the App lives.
  int data_lock_fd_ = -1;
  // Every seoagents_* series; fed by the services below.
  std::unique_ptr<ServerMetrics> metrics_;
  std::unique_ptr<storage::Store> store_;
  // Article bodies and reports under <data>/objects.
  std::unique_ptr<storage::ObjectStore> objects_;
  std::unique_ptr<http::CredentialCache> credentials_;
  std::unique_ptr<storage::ReadCache<http::RenderedAgent>> agent_cache_;
  std::unique_ptr<http::CursorCodec> cursors_;
  std::unique_ptr<SecretBox> secrets_;
  std::unique_ptr<OutboundClient> outbound_;
  std::map<std::string, jobs::Pipeline> pipelines_;
  // CPU-heavy work off the loops (analysis, Markdown rendering).
  std::unique_ptr<ComputePool> compute_;
  // What the content pipelines use: the writer --writer names, the store, the objects.
  std::unique_ptr<jobs::ContentServices> content_;
  // What the publish pipeline uses: the store, the objects, the secrets, the outbound client.
  std::unique_ptr<jobs::PublishServices> publish_;
  // Signs the links to audit reports.
  std::unique_ptr<UrlSigner> report_urls_;
  // What the audit pipeline and the report routes use.
  std::unique_ptr<jobs::AuditServices> audit_;
  std::unique_ptr<jobs::JobEngine> jobs_;
  // Sends the webhook deliveries of the outbox (on loop 0).
  std::unique_ptr<jobs::WebhookDispatcher> webhooks_;
  // The WebSocket progress channel at /v1 and /v1/ws, fed by the engine's event bus.
  ws::ChannelOptions websocket_options_;
  std::unique_ptr<ws::ProgressChannel> websocket_channel_;
  // Bearer-token verification; null unless a JWKS is configured.
  std::unique_ptr<http::JwtAuthority> jwt_;
  // Per-plan request limits and failed-authentication limits (keys by prefix).
  RateLimiter rate_limiter_;
  http::Router router_;
  http::CorsPolicy cors_;
  http::Pipeline pipeline_;
  http::HttpServer server_;
  // /metrics on --metrics-port; null when it is served on the main port (or off).
  std::unique_ptr<MetricsListener> metrics_listener_;
  std::optional<std::string> first_api_key_;
  bool running_ = false;
};

// "epoll" or "io_uring": the Asio backend this binary was built with.
const char* io_backend_name();

// The data directory holds the database, the master key and the object store; it is created
// (owner-only) if it does not exist, so a start with the defaults needs no preparation. Throws
// std::runtime_error naming --data when it cannot be.
void prepare_data_directory(const std::string& path);

// The database file inside a data directory.
std::string database_path(const std::string& data_dir);
// The object store's root in the data directory.
std::string objects_path(const std::string& data_dir);

}  // namespace seoagents
