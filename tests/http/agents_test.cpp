// Over-the-wire tests of /v1/dashboard/agents: create with defaults and validation, read,
// partial update, soft delete, the status filter, two accounts side by side, keyset pagination
// under concurrent inserts, and a restart on the same data directory.
#include "storage/agents.hpp"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/sites.hpp"
#include "tests/support/api_helpers.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::testing {
namespace {

constexpr std::string_view kAgents = "/v1/dashboard/agents";
constexpr std::string_view kSites = "/v1/dashboard/sites";
const std::regex kAgentId("^agent-[0-9a-f]{8}$");
const std::regex kTimestamp(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$)");

const std::set<std::string> kAgentMembers{"id",          "name",      "keywords", "tone",
                                          "word_target", "schedule",  "site_id",  "status",
                                          "created_at",  "updated_at"};

// The reference's "Create an Agent" example.
constexpr std::string_view kReferenceAgent = R"({
  "name": "Trade Show Content Agent",
  "keywords": ["trade show booth cost", "custom trade show booth"],
  "tone": "professional",
  "word_target": 2500,
  "schedule": "weekly"
})";

std::string agent_path(std::string_view id) {
  return join(kAgents, "/", id);
}

std::string site_body(std::string_view name) {
  return join(R"({"url":"https://93.184.216.34/blog","name":")", name,
              R"(","username":"editor","application_password":"abcd efgh ijkl mnop qrst uvwx"})");
}

std::vector<std::string> keywords_of(const json::object& agent) {
  std::vector<std::string> keywords;
  for (const json::value& keyword : agent.at("keywords").as_array())
    keywords.emplace_back(keyword.as_string());
  return keywords;
}

// A server, its first key (account "default") and a second account with its own key.
class AgentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>();
    ASSERT_TRUE(server_->app().first_api_key().has_value());
    a_ = std::make_unique<Api>(server_->port(), *server_->app().first_api_key());
    account_a_ = default_account_id(server_->app().store());
  }

  // Account B, created on first use.
  const Api& b() {
    if (!b_) {
      TestAccount account = create_account_with_key(writes_, server_->app().store(), "tenant-b");
      account_b_ = account.account_id;
      b_ = std::make_unique<Api>(server_->port(), account.key);
    }
    return *b_;
  }

  json::object create_agent(const Api& api, std::string body) {
    return api.create(kAgents, std::move(body));
  }
  std::string create_agent_id(const Api& api, std::string_view name) {
    return text_of(create_agent(api, join(R"({"name":")", name, R"("})")), "id");
  }
  std::string create_site_id(const Api& api, std::string_view name) {
    return text_of(api.create(kSites, site_body(name)), "id");
  }

  // Every agent id the list shows `api`'s account, all pages, in order.
  std::vector<std::string> listed(const Api& api, std::string_view query = "") {
    ListWalk walk = walk_list(api, join(kAgents, "?limit=100", query));
    EXPECT_TRUE(walk.ended);
    return ids_of(walk.items);
  }

  // Declared before the server: destroyed after the store's writer thread has stopped.
  asio::io_context writes_;
  std::unique_ptr<TestServer> server_;
  std::unique_ptr<Api> a_;
  std::unique_ptr<Api> b_;
  std::string account_a_;
  std::string account_b_;
};

// ---------------------------------------------------------------------------------------------
// Create

TEST_F(AgentsTest, CreateAnswers201WithEveryFieldAndALocation) {
  std::string site_id = create_site_id(*a_, "Blog");
  std::string body(kReferenceAgent);
  body.insert(body.rfind('}'), join(R"(,"site_id":")", site_id, "\""));
  ClientResponse response = a_->post(kAgents, body);
  json::object agent = expect_json(response, 201);
  EXPECT_EQ(member_names(agent), kAgentMembers) << response.body();

  std::string id = text_of(agent, "id");
  EXPECT_TRUE(std::regex_match(id, kAgentId)) << id;
  EXPECT_EQ(response[bhttp::field::location], agent_path(id));
  EXPECT_EQ(text_of(agent, "name"), "Trade Show Content Agent");
  EXPECT_EQ(keywords_of(agent),
            (std::vector<std::string>{"trade show booth cost", "custom trade show booth"}));
  EXPECT_EQ(text_of(agent, "tone"), "professional");
  EXPECT_EQ(agent.at("word_target"), json::value(2500));
  EXPECT_EQ(text_of(agent, "schedule"), "weekly");
  EXPECT_EQ(text_of(agent, "site_id"), site_id);
  EXPECT_EQ(text_of(agent, "status"), "active");
  EXPECT_TRUE(std::regex_match(text_of(agent, "created_at"), kTimestamp)) << response.body();
  EXPECT_EQ(text_of(agent, "created_at"), text_of(agent, "updated_at"));

  // The Location answers the same representation.
  ClientResponse read = a_->get(agent_path(id));
  EXPECT_EQ(read.result_int(), 200);
  EXPECT_EQ(read.body(), response.body());
}

TEST_F(AgentsTest, OnlyANameIsRequiredAndTheRestHasDefaults) {
  json::object agent = create_agent(*a_, R"({"name":"Minimal"})");
  EXPECT_EQ(member_names(agent), kAgentMembers);
  EXPECT_TRUE(agent.at("keywords").as_array().empty());
  EXPECT_EQ(text_of(agent, "tone"), "professional");
  EXPECT_EQ(agent.at("word_target"), json::value(1500));
  EXPECT_EQ(text_of(agent, "schedule"), "none");
  EXPECT_TRUE(agent.at("site_id").is_null());
  EXPECT_EQ(text_of(agent, "status"), "active");
  // site_id null is the same as no site.
  json::object explicit_null = create_agent(*a_, R"({"name":"No site","site_id":null})");
  EXPECT_TRUE(explicit_null.at("site_id").is_null());
}

TEST_F(AgentsTest, EveryToneScheduleAndTheWordTargetBoundsAreAccepted) {
  for (std::string_view tone : {"professional", "casual", "friendly", "authoritative", "technical",
                                "persuasive", "informative"}) {
    json::object agent = create_agent(*a_, join(R"({"name":"t","tone":")", tone, R"("})"));
    EXPECT_EQ(text_of(agent, "tone"), tone);
  }
  for (std::string_view schedule : {"none", "daily", "weekly", "monthly"}) {
    json::object agent = create_agent(*a_, join(R"({"name":"s","schedule":")", schedule, R"("})"));
    EXPECT_EQ(text_of(agent, "schedule"), schedule);
  }
  for (int target : {300, 10000}) {
    json::object agent =
        create_agent(*a_, join(R"({"name":"w","word_target":)", std::to_string(target), "}"));
    EXPECT_EQ(agent.at("word_target"), json::value(target));
  }
}

TEST_F(AgentsTest, NameIsTrimmedAndMayHave200Characters) {
  EXPECT_EQ(text_of(create_agent(*a_, R"({"name":"  Spaced \t"})"), "name"), "Spaced");
  std::string longest(200, 'n');
  EXPECT_EQ(text_of(create_agent(*a_, join(R"({"name":")", longest, R"("})")), "name"), longest);
  std::string accents;
  for (int i = 0; i < 200; ++i)
    accents += "\xC3\xA9";  // é: 2 bytes, 1 character
  EXPECT_EQ(text_of(create_agent(*a_, join(R"({"name":")", accents, R"("})")), "name"), accents);
}

TEST_F(AgentsTest, KeywordsAreTrimmedAndDeduplicatedIgnoringAsciiCase) {
  json::object agent = create_agent(
      *a_, R"({"name":"k","keywords":[" Trade Show ","trade show","TRADE SHOW  ","booth","Booth",)"
           R"("caf\u00e9","CAF\u00c9","booth cost"]})");
  // First spelling kept, order kept; only ASCII letters are folded (É is not é).
  EXPECT_EQ(keywords_of(agent), (std::vector<std::string>{"Trade Show", "booth", "caf\xC3\xA9",
                                                          "CAF\xC3\x89", "booth cost"}));

  // 100 items of 200 characters is the most; duplicates count before they are removed.
  std::string many = R"({"name":"k","keywords":[)";
  for (int i = 0; i < 100; ++i) {
    if (i > 0) many += ',';
    std::string keyword = std::to_string(i);
    keyword.resize(200, 'k');
    many += json::serialize(json::value(keyword));
  }
  many += "]}";
  EXPECT_EQ(create_agent(*a_, many).at("keywords").as_array().size(), 100u);
}

// One invalid create body and the field its details must name.
struct Invalid {
  std::string body;
  std::string field;
};

std::vector<Invalid> invalid_creates() {
  std::string too_many = R"({"name":"k","keywords":[)";
  for (int i = 0; i < 101; ++i)
    too_many += join(i > 0 ? "," : "", "\"k", std::to_string(i), "\"");
  too_many += "]}";
  return {
      {"{}", "name"},
      {R"({"name":""})", "name"},
      {R"({"name":"   "})", "name"},
      {join(R"({"name":")", std::string(201, 'n'), R"("})"), "name"},
      {R"({"name":123})", "name"},
      {R"({"name":null})", "name"},
      {R"({"name":["x"]})", "name"},
      {R"({"name":true})", "name"},
      {R"({"name":"k","keywords":"one"})", "keywords"},
      {R"({"name":"k","keywords":{"a":"b"}})", "keywords"},
      {R"({"name":"k","keywords":null})", "keywords"},
      {too_many, "keywords"},
      {R"({"name":"k","keywords":[""]})", "keywords[0]"},
      {R"({"name":"k","keywords":["ok","   "]})", "keywords[1]"},
      {R"({"name":"k","keywords":[1]})", "keywords[0]"},
      {R"({"name":"k","keywords":["ok",null]})", "keywords[1]"},
      {join(R"({"name":"k","keywords":[")", std::string(201, 'k'), R"("]})"), "keywords[0]"},
      {R"({"name":"k","tone":"loud"})", "tone"},
      {R"({"name":"k","tone":"Professional"})", "tone"},
      {R"({"name":"k","tone":""})", "tone"},
      {R"({"name":"k","tone":1})", "tone"},
      {R"({"name":"k","tone":null})", "tone"},
      {R"({"name":"k","schedule":"hourly"})", "schedule"},
      {R"({"name":"k","schedule":"Weekly"})", "schedule"},
      {R"({"name":"k","schedule":false})", "schedule"},
      {R"({"name":"k","word_target":299})", "word_target"},
      {R"({"name":"k","word_target":10001})", "word_target"},
      {R"({"name":"k","word_target":0})", "word_target"},
      {R"({"name":"k","word_target":-1500})", "word_target"},
      {R"({"name":"k","word_target":1500.5})", "word_target"},
      {R"({"name":"k","word_target":1500.0})", "word_target"},
      {R"({"name":"k","word_target":1e3})", "word_target"},
      {R"({"name":"k","word_target":"1500"})", "word_target"},
      {R"({"name":"k","word_target":true})", "word_target"},
      {R"({"name":"k","word_target":null})", "word_target"},
      {R"({"name":"k","word_target":18446744073709551615})", "word_target"},
      {R"({"name":"k","word_target":99999999999999999999999})", "word_target"},
      {R"({"name":"k","site_id":""})", "site_id"},
      {R"({"name":"k","site_id":42})", "site_id"},
      {R"({"name":"k","site_id":["site-00000000"]})", "site_id"},
      {R"({"name":"k","status":"active"})", "status"},
      {R"({"name":"k","id":"agent-00000000"})", "id"},
      {R"({"name":"k","account_id":"acct-00000000"})", "account_id"},
      {R"({"name":"k","created_at":"2026-01-01T00:00:00.000Z"})", "created_at"},
      {R"({"name":"k","Name":"k"})", "Name"},
  };
}

TEST_F(AgentsTest, InvalidCreatesAreValidationErrorsNamingTheFieldAndWriteNothing) {
  std::string kept = create_agent_id(*a_, "kept");
  std::string before = a_->get(join(kAgents, "?limit=100")).body();
  for (const Invalid& invalid : invalid_creates()) {
    SCOPED_TRACE(invalid.body.substr(0, 120));
    ClientResponse response = a_->post(kAgents, invalid.body);
    expect_validation_error(response, invalid.field);
    // Only the field at fault is named.
    EXPECT_EQ(detail_fields(body_of(response)).size(), 1u) << response.body();
  }
  EXPECT_EQ(a_->get(join(kAgents, "?limit=100")).body(), before);
  EXPECT_EQ(listed(*a_), (std::vector<std::string>{kept}));
}

TEST_F(AgentsTest, EveryInvalidFieldIsReportedAtOnce) {
  ClientResponse response =
      a_->post(kAgents, R"({"name":"","tone":"x","word_target":1,"schedule":"y","extra":1})");
  json::object body = expect_error(response, 400, "VALIDATION_ERROR");
  EXPECT_EQ(detail_fields(body),
            (std::set<std::string>{"name", "tone", "word_target", "schedule", "extra"}))
      << response.body();
  for (const json::value& detail : body.at("details").as_array())
    EXPECT_FALSE(text_of(detail.as_object(), "issue").empty()) << detail;
}

TEST_F(AgentsTest, MalformedJsonIsInvalidJsonAndWritesNothing) {
  for (std::string_view body :
       {"{", R"({"name":)", "not json", R"({"name":"x",})", "", "[]", R"(["name"])", R"("name")",
        "null", "1500", R"({"name":"x"} {"name":"y"})"}) {
    SCOPED_TRACE(std::string(body));
    expect_error(a_->post(kAgents, std::string(body)), 400, "INVALID_JSON");
  }
  expect_error(HttpClient(server_->port())
                   .request(bhttp::verb::post, kAgents, R"({"name":"x"})",
                            {{"X-API-Key", a_->key()}, {"Content-Type", "text/plain"}}),
               415, "UNSUPPORTED_MEDIA_TYPE");
  EXPECT_TRUE(listed(*a_).empty());
}

TEST_F(AgentsTest, CreatingWithAMissingSiteIsNotFoundAndWritesNothing) {
  json::object body = expect_error(a_->post(kAgents, R"({"name":"k","site_id":"site-00000000"})"),
                                   404, "RESOURCE_NOT_FOUND");
  EXPECT_EQ(text_of(body, "message"), "Site not found: site-00000000");
  EXPECT_TRUE(listed(*a_).empty());
}

TEST_F(AgentsTest, ConcurrentCreatesAllSucceedWithDistinctIds) {
  constexpr int kThreads = 4;
  constexpr int kEach = 25;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        ClientResponse response = a_->post(kAgents, R"({"name":"parallel"})");
        if (response.result_int() == 201) ids[t].push_back(text_of(body_of(response), "id"));
      }
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  std::set<std::string> unique;
  for (const auto& list : ids)
    unique.insert(list.begin(), list.end());
  EXPECT_EQ(unique.size(), static_cast<std::size_t>(kThreads * kEach));
  std::vector<std::string> all = listed(*a_);
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()), unique);
}

// ---------------------------------------------------------------------------------------------
// Read, update, delete

TEST_F(AgentsTest, MissingAgentsAreNotFoundWithTheirIdInTheMessage) {
  for (std::string_view id : {"agent-xyz12345", "agent-00000000", "nope"}) {
    SCOPED_TRACE(std::string(id));
    std::string message = join("Agent not found: ", id);
    std::string path = agent_path(id);
    EXPECT_EQ(text_of(expect_error(a_->get(path), 404, "RESOURCE_NOT_FOUND"), "message"), message);
    EXPECT_EQ(text_of(expect_error(a_->put(path, R"({"name":"x"})"), 404, "RESOURCE_NOT_FOUND"),
                      "message"),
              message);
    EXPECT_EQ(text_of(expect_error(a_->remove(path), 404, "RESOURCE_NOT_FOUND"), "message"),
              message);
  }
}

TEST_F(AgentsTest, UpdateChangesOnlyTheFieldsGiven) {
  json::object created = create_agent(*a_, std::string(kReferenceAgent));
  std::string id = text_of(created, "id");
  std::string path = agent_path(id);

  ClientResponse response = a_->put(path, R"({"tone":"casual"})");
  json::object updated = expect_json(response, 200);
  EXPECT_EQ(text_of(updated, "tone"), "casual");
  for (std::string_view unchanged :
       {"id", "name", "keywords", "word_target", "schedule", "site_id", "status", "created_at"}) {
    EXPECT_EQ(updated.at(unchanged), created.at(unchanged)) << unchanged;
  }
  // updated_at moves forward on every change, even within one millisecond.
  EXPECT_GT(text_of(updated, "updated_at"), text_of(created, "updated_at"));
  EXPECT_EQ(a_->get(path).body(), response.body());

  json::object renamed =
      expect_json(a_->put(path, R"({"name":" Renamed ","keywords":["a","A","b"],"word_target":300,)"
                                R"("schedule":"daily","status":"paused"})"),
                  200);
  EXPECT_EQ(text_of(renamed, "name"), "Renamed");
  EXPECT_EQ(keywords_of(renamed), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(renamed.at("word_target"), json::value(300));
  EXPECT_EQ(text_of(renamed, "schedule"), "daily");
  EXPECT_EQ(text_of(renamed, "status"), "paused");
  EXPECT_EQ(text_of(renamed, "tone"), "casual");
  EXPECT_GT(text_of(renamed, "updated_at"), text_of(updated, "updated_at"));

  json::object cleared = expect_json(a_->put(path, R"({"keywords":[],"status":"active"})"), 200);
  EXPECT_TRUE(cleared.at("keywords").as_array().empty());
  EXPECT_EQ(text_of(cleared, "status"), "active");
  EXPECT_EQ(text_of(cleared, "name"), "Renamed");
}

TEST_F(AgentsTest, InvalidUpdatesAreValidationErrorsAndChangeNothing) {
  std::string id = text_of(create_agent(*a_, std::string(kReferenceAgent)), "id");
  std::string path = agent_path(id);
  std::string before = a_->get(path).body();
  const std::vector<Invalid> invalid = {
      {R"({"name":""})", "name"},
      {R"({"name":null})", "name"},
      {join(R"({"name":")", std::string(201, 'n'), R"("})"), "name"},
      {R"({"keywords":"a"})", "keywords"},
      {R"({"keywords":[""]})", "keywords[0]"},
      {R"({"tone":"loud"})", "tone"},
      {R"({"schedule":"hourly"})", "schedule"},
      {R"({"word_target":299})", "word_target"},
      {R"({"word_target":10001})", "word_target"},
      {R"({"word_target":"2500"})", "word_target"},
      {R"({"word_target":2500.5})", "word_target"},
      {R"({"status":"deleted"})", "status"},
      {R"({"status":"archived"})", "status"},
      {R"({"status":"Active"})", "status"},
      {R"({"status":null})", "status"},
      {R"({"site_id":""})", "site_id"},
      {R"({"site_id":7})", "site_id"},
      {R"({"id":"agent-00000000"})", "id"},
      {R"({"created_at":"2020-01-01T00:00:00.000Z"})", "created_at"},
      {R"({"name":"fine","account_id":"acct-00000000"})", "account_id"},
  };
  for (const Invalid& request : invalid) {
    SCOPED_TRACE(request.body.substr(0, 120));
    expect_validation_error(a_->put(path, request.body), request.field);
  }
  for (std::string_view body : {"{", "", "[]", "null"}) {
    SCOPED_TRACE(std::string(body));
    expect_error(a_->put(path, std::string(body)), 400, "INVALID_JSON");
  }
  EXPECT_EQ(a_->get(path).body(), before);
}

TEST_F(AgentsTest, SiteIdMustBeASiteOfTheSameAccountAndNullDetaches) {
  std::string site_id = create_site_id(*a_, "Blog");
  std::string id = create_agent_id(*a_, "writer");
  std::string path = agent_path(id);

  json::object attached =
      expect_json(a_->put(path, join(R"({"site_id":")", site_id, R"("})")), 200);
  EXPECT_EQ(text_of(attached, "site_id"), site_id);
  // A site that does not exist: 404 naming it, and the agent keeps its site.
  json::object missing = expect_error(a_->put(path, R"({"site_id":"site-00000000","name":"x"})"),
                                      404, "RESOURCE_NOT_FOUND");
  EXPECT_EQ(text_of(missing, "message"), "Site not found: site-00000000");
  json::object read = expect_json(a_->get(path), 200);
  EXPECT_EQ(text_of(read, "site_id"), site_id);
  EXPECT_EQ(text_of(read, "name"), "writer");

  json::object detached = expect_json(a_->put(path, R"({"site_id":null})"), 200);
  EXPECT_TRUE(detached.at("site_id").is_null());
}

TEST_F(AgentsTest, DeleteIsSoftAndFinal) {
  std::string id = create_agent_id(*a_, "doomed");
  std::string other = create_agent_id(*a_, "other");
  std::string path = agent_path(id);

  ClientResponse deleted = a_->remove(path);
  json::object body = expect_json(deleted, 200);
  EXPECT_EQ(member_names(body), kAgentMembers);
  EXPECT_EQ(text_of(body, "id"), id);
  EXPECT_EQ(text_of(body, "status"), "deleted");
  EXPECT_EQ(text_of(body, "name"), "doomed");

  // Gone for reading and deleting; a change is a conflict with its state (the reference's 409).
  std::string message = join("Agent not found: ", id);
  EXPECT_EQ(text_of(expect_error(a_->get(path), 404, "RESOURCE_NOT_FOUND"), "message"), message);
  EXPECT_EQ(text_of(expect_error(a_->remove(path), 404, "RESOURCE_NOT_FOUND"), "message"), message);
  expect_error(a_->put(path, R"({"name":"back"})"), 409, "CONFLICT");
  expect_error(a_->put(path, R"({"status":"active"})"), 409, "CONFLICT");
  // A PUT that is invalid anyway is a validation error first.
  expect_validation_error(a_->put(path, R"({"status":"deleted"})"), "status");

  // Never listed, with or without a filter.
  EXPECT_EQ(listed(*a_), (std::vector<std::string>{other}));
  EXPECT_EQ(listed(*a_, "&status=active"), (std::vector<std::string>{other}));
  EXPECT_TRUE(listed(*a_, "&status=paused").empty());

  // Soft: the row is still in the store, marked.
  auto stored = storage::find_agent(server_->app().store().reader(), id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->status, "deleted");
  EXPECT_EQ(stored->name, "doomed");
}

TEST_F(AgentsTest, StatusFilterListsActiveOrPausedAgents) {
  std::set<std::string> active;
  std::set<std::string> paused;
  for (int i = 0; i < 3; ++i)
    active.insert(create_agent_id(*a_, "active"));
  for (int i = 0; i < 2; ++i) {
    std::string id = create_agent_id(*a_, "paused");
    ASSERT_EQ(a_->put(agent_path(id), R"({"status":"paused"})").result_int(), 200);
    paused.insert(id);
  }
  std::string deleted = create_agent_id(*a_, "deleted");
  ASSERT_EQ(a_->remove(agent_path(deleted)).result_int(), 200);

  std::vector<std::string> only_active = listed(*a_, "&status=active");
  std::vector<std::string> only_paused = listed(*a_, "&status=paused");
  std::vector<std::string> both = listed(*a_);
  EXPECT_EQ(std::set<std::string>(only_active.begin(), only_active.end()), active);
  EXPECT_EQ(std::set<std::string>(only_paused.begin(), only_paused.end()), paused);
  std::set<std::string> all = active;
  all.insert(paused.begin(), paused.end());
  EXPECT_EQ(std::set<std::string>(both.begin(), both.end()), all);
  EXPECT_EQ(both.size(), 5u);

  for (std::string_view status : {"deleted", "ACTIVE", "", "all", "active,paused"}) {
    SCOPED_TRACE(std::string(status));
    expect_validation_error(a_->get(join(kAgents, "?status=", status)), "status");
  }
}

TEST_F(AgentsTest, DeletingASiteDetachesItFromItsAgents) {
  std::string site_id = create_site_id(*a_, "Blog");
  std::string id =
      text_of(create_agent(*a_, join(R"({"name":"w","site_id":")", site_id, R"("})")), "id");
  ASSERT_EQ(a_->remove(join(kSites, "/", site_id)).result_int(), 200);
  json::object agent = expect_json(a_->get(agent_path(id)), 200);
  EXPECT_TRUE(agent.at("site_id").is_null()) << agent;
}

TEST_F(AgentsTest, ReadsAfterEveryKindOfChangeSeeTheChangeNotACachedCopy) {
  std::string site_id = create_site_id(*a_, "Blog");
  std::string id =
      text_of(create_agent(*a_, join(R"({"name":"before","site_id":")", site_id, R"("})")), "id");
  std::string path = agent_path(id);
  // Warm the per-loop caches (fresh connections land on either loop).
  auto read_all = [&](int times) {
    std::vector<json::object> reads;
    for (int i = 0; i < times; ++i)
      reads.push_back(expect_json(a_->get(path), 200));
    return reads;
  };
  read_all(8);
  expect_json(a_->put(path, R"({"name":"after"})"), 200);
  for (const auto& agent : read_all(8))
    EXPECT_EQ(text_of(agent, "name"), "after");
  // A change made as a side effect of another resource's write.
  ASSERT_EQ(a_->remove(join(kSites, "/", site_id)).result_int(), 200);
  for (const auto& agent : read_all(8))
    EXPECT_TRUE(agent.at("site_id").is_null()) << agent;
  ASSERT_EQ(a_->remove(path).result_int(), 200);
  for (int i = 0; i < 8; ++i)
    expect_error(a_->get(path), 404, "RESOURCE_NOT_FOUND");
}

// ---------------------------------------------------------------------------------------------
// Two accounts

TEST_F(AgentsTest, AnotherAccountsAgentIsForbiddenAndUntouched) {
  std::string id = text_of(create_agent(*a_, std::string(kReferenceAgent)), "id");
  std::string path = agent_path(id);
  std::string before = a_->get(path).body();

  for (const ClientResponse& response : {b().get(path), b().put(path, R"({"name":"hijacked"})"),
                                         b().put(path, R"({})"), b().remove(path)}) {
    json::object body = expect_error(response, 403, "FORBIDDEN");
    EXPECT_NE(text_of(body, "message").find(id), std::string::npos) << response.body();
    // Nothing of the agent leaks into the answer.
    EXPECT_EQ(response.body().find("Trade Show"), std::string::npos) << response.body();
  }
  EXPECT_EQ(a_->get(path).body(), before);
  // The body is validated before the agent is looked up: that reveals nothing about it.
  expect_validation_error(b().put(path, R"({"tone":"loud"})"), "tone");
  EXPECT_EQ(a_->get(path).body(), before);

  // Lists are per account.
  std::string b_agent = create_agent_id(b(), "b's");
  EXPECT_EQ(listed(b()), (std::vector<std::string>{b_agent}));
  EXPECT_EQ(listed(*a_), (std::vector<std::string>{id}));
  expect_error(a_->get(agent_path(b_agent)), 403, "FORBIDDEN");

  // Another account's deleted agent is still another account's: 403, not 404.
  ASSERT_EQ(a_->remove(path).result_int(), 200);
  expect_error(b().get(path), 403, "FORBIDDEN");
  expect_error(b().remove(path), 403, "FORBIDDEN");
  expect_error(b().put(path, R"({"name":"x"})"), 403, "FORBIDDEN");
}

TEST_F(AgentsTest, AnAgentCannotUseAnotherAccountsSite) {
  std::string a_site = create_site_id(*a_, "A's blog");
  std::string b_body = join(R"({"name":"b","site_id":")", a_site, R"("})");
  expect_error(b().post(kAgents, b_body), 403, "FORBIDDEN");
  EXPECT_TRUE(listed(b()).empty()) << "the refused agent was written";

  std::string b_agent = create_agent_id(b(), "b");
  std::string before = b().get(agent_path(b_agent)).body();
  expect_error(
      b().put(agent_path(b_agent), join(R"({"name":"changed","site_id":")", a_site, R"("})")), 403,
      "FORBIDDEN");
  EXPECT_EQ(b().get(agent_path(b_agent)).body(), before) << "a refused update was written";

  // B's own site is fine.
  std::string b_site = create_site_id(b(), "B's blog");
  json::object attached =
      expect_json(b().put(agent_path(b_agent), join(R"({"site_id":")", b_site, R"("})")), 200);
  EXPECT_EQ(text_of(attached, "site_id"), b_site);
  // And A cannot use B's.
  expect_error(a_->post(kAgents, join(R"({"name":"a","site_id":")", b_site, R"("})")), 403,
               "FORBIDDEN");
}

// ---------------------------------------------------------------------------------------------
// Pagination

class AgentsPagingTest : public AgentsTest {
 protected:
  static constexpr int kTotal = 3000;

  void SetUp() override {
    AgentsTest::SetUp();
    if (HasFatalFailure()) return;
    b();  // account B exists, with agents of its own that must never show up in A's pages
    std::string a = account_a_;
    std::string b_id = account_b_;
    store_write<bool>(writes_, server_->app().store(), [a, b_id](storage::Connection& db) {
      // Names repeat (ties on name) and most agents share a created_at millisecond (ties on
      // created_at): pages must break ties by id.
      for (int i = 0; i < kTotal; ++i) {
        storage::Agent agent;
        agent.account_id = a;
        agent.name = "agent " + std::to_string(100 + (i * 7919) % 400);
        storage::insert_agent(db, agent);
      }
      for (int i = 0; i < 50; ++i) {
        storage::Agent agent;
        agent.account_id = b_id;
        agent.name = "agent b";
        storage::insert_agent(db, agent);
      }
      return true;
    });
  }

  // The ids A's list shows, read from the store (every non-deleted agent of A).
  std::set<std::string> existing_ids() {
    std::set<std::string> ids;
    for (const auto& agent :
         storage::list_agents(server_->app().store().reader(), account_a_, std::nullopt,
                              "created_at", false, std::nullopt, 1'000'000))
      ids.insert(agent.id);
    return ids;
  }

  // Walks `sort` with limit 100 while, between pages, a new agent is created and (when
  // `update_between`) an existing one is paused; then checks order, duplicates and gaps.
  void walk_while_writing(std::string_view sort, bool update_between) {
    SCOPED_TRACE(std::string(sort));
    std::set<std::string> at_start = existing_ids();
    std::vector<std::string> start_order(at_start.begin(), at_start.end());
    int created = 0;
    ListWalk walk = walk_list(*a_, join(kAgents, "?limit=100&sort=", sort), [&](int page) {
      std::string name = "agent " + std::to_string(100 + (page * 37) % 400) + " new";
      ASSERT_EQ(a_->post(kAgents, join(R"({"name":")", name, R"("})")).result_int(), 201);
      ++created;
      if (update_between) {
        std::string path = agent_path(start_order[(page * 97) % start_order.size()]);
        ASSERT_EQ(a_->put(path, R"({"status":"paused"})").result_int(), 200);
      }
    });
    ASSERT_TRUE(walk.ended);
    EXPECT_GE(walk.pages, kTotal / 100);
    std::vector<std::string> ids = ids_of(walk.items);
    std::set<std::string> unique(ids.begin(), ids.end());
    EXPECT_EQ(unique.size(), ids.size()) << "duplicates";
    for (const std::string& id : at_start)
      EXPECT_EQ(unique.count(id), 1u) << "gap: " << id;
    // Only A's agents, and none but those that existed or were created meanwhile.
    EXPECT_LE(ids.size(), at_start.size() + static_cast<std::size_t>(created));
    std::set<std::string> now = existing_ids();
    for (const std::string& id : ids)
      EXPECT_EQ(now.count(id), 1u) << "not an agent of A: " << id;
    expect_ordered(walk.items, sort);
  }

  // Each item sorts after the previous one by (field, id) in the direction asked.
  static void expect_ordered(const std::vector<json::object>& items, std::string_view sort) {
    std::string field(sort.substr(0, sort.find(':')));
    bool descending = sort.ends_with(":desc");
    for (std::size_t i = 1; i < items.size(); ++i) {
      auto key = [&](const json::object& item) {
        return std::make_pair(text_of(item, field), text_of(item, "id"));
      };
      bool in_order =
          descending ? key(items[i]) < key(items[i - 1]) : key(items[i - 1]) < key(items[i]);
      if (!in_order) {
        ADD_FAILURE() << "out of order at " << i << ": " << json::serialize(items[i - 1])
                      << " then " << json::serialize(items[i]);
        return;
      }
    }
  }

  std::string first_cursor(const Api& api, std::string_view query) {
    json::object page = expect_json(api.get(join(kAgents, query)), 200);
    return text_of(page, "next_cursor");
  }
};

TEST_F(AgentsPagingTest, CreatedAtPagesHaveNoDuplicatesOrGapsWhileRowsAreWritten) {
  walk_while_writing("created_at:asc", true);
  walk_while_writing("created_at:desc", true);
}

TEST_F(AgentsPagingTest, NamePagesHaveNoDuplicatesOrGapsWhileRowsAreWritten) {
  walk_while_writing("name:asc", true);
  walk_while_writing("name:desc", true);
}

TEST_F(AgentsPagingTest, UpdatedAtPagesHaveNoDuplicatesOrGapsWhileRowsAreInserted) {
  // Updates move rows in this order, so only inserts happen between pages.
  walk_while_writing("updated_at:asc", false);
  walk_while_writing("updated_at:desc", false);
}

TEST_F(AgentsPagingTest, DefaultIsNewestFirst25AtATime) {
  json::object page = expect_json(a_->get(kAgents), 200);
  EXPECT_TRUE(page.at("next_cursor").is_string());
  std::vector<std::string> expected;
  for (const auto& agent : storage::list_agents(server_->app().store().reader(), account_a_,
                                                std::nullopt, "created_at", true, std::nullopt, 25))
    expected.push_back(agent.id);
  std::vector<json::object> items;
  for (const json::value& item : page.at("data").as_array())
    items.push_back(item.as_object());
  EXPECT_EQ(ids_of(items), expected);
  expect_ordered(items, "created_at:desc");
}

TEST_F(AgentsPagingTest, InvalidLimitsAndSortsAreValidationErrors) {
  for (std::string_view limit : {"0", "-1", "abc", "101", "", "1.5", "+5", "1e2", "%31%30%31"}) {
    SCOPED_TRACE(std::string(limit));
    expect_validation_error(a_->get(join(kAgents, "?limit=", limit)), "limit");
  }
  for (std::string_view sort : {"status:asc", "id:asc", "name:up", "name:ASC", "", ":desc",
                                "created_at:desc:x", "keywords:asc"}) {
    SCOPED_TRACE(std::string(sort));
    expect_validation_error(a_->get(join(kAgents, "?sort=", sort)), "sort");
  }
  EXPECT_EQ(expect_json(a_->get(join(kAgents, "?limit=1")), 200).at("data").as_array().size(), 1u);
  EXPECT_EQ(expect_json(a_->get(join(kAgents, "?limit=100")), 200).at("data").as_array().size(),
            100u);
}

TEST_F(AgentsPagingTest, TamperedForeignAndMismatchedCursorsAreInvalidCursor) {
  std::string cursor = first_cursor(*a_, "?limit=10&sort=name:asc");
  ASSERT_FALSE(cursor.empty());
  ASSERT_EQ(a_->get(join(kAgents, "?limit=10&sort=name:asc&cursor=", cursor)).result_int(), 200);
  std::size_t dot = cursor.find('.');
  ASSERT_NE(dot, std::string::npos);

  for (std::size_t position : {std::size_t{0}, dot - 1, dot + 1, cursor.size() - 1}) {
    std::string tampered = cursor;
    tampered[position] = tampered[position] == 'A' ? 'B' : 'A';
    SCOPED_TRACE(tampered);
    expect_error(a_->get(join(kAgents, "?limit=10&sort=name:asc&cursor=", tampered)), 400,
                 "INVALID_CURSOR");
  }
  for (std::string_view garbage : {"", "x", ".", "e30.e30", "%00"}) {
    SCOPED_TRACE(std::string(garbage));
    expect_error(a_->get(join(kAgents, "?sort=name:asc&cursor=", garbage)), 400, "INVALID_CURSOR");
  }
  // Another sort (field or direction) of the same list.
  expect_error(a_->get(join(kAgents, "?sort=name:desc&cursor=", cursor)), 400, "INVALID_CURSOR");
  expect_error(a_->get(join(kAgents, "?sort=created_at:asc&cursor=", cursor)), 400,
               "INVALID_CURSOR");
  expect_error(a_->get(join(kAgents, "?cursor=", cursor)), 400, "INVALID_CURSOR");
  // Another list.
  expect_error(a_->get(join(kSites, "?sort=name:asc&cursor=", cursor)), 400, "INVALID_CURSOR");
  expect_error(a_->get(join("/v1/dashboard/api-keys?cursor=",
                            first_cursor(*a_, "?limit=10&sort=created_at:desc"))),
               400, "INVALID_CURSOR");
  // Another account: a cursor is A's position in A's list.
  expect_error(b().get(join(kAgents, "?limit=10&sort=name:asc&cursor=", cursor)), 400,
               "INVALID_CURSOR");
}

TEST_F(AgentsPagingTest, ACursorIsAPositionWhateverTheLimitOrStatusFilter) {
  json::object first = expect_json(a_->get(join(kAgents, "?limit=10&sort=created_at:asc")), 200);
  std::string cursor = text_of(first, "next_cursor");
  ASSERT_FALSE(cursor.empty());
  json::object last_shown = first.at("data").as_array().back().as_object();
  auto position = [](const json::object& item) {
    return std::make_pair(text_of(item, "created_at"), text_of(item, "id"));
  };
  // The newest agent, paused: the paused list after the cursor holds it.
  json::object newest =
      expect_json(a_->get(join(kAgents, "?limit=1")), 200).at("data").as_array()[0].as_object();
  ASSERT_EQ(a_->put(agent_path(text_of(newest, "id")), R"({"status":"paused"})").result_int(), 200);

  for (std::string_view query : {"?limit=3&sort=created_at:asc&cursor=",
                                 "?limit=50&status=active&sort=created_at:asc&cursor=",
                                 "?limit=50&status=paused&sort=created_at:asc&cursor="}) {
    SCOPED_TRACE(std::string(query));
    json::object page = expect_json(a_->get(join(kAgents, query, cursor)), 200);
    EXPECT_FALSE(page.at("data").as_array().empty());
    for (const json::value& item : page.at("data").as_array())
      EXPECT_GT(position(item.as_object()), position(last_shown)) << item;
  }
  json::object paused = expect_json(
      a_->get(join(kAgents, "?status=paused&sort=created_at:asc&cursor=", cursor)), 200);
  ASSERT_EQ(paused.at("data").as_array().size(), 1u);
  EXPECT_EQ(text_of(paused.at("data").as_array()[0].as_object(), "id"), text_of(newest, "id"));
}

// ---------------------------------------------------------------------------------------------
// Restart

TEST(ResourcesRestart, AgentsSitesAndKeysSurviveARestartOnTheSameDataDirectory) {
  TempDirectory data;
  asio::io_context writes;
  std::string first_key;
  std::string second_key;
  std::string b_key;
  json::object agent;
  json::object paused;
  json::object site;
  std::string deleted_id;
  {
    TestServer first(test_config_in(data.path()), TestServer::RouteSetup(), DataDirectory::keep);
    ASSERT_TRUE(first.app().first_api_key().has_value());
    first_key = *first.app().first_api_key();
    Api a(first.port(), first_key);
    second_key = text_of(a.create("/v1/dashboard/api-keys", R"({"name":"second"})"), "key");
    b_key = create_account_with_key(writes, first.app().store(), "tenant-b").key;
    site = a.create(kSites, site_body("Blog"));
    agent = a.create(kAgents, join(R"({"name":"kept","keywords":["a","b"],"tone":"technical",)",
                                   R"("word_target":4000,"schedule":"monthly","site_id":")",
                                   join(text_of(site, "id"), R"("})")));
    paused = expect_json(a.put(agent_path(text_of(a.create(kAgents, R"({"name":"p"})"), "id")),
                               R"({"status":"paused"})"),
                         200);
    deleted_id = text_of(a.create(kAgents, R"({"name":"gone"})"), "id");
    ASSERT_EQ(a.remove(agent_path(deleted_id)).result_int(), 200);
    first.stop();
  }

  TestServer second(test_config_in(data.path()), TestServer::RouteSetup(), DataDirectory::keep);
  EXPECT_FALSE(second.app().first_api_key().has_value()) << "a new first account was created";
  Api a(second.port(), first_key);
  Api a_second(second.port(), second_key);
  Api b(second.port(), b_key);
  // Both of A's keys still authenticate, as A; B's as B.
  for (const Api* api : {&a, &a_second}) {
    EXPECT_EQ(expect_json(api->get(agent_path(text_of(agent, "id"))), 200), agent);
    EXPECT_EQ(expect_json(api->get(agent_path(text_of(paused, "id"))), 200), paused);
    EXPECT_EQ(expect_json(api->get(join(kSites, "/", text_of(site, "id"))), 200), site);
  }
  expect_error(a.get(agent_path(deleted_id)), 404, "RESOURCE_NOT_FOUND");
  ListWalk agents = walk_list(a, join(kAgents, "?limit=100"));
  EXPECT_EQ(agents.items.size(), 2u);
  EXPECT_EQ(expect_json(a.get(join(kAgents, "?status=paused")), 200).at("data").as_array().size(),
            1u);
  EXPECT_EQ(expect_json(a.get("/v1/dashboard/api-keys"), 200).at("data").as_array().size(), 2u);
  expect_error(b.get(agent_path(text_of(agent, "id"))), 403, "FORBIDDEN");
  EXPECT_TRUE(expect_json(b.get(kAgents), 200).at("data").as_array().empty());
  // The site still has its sealed password.
  EXPECT_TRUE(expect_json(a.get(join(kSites, "/", text_of(site, "id"))), 200)
                  .at("has_credentials")
                  .as_bool());
}

}  // namespace
}  // namespace seoagents::testing
