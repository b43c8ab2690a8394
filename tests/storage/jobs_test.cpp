// Tests of the job queue's persistence with a clock the tests set: claiming with a lease,
// renewing, expiry and reclaim, writes with a stale token refused, fairness between accounts,
// the concurrent-job limit at claim time, cancel requests, progress events and their `since`
// filter, the dashboard counters, and keyword rotation and submit checks.
#include "storage/jobs.hpp"

#include <gtest/gtest.h>

#include <set>

#include "jobs/submit.hpp"
#include "storage/agents.hpp"
#include "storage/articles.hpp"
#include "storage/dashboard.hpp"
#include "tests/storage/store_fixture.hpp"

namespace seoagents::storage {
namespace {

constexpr std::int64_t kT0 = 1'800'000'000'000;  // 2027-01-15
constexpr std::int64_t kLease = 30'000;

class JobsTest : public fixtures::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    account_ = new_account("acme");
    other_ = new_account("globex");
    agent_ = add_agent(account_.id, {"alpha", "beta", "gamma"});
    other_agent_ = add_agent(other_.id, {"delta"});
  }

  Agent add_agent(const std::string& account_id, std::vector<std::string> keywords) {
    Agent agent;
    agent.account_id = account_id;
    agent.name = "writer";
    agent.keywords = std::move(keywords);
    return write<Agent>([&](Connection& db) { return insert_agent(db, agent); });
  }

  Job enqueue(const Agent& agent, std::int64_t now, std::string type = "create") {
    Job job;
    job.account_id = agent.account_id;
    job.agent_id = agent.id;
    job.job_type = std::move(type);
    job.keyword = "k";
    return write<Job>([&](Connection& db) { return insert_job(db, job, now); });
  }

  std::optional<Job> claim(std::int64_t now, const std::string& token) {
    return write<std::optional<Job>>(
        [&](Connection& db) { return claim_next_job(db, now, kLease, token); });
  }

  Job reread(const std::string& id) { return *find_job(db(), id); }

  // submit_job's answer, split (GCC 12 misreads an Expected carried through a write as
  // uninitialised).
  struct Submitted {
    std::optional<Job> job;
    std::optional<jobs::SubmitRefusal> refusal;
    explicit operator bool() const { return job.has_value(); }
  };
  Submitted submit(const jobs::JobRequest& request) {
    Submitted submitted;
    write<bool>([&](Connection& c) {
      auto result = jobs::submit_job(c, request, kT0);
      if (result) {
        submitted.job = *result;
      } else {
        submitted.refusal = result.error();
      }
      return true;
    });
    return submitted;
  }

  Account account_;
  Account other_;
  Agent agent_;
  Agent other_agent_;
};

TEST_F(JobsTest, InsertedJobsArePendingWithTheirTypesPrefix) {
  EXPECT_TRUE(enqueue(agent_, kT0, "create").id.starts_with("content-"));
  EXPECT_TRUE(enqueue(agent_, kT0, "enhance").id.starts_with("content-"));
  EXPECT_TRUE(enqueue(agent_, kT0, "optimize").id.starts_with("content-"));
  Job publish = enqueue(agent_, kT0, "publish");
  EXPECT_TRUE(publish.id.starts_with("publish-"));
  EXPECT_EQ(publish.id.size(), std::string("publish-").size() + 8);
  EXPECT_TRUE(enqueue(other_agent_, kT0, "audit").id.starts_with("audit-"));
  Job stored = reread(publish.id);
  EXPECT_EQ(stored.status, "pending");
  EXPECT_EQ(stored.attempts, 0);
  EXPECT_EQ(stored.created_at, kT0);
  EXPECT_FALSE(stored.lease_token.has_value());
}

TEST_F(JobsTest, ClaimTakesALeaseAndCountsTheAttempt) {
  Job job = enqueue(agent_, kT0);
  auto claimed = claim(kT0 + 5, "token-a");
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->id, job.id);
  EXPECT_EQ(claimed->status, "processing");
  EXPECT_EQ(claimed->attempts, 1);
  EXPECT_EQ(claimed->lease_token, "token-a");
  EXPECT_EQ(claimed->lease_expires_at, kT0 + 5 + kLease);
  EXPECT_EQ(claimed->started_at, kT0 + 5);
  // Nothing else is pending.
  EXPECT_FALSE(claim(kT0 + 6, "token-b"));
}

TEST_F(JobsTest, RenewExtendsOnlyTheHoldersLease) {
  Job job = enqueue(agent_, kT0);
  claim(kT0, "token-a");
  EXPECT_TRUE(write<bool>(
      [&](Connection& c) { return renew_lease(c, job.id, "token-a", kT0 + 10'000, kLease); }));
  EXPECT_EQ(reread(job.id).lease_expires_at, kT0 + 10'000 + kLease);
  EXPECT_FALSE(write<bool>(
      [&](Connection& c) { return renew_lease(c, job.id, "token-x", kT0 + 20'000, kLease); }));
  EXPECT_EQ(reread(job.id).lease_expires_at, kT0 + 10'000 + kLease);
}

TEST_F(JobsTest, AnExpiredLeaseIsReclaimedAndTheOldTokenCanNoLongerWrite) {
  Job job = enqueue(agent_, kT0);
  claim(kT0, "token-a");
  // Not yet expired: nothing to reclaim.
  auto early = write<std::vector<ReclaimedJob>>(
      [&](Connection& c) { return reclaim_expired_leases(c, kT0 + kLease - 1, false); });
  EXPECT_TRUE(early.empty());
  auto reclaimed = write<std::vector<ReclaimedJob>>(
      [&](Connection& c) { return reclaim_expired_leases(c, kT0 + kLease, false); });
  ASSERT_EQ(reclaimed.size(), 1u);
  EXPECT_EQ(reclaimed[0].job_id, job.id);
  EXPECT_EQ(reclaimed[0].status, "pending");
  EXPECT_EQ(reclaimed[0].event.step, "requeued");
  Job back = reread(job.id);
  EXPECT_EQ(back.status, "pending");
  EXPECT_EQ(back.attempts, 1);
  EXPECT_FALSE(back.lease_token);

  // Another worker claims it; the first one's writes are all refused.
  auto again = claim(kT0 + kLease + 1, "token-b");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->attempts, 2);
  std::int64_t now = kT0 + kLease + 2;
  EXPECT_FALSE(
      write<bool>([&](Connection& c) { return complete_job(c, job.id, "token-a", "{}", now); }));
  EXPECT_FALSE(
      write<bool>([&](Connection& c) { return fail_job(c, job.id, "token-a", "x", now); }));
  EXPECT_FALSE(
      write<bool>([&](Connection& c) { return retry_job(c, job.id, "token-a", "x", now, now); }));
  EXPECT_FALSE(
      write<bool>([&](Connection& c) { return cancel_processing_job(c, job.id, "token-a", now); }));
  EXPECT_FALSE(
      write<bool>([&](Connection& c) { return release_lease(c, job.id, "token-a", now); }));
  EXPECT_FALSE(write<bool>([&](Connection& c) { return holds_lease(c, job.id, "token-a"); }));
  EXPECT_EQ(reread(job.id).status, "processing");
  EXPECT_EQ(reread(job.id).lease_token, "token-b");
  // The holder completes it, once.
  EXPECT_TRUE(write<bool>(
      [&](Connection& c) { return complete_job(c, job.id, "token-b", R"({"n":1})", now); }));
  EXPECT_FALSE(
      write<bool>([&](Connection& c) { return complete_job(c, job.id, "token-b", "{}", now); }));
  Job done = reread(job.id);
  EXPECT_EQ(done.status, "completed");
  EXPECT_EQ(done.result, R"({"n":1})");
  EXPECT_EQ(done.finished_at, now);
}

TEST_F(JobsTest, AJobOutOfAttemptsFailsWhenItsLeaseExpires) {
  Job job = enqueue(agent_, kT0);
  exec("UPDATE jobs SET max_attempts = 2");
  claim(kT0, "a");
  write<std::vector<ReclaimedJob>>(
      [&](Connection& c) { return reclaim_expired_leases(c, kT0 + kLease, false); });
  claim(kT0 + kLease, "b");
  auto reclaimed = write<std::vector<ReclaimedJob>>(
      [&](Connection& c) { return reclaim_expired_leases(c, kT0 + 2 * kLease, false); });
  ASSERT_EQ(reclaimed.size(), 1u);
  EXPECT_EQ(reclaimed[0].status, "failed");
  Job failed = reread(job.id);
  EXPECT_EQ(failed.status, "failed");
  EXPECT_EQ(failed.attempts, 2);
  EXPECT_TRUE(failed.error->find("no attempts are left") != std::string::npos);
}

TEST_F(JobsTest, StartupReclaimTakesEveryProcessingJobWhateverItsExpiry) {
  Job job = enqueue(agent_, kT0);
  claim(kT0, "a");
  auto reclaimed = write<std::vector<ReclaimedJob>>(
      [&](Connection& c) { return reclaim_expired_leases(c, kT0 + 1, true); });
  ASSERT_EQ(reclaimed.size(), 1u);
  EXPECT_EQ(reread(job.id).status, "pending");
}

TEST_F(JobsTest, RetryWaitsForItsRunAfterTime) {
  Job job = enqueue(agent_, kT0);
  claim(kT0, "a");
  EXPECT_TRUE(write<bool>(
      [&](Connection& c) { return retry_job(c, job.id, "a", "boom", kT0 + 2'000, kT0); }));
  Job pending = reread(job.id);
  EXPECT_EQ(pending.status, "pending");
  EXPECT_EQ(pending.error, "boom");
  EXPECT_EQ(pending.run_after, kT0 + 2'000);
  EXPECT_FALSE(claim(kT0 + 1'999, "b"));
  auto claimed = claim(kT0 + 2'000, "b");
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->attempts, 2);
}

TEST_F(JobsTest, ReleasedJobsDoNotCountTheAttempt) {
  Job job = enqueue(agent_, kT0);
  claim(kT0, "a");
  EXPECT_TRUE(write<bool>([&](Connection& c) { return release_lease(c, job.id, "a", kT0 + 1); }));
  Job released = reread(job.id);
  EXPECT_EQ(released.status, "pending");
  EXPECT_EQ(released.attempts, 0);
  EXPECT_EQ(claim(kT0 + 1, "b")->attempts, 1);
}

TEST_F(JobsTest, ClaimNeverRunsMoreThanTheAccountsLimit) {
  // Starter: 2 concurrent jobs. Three pending (inserted directly, past the submit check).
  for (int i = 0; i < 3; ++i)
    enqueue(agent_, kT0 + i);
  EXPECT_TRUE(claim(kT0 + 10, "a"));
  EXPECT_TRUE(claim(kT0 + 10, "b"));
  EXPECT_FALSE(claim(kT0 + 10, "c"));
  // Another account is not blocked by it.
  Job other = enqueue(other_agent_, kT0 + 20);
  auto claimed = claim(kT0 + 30, "d");
  ASSERT_TRUE(claimed);
  EXPECT_EQ(claimed->id, other.id);
}

TEST_F(JobsTest, AccountsWithFewerRunningJobsGoFirst) {
  write<bool>(
      [&](Connection& c) { return set_account_plan(c, account_.id, Plan::agency, std::nullopt); });
  // The busy account queued 5 jobs before the other queued 1.
  std::vector<Job> busy;
  for (int i = 0; i < 5; ++i)
    busy.push_back(enqueue(agent_, kT0 + i));
  Job quiet = enqueue(other_agent_, kT0 + 100);
  EXPECT_EQ(claim(kT0 + 200, "1")->id, busy[0].id);
  // The busy account has one running, the other none: the other's job is next.
  EXPECT_EQ(claim(kT0 + 200, "2")->id, quiet.id);
  EXPECT_EQ(claim(kT0 + 200, "3")->id, busy[1].id);
}

TEST_F(JobsTest, CancelRequestsFollowTheJobsStatus) {
  Job pending = enqueue(agent_, kT0);
  Job running = enqueue(agent_, kT0 + 1);
  exec("UPDATE jobs SET status = 'processing', lease_token = 't' WHERE id = '" + running.id + "'");
  auto cancel = [&](const std::string& id) {
    return write<CancelOutcome>(
        [&](Connection& c) { return request_cancel(c, reread(id), kT0 + 5); });
  };
  EXPECT_EQ(cancel(pending.id), CancelOutcome::cancelled);
  EXPECT_EQ(reread(pending.id).status, "cancelled");
  EXPECT_EQ(reread(pending.id).finished_at, kT0 + 5);
  EXPECT_EQ(cancel(pending.id), CancelOutcome::finished);
  EXPECT_EQ(cancel(running.id), CancelOutcome::requested);
  EXPECT_TRUE(reread(running.id).cancel_requested);
  EXPECT_EQ(reread(running.id).status, "processing");
  EXPECT_TRUE(write<bool>(
      [&](Connection& c) { return cancel_processing_job(c, running.id, "t", kT0 + 6); }));
  EXPECT_EQ(cancel(running.id), CancelOutcome::finished);
}

TEST_F(JobsTest, EventsAreNumberedInOrderAndFilteredBySince) {
  Job job = enqueue(agent_, kT0);
  for (int i = 0; i < 5; ++i) {
    write<JobEvent>([&](Connection& c) {
      return append_job_event(c, job.id, "step" + std::to_string(i), i * 20, "m", kT0 + i * 1000);
    });
  }
  auto all = list_job_events(db(), job.id, std::nullopt);
  ASSERT_EQ(all.size(), 5u);
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].seq, static_cast<std::int64_t>(i + 1));
    EXPECT_EQ(all[i].step, "step" + std::to_string(i));
  }
  // Strictly after `since`.
  auto later = list_job_events(db(), job.id, kT0 + 2000);
  ASSERT_EQ(later.size(), 2u);
  EXPECT_EQ(later[0].seq, 4);
  EXPECT_EQ(later[1].seq, 5);
  EXPECT_TRUE(list_job_events(db(), job.id, kT0 + 4000).empty());
  EXPECT_EQ(list_job_events(db(), job.id, kT0 - 1).size(), 5u);
  EXPECT_TRUE(list_job_events(db(), "content-00000000", std::nullopt).empty());
}

TEST_F(JobsTest, ListingFiltersByAgentStatusAndTypeAndPagesByCreation) {
  Agent second = add_agent(account_.id, {"x"});
  std::vector<Job> jobs;
  for (int i = 0; i < 12; ++i)
    jobs.push_back(enqueue(i % 2 == 0 ? agent_ : second, kT0 + i, i % 3 == 0 ? "audit" : "create"));
  enqueue(other_agent_, kT0);
  auto ids = [](const std::vector<Job>& rows) {
    std::vector<std::string> out;
    for (const auto& row : rows)
      out.push_back(row.id);
    return out;
  };
  auto all = list_jobs(db(), account_.id, {}, true, std::nullopt, 100);
  ASSERT_EQ(all.size(), 12u);
  EXPECT_EQ(all.front().id, jobs.back().id);
  auto by_agent = list_jobs(db(), account_.id, {second.id, "", ""}, false, std::nullopt, 100);
  EXPECT_EQ(by_agent.size(), 6u);
  for (const auto& job : by_agent)
    EXPECT_EQ(job.agent_id, second.id);
  auto audits = list_jobs(db(), account_.id, {"", "", "audit"}, false, std::nullopt, 100);
  EXPECT_EQ(audits.size(), 4u);
  EXPECT_TRUE(
      list_jobs(db(), account_.id, {"", "completed", ""}, false, std::nullopt, 100).empty());
  // Pages of 5 by created_at ascending see every job once, in order.
  auto first = list_jobs(db(), account_.id, {}, false, std::nullopt, 5);
  PagePosition after{first.back().created_at, first.back().id};
  auto next = list_jobs(db(), account_.id, {}, false, after, 5);
  EXPECT_EQ(next.front().id, jobs[5].id);
  std::set<std::string> seen;
  for (const auto& id : ids(first))
    seen.insert(id);
  for (const auto& id : ids(next))
    seen.insert(id);
  EXPECT_EQ(seen.size(), 10u);
  // Another account's agent id finds nothing in this account.
  EXPECT_TRUE(
      list_jobs(db(), account_.id, {other_agent_.id, "", ""}, false, std::nullopt, 10).empty());
}

TEST_F(JobsTest, DashboardCountersFollowJobsAndArticles) {
  constexpr std::int64_t kDay = 24LL * 3600 * 1000;
  Job done = enqueue(agent_, kT0 - 2 * kDay);
  claim(kT0 - 2 * kDay, "a");
  write<bool>([&](Connection& c) { return complete_job(c, done.id, "a", "{}", kT0 - 2 * kDay); });
  Job failed = enqueue(agent_, kT0 - 1000, "audit");
  claim(kT0 - 1000, "b");
  write<bool>([&](Connection& c) { return fail_job(c, failed.id, "b", "x", kT0 - 500); });
  enqueue(agent_, kT0);
  write<Article>([&](Connection& c) {
    Article article;
    article.s3_key = "articles/" + agent_.id + "/a.md";
    article.account_id = account_.id;
    article.agent_id = agent_.id;
    article.title = "A";
    article.keyword = "alpha";
    article.slug = "a";
    article.word_count = 1000;
    article.seo_score = 81;
    return insert_article(c, article, kT0);
  });
  write<Article>([&](Connection& c) {
    Article article;
    article.s3_key = "articles/" + agent_.id + "/b.md";
    article.account_id = account_.id;
    article.agent_id = agent_.id;
    article.title = "B";
    article.keyword = "beta";
    article.slug = "b";
    article.seo_score = 90;
    return insert_article(c, article, kT0);
  });

  DashboardStats stats = dashboard_stats(db(), account_.id, kT0);
  EXPECT_EQ(stats.active_agents, 1);
  EXPECT_EQ(stats.total_articles, 2);
  EXPECT_DOUBLE_EQ(*stats.avg_score, 85.5);
  EXPECT_EQ(stats.jobs_pending, 1);
  EXPECT_EQ(stats.jobs_processing, 0);
  // The completed job finished two days ago: not in the last 24 hours.
  EXPECT_EQ(stats.jobs_completed_24h, 0);
  EXPECT_EQ(stats.jobs_failed_24h, 1);
  EXPECT_FALSE(dashboard_stats(db(), other_.id, kT0).avg_score.has_value());

  ChartData chart = chart_data(db(), account_.id, 3, kT0);
  ASSERT_EQ(chart.activity.size(), 3u);
  EXPECT_EQ(chart.activity[0].date, utc_day(kT0 - 2 * kDay));
  EXPECT_EQ(chart.activity[0].jobs_created, 1);
  EXPECT_EQ(chart.activity[0].jobs_completed, 1);
  EXPECT_EQ(chart.activity[2].date, utc_day(kT0));
  EXPECT_EQ(chart.activity[2].articles, 2);
  ASSERT_EQ(chart.categories.size(), 1u);
  EXPECT_EQ(chart.categories[0].articles, 2);
  EXPECT_DOUBLE_EQ(*chart.categories[0].avg_score, 85.5);
  ASSERT_EQ(chart.job_types.size(), 5u);
  EXPECT_EQ(chart.job_types[0].job_type, "create");
  EXPECT_EQ(chart.job_types[0].created, 2);
  EXPECT_EQ(chart.job_types[0].completed, 1);
  EXPECT_EQ(chart.job_types[4].job_type, "audit");
  EXPECT_EQ(chart.job_types[4].failed, 1);
  // A one-day window leaves the older day out.
  EXPECT_EQ(chart_data(db(), account_.id, 1, kT0).job_types[0].completed, 0);
}

TEST_F(JobsTest, CreateJobsWithoutAKeywordTakeTheAgentsKeywordsInTurn) {
  std::vector<std::string> keywords;
  for (int i = 0; i < 4; ++i) {
    jobs::JobRequest request;
    request.account_id = account_.id;
    request.agent_id = agent_.id;
    request.job_type = "create";
    auto submitted = submit(request);
    ASSERT_TRUE(submitted);
    keywords.push_back(*submitted.job->keyword);
    // Free the slot for the next one (starter: 2).
    exec("UPDATE jobs SET status = 'completed'");
  }
  EXPECT_EQ(keywords, (std::vector<std::string>{"alpha", "beta", "gamma", "alpha"}));
}

TEST_F(JobsTest, SubmitChecksTheAgentReferencesAndTheLimit) {
  using Kind = jobs::SubmitRefusal::Kind;
  auto submit_with_defaults = [&](jobs::JobRequest request) {
    if (request.account_id.empty()) request.account_id = account_.id;
    if (request.agent_id.empty()) request.agent_id = agent_.id;
    if (request.job_type.empty()) request.job_type = "create";
    return submit(request);
  };
  auto refusal_of = [&](jobs::JobRequest request) {
    auto result = submit_with_defaults(std::move(request));
    EXPECT_FALSE(result);
    return result ? Kind::missing_field : result.refusal->kind;
  };
  EXPECT_EQ(refusal_of({.agent_id = "agent-00000000"}), Kind::not_found);
  EXPECT_EQ(refusal_of({.agent_id = other_agent_.id}), Kind::forbidden);
  Agent empty = add_agent(account_.id, {});
  EXPECT_EQ(refusal_of({.agent_id = empty.id}), Kind::no_keywords);
  exec("UPDATE agents SET status = 'paused' WHERE id = '" + empty.id + "'");
  EXPECT_EQ(refusal_of({.agent_id = empty.id}), Kind::agent_unavailable);
  EXPECT_EQ(refusal_of({.job_type = "enhance", .s3_key = "articles/none.md"}), Kind::not_found);
  EXPECT_EQ(refusal_of({.job_type = "audit"}), Kind::missing_field);
  EXPECT_EQ(refusal_of({.job_type = "audit", .site_id = "site-00000000"}), Kind::not_found);
  ASSERT_TRUE(submit_with_defaults({.keyword = "one"}));
  ASSERT_TRUE(submit_with_defaults({.keyword = "two"}));
  auto third = submit_with_defaults({.keyword = "three"});
  ASSERT_FALSE(third);
  EXPECT_EQ(third.refusal->kind, Kind::job_limit);
  EXPECT_NE(third.refusal->message.find("2 of 2"), std::string::npos);
  // The other account is not limited by this one.
  EXPECT_TRUE(submit_with_defaults({.account_id = other_.id, .agent_id = other_agent_.id}));
}

TEST_F(JobsTest, TheInFlightCountFollowsEveryStatusChange) {
  auto in_flight = [&](const Account& account) { return count_jobs_in_flight(db(), account.id); };
  auto actual = [&](const Account& account) {
    std::int64_t count = 0;
    for (const auto& job : list_jobs(db(), account.id, {}, false, std::nullopt, 1000))
      count += job.status == "pending" || job.status == "processing" ? 1 : 0;
    return count;
  };
  exec("UPDATE accounts SET plan = 'enterprise', concurrent_jobs = 100");
  std::vector<Job> jobs;
  for (int i = 0; i < 8; ++i)
    jobs.push_back(enqueue(i < 6 ? agent_ : other_agent_, kT0 + i));
  EXPECT_EQ(in_flight(account_), 6);
  EXPECT_EQ(in_flight(other_), 2);
  auto a = claim(kT0 + 10, "a");
  auto b = claim(kT0 + 10, "b");
  auto c = claim(kT0 + 10, "c");
  auto d = claim(kT0 + 10, "d");
  std::int64_t now = kT0 + 20;
  write<bool>([&](Connection& x) { return complete_job(x, a->id, "a", "{}", now); });
  write<bool>([&](Connection& x) { return fail_job(x, b->id, "b", "e", now); });
  write<bool>([&](Connection& x) { return retry_job(x, c->id, "c", "e", now, now); });
  write<bool>([&](Connection& x) { return cancel_processing_job(x, d->id, "d", now); });
  write<CancelOutcome>([&](Connection& x) { return request_cancel(x, reread(jobs[7].id), now); });
  write<CancelOutcome>([&](Connection& x) { return request_cancel(x, reread(jobs[5].id), now); });
  claim(kT0 + 30, "e");
  write<std::vector<ReclaimedJob>>(
      [&](Connection& x) { return reclaim_expired_leases(x, kT0 + 10 * kLease, true); });
  exec(
      "UPDATE jobs SET status = 'completed' WHERE rowid = (SELECT min(rowid) FROM jobs WHERE "
      "status = 'pending')");
  EXPECT_EQ(in_flight(account_), actual(account_));
  EXPECT_EQ(in_flight(other_), actual(other_));
  EXPECT_GT(in_flight(account_), 0);
  EXPECT_EQ(count_jobs_in_flight(db(), "acct-none"), 0);
}

}  // namespace
}  // namespace seoagents::storage
