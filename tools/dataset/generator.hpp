// Fills a new data directory with the load test's dataset through the store's own functions
// (accounts, API keys, agents, articles, jobs with their events and results), in large
// transactions before the store's writer starts, so that every counter the storage functions
// keep (daily_activity, agent_article_totals, account_jobs_in_flight) agrees with the rows.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "storage/articles.hpp"
#include "storage/jobs.hpp"
#include "storage/object_store.hpp"
#include "storage/store.hpp"
#include "tools/dataset/corpus.hpp"
#include "tools/dataset/options.hpp"

namespace seoagents::dataset {

// Limits of the enterprise and JWT accounts: a load test never meets them.
inline constexpr std::int64_t kUnboundRequestsPerMinute = 100'000'000;
inline constexpr std::int64_t kUnboundConcurrentJobs = 100'000;

// Rows written per transaction (jobs count about ten rows each).
inline constexpr std::int64_t kArticlesPerTransaction = 100'000;
inline constexpr std::int64_t kJobsPerTransaction = 10'000;

class Generator {
 public:
  // `progress` gets one line per phase.
  Generator(const DatasetOptions& options, storage::Store& store, storage::ObjectStore& objects,
            std::ostream& progress);

  // Generates everything; returns the summary (accounts, keys, ids, counts). Throws
  // std::runtime_error on a storage failure.
  boost::json::object run();

 private:
  struct AccountInfo {
    std::string plan;
    std::string id;
    std::string name;
    std::string api_key;
    std::int64_t agents = 0;
  };
  struct AgentInfo {
    std::string id;
    std::string account_id;
    std::vector<std::string> keywords;
    std::int64_t word_target = 1500;
  };
  // An article a later enhance or optimize job may work on (written by a create job).
  struct ArticleRef {
    std::int64_t created_at = 0;
    std::string s3_key;
    std::size_t agent = 0;
  };
  enum class JobKind { create, enhance, optimize };
  struct PlannedJob {
    JobKind kind = JobKind::create;
    bool completes = true;
    std::int64_t created_at = 0;
  };
  struct JobTotals {
    std::int64_t completed = 0;
    std::int64_t failed = 0;
    std::int64_t events = 0;
    std::int64_t linked_articles = 0;
  };

  void create_accounts();
  void create_agents();
  std::vector<PlannedJob> plan_jobs();
  std::vector<std::vector<std::int64_t>> plan_bulk_times(std::int64_t count);
  // A new article of the agent about `keyword`, with its slug, title and numbers.
  storage::Article new_article(const AgentInfo& agent, const std::string& keyword);
  const std::string& pick_keyword(const AgentInfo& agent);
  void insert_bulk_articles(std::int64_t count);
  void insert_jobs(const std::vector<PlannedJob>& plan);
  void run_job(storage::Connection& db, const PlannedJob& planned);
  void run_create_job(storage::Connection& db, const storage::Job& job, std::size_t agent_index,
                      std::int64_t& t, const std::string& token, bool completes);
  void fail_every_attempt(storage::Connection& db, const storage::Job& job, std::int64_t& t,
                          const std::string& token, const std::string& outline);
  void finish_create_job(storage::Connection& db, const storage::Job& job, std::size_t agent_index,
                         std::int64_t& t, const std::string& token);
  void run_update_job(storage::Connection& db, const storage::Job& job, std::int64_t& t,
                      const std::string& token, bool completes);
  void write_content();
  void put_all(const std::vector<std::pair<std::string, std::string>>& files);

  void tune_writer();
  // Runs `work` in one transaction; throws std::runtime_error when it fails.
  void write(const std::function<void(storage::Connection&)>& work);
  void report(const std::string& phase, const std::string& what);
  std::string next_slug(const AgentInfo& agent, const std::string& keyword);
  const ArticleRef* pick_target(std::int64_t before);
  boost::json::object summary() const;

  const DatasetOptions& options_;
  storage::Store& store_;
  storage::ObjectStore& objects_;
  std::ostream& progress_;
  Random random_{20261129};
  std::int64_t now_ = 0;
  std::int64_t window_start_ = 0;
  std::int64_t window_end_ = 0;
  std::int64_t started_ = 0;
  std::int64_t phase_started_ = 0;

  std::vector<AccountInfo> accounts_;
  std::string jwt_account_id_;
  std::vector<AgentInfo> agents_;
  // Indexes into agents_ of the enterprise account's agents.
  std::vector<std::size_t> enterprise_agents_;
  std::string jwt_agent_id_;
  // The next free suffix of each agent's slug ("agent-id/slug" → n).
  std::unordered_map<std::string, std::int64_t> slug_counts_;
  // The articles create jobs wrote: what enhance and optimize jobs work on.
  std::vector<ArticleRef> linked_targets_;
  // Articles jobs may still write beyond the plan's (at most half of --articles in all).
  std::int64_t spare_articles_ = 0;
  // The newest articles, whose bodies go to the object store.
  std::vector<std::string> content_keys_;
  std::string last_create_job_;
  std::int64_t articles_written_ = 0;
  JobTotals jobs_;
};

}  // namespace seoagents::dataset
