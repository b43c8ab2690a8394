// Over-the-wire tests of GET /metrics: the exposition is parsed here (a small parser that also
// checks the format: HELP/TYPE before samples, cumulative buckets ending in +Inf = _count) and
// the counters are checked against what the test did: N requests to a route raise its counter by
// exactly N, 404s and 429s show up, the job gauges match the jobs submitted, a webhook delivery
// is counted; token authentication (missing, wrong, right), the separate --metrics-port (the main
// port then answers 404), --metrics off, and bad requests to the route.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "storage/jobs.hpp"
#include "tests/support/api_helpers.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/fake_model_server.hpp"
#include "tests/support/test_pipelines.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/webhook_receiver.hpp"

namespace seoagents::testing {
namespace {

using namespace std::chrono_literals;
using verb = bhttp::verb;

constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";
constexpr std::string_view kToken = "metrics-token-0123456789abcdef";

// ---- a small exposition-format parser ---------------------------------------------------------

// Reads one quoted label value, undoing \\, \" and \n; false when malformed.
bool read_label_value(std::string_view& rest, std::string& value) {
  if (rest.empty() || rest.front() != '"') return false;
  rest.remove_prefix(1);
  while (!rest.empty() && rest.front() != '"') {
    char c = rest.front();
    rest.remove_prefix(1);
    if (c != '\\') {
      value += c;
      continue;
    }
    if (rest.empty()) return false;
    char escaped = rest.front();
    rest.remove_prefix(1);
    if (escaped == 'n') {
      value += '\n';
    } else if (escaped == '\\' || escaped == '"') {
      value += escaped;
    } else {
      return false;
    }
  }
  if (rest.empty()) return false;
  rest.remove_prefix(1);
  return true;
}

using LabelList = std::vector<std::pair<std::string, std::string>>;

// The key a sample is found under: name{a="x",b="y"} with the values unescaped.
std::string series_key(std::string_view name, const LabelList& labels) {
  std::string key(name);
  if (labels.empty()) return key;
  key += '{';
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) key += ',';
    key.append(labels[i].first).append("=\"").append(labels[i].second).append("\"");
  }
  return key + "}";
}

struct Scrape {
  // Sample values by series key.
  std::map<std::string, double> samples;
  // Family types by family name.
  std::map<std::string, std::string> types;

  double value(std::string_view name, const LabelList& labels = {}) const {
    auto found = samples.find(series_key(name, labels));
    return found == samples.end() ? 0 : found->second;
  }
  bool has(std::string_view name, const LabelList& labels = {}) const {
    return samples.count(series_key(name, labels)) > 0;
  }
};

// The family a sample belongs to: a histogram's _bucket/_sum/_count lines belong to it.
std::string family_of(const std::string& name, const Scrape& scrape) {
  for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
    if (!name.ends_with(suffix)) continue;
    std::string base = name.substr(0, name.size() - suffix.size());
    auto type = scrape.types.find(base);
    if (type != scrape.types.end() && type->second == "histogram") return base;
  }
  return name;
}

void parse_sample(std::string_view line, Scrape& scrape) {
  std::size_t name_end = line.find_first_of("{ ");
  ASSERT_NE(name_end, std::string_view::npos) << line;
  std::string name(line.substr(0, name_end));
  std::string_view rest = line.substr(name_end);
  LabelList labels;
  if (rest.front() == '{') {
    rest.remove_prefix(1);
    while (!rest.empty() && rest.front() != '}') {
      std::size_t eq = rest.find('=');
      ASSERT_NE(eq, std::string_view::npos) << line;
      std::string label(rest.substr(0, eq));
      rest.remove_prefix(eq + 1);
      std::string value;
      ASSERT_TRUE(read_label_value(rest, value)) << line;
      labels.emplace_back(label, value);
      if (!rest.empty() && rest.front() == ',') rest.remove_prefix(1);
    }
    ASSERT_FALSE(rest.empty()) << line;
    rest.remove_prefix(1);
  }
  ASSERT_TRUE(rest.starts_with(" ")) << line;
  std::string value_text(rest.substr(1));
  double value = value_text == "+Inf" ? INFINITY : std::stod(value_text);
  std::string family = family_of(name, scrape);
  EXPECT_TRUE(scrape.types.count(family)) << "sample before its # TYPE: " << line;
  EXPECT_TRUE(scrape.samples.emplace(series_key(name, labels), value).second)
      << "repeated series: " << line;
}

// Every histogram's buckets rise and end in le="+Inf" equal to its _count.
void check_histograms(const Scrape& scrape) {
  for (const auto& [key, value] : scrape.samples) {
    std::size_t at = key.find("_bucket{");
    if (at == std::string::npos || key.find("le=\"+Inf\"") == std::string::npos) continue;
    std::string labels = key.substr(at + 8);
    std::string without_le = labels.substr(0, labels.find("le=\""));
    if (without_le.ends_with(",")) without_le.pop_back();
    std::string count_key = key.substr(0, at) + "_count" +
                            (without_le.empty() ? std::string() : "{" + without_le + "}");
    EXPECT_EQ(scrape.samples.count(count_key), 1u) << count_key;
    EXPECT_EQ(value, scrape.value(count_key)) << key;
  }
}

Scrape parse(const std::string& text) {
  Scrape scrape;
  std::size_t start = 0;
  std::string last_help;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    EXPECT_NE(end, std::string::npos) << "the text ends without a newline";
    if (end == std::string::npos) break;
    std::string_view line(text.data() + start, end - start);
    start = end + 1;
    if (line.starts_with("# HELP ")) {
      last_help = std::string(line.substr(7, line.find(' ', 7) - 7));
    } else if (line.starts_with("# TYPE ")) {
      std::string_view rest = line.substr(7);
      std::string name(rest.substr(0, rest.find(' ')));
      EXPECT_EQ(name, last_help) << "# TYPE without its # HELP: " << line;
      EXPECT_TRUE(scrape.types.emplace(name, std::string(rest.substr(name.size() + 1))).second)
          << "family declared twice: " << name;
    } else {
      parse_sample(line, scrape);
    }
  }
  check_histograms(scrape);
  return scrape;
}

// ---- helpers ---------------------------------------------------------------------------------

ClientResponse get_metrics(std::uint16_t port, const HeaderList& headers = {}) {
  return HttpClient(port).request(verb::get, "/metrics", {}, headers);
}

Scrape scrape(std::uint16_t port, const HeaderList& headers = {}) {
  ClientResponse response = get_metrics(port, headers);
  EXPECT_EQ(response.result_int(), 200u) << response.body();
  EXPECT_EQ(response[bhttp::field::content_type], kContentType);
  return parse(response.body());
}

LabelList request_labels(std::string_view route, std::string_view method, std::string_view code) {
  return {
      {"route", std::string(route)}, {"method", std::string(method)}, {"code", std::string(code)}};
}

// A port nobody listens on now, for --metrics-port (0 there means "the main port").
std::uint16_t free_port() {
  asio::io_context context;
  asio::ip::tcp::acceptor acceptor(context, {asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

class MetricsTest : public ::testing::Test {
 protected:
  std::uint16_t port() { return server_.port(); }
  const std::string& key() { return *server_.app().first_api_key(); }
  storage::Store& store() { return server_.app().store(); }

  asio::io_context context_;
  TestServer server_{quiet_test_config()};
};

// ---- the exposition --------------------------------------------------------------------------

TEST_F(MetricsTest, ServesEveryFamilyWellFormed) {
  ClientResponse response = get_metrics(port());
  ASSERT_EQ(response.result_int(), 200u);
  EXPECT_EQ(response[bhttp::field::content_type], kContentType);
  EXPECT_EQ(response[bhttp::field::cache_control], "no-store");
  Scrape first = parse(response.body());
  std::map<std::string, std::string> expected = {
      {"seoagents_build_info", "gauge"},
      {"seoagents_process_start_time_seconds", "gauge"},
      {"seoagents_http_requests_total", "counter"},
      {"seoagents_http_request_duration_seconds", "histogram"},
      {"seoagents_http_rate_limited_total", "counter"},
      {"seoagents_http_open_connections", "gauge"},
      {"seoagents_websocket_open_connections", "gauge"},
      {"seoagents_websocket_subscriptions", "gauge"},
      {"seoagents_jobs", "gauge"},
      {"seoagents_job_queue_depth", "gauge"},
      {"seoagents_job_duration_seconds", "histogram"},
      {"seoagents_webhook_deliveries_total", "counter"},
      {"seoagents_webhook_delivery_failures_total", "counter"},
      {"seoagents_store_commit_group_writes", "histogram"},
      {"seoagents_store_commit_duration_seconds", "histogram"},
      {"seoagents_llm_tokens_total", "counter"}};
  EXPECT_EQ(first.types, expected);
  EXPECT_EQ(first.value("seoagents_build_info",
                        {{"version", SEOAGENTS_VERSION}, {"io_backend", io_backend_name()}}),
            1);
  double started = first.value("seoagents_process_start_time_seconds");
  double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_GT(started, now - 3600);
  EXPECT_LE(started, now);
  // This scrape's own connection is open.
  EXPECT_GE(first.value("seoagents_http_open_connections"), 1);
  EXPECT_EQ(first.value("seoagents_llm_tokens_total",
                        {{"provider", "anthropic"}, {"direction", "input"}}),
            0);
  EXPECT_TRUE(
      first.has("seoagents_llm_tokens_total", {{"provider", "openai"}, {"direction", "output"}}));

  // The server's start wrote (the first account): the writer's groups were observed, one
  // commit-latency observation per group.
  double groups = first.value("seoagents_store_commit_group_writes_count");
  EXPECT_GT(groups, 0);
  EXPECT_EQ(first.value("seoagents_store_commit_duration_seconds_count"), groups);
  EXPECT_GE(first.value("seoagents_store_commit_group_writes_sum"), groups);
}

TEST_F(MetricsTest, HeadAnswersWithoutBodyAndOtherMethodsAre405) {
  HttpClient client(port());
  ASSERT_FALSE(client.send(make_request(verb::head, "/metrics")));
  ClientResponse head = client.read_response(true);
  EXPECT_EQ(head.result_int(), 200u);
  EXPECT_TRUE(head.body().empty());
  ClientResponse post = HttpClient(port()).request(verb::post, "/metrics", "{}");
  expect_error(post, 405, "METHOD_NOT_ALLOWED");
  ClientResponse remove = HttpClient(port()).request(verb::delete_, "/metrics");
  expect_error(remove, 405, "METHOD_NOT_ALLOWED");
}

// ---- requests --------------------------------------------------------------------------------

TEST_F(MetricsTest, CountsRequestsByRoutePatternNeverTheRawPath) {
  Api api(port(), key());
  std::string agent =
      text_of(api.create("/v1/dashboard/agents", R"({"name":"Metered agent"})"), "id");
  constexpr int kRequests = 7;
  auto labels = request_labels("/v1/dashboard/agents/{id}", "GET", "200");
  Scrape before = scrape(port());
  for (int i = 0; i < kRequests; ++i)
    expect_json(api.get(join("/v1/dashboard/agents/", agent)), 200);
  expect_error(api.get("/v1/dashboard/agents/agent-00000000"), 404, "RESOURCE_NOT_FOUND");
  ClientResponse after_response = get_metrics(port());
  Scrape after = parse(after_response.body());

  EXPECT_EQ(after.value("seoagents_http_requests_total", labels) -
                before.value("seoagents_http_requests_total", labels),
            kRequests);
  auto missing = request_labels("/v1/dashboard/agents/{id}", "GET", "404");
  EXPECT_EQ(after.value("seoagents_http_requests_total", missing) -
                before.value("seoagents_http_requests_total", missing),
            1);
  LabelList route = {{"route", "/v1/dashboard/agents/{id}"}, {"method", "GET"}};
  EXPECT_EQ(after.value("seoagents_http_request_duration_seconds_count", route) -
                before.value("seoagents_http_request_duration_seconds_count", route),
            kRequests + 1);
  EXPECT_GT(after.value("seoagents_http_request_duration_seconds_sum", route), 0);
  // The scrape before counted itself under its own route.
  EXPECT_GE(after.value("seoagents_http_requests_total", request_labels("/metrics", "GET", "200")),
            1);
  EXPECT_EQ(after_response.body().find(agent), std::string::npos);
  EXPECT_EQ(after_response.body().find("agent-00000000"), std::string::npos);
}

TEST_F(MetricsTest, UnknownRoutesAndRefusedRequestsShareTheUnmatchedLabel) {
  Scrape before = scrape(port());
  expect_error(HttpClient(port()).request(verb::get, "/nope-one"), 404, "ROUTE_NOT_FOUND");
  expect_error(HttpClient(port()).request(verb::get, "/nope-two/deeper"), 404, "ROUTE_NOT_FOUND");
  expect_error(HttpClient(port()).request(verb::put, "/nope-three"), 404, "ROUTE_NOT_FOUND");
  // A request the protocol layer refuses (431) before any route is looked up.
  RawResult refused = raw_exchange(port(), raw_get_with_filler("/health", 16 * 1024));
  EXPECT_NE(refused.bytes.find("431"), std::string::npos);
  ClientResponse after_response = get_metrics(port());
  Scrape after = parse(after_response.body());

  auto get_404 = request_labels("unmatched", "GET", "404");
  EXPECT_EQ(after.value("seoagents_http_requests_total", get_404) -
                before.value("seoagents_http_requests_total", get_404),
            2);
  auto put_404 = request_labels("unmatched", "PUT", "404");
  EXPECT_EQ(after.value("seoagents_http_requests_total", put_404) -
                before.value("seoagents_http_requests_total", put_404),
            1);
  // Its headers were never complete: the method is not known.
  auto too_large = request_labels("unmatched", "OTHER", "431");
  EXPECT_EQ(after.value("seoagents_http_requests_total", too_large) -
                before.value("seoagents_http_requests_total", too_large),
            1);
  EXPECT_EQ(after_response.body().find("nope"), std::string::npos);
}

TEST_F(MetricsTest, RateLimitedRequestsAreCountedAndMetricsAreNeverLimited) {
  TestAccount starter = create_account_with_key(context_, store(), "starter-metrics");
  Api api(port(), starter.key);
  Scrape before = scrape(port());
  int limited = 0;
  // The starter plan allows 60 a minute: a few more than that are refused.
  for (int i = 0; i < 65; ++i) {
    ClientResponse response = api.get("/v1/dashboard/agents");
    if (response.result_int() == 429) ++limited;
  }
  ASSERT_GT(limited, 0);
  // The scrapes carry the exhausted key: /metrics neither checks nor counts it.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(get_metrics(port(), {{"X-API-Key", starter.key}}).result_int(), 200u);
  }
  Scrape after = scrape(port());
  EXPECT_EQ(after.value("seoagents_http_rate_limited_total") -
                before.value("seoagents_http_rate_limited_total"),
            limited);
  auto refused = request_labels("/v1/dashboard/agents", "GET", "429");
  EXPECT_EQ(after.value("seoagents_http_requests_total", refused) -
                before.value("seoagents_http_requests_total", refused),
            limited);
}

// ---- jobs ------------------------------------------------------------------------------------

class MetricsJobsTest : public ::testing::Test {
 protected:
  static Config one_worker_config() {
    Config config = quiet_test_config();
    config.jobs.workers = 1;
    config.allow_private_targets = true;
    config.webhooks.retry_base = 20ms;
    config.webhooks.poll_interval = 50ms;
    config.webhooks.timeout = 2s;
    return config;
  }

  void SetUp() override {
    api_.emplace(server_.port(), *server_.app().first_api_key());
    agent_ = text_of(
        api_->create("/v1/dashboard/agents", R"({"name":"Jobs agent","keywords":["booth cost"]})"),
        "id");
  }

  std::string submit() {
    auto accepted = expect_json(api_->post("/v1/dashboard/jobs", join(R"({"agent_id":")", agent_,
                                                                      R"(","job_type":"create"})")),
                                202);
    return text_of(accepted, "job_id");
  }

  bool reaches(const std::string& id, std::string_view status) {
    return eventually([&] {
      auto job = storage::find_job(server_.app().store().reader(), id);
      return job && job->status == status;
    });
  }

  double jobs(const Scrape& scrape, std::string_view state) {
    return scrape.value("seoagents_jobs", {{"type", "create"}, {"state", std::string(state)}});
  }

  std::shared_ptr<PipelineControl> control_ = std::make_shared<PipelineControl>();
  WebhookReceiver receiver_;
  asio::io_context context_;
  TestServer server_{one_worker_config(), TestServer::AppSetup([this](App& app) {
                       app.add_pipeline("create", test_pipeline(control_));
                     })};
  std::optional<Api> api_;
  std::string agent_;
};

TEST_F(MetricsJobsTest, JobGaugesMatchTheJobsSubmitted) {
  std::uint16_t port = server_.port();
  Scrape empty = scrape(port);
  for (std::string_view state : storage::kJobStatuses)
    EXPECT_EQ(jobs(empty, state), 0) << state;
  EXPECT_EQ(empty.value("seoagents_job_queue_depth"), 0);

  // One worker, held: the first job runs, the second waits in the queue.
  control_->hold = true;
  std::string running = submit();
  ASSERT_TRUE(reaches(running, "processing"));
  std::string waiting = submit();
  Scrape busy = scrape(port);
  EXPECT_EQ(jobs(busy, "processing"), 1);
  EXPECT_EQ(jobs(busy, "pending"), 1);
  EXPECT_EQ(busy.value("seoagents_job_queue_depth"), 1);

  control_->hold = false;
  std::string third = submit();
  ASSERT_TRUE(reaches(running, "completed"));
  ASSERT_TRUE(reaches(waiting, "completed"));
  ASSERT_TRUE(reaches(third, "completed"));
  Scrape done = scrape(port);
  EXPECT_EQ(jobs(done, "completed"), 3);
  EXPECT_EQ(jobs(done, "processing"), 0);
  EXPECT_EQ(jobs(done, "pending"), 0);
  EXPECT_EQ(done.value("seoagents_job_queue_depth"), 0);
  EXPECT_EQ(done.value("seoagents_jobs", {{"type", "publish"}, {"state", "completed"}}), 0);
  // Each attempt's duration is observed once its end is recorded.
  EXPECT_TRUE(eventually([&] {
    return scrape(port).value("seoagents_job_duration_seconds_count", {{"type", "create"}}) == 3;
  }));
}

TEST_F(MetricsJobsTest, CancelledAndFailedJobsMoveBetweenStates) {
  std::uint16_t port = server_.port();
  control_->hold = true;
  std::string running = submit();
  ASSERT_TRUE(reaches(running, "processing"));
  std::string waiting = submit();
  expect_json(api_->post(join("/v1/dashboard/jobs/", waiting, "/cancel"), ""), 200);
  control_->fail_for_good = true;
  control_->hold = false;
  ASSERT_TRUE(reaches(running, "failed"));
  Scrape after = scrape(port);
  EXPECT_EQ(jobs(after, "cancelled"), 1);
  EXPECT_EQ(jobs(after, "failed"), 1);
  EXPECT_EQ(jobs(after, "pending"), 0);
  EXPECT_EQ(jobs(after, "processing"), 0);
}

TEST_F(MetricsJobsTest, WebhookDeliveriesAndFailuresAreCounted) {
  std::uint16_t port = server_.port();
  api_->create("/v1/dashboard/webhooks",
               join(R"({"url":")", receiver_.url(), R"(","events":["job.completed"]})"));
  Scrape before = scrape(port);
  EXPECT_EQ(before.value("seoagents_webhook_deliveries_total", {{"outcome", "delivered"}}), 0);

  std::string first = submit();
  ASSERT_TRUE(reaches(first, "completed"));
  ASSERT_TRUE(receiver_.wait_for(1));
  EXPECT_TRUE(eventually([&] {
    return scrape(port).value("seoagents_webhook_deliveries_total", {{"outcome", "delivered"}}) ==
           1;
  }));
  EXPECT_EQ(scrape(port).value("seoagents_webhook_delivery_failures_total"), 0);

  // The next delivery fails once (a 500), then goes through on its retry.
  receiver_.fail_next(1, 500);
  std::string second = submit();
  ASSERT_TRUE(reaches(second, "completed"));
  EXPECT_TRUE(eventually([&] {
    return scrape(port).value("seoagents_webhook_deliveries_total", {{"outcome", "delivered"}}) ==
           2;
  }));
  Scrape after = scrape(port);
  EXPECT_EQ(after.value("seoagents_webhook_delivery_failures_total"), 1);
  EXPECT_EQ(after.value("seoagents_webhook_deliveries_total", {{"outcome", "dead"}}), 0);
}

// ---- LLM tokens ------------------------------------------------------------------------------

TEST(MetricsLlm, TokensAreCountedByProviderAndDirection) {
  constexpr std::string_view kOutline =
      R"({"title": "Trade show booth cost: a budget guide", "sections": [)"
      R"({"heading": "What drives trade show booth cost", "subheadings": [], "summary": "s"}]})";
  FakeModelServer model;
  model.push(json_response(200, openai_completion_body(kOutline, 120, 80)));
  model.push(json_response(200, openai_completion_body(booth_article_answer(), 900, 700)));
  Config config = quiet_test_config();
  config.content.writer = "openai";
  config.content.openai_base_url = model.base_url();
  TestServer server(config);
  Api api(server.port(), *server.app().first_api_key());
  std::string agent = text_of(
      api.create("/v1/dashboard/agents",
                 R"({"name":"Booths","keywords":["trade show booth cost"],"word_target":500})"),
      "id");
  std::string id =
      text_of(expect_json(api.post("/v1/dashboard/jobs",
                                   join(R"({"agent_id":")", agent, R"(","job_type":"create"})")),
                          202),
              "job_id");
  ASSERT_TRUE(eventually([&] {
    auto job = storage::find_job(server.app().store().reader(), id);
    return job && job->status == "completed";
  }));
  Scrape after = scrape(server.port());
  EXPECT_EQ(
      after.value("seoagents_llm_tokens_total", {{"provider", "openai"}, {"direction", "input"}}),
      1020);
  EXPECT_EQ(
      after.value("seoagents_llm_tokens_total", {{"provider", "openai"}, {"direction", "output"}}),
      780);
  EXPECT_EQ(after.value("seoagents_llm_tokens_total",
                        {{"provider", "anthropic"}, {"direction", "input"}}),
            0);
  EXPECT_EQ(model.requests().size(), 2u);
}

// ---- protection and placement ----------------------------------------------------------------

TEST(MetricsAccess, TokenIsRequiredWhenSet) {
  Config config = quiet_test_config();
  config.metrics.token = std::string(kToken);
  TestServer server(config);
  auto refused = [&](const HeaderList& headers) {
    ClientResponse response = get_metrics(server.port(), headers);
    expect_error(response, 401, "UNAUTHORIZED");
    EXPECT_EQ(response[bhttp::field::www_authenticate], "Bearer realm=\"metrics\"");
    EXPECT_EQ(response.body().find("seoagents_"), std::string::npos);
  };
  refused({});
  refused({{"Authorization", "Bearer metrics-token-0123456789abcdeX"}});
  refused({{"Authorization", "Bearer metrics-token"}});
  refused({{"Authorization", join("Basic ", kToken)}});
  refused({{"Authorization", "Bearer"}});
  refused({{"Authorization", join("Bearer ", kToken, "x")}});
  // An API key is no metrics token.
  refused({{"X-API-Key", *server.app().first_api_key()}});

  Scrape right = scrape(server.port(), {{"Authorization", join("Bearer ", kToken)}});
  EXPECT_TRUE(right.types.count("seoagents_http_requests_total"));
  EXPECT_EQ(get_metrics(server.port(), {{"Authorization", join("bearer ", kToken)}}).result_int(),
            200u);
  // The refusals were counted like any request.
  EXPECT_GE(right.value("seoagents_http_requests_total", request_labels("/metrics", "GET", "401")),
            7);
}

TEST(MetricsAccess, SeparatePortServesOnlyMetrics) {
  Config config = quiet_test_config();
  config.metrics.port = free_port();
  TestServer server(config);
  EXPECT_EQ(server.app().metrics_port(), config.metrics.port);
  expect_error(get_metrics(server.port()), 404, "ROUTE_NOT_FOUND");
  expect_error(HttpClient(config.metrics.port).request(verb::get, "/health"), 404,
               "ROUTE_NOT_FOUND");
  expect_error(HttpClient(config.metrics.port).request(verb::get, "/v1/dashboard/agents"), 404,
               "ROUTE_NOT_FOUND");
  scrape(config.metrics.port);
  Scrape on_metrics_port = scrape(config.metrics.port);
  // The metrics port's own requests are not API requests: only the main port's are counted.
  EXPECT_FALSE(on_metrics_port.has("seoagents_http_requests_total",
                                   request_labels("/metrics", "GET", "200")));
  EXPECT_EQ(on_metrics_port.value("seoagents_http_requests_total",
                                  request_labels("unmatched", "GET", "404")),
            1);
}

TEST(MetricsAccess, SeparatePortWithTokenRefusesWithoutIt) {
  Config config = quiet_test_config();
  config.metrics.port = free_port();
  config.metrics.token = std::string(kToken);
  TestServer server(config);
  expect_error(get_metrics(config.metrics.port), 401, "UNAUTHORIZED");
  scrape(config.metrics.port, {{"Authorization", join("Bearer ", kToken)}});
}

TEST(MetricsAccess, OffMeansNoMetricsAnywhere) {
  Config config = quiet_test_config();
  config.metrics.enabled = false;
  config.metrics.port = free_port();
  TestServer server(config);
  expect_error(get_metrics(server.port()), 404, "ROUTE_NOT_FOUND");
  EXPECT_EQ(server.app().metrics_port(), 0);
  EXPECT_TRUE(HttpClient::try_connect(config.metrics.port));
}

TEST(MetricsAccess, UnprotectedMetricsOnAPublicAddressAreLogged) {
  Config config = quiet_test_config();
  config.host = "0.0.0.0";
  TestServer server(config);
  EXPECT_TRUE(server.logged("metrics_unprotected"));
  Config loopback = quiet_test_config();
  TestServer local(loopback);
  EXPECT_FALSE(local.logged("metrics_unprotected"));
}

}  // namespace
}  // namespace seoagents::testing
