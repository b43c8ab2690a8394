// The rankings repository: ingestion compares each observation with the latest earlier one of
// its (site, keyword) and records exactly one rank.alert per change at or over the site's
// threshold (checked through the webhook_events and webhook_deliveries rows), skips duplicates,
// never alerts on a backfilled older observation, is independent of the order of a batch, and
// lists a site's history newest first with keyset pages.
#include "storage/rankings.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "core/clock.hpp"
#include "storage/sites.hpp"
#include "tests/storage/store_fixture.hpp"

namespace seoagents::storage {
namespace {

namespace json = boost::json;

constexpr std::int64_t kDay = 24LL * 3600 * 1000;
constexpr std::int64_t kBaseTime = 1'780'000'000'000;
constexpr std::string_view kKeyword = "trade show booth cost";

class RankingsTest : public fixtures::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    account_ = new_account("acme");
    site_ = add_site(account_.id, 3);
    subscribe(account_.id, "wh-0000000a");
  }

  std::string add_site(const std::string& account_id, std::int64_t threshold) {
    Site site;
    site.id = new_site_id();
    site.account_id = account_id;
    site.name = "Blog";
    site.url = "https://blog.example.com";
    site.username = "editor";
    site.password_sealed = "sealed";
    site.rank_alert_threshold = threshold;
    site.created_at = site.updated_at = kBaseTime;
    write<bool>([&](Connection& db) {
      insert_site(db, site);
      return true;
    });
    return site.id;
  }

  // A webhook of `account_id` subscribed to rank.alert, written directly (the webhooks API is
  // not what this test is about).
  void subscribe(const std::string& account_id, const std::string& webhook_id) {
    exec(
        "INSERT INTO webhooks (id, account_id, url, events, secret_sealed, created_at, "
        "updated_at) VALUES ('" +
        webhook_id + "', '" + account_id +
        "', 'http://127.0.0.1:9/hook', '[\"rank.alert\"]', x'00', 0, 0)");
  }

  RankingObservation observation(std::int64_t position, std::int64_t day,
                                 std::string_view keyword = kKeyword) {
    return {site_, std::string(keyword), position, "https://blog.example.com/booths/",
            kBaseTime + day * kDay};
  }

  IngestSummary ingest(std::vector<RankingObservation> observations) {
    return write<IngestSummary>([&](Connection& db) {
      return ingest_rankings(db, account_.id, observations, kBaseTime + 100 * kDay);
    });
  }

  // The data of every rank.alert event, oldest first.
  std::vector<json::object> alerts() {
    std::vector<json::object> found;
    Query query = db().query(
        "SELECT payload FROM webhook_events WHERE type = 'rank.alert' ORDER BY created_at, rowid");
    while (query->step()) {
      json::value payload = json::parse(query->text(0));
      found.push_back(payload.at("data").as_object());
    }
    return found;
  }

  std::int64_t count(std::string_view sql) {
    Query query = db().query(sql);
    query->step();
    return query->integer(0);
  }

  std::vector<Ranking> history(std::optional<std::string> keyword = std::string(kKeyword)) {
    return list_rankings(db(), site_, keyword, true, std::nullopt, 100);
  }

  Account account_;
  std::string site_;
};

TEST_F(RankingsTest, AChangeAtOrOverTheThresholdRaisesOneAlert) {
  EXPECT_EQ(ingest({observation(10, 1)}).alerts, 0);  // nothing to compare with
  EXPECT_EQ(ingest({observation(10, 2)}).alerts, 0);  // unchanged
  EXPECT_EQ(ingest({observation(7, 3)}).alerts, 1);   // up 3: the threshold
  EXPECT_EQ(ingest({observation(6, 4)}).alerts, 0);   // up 1
  EXPECT_EQ(ingest({observation(12, 5)}).alerts, 1);  // down 6

  std::vector<json::object> raised = alerts();
  ASSERT_EQ(raised.size(), 2u);
  EXPECT_EQ(raised[0].at("site_id").as_string(), site_);
  EXPECT_EQ(raised[0].at("keyword").as_string(), kKeyword);
  EXPECT_EQ(raised[0].at("old_position").as_int64(), 10);
  EXPECT_EQ(raised[0].at("new_position").as_int64(), 7);
  EXPECT_EQ(raised[0].at("change").as_int64(), 3);
  EXPECT_EQ(raised[0].at("direction").as_string(), "up");
  EXPECT_EQ(raised[0].at("url").as_string(), "https://blog.example.com/booths/");
  EXPECT_EQ(raised[0].at("observed_at").as_string(), format_rfc3339_ms(kBaseTime + 3 * kDay));
  EXPECT_EQ(raised[1].at("old_position").as_int64(), 6);
  EXPECT_EQ(raised[1].at("new_position").as_int64(), 12);
  EXPECT_EQ(raised[1].at("change").as_int64(), -6);
  EXPECT_EQ(raised[1].at("direction").as_string(), "down");
  // One delivery per alert to the subscribed webhook.
  EXPECT_EQ(count("SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = 'wh-0000000a'"), 2);

  std::vector<Ranking> rows = history();
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].position, 12);
  EXPECT_EQ(rows[0].previous_position, 6);
  EXPECT_TRUE(rows[0].alerted);
  EXPECT_FALSE(rows[1].alerted);
  EXPECT_TRUE(rows[2].alerted);
  EXPECT_EQ(rows[4].previous_position, std::nullopt);
}

TEST_F(RankingsTest, TheSameObservationTwiceIsADuplicateAndAlertsOnce) {
  ingest({observation(20, 1)});
  IngestSummary first = ingest({observation(5, 2)});
  IngestSummary again = ingest({observation(5, 2)});
  EXPECT_EQ(first.ingested, 1);
  EXPECT_EQ(first.alerts, 1);
  EXPECT_EQ(again.ingested, 0);
  EXPECT_EQ(again.duplicates, 1);
  EXPECT_EQ(again.alerts, 0);
  // Within one batch too; the first of the instant stands, whatever position the other says.
  IngestSummary batch = ingest({observation(1, 3), observation(30, 3)});
  EXPECT_EQ(batch.ingested, 1);
  EXPECT_EQ(batch.duplicates, 1);
  EXPECT_EQ(alerts().size(), 2u);
  EXPECT_EQ(history()[0].position, 1);
}

TEST_F(RankingsTest, ABackfilledOlderObservationNeverAlerts) {
  ingest({observation(10, 1)});
  ASSERT_EQ(ingest({observation(2, 5)}).alerts, 1);
  // Day 3 comes late: far from day 1's position, but day 5 is the current one.
  IngestSummary late = ingest({observation(40, 3)});
  EXPECT_EQ(late.ingested, 1);
  EXPECT_EQ(late.alerts, 0);
  EXPECT_EQ(alerts().size(), 1u);
  std::vector<Ranking> rows = history();
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].position, 40);
  EXPECT_EQ(rows[1].previous_position, 10);
  EXPECT_FALSE(rows[1].alerted);
}

TEST_F(RankingsTest, ABatchIsComparedInTimeOrderWhateverItsOrder) {
  IngestSummary summary =
      ingest({observation(1, 3), observation(20, 1), observation(9, 2), observation(1, 4)});
  EXPECT_EQ(summary.ingested, 4);
  EXPECT_EQ(summary.alerts, 2);  // 20 → 9, 9 → 1
  std::vector<json::object> raised = alerts();
  ASSERT_EQ(raised.size(), 2u);
  EXPECT_EQ(raised[0].at("old_position").as_int64(), 20);
  EXPECT_EQ(raised[0].at("new_position").as_int64(), 9);
  EXPECT_EQ(raised[1].at("old_position").as_int64(), 9);
  EXPECT_EQ(raised[1].at("new_position").as_int64(), 1);
}

TEST_F(RankingsTest, EachSiteHasItsThresholdAndEachKeywordItsHistory) {
  std::string strict = add_site(account_.id, 5);
  RankingObservation a{strict, "k", 10, "https://x.example/a", kBaseTime};
  RankingObservation b{strict, "k", 6, "https://x.example/a", kBaseTime + kDay};
  RankingObservation c{strict, "k", 1, "https://x.example/a", kBaseTime + 2 * kDay};
  EXPECT_EQ(ingest({a, b}).alerts, 0);  // 4 < 5
  EXPECT_EQ(ingest({c}).alerts, 1);     // 5
  // Another keyword of the same site starts its own history.
  EXPECT_EQ(ingest({observation(50, 1, "other"), observation(1, 2)}).alerts, 0);
  EXPECT_EQ(alerts().size(), 1u);
}

TEST_F(RankingsTest, WithoutASubscriberTheAlertIsCountedButNoEventIsWritten) {
  Account other = new_account("globex");
  std::string site = add_site(other.id, 3);
  auto summary = write<IngestSummary>([&](Connection& db) {
    return ingest_rankings(db, other.id,
                           {{site, "k", 30, "https://x.example/", kBaseTime},
                            {site, "k", 3, "https://x.example/", kBaseTime + kDay}},
                           kBaseTime + 10 * kDay);
  });
  EXPECT_EQ(summary.alerts, 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM webhook_events"), 0);
  EXPECT_TRUE(list_rankings(db(), site, std::nullopt, true, std::nullopt, 10)[0].alerted);
}

TEST_F(RankingsTest, HistoryIsNewestFirstAndPagesWalkEveryRowOnce) {
  std::vector<RankingObservation> batch;
  for (int day = 0; day < 23; ++day) {
    batch.push_back(observation(1 + day % 4, day));
    batch.push_back(observation(1 + day % 7, day, "second keyword"));
  }
  ingest(batch);
  auto read = [this](std::optional<std::string> keyword) {
    return [this, keyword](const std::optional<PagePosition>& after, std::size_t limit) {
      return list_rankings(db(), site_, keyword, true, after, limit);
    };
  };
  std::function<PagePosition(const Ranking&)> position = ranking_position;
  std::vector<std::string> one_keyword =
      fixtures::walk_pages<Ranking>(read(std::string(kKeyword)), position, 5);
  EXPECT_EQ(one_keyword.size(), 23u);
  std::vector<std::string> whole_site =
      fixtures::walk_pages<Ranking>(read(std::nullopt), position, 4);
  EXPECT_EQ(whole_site.size(), 46u);
  EXPECT_EQ(whole_site, fixtures::keyset_order(history(std::nullopt), position, true));
  std::vector<Ranking> rows = history();
  for (std::size_t i = 1; i < rows.size(); ++i)
    EXPECT_GT(rows[i - 1].observed_at, rows[i].observed_at);
}

TEST_F(RankingsTest, RemovingTheSiteRemovesItsHistory) {
  ingest({observation(3, 1), observation(4, 2)});
  write<bool>([&](Connection& db) {
    delete_site(db, site_);
    return true;
  });
  EXPECT_EQ(count("SELECT COUNT(*) FROM rankings"), 0);
}

}  // namespace
}  // namespace seoagents::storage
