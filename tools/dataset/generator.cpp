// The dataset's phases (see generator.hpp): accounts and keys, agents, the finished jobs (with the
// articles their create jobs wrote and the versions their enhance and optimize jobs stored), the
// row-only articles, then the bodies of the newest of those.
#include "tools/dataset/generator.hpp"

#include <algorithm>
#include <atomic>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <cstdio>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "jobs/article_file.hpp"
#include "jobs/schedule.hpp"
#include "seo/slug.hpp"
#include "storage/accounts.hpp"
#include "storage/agents.hpp"
#include "storage/articles.hpp"
#include "storage/jobs.hpp"

namespace seoagents::dataset {
namespace {

namespace json = boost::json;

constexpr std::int64_t kSecondMs = 1000;
constexpr std::int64_t kMinuteMs = 60 * kSecondMs;
constexpr std::int64_t kHourMs = 60 * kMinuteMs;
constexpr std::int64_t kDayMs = 24 * kHourMs;
// Articles are created over the 89 days before now (the 90-day lifetime: none expires for a day).
constexpr std::int64_t kWindowMs = 89 * kDayMs;
constexpr std::int64_t kLeaseMs = 5 * kMinuteMs;
constexpr std::int64_t kMaxAttempts = 3;
// The share of failed jobs and of each job kind, in percent.
constexpr int kFailedPercent = 6;
constexpr int kCreatePercent = 70;
constexpr int kEnhancePercent = 15;

// Threads writing article bodies (each put waits for the disk).
constexpr int kPutThreads = 8;

constexpr std::string_view kWriter = "builtin";
constexpr std::string_view kModel = "builtin-1";
constexpr std::string_view kPlans[] = {"starter", "professional", "agency", "enterprise"};

std::string seconds_text(std::int64_t ms) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f s", static_cast<double>(ms) / 1000.0);
  return text;
}

std::string quoted(std::string_view text) {
  std::string out("\"");
  out.append(text).append("\"");
  return out;
}

json::object scores_json(std::int64_t words, std::int64_t seo, std::int64_t readability) {
  json::object scores;
  scores["word_count"] = words;
  scores["seo_score"] = seo;
  scores["readability_score"] = readability;
  return scores;
}

std::string scores_message(std::int64_t words, std::int64_t seo, std::int64_t readability) {
  return "SEO score " + std::to_string(seo) + "/100, readability " + std::to_string(readability) +
         "/100, " + std::to_string(words) + " words";
}

json::object usage_json(Random& random, bool writes) {
  json::object usage;
  usage["input_tokens"] = writes ? uniform(random, 1'200, 4'000) : 0;
  usage["output_tokens"] = writes ? uniform(random, 1'500, 6'000) : 0;
  return usage;
}

void write_article_result(json::object& result, const storage::Article& article) {
  result["s3_key"] = article.s3_key;
  result["title"] = article.title;
  result["slug"] = article.slug;
  result["word_count"] = article.word_count;
  result["seo_score"] = article.seo_score;
  result["readability_score"] = article.readability_score;
  result["version"] = article.version;
}

std::string random_hex(Random& random, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (int i = 0; i < digits; ++i)
    text.push_back(kHex[uniform(random, 0, 15)]);
  return text;
}

// The progress event the engine appends, as the engine words it.
void event(storage::Connection& db, const storage::Job& job, std::string_view step,
           std::int64_t percent, std::string_view message, std::int64_t t) {
  storage::append_job_event(db, job.id, step, percent, message, t);
}

std::string attempt_message(std::int64_t attempt) {
  return "Attempt " + std::to_string(attempt) + " of " + std::to_string(kMaxAttempts) + " started";
}

}  // namespace

Generator::Generator(const DatasetOptions& options, storage::Store& store,
                     storage::ObjectStore& objects, std::ostream& progress)
    : options_(options), store_(store), objects_(objects), progress_(progress) {}

json::object Generator::run() {
  started_ = phase_started_ = now_ = storage::now_ms();
  window_start_ = now_ - kWindowMs;
  window_end_ = now_ - 10 * kMinuteMs;
  tune_writer();
  create_accounts();
  create_agents();
  std::vector<PlannedJob> plan = plan_jobs();
  // The jobs go in while the article table is small; the row-only articles fill it afterwards.
  insert_jobs(plan);
  insert_bulk_articles(options_.articles - jobs_.linked_articles);
  write_content();
  return summary();
}

// Two settings of this process's writer connection, for transactions far larger than the
// server's: a page cache that holds the hot pages of every index while the articles go in, and a
// sub-journal in a temporary file. The store's savepoint around each write copies every page
// the transaction touches into the sub-journal; kept in memory (temp_store = MEMORY), SQLite
// walks its whole chunk list at every statement, which makes a large transaction quadratic.
void Generator::tune_writer() {
  write([](storage::Connection& db) {
    db.exec("PRAGMA cache_size = -1048576");
    db.exec("PRAGMA temp_store = FILE");
  });
}

void Generator::write(const std::function<void(storage::Connection&)>& work) {
  auto done = store_.write_before_start<bool>([&work](storage::Connection& db) {
    work(db);
    return true;
  });
  if (!done) throw std::runtime_error("storage: " + done.error().detail);
}

void Generator::report(const std::string& phase, const std::string& what) {
  std::int64_t now = storage::now_ms();
  progress_ << "seoagents-dataset: " << phase << ": " << what << " ("
            << seconds_text(now - phase_started_) << ")" << std::endl;
  phase_started_ = now;
}

// ---- accounts ----

void Generator::create_accounts() {
  write([this](storage::Connection& db) {
    storage::PlanLimits unbound{kUnboundRequestsPerMinute, kUnboundConcurrentJobs};
    for (std::string_view plan_name : kPlans) {
      storage::Plan plan = *storage::parse_plan(plan_name);
      std::string name = "loadtest-" + std::string(plan_name);
      storage::Account account = storage::create_account(db, name, plan);
      if (plan == storage::Plan::enterprise) {
        storage::set_account_plan(db, account.id, plan, unbound);
      }
      storage::CreatedApiKey key = storage::create_api_key(db, account.id, "loadtest");
      accounts_.push_back({std::string(plan_name), account.id, name, key.raw_key, 0});
    }
    storage::Account jwt =
        storage::create_subject_account(db, options_.jwt_sub, storage::Plan::enterprise);
    storage::set_account_plan(db, jwt.id, storage::Plan::enterprise, unbound);
    jwt_account_id_ = jwt.id;
    accounts_.push_back({"jwt", jwt.id, jwt.name, "", 0});
  });
  report("accounts", "4 accounts with an API key each and the JWT account jwt:" + options_.jwt_sub);
}

// ---- agents ----

void Generator::create_agents() {
  // A few in each small account and in the JWT account (at least one), the rest enterprise.
  std::int64_t per_small = std::max<std::int64_t>(1, options_.agents / 40);
  const std::int64_t small_accounts = 4;
  std::int64_t enterprise = options_.agents - small_accounts * per_small;
  const std::vector<Niche>& topics = niches();
  std::int64_t period_ms = now_;
  write([&](storage::Connection& db) {
    for (AccountInfo& account : accounts_) {
      bool is_enterprise = account.plan == "enterprise";
      account.agents = is_enterprise ? enterprise : per_small;
      for (std::int64_t i = 0; i < account.agents; ++i) {
        const Niche& niche = topics[static_cast<std::size_t>(
            uniform(random_, 0, static_cast<std::int64_t>(topics.size()) - 1))];
        storage::Agent agent;
        agent.account_id = account.id;
        agent.name = agent_name(random_, niche);
        agent.keywords = agent_keywords(random_, niche);
        agent.tone = pick_tone(random_);
        agent.word_target = pick_word_target(random_);
        agent.schedule = pick_schedule(random_);
        // Every account's first agent stays active (the load test reads it).
        agent.status = i > 0 && chance(random_, 3) ? "paused" : "active";
        agent = storage::insert_agent(db, std::move(agent));
        // A scheduled agent's job of this period counts as created: the server starts idle.
        if (auto period = jobs::schedule_period(agent.schedule, period_ms)) {
          storage::mark_agent_scheduled(db, agent.id, *period);
        }
        if (is_enterprise) enterprise_agents_.push_back(agents_.size());
        if (account.plan == "jwt" && jwt_agent_id_.empty()) jwt_agent_id_ = agent.id;
        agents_.push_back({agent.id, agent.account_id, agent.keywords, agent.word_target});
      }
    }
  });
  report("agents", std::to_string(agents_.size()) + " agents (" + std::to_string(enterprise) +
                       " enterprise, " + std::to_string(per_small) + " in each other account)");
}

// ---- the plan of the jobs: kinds, outcomes and times, decided before any row is written ----

std::vector<Generator::PlannedJob> Generator::plan_jobs() {
  Random random(random_());
  // Completed create jobs write an article each, from at most half of the articles.
  std::int64_t budget = options_.articles / 2;
  std::vector<PlannedJob> plan;
  plan.reserve(static_cast<std::size_t>(options_.jobs));
  std::int64_t first = window_start_ + kHourMs;
  double spacing = static_cast<double>(window_end_ - first) / static_cast<double>(options_.jobs);
  for (std::int64_t i = 0; i < options_.jobs; ++i) {
    PlannedJob job;
    job.created_at =
        first + static_cast<std::int64_t>((static_cast<double>(i) +
                                           static_cast<double>(uniform(random, 0, 999)) / 1000.0) *
                                          spacing);
    std::int64_t roll = uniform(random, 0, 99);
    job.kind = roll < kCreatePercent                     ? JobKind::create
               : roll < kCreatePercent + kEnhancePercent ? JobKind::enhance
                                                         : JobKind::optimize;
    job.completes = !chance(random, kFailedPercent);
    if (job.kind == JobKind::create && job.completes) {
      if (budget > 0) {
        --budget;
      } else {
        job.kind = JobKind::enhance;
      }
    }
    plan.push_back(job);
  }
  spare_articles_ = budget;
  return plan;
}

// ---- articles without a job: rows only, but for the newest `content_articles` ----

const std::string& Generator::pick_keyword(const AgentInfo& agent) {
  return agent.keywords[static_cast<std::size_t>(
      uniform(random_, 0, static_cast<std::int64_t>(agent.keywords.size()) - 1))];
}

std::string Generator::next_slug(const AgentInfo& agent, const std::string& keyword) {
  std::string base = seo::slugify(keyword);
  std::int64_t& used = slug_counts_[agent.id + "/" + base];
  ++used;
  return used == 1 ? base : base + "-" + std::to_string(used);
}

// When each agent's row-only articles were created, oldest first; agents in id order. Inserted
// in this order (agent by agent), most indexes of `articles` (the key, the per-agent ones, and
// the score and word-count ones, whose ties are ordered by key) grow at a few moving points
// instead of everywhere at once.
std::vector<std::vector<std::int64_t>> Generator::plan_bulk_times(std::int64_t count) {
  std::vector<std::vector<std::int64_t>> times(enterprise_agents_.size());
  for (std::int64_t i = 0; i < count; ++i) {
    std::size_t agent = static_cast<std::size_t>(
        uniform(random_, 0, static_cast<std::int64_t>(enterprise_agents_.size()) - 1));
    times[agent].push_back(uniform(random_, window_start_, window_end_));
  }
  for (std::vector<std::int64_t>& agent_times : times)
    std::sort(agent_times.begin(), agent_times.end());
  return times;
}

namespace {

// The creation time from which an article is among the newest `wanted` (they get a body).
std::int64_t newest_threshold(const std::vector<std::vector<std::int64_t>>& times,
                              std::int64_t wanted) {
  std::vector<std::int64_t> all;
  for (const auto& agent_times : times)
    all.insert(all.end(), agent_times.begin(), agent_times.end());
  if (wanted <= 0) return std::numeric_limits<std::int64_t>::max();
  if (static_cast<std::int64_t>(all.size()) <= wanted)
    return std::numeric_limits<std::int64_t>::min();
  auto nth = all.end() - wanted;
  std::nth_element(all.begin(), nth, all.end());
  return *nth;
}

}  // namespace

storage::Article Generator::new_article(const AgentInfo& agent, const std::string& keyword) {
  storage::Article article;
  article.account_id = agent.account_id;
  article.agent_id = agent.id;
  article.keyword = keyword;
  article.slug = next_slug(agent, keyword);
  article.s3_key = jobs::article_key(agent.id, article.slug);
  article.title = article_title(random_, keyword);
  article.meta_description = meta_description(random_, keyword);
  article.word_count = clustered(random_, agent.word_target, agent.word_target / 4, 300, 10'000);
  article.seo_score = clustered(random_, 72, 27, 30, 99);
  article.readability_score = clustered(random_, 68, 25, 20, 100);
  return article;
}

void Generator::insert_bulk_articles(std::int64_t count) {
  std::vector<std::size_t> order = enterprise_agents_;
  std::sort(order.begin(), order.end(),
            [this](std::size_t a, std::size_t b) { return agents_[a].id < agents_[b].id; });
  std::vector<std::vector<std::int64_t>> times = plan_bulk_times(count);
  std::int64_t threshold = newest_threshold(times, options_.content_articles);
  std::size_t agent = 0;
  std::size_t next = 0;
  std::int64_t written = 0;
  while (written < count) {
    std::int64_t batch_end = std::min(count, written + kArticlesPerTransaction);
    write([&](storage::Connection& db) {
      for (; written < batch_end; ++next, ++written) {
        while (next >= times[agent].size()) {
          ++agent;
          next = 0;
        }
        std::size_t agent_index = order[agent];
        const AgentInfo& owner = agents_[agent_index];
        storage::Article article = new_article(owner, pick_keyword(owner));
        std::int64_t created = times[agent][next];
        bool with_body = created >= threshold && static_cast<std::int64_t>(content_keys_.size()) <
                                                     options_.content_articles;
        if (with_body) content_keys_.push_back(article.s3_key);
        storage::insert_article(db, std::move(article), created);
      }
    });
  }
  articles_written_ += count;
  report("articles", std::to_string(count) + " articles without a job (rows; the newest " +
                         std::to_string(content_keys_.size()) + " get a body below)");
}

// ---- jobs ----

// An article an earlier create job wrote before `before`, if one is found in a few tries.
const Generator::ArticleRef* Generator::pick_target(std::int64_t before) {
  for (int attempt = 0; attempt < 4 && !linked_targets_.empty(); ++attempt) {
    const ArticleRef& linked = linked_targets_[static_cast<std::size_t>(
        uniform(random_, 0, static_cast<std::int64_t>(linked_targets_.size()) - 1))];
    if (linked.created_at < before) return &linked;
  }
  return nullptr;
}

void Generator::insert_jobs(const std::vector<PlannedJob>& plan) {
  for (std::size_t done = 0; done < plan.size();) {
    std::size_t batch_end =
        std::min(plan.size(), done + static_cast<std::size_t>(kJobsPerTransaction));
    write([&](storage::Connection& db) {
      for (std::size_t i = done; i < batch_end; ++i)
        run_job(db, plan[i]);
    });
    done = batch_end;
  }
  report("jobs", std::to_string(plan.size()) + " jobs (" + std::to_string(jobs_.completed) +
                     " completed, " + std::to_string(jobs_.failed) + " failed), " +
                     std::to_string(jobs_.events) + " events, " +
                     std::to_string(jobs_.linked_articles) + " articles written by create jobs");
}

// Submits the job, claims it (as a worker does: it must be the only one pending) and runs its
// steps to the end the plan gives it.
void Generator::run_job(storage::Connection& db, const PlannedJob& planned) {
  storage::Job job;
  job.account_id = accounts_[3].id;
  job.max_attempts = kMaxAttempts;
  // An enhance or optimize job before any article it could work on: a create job while the
  // budget of articles written by jobs lasts, else one that finds no article.
  const ArticleRef* target =
      planned.kind == JobKind::create ? nullptr : pick_target(planned.created_at);
  bool creates =
      planned.kind == JobKind::create || (!target && planned.completes && spare_articles_ > 0);
  if (creates && planned.kind != JobKind::create) --spare_articles_;
  bool completes = planned.completes && (creates || target);
  std::size_t agent_index = enterprise_agents_[static_cast<std::size_t>(
      uniform(random_, 0, static_cast<std::int64_t>(enterprise_agents_.size()) - 1))];
  if (creates) {
    const AgentInfo& agent = agents_[agent_index];
    job.agent_id = agent.id;
    job.job_type = "create";
    job.keyword = pick_keyword(agent);
    job.origin = chance(random_, 5) ? "schedule" : "api";
  } else {
    if (target) agent_index = target->agent;
    job.agent_id = agents_[agent_index].id;
    job.job_type = planned.kind == JobKind::optimize ? "optimize" : "enhance";
    job.s3_key = completes
                     ? target->s3_key
                     : "articles/" + job.agent_id + "/removed-" + random_hex(random_, 6) + ".md";
  }
  job = storage::insert_job(db, job, planned.created_at);
  event(db, job, "queued", 0,
        job.origin == "schedule" ? "Queued by the agent's schedule" : "Queued", job.created_at);
  jobs_.events += 1;
  std::int64_t t = job.created_at + uniform(random_, 50, 3'000);
  std::string token = random_hex(random_, 32);
  if (job.job_type == "create") {
    run_create_job(db, job, agent_index, t, token, completes);
  } else {
    run_update_job(db, job, t, token, completes);
  }
  (completes ? jobs_.completed : jobs_.failed) += 1;
}

namespace {

// Claims the one pending job at `t` under `token` and records its "started" event.
storage::Job claim(storage::Connection& db, const storage::Job& job, std::int64_t t,
                   const std::string& token) {
  auto claimed = storage::claim_next_job(db, t, kLeaseMs, token);
  if (!claimed || claimed->id != job.id) {
    throw std::runtime_error("the claim did not return job " + job.id + ": another is pending");
  }
  event(db, *claimed, "started", 0, attempt_message(claimed->attempts), t);
  return *claimed;
}

}  // namespace

void Generator::run_create_job(storage::Connection& db, const storage::Job& job,
                               std::size_t agent_index, std::int64_t& t, const std::string& token,
                               bool completes) {
  std::string outline = "Outline ready: " + std::to_string(uniform(random_, 4, 8)) +
                        " sections for " + quoted(*job.keyword);
  if (!completes) {
    fail_every_attempt(db, job, t, token, outline);
    return;
  }
  claim(db, job, t, token);
  t += uniform(random_, 2'000, 6'000);
  event(db, job, "outline", 20, outline, t);
  jobs_.events += 2;
  finish_create_job(db, job, agent_index, t, token);
}

// Each attempt gets as far as the outline; the writer's provider is overloaded at the draft, the
// engine retries with backoff and fails the job after the last attempt.
void Generator::fail_every_attempt(storage::Connection& db, const storage::Job& job,
                                   std::int64_t& t, const std::string& token,
                                   const std::string& outline) {
  const std::string error =
      "draft: The model provider is overloaded (HTTP 529); gave up after 3 tries";
  for (std::int64_t attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    claim(db, job, t, token);
    t += uniform(random_, 2'000, 6'000);
    event(db, job, "outline", 20, outline, t);
    t += uniform(random_, 30'000, 90'000);
    jobs_.events += 3;
    if (attempt == kMaxAttempts) {
      storage::fail_job(db, job.id, token, error, t);
      event(db, job, "failed", 20, error, t);
      return;
    }
    std::int64_t delay = 2'000 << (attempt - 1);
    storage::retry_job(db, job.id, token, error, t + delay, t);
    event(db, job, "retrying", 20,
          "Attempt " + std::to_string(attempt) + " failed (" + error + "); retrying in " +
              std::to_string(delay / 1000) + "s",
          t);
    t += delay + uniform(random_, 10, 500);
  }
}

// The draft, the analysis and the stored article, then the result the store step reports.
void Generator::finish_create_job(storage::Connection& db, const storage::Job& job,
                                  std::size_t agent_index, std::int64_t& t,
                                  const std::string& token) {
  const std::string& keyword = *job.keyword;
  const AgentInfo& agent = agents_[agent_index];
  storage::Article article = new_article(agent, keyword);
  article.created_by_job = job.id;
  t += uniform(random_, 20'000, 80'000);
  event(db, job, "draft", 70, "Draft written: " + quoted(article.title), t);
  t += uniform(random_, 40, 400);
  event(db, job, "analyze", 85,
        scores_message(article.word_count, article.seo_score, article.readability_score), t);
  t += uniform(random_, 5, 60);
  storage::Article stored = storage::insert_article(db, std::move(article), t);
  event(db, job, "store", 100, "Article stored at " + stored.s3_key, t);
  json::object result;
  result["usage"] = usage_json(random_, false);
  write_article_result(result, stored);
  result["writer"] = kWriter;
  result["model"] = kModel;
  storage::complete_job(db, job.id, token, json::serialize(result), t);
  event(db, job, "completed", 100, "Job completed", t);
  jobs_.events += 4;
  jobs_.linked_articles += 1;
  ++articles_written_;
  linked_targets_.push_back({t, stored.s3_key, agent_index});
  last_create_job_ = job.id;
}

void Generator::run_update_job(storage::Connection& db, const storage::Job& job, std::int64_t& t,
                               const std::string& token, bool completes) {
  claim(db, job, t, token);
  jobs_.events += 1;
  const std::string& s3_key = *job.s3_key;
  t += uniform(random_, 100, 900);
  if (!completes) {
    std::string error = "load: Article not found: " + s3_key;
    storage::fail_job(db, job.id, token, error, t);
    event(db, job, "failed", 0, error, t);
    jobs_.events += 1;
    return;
  }
  std::optional<storage::Article> found = storage::find_article(db, s3_key);
  if (!found) throw std::runtime_error("the article of job " + job.id + " is missing: " + s3_key);
  const storage::Article before = *found;
  event(db, job, "load", 15,
        "Loaded " + s3_key + ": " +
            scores_message(before.word_count, before.seo_score, before.readability_score),
        t);
  bool enhance = job.job_type == "enhance";
  storage::Article changed = before;
  changed.seo_score = std::min<std::int64_t>(99, before.seo_score + uniform(random_, 1, 15));
  changed.readability_score =
      std::min<std::int64_t>(100, before.readability_score + uniform(random_, 0, 8));
  changed.word_count = enhance ? before.word_count + uniform(random_, 150, 700)
                               : before.word_count + uniform(random_, 0, 60);
  changed.updated_by_job = job.id;
  std::int64_t change_count = uniform(random_, 1, 4);
  t += uniform(random_, 15'000, 70'000);
  event(db, job, enhance ? "enhance" : "optimize", 70,
        enhance ? "Article deepened toward " + std::to_string(changed.word_count) + " words"
                : std::to_string(change_count) + " changes made",
        t);
  t += uniform(random_, 40, 400);
  event(db, job, "analyze", 85,
        scores_message(changed.word_count, changed.seo_score, changed.readability_score), t);
  t += uniform(random_, 5, 60);
  storage::Article stored = storage::update_article_content(db, changed, t);
  event(db, job, "store", 100,
        "Version " + std::to_string(stored.version) + " stored at " + stored.s3_key, t);
  json::object result;
  result["usage"] = usage_json(random_, enhance);
  if (!enhance) {
    json::array changes;
    static constexpr std::string_view kChanges[][2] = {
        {"keyphrase_in_introduction", "Introduction rewritten around the keyphrase"},
        {"keyphrase_density", "Keyphrase worked into 2 more paragraphs"},
        {"meta_description_length", "Meta description shortened to 155 characters"},
        {"internal_links", "Added 2 links to related articles"}};
    for (std::int64_t i = 0; i < change_count; ++i) {
      json::object item;
      item["assessment"] = kChanges[i][0];
      item["change"] = kChanges[i][1];
      changes.emplace_back(std::move(item));
    }
    result["changes"] = std::move(changes);
  }
  write_article_result(result, stored);
  result["before"] = scores_json(before.word_count, before.seo_score, before.readability_score);
  result["after"] = scores_json(stored.word_count, stored.seo_score, stored.readability_score);
  storage::complete_job(db, job.id, token, json::serialize(result), t);
  event(db, job, "completed", 100, "Job completed", t);
  jobs_.events += 5;
}

// ---- bodies of the newest articles, from their rows as the jobs left them ----

void Generator::write_content() {
  storage::Connection& db = store_.reader();
  std::vector<std::pair<std::string, std::string>> files;
  for (const std::string& s3_key : content_keys_) {
    std::optional<storage::Article> article = storage::find_article(db, s3_key);
    if (!article) throw std::runtime_error("article " + s3_key + " is missing");
    jobs::ArticleFile file;
    file.title = article->title;
    file.meta_description = article->meta_description;
    file.slug = article->slug;
    file.keyword = article->keyword;
    file.writer = kWriter;
    file.model = kModel;
    file.body_markdown = article_body(random_, article->keyword, article->word_count);
    files.emplace_back(s3_key, jobs::render_article_file(file));
  }
  put_all(files);
  report("content",
         std::to_string(content_keys_.size()) +
             " article bodies written to the object store; the other " +
             std::to_string(articles_written_ - static_cast<std::int64_t>(content_keys_.size())) +
             " articles are rows only");
}

// Each put waits for two fsyncs: several threads keep the disk busy.
void Generator::put_all(const std::vector<std::pair<std::string, std::string>>& files) {
  std::atomic<std::size_t> next{0};
  std::mutex failure_mutex;
  std::string failure;
  auto put_some = [&] {
    for (std::size_t i = next++; i < files.size(); i = next++) {
      auto stored = objects_.put(files[i].first, files[i].second);
      if (stored) continue;
      std::lock_guard lock(failure_mutex);
      failure = "object store: " + stored.error().message;
      next = files.size();
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < kPutThreads; ++i)
    threads.emplace_back(put_some);
  for (std::thread& thread : threads)
    thread.join();
  if (!failure.empty()) throw std::runtime_error(failure);
}

// ---- the summary ----

json::object Generator::summary() const {
  json::object accounts;
  for (const AccountInfo& account : accounts_) {
    json::object entry;
    entry["id"] = account.id;
    entry["name"] = account.name;
    entry["plan"] = account.plan == "jwt" ? "enterprise" : account.plan;
    if (account.plan == "jwt") {
      entry["sub"] = options_.jwt_sub;
    } else {
      entry["api_key"] = account.api_key;
    }
    entry["agents"] = account.agents;
    accounts[account.plan] = std::move(entry);
  }
  json::object counts;
  counts["accounts"] = static_cast<std::int64_t>(accounts_.size());
  counts["api_keys"] = static_cast<std::int64_t>(accounts_.size()) - 1;
  counts["agents"] = static_cast<std::int64_t>(agents_.size());
  counts["articles"] = articles_written_;
  counts["articles_with_content"] = static_cast<std::int64_t>(content_keys_.size());
  counts["articles_by_jobs"] = jobs_.linked_articles;
  counts["jobs"] = jobs_.completed + jobs_.failed;
  counts["jobs_completed"] = jobs_.completed;
  counts["jobs_failed"] = jobs_.failed;
  counts["job_events"] = jobs_.events;
  json::object out;
  out["accounts"] = std::move(accounts);
  out["agent_id"] = agents_[enterprise_agents_.front()].id;
  out["jwt_agent_id"] = jwt_agent_id_;
  out["article_key"] =
      content_keys_.empty() ? json::value(nullptr) : json::value(content_keys_.back());
  out["job_id"] = last_create_job_.empty() ? json::value(nullptr) : json::value(last_create_job_);
  out["counts"] = std::move(counts);
  out["content"] = "only the " + std::to_string(content_keys_.size()) +
                   " newest articles have a body in the object store; the others are rows only";
  out["seconds"] = static_cast<double>(storage::now_ms() - started_) / 1000.0;
  return out;
}

}  // namespace seoagents::dataset
