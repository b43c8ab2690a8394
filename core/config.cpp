// Option table, value parsers and the layering of defaults, TOML file, environment and flags.
#include "core/config.hpp"

#include <toml++/toml.h>

#include <boost/asio/ip/address.hpp>
#include <charconv>
#include <cstdlib>
#include <set>

#include "core/loop_pool.hpp"

namespace seoagents {
namespace {

using namespace std::chrono_literals;

// Parses a value into the config; returns an error description, empty when it is accepted.
using ApplyFn = std::string (*)(Config&, std::string_view value);

struct OptionSpec {
  // Flag name without dashes; also the TOML key. The environment variable is derived from it.
  std::string_view name;
  // Placeholder shown in help.
  std::string_view value_name;
  // One line of help, with the default.
  std::string_view help;
  // May be given several times (flags), as an array (TOML) or comma-separated (environment).
  bool repeatable;
  ApplyFn apply;
};

std::optional<std::uint64_t> parse_unsigned(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

// "250ms", "10s", "2m", "1h", or a bare number of seconds.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  struct Unit {
    std::string_view suffix;
    std::uint64_t millis;
  };
  static constexpr Unit kUnits[] = {{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}};
  for (const Unit& unit : kUnits) {
    if (text.size() > unit.suffix.size() && text.ends_with(unit.suffix)) {
      auto number = parse_unsigned(text.substr(0, text.size() - unit.suffix.size()));
      if (!number || *number > 24 * 3'600'000ull / unit.millis) return std::nullopt;
      return std::chrono::milliseconds(*number * unit.millis);
    }
  }
  auto seconds = parse_unsigned(text);
  if (!seconds || *seconds > 24 * 3600) return std::nullopt;
  return std::chrono::seconds(*seconds);
}

// "7d" (whole days, up to 3650), or any duration parse_duration() reads.
std::optional<std::chrono::milliseconds> parse_days_or_duration(std::string_view text) {
  if (text.size() < 2 || !text.ends_with('d')) return parse_duration(text);
  auto days = parse_unsigned(text.substr(0, text.size() - 1));
  if (!days || *days > 3650) return std::nullopt;
  return std::chrono::hours(24 * *days);
}

// A whole number in [min, max]; `what` names it for the error ("a page count").
std::string apply_count(unsigned& field, std::string_view value, unsigned min, unsigned max,
                        std::string_view what) {
  auto n = parse_unsigned(value);
  if (!n || *n < min || *n > max) {
    return "not " + std::string(what) + " from " + std::to_string(min) + " to " +
           std::to_string(max) + ": " + std::string(value);
  }
  field = static_cast<unsigned>(*n);
  return {};
}

// "8192", "8KiB", "1MiB" (KB/MB are read as KiB/MiB too).
std::optional<std::size_t> parse_size(std::string_view text) {
  struct Unit {
    std::string_view suffix;
    std::uint64_t bytes;
  };
  static constexpr Unit kUnits[] = {{"KiB", 1024},       {"MiB", 1024 * 1024}, {"KB", 1024},
                                    {"MB", 1024 * 1024}, {"K", 1024},          {"M", 1024 * 1024}};
  for (const Unit& unit : kUnits) {
    if (text.size() > unit.suffix.size() && text.ends_with(unit.suffix)) {
      auto number = parse_unsigned(text.substr(0, text.size() - unit.suffix.size()));
      if (!number || *number > (1ull << 40) / unit.bytes) return std::nullopt;
      return *number * unit.bytes;
    }
  }
  return parse_unsigned(text);
}

std::string apply_duration(std::chrono::milliseconds& field, std::string_view value) {
  auto duration = parse_duration(value);
  if (!duration || *duration < 1ms) {
    return "not a duration (like 500ms, 10s, 2m) between 1ms and 24h: " + std::string(value);
  }
  field = *duration;
  return {};
}

// A duration in [min, max]; `range` names them for the error ("100ms to 5m").
std::string apply_bounded_duration(std::chrono::milliseconds& field, std::string_view value,
                                   std::chrono::milliseconds min, std::chrono::milliseconds max,
                                   std::string_view range) {
  auto duration = parse_duration(value);
  if (!duration || *duration < min || *duration > max) {
    return "not a duration from " + std::string(range) + ": " + std::string(value);
  }
  field = *duration;
  return {};
}

std::string apply_switch(bool& field, std::string_view value) {
  if (value == "on" || value == "true") {
    field = true;
  } else if (value == "off" || value == "false") {
    field = false;
  } else {
    return "not on or off: " + std::string(value);
  }
  return {};
}

std::string apply_size(std::size_t& field, std::string_view value, std::size_t min,
                       std::size_t max) {
  auto size = parse_size(value);
  if (!size || *size < min || *size > max) {
    return "not a size between " + std::to_string(min) + " and " + std::to_string(max) +
           " bytes: " + std::string(value);
  }
  field = *size;
  return {};
}

// An http(s) URL without query or fragment; a trailing '/' is dropped.
std::string apply_base_url(std::string& field, std::string_view value) {
  bool scheme = value.starts_with("https://") || value.starts_with("http://");
  if (!scheme || value.find_first_of("?# ") != std::string_view::npos || value.size() > 2048) {
    return "not an http(s) base URL: " + std::string(value);
  }
  while (value.ends_with('/'))
    value.remove_suffix(1);
  std::size_t scheme_end = value.find("://");
  if (scheme_end == std::string_view::npos || scheme_end + 3 >= value.size())
    return "not an http(s) base URL: no host";
  field = value;
  return {};
}

std::string apply_model(std::string& field, std::string_view value) {
  if (value.empty() || value.size() > 200) return "needs a model name of 1 to 200 characters";
  field = value;
  return {};
}

bool is_valid_origin(std::string_view origin) {
  std::string_view rest;
  if (origin.starts_with("https://")) {
    rest = origin.substr(8);
  } else if (origin.starts_with("http://")) {
    rest = origin.substr(7);
  } else {
    return false;
  }
  if (rest.empty() || rest.size() > 253) return false;
  for (char c : rest) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return false;  // no path, query, userinfo or wildcard
  }
  return true;
}

std::string apply_port(std::uint16_t& field, std::string_view value) {
  auto port = parse_unsigned(value);
  if (!port || *port > 65535) return "not a port number: " + std::string(value);
  field = static_cast<std::uint16_t>(*port);
  return {};
}

// 16 to 256 visible ASCII characters: what fits an Authorization header and resists guessing.
std::string apply_metrics_token(std::string& field, std::string_view value) {
  if (value.size() < 16 || value.size() > 256) {
    return "needs 16 to 256 characters (a random token, e.g. openssl rand -hex 32)";
  }
  for (char c : value) {
    if (c <= ' ' || c > '~') return "may hold visible ASCII characters only, no spaces";
  }
  field = value;
  return {};
}

const std::vector<OptionSpec>& option_table() {
  static const std::vector<OptionSpec> kOptions = {
      {"config", "FILE", "TOML file with any of these options (keys as the flag names)", false,
       [](Config& c, std::string_view v) -> std::string {
         if (v.empty()) return "needs a file path";
         c.config_file = v;
         return {};
       }},
      {"host", "ADDR", "address to listen on (default 127.0.0.1; 0.0.0.0 or :: for all)", false,
       [](Config& c, std::string_view v) -> std::string {
         if (v == "localhost") {
           c.host = "127.0.0.1";
           return {};
         }
         boost::system::error_code ec;
         boost::asio::ip::make_address(std::string(v), ec);
         if (ec) return "not an IP address: " + std::string(v);
         c.host = v;
         return {};
       }},
      {"port", "PORT", "TCP port (default 8080; 0 picks a free port)", false,
       [](Config& c, std::string_view v) -> std::string {
         auto port = parse_unsigned(v);
         if (!port || *port > 65535) return "not a port number: " + std::string(v);
         c.port = static_cast<std::uint16_t>(*port);
         return {};
       }},
      {"data", "DIR", "data directory: database and article store (default ./data)", false,
       [](Config& c, std::string_view v) -> std::string {
         if (v.empty()) return "needs a directory";
         c.data_dir = v;
         return {};
       }},
      {"threads", "N", "event-loop threads (default: the number of cores)", false,
       [](Config& c, std::string_view v) -> std::string {
         auto n = parse_unsigned(v);
         if (!n || *n < 1 || *n > 256) return "not a thread count from 1 to 256: " + std::string(v);
         c.threads = static_cast<unsigned>(*n);
         return {};
       }},
      {"cors-origin", "ORIGIN",
       "browser origin allowed by CORS, e.g. https://app.example.com (repeatable; "
       "http://localhost:* and http://127.0.0.1:* are always allowed)",
       true,
       [](Config& c, std::string_view v) -> std::string {
         if (!is_valid_origin(v)) {
           return "not an origin (scheme://host[:port], no path or wildcard): " + std::string(v);
         }
         c.cors_origins.emplace_back(v);
         return {};
       }},
      {"max-connections", "N", "open connections at most; more get 503 (default 10000)", false,
       [](Config& c, std::string_view v) -> std::string {
         auto n = parse_unsigned(v);
         if (!n || *n < 1 || *n > 1'000'000) {
           return "not a connection count from 1 to 1000000: " + std::string(v);
         }
         c.max_connections = *n;
         return {};
       }},
      {"max-header-size", "BYTES", "request line + headers at most; 431 beyond (default 8KiB)",
       false,
       [](Config& c, std::string_view v) {
         return apply_size(c.max_header_bytes, v, 1024, 65536);
       }},
      {"max-body-size", "BYTES", "request body at most; 413 beyond (default 1MiB)", false,
       [](Config& c, std::string_view v) {
         return apply_size(c.max_body_bytes, v, 1024, 64 * 1024 * 1024);
       }},
      {"header-timeout", "DURATION", "time for a request's headers to arrive (default 10s)", false,
       [](Config& c, std::string_view v) { return apply_duration(c.header_timeout, v); }},
      {"idle-timeout", "DURATION", "keep-alive wait for the next request (default 60s)", false,
       [](Config& c, std::string_view v) { return apply_duration(c.idle_timeout, v); }},
      {"body-timeout", "DURATION", "time for a request body to arrive (default 30s)", false,
       [](Config& c, std::string_view v) { return apply_duration(c.body_timeout, v); }},
      {"write-timeout", "DURATION", "time for a response to be written (default 30s)", false,
       [](Config& c, std::string_view v) { return apply_duration(c.write_timeout, v); }},
      {"shutdown-timeout", "DURATION",
       "on SIGINT/SIGTERM, time for in-flight requests to finish (default 10s)", false,
       [](Config& c, std::string_view v) { return apply_duration(c.shutdown_timeout, v); }},
      {"tls-cert", "FILE", "PEM certificate chain; with --tls-key, the port also speaks TLS", false,
       [](Config& c, std::string_view v) -> std::string {
         c.tls_cert = v;
         return {};
       }},
      {"tls-key", "FILE", "PEM private key for --tls-cert", false,
       [](Config& c, std::string_view v) -> std::string {
         c.tls_key = v;
         return {};
       }},
      {"durability", "full|normal",
       "full: every acknowledged write survives power loss; normal: survives a process crash "
       "(default full)",
       false,
       [](Config& c, std::string_view v) -> std::string {
         if (v != "full" && v != "normal") return "not full or normal: " + std::string(v);
         c.durability_full = v == "full";
         return {};
       }},
      {"allow-private-targets", "on|off",
       "let outbound requests reach private and loopback addresses: development and tests only "
       "(default off)",
       false,
       [](Config& c, std::string_view v) -> std::string {
         if (v != "on" && v != "off" && v != "true" && v != "false") {
           return "not on or off: " + std::string(v);
         }
         c.allow_private_targets = v == "on" || v == "true";
         return {};
       }},
      {"outbound-ca-file", "FILE",
       "PEM CAs trusted by outbound HTTPS (sites, JWKS) besides the system's", false,
       [](Config& c, std::string_view v) -> std::string {
         if (v.empty()) return "needs a file path";
         c.outbound_ca_file = v;
         return {};
       }},
      {"jwks-file", "FILE", "JWKS file with the RSA keys of JWT bearer tokens (turns JWT on)",
       false,
       [](Config& c, std::string_view v) -> std::string {
         if (v.empty()) return "needs a file path";
         c.jwt.jwks_file = v;
         return {};
       }},
      {"jwks-url", "URL",
       "https URL of the JWKS, e.g. https://cognito-idp.REGION.amazonaws.com/POOL/.well-known/"
       "jwks.json (turns JWT on)",
       false,
       [](Config& c, std::string_view v) -> std::string {
         if (!v.starts_with("https://") || v.size() <= 8)
           return "not an https URL: " + std::string(v);
         c.jwt.jwks_url = v;
         return {};
       }},
      {"jwt-issuer", "ISS", "required `iss` of JWTs (the user pool's URL)", false,
       [](Config& c, std::string_view v) -> std::string {
         if (v.empty()) return "needs an issuer";
         c.jwt.issuer = v;
         return {};
       }},
      {"jwt-audience", "AUD", "required `aud` (ID tokens) or `client_id` (access tokens)", false,
       [](Config& c, std::string_view v) -> std::string {
         if (v.empty()) return "needs an audience";
         c.jwt.audience = v;
         return {};
       }},
      {"jwt-accept-access-tokens", "on|off", "accept access tokens besides ID tokens (default off)",
       false,
       [](Config& c, std::string_view v) -> std::string {
         return apply_switch(c.jwt.accept_access_tokens, v);
       }},
      {"jwt-leeway", "DURATION", "clock skew allowed on exp, nbf and iat (default 60s)", false,
       [](Config& c, std::string_view v) -> std::string {
         auto duration = parse_duration(v);
         if (!duration || *duration > std::chrono::minutes(10)) {
           return "not a duration from 0s to 10m: " + std::string(v);
         }
         c.jwt.leeway = std::chrono::duration_cast<std::chrono::seconds>(*duration);
         return {};
       }},
      {"jwt-plan-claim", "NAME", "claim naming a new JWT account's plan (default custom:plan)",
       false,
       [](Config& c, std::string_view v) -> std::string {
         if (v.empty()) return "needs a claim name";
         c.jwt.plan_claim = v;
         return {};
       }},
      {"job-workers", "N", "jobs running at once in this server (default 8)", false,
       [](Config& c, std::string_view v) -> std::string {
         auto n = parse_unsigned(v);
         if (!n || *n < 1 || *n > 1024)
           return "not a worker count from 1 to 1024: " + std::string(v);
         c.jobs.workers = static_cast<unsigned>(*n);
         return {};
       }},
      {"job-lease", "DURATION",
       "lease of a running job; a job whose worker died runs again once it expires (default 30s)",
       false,
       [](Config& c, std::string_view v) -> std::string {
         auto duration = parse_duration(v);
         if (!duration || *duration < std::chrono::seconds(1) ||
             *duration > std::chrono::hours(1)) {
           return "not a duration from 1s to 1h: " + std::string(v);
         }
         c.jobs.lease = *duration;
         return {};
       }},
      {"schedule-interval", "DURATION", "how often agent schedules are checked (default 30s)",
       false,
       [](Config& c, std::string_view v) -> std::string {
         auto duration = parse_duration(v);
         if (!duration || *duration < std::chrono::seconds(1) ||
             *duration > std::chrono::hours(1)) {
           return "not a duration from 1s to 1h: " + std::string(v);
         }
         c.jobs.schedule_interval = *duration;
         return {};
       }},
      {"job-max-attempts", "N", "attempts a job gets before it fails (default 3)", false,
       [](Config& c, std::string_view v) -> std::string {
         auto n = parse_unsigned(v);
         if (!n || *n < 1 || *n > 20) return "not an attempt count from 1 to 20: " + std::string(v);
         c.jobs.max_attempts = static_cast<unsigned>(*n);
         return {};
       }},
      {"writer", "NAME",
       "anthropic | openai | builtin (default anthropic when ANTHROPIC_API_KEY is set, else "
       "builtin)",
       false,
       [](Config& c, std::string_view v) -> std::
                                             string {
                                               if (v != "anthropic" && v != "openai" &&
                                                   v != "builtin")
                                                 return "not one of anthropic, openai, builtin: " +
                                                        std::string(v);
                                               c.content.writer = v;
                                               return {};
                                             }},
      {"anthropic-base-url", "URL", "Anthropic API base URL (default https://api.anthropic.com)",
       false,
       [](Config& c,
          std::string_view v) { return apply_base_url(c.content.anthropic_base_url, v); }},
      {"anthropic-model", "MODEL",
       "Claude model of the anthropic writer (default claude-sonnet-4-5)", false,
       [](Config& c, std::string_view v) { return apply_model(c.content.anthropic_model, v); }},
      {"openai-base-url", "URL",
       "OpenAI-compatible server of the openai writer (default http://127.0.0.1:11434, Ollama)",
       false,
       [](Config& c, std::string_view v) { return apply_base_url(c.content.openai_base_url, v); }},
      {"openai-model", "MODEL", "model of the openai writer (default llama3.1:8b)", false,
       [](Config& c, std::string_view v) { return apply_model(c.content.openai_model, v); }},
      {"llm-timeout", "DURATION", "time a model gets to answer one request (default 5m)", false,
       [](Config& c, std::string_view v) -> std::string {
         auto duration = parse_duration(v);
         if (!duration || *duration < std::chrono::seconds(1) ||
             *duration > std::chrono::hours(1)) {
           return "not a duration from 1s to 1h: " + std::string(v);
         }
         c.content.llm_timeout = *duration;
         return {};
       }},
      {"article-lifetime-days", "DAYS", "days an article is kept (default 90)", false,
       [](Config& c, std::string_view v) -> std::string {
         auto n = parse_unsigned(v);
         if (!n || *n < 1 || *n > 3650)
           return "not a number of days from 1 to 3650: " + std::string(v);
         c.content.article_lifetime_days = static_cast<unsigned>(*n);
         return {};
       }},
      {"audit-max-pages", "N", "published posts and pages one audit reads at most (default 500)",
       false,
       [](Config& c,
          std::string_view
              v) { return apply_count(c.audit.max_pages, v, 1, 10000, "a page count"); }},
      {"report-url-ttl", "DURATION", "how long a presigned report URL is valid (default 7d)", false,
       [](Config& c, std::string_view v) -> std::string {
         auto duration = parse_days_or_duration(v);
         if (!duration || *duration < std::chrono::minutes(1) ||
             *duration > std::chrono::hours(24 * 365)) {
           return "not a duration from 1m to 365d: " + std::string(v);
         }
         c.audit.report_url_ttl = *duration;
         return {};
       }},
      {"public-url", "URL",
       "the API's base URL as clients reach it, for report links (default http://HOST:PORT)", false,
       [](Config& c, std::string_view v) { return apply_base_url(c.audit.public_url, v); }},
      {"log-level", "LEVEL", "debug | info | warn | error (default info)", false,
       [](Config& c, std::string_view v) -> std::string {
         auto level = parse_log_level(v);
         if (!level) return "not one of debug, info, warn, error: " + std::string(v);
         c.log_level = *level;
         return {};
       }},
      {"access-log", "on|off", "one log line per request (default on)", false,
       [](Config& c, std::string_view v) { return apply_switch(c.access_log, v); }},
      {"metrics", "on|off", "serve GET /metrics, Prometheus text format (default on)", false,
       [](Config& c, std::string_view v) { return apply_switch(c.metrics.enabled, v); }},
      {"metrics-port", "PORT", "serve /metrics on this port of --host only (default 0: main port)",
       false, [](Config& c, std::string_view v) { return apply_port(c.metrics.port, v); }},
      {"metrics-token", "TOKEN",
       "bearer token /metrics requires (prefer the environment variable: flags show in ps)", false,
       [](Config& c, std::string_view v) { return apply_metrics_token(c.metrics.token, v); }},
      {"webhook-timeout", "DURATION", "time one webhook request gets (default 10s)", false,
       [](Config& c, std::string_view v) {
         return apply_bounded_duration(c.webhooks.timeout, v, 100ms, 5min, "100ms to 5m");
       }},
      {"webhook-retry-base", "DURATION",
       "first retry delay of a failed webhook delivery, doubled each time (default 30s)", false,
       [](Config& c, std::string_view v) {
         return apply_bounded_duration(c.webhooks.retry_base, v, 10ms, 1h, "10ms to 1h");
       }},
      {"webhook-retry-max-age", "DURATION",
       "how long a webhook delivery is retried before it is dead (default 3d)", false,
       [](Config& c, std::string_view v) -> std::string {
         auto duration = parse_days_or_duration(v);
         if (!duration || *duration < 1s || *duration > std::chrono::hours(24 * 30)) {
           return "not a duration from 1s to 30d: " + std::string(v);
         }
         c.webhooks.retry_max_age = *duration;
         return {};
       }},
      {"webhook-concurrency", "N", "webhook requests in flight per endpoint at most (default 4)",
       false,
       [](Config& c, std::string_view v) -> std::
                                             string {
                                               auto n = parse_unsigned(v);
                                               if (!n || *n < 1 || *n > 64) {
                                                 return "not a request count from 1 to 64: " +
                                                        std::string(v);
                                               }
                                               c.webhooks.concurrency = static_cast<unsigned>(*n);
                                               return {};
                                             }},
      {"webhook-poll-interval", "DURATION",
       "how often due webhook deliveries are looked for besides wake-ups (default 1s)", false,
       [](Config& c, std::string_view v) {
         return apply_bounded_duration(c.webhooks.poll_interval, v, 10ms, 1min, "10ms to 1m");
       }},
  };
  return kOptions;
}

const OptionSpec* find_option(std::string_view name) {
  for (const OptionSpec& spec : option_table()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::string env_name(std::string_view option_name) {
  std::string name = "SEOAGENTS_";
  for (char c : option_name) {
    name += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

// One value for one option, as read from one source.
struct Setting {
  const OptionSpec* spec;
  std::string value;
  // Where it came from, for the error line: "--port", "SEOAGENTS_PORT", "config.toml: port".
  std::string origin;
};

// Parses "--name value" and "--name=value" pairs.
std::string read_flags(std::span<const std::string> args, std::vector<Setting>& out) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (!arg.starts_with("--")) return "unexpected argument: " + std::string(arg);
    std::string_view name = arg.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string_view::npos) {
      value = std::string(name.substr(eq + 1));
      name = name.substr(0, eq);
    }
    const OptionSpec* spec = find_option(name);
    if (spec == nullptr) return "unknown option --" + std::string(name) + " (see --help)";
    if (!value) {
      if (i + 1 >= args.size()) return "--" + std::string(name) + ": needs a value";
      value = args[++i];
    }
    out.push_back({spec, std::move(*value), "--" + std::string(name)});
  }
  return {};
}

void read_environment(const EnvLookup& env, std::vector<Setting>& out) {
  for (const OptionSpec& spec : option_table()) {
    std::string name = env_name(spec.name);
    std::optional<std::string> value = env(name);
    if (!value) continue;
    if (!spec.repeatable) {
      out.push_back({&spec, *value, name});
      continue;
    }
    std::string_view rest = *value;
    while (!rest.empty()) {
      std::size_t comma = rest.find(',');
      std::string_view item = rest.substr(0, comma);
      while (!item.empty() && item.front() == ' ')
        item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ')
        item.remove_suffix(1);
      out.push_back({&spec, std::string(item), name});
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    }
  }
}

std::optional<std::string> toml_scalar_text(const toml::node& node) {
  if (auto s = node.value<std::string>()) return *s;
  if (node.is_integer()) return std::to_string(*node.value<std::int64_t>());
  if (node.is_boolean()) return *node.value<bool>() ? "true" : "false";
  return std::nullopt;
}

std::string read_config_file(const std::string& path, std::vector<Setting>& out) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    std::string where = "--config " + path + ": ";
    // A file that cannot be opened has no position.
    if (e.source().begin.line > 0) where += "line " + std::to_string(e.source().begin.line) + ": ";
    return where + std::string(e.description());
  }
  for (const auto& [key, node] : table) {
    std::string origin = path + ": " + std::string(key.str());
    const OptionSpec* spec = find_option(key.str());
    if (spec == nullptr || spec->name == "config") return origin + ": unknown option";
    if (const toml::array* array = node.as_array(); array != nullptr && spec->repeatable) {
      for (const toml::node& element : *array) {
        auto text = toml_scalar_text(element);
        if (!text) return origin + ": array elements must be strings";
        out.push_back({spec, *text, origin});
      }
      continue;
    }
    auto text = toml_scalar_text(node);
    if (!text) return origin + ": must be a string, number or boolean";
    out.push_back({spec, *text, origin});
  }
  return {};
}

// Applies one source's settings; a repeatable option set here replaces the lower sources' list.
std::string apply_layer(Config& config, const std::vector<Setting>& settings) {
  std::set<const OptionSpec*> replaced;
  for (const Setting& setting : settings) {
    if (setting.spec->repeatable && replaced.insert(setting.spec).second) {
      if (setting.spec->name == "cors-origin") config.cors_origins.clear();
    }
    std::string problem = setting.spec->apply(config, setting.value);
    if (!problem.empty()) return setting.origin + ": " + problem;
  }
  return {};
}

std::string check_combinations(const Config& config) {
  if (config.tls_cert.empty() != config.tls_key.empty()) {
    return "--tls-cert and --tls-key must be given together";
  }
  if (!config.jwt.jwks_file.empty() && !config.jwt.jwks_url.empty()) {
    return "--jwks-file and --jwks-url are alternatives: give one";
  }
  if (config.jwt.enabled() && (config.jwt.issuer.empty() || config.jwt.audience.empty())) {
    return "JWT authentication (--jwks-file or --jwks-url) needs --jwt-issuer and --jwt-audience";
  }
  if (config.metrics.port != 0 && config.metrics.port == config.port) {
    return "--metrics-port must differ from --port (0 serves /metrics on the main port)";
  }
  if (config.content.writer == "anthropic" && config.content.anthropic_api_key.empty()) {
    return "--writer anthropic needs the ANTHROPIC_API_KEY environment variable";
  }
  return {};
}

// The LLM keys come from the environment only, so they never show in a process list; the writer
// defaults to anthropic when its key is there.
void choose_writer(Config::Content& content, const EnvLookup& env) {
  content.anthropic_api_key = env("ANTHROPIC_API_KEY").value_or("");
  content.openai_api_key = env("OPENAI_API_KEY").value_or("");
  if (content.writer.empty())
    content.writer = content.anthropic_api_key.empty() ? "builtin" : "anthropic";
}

}  // namespace

EnvLookup process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

ConfigResult load_config(std::span<const std::string> args, const EnvLookup& env) {
  ConfigResult result;
  std::vector<Setting> flags, environment, file;
  if (auto problem = read_flags(args, flags); !problem.empty()) return {{}, problem};
  read_environment(env, environment);

  // The config file is named by the highest source that names one.
  std::string config_path;
  for (const auto* layer : {&environment, &flags}) {
    for (const Setting& s : *layer) {
      if (s.spec->name == "config") config_path = s.value;
    }
  }
  if (!config_path.empty()) {
    if (auto problem = read_config_file(config_path, file); !problem.empty()) return {{}, problem};
  }

  result.config.threads = default_thread_count();
  for (const auto* layer : {&file, &environment, &flags}) {
    if (auto problem = apply_layer(result.config, *layer); !problem.empty()) return {{}, problem};
  }
  choose_writer(result.config.content, env);
  result.error = check_combinations(result.config);
  return result;
}

std::string config_options_help() {
  std::string text = "Options (flag > environment > config file > default):\n";
  for (const OptionSpec& spec : option_table()) {
    std::string flag = "  --" + std::string(spec.name) + " " + std::string(spec.value_name);
    if (flag.size() < 30) flag.resize(30, ' ');
    text += flag + " " + std::string(spec.help) + "\n";
    text += std::string(31, ' ') + "env " + env_name(spec.name) +
            (spec.repeatable ? " (comma-separated)" : "") + "\n";
  }
  return text;
}

}  // namespace seoagents
