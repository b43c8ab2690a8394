// Keyword rankings of a site (from Search Console exports or any rank tracker) and the rank
// alerts they raise. Each observation is compared, as it is ingested, with the latest earlier
// observation of the same (site, keyword); a change of at least the site's rank_alert_threshold
// records rank.alert in the same write, so an alert exists exactly when its observation does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/keyset.hpp"
#include "storage/sqlite.hpp"

namespace seoagents::storage {

// One observation as a client sends it (already validated).
struct RankingObservation {
  std::string site_id;
  std::string keyword;
  // 1 = the first result.
  std::int64_t position = 0;
  // The page that ranks.
  std::string url;
  // When the position was observed (ms since the epoch).
  std::int64_t observed_at = 0;
};

// An observation as stored.
struct Ranking {
  // "rank-" + 16 hex.
  std::string id;
  std::string account_id;
  std::string site_id;
  std::string keyword;
  std::int64_t position = 0;
  std::string url;
  std::int64_t observed_at = 0;
  // The position of the latest earlier observation at the time this one was ingested.
  std::optional<std::int64_t> previous_position;
  // This observation raised rank.alert.
  bool alerted = false;
  std::int64_t created_at = 0;
};

struct IngestSummary {
  // Observations stored.
  std::int64_t ingested = 0;
  // Observations skipped: their (site, keyword, observed_at) was already stored, or came
  // earlier in the same batch.
  std::int64_t duplicates = 0;
  // rank.alert events raised.
  std::int64_t alerts = 0;
};

// Stores `observations` for `account_id` at `now`, in order of (site, keyword, observed_at),
// and raises rank.alert (storage/webhook_events) for each one that is the newest of its (site,
// keyword) when stored and whose position differs from the previous observation's by at least
// the site's threshold. An observation older than one already stored (a backfill) is kept for
// the history but raises nothing: the change it would report is not the current one, and the
// newer observation was compared when it came. Every site must exist and belong to the account
// (the caller checks, in the same write).
IngestSummary ingest_rankings(Connection& db, std::string_view account_id,
                              std::vector<RankingObservation> observations, std::int64_t now);

// A site's observations, of one keyword when `keyword` is given, by observed_at (the only sort
// column), keyset-paged.
std::vector<Ranking> list_rankings(Connection& db, std::string_view site_id,
                                   const std::optional<std::string>& keyword, bool descending,
                                   const std::optional<PagePosition>& after, std::size_t limit);
PagePosition ranking_position(const Ranking& ranking);

}  // namespace seoagents::storage
