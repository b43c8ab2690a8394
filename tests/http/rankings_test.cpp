// Over the wire: POST /v1/dashboard/rankings ingests keyword positions (wrapped or as a bare
// array), all or nothing, and raises exactly one rank.alert per change at or over the site's
// rank_alert_threshold (seen in the webhook_events and webhook_deliveries rows of a webhook
// subscribed directly in the store); duplicates are skipped. GET lists a site's history newest
// first, cursor-paginated. Bad input: wrong types, missing and unknown fields, positions ≤ 0,
// malformed dates, oversized batches → 400 naming the row; unknown sites → 404; another
// account's → 403. rank_alert_threshold is part of the site representation.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/api_helpers.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::testing {
namespace {

constexpr std::string_view kRankings = "/v1/dashboard/rankings";
constexpr std::string_view kSites = "/v1/dashboard/sites";
constexpr std::string_view kKeyword = "trade show booth cost";

std::string site_body(std::string_view extra = {}) {
  return join(R"({"url":"https://93.184.216.34/blog","name":"Blog","username":"editor",)",
              R"("application_password":"abcd efgh ijkl mnop")", extra, "}");
}

// One observation; `day` of February 2026.
json::object row(const std::string& site_id, std::int64_t position, int day,
                 std::string_view keyword = kKeyword) {
  json::object object;
  object["site_id"] = site_id;
  object["keyword"] = keyword;
  object["position"] = position;
  object["url"] = "https://93.184.216.34/blog/booths/";
  object["observed_at"] = join("2026-02-", day < 10 ? "0" : "", std::to_string(day), "T10:30:00Z");
  return object;
}

std::string wrapped(std::vector<json::object> rows) {
  json::array array;
  for (json::object& object : rows)
    array.emplace_back(std::move(object));
  json::object body;
  body["rankings"] = std::move(array);
  return json::serialize(body);
}

std::string bare(std::vector<json::object> rows) {
  json::array array;
  for (json::object& object : rows)
    array.emplace_back(std::move(object));
  return json::serialize(array);
}

class RankingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>();
    a_ = std::make_unique<Api>(server_->port(), *server_->app().first_api_key());
    site_ = text_of(a_->create(kSites, site_body()), "id");
    subscribe(default_account_id(server_->app().store()), "wh-0000000a");
  }

  const Api& b() {
    if (!b_) {
      TestAccount account = create_account_with_key(writes_, server_->app().store(), "tenant-b");
      b_ = std::make_unique<Api>(server_->port(), account.key);
      b_account_ = account.account_id;
    }
    return *b_;
  }

  // A webhook subscribed to rank.alert, written in the store (the webhooks API is tested
  // elsewhere).
  void subscribe(const std::string& account_id, const std::string& webhook_id) {
    std::string sql = join(
        "INSERT INTO webhooks (id, account_id, url, events, secret_sealed, "
        "created_at, updated_at) VALUES ('",
        webhook_id, "', '", account_id,
        "', 'http://127.0.0.1:9/hook', '[\"rank.alert\"]', x'00', 0, 0)");
    store_write<bool>(writes_, server_->app().store(), [sql](storage::Connection& db) {
      db.exec(sql);
      return true;
    });
  }

  std::int64_t count(std::string_view sql) {
    storage::Query query = server_->app().store().reader().query(sql);
    query->step();
    return query->integer(0);
  }

  // The data of the rank.alert events, oldest first.
  std::vector<json::object> alerts() {
    std::vector<json::object> found;
    storage::Query query = server_->app().store().reader().query(
        "SELECT payload FROM webhook_events WHERE type = 'rank.alert' ORDER BY created_at, rowid");
    while (query->step())
      found.push_back(json::parse(query->text(0)).at("data").as_object());
    return found;
  }

  json::object ingest(const std::string& body, unsigned status = 201) {
    return expect_json(a_->post(kRankings, body), status);
  }

  std::vector<json::object> history(std::string_view extra = {}) {
    ListWalk walk = walk_list(*a_, join(kRankings, "?limit=100&site_id=", site_, extra));
    EXPECT_TRUE(walk.ended);
    return walk.items;
  }

  asio::io_context writes_;
  std::unique_ptr<TestServer> server_;
  std::unique_ptr<Api> a_;
  std::unique_ptr<Api> b_;
  std::string b_account_;
  std::string site_;
};

std::int64_t number(const json::object& object, std::string_view name) {
  return object.at(name).as_int64();
}

// ---------------------------------------------------------------------------------------------
// Ingestion and alerts

TEST_F(RankingsTest, IngestAnswers201WithCountsAndAlertsOncePerChange) {
  json::object first = ingest(wrapped({row(site_, 10, 1), row(site_, 6, 2)}));
  EXPECT_EQ(member_names(first), (std::set<std::string>{"ingested", "duplicates", "alerts"}));
  EXPECT_EQ(number(first, "ingested"), 2);
  EXPECT_EQ(number(first, "duplicates"), 0);
  EXPECT_EQ(number(first, "alerts"), 1);

  // The same export again: nothing new, no second alert.
  json::object again = ingest(wrapped({row(site_, 10, 1), row(site_, 6, 2)}));
  EXPECT_EQ(number(again, "ingested"), 0);
  EXPECT_EQ(number(again, "duplicates"), 2);
  EXPECT_EQ(number(again, "alerts"), 0);

  // A bare array is accepted too; a change under the threshold raises nothing.
  EXPECT_EQ(number(ingest(bare({row(site_, 8, 3)})), "alerts"), 0);
  EXPECT_EQ(number(ingest(bare({row(site_, 20, 4)})), "alerts"), 1);

  std::vector<json::object> raised = alerts();
  ASSERT_EQ(raised.size(), 2u);
  EXPECT_EQ(member_names(raised[0]),
            (std::set<std::string>{"site_id", "keyword", "old_position", "new_position", "change",
                                   "direction", "url", "observed_at"}));
  EXPECT_EQ(text_of(raised[0], "site_id"), site_);
  EXPECT_EQ(text_of(raised[0], "keyword"), kKeyword);
  EXPECT_EQ(number(raised[0], "old_position"), 10);
  EXPECT_EQ(number(raised[0], "new_position"), 6);
  EXPECT_EQ(number(raised[0], "change"), 4);
  EXPECT_EQ(text_of(raised[0], "url"), "https://93.184.216.34/blog/booths/");
  EXPECT_EQ(text_of(raised[0], "observed_at"), "2026-02-02T10:30:00.000Z");
  EXPECT_EQ(number(raised[1], "old_position"), 8);
  EXPECT_EQ(number(raised[1], "new_position"), 20);
  EXPECT_EQ(number(raised[1], "change"), -12);
  EXPECT_EQ(count("SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = 'wh-0000000a'"), 2);
}

TEST_F(RankingsTest, ALateOlderObservationDoesNotAlert) {
  ingest(wrapped({row(site_, 10, 1), row(site_, 2, 5)}));
  ASSERT_EQ(alerts().size(), 1u);
  json::object late = ingest(wrapped({row(site_, 40, 3)}));
  EXPECT_EQ(number(late, "ingested"), 1);
  EXPECT_EQ(number(late, "alerts"), 0);
  EXPECT_EQ(alerts().size(), 1u);
}

TEST_F(RankingsTest, TheThresholdIsTheSites) {
  json::object site = a_->create(kSites, site_body(R"(,"rank_alert_threshold":10)"));
  EXPECT_EQ(number(site, "rank_alert_threshold"), 10);
  std::string strict = text_of(site, "id");
  EXPECT_EQ(number(expect_json(a_->get(join(kSites, "/", site_)), 200), "rank_alert_threshold"), 3);
  EXPECT_EQ(number(ingest(wrapped({row(strict, 20, 1), row(strict, 11, 2)})), "alerts"), 0);
  EXPECT_EQ(number(ingest(wrapped({row(strict, 1, 3)})), "alerts"), 1);

  json::object changed =
      expect_json(a_->put(join(kSites, "/", strict), R"({"rank_alert_threshold":1})"), 200);
  EXPECT_EQ(number(changed, "rank_alert_threshold"), 1);
  EXPECT_EQ(number(expect_json(a_->get(join(kSites, "/", strict)), 200), "rank_alert_threshold"),
            1);
  EXPECT_EQ(number(ingest(wrapped({row(strict, 2, 4)})), "alerts"), 1);

  for (std::string_view bad : {"0", "101", "-3", "\"5\"", "2.5", "null", "true"}) {
    SCOPED_TRACE(bad);
    expect_validation_error(
        a_->put(join(kSites, "/", strict), join(R"({"rank_alert_threshold":)", bad, "}")),
        "rank_alert_threshold");
    expect_validation_error(a_->post(kSites, site_body(join(R"(,"rank_alert_threshold":)", bad))),
                            "rank_alert_threshold");
  }
}

// ---------------------------------------------------------------------------------------------
// Bad input

TEST_F(RankingsTest, InvalidRowsAre400NamingTheRowAndNothingIsStored) {
  struct Case {
    std::string name;
    std::string field;
    std::string value;  // JSON
  };
  const std::vector<Case> cases{
      {"position zero", "position", "0"},
      {"negative position", "position", "-4"},
      {"position as text", "position", "\"3\""},
      {"fractional position", "position", "3.5"},
      {"null position", "position", "null"},
      {"empty keyword", "keyword", "\"  \""},
      {"keyword as number", "keyword", "7"},
      {"long keyword", "keyword", join("\"", std::string(201, 'k'), "\"")},
      {"ftp url", "url", "\"ftp://93.184.216.34/x\""},
      {"not a url", "url", "\"booths\""},
      {"date without time", "observed_at", "\"2026-02-03\""},
      {"impossible date", "observed_at", "\"2026-02-30T10:00:00Z\""},
      {"words for a date", "observed_at", "\"yesterday\""},
      {"date as number", "observed_at", "1767225600"},
      {"future date", "observed_at", "\"2099-01-01T00:00:00Z\""},
      {"site id as number", "site_id", "12"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    json::object broken = row(site_, 5, 4);
    broken[c.field] = json::parse(c.value);
    std::string body = wrapped({row(site_, 5, 1), row(site_, 5, 2), row(site_, 5, 3), broken});
    expect_validation_error(a_->post(kRankings, body), join("rankings[3].", c.field));
  }
  for (std::string_view field : {"site_id", "keyword", "position", "url", "observed_at"}) {
    SCOPED_TRACE(field);
    json::object missing = row(site_, 5, 1);
    missing.erase(field);
    expect_validation_error(a_->post(kRankings, wrapped({missing})), join("rankings[0].", field));
  }
  json::object extra = row(site_, 5, 1);
  extra["source"] = "gsc";
  expect_validation_error(a_->post(kRankings, wrapped({extra})), "rankings[0].source");
  expect_validation_error(a_->post(kRankings, R"({"rankings":[5]})"), "rankings[0]");
  EXPECT_TRUE(history().empty()) << "a refused batch stores nothing";
}

TEST_F(RankingsTest, TheBatchItselfMustBeWellFormedAndBounded) {
  expect_validation_error(a_->post(kRankings, R"({"rankings":[]})"), "rankings");
  expect_validation_error(a_->post(kRankings, "[]"), "rankings");
  expect_validation_error(a_->post(kRankings, R"({"rankings":{}})"), "rankings");
  expect_validation_error(a_->post(kRankings, R"({})"), "rankings");
  expect_validation_error(a_->post(kRankings, R"({"rankings":[],"more":1})"), "more");
  std::vector<json::object> rows;
  for (int i = 0; i < 1001; ++i)
    rows.push_back(row(site_, 1 + i % 50, 1 + i % 28, join("keyword ", std::to_string(i))));
  expect_validation_error(a_->post(kRankings, wrapped(rows)), "rankings");
  rows.pop_back();
  EXPECT_EQ(number(ingest(wrapped(rows)), "ingested"), 1000);
  expect_error(a_->post(kRankings, "{\"rankings\": ["), 400, "INVALID_JSON");
  expect_error(a_->post(kRankings, "\"rankings\""), 400, "INVALID_JSON");
}

TEST_F(RankingsTest, UnknownSitesAre404AndOtherAccountsSites403) {
  expect_error(a_->post(kRankings, wrapped({row("site-00000000", 3, 1)})), 404,
               "RESOURCE_NOT_FOUND");
  std::string foreign = text_of(b().create(kSites, site_body()), "id");
  expect_error(a_->post(kRankings, wrapped({row(foreign, 3, 1)})), 403, "FORBIDDEN");
  // One foreign row refuses the whole batch, and 403 wins over 404.
  expect_error(a_->post(kRankings, wrapped({row(site_, 3, 1), row("site-00000000", 3, 1),
                                            row(foreign, 3, 2)})),
               403, "FORBIDDEN");
  EXPECT_TRUE(history().empty());
  // b's own site is fine for b, and its alerts are b's: a's webhook sees none.
  json::object b_summary =
      expect_json(b().post(kRankings, wrapped({row(foreign, 30, 1), row(foreign, 3, 2)})), 201);
  EXPECT_EQ(number(b_summary, "alerts"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM webhook_deliveries"), 0);
}

// ---------------------------------------------------------------------------------------------
// History

TEST_F(RankingsTest, HistoryIsNewestFirstAndPaginated) {
  std::vector<json::object> rows;
  for (int day = 1; day <= 12; ++day) {
    rows.push_back(row(site_, 1 + day % 3, day));
    rows.push_back(row(site_, 5, day, "other keyword"));
  }
  ingest(wrapped(rows));
  ListWalk walk = walk_list(
      *a_, join(kRankings, "?limit=5&site_id=", site_, "&keyword=trade%20show%20booth%20cost"));
  EXPECT_TRUE(walk.ended);
  EXPECT_EQ(walk.pages, 3);
  ASSERT_EQ(walk.items.size(), 12u);
  EXPECT_EQ(text_of(walk.items[0], "observed_at"), "2026-02-12T10:30:00.000Z");
  EXPECT_EQ(text_of(walk.items[11], "observed_at"), "2026-02-01T10:30:00.000Z");
  EXPECT_EQ(member_names(walk.items[0]),
            (std::set<std::string>{"id", "site_id", "keyword", "position", "previous_position",
                                   "change", "alerted", "url", "observed_at", "created_at"}));
  EXPECT_EQ(number(walk.items[0], "position"), 1);
  EXPECT_EQ(number(walk.items[0], "previous_position"), 3);
  EXPECT_EQ(number(walk.items[0], "change"), 2);
  EXPECT_TRUE(walk.items[11].at("previous_position").is_null());
  for (std::size_t i = 1; i < walk.items.size(); ++i)
    EXPECT_GT(text_of(walk.items[i - 1], "observed_at"), text_of(walk.items[i], "observed_at"));

  EXPECT_EQ(history().size(), 24u) << "without keyword: the whole site";
  std::vector<json::object> oldest_first = history("&sort=observed_at:asc&keyword=other%20keyword");
  ASSERT_EQ(oldest_first.size(), 12u);
  EXPECT_EQ(text_of(oldest_first[0], "observed_at"), "2026-02-01T10:30:00.000Z");
}

TEST_F(RankingsTest, HistoryQueryErrors) {
  expect_validation_error(a_->get(kRankings), "site_id");
  expect_validation_error(a_->get(join(kRankings, "?site_id=")), "site_id");
  expect_error(a_->get(join(kRankings, "?site_id=site-00000000")), 404, "RESOURCE_NOT_FOUND");
  std::string foreign = text_of(b().create(kSites, site_body()), "id");
  expect_error(a_->get(join(kRankings, "?site_id=", foreign)), 403, "FORBIDDEN");
  expect_validation_error(a_->get(join(kRankings, "?site_id=", site_, "&keyword=")), "keyword");
  expect_validation_error(a_->get(join(kRankings, "?site_id=", site_, "&sort=created_at:desc")),
                          "sort");
  expect_validation_error(a_->get(join(kRankings, "?site_id=", site_, "&limit=0")), "limit");
  expect_error(a_->get(join(kRankings, "?site_id=", site_, "&cursor=abc.def")), 400,
               "INVALID_CURSOR");
}

}  // namespace
}  // namespace seoagents::testing
