// Parsing the command line (see options.hpp).
#include "tools/loadgen/options.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

namespace seoagents::loadgen {
namespace {

std::string quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

std::uint64_t parse_count(std::string_view option, std::string_view text, std::uint64_t low,
                          std::uint64_t high) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || value < low ||
      value > high) {
    throw UsageError(std::string(option) + ": expected an integer from " + std::to_string(low) +
                     " to " + std::to_string(high) + ", got " + quoted(text));
  }
  return value;
}

double parse_seconds(std::string_view option, std::string_view text, bool zero_allowed) {
  std::string_view number = text;
  if (!number.empty() && number.back() == 's') number.remove_suffix(1);
  double value = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc() || end != number.data() + number.size() || number.empty() ||
      !std::isfinite(value) || value < 0 || (!zero_allowed && value == 0)) {
    throw UsageError(std::string(option) + ": expected " +
                     (zero_allowed ? "a number of seconds >= 0" : "a number of seconds > 0") +
                     ", got " + quoted(text));
  }
  return value;
}

double parse_rate(std::string_view option, std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() ||
      !std::isfinite(value) || value <= 0) {
    throw UsageError(std::string(option) + ": expected a rate > 0 per second, got " + quoted(text));
  }
  return value;
}

std::string read_file(std::string_view option, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(std::string(option) + ": cannot read " + quoted(path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void add_variable(std::string_view option, std::string_view assignment, Variables& variables) {
  try {
    auto [name, value] = parse_variable(assignment);
    variables[name] = value;
  } catch (const TemplateError& e) {
    throw UsageError(std::string(option) + ": " + e.what());
  }
}

void read_variable_file(const std::string& path, Variables& variables) {
  std::istringstream lines(read_file("--var-file", path));
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    add_variable("--var-file", line, variables);
  }
}

// Walks argv: options with their values (`-c 64`, `-c64`, `--connections=64`), and positionals.
class ArgumentReader {
 public:
  explicit ArgumentReader(const std::vector<std::string_view>& arguments) : arguments_(arguments) {}

  bool done() const { return index_ >= arguments_.size(); }

  // The next argument; splits "--name=value" and "-cVALUE" into the option and an inline value.
  std::string_view next() {
    std::string_view argument = arguments_[index_++];
    inline_value_.reset();
    if (argument.starts_with("--")) {
      auto equals = argument.find('=');
      if (equals != std::string_view::npos) {
        inline_value_ = argument.substr(equals + 1);
        return argument.substr(0, equals);
      }
    } else if (argument.size() > 2 && argument[0] == '-' && argument[1] != '-') {
      inline_value_ = argument.substr(2);
      return argument.substr(0, 2);
    }
    return argument;
  }

  std::string_view value(std::string_view option) {
    if (inline_value_) return *std::exchange(inline_value_, std::nullopt);
    if (done()) throw UsageError(std::string(option) + ": missing value");
    return arguments_[index_++];
  }

  // A flag must not have been written with a value.
  void no_value(std::string_view option) const {
    if (inline_value_) throw UsageError(std::string(option) + ": takes no value");
  }

 private:
  const std::vector<std::string_view>& arguments_;
  std::size_t index_ = 0;
  std::optional<std::string_view> inline_value_;
};

void check_combinations(Options& options) {
  if (options.body && options.scenario_file) {
    throw UsageError("--body: not with --scenario (give the body in the scenario file)");
  }
  if (options.ws) {
    if (options.url.scheme != "ws" && options.url.scheme != "wss") {
      throw UsageError("--ws: the URL must be ws:// or wss://");
    }
    if (!options.idle && !options.submit_url) throw UsageError("--ws: --submit-url is required");
    return;
  }
  if (options.url.scheme != "http" && options.url.scheme != "https") {
    throw UsageError("URL: expected http:// or https:// (ws:// needs --ws)");
  }
  if (options.submit_url) throw UsageError("--submit-url: only with --ws");
}

}  // namespace

std::string Url::host_header() const {
  bool default_port = (port == 80 && (scheme == "http" || scheme == "ws")) ||
                      (port == 443 && (scheme == "https" || scheme == "wss"));
  return default_port ? host : host + ":" + std::to_string(port);
}

Url parse_url(std::string_view text, std::string_view what) {
  auto fail = [&](std::string_view why) -> UsageError {
    return UsageError(std::string(what) + ": " + std::string(why) + ", got " + quoted(text));
  };
  Url url;
  auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) throw fail("expected scheme://host:port/path");
  url.scheme.assign(text.substr(0, scheme_end));
  if (url.scheme != "http" && url.scheme != "https" && url.scheme != "ws" && url.scheme != "wss") {
    throw fail("the scheme must be http, https, ws or wss");
  }
  std::string_view rest = text.substr(scheme_end + 3);
  auto path_start = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_start);
  url.target = path_start == std::string_view::npos ? "/" : std::string(rest.substr(path_start));
  if (url.target.front() == '?') url.target.insert(0, "/");
  url.port = url.tls() ? 443 : 80;
  std::string_view host = authority;
  if (authority.starts_with("[")) {
    auto close = authority.find(']');
    if (close == std::string_view::npos) throw fail("unclosed '[' in the host");
    host = authority.substr(1, close - 1);
    authority.remove_prefix(close + 1);
    if (!authority.empty() && authority.front() != ':') throw fail("bad host");
  } else {
    auto colon = authority.find(':');
    host = authority.substr(0, colon);
    authority = colon == std::string_view::npos ? "" : authority.substr(colon);
  }
  if (authority.starts_with(":")) {
    url.port = static_cast<std::uint16_t>(parse_count(what, authority.substr(1), 1, 65535));
  }
  if (host.empty()) throw fail("no host");
  url.host.assign(host);
  return url;
}

Options parse_options(const std::vector<std::string_view>& arguments) {
  Options options;
  ArgumentReader reader(arguments);
  std::optional<std::string> url_text;
  std::optional<std::string> submit_url_text;
  std::vector<std::string> variable_files;
  using Handler = std::function<void(std::string_view)>;
  auto flag = [&](bool& target) {
    return Handler([&](std::string_view o) {
      reader.no_value(o);
      target = true;
    });
  };
  std::map<std::string_view, Handler> handlers = {
      {"-c",
       [&](auto o) {
         options.connections = static_cast<int>(parse_count(o, reader.value(o), 1, 1'000'000));
         options.connections_given = true;
       }},
      {"-t",
       [&](auto o) {
         options.threads = static_cast<int>(parse_count(o, reader.value(o), 1, 256));
       }},
      {"-d",
       [&](auto o) {
         options.duration_s = parse_seconds(o, reader.value(o), false);
         options.duration_given = true;
       }},
      {"-n",
       [&](auto o) { options.requests = parse_count(o, reader.value(o), 1, UINT64_MAX / 2); }},
      {"--warmup", [&](auto o) { options.warmup_s = parse_seconds(o, reader.value(o), true); }},
      {"--rate", [&](auto o) { options.rate = parse_rate(o, reader.value(o)); }},
      {"-m", [&](auto o) { options.method = std::string(reader.value(o)); }},
      {"-H", [&](auto o) { options.headers.emplace_back(reader.value(o)); }},
      {"--body",
       [&](auto o) {
         if (options.body)
           throw UsageError(std::string(o) + ": given twice (--body or --body-file)");
         options.body = std::string(reader.value(o));
       }},
      {"--body-file",
       [&](auto o) {
         if (options.body)
           throw UsageError(std::string(o) + ": given twice (--body or --body-file)");
         options.body = read_file(o, std::string(reader.value(o)));
       }},
      {"--scenario", [&](auto o) { options.scenario_file = std::string(reader.value(o)); }},
      {"--var", [&](auto o) { add_variable(o, reader.value(o), options.variables); }},
      {"--var-file", [&](auto o) { variable_files.emplace_back(reader.value(o)); }},
      {"--timeout", [&](auto o) { options.timeout_s = parse_seconds(o, reader.value(o), false); }},
      {"--insecure", flag(options.insecure)},
      {"--json", flag(options.json)},
      {"--quiet", flag(options.quiet)},
      {"--idle", flag(options.idle)},
      {"--ws", flag(options.ws)},
      {"-h", flag(options.help)},
      {"--watchers",
       [&](auto o) {
         options.watchers = static_cast<int>(parse_count(o, reader.value(o), 1, 1'000'000));
         options.watchers_given = true;
       }},
      {"--submit-url", [&](auto o) { submit_url_text = std::string(reader.value(o)); }},
      {"--submit-body", [&](auto o) { options.submit_body = std::string(reader.value(o)); }},
      {"--jobs", [&](auto o) { options.jobs = parse_count(o, reader.value(o), 1, 100'000'000); }},
      {"--submit-rate", [&](auto o) { options.submit_rate = parse_rate(o, reader.value(o)); }},
      {"--submit-connections",
       [&](auto o) {
         options.submit_connections = static_cast<int>(parse_count(o, reader.value(o), 1, 1000));
       }},
  };
  const std::map<std::string_view, std::string_view> long_names = {
      {"--connections", "-c"}, {"--threads", "-t"}, {"--duration", "-d"}, {"--requests", "-n"},
      {"--method", "-m"},      {"--header", "-H"},  {"--help", "-h"}};
  while (!reader.done()) {
    std::string_view argument = reader.next();
    if (argument.size() > 1 && argument.front() == '-') {
      auto alias = long_names.find(argument);
      std::string_view key = alias == long_names.end() ? argument : alias->second;
      auto handler = handlers.find(key);
      if (handler == handlers.end()) throw UsageError(std::string(argument) + ": unknown option");
      handler->second(argument);
      continue;
    }
    if (url_text) throw UsageError("URL: given twice (" + quoted(argument) + ")");
    url_text = std::string(argument);
  }
  if (options.help) return options;
  if (!url_text) throw UsageError("URL: missing (seoagents-loadgen [options] URL)");
  options.url = parse_url(*url_text, "URL");
  if (submit_url_text) options.submit_url = parse_url(*submit_url_text, "--submit-url");
  if (options.submit_url && options.submit_url->scheme != "http" &&
      options.submit_url->scheme != "https") {
    throw UsageError("--submit-url: expected http:// or https://");
  }
  for (const std::string& path : variable_files)
    read_variable_file(path, options.variables);
  check_combinations(options);
  return options;
}

std::string usage_text() {
  return R"(usage: seoagents-loadgen [options] URL
  URL                     http://host:port/path or https://... (single request), ws://.../v1/ws with --ws
  -c, --connections N     keep-alive connections (default 64)
  -t, --threads T         threads (default 2)
  -d, --duration SECONDS  run time (default 10; decimals allowed)
  -n, --requests N        stop after N responses (the duration still bounds the run when given)
  --warmup SECONDS        run this long first without recording (default 0)
  --rate R                open loop: R requests/s in total, latency from each intended send time
  -m, --method M          default GET
  -H, --header 'Name: value'   repeatable (added to every scenario request too)
  --body STRING | --body-file FILE
  --scenario FILE         weighted request mix (URL then gives scheme://host:port only)
  --var NAME=VALUE        for {{var:NAME}} in templates (repeatable); --var-file FILE (NAME=VALUE lines)
  --timeout SECONDS       per request (default 10)
  --insecure              TLS without certificate verification
  --json                  print one JSON object at the end (nothing else on stdout)
  --quiet                 no live progress line
  --idle                  open the connections, hold them for --duration, close them
  WebSocket mode:
  --ws                    URL is ws://host:port/v1/ws (or wss://)
  --watchers M            WebSocket connections (default 100), upgraded with the -H headers
  --submit-url URL        http(s) URL to POST jobs to
  --submit-body STRING    body of each job POST (templates allowed)
  --jobs N                jobs to start (default 100)
  --submit-rate R         jobs per second (default 10)
  --submit-connections N  keep-alive connections the jobs are POSTed on (default 4)
)";
}

}  // namespace seoagents::loadgen
