// The dashboard's numbers for one account: GET /stats and GET /chart-data. Every figure comes
// from an index range or from the counters kept beside the rows (daily_activity,
// agent_article_totals), never from a scan of all jobs or articles.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/sqlite.hpp"

namespace seoagents::storage {

struct DashboardStats {
  std::int64_t active_agents = 0;
  std::int64_t total_articles = 0;
  // The mean SEO score of the articles; nullopt when there are none.
  std::optional<double> avg_score;
  std::int64_t jobs_pending = 0;
  std::int64_t jobs_processing = 0;
  // Jobs that finished in the 24 hours before `now`.
  std::int64_t jobs_completed_24h = 0;
  std::int64_t jobs_failed_24h = 0;
};

DashboardStats dashboard_stats(Connection& db, std::string_view account_id, std::int64_t now);

struct ActivityDay {
  // "YYYY-MM-DD" (UTC).
  std::string date;
  std::int64_t jobs_created = 0;
  std::int64_t jobs_completed = 0;
  std::int64_t articles = 0;
};

struct AgentCategory {
  std::string agent_id;
  std::string name;
  std::int64_t articles = 0;
  std::optional<double> avg_score;
};

struct JobTypeCounts {
  std::string job_type;
  std::int64_t created = 0;
  std::int64_t completed = 0;
  std::int64_t failed = 0;
};

struct ChartData {
  // One entry per day, oldest first, the last being today; days without activity are zeros.
  std::vector<ActivityDay> activity;
  // One per agent that is not deleted.
  std::vector<AgentCategory> categories;
  // One per job type, over the same days.
  std::vector<JobTypeCounts> job_types;
};

// The last `days` days (1–365) up to and including the UTC day of `now`.
ChartData chart_data(Connection& db, std::string_view account_id, int days, std::int64_t now);

}  // namespace seoagents::storage
