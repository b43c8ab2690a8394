// The command line of seoagents-loadgen (see README.md): parsed and checked into Options; a bad
// option is a UsageError whose one-line message names it (exit code 2).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "tools/loadgen/request_template.hpp"

namespace seoagents::loadgen {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// scheme://host[:port][/path?query]
struct Url {
  // http, https, ws or wss.
  std::string scheme;
  std::string host;
  std::uint16_t port = 0;
  // "/" when the URL has none.
  std::string target;

  bool tls() const { return scheme == "https" || scheme == "wss"; }
  // The Host header: host, with ":port" unless it is the scheme's default.
  std::string host_header() const;
};

// Throws UsageError("<what>: …") when `text` is not an http(s):// or ws(s):// URL.
Url parse_url(std::string_view text, std::string_view what);

struct Options {
  Url url;
  int connections = 64;
  int threads = 2;
  double duration_s = 10;
  // Set by -n: stop after this many responses (the duration is then only a bound if also given).
  std::optional<std::uint64_t> requests;
  bool duration_given = false;
  double warmup_s = 0;
  // Open loop: requests per second in total.
  std::optional<double> rate;
  std::string method = "GET";
  std::vector<std::string> headers;
  std::optional<std::string> body;
  std::optional<std::string> scenario_file;
  Variables variables;
  bool insecure = false;
  bool json = false;
  bool quiet = false;
  // Seconds a request (connect, write and read) may take before it counts as a timeout.
  double timeout_s = 10;
  // Hold connections open instead of sending load.
  bool idle = false;
  // WebSocket mode.
  bool ws = false;
  int watchers = 100;
  // Whether -c / --watchers were given (--ws --idle holds --watchers, else -c, connections).
  bool connections_given = false;
  bool watchers_given = false;
  std::optional<Url> submit_url;
  std::string submit_body;
  std::uint64_t jobs = 100;
  double submit_rate = 10;
  // Keep-alive connections the jobs are POSTed on (each one request at a time).
  int submit_connections = 4;
  // --help: print usage_text() and exit 0.
  bool help = false;
};

// argv[1…]; throws UsageError. Reads --body-file and --var-file.
Options parse_options(const std::vector<std::string_view>& arguments);

std::string usage_text();

}  // namespace seoagents::loadgen
