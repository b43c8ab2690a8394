// Ranking ingestion, rank alerts and the history list (see rankings.hpp).
#include "storage/rankings.hpp"

#include <algorithm>
#include <boost/json/object.hpp>
#include <cstdlib>
#include <map>
#include <stdexcept>

#include "core/clock.hpp"
#include "core/random_id.hpp"
#include "storage/sites.hpp"
#include "storage/webhook_events.hpp"

namespace seoagents::storage {
namespace {

constexpr std::string_view kObservationExists =
    "SELECT 1 FROM rankings WHERE site_id = ?1 AND keyword = ?2 AND observed_at = ?3";
constexpr std::string_view kPreviousPosition =
    "SELECT position FROM rankings WHERE site_id = ?1 AND keyword = ?2 AND observed_at < ?3 "
    "ORDER BY observed_at DESC LIMIT 1";
constexpr std::string_view kNewerExists =
    "SELECT 1 FROM rankings WHERE site_id = ?1 AND keyword = ?2 AND observed_at > ?3 LIMIT 1";
constexpr std::string_view kInsertRanking =
    "INSERT INTO rankings (id, account_id, site_id, keyword, position, url, observed_at, "
    "previous_position, alerted, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

constexpr std::string_view kRankingColumns =
    "SELECT id, account_id, site_id, keyword, position, url, observed_at, previous_position, "
    "alerted, created_at FROM rankings ";
// The two history lists' filters (keyset.hpp adds position, order and limit).
constexpr std::string_view kSiteFilter = "WHERE site_id = ?1";
constexpr std::string_view kKeywordFilter = "WHERE site_id = ?1 AND keyword = ?2";

const KeysetStatements& site_pages() {
  static const KeysetStatements pages(std::string(kRankingColumns) + std::string(kSiteFilter), 1,
                                      {"observed_at"});
  return pages;
}

const KeysetStatements& keyword_pages() {
  static const KeysetStatements pages(std::string(kRankingColumns) + std::string(kKeywordFilter), 2,
                                      {"observed_at"});
  return pages;
}

Ranking read_ranking(Statement& row) {
  Ranking ranking;
  ranking.id = row.text(0);
  ranking.account_id = row.text(1);
  ranking.site_id = row.text(2);
  ranking.keyword = row.text(3);
  ranking.position = row.integer(4);
  ranking.url = row.text(5);
  ranking.observed_at = row.integer(6);
  ranking.previous_position = row.optional_integer(7);
  ranking.alerted = row.integer(8) != 0;
  ranking.created_at = row.integer(9);
  return ranking;
}

bool observation_exists(Connection& db, const RankingObservation& observation) {
  Query query = db.query(kObservationExists);
  query->bind(1, observation.site_id).bind(2, observation.keyword).bind(3, observation.observed_at);
  return query->step();
}

std::optional<std::int64_t> previous_position(Connection& db,
                                              const RankingObservation& observation) {
  Query query = db.query(kPreviousPosition);
  query->bind(1, observation.site_id).bind(2, observation.keyword).bind(3, observation.observed_at);
  if (!query->step()) return std::nullopt;
  return query->integer(0);
}

bool newer_observation_exists(Connection& db, const RankingObservation& observation) {
  Query query = db.query(kNewerExists);
  query->bind(1, observation.site_id).bind(2, observation.keyword).bind(3, observation.observed_at);
  return query->step();
}

// The thresholds of the sites a batch names, each read once.
class Thresholds {
 public:
  explicit Thresholds(Connection& db) : db_(db) {}

  std::int64_t of(const std::string& site_id) {
    auto found = cache_.find(site_id);
    if (found != cache_.end()) return found->second;
    std::optional<Site> site = find_site(db_, site_id);
    if (!site) throw std::logic_error("ranking for a missing site: " + site_id);
    return cache_.emplace(site_id, site->rank_alert_threshold).first->second;
  }

 private:
  Connection& db_;
  std::map<std::string, std::int64_t> cache_;
};

// The rank.alert payload's data: positions gained are a positive change, lost a negative one.
boost::json::object alert_data(const RankingObservation& observation, std::int64_t old_position) {
  boost::json::object data;
  data["site_id"] = observation.site_id;
  data["keyword"] = observation.keyword;
  data["old_position"] = old_position;
  data["new_position"] = observation.position;
  data["change"] = old_position - observation.position;
  data["direction"] = observation.position < old_position ? "up" : "down";
  data["url"] = observation.url;
  data["observed_at"] = format_rfc3339_ms(observation.observed_at);
  return data;
}

void insert_ranking(Connection& db, const Ranking& ranking) {
  db.query(kInsertRanking)
      ->bind(1, ranking.id)
      .bind(2, ranking.account_id)
      .bind(3, ranking.site_id)
      .bind(4, ranking.keyword)
      .bind(5, ranking.position)
      .bind(6, ranking.url)
      .bind(7, ranking.observed_at)
      .bind(8, ranking.previous_position)
      .bind(9, std::int64_t{ranking.alerted ? 1 : 0})
      .bind(10, ranking.created_at)
      .run();
}

bool comes_before(const RankingObservation& a, const RankingObservation& b) {
  if (a.site_id != b.site_id) return a.site_id < b.site_id;
  if (a.keyword != b.keyword) return a.keyword < b.keyword;
  return a.observed_at < b.observed_at;
}

}  // namespace

IngestSummary ingest_rankings(Connection& db, std::string_view account_id,
                              std::vector<RankingObservation> observations, std::int64_t now) {
  // Oldest first per (site, keyword): each observation is compared with the one before it,
  // whether that came in this batch or an earlier one, whatever the order the client sent.
  std::stable_sort(observations.begin(), observations.end(), comes_before);
  Thresholds thresholds(db);
  IngestSummary summary;
  for (RankingObservation& observation : observations) {
    if (observation_exists(db, observation)) {
      ++summary.duplicates;
      continue;
    }
    Ranking ranking;
    ranking.id = "rank-" + secure_random_hex(8);
    ranking.account_id = account_id;
    ranking.previous_position = previous_position(db, observation);
    ranking.alerted = ranking.previous_position && !newer_observation_exists(db, observation) &&
                      std::llabs(observation.position - *ranking.previous_position) >=
                          thresholds.of(observation.site_id);
    ranking.created_at = now;
    if (ranking.alerted) {
      record_webhook_event(db, account_id, "rank.alert",
                           alert_data(observation, *ranking.previous_position), now);
      ++summary.alerts;
    }
    ranking.site_id = std::move(observation.site_id);
    ranking.keyword = std::move(observation.keyword);
    ranking.position = observation.position;
    ranking.url = std::move(observation.url);
    ranking.observed_at = observation.observed_at;
    insert_ranking(db, ranking);
    ++summary.ingested;
  }
  return summary;
}

std::vector<Ranking> list_rankings(Connection& db, std::string_view site_id,
                                   const std::optional<std::string>& keyword, bool descending,
                                   const std::optional<PagePosition>& after, std::size_t limit) {
  KeysetPage page{"observed_at", descending, after, limit};
  if (keyword) return read_page(db, keyword_pages(), {site_id, *keyword}, page, read_ranking);
  return read_page(db, site_pages(), {site_id}, page, read_ranking);
}

PagePosition ranking_position(const Ranking& ranking) {
  return {ranking.observed_at, ranking.id};
}

}  // namespace seoagents::storage
