// The audit pipeline's steps run directly against a real store, object store and WordPress-less
// inputs: the report step writes the report object, its row and one audit.completed event, and
// run again (a retried job, a crash after the write) finds them and writes nothing twice; the
// fetch step refuses a site that is gone or another account's.
#include "jobs/audit_pipeline.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>

#include "core/master_key.hpp"
#include "storage/audit_reports.hpp"
#include "storage/jobs.hpp"
#include "tests/support/api_helpers.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::testing {
namespace {

// What a step sees: the job, its result and scratch; progress is not recorded here.
class StepContext : public jobs::JobContext {
 public:
  explicit StepContext(storage::Job job) : job_(std::move(job)) {}
  const storage::Job& job() const override { return job_; }
  json::object& result() override { return result_; }
  json::object& scratch() override { return scratch_; }
  asio::awaitable<void> progress(std::int64_t, std::string) override { co_return; }
  asio::awaitable<void> sleep(std::chrono::milliseconds) override { co_return; }
  bool stopping() const override { return false; }

 private:
  storage::Job job_;
  json::object result_;
  json::object scratch_;
};

class AuditPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    api_.emplace(server_.port(), *server_.app().first_api_key());
    account_id_ = default_account_id(store());
    agent_id_ =
        text_of(api_->create("/v1/dashboard/agents", R"({"name":"A","keywords":["k"]})"), "id");
    site_id_ = text_of(
        api_->create("/v1/dashboard/sites", R"({"url":"https://93.184.216.34","name":"S",)"
                                            R"("username":"u","application_password":"p"})"),
        "id");
    std::string sql = join(
        "INSERT INTO webhooks (id, account_id, url, events, secret_sealed, created_at, "
        "updated_at) VALUES ('wh-0000000c', '",
        account_id_, "', 'http://127.0.0.1:9/hook', '[\"audit.completed\"]', x'00', 0, 0)");
    store_write<bool>(writes_, store(), [sql](storage::Connection& db) {
      db.exec(sql);
      return true;
    });
  }

  storage::Store& store() { return server_.app().store(); }

  storage::Job insert_audit_job(const std::string& site_id) {
    storage::Job job;
    job.account_id = account_id_;
    job.agent_id = agent_id_;
    job.job_type = "audit";
    job.site_id = site_id;
    return store_write<storage::Job>(writes_, store(), [job](storage::Connection& db) {
      return storage::insert_job(db, job, storage::now_ms());
    });
  }

  jobs::StepOutcome run(const jobs::Step& step, StepContext& context) {
    auto future = asio::co_spawn(steps_, step.run(context), asio::use_future);
    steps_.run();
    steps_.restart();
    return future.get();
  }

  // The scratch object the analyze step leaves for the report step.
  static json::object analysed_scratch() {
    return json::parse(R"({"site_url":"https://93.184.216.34",
      "summary":{"site_score":61,"readability_score":60,"pages":2,
                 "issues":{"high":3,"medium":1,"low":0},"capped":false},
      "pages":[{"id":2,"seo_score":40,"issues":[]},{"id":1,"seo_score":82,"issues":[]}]})")
        .as_object();
  }

  std::int64_t count(const std::string& sql) {
    storage::Query query = store().reader().query(sql);
    query->step();
    return query->integer(0);
  }

  asio::io_context writes_;
  asio::io_context steps_;
  TestServer server_;
  std::optional<Api> api_;
  std::string account_id_;
  std::string agent_id_;
  std::string site_id_;
  OutboundClient outbound_{OutboundOptions{}};
  SecretBox secrets_{std::string(32, '\x01')};
  ComputePool compute_{1};
  UrlSigner signer_{derive_key(std::string(32, '\x02'), "report-urls")};
  jobs::AuditServices services_{store(),
                                server_.app().objects(),
                                outbound_,
                                secrets_,
                                compute_,
                                signer_,
                                500,
                                std::chrono::hours(1),
                                "http://seo.example.test"};
};

TEST_F(AuditPipelineTest, TheReportStepRunTwiceWritesOnce) {
  jobs::Pipeline pipeline = jobs::audit_pipeline(services_);
  ASSERT_EQ(pipeline.steps.size(), 3u);
  EXPECT_EQ(pipeline.steps[0].name, "fetch");
  EXPECT_EQ(pipeline.steps[1].name, "analyze");
  EXPECT_EQ(pipeline.steps[2].name, "report");
  storage::Job job = insert_audit_job(site_id_);

  StepContext first(job);
  first.scratch() = analysed_scratch();
  jobs::StepOutcome outcome = run(pipeline.steps[2], first);
  ASSERT_EQ(outcome.kind, jobs::StepOutcome::Kind::done) << outcome.message;
  std::string report_id = text_of(first.result(), "report_id");
  EXPECT_EQ(first.result().at("site_score").as_int64(), 61);
  EXPECT_EQ(first.result().at("pages").as_int64(), 2);
  EXPECT_TRUE(text_of(first.result(), "report_url")
                  .starts_with(join("http://seo.example.test/v1/dashboard/reports/", report_id,
                                    "?expires=")));

  StepContext again(job);
  again.scratch() = analysed_scratch();
  outcome = run(pipeline.steps[2], again);
  ASSERT_EQ(outcome.kind, jobs::StepOutcome::Kind::done) << outcome.message;
  EXPECT_EQ(text_of(again.result(), "report_id"), report_id);

  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_reports"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM webhook_events WHERE type = 'audit.completed'"), 1);
  EXPECT_EQ(count("SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = 'wh-0000000c'"), 1);
  auto report = storage::find_audit_report(store().reader(), report_id);
  ASSERT_TRUE(report.has_value());
  EXPECT_EQ(report->job_id, job.id);
  EXPECT_EQ(report->object_key, join("reports/", account_id_, "/", report_id, ".json"));
  EXPECT_EQ(report->issues_high, 3);
  auto body = server_.app().objects().get(report->object_key, 1 << 20);
  ASSERT_TRUE(body.has_value());
  json::object stored = json::parse(*body).as_object();
  EXPECT_EQ(text_of(stored, "report_id"), report_id);
  EXPECT_EQ(stored.at("summary"), analysed_scratch().at("summary"));
  EXPECT_EQ(stored.at("pages").as_array().size(), 2u);
}

TEST_F(AuditPipelineTest, FetchRefusesASiteThatIsGoneOrAnothersAccounts) {
  jobs::Pipeline pipeline = jobs::audit_pipeline(services_);
  storage::Job gone = insert_audit_job(site_id_);
  expect_json(api_->remove(join("/v1/dashboard/sites/", site_id_)), 200);
  StepContext context(gone);
  jobs::StepOutcome outcome = run(pipeline.steps[0], context);
  EXPECT_EQ(outcome.kind, jobs::StepOutcome::Kind::permanent_failure);
  EXPECT_NE(outcome.message.find("Site not found"), std::string::npos) << outcome.message;

  TestAccount other = create_account_with_key(writes_, store(), "tenant-b");
  Api b(server_.port(), other.key);
  std::string foreign =
      text_of(b.create("/v1/dashboard/sites", R"({"url":"https://93.184.216.34","name":"S",)"
                                              R"("username":"u","application_password":"p"})"),
              "id");
  storage::Job job = insert_audit_job(site_id_);
  job.site_id = foreign;
  StepContext foreign_context(job);
  outcome = run(pipeline.steps[0], foreign_context);
  EXPECT_EQ(outcome.kind, jobs::StepOutcome::Kind::permanent_failure);
}

}  // namespace
}  // namespace seoagents::testing
