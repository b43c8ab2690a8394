// The server's configuration and where it comes from. Each option is read from, in order of
// precedence: command-line flags > environment (SEOAGENTS_*) > the TOML file (--config) > defaults.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/log.hpp"

namespace seoagents {

struct Config {
  // Address to listen on (IPv4 or IPv6 literal; "localhost" means 127.0.0.1).
  std::string host = "127.0.0.1";
  // TCP port; 0 picks a free one (tests use this).
  std::uint16_t port = 8080;
  // Directory for the database and the object store.
  std::string data_dir = "./data";
  // Event-loop threads, one io_context each.
  unsigned threads = 0;  // 0 until loaded: then the number of cores unless set
  // Browser origins allowed by CORS, besides any http://localhost:<port> and
  // http://127.0.0.1:<port>.
  std::vector<std::string> cors_origins;
  // Open connections at most; more are answered 503 and closed.
  std::size_t max_connections = 10000;
  // Request line + headers at most (431 beyond).
  std::size_t max_header_bytes = 8 * 1024;
  // Request body at most (413 beyond, decided before the body is read).
  std::size_t max_body_bytes = 1024 * 1024;
  // Time allowed for a request's headers to arrive once its first byte has.
  std::chrono::milliseconds header_timeout{10'000};
  // Time a keep-alive connection may wait for its next request.
  std::chrono::milliseconds idle_timeout{60'000};
  // Time allowed for a request body to arrive.
  std::chrono::milliseconds body_timeout{30'000};
  // Time allowed for a response to be written.
  std::chrono::milliseconds write_timeout{30'000};
  // On SIGINT/SIGTERM, time in-flight requests get to finish.
  std::chrono::milliseconds shutdown_timeout{10'000};
  // PEM certificate chain and private key; both set turns on TLS on the same port.
  std::string tls_cert;
  std::string tls_key;
  // synchronous=FULL (true: an acknowledged write survives power loss) or NORMAL.
  bool durability_full = true;
  // Lets outbound requests (WordPress sites, webhooks) reach private and loopback addresses.
  bool allow_private_targets = false;
  // A PEM file of CAs trusted by outbound HTTPS besides the system's (private CAs, tests).
  std::string outbound_ca_file;
  // JWT bearer tokens (Cognito-compatible, RS256): on when a JWKS is configured.
  struct Jwt {
    // The keys: a local JWKS file, or an https URL fetched (and refetched on an unknown kid).
    std::string jwks_file;
    std::string jwks_url;
    // Required `iss`, and `aud` (ID tokens) / `client_id` (access tokens).
    std::string issuer;
    std::string audience;
    // Access tokens are accepted besides ID tokens.
    bool accept_access_tokens = false;
    // Clock skew allowed on exp, nbf and iat.
    std::chrono::seconds leeway{60};
    // The claim that names a new account's plan.
    std::string plan_claim = "custom:plan";

    bool enabled() const { return !jwks_file.empty() || !jwks_url.empty(); }
  } jwt;
  // The job engine: workers in the process (jobs running at once), the lease a worker holds on
  // a job (renewed while it works; a dead worker's job runs again once it expires), how often
  // agent schedules are checked, and the attempts a job gets.
  struct Jobs {
    unsigned workers = 8;
    std::chrono::milliseconds lease{30'000};
    std::chrono::milliseconds schedule_interval{30'000};
    unsigned max_attempts = 3;
  } jobs;
  // What writes articles, and how long they are kept.
  struct Content {
    // "anthropic", "openai" or "builtin". Set by load_config: when not configured, "anthropic"
    // if ANTHROPIC_API_KEY is set, else "builtin".
    std::string writer;
    // Anthropic's Messages API. The key comes from ANTHROPIC_API_KEY only (never a flag).
    std::string anthropic_base_url = "https://api.anthropic.com";
    std::string anthropic_model = "claude-sonnet-4-5";
    std::string anthropic_api_key;
    // An OpenAI-compatible chat-completions server; the key (optional) from OPENAI_API_KEY.
    std::string openai_base_url = "http://127.0.0.1:11434";
    std::string openai_model = "llama3.1:8b";
    std::string openai_api_key;
    // Time a model gets to answer one request.
    std::chrono::milliseconds llm_timeout{300'000};
    // Days an article is kept before the lifecycle sweeper deletes it.
    unsigned article_lifetime_days = 90;
  } content;
  // Webhook delivery: the time one request gets, the retry schedule (base · 2^(attempt-1),
  // jittered, at most 6 h apart, for up to max_age after the first attempt; then the delivery
  // is dead), requests in flight per endpoint at most, and how often the dispatcher looks for
  // due deliveries besides being woken.
  struct Webhooks {
    std::chrono::milliseconds timeout{10'000};
    std::chrono::milliseconds retry_base{30'000};
    std::chrono::milliseconds retry_max_age{3 * 24 * 3'600'000};
    unsigned concurrency = 4;
    std::chrono::milliseconds poll_interval{1'000};
  } webhooks;
  // Site audits and the links to their reports.
  struct Audit {
    // Published posts and pages one audit reads at most.
    unsigned max_pages = 500;
    // How long a presigned report URL stays valid.
    std::chrono::milliseconds report_url_ttl{7LL * 24 * 3600 * 1000};
    // The API's base URL as its clients reach it ("https://seo.example.com"), for the links the
    // server hands out (report URLs). Empty: http://<host>:<port> of the listener.
    std::string public_url;
  } audit;
  // Least severe log level written.
  LogLevel log_level = LogLevel::info;
  // One log line per request.
  bool access_log = true;
  // GET /metrics (Prometheus text format).
  struct Metrics {
    // Served at all; off: /metrics answers 404 on every port.
    bool enabled = true;
    // A port of its own on --host; /metrics is then served there only. 0: on the main port.
    std::uint16_t port = 0;
    // When set, required as "Authorization: Bearer <token>" (wrong or missing: 401).
    std::string token;
  } metrics;
  // The TOML file the configuration was read from, if any.
  std::string config_file;

  bool tls_enabled() const { return !tls_cert.empty(); }
};

// Looks up an environment variable by name.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The real process environment.
EnvLookup process_environment();

struct ConfigResult {
  // Valid only when `error` is empty.
  Config config;
  // One line naming the offending option, e.g. "--port: not a port number: 99999".
  std::string error;
};

// Builds the configuration from `args` (the flags after the command name), the environment and
// the config file they name, over the defaults.
ConfigResult load_config(std::span<const std::string> args, const EnvLookup& env);

// The help text listing every option with its environment variable and default.
std::string config_options_help();

}  // namespace seoagents
