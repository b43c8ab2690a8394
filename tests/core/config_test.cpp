// Tests of load_config: defaults, flag/env/TOML precedence, value parsing and one-line refusals.
#include "core/config.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

namespace seoagents {
namespace {

using namespace std::chrono_literals;
using Env = std::map<std::string, std::string, std::less<>>;

EnvLookup fake_env(Env vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

ConfigResult load(std::vector<std::string> args, Env env = {}) {
  return load_config(args, fake_env(std::move(env)));
}

// Loads a configuration that must be valid.
Config load_ok(std::vector<std::string> args, Env env = {}) {
  ConfigResult result = load(std::move(args), std::move(env));
  EXPECT_EQ(result.error, "");
  return result.config;
}

// The error of a configuration that must be refused; also checks that it is one line.
std::string load_error(std::vector<std::string> args, Env env = {}) {
  ConfigResult result = load(std::move(args), std::move(env));
  EXPECT_NE(result.error, "") << "expected a refusal";
  EXPECT_EQ(result.error.find('\n'), std::string::npos) << result.error;
  return result.error;
}

// A TOML file in the temp directory, removed when the test ends.
class TempToml {
 public:
  explicit TempToml(std::string_view content) {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             ("seoagents-config-test-" + std::to_string(::getpid()) + "-" +
              std::to_string(counter++) + ".toml"))
                .string();
    std::ofstream(path_) << content;
  }
  ~TempToml() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  TempToml(const TempToml&) = delete;
  TempToml& operator=(const TempToml&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

unsigned cores() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : n;
}

// ---- defaults ---------------------------------------------------------------------------------

TEST(Config, DefaultsWithNoFlagsEnvironmentOrFile) {
  Config config = load_ok({});
  EXPECT_EQ(config.host, "127.0.0.1");
  EXPECT_EQ(config.port, 8080);
  EXPECT_EQ(config.data_dir, "./data");
  EXPECT_EQ(config.threads, cores());
  EXPECT_TRUE(config.cors_origins.empty());
  EXPECT_EQ(config.max_connections, 10000u);
  EXPECT_EQ(config.max_header_bytes, 8u * 1024);
  EXPECT_EQ(config.max_body_bytes, 1024u * 1024);
  EXPECT_EQ(config.header_timeout, 10s);
  EXPECT_EQ(config.idle_timeout, 60s);
  EXPECT_EQ(config.body_timeout, 30s);
  EXPECT_EQ(config.write_timeout, 30s);
  EXPECT_EQ(config.shutdown_timeout, 10s);
  EXPECT_EQ(config.tls_cert, "");
  EXPECT_EQ(config.tls_key, "");
  EXPECT_FALSE(config.tls_enabled());
  EXPECT_EQ(config.log_level, LogLevel::info);
  EXPECT_TRUE(config.access_log);
  EXPECT_EQ(config.config_file, "");
}

TEST(Config, OnlyLooksUpSeoagentsEnvironmentVariables) {
  std::set<std::string> asked;
  EnvLookup env = [&](std::string_view name) -> std::optional<std::string> {
    asked.emplace(name);
    return std::nullopt;
  };
  ConfigResult result = load_config(std::vector<std::string>{}, env);
  EXPECT_EQ(result.error, "");
  EXPECT_TRUE(asked.count("SEOAGENTS_PORT"));
  EXPECT_TRUE(asked.count("SEOAGENTS_CORS_ORIGIN"));
  EXPECT_TRUE(asked.count("SEOAGENTS_MAX_BODY_SIZE"));
  // Besides the model keys, read from their providers' usual variables only (never flags).
  EXPECT_TRUE(asked.count("ANTHROPIC_API_KEY"));
  EXPECT_TRUE(asked.count("OPENAI_API_KEY"));
  for (const std::string& name : asked) {
    if (name == "ANTHROPIC_API_KEY" || name == "OPENAI_API_KEY") continue;
    EXPECT_EQ(name.rfind("SEOAGENTS_", 0), 0u) << name;
  }
}

// ---- every option through every source ---------------------------------------------------------

struct OptionCase {
  std::string name;   // flag name
  std::string value;  // a valid, non-default value
  std::function<void(const Config&)> check;
};

std::vector<OptionCase> option_cases() {
  return {
      {"host", "::1", [](const Config& c) { EXPECT_EQ(c.host, "::1"); }},
      {"port", "9090", [](const Config& c) { EXPECT_EQ(c.port, 9090); }},
      {"data", "/var/lib/seo", [](const Config& c) { EXPECT_EQ(c.data_dir, "/var/lib/seo"); }},
      {"threads", "3", [](const Config& c) { EXPECT_EQ(c.threads, 3u); }},
      {"cors-origin", "https://app.example.com",
       [](const Config& c) {
         EXPECT_EQ(c.cors_origins, std::vector<std::string>{"https://app.example.com"});
       }},
      {"max-connections", "42", [](const Config& c) { EXPECT_EQ(c.max_connections, 42u); }},
      {"max-header-size", "16KiB", [](const Config& c) { EXPECT_EQ(c.max_header_bytes, 16384u); }},
      {"max-body-size", "2MiB", [](const Config& c) { EXPECT_EQ(c.max_body_bytes, 2097152u); }},
      {"header-timeout", "250ms", [](const Config& c) { EXPECT_EQ(c.header_timeout, 250ms); }},
      {"idle-timeout", "2m", [](const Config& c) { EXPECT_EQ(c.idle_timeout, 2min); }},
      {"body-timeout", "7s", [](const Config& c) { EXPECT_EQ(c.body_timeout, 7s); }},
      {"write-timeout", "1h", [](const Config& c) { EXPECT_EQ(c.write_timeout, 1h); }},
      {"shutdown-timeout", "3", [](const Config& c) { EXPECT_EQ(c.shutdown_timeout, 3s); }},
      {"log-level", "debug", [](const Config& c) { EXPECT_EQ(c.log_level, LogLevel::debug); }},
      {"access-log", "off", [](const Config& c) { EXPECT_FALSE(c.access_log); }},
      {"durability", "normal", [](const Config& c) { EXPECT_FALSE(c.durability_full); }},
      {"allow-private-targets", "on",
       [](const Config& c) { EXPECT_TRUE(c.allow_private_targets); }},
  };
}

std::string env_name_of(const std::string& flag) {
  std::string name = "SEOAGENTS_";
  for (char c : flag) {
    name += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

TEST(Config, EveryOptionAsSeparateFlagValue) {
  for (const OptionCase& option : option_cases()) {
    SCOPED_TRACE(option.name);
    option.check(load_ok({"--" + option.name, option.value}));
  }
}

TEST(Config, EveryOptionAsFlagEqualsValue) {
  for (const OptionCase& option : option_cases()) {
    SCOPED_TRACE(option.name);
    option.check(load_ok({"--" + option.name + "=" + option.value}));
  }
}

TEST(Config, EveryOptionFromTheEnvironment) {
  for (const OptionCase& option : option_cases()) {
    SCOPED_TRACE(option.name);
    option.check(load_ok({}, {{env_name_of(option.name), option.value}}));
  }
}

TEST(Config, EveryOptionFromTheTomlFile) {
  for (const OptionCase& option : option_cases()) {
    SCOPED_TRACE(option.name);
    TempToml file(option.name + " = \"" + option.value + "\"\n");
    Config config = load_ok({"--config", file.path()});
    option.check(config);
    EXPECT_EQ(config.config_file, file.path());
  }
}

TEST(Config, TlsCertAndKeyTogetherEnableTls) {
  Config config = load_ok({"--tls-cert", "/etc/cert.pem", "--tls-key=/etc/key.pem"});
  EXPECT_EQ(config.tls_cert, "/etc/cert.pem");
  EXPECT_EQ(config.tls_key, "/etc/key.pem");
  EXPECT_TRUE(config.tls_enabled());
  Config from_env =
      load_ok({}, {{"SEOAGENTS_TLS_CERT", "/c.pem"}, {"SEOAGENTS_TLS_KEY", "/k.pem"}});
  EXPECT_EQ(from_env.tls_cert, "/c.pem");
  EXPECT_EQ(from_env.tls_key, "/k.pem");
}

TEST(Config, FlagValueMayContainEqualsSigns) {
  Config config = load_ok({"--data=/tmp/a=b"});
  EXPECT_EQ(config.data_dir, "/tmp/a=b");
}

TEST(Config, RepeatedScalarFlagLastOneWins) {
  EXPECT_EQ(load_ok({"--port", "1000", "--port=2000"}).port, 2000);
}

// ---- precedence ------------------------------------------------------------------------------

TEST(Config, FlagBeatsEnvironmentBeatsFileBeatsDefault) {
  TempToml file("port = 1000\nhost = \"10.0.0.1\"\nlog-level = \"warn\"\nidle-timeout = \"5s\"\n");
  Env env = {{"SEOAGENTS_CONFIG", file.path()},
             {"SEOAGENTS_PORT", "2000"},
             {"SEOAGENTS_HOST", "10.0.0.2"},
             {"SEOAGENTS_LOG_LEVEL", "error"}};

  Config all = load_ok({"--port", "3000"}, env);
  EXPECT_EQ(all.port, 3000);                  // flag over env and file
  EXPECT_EQ(all.host, "10.0.0.2");            // env over file
  EXPECT_EQ(all.log_level, LogLevel::error);  // env over file
  EXPECT_EQ(all.idle_timeout, 5s);            // file over default
  EXPECT_EQ(all.body_timeout, 30s);           // default
  EXPECT_EQ(all.config_file, file.path());

  env.erase("SEOAGENTS_PORT");
  EXPECT_EQ(load_ok({}, env).port, 1000);  // file over default

  env.erase("SEOAGENTS_CONFIG");
  Config no_file = load_ok({}, env);
  EXPECT_EQ(no_file.port, 8080);
  EXPECT_EQ(no_file.idle_timeout, 60s);
  EXPECT_EQ(no_file.host, "10.0.0.2");
}

TEST(Config, ConfigFlagBeatsConfigEnvironmentVariable) {
  TempToml from_env("port = 1111\n");
  TempToml from_flag("port = 2222\n");
  Config config = load_ok({"--config", from_flag.path()}, {{"SEOAGENTS_CONFIG", from_env.path()}});
  EXPECT_EQ(config.port, 2222);
  EXPECT_EQ(config.config_file, from_flag.path());
}

TEST(Config, CorsOriginsFromTheHighestLayerReplaceLowerLayers) {
  TempToml file("cors-origin = [\"https://a.example.com\", \"https://b.example.com\"]\n");
  const std::vector<std::string> from_file = {"https://a.example.com", "https://b.example.com"};
  const std::vector<std::string> from_env = {"https://c.example.com", "http://d.example.com:8443"};
  const std::vector<std::string> from_flags = {"https://e.example.com", "https://f.example.com"};
  Env env = {{"SEOAGENTS_CONFIG", file.path()},
             {"SEOAGENTS_CORS_ORIGIN", "https://c.example.com,http://d.example.com:8443"}};

  EXPECT_EQ(
      load_ok({"--cors-origin", "https://e.example.com", "--cors-origin=https://f.example.com"},
              env)
          .cors_origins,
      from_flags);
  EXPECT_EQ(load_ok({}, env).cors_origins, from_env);
  env.erase("SEOAGENTS_CORS_ORIGIN");
  EXPECT_EQ(load_ok({}, env).cors_origins, from_file);
  EXPECT_EQ(load_ok({"--cors-origin", "https://e.example.com"}, env).cors_origins,
            std::vector<std::string>{"https://e.example.com"});
}

TEST(Config, TomlCorsOriginMayBeASingleString) {
  TempToml file("cors-origin = \"https://only.example.com\"\n");
  EXPECT_EQ(load_ok({"--config", file.path()}).cors_origins,
            std::vector<std::string>{"https://only.example.com"});
}

TEST(Config, TomlIntegersAndBooleansAreAccepted) {
  TempToml file(
      "port = 9000\nthreads = 2\nidle-timeout = 15\nmax-body-size = 4096\naccess-log = false\n");
  Config config = load_ok({"--config", file.path()});
  EXPECT_EQ(config.port, 9000);
  EXPECT_EQ(config.threads, 2u);
  EXPECT_EQ(config.idle_timeout, 15s);
  EXPECT_EQ(config.max_body_bytes, 4096u);
  EXPECT_FALSE(config.access_log);
}

// ---- value parsing ---------------------------------------------------------------------------

TEST(Config, DurationsAcceptUnitsAndBareSeconds) {
  struct Case {
    std::string text;
    std::chrono::milliseconds expected;
  };
  for (const Case& c : std::vector<Case>{{"250ms", 250ms},
                                         {"1ms", 1ms},
                                         {"10s", 10s},
                                         {"2m", 2min},
                                         {"1h", 1h},
                                         {"24h", 24h},
                                         {"5", 5s},
                                         {"86400", 24h},
                                         {"86400000ms", 24h}}) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(load_ok({"--idle-timeout", c.text}).idle_timeout, c.expected);
  }
}

TEST(Config, BadDurationsAreRefused) {
  for (std::string text : {"", "0", "0ms", "0s", "25h", "86401", "86400001ms", "1.5s", "-1s",
                           "10 s", "5x", "ms", "1d", "s10"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(
        load_error({"--header-timeout", text}),
        "--header-timeout: not a duration (like 500ms, 10s, 2m) between 1ms and 24h: " + text);
  }
}

TEST(Config, SizesAcceptUnitsAndPlainNumbers) {
  struct Case {
    std::string text;
    std::size_t expected;
  };
  for (const Case& c : std::vector<Case>{{"8KiB", 8192},
                                         {"1KiB", 1024},
                                         {"64KiB", 65536},
                                         {"16K", 16384},
                                         {"2KB", 2048},
                                         {"4096", 4096},
                                         {"1024", 1024}}) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(load_ok({"--max-header-size", c.text}).max_header_bytes, c.expected);
  }
  EXPECT_EQ(load_ok({"--max-body-size", "1MiB"}).max_body_bytes, 1048576u);
  EXPECT_EQ(load_ok({"--max-body-size", "3MB"}).max_body_bytes, 3u * 1048576);
  EXPECT_EQ(load_ok({"--max-body-size", "5M"}).max_body_bytes, 5u * 1048576);
  EXPECT_EQ(load_ok({"--max-body-size", "64MiB"}).max_body_bytes, 64u * 1048576);
  EXPECT_EQ(load_ok({"--max-body-size", "1000000"}).max_body_bytes, 1000000u);
}

TEST(Config, BadSizesAreRefused) {
  for (std::string text : {"", "1023", "65537", "65KiB", "1MiB", "8 KiB", "8kib", "1.5KiB", "-8KiB",
                           "KiB", "8GiB", "big"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(load_error({"--max-header-size", text}),
              "--max-header-size: not a size between 1024 and 65536 bytes: " + text);
  }
  EXPECT_EQ(load_error({"--max-body-size", "65MiB"}),
            "--max-body-size: not a size between 1024 and 67108864 bytes: 65MiB");
  EXPECT_EQ(load_error({"--max-body-size=1GiB"}),
            "--max-body-size: not a size between 1024 and 67108864 bytes: 1GiB");
}

TEST(Config, HostAcceptsIpLiteralsAndLocalhost) {
  EXPECT_EQ(load_ok({"--host", "0.0.0.0"}).host, "0.0.0.0");
  EXPECT_EQ(load_ok({"--host", "::"}).host, "::");
  EXPECT_EQ(load_ok({"--host", "192.168.1.20"}).host, "192.168.1.20");
  EXPECT_EQ(load_ok({"--host", "localhost"}).host, "127.0.0.1");
}

TEST(Config, LogLevelsAndAccessLogValues) {
  EXPECT_EQ(load_ok({"--log-level", "debug"}).log_level, LogLevel::debug);
  EXPECT_EQ(load_ok({"--log-level", "info"}).log_level, LogLevel::info);
  EXPECT_EQ(load_ok({"--log-level", "warn"}).log_level, LogLevel::warn);
  EXPECT_EQ(load_ok({"--log-level", "error"}).log_level, LogLevel::error);
  EXPECT_FALSE(load_ok({"--access-log", "off"}).access_log);
  EXPECT_FALSE(load_ok({"--access-log", "false"}).access_log);
  EXPECT_TRUE(load_ok({"--access-log=on"}).access_log);
  EXPECT_TRUE(load_ok({"--access-log=true"}, {{"SEOAGENTS_ACCESS_LOG", "off"}}).access_log);
}

// ---- refusals --------------------------------------------------------------------------------

TEST(Config, RefusesBadPortWithOneLineNamingTheFlag) {
  EXPECT_EQ(load_error({"--port", "99999"}), "--port: not a port number: 99999");
  EXPECT_EQ(load_error({"--port=65536"}), "--port: not a port number: 65536");
  EXPECT_EQ(load_error({"--port", "-1"}), "--port: not a port number: -1");
  EXPECT_EQ(load_error({"--port", "80x"}), "--port: not a port number: 80x");
  EXPECT_EQ(load_error({"--port="}), "--port: not a port number: ");
  EXPECT_EQ(load_ok({"--port", "0"}).port, 0);
  EXPECT_EQ(load_ok({"--port", "65535"}).port, 65535);
}

TEST(Config, RefusesUnknownFlagsAndPositionalArguments) {
  EXPECT_EQ(load_error({"--bogus", "1"}), "unknown option --bogus (see --help)");
  EXPECT_EQ(load_error({"--bogus=1"}), "unknown option --bogus (see --help)");
  EXPECT_EQ(load_error({"serve"}), "unexpected argument: serve");
  EXPECT_EQ(load_error({"-p", "80"}), "unexpected argument: -p");
  EXPECT_EQ(load_error({"--port", "80", "extra"}), "unexpected argument: extra");
}

TEST(Config, RefusesFlagWithoutValue) {
  EXPECT_EQ(load_error({"--port"}), "--port: needs a value");
  EXPECT_EQ(load_error({"--host", "::1", "--cors-origin"}), "--cors-origin: needs a value");
}

TEST(Config, RefusesBadValuesOfEveryOtherOption) {
  EXPECT_EQ(load_error({"--host", "example.com"}), "--host: not an IP address: example.com");
  EXPECT_EQ(load_error({"--host", "256.1.1.1"}), "--host: not an IP address: 256.1.1.1");
  EXPECT_EQ(load_error({"--host="}), "--host: not an IP address: ");
  EXPECT_EQ(load_error({"--data="}), "--data: needs a directory");
  EXPECT_EQ(load_error({"--config="}), "--config: needs a file path");
  EXPECT_EQ(load_error({"--threads", "0"}), "--threads: not a thread count from 1 to 256: 0");
  EXPECT_EQ(load_error({"--threads", "257"}), "--threads: not a thread count from 1 to 256: 257");
  EXPECT_EQ(load_error({"--max-connections", "0"}),
            "--max-connections: not a connection count from 1 to 1000000: 0");
  EXPECT_EQ(load_error({"--max-connections", "1000001"}),
            "--max-connections: not a connection count from 1 to 1000000: 1000001");
  EXPECT_EQ(load_error({"--log-level", "verbose"}),
            "--log-level: not one of debug, info, warn, error: verbose");
  EXPECT_EQ(load_error({"--log-level", "INFO"}),
            "--log-level: not one of debug, info, warn, error: INFO");
  EXPECT_EQ(load_error({"--access-log", "maybe"}), "--access-log: not on or off: maybe");
  EXPECT_EQ(load_error({"--access-log", "1"}), "--access-log: not on or off: 1");
}

TEST(Config, RefusesOriginsThatAreNotSchemeHostPort) {
  const std::string prefix =
      "--cors-origin: not an origin (scheme://host[:port], no path or wildcard): ";
  for (std::string origin :
       {"*", "https://x.com/path", "https://x.com/", "https://*.x.com", "x.com", "ftp://x.com",
        "https://", "https://user@x.com", "https://x.com?q=1", "https://x.com#f", ""}) {
    SCOPED_TRACE(origin);
    EXPECT_EQ(load_error({"--cors-origin", origin}), prefix + origin);
  }
  EXPECT_EQ(load_ok({"--cors-origin", "http://[::1]:3000"}).cors_origins,
            std::vector<std::string>{"http://[::1]:3000"});
}

TEST(Config, RefusesTlsCertWithoutKeyAndKeyWithoutCert) {
  EXPECT_EQ(load_error({"--tls-cert", "/etc/cert.pem"}),
            "--tls-cert and --tls-key must be given together");
  EXPECT_EQ(load_error({"--tls-key", "/etc/key.pem"}),
            "--tls-cert and --tls-key must be given together");
  EXPECT_EQ(load_error({}, {{"SEOAGENTS_TLS_CERT", "/etc/cert.pem"}}),
            "--tls-cert and --tls-key must be given together");
}

TEST(Config, JwtOptionsAreReadAndChecked) {
  Config config = load_ok({"--jwks-file", "/etc/jwks.json", "--jwt-issuer", "https://iss",
                           "--jwt-audience", "client", "--jwt-leeway", "30s",
                           "--jwt-accept-access-tokens", "on", "--jwt-plan-claim", "custom:tier"});
  EXPECT_TRUE(config.jwt.enabled());
  EXPECT_EQ(config.jwt.jwks_file, "/etc/jwks.json");
  EXPECT_EQ(config.jwt.issuer, "https://iss");
  EXPECT_EQ(config.jwt.audience, "client");
  EXPECT_EQ(config.jwt.leeway, std::chrono::seconds(30));
  EXPECT_TRUE(config.jwt.accept_access_tokens);
  EXPECT_EQ(config.jwt.plan_claim, "custom:tier");
  EXPECT_FALSE(load_ok({}).jwt.enabled());
  EXPECT_EQ(load_ok({}).jwt.leeway, std::chrono::seconds(60));

  EXPECT_EQ(load_error({"--jwks-file", "/etc/jwks.json"}),
            "JWT authentication (--jwks-file or --jwks-url) needs --jwt-issuer and --jwt-audience");
  EXPECT_EQ(load_error({"--jwks-file", "/a", "--jwks-url", "https://b/jwks.json", "--jwt-issuer",
                        "i", "--jwt-audience", "a"}),
            "--jwks-file and --jwks-url are alternatives: give one");
  EXPECT_EQ(load_error({"--jwks-url", "http://plain/jwks.json"}),
            "--jwks-url: not an https URL: http://plain/jwks.json");
  EXPECT_EQ(load_error({"--jwt-leeway", "11m"}),
            "--jwt-leeway: not a duration from 0s to 10m: 11m");
  EXPECT_EQ(load_error({"--jwt-accept-access-tokens", "maybe"}),
            "--jwt-accept-access-tokens: not on or off: maybe");
}

TEST(Config, JobOptionsAreReadAndChecked) {
  Config defaults = load_ok({});
  EXPECT_EQ(defaults.jobs.workers, 8u);
  EXPECT_EQ(defaults.jobs.lease, std::chrono::seconds(30));
  EXPECT_EQ(defaults.jobs.schedule_interval, std::chrono::seconds(30));
  EXPECT_EQ(defaults.jobs.max_attempts, 3u);
  Config config = load_ok({"--job-workers", "32", "--job-lease", "2m", "--schedule-interval", "5s",
                           "--job-max-attempts", "5"});
  EXPECT_EQ(config.jobs.workers, 32u);
  EXPECT_EQ(config.jobs.lease, std::chrono::minutes(2));
  EXPECT_EQ(config.jobs.schedule_interval, std::chrono::seconds(5));
  EXPECT_EQ(config.jobs.max_attempts, 5u);
  EXPECT_EQ(load_ok({}, {{"SEOAGENTS_JOB_WORKERS", "2"}}).jobs.workers, 2u);

  EXPECT_EQ(load_error({"--job-workers", "0"}),
            "--job-workers: not a worker count from 1 to 1024: 0");
  EXPECT_EQ(load_error({"--job-workers", "many"}),
            "--job-workers: not a worker count from 1 to 1024: many");
  EXPECT_EQ(load_error({"--job-lease", "500ms"}),
            "--job-lease: not a duration from 1s to 1h: 500ms");
  EXPECT_EQ(load_error({"--job-lease", "2h"}), "--job-lease: not a duration from 1s to 1h: 2h");
  EXPECT_EQ(load_error({"--schedule-interval", "soon"}),
            "--schedule-interval: not a duration from 1s to 1h: soon");
  EXPECT_EQ(load_error({"--job-max-attempts", "21"}),
            "--job-max-attempts: not an attempt count from 1 to 20: 21");
}

TEST(Config, EnvironmentErrorsNameTheVariable) {
  EXPECT_EQ(load_error({}, {{"SEOAGENTS_PORT", "99999"}}),
            "SEOAGENTS_PORT: not a port number: 99999");
  EXPECT_EQ(
      load_error({}, {{"SEOAGENTS_IDLE_TIMEOUT", "soon"}}),
      "SEOAGENTS_IDLE_TIMEOUT: not a duration (like 500ms, 10s, 2m) between 1ms and 24h: soon");
  EXPECT_EQ(load_error({}, {{"SEOAGENTS_CORS_ORIGIN", "https://ok.example.com,*"}}),
            "SEOAGENTS_CORS_ORIGIN: not an origin (scheme://host[:port], no path or wildcard): *");
}

TEST(Config, FileErrorsNameTheFileAndKey) {
  TempToml bad_port("port = 70000\n");
  EXPECT_EQ(load_error({"--config", bad_port.path()}),
            bad_port.path() + ": port: not a port number: 70000");

  TempToml unknown("port = 9000\nlisten = \"0.0.0.0\"\n");
  EXPECT_EQ(load_error({"--config", unknown.path()}), unknown.path() + ": listen: unknown option");

  TempToml nested_config("config = \"other.toml\"\n");
  EXPECT_EQ(load_error({"--config", nested_config.path()}),
            nested_config.path() + ": config: unknown option");

  TempToml table("[server]\nport = 9000\n");
  EXPECT_EQ(load_error({"--config", table.path()}), table.path() + ": server: unknown option");

  TempToml float_value("idle-timeout = 1.5\n");
  EXPECT_EQ(load_error({"--config", float_value.path()}),
            float_value.path() + ": idle-timeout: must be a string, number or boolean");

  TempToml array_for_scalar("port = [1, 2]\n");
  EXPECT_EQ(load_error({"--config", array_for_scalar.path()}),
            array_for_scalar.path() + ": port: must be a string, number or boolean");

  TempToml bad_element("cors-origin = [\"https://a.example.com\", 7.5]\n");
  EXPECT_EQ(load_error({"--config", bad_element.path()}),
            bad_element.path() + ": cors-origin: array elements must be strings");

  TempToml bad_origin("cors-origin = [\"https://a.example.com\", \"https://b.example.com/x\"]\n");
  EXPECT_EQ(load_error({"--config", bad_origin.path()}),
            bad_origin.path() +
                ": cors-origin: not an origin (scheme://host[:port], no path or wildcard): "
                "https://b.example.com/x");
}

TEST(Config, TomlSyntaxErrorNamesTheLine) {
  TempToml file("port = 9000\n# a comment\nhost = \n");
  std::string error = load_error({"--config", file.path()});
  std::string prefix = "--config " + file.path() + ": line 3: ";
  EXPECT_EQ(error.substr(0, prefix.size()), prefix) << error;
  EXPECT_GT(error.size(), prefix.size()) << "the parser's description follows";

  TempToml duplicate("port = 9000\nport = 9001\n");
  error = load_error({"--config", duplicate.path()});
  prefix = "--config " + duplicate.path() + ": line 2: ";
  EXPECT_EQ(error.substr(0, prefix.size()), prefix) << error;
}

TEST(Config, MissingConfigFileIsRefusedWithoutABogusLineNumber) {
  std::string path = "/nonexistent-seoagents-dir/none.toml";
  std::string error = load_error({"--config", path});
  std::string prefix = "--config " + path + ": ";
  EXPECT_EQ(error.substr(0, prefix.size()), prefix) << error;
  EXPECT_NE(error.find("could not be opened"), std::string::npos) << error;
  // There is no line in a file that could not be read.
  EXPECT_EQ(error.find("line 0"), std::string::npos) << error;
}

// ---- help ------------------------------------------------------------------------------------

TEST(Config, HelpMentionsEveryOptionAndItsEnvironmentVariable) {
  const std::vector<std::string> options = {"config",
                                            "host",
                                            "port",
                                            "data",
                                            "threads",
                                            "cors-origin",
                                            "max-connections",
                                            "max-header-size",
                                            "max-body-size",
                                            "header-timeout",
                                            "idle-timeout",
                                            "body-timeout",
                                            "write-timeout",
                                            "shutdown-timeout",
                                            "tls-cert",
                                            "tls-key",
                                            "durability",
                                            "allow-private-targets",
                                            "outbound-ca-file",
                                            "jwks-file",
                                            "jwks-url",
                                            "jwt-issuer",
                                            "jwt-audience",
                                            "jwt-accept-access-tokens",
                                            "jwt-leeway",
                                            "jwt-plan-claim",
                                            "job-workers",
                                            "job-lease",
                                            "schedule-interval",
                                            "job-max-attempts",
                                            "writer",
                                            "anthropic-base-url",
                                            "anthropic-model",
                                            "openai-base-url",
                                            "openai-model",
                                            "llm-timeout",
                                            "article-lifetime-days",
                                            "audit-max-pages",
                                            "report-url-ttl",
                                            "public-url",
                                            "log-level",
                                            "access-log",
                                            "webhook-timeout",
                                            "webhook-retry-base",
                                            "webhook-retry-max-age",
                                            "webhook-concurrency",
                                            "webhook-poll-interval",
                                            "metrics",
                                            "metrics-port",
                                            "metrics-token"};
  std::string help = config_options_help();
  for (const std::string& option : options) {
    SCOPED_TRACE(option);
    EXPECT_NE(help.find("--" + option + " "), std::string::npos);
    EXPECT_NE(help.find("env " + env_name_of(option)), std::string::npos);
  }
  EXPECT_NE(help.find("env SEOAGENTS_CORS_ORIGIN (comma-separated)"), std::string::npos);

  // And nothing else: every flag the help names is one of those, and load_config knows it.
  std::regex flag_pattern(R"(^  --([a-z-]+) )");
  std::set<std::string> in_help;
  std::istringstream lines(help);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_search(line, m, flag_pattern)) in_help.insert(m[1]);
  }
  EXPECT_EQ(in_help, std::set<std::string>(options.begin(), options.end()));
}

TEST(Config, HelpStatesTheDefaults) {
  std::string help = config_options_help();
  for (std::string_view text : {"default 8080", "default 127.0.0.1", "default ./data",
                                "default 8KiB", "default 1MiB", "default 10s", "default 60s",
                                "default 30s", "default info", "default on", "default 10000"}) {
    EXPECT_NE(help.find(text), std::string::npos) << text;
  }
}

ConfigResult load_with(std::vector<std::string> args,
                       std::map<std::string, std::string> environment) {
  EnvLookup env = [environment](std::string_view name) -> std::optional<std::string> {
    auto found = environment.find(std::string(name));
    if (found == environment.end()) return std::nullopt;
    return found->second;
  };
  return load_config(args, env);
}

TEST(ConfigWriter, DefaultsToAnthropicOnlyWhenItsKeyIsSet) {
  EXPECT_EQ(load_with({}, {}).config.content.writer, "builtin");
  ConfigResult with_key = load_with({}, {{"ANTHROPIC_API_KEY", "sk-ant-x"}});
  EXPECT_EQ(with_key.error, "");
  EXPECT_EQ(with_key.config.content.writer, "anthropic");
  EXPECT_EQ(with_key.config.content.anthropic_api_key, "sk-ant-x");
  EXPECT_EQ(load_with({"--writer", "builtin"}, {{"ANTHROPIC_API_KEY", "k"}}).config.content.writer,
            "builtin");
}

TEST(ConfigWriter, RefusesWhatCannotWork) {
  EXPECT_EQ(load_with({"--writer", "anthropic"}, {}).error,
            "--writer anthropic needs the ANTHROPIC_API_KEY environment variable");
  EXPECT_NE(load_with({"--writer", "gpt"}, {}).error, "");
  EXPECT_NE(load_with({"--openai-base-url", "ftp://x"}, {}).error, "");
  EXPECT_NE(load_with({"--openai-base-url", "http://"}, {}).error, "");
  EXPECT_NE(load_with({"--article-lifetime-days", "0"}, {}).error, "");
  EXPECT_NE(load_with({"--llm-timeout", "2h"}, {}).error, "");
  ConfigResult local =
      load_with({"--writer", "openai", "--openai-base-url", "http://127.0.0.1:11434/v1/",
                 "--llm-timeout", "90s", "--article-lifetime-days", "30"},
                {});
  EXPECT_EQ(local.error, "");
  EXPECT_EQ(local.config.content.openai_base_url, "http://127.0.0.1:11434/v1");
  EXPECT_EQ(local.config.content.llm_timeout, std::chrono::seconds(90));
  EXPECT_EQ(local.config.content.article_lifetime_days, 30u);
}

TEST(ConfigAudit, DefaultsAndRanges) {
  ConfigResult defaults = load_with({}, {});
  EXPECT_EQ(defaults.config.audit.max_pages, 500u);
  EXPECT_EQ(defaults.config.audit.report_url_ttl, std::chrono::hours(24 * 7));
  EXPECT_EQ(defaults.config.audit.public_url, "");
  ConfigResult set = load_with({"--audit-max-pages", "40", "--report-url-ttl", "30d",
                                "--public-url", "https://seo.example.com/"},
                               {});
  EXPECT_EQ(set.error, "");
  EXPECT_EQ(set.config.audit.max_pages, 40u);
  EXPECT_EQ(set.config.audit.report_url_ttl, std::chrono::hours(24 * 30));
  EXPECT_EQ(set.config.audit.public_url, "https://seo.example.com");
  ConfigResult from_env =
      load_with({}, {{"SEOAGENTS_REPORT_URL_TTL", "90m"}, {"SEOAGENTS_AUDIT_MAX_PAGES", "10000"}});
  EXPECT_EQ(from_env.error, "");
  EXPECT_EQ(from_env.config.audit.report_url_ttl, std::chrono::minutes(90));
  EXPECT_EQ(from_env.config.audit.max_pages, 10000u);
  EXPECT_NE(load_with({"--audit-max-pages", "0"}, {}).error, "");
  EXPECT_NE(load_with({"--audit-max-pages", "10001"}, {}).error, "");
  EXPECT_NE(load_with({"--audit-max-pages", "ten"}, {}).error, "");
  EXPECT_NE(load_with({"--report-url-ttl", "30s"}, {}).error, "");
  EXPECT_NE(load_with({"--report-url-ttl", "366d"}, {}).error, "");
  EXPECT_NE(load_with({"--report-url-ttl", "d"}, {}).error, "");
  EXPECT_NE(load_with({"--public-url", "ftp://seo.example.com"}, {}).error, "");
  EXPECT_NE(load_with({"--public-url", "https://seo.example.com/?a=b"}, {}).error, "");
}

TEST(ConfigWebhooks, DefaultsAndRanges) {
  ConfigResult defaults = load_with({}, {});
  EXPECT_EQ(defaults.config.webhooks.timeout, 10s);
  EXPECT_EQ(defaults.config.webhooks.retry_base, 30s);
  EXPECT_EQ(defaults.config.webhooks.retry_max_age, std::chrono::hours(72));
  EXPECT_EQ(defaults.config.webhooks.concurrency, 4u);
  EXPECT_EQ(defaults.config.webhooks.poll_interval, 1s);
  ConfigResult set = load_with(
      {"--webhook-timeout", "2s", "--webhook-retry-base", "50ms", "--webhook-retry-max-age", "7d",
       "--webhook-concurrency", "1", "--webhook-poll-interval", "100ms"},
      {});
  EXPECT_EQ(set.error, "");
  EXPECT_EQ(set.config.webhooks.timeout, 2s);
  EXPECT_EQ(set.config.webhooks.retry_base, 50ms);
  EXPECT_EQ(set.config.webhooks.retry_max_age, std::chrono::hours(24 * 7));
  EXPECT_EQ(set.config.webhooks.concurrency, 1u);
  EXPECT_EQ(set.config.webhooks.poll_interval, 100ms);
  ConfigResult from_env = load_with(
      {}, {{"SEOAGENTS_WEBHOOK_RETRY_MAX_AGE", "2s"}, {"SEOAGENTS_WEBHOOK_CONCURRENCY", "64"}});
  EXPECT_EQ(from_env.error, "");
  EXPECT_EQ(from_env.config.webhooks.retry_max_age, 2s);
  EXPECT_EQ(from_env.config.webhooks.concurrency, 64u);
  TempToml file("webhook-timeout = \"30s\"\nwebhook-retry-max-age = \"12h\"\n");
  Config from_file = load_ok({"--config", file.path()});
  EXPECT_EQ(from_file.webhooks.timeout, 30s);
  EXPECT_EQ(from_file.webhooks.retry_max_age, 12h);
  EXPECT_EQ(load_error({"--webhook-timeout", "50ms"}),
            "--webhook-timeout: not a duration from 100ms to 5m: 50ms");
  EXPECT_NE(load_with({"--webhook-timeout", "6m"}, {}).error, "");
  EXPECT_NE(load_with({"--webhook-retry-base", "2h"}, {}).error, "");
  EXPECT_NE(load_with({"--webhook-retry-base", "soon"}, {}).error, "");
  EXPECT_EQ(load_error({"--webhook-retry-max-age", "31d"}),
            "--webhook-retry-max-age: not a duration from 1s to 30d: 31d");
  EXPECT_NE(load_with({"--webhook-retry-max-age", "500ms"}, {}).error, "");
  EXPECT_NE(load_with({"--webhook-concurrency", "0"}, {}).error, "");
  EXPECT_NE(load_with({"--webhook-concurrency", "65"}, {}).error, "");
  EXPECT_NE(load_with({"--webhook-poll-interval", "2m"}, {}).error, "");
}

}  // namespace
}  // namespace seoagents
