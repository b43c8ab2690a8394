// Audit jobs end to end, and the presigned links to their reports. Against the real WordPress
// (the peer started by ../shared/wordpress/wp-peer.sh; skipped without it, like
// sites_wordpress_test.cpp): the test publishes a strong post (keyphrase in title, introduction
// and subheadings, long enough, links, an image with alt text, a meta description) and a weak one
// (short, no subheadings, no links) with titles unique to the run, audits the site, and reads
// the report through its presigned link without credentials: both posts are there, the weak one
// ranks worse, the counts add up, audit.completed was recorded with the same summary, and a
// tampered or expired link is 403. Other engineers publish on the same WordPress meanwhile, so
// nothing here assumes the site holds only these posts. Without WordPress: an unreachable site
// fails the job with the reason, and the report routes refuse bad links.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cmath>
#include <memory>
#include <optional>
#include <regex>
#include <string>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/master_key.hpp"
#include "core/presigned_url.hpp"
#include "core/random_id.hpp"
#include "storage/jobs.hpp"
#include "tests/support/api_helpers.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/wordpress_peer.hpp"

namespace seoagents::testing {
namespace {

constexpr std::string_view kSites = "/v1/dashboard/sites";
constexpr std::string_view kJobs = "/v1/dashboard/jobs";
constexpr std::string_view kReports = "/v1/dashboard/reports/";

// A loopback port nothing listens on (bound, then closed).
std::uint16_t closed_port() {
  asio::io_context context;
  asio::ip::tcp::acceptor acceptor(
      context, asio::ip::tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), 0));
  std::uint16_t port = acceptor.local_endpoint().port();
  acceptor.close();
  return port;
}

// ---- Seeding WordPress through its REST API ----

// Publishes a post and returns its id.
std::int64_t publish_post(const WordPressRest& wordpress, const json::object& post) {
  ClientResponse response = wordpress.post("wp/v2/posts", json::serialize(post));
  EXPECT_EQ(response.result_int(), 201u) << response.body();
  return json::parse(response.body()).at("id").as_int64();
}

// A well-optimised post for "sourdough starter feeding": the keyphrase in the title, the first
// sentence, half the subheadings, the slug, the meta description and an image's alt text; about
// 600 words of short sentences with transition words; an internal and an outbound link.
json::object strong_post(const std::string& run, const std::string& site_url) {
  std::string html =
      "<p>Sourdough starter feeding is the habit that keeps a starter lively. This guide shows "
      "how often to feed it, how much flour to use and what to watch for.</p>";
  const char* topics[] = {"flour", "water", "timing", "temperature", "smell", "storage"};
  for (int section = 0; section < 6; ++section) {
    html += section % 2 == 0 ? join("<h2>Sourdough starter feeding and ", topics[section], "</h2>")
                             : join("<h2>Why ", topics[section], " matters</h2>");
    for (int paragraph = 0; paragraph < 2; ++paragraph) {
      html += join("<p>First, look at the ", topics[section],
                   ". A healthy starter rises within a few hours. However, a cold kitchen slows "
                   "it down. For example, a starter kept at twenty degrees needs less food. ",
                   "Therefore, adjust the schedule to the room. ");
      html += paragraph == 0 ? "Regular sourdough starter feeding keeps the yeast strong. "
                             : "Bakers note the rise in a small notebook. ";
      html += "As a result, the bread tastes better and the crumb stays open.</p>";
    }
  }
  html += join("<p>Read our <a href=\"", site_url,
               "/bread-basics/\">bread basics</a> and the "
               "<a href=\"https://en.wikipedia.org/wiki/Sourdough\">history of sourdough</a>.</p>");
  html +=
      "<p><img src=\"https://upload.wikimedia.org/starter.jpg\" alt=\"sourdough starter feeding "
      "in a glass jar\"></p>";
  json::object post;
  post["title"] = join("Sourdough Starter Feeding: A Practical Guide ", run);
  post["slug"] = join("sourdough-starter-feeding-", run);
  post["status"] = "publish";
  post["content"] = html;
  post["excerpt"] =
      "Sourdough starter feeding made simple: how often to feed your starter, how much flour and "
      "water to use, and the signs that it is ready to bake.";
  return post;
}

// A post that fails most assessments: short, no subheadings, no links, no meta description,
// and its title's keyphrase nowhere in the text.
json::object weak_post(const std::string& run) {
  json::object post;
  post["title"] = join("Misc Thoughts: ", run);
  post["status"] = "publish";
  post["content"] = "<p>Some notes. Things happened this week. More later, maybe.</p>";
  return post;
}

std::string site_body(const std::string& url, const std::string& user,
                      const std::string& password) {
  json::object body;
  body["url"] = url;
  body["name"] = "Audited";
  body["username"] = user;
  body["application_password"] = password;
  return json::serialize(body);
}

// Where a report link points, split into the path and the query values.
struct LinkParts {
  std::string base;
  std::string report_id;
  std::string expires;
  std::string signature;

  std::string target() const {
    return join(kReports, report_id, join("?expires=", expires, "&signature=", signature));
  }
};

LinkParts parts_of(const std::string& url) {
  static const std::regex kLink(
      R"(^(http://127\.0\.0\.1:\d+)/v1/dashboard/reports/(report-[0-9a-f]{8})\?expires=(\d+)&signature=([0-9a-f]{64})$)");
  std::smatch m;
  EXPECT_TRUE(std::regex_match(url, m, kLink)) << url;
  if (m.empty()) return {};
  return {m[1], m[2], m[3], m[4]};
}

class AuditTest : public ::testing::Test {
 protected:
  void start(unsigned max_attempts = 3) {
    Config config = test_config();
    config.allow_private_targets = true;
    config.jobs.max_attempts = max_attempts;
    // The peer is shared: read it all, whatever others published.
    config.audit.max_pages = 10000;
    data_dir_ = config.data_dir;
    server_ = std::make_unique<TestServer>(std::move(config));
    api_ = std::make_unique<Api>(server_->port(), *server_->app().first_api_key());
  }

  storage::Store& store() { return server_->app().store(); }

  std::string create_site(const std::string& url, const std::string& user,
                          const std::string& password) {
    return text_of(api_->create(kSites, site_body(url, user, password)), "id");
  }

  // Submits an audit of `site_id` (202) and returns the job id.
  std::string submit_audit(const std::string& site_id) {
    std::string agent = text_of(
        api_->create("/v1/dashboard/agents", R"({"name":"Auditor","keywords":["bread"]})"), "id");
    json::object accepted = expect_json(
        api_->post(kJobs, join(R"({"agent_id":")", agent, R"(","job_type":"audit","site_id":")",
                               site_id, R"("})")),
        202);
    std::string id = text_of(accepted, "job_id");
    EXPECT_TRUE(std::regex_match(id, std::regex("^audit-[0-9a-f]{8}$"))) << id;
    return id;
  }

  // Waits for the job to finish and returns it.
  storage::Job finished(const std::string& id) {
    std::optional<storage::Job> job;
    EXPECT_TRUE(eventually(
        [&] {
          job = storage::find_job(store().reader(), id);
          return job && (job->status == "completed" || job->status == "failed");
        },
        std::chrono::minutes(2)));
    if (!job) throw std::runtime_error("no job " + id);
    return *job;
  }

  void subscribe_to(std::string_view type) {
    std::string sql = join(
        "INSERT INTO webhooks (id, account_id, url, events, secret_sealed, created_at, "
        "updated_at) VALUES ('wh-0000000b', '",
        default_account_id(store()), "', 'http://127.0.0.1:9/hook', '[\"", type,
        "\"]', x'00', 0, 0)");
    store_write<bool>(writes_, store(), [sql](storage::Connection& db) {
      db.exec(sql);
      return true;
    });
  }

  // A link to `report_id` signed with the server's key, expiring at `expires` (Unix s).
  std::string signed_target(const std::string& report_id, std::int64_t expires) {
    UrlSigner signer(derive_key(load_master_key(data_dir_, process_environment()), "report-urls"));
    return signer.sign(join(kReports, report_id), expires);
  }

  ClientResponse get_without_credentials(std::string_view target) {
    return HttpClient(server_->port()).request(bhttp::verb::get, target);
  }

  asio::io_context writes_;
  std::string data_dir_;
  std::unique_ptr<TestServer> server_;
  std::unique_ptr<Api> api_;
};

// The page of `pages` with WordPress id `id`, and its index; -1 when absent.
std::pair<int, json::object> find_page(const json::array& pages, std::int64_t id) {
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const json::object& page = pages[i].as_object();
    if (page.at("id").as_int64() == id) return {static_cast<int>(i), page};
  }
  return {-1, {}};
}

std::int64_t issues_of(const json::object& page, std::string_view severity) {
  std::int64_t count = 0;
  for (const json::value& issue : page.at("issues").as_array())
    count += issue.as_object().at("severity").as_string() == severity ? 1 : 0;
  return count;
}

// ---------------------------------------------------------------------------------------------
// Against WordPress

TEST_F(AuditTest, AuditRanksTheSeededPostsAndServesTheReportByItsLink) {
  auto peer = wordpress_peer();
  if (!peer) GTEST_SKIP() << kWordPressHowToEnable;
  start();
  subscribe_to("audit.completed");
  WordPressRest wordpress(*peer);
  std::string run = secure_random_hex(4);
  std::int64_t strong = publish_post(wordpress, strong_post(run, peer->url));
  std::int64_t weak = publish_post(wordpress, weak_post(run));
  std::string job_id = submit_audit(create_site(peer->url, peer->user, peer->password));
  storage::Job job = finished(job_id);
  EXPECT_TRUE(wordpress.delete_post(strong));
  EXPECT_TRUE(wordpress.delete_post(weak));
  ASSERT_EQ(job.status, "completed") << job.error.value_or("");

  // Progress: fetch → analyze → report.
  std::vector<std::string> steps;
  for (const storage::JobEvent& event : storage::list_job_events(store().reader(), job_id, {}))
    steps.push_back(event.step);
  for (std::string_view step : {"fetch", "analyze", "report"})
    EXPECT_NE(std::find(steps.begin(), steps.end(), step), steps.end()) << step;

  json::object result = json::parse(job.result.value_or("{}")).as_object();
  EXPECT_EQ(
      member_names(result),
      (std::set<std::string>{"job_id", "site_id", "report_id", "site_score", "readability_score",
                             "pages", "issues", "capped", "report_url", "report_url_expires_at"}));
  LinkParts link = parts_of(text_of(result, "report_url"));
  EXPECT_EQ(link.base, join("http://127.0.0.1:", std::to_string(server_->port())));
  EXPECT_EQ(text_of(result, "report_id"), link.report_id);

  // The report, without credentials.
  ClientResponse served = get_without_credentials(link.target());
  json::object report = expect_json(served, 200);
  EXPECT_EQ(text_of(report, "report_id"), link.report_id);
  EXPECT_EQ(text_of(report, "job_id"), job_id);
  EXPECT_EQ(text_of(report, "site_url"), peer->url);
  const json::object& summary = report.at("summary").as_object();
  const json::array& pages = report.at("pages").as_array();

  auto [strong_index, strong_page] = find_page(pages, strong);
  auto [weak_index, weak_page] = find_page(pages, weak);
  ASSERT_GE(strong_index, 0) << "the strong post is in the report";
  ASSERT_GE(weak_index, 0) << "the weak post is in the report";
  EXPECT_LT(weak_index, strong_index) << "worst pages first";
  EXPECT_LT(weak_page.at("seo_score").as_int64(), strong_page.at("seo_score").as_int64());
  EXPECT_GE(strong_page.at("seo_score").as_int64(), 70) << json::serialize(strong_page);
  EXPECT_GT(issues_of(weak_page, "high"), issues_of(strong_page, "high"));
  EXPECT_EQ(text_of(strong_page, "focus_keyphrase"), "sourdough starter feeding");
  EXPECT_EQ(text_of(strong_page, "focus_keyphrase_source"), "title");
  EXPECT_EQ(text_of(strong_page, "meta_description_source"), "excerpt");
  EXPECT_EQ(text_of(weak_page, "meta_description_source"), "none");
  EXPECT_EQ(text_of(weak_page, "type"), "post");
  for (const json::value& issue : weak_page.at("issues").as_array()) {
    EXPECT_EQ(member_names(issue.as_object()),
              (std::set<std::string>{"id", "category", "rating", "severity", "message"}));
    EXPECT_NE(issue.as_object().at("rating").as_string(), "good");
  }

  // The counts add up over the pages, and the worst pages come first.
  std::int64_t high = 0, medium = 0, low = 0, score_total = 0;
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const json::object& page = pages[i].as_object();
    high += issues_of(page, "high");
    medium += issues_of(page, "medium");
    low += issues_of(page, "low");
    score_total += page.at("seo_score").as_int64();
    if (i > 0) {
      EXPECT_LE(pages[i - 1].as_object().at("seo_score").as_int64(),
                page.at("seo_score").as_int64());
    }
  }
  const json::object& issues = summary.at("issues").as_object();
  EXPECT_EQ(issues.at("high").as_int64(), high);
  EXPECT_EQ(issues.at("medium").as_int64(), medium);
  EXPECT_EQ(issues.at("low").as_int64(), low);
  EXPECT_EQ(summary.at("pages").as_int64(), static_cast<std::int64_t>(pages.size()));
  EXPECT_EQ(summary.at("site_score").as_int64(),
            std::lround(static_cast<double>(score_total) / pages.size()));
  EXPECT_EQ(result.at("site_score"), summary.at("site_score"));
  EXPECT_EQ(result.at("issues"), summary.at("issues"));
  EXPECT_EQ(result.at("pages"), summary.at("pages"));

  // audit.completed, recorded with the report: the same summary and a link that works.
  storage::Query events =
      store().reader().query("SELECT payload FROM webhook_events WHERE type = 'audit.completed'");
  ASSERT_TRUE(events->step());
  json::object data = json::parse(events->text(0)).at("data").as_object();
  EXPECT_FALSE(events->step()) << "one event per audit";
  EXPECT_EQ(text_of(data, "job_id"), job_id);
  EXPECT_EQ(text_of(data, "report_id"), link.report_id);
  EXPECT_EQ(data.at("site_score"), summary.at("site_score"));
  EXPECT_EQ(data.at("issues"), summary.at("issues"));
  EXPECT_EQ(data.at("pages"), summary.at("pages"));
  expect_json(get_without_credentials(parts_of(text_of(data, "report_url")).target()), 200);

  // Tampered or expired links are refused.
  LinkParts tampered = link;
  tampered.signature[5] = tampered.signature[5] == '0' ? '1' : '0';
  expect_error(get_without_credentials(tampered.target()), 403, "FORBIDDEN");
  LinkParts extended = link;
  extended.expires = std::to_string(std::stoll(link.expires) + 3600);
  expect_error(get_without_credentials(extended.target()), 403, "FORBIDDEN");
  LinkParts other_report = link;
  other_report.report_id = "report-00000000";
  expect_error(get_without_credentials(other_report.target()), 403, "FORBIDDEN");
  expect_error(get_without_credentials(join(kReports, link.report_id)), 403, "FORBIDDEN");
  std::int64_t past = unix_seconds(std::chrono::system_clock::now()) - 60;
  json::object expired =
      expect_error(get_without_credentials(signed_target(link.report_id, past)), 403, "FORBIDDEN");
  EXPECT_NE(text_of(expired, "message").find("expired"), std::string::npos);

  // A fresh link for the account that owns the report; 403 for another account.
  json::object fresh = expect_json(api_->get(join(kReports, link.report_id, "/link")), 200);
  EXPECT_EQ(fresh.at("site_score"), summary.at("site_score"));
  expect_json(get_without_credentials(parts_of(text_of(fresh, "report_url")).target()), 200);
  TestAccount other = create_account_with_key(writes_, store(), "tenant-b");
  Api b(server_->port(), other.key);
  expect_error(b.get(join(kReports, link.report_id, "/link")), 403, "FORBIDDEN");
}

TEST_F(AuditTest, AWrongApplicationPasswordFailsTheJobAtOnce) {
  auto peer = wordpress_peer();
  if (!peer) GTEST_SKIP() << kWordPressHowToEnable;
  start();
  storage::Job job =
      finished(submit_audit(create_site(peer->url, peer->user, "wrong pass word 0000")));
  EXPECT_EQ(job.status, "failed");
  EXPECT_EQ(job.attempts, 1) << "refused credentials are not retried";
  EXPECT_NE(job.error.value_or("").find("HTTP 401"), std::string::npos) << job.error.value_or("");
}

// ---------------------------------------------------------------------------------------------
// Without WordPress

TEST_F(AuditTest, AnUnreachableSiteFailsTheJobWithTheReason) {
  start(1);
  std::string url = join("http://127.0.0.1:", std::to_string(closed_port()));
  storage::Job job = finished(submit_audit(create_site(url, "editor", "abcd efgh ijkl mnop")));
  EXPECT_EQ(job.status, "failed");
  EXPECT_NE(job.error.value_or("").find("Could not read the site's posts"), std::string::npos)
      << job.error.value_or("");
}

TEST_F(AuditTest, ReportLinksAreCheckedBeforeAnythingIsRead) {
  start();
  std::int64_t later = unix_seconds(std::chrono::system_clock::now()) + 3600;
  expect_error(get_without_credentials(join(kReports, "report-00000000")), 403, "FORBIDDEN");
  expect_error(
      get_without_credentials(join(kReports, "report-00000000?expires=", std::to_string(later),
                                   "&signature=", std::string(64, 'a'))),
      403, "FORBIDDEN");
  expect_error(get_without_credentials(join(kReports, "report-00000000?expires=soon&signature=x")),
               403, "FORBIDDEN");
  // A genuine link to a report that does not exist.
  expect_error(get_without_credentials(signed_target("report-00000000", later)), 404,
               "RESOURCE_NOT_FOUND");
  // The fresh-link route needs credentials.
  expect_error(get_without_credentials(join(kReports, "report-00000000/link")), 401,
               "UNAUTHORIZED");
  expect_error(api_->get(join(kReports, "report-00000000/link")), 404, "RESOURCE_NOT_FOUND");
}

}  // namespace
}  // namespace seoagents::testing
