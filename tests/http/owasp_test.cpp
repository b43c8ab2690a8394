// The OWASP API Security Top 10 suite, over HTTP against a real server with two accounts (A and
// B), each owning one of every resource (site, agent, job, article, webhook with a delivery, spare
// API key, audit report):
// API1 object-level authorization — every route with an id, taken from the router's own table
// (and checked against docs/openapi.yaml), ids in query strings and bodies, list cursors,
// Idempotency-Keys, report links and WebSocket subscriptions: B gets 403 FORBIDDEN (or nothing
// of A's) and A's objects are unchanged afterwards;
// API2 authentication — missing, garbage, revoked and query-string keys, forged and mis-claimed
// JWTs, failures limited per address;
// API3 mass assignment and data exposure — privileged or unknown fields refused naming the field
// with nothing changed, no secret in any response or log line;
// API4 page sizes, array lengths and body size capped;
// API5 function level — no account administration over HTTP, /metrics closed to API keys, a JWT
// plan claim cannot upgrade an existing account;
// API7 SSRF — every outbound URL refused in all its private spellings when written, and stored
// private targets refused again when connecting;
// API8 — 500s without internals, TRACE/CONNECT/unknown methods, CORS, security headers.
// API9 (every route documented, every documented route served) is openapi_sync_test.cpp's.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/master_key.hpp"
#include "storage/accounts.hpp"
#include "storage/audit_reports.hpp"
#include "storage/jobs.hpp"
#include "storage/webhook_events.hpp"
#include "storage/webhooks.hpp"
#include "tests/support/api_helpers.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/jwt_signer.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/webhook_receiver.hpp"
#include "tests/support/ws_client.hpp"

namespace seoagents::testing {
namespace {

using bhttp::verb;

constexpr std::string_view kAccount = "/v1/dashboard/account";
constexpr std::string_view kAgents = "/v1/dashboard/agents";
constexpr std::string_view kSites = "/v1/dashboard/sites";
constexpr std::string_view kJobs = "/v1/dashboard/jobs";
constexpr std::string_view kArticles = "/v1/dashboard/articles";
constexpr std::string_view kWebhooks = "/v1/dashboard/webhooks";
constexpr std::string_view kApiKeys = "/v1/dashboard/api-keys";
constexpr std::string_view kRankings = "/v1/dashboard/rankings";
constexpr std::string_view kReports = "/v1/dashboard/reports/";
constexpr std::string_view kPublicWebhookUrl = "https://93.184.216.34/hooks";

std::string lowercase_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char byte : bytes) {
    hex.push_back(kDigits[byte >> 4]);
    hex.push_back(kDigits[byte & 0x0f]);
  }
  return hex;
}

// `body` parsed, with the members that move on their own (health of webhook deliveries, key use
// times, freshly signed links) removed at every depth, serialized again.
void drop_volatile_members(json::value& value) {
  if (value.is_array()) {
    for (json::value& item : value.as_array())
      drop_volatile_members(item);
    return;
  }
  if (!value.is_object()) return;
  json::object& object = value.as_object();
  for (std::string_view name : {"health", "last_used_at", "report_url", "report_url_expires_at"})
    object.erase(name);
  for (auto& member : object)
    drop_volatile_members(member.value());
}

std::string stable_form(const ClientResponse& response) {
  std::string head = std::to_string(response.result_int()) + " ";
  json::value value;
  try {
    value = json::parse(response.body());
  } catch (const std::exception&) {
    return head + response.body();
  }
  drop_volatile_members(value);
  return head + json::serialize(value);
}

// Each entry of `after` equals the one of `before` (only the differing ones are printed).
void expect_unchanged(const std::map<std::string, std::string>& before,
                      const std::map<std::string, std::string>& after) {
  EXPECT_EQ(before.size(), after.size());
  for (const auto& [name, form] : before) {
    auto it = after.find(name);
    ASSERT_NE(it, after.end()) << name;
    EXPECT_EQ(it->second, form) << name << " changed";
  }
}

// One of every resource an account can own, and the secrets that came with them.
struct Tenant {
  std::string name;
  TestAccount account;
  std::optional<Api> api;
  std::string site_id;
  std::string site_password;
  std::string agent_id;
  std::string job_id;
  std::string s3_key;
  std::string webhook_id;
  std::string webhook_secret;
  std::string delivery_id;
  std::string spare_key_id;
  std::string spare_key;
  std::string report_id;

  std::string path(std::string_view collection, std::string_view id,
                   std::string_view rest = {}) const {
    return join(collection, "/", id, rest);
  }
};

// A route's `{param}` values for one tenant's objects, and the PUT body that passes validation
// (so that the ownership check is what answers).
struct RouteFamily {
  std::string_view prefix;
  std::string Tenant::*id;
  std::string_view put_body;
};

const RouteFamily kFamilies[] = {
    {"/v1/dashboard/agents/{id}", &Tenant::agent_id, R"({"name":"hijacked"})"},
    {"/v1/dashboard/sites/{id}", &Tenant::site_id, R"({"name":"hijacked"})"},
    {"/v1/dashboard/jobs/{id}", &Tenant::job_id, "{}"},
    {"/v1/dashboard/webhooks/{id}", &Tenant::webhook_id, R"({"description":"hijacked"})"},
    {"/v1/dashboard/api-keys/{id}", &Tenant::spare_key_id, "{}"},
    {"/v1/dashboard/reports/{id}", &Tenant::report_id, "{}"},
};

const RouteFamily* family_of(std::string_view pattern) {
  for (const RouteFamily& family : kFamilies) {
    if (pattern.starts_with(family.prefix)) return &family;
  }
  return nullptr;
}

// `pattern` with the tenant's ids in place of its parameters; nullopt when the suite does not
// know one of them (a new kind of route: add it to kFamilies).
std::optional<std::string> fill_pattern(std::string_view pattern, const Tenant& owner) {
  const RouteFamily* family = family_of(pattern);
  if (family == nullptr) return std::nullopt;
  std::string target(pattern);
  auto replace = [&target](std::string_view param, const std::string& value) {
    std::size_t at = target.find(param);
    if (at != std::string::npos) target.replace(at, param.size(), value);
  };
  replace("{id}", owner.*(family->id));
  replace("{delivery_id}", owner.delivery_id);
  if (target.find('{') != std::string::npos) return std::nullopt;
  return target;
}

// The templated paths of docs/openapi.yaml ("  /v1/...{id}...:" lines of its paths object).
std::set<std::string> documented_templated_paths() {
  std::ifstream file(std::string(SEOAGENTS_SOURCE_DIR) + "/docs/openapi.yaml");
  std::set<std::string> paths;
  std::string line;
  const std::regex path_line(R"(^  (/v1/[^:\s]*\{[^:\s]*):\s*$)");
  std::smatch match;
  while (std::getline(file, line)) {
    if (std::regex_match(line, match, path_line)) paths.insert(match[1]);
  }
  return paths;
}

ClientResponse send_with_key(std::uint16_t port, verb method, std::string_view target,
                             const std::string& key, std::string body = {}) {
  HeaderList headers = {{"X-API-Key", key}};
  if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
  return HttpClient(port).request(method, target, std::move(body), headers);
}

// ---------------------------------------------------------------------------------------------
// The two-account fixture

class OwaspTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(quiet_test_config());
    a_ = make_tenant("tenant-a");
    b_ = make_tenant("tenant-b");
  }

  storage::Store& store() { return server_->app().store(); }
  std::uint16_t port() const { return server_->port(); }
  const Api& a() const { return *a_.api; }
  const Api& b() const { return *b_.api; }

  Tenant make_tenant(const std::string& name) {
    Tenant tenant;
    tenant.name = name;
    tenant.account = create_account_with_key(writes_, store(), name);
    raise_limits(tenant.account.account_id);
    tenant.api.emplace(port(), tenant.account.key);
    const Api& api = *tenant.api;

    tenant.site_password = join("pw-", name, " Zq7x Kp2m Vn8c Rt4b");
    tenant.site_id = text_of(
        api.create(kSites, join(R"({"url":"https://93.184.216.34/)", name,
                                R"(","name":"Blog","username":"editor","application_password":")",
                                tenant.site_password, R"("})")),
        "id");
    tenant.agent_id =
        text_of(api.create(kAgents, join(R"({"name":"Agent of )", name,
                                         R"(","keywords":["trade show booth cost"],"site_id":")",
                                         tenant.site_id, R"("})")),
                "id");
    tenant.job_id = submit_create_job(api, tenant.agent_id);
    tenant.s3_key = article_of(api, tenant.job_id);
    json::object webhook = api.create(
        kWebhooks, join(R"({"url":")", kPublicWebhookUrl, R"(","events":["rank.alert"]})"));
    tenant.webhook_id = text_of(webhook, "id");
    tenant.webhook_secret = text_of(webhook, "secret");
    tenant.delivery_id = record_delivery(tenant);
    json::object spare = api.create(kApiKeys, R"({"name":"spare"})");
    tenant.spare_key_id = text_of(spare, "id");
    tenant.spare_key = text_of(spare, "key");
    tenant.report_id = insert_report(tenant);
    EXPECT_FALSE(tenant.webhook_secret.empty());
    EXPECT_FALSE(tenant.spare_key.empty());
    EXPECT_FALSE(tenant.delivery_id.empty());
    return tenant;
  }

  // Enterprise limits, so that the sweeps are not cut short by the plan's rate limit.
  void raise_limits(const std::string& account_id) {
    store_write<bool>(writes_, store(), [&](storage::Connection& db) {
      return storage::set_account_plan(db, account_id, storage::Plan::enterprise,
                                       storage::PlanLimits{100'000, 20});
    });
  }

  std::string submit_create_job(const Api& api, const std::string& agent_id) {
    std::string id = text_of(
        expect_json(
            api.post(kJobs, join(R"({"agent_id":")", agent_id,
                                 R"(","job_type":"create","keyword":"trade show booth cost"})")),
            202),
        "job_id");
    bool finished = eventually([&] {
      auto job = storage::find_job(store().reader(), id);
      return job && (job->status == "completed" || job->status == "failed");
    });
    EXPECT_TRUE(finished) << id;
    return id;
  }

  std::string article_of(const Api& api, const std::string& job_id) {
    json::object job = expect_json(api.get(join(kJobs, "/", job_id)), 200);
    EXPECT_EQ(text_of(job, "status"), "completed") << json::serialize(job);
    const json::value* result = job.if_contains("result");
    if (result == nullptr || !result->is_object()) return {};
    return text_of(result->as_object(), "s3_key");
  }

  // A rank.alert event for the tenant: a delivery to its webhook.
  std::string record_delivery(const Tenant& tenant) {
    std::string account_id = tenant.account.account_id;
    std::string webhook_id = tenant.webhook_id;
    std::string site_id = tenant.site_id;
    return store_write<std::string>(writes_, store(), [&](storage::Connection& db) {
      json::object data;
      data["site_id"] = site_id;
      (void)storage::record_webhook_event(db, account_id, "rank.alert", data, storage::now_ms());
      auto deliveries = storage::list_webhook_deliveries(db, webhook_id, true, std::nullopt, 1);
      return deliveries.empty() ? std::string() : deliveries.front().id;
    });
  }

  // An audit report of the tenant's site, as an audit job would have stored it.
  std::string insert_report(const Tenant& tenant) {
    storage::AuditReport report;
    report.account_id = tenant.account.account_id;
    report.site_id = tenant.site_id;
    report.job_id = tenant.job_id;
    report.site_score = 42;
    report.pages = 1;
    report.created_at = storage::now_ms();
    std::string id = store_write<std::string>(writes_, store(), [&](storage::Connection& db) {
      report.id = storage::new_audit_report_id(db);
      report.object_key = storage::audit_report_key(report.account_id, report.id);
      storage::insert_audit_report(db, report);
      return report.id;
    });
    EXPECT_TRUE(server_->app().objects().put(storage::audit_report_key(report.account_id, id),
                                             join(R"({"report_of":")", tenant.name, "\"}")));
    return id;
  }

  // Everything the owner can read of its objects, in a form that changes only when they do.
  std::map<std::string, std::string> snapshot(const Tenant& owner) {
    const Api& api = *owner.api;
    std::map<std::string, std::string> seen;
    seen["agent"] = stable_form(api.get(owner.path(kAgents, owner.agent_id)));
    seen["site"] = stable_form(api.get(owner.path(kSites, owner.site_id)));
    seen["job"] = stable_form(api.get(owner.path(kJobs, owner.job_id)));
    seen["progress"] = stable_form(api.get(owner.path(kJobs, owner.job_id, "/progress")));
    seen["webhook"] = stable_form(api.get(owner.path(kWebhooks, owner.webhook_id)));
    seen["api_keys"] = stable_form(api.get(join(kApiKeys, "?limit=100")));
    seen["analysis"] = stable_form(api.get(join(kArticles, "/analysis?s3_key=", owner.s3_key)));
    seen["preview"] = stable_form(api.get(join("/v1/dashboard/preview?s3_key=", owner.s3_key)));
    seen["report"] = stable_form(api.get(join(kReports, owner.report_id, "/link")));
    seen["agents"] = stable_form(api.get(join(kAgents, "?limit=100")));
    seen["sites"] = stable_form(api.get(join(kSites, "?limit=100")));
    seen["webhooks"] = stable_form(api.get(join(kWebhooks, "?limit=100")));
    seen["deliveries"] =
        std::to_string(storage::list_webhook_deliveries(store().reader(), owner.webhook_id, true,
                                                        std::nullopt, 100)
                           .size());
    for (const auto& [name, form] : seen)
      EXPECT_TRUE(name == "deliveries" || form.starts_with("200 ")) << name << ": " << form;
    return seen;
  }

  // Every GET the API answers an account, for the secret scan.
  std::vector<std::string> readable_targets(const Tenant& owner) const {
    return {std::string(kAccount),
            join(kAgents, "?limit=100"),
            owner.path(kAgents, owner.agent_id),
            join(kSites, "?limit=100"),
            owner.path(kSites, owner.site_id),
            join(kJobs, "?limit=100"),
            owner.path(kJobs, owner.job_id),
            owner.path(kJobs, owner.job_id, "/progress"),
            join(kArticles, "?limit=100"),
            join(kArticles, "/analysis?s3_key=", owner.s3_key),
            join("/v1/dashboard/preview?s3_key=", owner.s3_key),
            join(kWebhooks, "?limit=100"),
            owner.path(kWebhooks, owner.webhook_id),
            owner.path(kWebhooks, owner.webhook_id, "/deliveries?limit=100"),
            join(kApiKeys, "?limit=100"),
            join(kRankings, "?site_id=", owner.site_id),
            join(kReports, owner.report_id, "/link"),
            "/v1/dashboard/stats",
            "/v1/dashboard/chart-data",
            "/health",
            "/v1/dashboard/health",
            "/v1/openapi.json"};
  }

  // Declared before the server: the store's writer thread posts to it (see store_write).
  asio::io_context writes_;
  std::unique_ptr<TestServer> server_;
  Tenant a_;
  Tenant b_;
};

// ---------------------------------------------------------------------------------------------
// API1: broken object-level authorization

TEST_F(OwaspTest, Api1EveryRouteWithAnIdRefusesAnotherAccountAndChangesNothing) {
  std::map<std::string, std::string> before = snapshot(a_);
  int attempted = 0;
  for (const auto& route : server_->app().router().routes()) {
    // Only the API's routes hold an account's objects (not the dashboard's /assets/{file}).
    if (!route->pattern.starts_with("/v1/") || route->pattern.find('{') == std::string::npos)
      continue;
    SCOPED_TRACE(join(std::string(bhttp::to_string(route->method)), " ", route->pattern));
    std::optional<std::string> target = fill_pattern(route->pattern, a_);
    if (!target) {
      ADD_FAILURE() << "no object-level authorization case for this route: add it to kFamilies";
      continue;
    }
    std::string body;
    if (route->method == verb::put) body = std::string(family_of(route->pattern)->put_body);
    ClientResponse response = send_with_key(port(), route->method, *target, b_.account.key, body);
    expect_error(response, 403, "FORBIDDEN");
    // The refusal names no more than the id B already had.
    for (std::string_view secret : {a_.site_password, a_.webhook_secret, a_.spare_key})
      EXPECT_EQ(response.body().find(secret), std::string::npos);
    ++attempted;
  }
  EXPECT_GE(attempted, 20);
  expect_unchanged(before, snapshot(a_));
  // A's spare key, which B tried to revoke, still works.
  EXPECT_EQ(Api(port(), a_.spare_key).get(kAccount).result_int(), 200);
}

TEST_F(OwaspTest, Api1MethodsARouteDoesNotHaveAreRefusedOnEveryPathWithAnId) {
  std::map<std::string, std::set<verb>> methods_of;
  for (const auto& route : server_->app().router().routes()) {
    if (route->pattern.find('{') != std::string::npos)
      methods_of[route->pattern].insert(route->method);
  }
  std::map<std::string, std::string> before = snapshot(a_);
  for (const auto& [pattern, methods] : methods_of) {
    std::optional<std::string> target = fill_pattern(pattern, a_);
    if (!target) continue;  // reported by the test above
    for (verb method : {verb::get, verb::put, verb::post, verb::delete_, verb::patch}) {
      if (methods.contains(method)) continue;
      SCOPED_TRACE(join(std::string(bhttp::to_string(method)), " ", pattern));
      ClientResponse response = send_with_key(port(), method, *target, b_.account.key, "{}");
      expect_error(response, 405, "METHOD_NOT_ALLOWED");
      EXPECT_FALSE(response[bhttp::field::allow].empty());
    }
  }
  expect_unchanged(before, snapshot(a_));
}

TEST_F(OwaspTest, Api1EveryTemplatedPathOfTheOpenApiDocumentIsCoveredByTheSuite) {
  std::set<std::string> routed;
  for (const auto& route : server_->app().router().routes())
    routed.insert(route->pattern);
  std::set<std::string> documented = documented_templated_paths();
  ASSERT_GE(documented.size(), 10u) << "docs/openapi.yaml was not read";
  for (const std::string& path : documented) {
    SCOPED_TRACE(path);
    EXPECT_TRUE(routed.contains(path)) << "documented but not routed";
    EXPECT_TRUE(fill_pattern(path, a_).has_value()) << "no case in the OWASP suite";
  }
}

TEST_F(OwaspTest, Api1AReportLinkSignedForOneReportDoesNotOpenAnother) {
  json::object b_link = expect_json(b().get(join(kReports, b_.report_id, "/link")), 200);
  std::string b_url = text_of(b_link, "report_url");
  std::size_t query = b_url.find('?');
  ASSERT_NE(query, std::string::npos) << b_url;
  std::string signature_query = b_url.substr(query);
  // B's own link works, without credentials.
  EXPECT_EQ(HttpClient(port())
                .request(verb::get, join(kReports, b_.report_id, signature_query))
                .result_int(),
            200);
  // The same signature on A's report, with or without B's key: refused.
  std::string a_target = join(kReports, a_.report_id, signature_query);
  json::object refused =
      expect_error(HttpClient(port()).request(verb::get, a_target), 403, "FORBIDDEN");
  EXPECT_EQ(text_of(refused, "message").find("tenant-a"), std::string::npos);
  expect_error(b().get(a_target), 403, "FORBIDDEN");
  expect_error(b().get(join(kReports, a_.report_id)), 403, "FORBIDDEN");
}

TEST_F(OwaspTest, Api1IdsInQueriesAndBodiesAreCheckedToo) {
  std::map<std::string, std::string> before = snapshot(a_);
  auto job_body = [&](std::string_view type, std::string_view agent, std::string_view extra) {
    return join(R"({"agent_id":")", agent, R"(","job_type":")", type, "\"", extra) + "}";
  };
  auto field = [](std::string_view name, std::string_view value) {
    return join(R"(,")", name, R"(":")", value, "\"");
  };
  const std::string& a_key = a_.s3_key;
  struct Attempt {
    verb method;
    std::string target;
    std::string body;
  };
  std::vector<Attempt> attempts = {
      {verb::get, join(kArticles, "/analysis?s3_key=", a_key), ""},
      {verb::get, join("/v1/dashboard/preview?s3_key=", a_key), ""},
      {verb::post, std::string(kJobs), job_body("create", a_.agent_id, field("keyword", "x"))},
      {verb::post, std::string(kJobs), job_body("enhance", b_.agent_id, field("s3_key", a_key))},
      {verb::post, std::string(kJobs), job_body("optimize", b_.agent_id, field("s3_key", a_key))},
      {verb::post, std::string(kJobs),
       job_body("publish", b_.agent_id, field("s3_key", a_key) + field("site_id", b_.site_id))},
      {verb::post, std::string(kJobs),
       job_body("publish", b_.agent_id, field("s3_key", b_.s3_key) + field("site_id", a_.site_id))},
      {verb::post, std::string(kJobs),
       job_body("audit", b_.agent_id, field("site_id", a_.site_id))},
      {verb::post, std::string(kAgents), join(R"({"name":"x","site_id":")", a_.site_id, R"("})")},
      {verb::put, b_.path(kAgents, b_.agent_id), join(R"({"site_id":")", a_.site_id, R"("})")},
      {verb::post, std::string(kRankings),
       join(
           R"({"rankings":[{"site_id":")", a_.site_id,
           R"(","keyword":"k","position":3,"url":"https://93.184.216.34/x","observed_at":"2026-01-01T00:00:00Z"}]})")},
      {verb::get, join(kRankings, "?site_id=", a_.site_id), ""},
  };
  for (const Attempt& attempt : attempts) {
    SCOPED_TRACE(join(std::string(bhttp::to_string(attempt.method)), " ", attempt.target, " ",
                      attempt.body));
    ClientResponse response =
        send_with_key(port(), attempt.method, attempt.target, b_.account.key, attempt.body);
    expect_error(response, 403, "FORBIDDEN");
  }
  // Filters naming A's objects find nothing of A's in B's lists.
  for (const std::string& target :
       {join(kJobs, "?agent_id=", a_.agent_id), join(kArticles, "?agent_id=", a_.agent_id)}) {
    SCOPED_TRACE(target);
    json::object page = expect_json(b().get(target), 200);
    EXPECT_TRUE(page.at("data").as_array().empty()) << json::serialize(page);
  }
  // B's own objects are untouched by the refused attempts, and A's are too.
  EXPECT_EQ(text_of(expect_json(b().get(b_.path(kAgents, b_.agent_id)), 200), "site_id"),
            b_.site_id);
  expect_unchanged(before, snapshot(a_));
}

TEST_F(OwaspTest, Api1NoListShowsAnotherAccountsObjects) {
  std::vector<std::string> a_ids = {a_.site_id,   a_.agent_id,    a_.job_id,
                                    a_.s3_key,    a_.webhook_id,  a_.spare_key_id,
                                    a_.report_id, a_.delivery_id, a_.account.account_id};
  for (const std::string& target :
       {join(kAgents, "?limit=100"), join(kSites, "?limit=100"), join(kJobs, "?limit=100"),
        join(kArticles, "?limit=100"), join(kWebhooks, "?limit=100"), join(kApiKeys, "?limit=100"),
        b_.path(kWebhooks, b_.webhook_id, "/deliveries?limit=100"), std::string(kAccount),
        std::string("/v1/dashboard/stats"), std::string("/v1/dashboard/chart-data")}) {
    SCOPED_TRACE(target);
    ClientResponse response = b().get(target);
    ASSERT_EQ(response.result_int(), 200u) << response.body();
    for (const std::string& id : a_ids)
      EXPECT_EQ(response.body().find(id), std::string::npos) << id << " in " << response.body();
  }
}

TEST_F(OwaspTest, Api1CursorsAndIdempotencyKeysAreBoundToTheirAccount) {
  // A's next_cursor is no way into A's list for B.
  a().create(kAgents, R"({"name":"second agent of A"})");
  json::object page = expect_json(a().get(join(kAgents, "?limit=1")), 200);
  std::string cursor = text_of(page, "next_cursor");
  ASSERT_FALSE(cursor.empty()) << json::serialize(page);
  ClientResponse foreign = b().get(join(kAgents, "?limit=1&cursor=", cursor));
  expect_error(foreign, 400, "INVALID_CURSOR");
  EXPECT_EQ(foreign.body().find(a_.agent_id), std::string::npos) << foreign.body();
  EXPECT_EQ(foreign.body().find("second agent of A"), std::string::npos) << foreign.body();

  // An Idempotency-Key A used replays A's answer to A only: B's request with the same key and
  // body is B's own creation, not A's stored answer (which holds A's webhook secret).
  std::string body = join(R"({"url":")", kPublicWebhookUrl, R"(","events":["rank.alert"]})");
  auto post_with_key = [&](const std::string& api_key) {
    return HttpClient(port()).request(verb::post, kWebhooks, body,
                                      {{"X-API-Key", api_key},
                                       {"Content-Type", "application/json"},
                                       {"Idempotency-Key", "shared-key-1"}});
  };
  json::object first = expect_json(post_with_key(a_.account.key), 201);
  ClientResponse replayed = post_with_key(a_.account.key);
  EXPECT_EQ(replayed["Idempotent-Replayed"], "true");
  ClientResponse other = post_with_key(b_.account.key);
  json::object created = expect_json(other, 201);
  EXPECT_EQ(other.find("Idempotent-Replayed"), other.end());
  EXPECT_NE(text_of(created, "id"), text_of(first, "id"));
  EXPECT_NE(text_of(created, "secret"), text_of(first, "secret"));
  EXPECT_EQ(other.body().find(text_of(first, "secret")), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// API2: broken authentication

TEST_F(OwaspTest, Api2MissingGarbageRevokedAndQueryStringKeysAreRefused) {
  HttpClient none(port());
  expect_error(none.request(verb::get, kAgents), 401, "UNAUTHORIZED");
  for (const std::string& garbage :
       {std::string("garbage"), std::string("sak_") + std::string(43, 'x'),
        b_.account.key.substr(0, b_.account.key.size() - 1), b_.account.key + "x",
        std::string(4000, 'k'), a_.spare_key_id}) {
    SCOPED_TRACE(garbage.substr(0, 60));
    json::object body = expect_error(Api(port(), garbage).get(kAgents), 401, "INVALID_API_KEY");
    EXPECT_EQ(text_of(body, "message").find(garbage), std::string::npos);
  }
  // A revoked key stops working at once.
  expect_json(b().remove(join(kApiKeys, "/", b_.spare_key_id)), 200);
  expect_error(Api(port(), b_.spare_key).get(kAgents), 401, "INVALID_API_KEY");
  // Keys are taken from headers only: one in the query string of a REST route is not credentials.
  expect_error(HttpClient(port()).request(verb::get, join(kAgents, "?api_key=", b_.account.key)),
               401, "UNAUTHORIZED");
  // The key hash is not a key.
  expect_error(Api(port(), sha256_hex(b_.account.key)).get(kAgents), 401, "INVALID_API_KEY");
}

TEST_F(OwaspTest, Api2RepeatedFailuresOfEveryKindFromOneAddressEndIn429) {
  expect_json(b().remove(join(kApiKeys, "/", b_.spare_key_id)), 200);
  std::vector<HeaderList> failures = {
      {},
      {{"X-API-Key", "garbage"}},
      {{"X-API-Key", b_.spare_key}},
      {{"Authorization", "Bearer not.a.jwt"}},
      {{"Authorization", join("Basic ", base64_encode("user:pass"))}},
  };
  ClientResponse last;
  for (int attempt = 0; attempt < 60; ++attempt) {
    last = HttpClient(port()).request(verb::get, kAgents, {}, failures[attempt % failures.size()]);
    if (last.result_int() != 401) break;
  }
  expect_error(last, 429, "RATE_LIMITED");
  std::string retry_after(last[bhttp::field::retry_after]);
  ASSERT_FALSE(retry_after.empty());
  EXPECT_GE(std::stoll(retry_after), 1);
  // Valid credentials from the same address still work.
  EXPECT_EQ(a().get(kAgents).result_int(), 200);
}

class OwaspJwtTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Config config = quiet_test_config();
    config.jwt.issuer = kTestIssuer;
    config.jwt.audience = kTestAudience;
    config.jwt.jwks_file = signer_.jwks_file();
    server_ = std::make_unique<TestServer>(std::move(config));
  }

  ClientResponse get(std::string_view target, const std::string& token) {
    return HttpClient(server_->port())
        .request(verb::get, target, {}, {{"Authorization", join("Bearer ", token)}});
  }

  // A token with `header` and `claims`, signed with HMAC-SHA256 under `key` (empty key: no
  // signature at all).
  static std::string forged(const json::object& header, const json::object& claims,
                            const std::string& key) {
    std::string input = join(base64url_encode(json::serialize(header)), ".",
                             base64url_encode(json::serialize(claims)));
    std::string signature = key.empty() ? std::string() : base64url_encode(hmac_sha256(key, input));
    return join(input, ".", signature);
  }

  JwtSigner signer_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(OwaspJwtTest, Api2ForgedAndMisClaimedTokensAreRefused) {
  std::int64_t now = unix_seconds(std::chrono::system_clock::now());
  auto claims_with = [&](std::string_view name, json::value value) {
    json::object claims = signer_.claims("victim");
    claims[name] = std::move(value);
    return claims;
  };
  json::object no_exp = signer_.claims("victim");
  no_exp.erase("exp");
  std::string n_of_jwks =
      text_of(json::parse(signer_.jwks()).as_object().at("keys").as_array().at(0).as_object(), "n");
  json::object valid = signer_.claims("victim");
  std::string header_kid(kTestKid);
  std::vector<std::pair<std::string, std::string>> tokens = {
      {"not yet valid (nbf)", signer_.token(claims_with("nbf", now + 3600))},
      {"issued in the future", signer_.token(claims_with("iat", now + 3600))},
      {"wrong audience", signer_.token(claims_with("aud", "another-client"))},
      {"wrong issuer", signer_.token(claims_with("iss", "https://evil.example"))},
      {"access token", signer_.token(claims_with("token_use", "access"))},
      {"no expiry", signer_.token(no_exp)},
      {"alg none", forged({{"alg", "none"}, {"typ", "JWT"}}, valid, "")},
      {"alg None with kid", forged({{"alg", "None"}, {"kid", header_kid}}, valid, "")},
      {"HS256 keyed with the JWKS",
       forged({{"alg", "HS256"}, {"kid", header_kid}}, valid, signer_.jwks())},
      {"HS256 keyed with the modulus",
       forged({{"alg", "HS256"}, {"kid", header_kid}}, valid, n_of_jwks)},
      {"unknown kid", forged({{"alg", "RS256"}, {"kid", "other-key"}}, valid, "x")},
  };
  for (const auto& [what, token] : tokens) {
    SCOPED_TRACE(what);
    expect_error(get(kAccount, token), 401, "INVALID_TOKEN");
  }
  expect_error(get(kAccount, signer_.token(claims_with("exp", now - 3600))), 401, "TOKEN_EXPIRED");
  // None of them created an account for the subject.
  EXPECT_FALSE(storage::find_account_by_subject(server_->app().store().reader(), "victim"));
  // The genuine token does.
  EXPECT_EQ(get(kAccount, signer_.token(valid)).result_int(), 200);
}

// API5 (function level): the plan is the account's; a later token cannot raise it.
TEST_F(OwaspJwtTest, Api5APlanClaimCannotUpgradeAnExistingAccount) {
  json::object first = expect_json(get(kAccount, signer_.token(signer_.claims("user-p"))), 200);
  EXPECT_EQ(text_of(first, "plan"), "starter");
  json::object claims = signer_.claims("user-p");
  claims["custom:plan"] = "enterprise";
  json::object again = expect_json(get(kAccount, signer_.token(claims)), 200);
  EXPECT_EQ(text_of(again, "id"), text_of(first, "id"));
  EXPECT_EQ(text_of(again, "plan"), "starter");
}

// ---------------------------------------------------------------------------------------------
// API3: mass assignment and excessive data exposure

TEST_F(OwaspTest, Api3PrivilegedAndUnknownFieldsAreRefusedNamingThemAndChangeNothing) {
  std::map<std::string, std::string> before = snapshot(a_);
  const std::vector<std::pair<std::string, std::string>> privileged = {
      {"account_id", join("\"", b_.account.account_id, "\"")},
      {"plan", "\"enterprise\""},
      {"id", "\"agent-00000000\""},
      {"created_at", "\"2020-01-01T00:00:00.000Z\""},
      {"updated_at", "\"2020-01-01T00:00:00.000Z\""},
      {"secret", "\"whsec_mine\""},
      {"key_hash", "\"00\""},
      {"key", "\"sak_mine\""},
      {"password_sealed", "\"x\""},
      {"verification_status", "\"verified\""},
      {"is_admin", "true"},
  };
  // Valid bodies of every POST and PUT that takes one (the field is added to each).
  struct Write {
    verb method;
    std::string target;
    std::string valid_body;
  };
  std::vector<Write> writes = {
      {verb::post, std::string(kAgents), R"({"name":"n")"},
      {verb::put, a_.path(kAgents, a_.agent_id), R"({"name":"n")"},
      {verb::post, std::string(kSites),
       R"({"url":"https://93.184.216.34/x","name":"n","username":"u","application_password":"p")"},
      {verb::put, a_.path(kSites, a_.site_id), R"({"name":"n")"},
      {verb::post, std::string(kWebhooks),
       join(R"({"url":")", kPublicWebhookUrl, R"(","events":["rank.alert"])")},
      {verb::put, a_.path(kWebhooks, a_.webhook_id), R"({"description":"n")"},
      {verb::post, std::string(kApiKeys), R"({"name":"n")"},
      {verb::post, std::string(kJobs),
       join(R"({"agent_id":")", a_.agent_id, R"(","job_type":"create","keyword":"k")")},
      {verb::post, "/v1/dashboard/analyze", R"({"keyword":"k","content":"Some text.")"},
  };
  int refused = 0;
  for (const Write& write : writes) {
    for (const auto& [name, value] : privileged) {
      SCOPED_TRACE(
          join(std::string(bhttp::to_string(write.method)), " ", write.target, " + ", name));
      std::string body = join(write.valid_body, R"(,")", name, R"(":)", value) + "}";
      expect_validation_error(
          send_with_key(port(), write.method, write.target, a_.account.key, body), name);
      ++refused;
    }
  }
  // Inside a ranking observation too.
  expect_validation_error(
      a().post(
          kRankings,
          join(
              R"({"rankings":[{"site_id":")", a_.site_id,
              R"(","keyword":"k","position":3,"url":"https://93.184.216.34/x","observed_at":"2026-01-01T00:00:00Z","account_id":")",
              b_.account.account_id, R"("}]})")),
      "rankings[0].account_id");
  // A status the API does not let callers set.
  expect_validation_error(a().put(a_.path(kAgents, a_.agent_id), R"({"status":"deleted"})"),
                          "status");
  expect_validation_error(a().put(a_.path(kAgents, a_.agent_id), R"({"status":"archived"})"),
                          "status");
  EXPECT_EQ(refused, static_cast<int>(writes.size() * privileged.size()));
  expect_unchanged(before, snapshot(a_));
  // Nothing was created either: A still has its one agent, site, webhook and two keys.
  EXPECT_EQ(expect_json(a().get(join(kAgents, "?limit=100")), 200).at("data").as_array().size(),
            1u);
  EXPECT_EQ(expect_json(a().get(join(kSites, "?limit=100")), 200).at("data").as_array().size(), 1u);
  EXPECT_EQ(expect_json(a().get(join(kApiKeys, "?limit=100")), 200).at("data").as_array().size(),
            2u);
  // And B's account was not touched by A naming it.
  EXPECT_EQ(expect_json(b().get(join(kAgents, "?limit=100")), 200).at("data").as_array().size(),
            1u);
}

TEST_F(OwaspTest, Api3NoResponseOrLogLineHoldsASecret) {
  // Secrets that exist only because of the creations above (the first server key is printed
  // once on purpose and is not part of this scan).
  std::string master = load_master_key(server_->app().config().data_dir, process_environment());
  std::vector<std::pair<std::string, std::string>> secrets;
  for (const Tenant* tenant : {&a_, &b_}) {
    secrets.emplace_back(join(tenant->name, " api key"), tenant->account.key);
    secrets.emplace_back(join(tenant->name, " api key hash"), sha256_hex(tenant->account.key));
    secrets.emplace_back(join(tenant->name, " spare key"), tenant->spare_key);
    secrets.emplace_back(join(tenant->name, " spare key hash"), sha256_hex(tenant->spare_key));
    secrets.emplace_back(join(tenant->name, " webhook secret"), tenant->webhook_secret);
    secrets.emplace_back(join(tenant->name, " site password"), tenant->site_password);
  }
  secrets.emplace_back("master key (hex)", lowercase_hex(master));
  secrets.emplace_back("master key (base64)", base64_encode(master).substr(0, 40));
  secrets.emplace_back("master key (base64url)", base64url_encode(master).substr(0, 40));
  for (std::string_view purpose : {"secrets", "cursor", "report-urls"}) {
    std::string derived = derive_key(master, purpose);
    secrets.emplace_back(join("derived key ", purpose), lowercase_hex(derived));
    secrets.emplace_back(join("derived key (base64url) ", purpose),
                         base64url_encode(derived).substr(0, 40));
  }
  int scanned = 0;
  for (const Tenant* tenant : {&a_, &b_}) {
    for (const std::string& target : readable_targets(*tenant)) {
      ClientResponse response = tenant->api->get(target);
      EXPECT_EQ(response.result_int(), 200u) << target << ": " << response.body();
      for (const auto& [what, secret] : secrets) {
        ASSERT_FALSE(secret.empty()) << what;
        EXPECT_EQ(response.body().find(secret), std::string::npos) << what << " in GET " << target;
      }
      // No member of any answer is named like a secret store (the OpenAPI document describes
      // them, so it is not looked at for this).
      if (target == "/v1/openapi.json") continue;
      for (std::string_view member : {"application_password", "password", "password_sealed",
                                      "secret_sealed", "key_hash", "\"secret\""}) {
        EXPECT_EQ(response.body().find(member), std::string::npos)
            << member << " in GET " << target;
      }
      ++scanned;
    }
  }
  EXPECT_GE(scanned, 40);
  // The server's log lines (access log off, the rest on at debug) hold none either.
  for (const std::string& line : server_->log_lines()) {
    for (const auto& [what, secret] : secrets)
      EXPECT_EQ(line.find(secret), std::string::npos) << what << " in log line " << line;
  }
}

TEST_F(OwaspTest, Api3SecretsAreShownOnlyInTheAnswerThatCreatesThem) {
  // A rotation shows the new secret once; reading the webhook afterwards does not.
  json::object rotated =
      expect_json(a().post(a_.path(kWebhooks, a_.webhook_id, "/rotate-secret"), ""), 200);
  std::string new_secret = text_of(rotated, "secret");
  ASSERT_FALSE(new_secret.empty());
  EXPECT_NE(new_secret, a_.webhook_secret);
  for (const std::string& target :
       {a_.path(kWebhooks, a_.webhook_id), join(kWebhooks, "?limit=100")}) {
    std::string body = a().get(target).body();
    EXPECT_EQ(body.find(new_secret), std::string::npos) << target;
    EXPECT_EQ(body.find(a_.webhook_secret), std::string::npos) << target;
  }
  // The key list shows prefixes, never a key.
  json::object keys = expect_json(a().get(join(kApiKeys, "?limit=100")), 200);
  for (const json::value& key : keys.at("data").as_array()) {
    EXPECT_FALSE(key.as_object().contains("key")) << json::serialize(key);
    std::string prefix = text_of(key.as_object(), "prefix");
    EXPECT_LT(prefix.size(), 16u) << prefix;
  }
  // A site's answers (create, read, update) never carry its password.
  json::object updated = expect_json(
      a().put(a_.path(kSites, a_.site_id), R"({"application_password":"new pass word"})"), 200);
  EXPECT_FALSE(updated.contains("application_password"));
  EXPECT_EQ(json::serialize(updated).find("new pass word"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// API4: unrestricted resource consumption

TEST_F(OwaspTest, Api4PageSizesAreCappedOnEveryList) {
  std::vector<std::string> lists = {std::string(kAgents),
                                    std::string(kSites),
                                    std::string(kJobs),
                                    std::string(kArticles),
                                    std::string(kWebhooks),
                                    std::string(kApiKeys),
                                    a_.path(kWebhooks, a_.webhook_id, "/deliveries"),
                                    join(kRankings, "?site_id=", a_.site_id)};
  for (const std::string& list : lists) {
    std::string separator = list.find('?') == std::string::npos ? "?" : "&";
    for (std::string_view limit : {"100000", "101", "0", "-1", "1e3", "99999999999999999999"}) {
      SCOPED_TRACE(join(list, separator, "limit=", limit));
      expect_validation_error(a().get(join(list, separator, "limit=", limit)), "limit");
    }
    EXPECT_EQ(a().get(join(list, separator, "limit=100")).result_int(), 200u) << list;
  }
}

TEST_F(OwaspTest, Api4ArraysAndBodiesAreBounded) {
  std::string keywords = R"({"name":"many","keywords":[)";
  for (int i = 0; i < 101; ++i)
    keywords.append(i == 0 ? "" : ",").append(join("\"k", std::to_string(i), "\""));
  keywords.append("]}");
  expect_validation_error(a().post(kAgents, keywords), "keywords");

  std::string observation = join(
      R"({"site_id":")", a_.site_id,
      R"(","keyword":"k","position":3,"url":"https://93.184.216.34/x","observed_at":"2026-01-01T00:00:00Z"})");
  std::string batch = R"({"rankings":[)";
  for (int i = 0; i < 1001; ++i)
    batch.append(i == 0 ? "" : ",").append(observation);
  batch.append("]}");
  expect_validation_error(a().post(kRankings, batch), "rankings");

  // A body over the server's limit (1 MiB by default) is refused before it is read.
  std::string huge = join(R"({"name":")", std::string(1024 * 1024, 'a'), R"("})");
  expect_error(a().post(kAgents, huge), 413, "PAYLOAD_TOO_LARGE");
  EXPECT_EQ(expect_json(a().get(join(kAgents, "?limit=100")), 200).at("data").as_array().size(),
            1u);
}

// ---------------------------------------------------------------------------------------------
// API5: broken function-level authorization

TEST_F(OwaspTest, Api5AccountsCannotAdministerAccountsOverHttp) {
  // The account is read-only over HTTP: plans and limits are set by the operator (CLI).
  for (verb method : {verb::put, verb::post, verb::delete_, verb::patch}) {
    SCOPED_TRACE(std::string(bhttp::to_string(method)));
    ClientResponse response =
        send_with_key(port(), method, kAccount, a_.account.key, R"({"plan":"enterprise"})");
    expect_error(response, 405, "METHOD_NOT_ALLOWED");
  }
  for (std::string_view target : {"/v1/dashboard/accounts", "/v1/admin", "/v1/dashboard/admin",
                                  "/v1/dashboard/accounts/x/plan"}) {
    expect_error(a().get(target), 404, "ROUTE_NOT_FOUND");
  }
  json::object account = expect_json(a().get(kAccount), 200);
  EXPECT_EQ(text_of(account, "plan"), "enterprise");
  EXPECT_EQ(text_of(account, "id"), a_.account.account_id);
  // A header naming another account does not switch to it.
  ClientResponse spoofed = HttpClient(port()).request(
      verb::get, kAccount, {},
      {{"X-API-Key", a_.account.key}, {"X-Account-Id", b_.account.account_id}});
  EXPECT_EQ(text_of(expect_json(spoofed, 200), "id"), a_.account.account_id);
}

TEST(OwaspMetrics, Api5AnApiKeyDoesNotOpenTheMetricsWhenTheyHaveAToken) {
  Config config = quiet_test_config();
  config.metrics.token = "metrics-token-for-the-test";
  TestServer server(std::move(config));
  std::string key = *server.app().first_api_key();
  for (const HeaderList& headers :
       {HeaderList{}, HeaderList{{"X-API-Key", key}},
        HeaderList{{"Authorization", join("Bearer ", key)}},
        HeaderList{{"Authorization", "Bearer metrics-token-for-the-tesT"}}}) {
    EXPECT_EQ(HttpClient(server.port()).request(verb::get, "/metrics", {}, headers).result_int(),
              401u);
  }
  EXPECT_EQ(HttpClient(server.port())
                .request(verb::get, "/metrics", {},
                         {{"Authorization", "Bearer metrics-token-for-the-test"}})
                .result_int(),
            200u);
}

// ---------------------------------------------------------------------------------------------
// API7: server-side request forgery

// Every spelling of a non-public target the write-time guard must refuse.
const std::vector<std::string_view> kNonPublicUrls = {
    "http://127.0.0.1/",
    "http://2130706433/",  // 127.0.0.1 as one decimal number
    "http://0x7f000001/",
    "http://0177.0.0.1/",  // octal
    "http://0x7f.0.0.1/",
    "http://127.1/",
    "http://017700000001/",
    "http://10.0.0.1/",
    "http://10.255.255.255:8080/x",
    "http://172.31.0.1/",
    "http://192.168.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/",
    "http://[0:0:0:0:0:0:0:1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[::ffff:169.254.169.254]/",
    "http://[::127.0.0.1]/",
    "http://[64:ff9b::a00:1]/",
    "http://[2002:7f00:1::]/",
    "http://[fe80::1]/",
    "http://[fd00::1]/",
    "http://0.0.0.0/",
    "http://0/",
    "http://100.64.0.1/",
    "http://localhost/",
    "http://LocalHost:8080/",
    "http://localhost./",
    "http://foo.localhost/",
    "ftp://93.184.216.34/",
    "file:///etc/passwd",
    "gopher://93.184.216.34:70/",
    "javascript:alert(1)",
    "//93.184.216.34/",
    "https://user:pass@93.184.216.34/",
    "https://user@93.184.216.34/",
    "https://93.184.216.34@127.0.0.1/",
    "http://127.0.0.1#@93.184.216.34/",
    "http://93.184.216.34:0/",
    "http://93.184.216.34:70000/",
};

bool is_refused_url(const ClientResponse& response) {
  if (response.result_int() != 400) return false;
  json::object body = body_of(response);
  std::string code = text_of(body, "code");
  return (code == "UNSAFE_URL" || code == "VALIDATION_ERROR") &&
         detail_fields(body).contains("url");
}

TEST_F(OwaspTest, Api7EveryOutboundUrlRefusesNonPublicTargetsAtWriteTime) {
  std::map<std::string, std::string> before = snapshot(a_);
  for (std::string_view url : kNonPublicUrls) {
    SCOPED_TRACE(std::string(url));
    std::string quoted = json::serialize(json::value(url));
    ClientResponse site = a().post(
        kSites,
        join(R"({"url":)", quoted, R"(,"name":"n","username":"u","application_password":"p"})"));
    EXPECT_TRUE(is_refused_url(site)) << site.result_int() << " " << site.body();
    ClientResponse site_update =
        a().put(a_.path(kSites, a_.site_id), join(R"({"url":)", quoted, "}"));
    EXPECT_TRUE(is_refused_url(site_update)) << site_update.body();
    ClientResponse webhook =
        a().post(kWebhooks, join(R"({"url":)", quoted, R"(,"events":["rank.alert"]})"));
    EXPECT_TRUE(is_refused_url(webhook)) << webhook.result_int() << " " << webhook.body();
    ClientResponse webhook_update =
        a().put(a_.path(kWebhooks, a_.webhook_id), join(R"({"url":)", quoted, "}"));
    EXPECT_TRUE(is_refused_url(webhook_update)) << webhook_update.body();
  }
  expect_unchanged(before, snapshot(a_));
}

// Targets stored while --allow-private-targets was on (or whose name resolves to a private
// address only later) are refused again when the server connects: a webhook delivery, a webhook
// ping and a site verification to a loopback receiver never reach it once the option is off.
TEST(OwaspSsrfAtConnection, Api7PrivateTargetsStoredEarlierAreRefusedWhenConnecting) {
  asio::io_context writes;
  TempDirectory data;
  WebhookReceiver receiver;
  std::string key;
  std::string webhook_id;
  std::string site_id;
  {
    Config permissive = test_config_in(data.path());
    permissive.allow_private_targets = true;
    TestServer server(std::move(permissive), TestServer::RouteSetup{}, DataDirectory::keep);
    key = *server.app().first_api_key();
    Api api(server.port(), key);
    webhook_id = text_of(
        api.create(kWebhooks, join(R"({"url":")", receiver.url(), R"(","events":["rank.alert"]})")),
        "id");
    site_id = text_of(
        api.create(kSites, join(R"({"url":"http://127.0.0.1:)", std::to_string(receiver.port()),
                                R"(","name":"n","username":"u","application_password":"p"})")),
        "id");
  }
  Config strict = test_config_in(data.path());
  strict.access_log = false;
  TestServer server(std::move(strict), TestServer::RouteSetup{}, DataDirectory::keep);
  Api api(server.port(), key);
  std::string account_id = default_account_id(server.app().store());
  store_write<bool>(writes, server.app().store(), [&](storage::Connection& db) {
    json::object data_of_event;
    data_of_event["site_id"] = site_id;
    return storage::record_webhook_event(db, account_id, "rank.alert", data_of_event,
                                         storage::now_ms())
        .has_value();
  });
  std::optional<storage::WebhookDelivery> attempted;
  ASSERT_TRUE(eventually([&] {
    auto deliveries = storage::list_webhook_deliveries(server.app().store().reader(), webhook_id,
                                                       true, std::nullopt, 1);
    if (deliveries.empty() || deliveries.front().attempts == 0 || !deliveries.front().last_error)
      return false;
    attempted = deliveries.front();
    return true;
  }));
  EXPECT_FALSE(attempted->last_status_code.has_value());
  EXPECT_NE(attempted->last_error->find("private or loopback"), std::string::npos)
      << *attempted->last_error;

  json::object ping = expect_json(api.post(join(kWebhooks, "/", webhook_id, "/verify"), ""), 200);
  EXPECT_FALSE(ping.at("ok").as_bool());
  EXPECT_NE(text_of(ping, "error").find("private or loopback"), std::string::npos)
      << json::serialize(ping);

  ClientResponse verify = api.post(join(kSites, "/", site_id, "/verify"), "");
  EXPECT_NE(verify.result_int(), 500u) << verify.body();
  EXPECT_EQ(receiver.count(), 0u);
}

// ---------------------------------------------------------------------------------------------
// API8: security misconfiguration

constexpr std::string_view kInternals =
    "sqlite3_step failed: SELECT key_hash FROM api_keys WHERE id = 'k' at "
    "/work/main/storage/accounts.cpp:42";

// Test-only routes whose handlers fail: with internals in a std::exception, and with a
// non-standard exception.
void add_failing_routes(http::Router& router) {
  router.add(
      verb::get, "/v1/test/throws",
      [](http::RequestContext&) -> asio::awaitable<http::Response> {
        throw std::runtime_error(std::string(kInternals));
        co_return http::Response{};
      },
      http::Access::open);
  router.add(
      verb::get, "/v1/test/throws-anything",
      [](http::RequestContext&) -> asio::awaitable<http::Response> {
        throw 42;
        co_return http::Response{};
      },
      http::Access::open);
}

TEST(OwaspInternals, Api8AFailingHandlerAnswers500WithoutInternals) {
  TestServer server(quiet_test_config(), add_failing_routes);
  for (std::string_view target : {"/v1/test/throws", "/v1/test/throws-anything"}) {
    SCOPED_TRACE(std::string(target));
    ClientResponse response = HttpClient(server.port()).request(verb::get, target);
    json::object body = expect_error(response, 500, "INTERNAL_ERROR");
    EXPECT_EQ(member_names(body), (std::set<std::string>{"message", "code", "request_id"}));
    for (std::string_view leak :
         {"sqlite", "SELECT", "key_hash", ".cpp", "runtime_error", "exception", ":42", "/work"}) {
      EXPECT_EQ(response.body().find(leak), std::string::npos) << leak << ": " << response.body();
    }
  }
  // The operator gets the details, under the request id.
  EXPECT_TRUE(server.logged("sqlite3_step failed"));
}

TEST_F(OwaspTest, Api8TraceConnectAndUnknownMethodsEchoNothing) {
  constexpr std::string_view kMarker = "echo-marker-7f3a";
  for (std::string_view request_line :
       {"TRACE /v1/dashboard/agents HTTP/1.1", "TRACE /health HTTP/1.1",
        "TRACK /v1/dashboard/agents HTTP/1.1", "FOO /v1/dashboard/agents HTTP/1.1",
        "CONNECT 93.184.216.34:443 HTTP/1.1", "CONNECT /v1/dashboard/agents HTTP/1.1"}) {
    SCOPED_TRACE(std::string(request_line));
    std::string raw = join(request_line, "\r\nHost: 127.0.0.1\r\nX-API-Key: ", a_.account.key,
                           "\r\nX-Marker: ", kMarker);
    raw.append("\r\nConnection: close\r\nContent-Length: 16\r\n\r\necho-marker-body");
    RawResult result = raw_exchange(port(), raw);
    std::vector<ClientResponse> responses = parse_responses(result.bytes);
    ASSERT_FALSE(responses.empty()) << result.bytes;
    unsigned status = responses.front().result_int();
    EXPECT_TRUE(status == 400 || status == 405 || status == 501) << status;
    EXPECT_EQ(result.bytes.find(kMarker), std::string::npos) << result.bytes;
    EXPECT_EQ(result.bytes.find("echo-marker-body"), std::string::npos) << result.bytes;
    EXPECT_EQ(result.bytes.find(a_.account.key), std::string::npos) << result.bytes;
    EXPECT_EQ(responses.front()[bhttp::field::content_type].find("message/http"),
              std::string::npos);
  }
}

TEST_F(OwaspTest, Api8CorsIsLockedDown) {
  constexpr std::string_view kEvil = "https://evil.example";
  // An actual request from a disallowed origin is served (it is the browser that refuses) but
  // carries no CORS header at all.
  ClientResponse actual = HttpClient(port()).request(
      verb::get, kAgents, {}, {{"X-API-Key", a_.account.key}, {"Origin", std::string(kEvil)}});
  EXPECT_EQ(actual.result_int(), 200u);
  for (bhttp::field field :
       {bhttp::field::access_control_allow_origin, bhttp::field::access_control_allow_credentials,
        bhttp::field::access_control_allow_methods, bhttp::field::access_control_allow_headers})
    EXPECT_EQ(actual.find(field), actual.end()) << field;
  // Look-alikes of allowed origins are not allowed.
  for (std::string_view origin : {"http://localhost.evil.example", "http://127.0.0.1.evil.example",
                                  "null", "http://localhost:5173/", "HTTP://LOCALHOST:5173"}) {
    SCOPED_TRACE(std::string(origin));
    ClientResponse response = HttpClient(port()).request(
        verb::get, kAgents, {}, {{"X-API-Key", a_.account.key}, {"Origin", std::string(origin)}});
    EXPECT_EQ(response.find(bhttp::field::access_control_allow_origin), response.end());
  }
  // A preflight from a disallowed origin allows nothing.
  ClientResponse preflight = HttpClient(port()).request(
      verb::options, kAgents, {},
      {{"Origin", std::string(kEvil)}, {"Access-Control-Request-Method", "DELETE"}});
  EXPECT_EQ(preflight.find(bhttp::field::access_control_allow_origin), preflight.end());
  EXPECT_EQ(preflight.find(bhttp::field::access_control_allow_methods), preflight.end());
  // From an allowed origin, the preflight lists only the path's methods and the API's headers:
  // a method or header outside them is not granted; the origin is echoed, never "*", and
  // credentials (cookies) are never allowed.
  ClientResponse allowed =
      HttpClient(port()).request(verb::options, a_.path(kAgents, a_.agent_id), {},
                                 {{"Origin", "http://localhost:5173"},
                                  {"Access-Control-Request-Method", "TRACE"},
                                  {"Access-Control-Request-Headers", "X-Evil, Cookie"}});
  EXPECT_EQ(allowed[bhttp::field::access_control_allow_origin], "http://localhost:5173");
  std::string methods(allowed[bhttp::field::access_control_allow_methods]);
  std::string headers(allowed[bhttp::field::access_control_allow_headers]);
  EXPECT_EQ(methods.find("TRACE"), std::string::npos) << methods;
  EXPECT_EQ(methods.find("POST"), std::string::npos) << methods;
  EXPECT_EQ(headers.find("X-Evil"), std::string::npos) << headers;
  EXPECT_EQ(headers.find("Cookie"), std::string::npos) << headers;
  EXPECT_EQ(allowed.find(bhttp::field::access_control_allow_credentials), allowed.end());
  // No response of the API ever answers "*".
  for (const ClientResponse& response : {actual, preflight, allowed})
    EXPECT_NE(response[bhttp::field::access_control_allow_origin], "*");
}

TEST_F(OwaspTest, Api8SecurityHeadersAreOnEveryApiAnswer) {
  std::vector<ClientResponse> answers = {
      a().get(kAgents),                                   // authenticated, 200
      a().get(a_.path(kSites, a_.site_id)),               // an object
      b().get(a_.path(kSites, a_.site_id)),               // 403
      a().get(a_.path(kSites, "site-00000000")),          // 404
      Api(port(), "garbage").get(kAgents),                // 401
      a().post(kAgents, "{"),                             // 400
      HttpClient(port()).request(verb::get, "/nowhere"),  // 404 route
      HttpClient(port()).request(verb::get, "/health"),   // open
  };
  for (const ClientResponse& response : answers) {
    SCOPED_TRACE(join(std::to_string(response.result_int()), " ", response.body().substr(0, 80)));
    EXPECT_EQ(response["X-Content-Type-Options"], "nosniff");
    EXPECT_NE(response[bhttp::field::cache_control].find("no-store"), std::string::npos);
    EXPECT_EQ(response.find("X-Powered-By"), response.end());
    // The Server header names the product, not its version.
    EXPECT_EQ(response[bhttp::field::server], "seoagents");
  }
  // A handler's own caching policy is kept (the OpenAPI document is public and cacheable).
  ClientResponse document = HttpClient(port()).request(verb::get, "/v1/openapi.json");
  EXPECT_EQ(document[bhttp::field::cache_control], "public, max-age=300");
  EXPECT_EQ(document["X-Content-Type-Options"], "nosniff");
}

// ---------------------------------------------------------------------------------------------
// API1 over the WebSocket progress channel

TEST_F(OwaspTest, Api1AWebSocketSubscriptionToAnotherAccountsJobIsRefusedAndGetsNoEvents) {
  WsClient client(port());
  ASSERT_FALSE(client.upgrade("/v1/ws", {{"X-API-Key", b_.account.key}}));
  // A's finished job: refused, and none of its stored events is replayed.
  ASSERT_FALSE(client.send(join(R"({"action":"subscribe","job_id":")", a_.job_id, R"("})")));
  json::object refused = client.read_json();
  EXPECT_EQ(text_of(refused, "type"), "error");
  EXPECT_EQ(text_of(refused, "code"), "FORBIDDEN");
  // A job of A's started while B is connected, and one of B's own: B sees only its own.
  std::string a_live = join(R"({"agent_id":")", a_.agent_id,
                            R"(","job_type":"create","keyword":"custom trade show booth"})");
  std::string a_job = text_of(expect_json(a().post(kJobs, a_live), 202), "job_id");
  ASSERT_FALSE(client.send(join(R"({"action":"subscribe","job_id":")", a_job, R"("})")));
  json::object refused_live = client.read_json();
  EXPECT_EQ(text_of(refused_live, "code"), "FORBIDDEN");
  std::string b_live = join(R"({"agent_id":")", b_.agent_id,
                            R"(","job_type":"create","keyword":"custom trade show booth"})");
  std::string b_job = text_of(expect_json(b().post(kJobs, b_live), 202), "job_id");
  ASSERT_FALSE(client.send(join(R"({"action":"subscribe","job_id":")", b_job, R"("})")));
  bool b_final = false;
  while (!b_final) {
    auto text = client.read();
    ASSERT_TRUE(text.has_value()) << "the connection ended before B's job finished";
    json::object message = json::parse(*text).as_object();
    std::string job = text_of(message, "job_id");
    EXPECT_EQ(job, b_job) << *text;
    EXPECT_EQ(text->find(a_.job_id), std::string::npos) << *text;
    EXPECT_EQ(text->find(a_job), std::string::npos) << *text;
    std::string type = text_of(message, "type");
    b_final = type == "completed" || type == "failed" || type == "cancelled";
  }
}

}  // namespace
}  // namespace seoagents::testing
