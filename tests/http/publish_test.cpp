// Publish jobs over the wire against a real WordPress (the peer ../shared/wordpress/wp-peer.sh
// starts): an article written by the builtin writer published as a draft, then as published
// (read back through WordPress's REST API: title, status, slug, excerpt, headings), republished
// to the same post, recreated after the post was deleted, restored from the trash; a wrong
// application password failing at once; a site that is down and then up, and a create whose
// answer was lost, retried without a second post; elementor_publish on a site without Elementor
// published with a warning; the reference's publish example verbatim; GET /articles and the
// article.published event. Bad submissions are refused without WordPress.
//
// The WordPress tests run when SEOAGENTS_WP_ENV_FILE names the env file wp-peer.sh prints (or
// WP_URL, WP_USER and WP_APP_PASSWORD are set); otherwise they are skipped. The server runs
// with --allow-private-targets on, since the peer listens on loopback. Every post a test made is
// deleted at its end.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "core/crypto.hpp"
#include "core/random_id.hpp"
#include "jobs/article_file.hpp"
#include "storage/agents.hpp"
#include "storage/articles.hpp"
#include "storage/jobs.hpp"
#include "tests/support/api_helpers.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/flaky_proxy.hpp"
#include "tests/support/test_server.hpp"
#include "tests/support/wordpress_peer.hpp"

namespace seoagents::testing {
namespace {

constexpr std::string_view kJobs = "/v1/dashboard/jobs";
constexpr std::string_view kSites = "/v1/dashboard/sites";
const std::regex kTimestamp(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$)");

// The marker the server leaves in a post's content (computed here from its definition:
// "seoagents-article-" + the first 16 hex digits of SHA-256 of the article's key).
std::string marker_of(std::string_view s3_key) {
  return "seoagents-article-" + sha256_hex(s3_key).substr(0, 16);
}

std::string raw_of(const json::object& post, std::string_view field) {
  return std::string(post.at(field).as_object().at("raw").as_string());
}

std::int64_t id_of(const json::object& post) {
  return post.at("id").as_int64();
}

// The "## " headings of a Markdown body.
std::vector<std::string> section_headings(const std::string& markdown) {
  std::vector<std::string> headings;
  std::size_t at = 0;
  while (at < markdown.size()) {
    std::size_t end = markdown.find('\n', at);
    if (end == std::string::npos) end = markdown.size();
    if (markdown.compare(at, 3, "## ") == 0)
      headings.push_back(markdown.substr(at + 3, end - at - 3));
    at = end + 1;
  }
  return headings;
}

Config publish_config() {
  Config config = test_config();
  config.allow_private_targets = true;
  config.access_log = false;
  config.content.writer = "builtin";
  config.jobs.max_attempts = 4;
  return config;
}

// A server, an agent of its first account, and article helpers; WordPress is added by the
// fixture below.
class PublishFixture : public ::testing::Test {
 protected:
  void start_server() {
    server_.emplace(publish_config());
    api_.emplace(server_->port(), *server_->app().first_api_key());
    account_id_ = default_account_id(store());
  }

  storage::Store& store() { return server_->app().store(); }

  std::string create_site(std::string_view url, std::string_view user, std::string_view password,
                          const Api* api = nullptr) {
    json::object body;
    body["url"] = url;
    body["name"] = "Peer";
    body["username"] = user;
    body["application_password"] = password;
    return text_of((api ? *api : *api_).create(kSites, json::serialize(body)), "id");
  }

  std::string create_agent(std::string_view keyword, const std::string& site_id,
                           const Api* api = nullptr) {
    json::object body;
    body["name"] = "Publishing Agent";
    body["keywords"] = json::array{json::value(keyword)};
    body["tone"] = "professional";
    body["word_target"] = 800;
    if (!site_id.empty()) body["site_id"] = site_id;
    return text_of((api ? *api : *api_).create("/v1/dashboard/agents", json::serialize(body)),
                   "id");
  }

  std::string submit(const json::object& body) {
    return text_of(expect_json(api_->post(kJobs, json::serialize(body)), 202), "job_id");
  }

  // Waits for the job to end (polling the store, not the rate-limited API).
  storage::Job finished(const std::string& id) {
    std::optional<storage::Job> job;
    bool done = eventually([&] {
      job = storage::find_job(store().reader(), id);
      return job && storage::is_finished_status(job->status);
    });
    EXPECT_TRUE(done) << id;
    return *job;
  }

  json::object result_of(const storage::Job& job) {
    EXPECT_EQ(job.status, "completed") << job.id << ": " << job.error.value_or("");
    if (!job.result) return {};
    return json::parse(*job.result).as_object();
  }

  // A create job with the builtin writer for `keyword`; the article's key.
  std::string create_article(const std::string& agent_id, std::string_view keyword) {
    json::object body;
    body["agent_id"] = agent_id;
    body["job_type"] = "create";
    body["keyword"] = keyword;
    return text_of(result_of(finished(submit(body))), "s3_key");
  }

  jobs::ArticleFile article_file(const std::string& s3_key) {
    auto bytes = server_->app().objects().get(s3_key, 1 << 22);
    EXPECT_TRUE(bytes) << s3_key;
    auto file = jobs::parse_article_file(bytes ? *bytes : std::string());
    EXPECT_TRUE(file) << s3_key;
    return file.value_or(jobs::ArticleFile{});
  }

  std::optional<storage::Article> article(const std::string& s3_key) {
    return storage::find_article(store().reader(), s3_key);
  }

  std::vector<std::string> steps_of(const std::string& job_id) {
    std::vector<std::string> steps;
    for (const storage::JobEvent& event :
         storage::list_job_events(store().reader(), job_id, std::nullopt))
      steps.push_back(event.step);
    return steps;
  }

  // Declared before the server: the store's writer thread posts to it (see store_write).
  asio::io_context context_;
  std::optional<TestServer> server_;
  std::optional<Api> api_;
  std::string account_id_;
};

class PublishTest : public PublishFixture {
 protected:
  void SetUp() override {
    peer_ = wordpress_peer();
    if (!peer_) GTEST_SKIP() << kWordPressHowToEnable;
    wordpress_.emplace(*peer_);
    start_server();
    site_id_ = create_site(peer_->url, peer_->user, peer_->password);
    // Slugs unique to this run: WordPress keeps what earlier runs left behind.
    keyword_ = "exhibit budget " + secure_random_hex(4);
    agent_id_ = create_agent(keyword_, site_id_);
  }

  // Every post of the articles this test published goes (the trash included).
  void TearDown() override {
    if (!wordpress_) return;
    for (const std::string& s3_key : published_) {
      for (const json::object& post : wordpress_->posts_containing(marker_of(s3_key)))
        wordpress_->delete_post(id_of(post));
    }
  }

  json::object publish_body(const std::string& s3_key, std::string_view status,
                            std::string_view action = "publish", std::string site_id = {}) {
    published_.insert(s3_key);
    json::object body;
    body["agent_id"] = agent_id_;
    body["job_type"] = "publish";
    body["s3_key"] = s3_key;
    body["publish_action"] = action;
    body["status_on_publish"] = status;
    if (!site_id.empty()) body["site_id"] = site_id;
    return body;
  }

  storage::Job publish(const std::string& s3_key, std::string_view status,
                       std::string_view action = "publish", std::string site_id = {}) {
    return finished(submit(publish_body(s3_key, status, action, std::move(site_id))));
  }

  json::object wordpress_post(std::int64_t id) {
    auto post = wordpress_->post_by_id(id);
    EXPECT_TRUE(post) << "post " << id << " is not on the site";
    return post.value_or(json::object{});
  }

  // The post holds the article: title, status, slug, excerpt, every section heading, marker.
  void expect_post_holds(const json::object& post, const std::string& s3_key,
                         std::string_view status) {
    jobs::ArticleFile file = article_file(s3_key);
    EXPECT_EQ(raw_of(post, "title"), file.title);
    EXPECT_EQ(text_of(post, "status"), status);
    EXPECT_EQ(text_of(post, "slug"), file.slug);
    EXPECT_EQ(raw_of(post, "excerpt"), file.meta_description);
    std::string content = raw_of(post, "content");
    std::vector<std::string> headings = section_headings(file.body_markdown);
    EXPECT_GE(headings.size(), 3u);
    for (const std::string& heading : headings)
      EXPECT_NE(content.find(join("<h2>", heading, "</h2>")), std::string::npos) << heading;
    EXPECT_NE(content.find(join("<!-- ", marker_of(s3_key), " -->")), std::string::npos);
  }

  // A webhook of the account subscribed to article.published, written straight into the store
  // (the webhook API is not this test's subject): record_webhook_event writes an event only when
  // one subscribes.
  void subscribe_to_article_published() {
    store_write<bool>(context_, store(), [this](storage::Connection& db) {
      db.query(
            "INSERT INTO webhooks (id, account_id, url, events, secret_sealed, created_at, "
            "updated_at) VALUES ('wh-publish1', ?1, 'http://127.0.0.1:9/', "
            "'[\"article.published\"]', x'00', 0, 0)")
          ->bind(1, account_id_)
          .run();
      return true;
    });
  }

  // The data of every article.published event of the account, oldest first.
  std::vector<json::object> published_events() {
    std::vector<json::object> events;
    storage::Query query = store().reader().query(
        "SELECT payload FROM webhook_events WHERE account_id = ?1 AND type = "
        "'article.published' ORDER BY created_at, rowid");
    query->bind(1, account_id_);
    while (query->step()) {
      json::object payload = json::parse(query->text(0)).as_object();
      EXPECT_EQ(text_of(payload, "type"), "article.published");
      events.push_back(payload.at("data").as_object());
    }
    return events;
  }

  std::optional<WordPressPeer> peer_;
  std::optional<WordPressRest> wordpress_;
  std::string site_id_;
  std::string keyword_;
  std::string agent_id_;
  std::set<std::string> published_;
};

TEST_F(PublishTest, PublishesADraftThenPublishesTheSamePost) {
  subscribe_to_article_published();
  std::string s3_key = create_article(agent_id_, keyword_);

  storage::Job draft = publish(s3_key, "draft");
  json::object result = result_of(draft);
  EXPECT_TRUE(draft.id.starts_with("publish-")) << draft.id;
  EXPECT_EQ(draft.attempts, 1);
  EXPECT_EQ(steps_of(draft.id), (std::vector<std::string>{"queued", "started", "render", "upload",
                                                          "confirm", "completed"}));
  EXPECT_EQ(member_names(result),
            (std::set<std::string>{"s3_key", "site_id", "wp_post_id", "wp_url", "wp_status",
                                   "publish_action", "operation", "warnings"}));
  EXPECT_EQ(text_of(result, "s3_key"), s3_key);
  EXPECT_EQ(text_of(result, "site_id"), site_id_);
  EXPECT_EQ(text_of(result, "wp_status"), "draft");
  EXPECT_EQ(text_of(result, "publish_action"), "publish");
  EXPECT_EQ(text_of(result, "operation"), "created");
  EXPECT_TRUE(result.at("warnings").as_array().empty()) << json::serialize(result);
  std::int64_t post_id = result.at("wp_post_id").as_int64();
  json::object post = wordpress_post(post_id);
  expect_post_holds(post, s3_key, "draft");
  EXPECT_EQ(text_of(result, "wp_url"), text_of(post, "link"));

  storage::Job live = publish(s3_key, "publish");
  json::object live_result = result_of(live);
  EXPECT_EQ(live_result.at("wp_post_id").as_int64(), post_id);
  EXPECT_EQ(text_of(live_result, "operation"), "updated");
  EXPECT_EQ(text_of(live_result, "wp_status"), "publish");
  json::object live_post = wordpress_post(post_id);
  expect_post_holds(live_post, s3_key, "publish");
  std::string slug = article_file(s3_key).slug;
  // A published post has its pretty permalink, and it is the only post with that slug.
  EXPECT_EQ(text_of(live_result, "wp_url"), join(peer_->url, "/", slug, "/"));
  EXPECT_EQ(wordpress_->posts_with_slug(slug).size(), 1u);
  EXPECT_EQ(wordpress_->posts_containing(marker_of(s3_key)).size(), 1u);

  // The article remembers its post; GET /articles shows it.
  auto stored = article(s3_key);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->wp_post_id, post_id);
  EXPECT_EQ(stored->wp_site_id, site_id_);
  EXPECT_EQ(stored->published_by_job, live.id);
  json::object listed;
  auto page = expect_json(api_->get("/v1/dashboard/articles?limit=100"), 200);
  for (const json::value& item : page.at("data").as_array()) {
    if (text_of(item.as_object(), "s3_key") == s3_key) listed = item.as_object();
  }
  ASSERT_FALSE(listed.empty());
  EXPECT_EQ(listed.at("wp_post_id").as_int64(), post_id);
  EXPECT_EQ(text_of(listed, "wp_url"), text_of(live_result, "wp_url"));
  EXPECT_EQ(text_of(listed, "wp_status"), "publish");
  EXPECT_TRUE(std::regex_match(text_of(listed, "published_at"), kTimestamp)) << listed;

  // One article.published event per job, with what the reference lists.
  std::vector<json::object> events = published_events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(member_names(events[0]),
            (std::set<std::string>{"s3_key", "agent_id", "job_id", "site_id", "wp_post_id", "url",
                                   "publish_status", "seo_score", "title"}));
  EXPECT_EQ(text_of(events[0], "job_id"), draft.id);
  EXPECT_EQ(text_of(events[0], "publish_status"), "draft");
  EXPECT_EQ(text_of(events[1], "job_id"), live.id);
  EXPECT_EQ(text_of(events[1], "publish_status"), "publish");
  EXPECT_EQ(text_of(events[1], "url"), text_of(live_result, "wp_url"));
  EXPECT_EQ(events[1].at("wp_post_id").as_int64(), post_id);
  EXPECT_EQ(events[1].at("seo_score").as_int64(), stored->seo_score);
  EXPECT_EQ(text_of(events[1], "s3_key"), s3_key);
  EXPECT_EQ(text_of(events[1], "agent_id"), agent_id_);
  EXPECT_EQ(text_of(events[1], "site_id"), site_id_);
  EXPECT_EQ(text_of(events[1], "title"), stored->title);
}

TEST_F(PublishTest, APostDeletedInWordPressIsCreatedAfreshAndATrashedOneRestored) {
  std::string s3_key = create_article(agent_id_, keyword_);
  std::int64_t first = result_of(publish(s3_key, "draft")).at("wp_post_id").as_int64();
  ASSERT_TRUE(wordpress_->delete_post(first));
  ASSERT_FALSE(wordpress_->post_by_id(first));

  json::object recreated = result_of(publish(s3_key, "draft"));
  EXPECT_EQ(text_of(recreated, "operation"), "recreated");
  std::int64_t second = recreated.at("wp_post_id").as_int64();
  EXPECT_NE(second, first);
  expect_post_holds(wordpress_post(second), s3_key, "draft");
  EXPECT_EQ(article(s3_key)->wp_post_id, second);

  // Moved to the trash (not deleted): the next publish takes the same post out of it.
  ClientResponse trashed = wordpress_->remove(join("wp/v2/posts/", std::to_string(second)));
  ASSERT_EQ(trashed.result_int(), 200u) << trashed.body();
  EXPECT_EQ(text_of(wordpress_post(second), "status"), "trash");
  json::object restored = result_of(publish(s3_key, "publish"));
  EXPECT_EQ(restored.at("wp_post_id").as_int64(), second);
  expect_post_holds(wordpress_post(second), s3_key, "publish");
  EXPECT_EQ(wordpress_->posts_containing(marker_of(s3_key)).size(), 1u);
}

TEST_F(PublishTest, AWrongApplicationPasswordFailsAtOnceWithWordPresssCode) {
  std::string s3_key = create_article(agent_id_, keyword_);
  std::string bad_password = "abcd efgh ijkl mnop qrst uvwx";
  std::string bad_site = create_site(peer_->url, peer_->user, bad_password);
  // What WordPress itself says to that password.
  WordPressRest refused(WordPressPeer{peer_->url, peer_->user, bad_password});
  ClientResponse answer = refused.get("wp/v2/users/me");
  ASSERT_EQ(answer.result_int(), 401u) << answer.body();
  std::string code = text_of(json::parse(answer.body()).as_object(), "code");
  ASSERT_FALSE(code.empty());

  storage::Job job = publish(s3_key, "draft", "publish", bad_site);
  EXPECT_EQ(job.status, "failed");
  EXPECT_EQ(job.attempts, 1) << "no retry for refused credentials";
  std::string error = job.error.value_or("");
  EXPECT_NE(error.find("HTTP 401"), std::string::npos) << error;
  EXPECT_NE(error.find(code), std::string::npos) << error;
  EXPECT_NE(error.find("application password"), std::string::npos) << error;
  EXPECT_EQ(error.find(bad_password), std::string::npos) << "the password never shows";
  EXPECT_TRUE(wordpress_->posts_containing(marker_of(s3_key)).empty());
  EXPECT_FALSE(article(s3_key)->wp_post_id);
}

TEST_F(PublishTest, ASiteThatIsDownThenUpIsRetriedUntilItPublishes) {
  using B = FlakyProxy::Behaviour;
  FlakyProxy proxy(peer_->loopback_port(), {B::hang_up, B::unavailable});
  std::string flaky_site = create_site(join("http://127.0.0.1:", std::to_string(proxy.port())),
                                       peer_->user, peer_->password);
  std::string s3_key = create_article(agent_id_, keyword_);

  storage::Job job = publish(s3_key, "publish", "publish", flaky_site);
  json::object result = result_of(job);
  EXPECT_EQ(job.attempts, 3) << "a hang-up, a 503, then WordPress";
  EXPECT_GE(proxy.relayed(), 1);
  EXPECT_EQ(text_of(result, "operation"), "created");
  expect_post_holds(wordpress_post(result.at("wp_post_id").as_int64()), s3_key, "publish");
  EXPECT_EQ(wordpress_->posts_containing(marker_of(s3_key)).size(), 1u);
}

TEST_F(PublishTest, ARetryAfterALostAnswerUpdatesThePostInsteadOfCreatingASecond) {
  using B = FlakyProxy::Behaviour;
  // Attempt 1: the credentials check and the search go through; the create reaches WordPress
  // but its answer is lost (as when the server dies before storing the post's id).
  FlakyProxy proxy(peer_->loopback_port(), {B::relay, B::relay, B::lose_answer});
  std::string flaky_site = create_site(join("http://127.0.0.1:", std::to_string(proxy.port())),
                                       peer_->user, peer_->password);
  std::string s3_key = create_article(agent_id_, keyword_);

  storage::Job job = publish(s3_key, "draft", "publish", flaky_site);
  json::object result = result_of(job);
  EXPECT_EQ(job.attempts, 2);
  EXPECT_EQ(text_of(result, "operation"), "updated") << "found by its marker";
  auto posts = wordpress_->posts_containing(marker_of(s3_key));
  ASSERT_EQ(posts.size(), 1u) << "one post, not two";
  EXPECT_EQ(id_of(posts[0]), result.at("wp_post_id").as_int64());
  expect_post_holds(posts[0], s3_key, "draft");
}

TEST_F(PublishTest, ElementorPublishOnASiteWithoutElementorPublishesWithAWarning) {
  std::string s3_key = create_article(agent_id_, keyword_);
  storage::Job job = publish(s3_key, "draft", "elementor_publish");
  json::object result = result_of(job);
  EXPECT_EQ(text_of(result, "publish_action"), "elementor_publish");
  const json::array& warnings = result.at("warnings").as_array();
  ASSERT_EQ(warnings.size(), 1u) << json::serialize(result);
  std::string warning(warnings[0].as_string());
  EXPECT_NE(warning.find("Elementor layout was not accepted"), std::string::npos) << warning;
  EXPECT_NE(warning.find("Elementor is not active on the site"), std::string::npos) << warning;
  EXPECT_NE(warning.find("_elementor_data"), std::string::npos) << warning;
  // The post is there with the article's HTML, and WordPress kept none of the meta.
  json::object post = wordpress_post(result.at("wp_post_id").as_int64());
  expect_post_holds(post, s3_key, "draft");
  const json::value& meta = post.at("meta");
  EXPECT_TRUE(meta.is_array() ? meta.as_array().empty()
                              : !meta.as_object().contains("_elementor_data"));
}

// The reference's "Trigger a Publish Job" example, body verbatim: its agent id and article key
// are made to exist (the agent's id set in the store, the article written by a create job for
// the keyword its slug comes from).
TEST_F(PublishTest, TheReferencePublishExampleWorksVerbatim) {
  store_write<bool>(context_, store(), [this](storage::Connection& db) {
    storage::Agent agent;
    agent.account_id = account_id_;
    agent.name = "Trade Show Content Agent";
    agent.keywords = {"trade show booth cost", "custom trade show booth"};
    agent.word_target = 800;
    agent.site_id = site_id_;
    std::string id = storage::insert_agent(db, agent).id;
    db.query("UPDATE agents SET id = 'agent-a1b2c3d4' WHERE id = ?1")->bind(1, id).run();
    return true;
  });
  const std::string s3_key = "articles/agent-a1b2c3d4/trade-show-booth-cost.md";
  published_.insert(s3_key);
  // What an earlier run of this test may have left on the site.
  for (const json::object& post : wordpress_->posts_containing(marker_of(s3_key)))
    wordpress_->delete_post(id_of(post));
  ASSERT_EQ(create_article("agent-a1b2c3d4", "trade show booth cost"), s3_key);

  ClientResponse accepted = api_->post(kJobs, R"({
"agent_id": "agent-a1b2c3d4",
"job_type": "publish",
"s3_key": "articles/agent-a1b2c3d4/trade-show-booth-cost.md",
"publish_action": "elementor_publish",
"status_on_publish": "draft"
})");
  json::object body = expect_json(accepted, 202);
  EXPECT_EQ(text_of(body, "status"), "pending");
  EXPECT_EQ(text_of(body, "agent_id"), "agent-a1b2c3d4");
  json::object result = result_of(finished(text_of(body, "job_id")));
  EXPECT_EQ(text_of(result, "wp_status"), "draft");
  EXPECT_EQ(text_of(result, "site_id"), site_id_) << "the agent's site by default";
  EXPECT_EQ(result.at("warnings").as_array().size(), 1u);
  expect_post_holds(wordpress_post(result.at("wp_post_id").as_int64()), s3_key, "draft");
}

// Bad submissions, with the real publish pipeline registered (no WordPress needed).
class PublishSubmissionTest : public PublishFixture {
 protected:
  void SetUp() override { start_server(); }

  std::string body(std::string_view members) {
    return join(R"({"agent_id":")", agent_id_, R"(","job_type":"publish")", members, "}");
  }

  std::string agent_id_;
};

TEST_F(PublishSubmissionTest, BadInputIsRefusedAndNothingIsQueued) {
  // A closed loopback port: the one job accepted at the end fails fast and harmlessly.
  std::string site = create_site("http://127.0.0.1:9", "admin", "abcd efgh ijkl mnop");
  agent_id_ = create_agent("booth cost", site);
  std::string s3_key = create_article(agent_id_, "booth cost");
  std::string key_member = join(R"(,"s3_key":")", s3_key, "\"");

  struct Case {
    std::string body;
    std::string field;
  };
  std::vector<Case> cases = {
      {body(""), "s3_key"},
      {body(R"(,"s3_key":"")"), "s3_key"},
      {body(R"(,"s3_key":42)"), "s3_key"},
      {body(join(key_member, R"(,"publish_action":"tweet")")), "publish_action"},
      {body(join(key_member, R"(,"publish_action":5)")), "publish_action"},
      {body(join(key_member, R"(,"status_on_publish":"future")")), "status_on_publish"},
      {body(join(key_member, R"(,"status_on_publish":"Draft")")), "status_on_publish"},
      {body(join(key_member, R"(,"site_id":["site-1"])")), "site_id"},
      {body(join(key_member, R"(,"keyword":"k")")), "keyword"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    expect_validation_error(api_->post(kJobs, c.body), c.field);
  }
  expect_error(api_->post(kJobs, body(key_member).substr(0, 30)), 400, "INVALID_JSON");
  expect_error(api_->post(kJobs, body(R"(,"s3_key":"articles/none/none.md")")), 404,
               "RESOURCE_NOT_FOUND");
  expect_error(api_->post(kJobs, body(join(key_member, R"(,"site_id":"site-00000000")"))), 404,
               "RESOURCE_NOT_FOUND");

  // Another account's article and site.
  TestAccount other = create_account_with_key(context_, store(), "other");
  Api other_api(server_->port(), other.key);
  std::string foreign_site =
      create_site("https://other.example.com", "admin", "abcd efgh ijkl mnop", &other_api);
  std::string foreign_agent = create_agent("booth cost", foreign_site, &other_api);
  expect_error(api_->post(kJobs, body(join(key_member, R"(,"site_id":")", foreign_site, "\""))),
               403, "FORBIDDEN");
  json::object foreign_body;
  foreign_body["agent_id"] = foreign_agent;
  foreign_body["job_type"] = "publish";
  foreign_body["s3_key"] = s3_key;
  expect_error(other_api.post(kJobs, json::serialize(foreign_body)), 403, "FORBIDDEN");

  // Nothing but the create job was queued.
  auto jobs = storage::list_jobs(store().reader(), account_id_, storage::JobFilter{}, true,
                                 std::nullopt, 100);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].job_type, "create");

  // With everything in order, publish is accepted (this server runs it).
  json::object accepted = expect_json(api_->post(kJobs, body(key_member)), 202);
  EXPECT_TRUE(text_of(accepted, "job_id").starts_with("publish-"));
}

}  // namespace
}  // namespace seoagents::testing
