// Wiring of the services and their start/stop order.
#include "tools/app.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "core/master_key.hpp"
#include "http/idempotency.hpp"
#include "http/rate_limit.hpp"
#include "http/routes.hpp"
#include "jobs/article_lifecycle.hpp"
#include "jobs/writers/writer_factory.hpp"
#include "storage/accounts.hpp"
#include "storage/idempotency.hpp"

namespace seoagents {
void prepare_data_directory(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  bool created = fs::create_directories(path, ec);
  if (ec) throw std::runtime_error("--data " + path + ": cannot create: " + ec.message());
  if (!fs::is_directory(path, ec)) throw std::runtime_error("--data " + path + ": not a directory");
  if (created) fs::permissions(path, fs::perms::owner_all, fs::perm_options::replace, ec);
}

const char* io_backend_name() {
#if defined(BOOST_ASIO_HAS_IO_URING) && defined(BOOST_ASIO_DISABLE_EPOLL)
  return "io_uring";
#else
  return "epoll";
#endif
}

std::string database_path(const std::string& data_dir) {
  return data_dir + "/seoagents.db";
}

std::string objects_path(const std::string& data_dir) {
  return data_dir + "/objects";
}

namespace {

// http(s)://<host>:<port> of the listener, for links when --public-url is not set (an unspecified
// address becomes the loopback one, which at least works on this machine).
std::string listener_url(const Config& config, std::uint16_t port) {
  std::string host = config.host;
  if (host == "0.0.0.0" || host == "localhost") host = "127.0.0.1";
  if (host == "::") host = "::1";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  std::string url = config.tls_enabled() ? "https://" : "http://";
  url.append(host).append(":").append(std::to_string(port));
  return url;
}

}  // namespace

// Agents kept per loop thread for GET /agents/{id} (a few MiB at most).
constexpr std::size_t kAgentCacheEntriesPerLoop = 10'000;

App::App(Config config, Logger& logger)
    : config_(std::move(config)),
      logger_(logger),
      started_at_(std::chrono::system_clock::now()),
      loops_(config_.threads),
      cors_(config_.cors_origins),
      pipeline_(router_, cors_, logger_, config_.access_log),
      server_(loops_, config_, pipeline_, logger_) {}

App::~App() {
  stop();
  unlock_data_directory();
}

void App::unlock_data_directory() {
  if (data_lock_fd_ >= 0) ::close(data_lock_fd_);
  data_lock_fd_ = -1;
}

void App::add_pipeline(std::string job_type, jobs::Pipeline pipeline) {
  pipelines_[std::move(job_type)] = std::move(pipeline);
}

void App::add_content_pipelines() {
  compute_ = std::make_unique<ComputePool>();
  content_ = std::unique_ptr<jobs::ContentServices>(new jobs::ContentServices{
      *store_, *objects_,
      jobs::make_writer(config_.content, config_.outbound_ca_file, metrics_->llm_tokens()),
      *compute_,
      static_cast<std::int64_t>(config_.content.article_lifetime_days) * 24 * 3600 * 1000});
  // try_emplace: a pipeline given with add_pipeline (tests) stays.
  pipelines_.try_emplace("create", jobs::create_pipeline(*content_));
  pipelines_.try_emplace("enhance", jobs::enhance_pipeline(*content_));
  pipelines_.try_emplace("optimize", jobs::optimize_pipeline(*content_));
  publish_ = std::unique_ptr<jobs::PublishServices>(
      new jobs::PublishServices{*store_, *objects_, *secrets_, *outbound_, *compute_});
  pipelines_.try_emplace("publish", jobs::publish_pipeline(*publish_));
  jobs_->add_periodic_task(jobs::kArticleSweepInterval, [this]() {
    return jobs::expire_articles(*store_, *objects_, storage::now_ms());
  });
  logger_.info("content_writer",
               {{"writer", content_->writer->name()}, {"model", content_->writer->model()}});
}

void App::add_audit_pipeline(const std::string& master_key) {
  report_urls_ = std::make_unique<UrlSigner>(derive_key(master_key, "report-urls"));
  audit_ = std::unique_ptr<jobs::AuditServices>(new jobs::AuditServices{
      *store_, *objects_, *outbound_, *secrets_, *compute_, *report_urls_, config_.audit.max_pages,
      config_.audit.report_url_ttl, config_.audit.public_url});
  pipelines_.try_emplace("audit", jobs::audit_pipeline(*audit_));
}

void App::add_webhook_dispatcher() {
  jobs::WebhookOptions options;
  options.timeout = config_.webhooks.timeout;
  options.retry_base = config_.webhooks.retry_base;
  options.retry_max_age = config_.webhooks.retry_max_age;
  options.per_endpoint_limit = config_.webhooks.concurrency;
  options.poll_interval = config_.webhooks.poll_interval;
  options.allow_private_targets = config_.allow_private_targets;
  options.ca_file = config_.outbound_ca_file;
  options.on_attempt = metrics_->webhook_attempt_recorded();
  webhooks_ = std::make_unique<jobs::WebhookDispatcher>(*store_, loops_.loop(0), *secrets_, logger_,
                                                        options, storage::now_ms);
}

http::MetricsEndpoint App::metrics_endpoint() const {
  return {.registry = &metrics_->registry(),
          .token = config_.metrics.token,
          .on_this_port = config_.metrics.enabled && config_.metrics.port == 0};
}

// With --metrics-port, /metrics gets a listener of its own, started before the main port's (a
// listener that started cannot be stopped before the loops run: whatever can fail fails first,
// the main port's check included). Without a token on the main port of a non-loopback address,
// anyone who reaches the API can read the metrics: said once at start.
void App::start_metrics_listener() {
  if (!config_.metrics.enabled) return;
  if (config_.metrics.port != 0) {
    http::ensure_port_is_free({asio::ip::make_address(config_.host), config_.port});
    metrics_listener_ =
        std::make_unique<MetricsListener>(loops_, config_, metrics_endpoint(), cors_, logger_);
    metrics_listener_->start();
    return;
  }
  bool loopback = config_.host.starts_with("127.") || config_.host == "::1";
  if (config_.metrics.token.empty() && !loopback) {
    logger_.warn("metrics_unprotected",
                 {{"detail",
                   "GET /metrics is served without a token on a non-loopback address: "
                   "set --metrics-token or --metrics-port, or --metrics off"}});
  }
}

void App::lock_data_directory() {
  std::string path = config_.data_dir + "/seoagents.lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) {
      throw std::runtime_error("another seoagents server is using --data " + config_.data_dir +
                               " (" + path + " is locked)");
    }
    throw std::runtime_error("cannot lock " + path + ": " + std::strerror(error));
  }
  data_lock_fd_ = fd;
}

void App::start() {
  prepare_data_directory(config_.data_dir);
  lock_data_directory();
  std::string master_key = load_master_key(config_.data_dir, process_environment());
  metrics_ = std::make_unique<ServerMetrics>(config_.threads, started_at_, io_backend_name());
  store_ = std::make_unique<storage::Store>(
      storage::Store::Options{database_path(config_.data_dir), config_.durability_full
                                                                   ? storage::Durability::full
                                                                   : storage::Durability::normal},
      logger_);
  objects_ = std::make_unique<storage::FilesystemObjectStore>(objects_path(config_.data_dir));
  credentials_ = std::make_unique<http::CredentialCache>(*store_, config_.threads);
  agent_cache_ = std::make_unique<storage::ReadCache<http::RenderedAgent>>(
      *store_, storage::Store::CachedTable::agents, config_.threads, kAgentCacheEntriesPerLoop);
  cursors_ = std::make_unique<http::CursorCodec>(derive_key(master_key, "cursor"));
  secrets_ = std::make_unique<SecretBox>(derive_key(master_key, "secrets"));
  OutboundOptions outbound_options;
  outbound_options.allow_private_targets = config_.allow_private_targets;
  outbound_options.ca_file = config_.outbound_ca_file;
  outbound_ = std::make_unique<OutboundClient>(outbound_options);
  jobs::EngineOptions job_options;
  job_options.workers = config_.jobs.workers;
  job_options.lease = config_.jobs.lease;
  job_options.schedule_interval = config_.jobs.schedule_interval;
  job_options.max_attempts = config_.jobs.max_attempts;
  job_options.on_attempt_end = metrics_->job_attempt_ended();
  jobs_ = std::make_unique<jobs::JobEngine>(*store_, loops_, logger_, job_options, storage::now_ms);
  add_content_pipelines();
  add_audit_pipeline(master_key);
  for (auto& [job_type, pipeline] : pipelines_)
    jobs_->register_pipeline(job_type, std::move(pipeline));
  add_webhook_dispatcher();
  http::ResourceServices services{.store = store_.get(),
                                  .credentials = credentials_.get(),
                                  .cursors = cursors_.get(),
                                  .logger = &logger_,
                                  .secrets = secrets_.get(),
                                  .outbound = outbound_.get(),
                                  .agent_cache = agent_cache_.get(),
                                  .jobs = jobs_.get(),
                                  .objects = objects_.get(),
                                  .compute = compute_.get(),
                                  .audit = audit_.get(),
                                  .allow_private_targets = config_.allow_private_targets,
                                  .webhooks = webhooks_.get()};
  http::register_api_routes(router_, {started_at_, services, metrics_endpoint()});
  pipeline_.set_metrics(&metrics_->count_requests(router_));
  if (config_.jwt.enabled()) {
    jwt_ = std::make_unique<http::JwtAuthority>(config_.jwt, *outbound_, logger_);
    jwt_->load();
  }
  pipeline_.add(std::make_unique<http::Authenticator>(*credentials_, *store_, rate_limiter_,
                                                      jwt_.get(), logger_));
  pipeline_.add(std::make_unique<http::RateLimitStage>(rate_limiter_));
  pipeline_.add(std::make_unique<http::IdempotencyStage>(*store_, logger_));
  websocket_channel_ = std::make_unique<ws::ProgressChannel>(loops_, *store_, jobs_->events(),
                                                             logger_, websocket_options_);
  server_.set_upgrade_handler(websocket_channel_.get());
  websocket_channel_->start();
  start_metrics_listener();
  server_.start();  // binds first: a port in use stops the start before anything is created
  metrics_->watch_store(*store_);
  metrics_->watch_server(server_);
  metrics_->watch_websockets(*websocket_channel_);
  if (audit_->public_url.empty()) audit_->public_url = listener_url(config_, server_.port());
  // Before the writer thread starts: these run on this thread.
  release_unfinished_requests();
  create_first_account();
  jobs_->recover_before_start();
  webhooks_->recover_before_start();
  store_->start();
  jobs_->start();
  webhooks_->start(jobs_->events());
  loops_.start();
  running_ = true;
  logger_.info("started", {{"version", SEOAGENTS_VERSION},
                           {"host", config_.host},
                           {"port", static_cast<unsigned>(server_.port())},
                           {"threads", config_.threads},
                           {"io_backend", io_backend_name()},
                           {"tls", config_.tls_enabled()},
                           {"data", config_.data_dir}});
}

void App::release_unfinished_requests() {
  auto released = store_->write_before_start<std::int64_t>([](storage::Connection& writer) {
    return storage::release_unfinished_idempotency_keys(writer);
  });
  if (!released) {
    throw std::runtime_error("cannot release unfinished idempotency keys: " +
                             released.error().detail);
  }
  if (*released > 0) logger_.info("idempotency_keys_released", {{"count", *released}});
}

void App::create_first_account() {
  if (storage::count_accounts(store_->reader()) > 0) return;
  auto created = store_->write_before_start<std::string>([](storage::Connection& writer) {
    auto account = storage::create_account(writer, "default", storage::Plan::agency);
    return storage::create_api_key(writer, account.id, "first key").raw_key;
  });
  if (!created) {
    throw std::runtime_error("cannot create the first account: " + created.error().detail);
  }
  first_api_key_ = *created;
  logger_.info("first_account_created", {{"account", "default"}, {"plan", "agency"}});
}

void App::stop() {
  if (!running_) return;
  running_ = false;
  server_.stop();
  if (metrics_listener_) metrics_listener_->stop();
  websocket_channel_->stop();
  // While the loops and the writer still run: running jobs hand their leases back.
  jobs_->stop();
  // Webhook sends in flight get up to 5 s; unfinished ones go again after the next start.
  webhooks_->stop();
  compute_->stop();
  store_->stop();
  loops_.stop();
  // Everything is written: another server may use the directory now.
  unlock_data_directory();
  logger_.info("stopped");
}

}  // namespace seoagents
