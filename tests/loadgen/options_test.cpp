// The command line: every option parsed (short, long, attached and `=` forms), URLs, and each
// bad option refused with a one-line message naming it (exit code 2 from the command).
#include "tools/loadgen/options.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "tools/loadgen/command.hpp"

namespace seoagents::loadgen {
namespace {

Options parse(std::vector<std::string_view> arguments) {
  return parse_options(arguments);
}

std::string usage_error(std::vector<std::string_view> arguments) {
  try {
    parse_options(arguments);
  } catch (const UsageError& e) {
    return e.what();
  }
  return {};
}

TEST(LoadgenOptions, DefaultsAreTheDocumentedOnes) {
  Options options = parse({"http://127.0.0.1:8080/health"});
  EXPECT_EQ(options.connections, 64);
  EXPECT_EQ(options.threads, 2);
  EXPECT_EQ(options.duration_s, 10);
  EXPECT_FALSE(options.requests.has_value());
  EXPECT_FALSE(options.rate.has_value());
  EXPECT_EQ(options.method, "GET");
  EXPECT_EQ(options.url.scheme, "http");
  EXPECT_EQ(options.url.host, "127.0.0.1");
  EXPECT_EQ(options.url.port, 8080);
  EXPECT_EQ(options.url.target, "/health");
  EXPECT_EQ(options.watchers, 100);
  EXPECT_EQ(options.jobs, 100u);
  EXPECT_EQ(options.submit_rate, 10);
  EXPECT_EQ(options.submit_connections, 4);
}

TEST(LoadgenOptions, EveryOptionInItsForms) {
  Options options = parse({"-c64",
                           "--threads=3",
                           "-d",
                           "2.5",
                           "-n",
                           "500",
                           "--warmup",
                           "1",
                           "--rate",
                           "1000.5",
                           "-m",
                           "POST",
                           "-H",
                           "X-API-Key: sak_1",
                           "--header=Accept: */*",
                           "--body",
                           "{}",
                           "--var",
                           "a=b",
                           "--timeout",
                           "3",
                           "--insecure",
                           "--json",
                           "--quiet",
                           "https://example.test/x?y=1"});
  EXPECT_EQ(options.connections, 64);
  EXPECT_EQ(options.threads, 3);
  EXPECT_DOUBLE_EQ(options.duration_s, 2.5);
  EXPECT_TRUE(options.duration_given);
  EXPECT_EQ(options.requests, 500u);
  EXPECT_DOUBLE_EQ(options.warmup_s, 1);
  EXPECT_DOUBLE_EQ(*options.rate, 1000.5);
  EXPECT_EQ(options.method, "POST");
  EXPECT_EQ(options.headers, (std::vector<std::string>{"X-API-Key: sak_1", "Accept: */*"}));
  EXPECT_EQ(options.body, "{}");
  EXPECT_EQ(options.variables.at("a"), "b");
  EXPECT_TRUE(options.insecure && options.json && options.quiet);
  EXPECT_EQ(options.url.port, 443);
  EXPECT_EQ(options.url.target, "/x?y=1");
  EXPECT_EQ(options.url.host_header(), "example.test");
}

TEST(LoadgenOptions, WebSocketMode) {
  Options options =
      parse({"--ws", "--watchers", "10", "--submit-url", "http://127.0.0.1:8080/v1/dashboard/jobs",
             "--submit-body", "{}", "--jobs", "5", "--submit-rate", "2", "--submit-connections",
             "3", "ws://127.0.0.1:8080/v1/ws"});
  EXPECT_TRUE(options.ws);
  EXPECT_EQ(options.watchers, 10);
  EXPECT_EQ(options.submit_url->target, "/v1/dashboard/jobs");
  EXPECT_EQ(options.url.host_header(), "127.0.0.1:8080");
  EXPECT_EQ(options.jobs, 5u);
  EXPECT_EQ(options.submit_rate, 2);
  EXPECT_EQ(options.submit_connections, 3);
}

TEST(LoadgenOptions, BadOptionsAreRefusedNamingThem) {
  struct Case {
    std::vector<std::string_view> arguments;
    const char* starts;
  };
  const Case cases[] = {
      {{"-c", "0", "http://h/"}, "-c: expected an integer"},
      {{"--connections", "x", "http://h/"}, "--connections: expected an integer"},
      {{"-t", "-1", "http://h/"}, "-t: expected an integer"},
      {{"-d", "0", "http://h/"}, "-d: expected a number of seconds > 0"},
      {{"--duration", "abc", "http://h/"}, "--duration: expected"},
      {{"--warmup", "-1", "http://h/"}, "--warmup: expected"},
      {{"--rate", "0", "http://h/"}, "--rate: expected a rate > 0"},
      {{"-n", "1.5", "http://h/"}, "-n: expected an integer"},
      {{"--frobnicate", "http://h/"}, "--frobnicate: unknown option"},
      {{"-c"}, "-c: missing value"},
      {{"--json=yes", "http://h/"}, "--json: takes no value"},
      {{}, "URL: missing"},
      {{"http://a/", "http://b/"}, "URL: given twice"},
      {{"ftp://h/"}, "URL: the scheme must be"},
      {{"http://:80/"}, "URL: no host"},
      {{"http://h:99999/"}, "URL: expected an integer"},
      {{"ws://h/v1/ws"}, "URL: expected http:// or https://"},
      {{"--ws", "http://h/"}, "--ws: the URL must be ws:// or wss://"},
      {{"--ws", "ws://h/v1/ws"}, "--ws: --submit-url is required"},
      {{"--submit-url", "http://h/jobs", "http://h/"}, "--submit-url: only with --ws"},
      {{"--body", "a", "--body", "b", "http://h/"}, "--body: given twice"},
      {{"--body", "a", "--scenario", "f", "http://h/"}, "--body: not with --scenario"},
      {{"--var", "novalue", "http://h/"}, "--var: expected NAME=VALUE"},
      {{"--body-file", "/nonexistent/file", "http://h/"}, "--body-file: cannot read"},
      {{"--var-file", "/nonexistent/file", "http://h/"}, "--var-file: cannot read"},
  };
  for (const Case& bad : cases) {
    std::string message = usage_error(bad.arguments);
    EXPECT_TRUE(message.starts_with(bad.starts)) << "'" << message << "'";
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(LoadgenCommand, UsageErrorsExitWithTwoAndOneLine) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(run_command({"-c", "zero", "http://127.0.0.1:1/"}, out, err, false), 2);
  EXPECT_EQ(out.str(), "");
  EXPECT_EQ(err.str(),
            "seoagents-loadgen: -c: expected an integer from 1 to 1000000, got 'zero'\n");
  std::ostringstream scenario_err;
  EXPECT_EQ(run_command({"--scenario", "/nonexistent.txt", "http://127.0.0.1:1/"}, out,
                        scenario_err, false),
            2);
  EXPECT_NE(scenario_err.str().find("--scenario: cannot read"), std::string::npos);
}

TEST(LoadgenCommand, HelpPrintsTheUsage) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(run_command({"--help"}, out, err, false), 0);
  EXPECT_NE(out.str().find("usage: seoagents-loadgen"), std::string::npos);
}

TEST(LoadgenCommand, NothingToConnectToExitsWithOne) {
  std::ostringstream out;
  std::ostringstream err;
  // Port 1 on loopback: nothing listens, the connection is refused at once.
  EXPECT_EQ(run_command({"-c", "2", "-d", "5", "--json", "http://127.0.0.1:1/"}, out, err, false),
            1);
  EXPECT_NE(err.str().find("no connection"), std::string::npos) << err.str();
  EXPECT_NE(out.str().find("\"connect\":"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace seoagents::loadgen
