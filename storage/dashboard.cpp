// Dashboard queries: each reads an index range of one account or its counters.
#include "storage/dashboard.hpp"

#include <cmath>
#include <map>

#include "storage/jobs.hpp"

namespace seoagents::storage {
namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

constexpr std::string_view kCountActiveAgents =
    "SELECT count(*) FROM agents WHERE account_id = ?1 AND status = 'active'";
constexpr std::string_view kArticleTotals =
    "SELECT coalesce(sum(articles), 0), coalesce(sum(score_sum), 0) FROM agent_article_totals "
    "WHERE account_id = ?1";
constexpr std::string_view kJobsInFlight =
    "SELECT status, count(*) FROM jobs "
    "WHERE account_id = ?1 AND status IN ('pending', 'processing') GROUP BY status";
constexpr std::string_view kJobsFinishedSince =
    "SELECT count(*) FROM jobs WHERE account_id = ?1 AND status = ?2 AND finished_at > ?3";
constexpr std::string_view kActivityByDay =
    "SELECT day, sum(jobs_created), sum(jobs_completed), sum(articles) FROM daily_activity "
    "WHERE account_id = ?1 AND day >= ?2 GROUP BY day ORDER BY day";
constexpr std::string_view kActivityByType =
    "SELECT job_type, sum(jobs_created), sum(jobs_completed), sum(jobs_failed) "
    "FROM daily_activity WHERE account_id = ?1 AND day >= ?2 GROUP BY job_type";
constexpr std::string_view kCategories =
    "SELECT a.id, a.name, coalesce(t.articles, 0), coalesce(t.score_sum, 0) FROM agents a "
    "LEFT JOIN agent_article_totals t ON t.agent_id = a.id "
    "WHERE a.account_id = ?1 AND a.status != 'deleted' ORDER BY a.created_at, a.id";

std::int64_t single_count(Connection& db, std::string_view sql, std::string_view account_id) {
  Query query = db.query(sql);
  query->bind(1, account_id);
  query->step();
  return query->integer(0);
}

// A mean rounded to one decimal; nullopt for no items.
std::optional<double> mean(std::int64_t sum, std::int64_t count) {
  if (count <= 0) return std::nullopt;
  return std::round(static_cast<double>(sum) * 10.0 / static_cast<double>(count)) / 10.0;
}

std::int64_t finished_since(Connection& db, std::string_view account_id, std::string_view status,
                            std::int64_t since) {
  Query query = db.query(kJobsFinishedSince);
  query->bind(1, account_id).bind(2, status).bind(3, since);
  query->step();
  return query->integer(0);
}

}  // namespace

DashboardStats dashboard_stats(Connection& db, std::string_view account_id, std::int64_t now) {
  DashboardStats stats;
  stats.active_agents = single_count(db, kCountActiveAgents, account_id);
  {
    Query query = db.query(kArticleTotals);
    query->bind(1, account_id);
    query->step();
    stats.total_articles = query->integer(0);
    stats.avg_score = mean(query->integer(1), stats.total_articles);
  }
  {
    Query query = db.query(kJobsInFlight);
    query->bind(1, account_id);
    while (query->step()) {
      (query->text(0) == "pending" ? stats.jobs_pending : stats.jobs_processing) =
          query->integer(1);
    }
  }
  stats.jobs_completed_24h = finished_since(db, account_id, "completed", now - kDayMs);
  stats.jobs_failed_24h = finished_since(db, account_id, "failed", now - kDayMs);
  return stats;
}

ChartData chart_data(Connection& db, std::string_view account_id, int days, std::int64_t now) {
  ChartData chart;
  std::string first_day = utc_day(now - (days - 1) * kDayMs);
  std::map<std::string, ActivityDay> recorded;
  {
    Query query = db.query(kActivityByDay);
    query->bind(1, account_id).bind(2, first_day);
    while (query->step()) {
      ActivityDay day{std::string(query->text(0)), query->integer(1), query->integer(2),
                      query->integer(3)};
      recorded.emplace(day.date, day);
    }
  }
  for (int back = days - 1; back >= 0; --back) {
    std::string date = utc_day(now - back * kDayMs);
    auto found = recorded.find(date);
    chart.activity.push_back(found != recorded.end() ? found->second : ActivityDay{date, 0, 0, 0});
  }
  {
    Query query = db.query(kCategories);
    query->bind(1, account_id);
    while (query->step()) {
      chart.categories.push_back({std::string(query->text(0)), std::string(query->text(1)),
                                  query->integer(2), mean(query->integer(3), query->integer(2))});
    }
  }
  for (std::string_view type : kJobTypes)
    chart.job_types.push_back({std::string(type), 0, 0, 0});
  Query query = db.query(kActivityByType);
  query->bind(1, account_id).bind(2, first_day);
  while (query->step()) {
    for (JobTypeCounts& counts : chart.job_types) {
      if (counts.job_type != query->text(0)) continue;
      counts.created = query->integer(1);
      counts.completed = query->integer(2);
      counts.failed = query->integer(3);
    }
  }
  return chart;
}

}  // namespace seoagents::storage
