// Tests of the job_counts table (schema 8) the metrics read: the triggers follow every status
// change of the queue's own functions (claim, retry, complete, fail, cancel, release) and a
// deletion, and the migration seeds the counts from the jobs a version-7 database already holds.
#include "storage/job_counts.hpp"

#include <gtest/gtest.h>

#include <map>

#include "storage/agents.hpp"
#include "storage/jobs.hpp"
#include "storage/migrations.hpp"
#include "tests/storage/store_fixture.hpp"

namespace seoagents::storage {
namespace {

using Counts = std::map<std::pair<std::string, std::string>, std::int64_t>;

class JobCountsTest : public fixtures::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    Account account = new_account("counted");
    agent_ = write<Agent>([&](Connection& db) {
      Agent agent;
      agent.account_id = account.id;
      agent.name = "counted";
      agent.keywords = {"booth cost"};
      return insert_agent(db, agent);
    });
  }

  std::string insert(std::string_view type) {
    return write<std::string>([&](Connection& db) {
      Job job;
      job.account_id = agent_.account_id;
      job.agent_id = agent_.id;
      job.job_type = type;
      return insert_job(db, job, ++created_at_).id;
    });
  }

  // Claims the oldest pending job under `token`; its id.
  std::string claim(const std::string& token) {
    return write<std::string>([&](Connection& db) {
      auto job = claim_next_job(db, kLater, 30'000, token);
      if (!job) throw std::runtime_error("nothing to claim");
      return job->id;
    });
  }

  // The non-zero counts.
  Counts counts() {
    Counts result;
    for (const JobCount& count : count_jobs_by_type_and_status(db())) {
      if (count.jobs != 0) result[{count.job_type, count.status}] = count.jobs;
    }
    return result;
  }

  // After every job's creation and retry time.
  static constexpr std::int64_t kLater = 1'000'000;
  Agent agent_;
  // Each job is created a millisecond after the last, so the claim order is the insert order.
  std::int64_t created_at_ = 1'000;
};

TEST_F(JobCountsTest, FollowEveryStatusChange) {
  EXPECT_TRUE(counts().empty());
  std::string a = insert("create");
  std::string b = insert("create");
  std::string c = insert("publish");
  EXPECT_EQ(counts(), (Counts{{{"create", "pending"}, 2}, {{"publish", "pending"}, 1}}));

  ASSERT_EQ(claim("t1"), a);
  EXPECT_EQ(counts(), (Counts{{{"create", "pending"}, 1},
                              {{"create", "processing"}, 1},
                              {{"publish", "pending"}, 1}}));
  write<bool>([&](Connection& db) { return retry_job(db, a, "t1", "busy", 2'000, 2'000); });
  EXPECT_EQ(counts(), (Counts{{{"create", "pending"}, 2}, {{"publish", "pending"}, 1}}));

  ASSERT_EQ(claim("t2"), a);
  write<bool>([&](Connection& db) { return complete_job(db, a, "t2", "{}", 3'000); });
  ASSERT_EQ(claim("t3"), b);
  write<bool>([&](Connection& db) { return fail_job(db, b, "t3", "refused", 3'000); });
  ASSERT_EQ(claim("t4"), c);
  write<bool>([&](Connection& db) { return release_lease(db, c, "t4", 3'000); });
  EXPECT_EQ(counts(), (Counts{{{"create", "completed"}, 1},
                              {{"create", "failed"}, 1},
                              {{"publish", "pending"}, 1}}));

  std::string d = insert("audit");
  write<bool>([&](Connection& db) {
    auto job = find_job(db, d);
    return request_cancel(db, *job, 4'000) == CancelOutcome::cancelled;
  });
  exec("DELETE FROM job_events WHERE job_id = '" + c + "'");
  exec("DELETE FROM jobs WHERE id = '" + c + "'");
  EXPECT_EQ(counts(), (Counts{{{"create", "completed"}, 1},
                              {{"create", "failed"}, 1},
                              {{"audit", "cancelled"}, 1}}));
}

TEST_F(JobCountsTest, AnUpdateThatKeepsTheStatusChangesNothing) {
  std::string a = insert("create");
  ASSERT_EQ(claim("t1"), a);
  write<bool>([&](Connection& db) { return renew_lease(db, a, "t1", kLater, 30'000); });
  exec("UPDATE jobs SET status = 'processing', updated_at = 9 WHERE id = '" + a + "'");
  EXPECT_EQ(counts(), (Counts{{{"create", "processing"}, 1}}));
}

TEST_F(JobCountsTest, TheMigrationSeedsTheCountsOfExistingJobs) {
  insert("create");
  insert("create");
  insert("optimize");
  claim("t1");
  // Back to a version-7 database: no counts table, no triggers; a job written meanwhile.
  exec(
      "DROP TRIGGER job_counts_on_insert; DROP TRIGGER job_counts_on_status; "
      "DROP TRIGGER job_counts_on_delete; DROP TABLE job_counts; PRAGMA user_version = 7");
  insert("audit");
  store_.reset();
  store_ = std::make_unique<Store>(Store::Options{directory_ + "/seoagents.db"}, logger_);
  EXPECT_EQ(store_->schema_version(), latest_schema_version());
  EXPECT_EQ(counts(), (Counts{{{"create", "pending"}, 1},
                              {{"create", "processing"}, 1},
                              {{"optimize", "pending"}, 1},
                              {{"audit", "pending"}, 1}}));
  insert("audit");
  Counts after = counts();
  EXPECT_EQ((after[{"audit", "pending"}]), 2);
}

}  // namespace
}  // namespace seoagents::storage
