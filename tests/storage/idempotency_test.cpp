// Tests of idempotency keys in the store: claim, replay, mismatch, in-progress, expiry,
// abandoned claims, release and purge.
#include "storage/idempotency.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "storage/accounts.hpp"
#include "storage/store.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::storage {
namespace {

using Outcome = IdempotencyClaim::Outcome;

constexpr std::int64_t kNow = 1'800'000'000'000;
constexpr std::string_view kCountKeys = "SELECT count(*) FROM idempotency_keys";

// A store used from the test thread only (never started: writes run on this thread).
class IdempotencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = testing::make_temp_directory();
    store_ = std::make_unique<Store>(Store::Options{directory_ + "/seoagents.db"}, logger_);
    account_a_ =
        write<Account>([](Connection& db) { return create_account(db, "a", Plan::starter); }).id;
    account_b_ =
        write<Account>([](Connection& db) { return create_account(db, "b", Plan::starter); }).id;
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(directory_);
  }

  template <class T>
  T write(const std::function<T(Connection&)>& work) {
    auto result = store_->write_before_start<T>(work);
    if (!result) throw std::runtime_error(result.error().detail);
    return std::move(*result);
  }

  IdempotencyClaim claim(const std::string& account, std::string_view key,
                         std::string_view fingerprint, std::int64_t now = kNow) {
    return write<IdempotencyClaim>(
        [&](Connection& db) { return claim_idempotency_key(db, account, key, fingerprint, now); });
  }

  void complete(const std::string& account, std::string_view key, const StoredResponse& response) {
    write<bool>([&](Connection& db) {
      complete_idempotency_key(db, account, key, response);
      return true;
    });
  }

  std::int64_t count_keys() {
    Query query = store_->reader().query(kCountKeys);
    query->step();
    return query->integer(0);
  }

  Logger logger_{LogLevel::error, [](std::string_view) {}};
  std::string directory_;
  std::unique_ptr<Store> store_;
  std::string account_a_;
  std::string account_b_;
};

TEST_F(IdempotencyTest, FirstClaimWinsAndTheCompletedResponseIsReplayed) {
  EXPECT_EQ(claim(account_a_, "k1", "fp").outcome, Outcome::claimed);
  EXPECT_EQ(claim(account_a_, "k1", "fp").outcome, Outcome::in_progress);
  std::string body("{\"id\":\"agent-1\"}\0binary", 23);
  complete(account_a_, "k1", StoredResponse{201, "application/json", body});
  IdempotencyClaim again = claim(account_a_, "k1", "fp");
  ASSERT_EQ(again.outcome, Outcome::replay);
  ASSERT_TRUE(again.response.has_value());
  EXPECT_EQ(again.response->status, 201);
  EXPECT_EQ(again.response->content_type, "application/json");
  EXPECT_EQ(again.response->body, body);
}

TEST_F(IdempotencyTest, SameKeyWithAnotherRequestIsAMismatch) {
  claim(account_a_, "k1", "fp-1");
  EXPECT_EQ(claim(account_a_, "k1", "fp-2").outcome, Outcome::mismatch);
  complete(account_a_, "k1", StoredResponse{200, "application/json", "{}"});
  EXPECT_EQ(claim(account_a_, "k1", "fp-2").outcome, Outcome::mismatch);
}

TEST_F(IdempotencyTest, KeysBelongToTheirAccount) {
  EXPECT_EQ(claim(account_a_, "shared", "fp").outcome, Outcome::claimed);
  EXPECT_EQ(claim(account_b_, "shared", "other").outcome, Outcome::claimed);
  EXPECT_EQ(count_keys(), 2);
}

TEST_F(IdempotencyTest, ReleasedKeyCanBeClaimedWithAnyRequest) {
  claim(account_a_, "k1", "fp-1");
  write<bool>([&](Connection& db) {
    release_idempotency_key(db, account_a_, "k1");
    return true;
  });
  EXPECT_EQ(claim(account_a_, "k1", "fp-2").outcome, Outcome::claimed);
}

TEST_F(IdempotencyTest, ExpiredKeyIsFreeAgain) {
  claim(account_a_, "k1", "fp-1", kNow);
  complete(account_a_, "k1", StoredResponse{201, "application/json", "{}"});
  std::int64_t just_before = kNow + kIdempotencyKeyLifetimeMs - 1;
  EXPECT_EQ(claim(account_a_, "k1", "fp-2", just_before).outcome, Outcome::mismatch);
  EXPECT_EQ(claim(account_a_, "k1", "fp-2", kNow + kIdempotencyKeyLifetimeMs).outcome,
            Outcome::claimed);
  EXPECT_EQ(claim(account_a_, "k1", "fp-2", kNow + kIdempotencyKeyLifetimeMs).outcome,
            Outcome::in_progress);
}

TEST_F(IdempotencyTest, AbandonedClaimIsFreeAgain) {
  claim(account_a_, "k1", "fp", kNow);
  EXPECT_EQ(claim(account_a_, "k1", "fp", kNow + kAbandonedClaimMs - 1).outcome,
            Outcome::in_progress);
  EXPECT_EQ(claim(account_a_, "k1", "fp", kNow + kAbandonedClaimMs).outcome, Outcome::claimed);
}

TEST_F(IdempotencyTest, StartUpReleasesOnlyUnfinishedClaims) {
  claim(account_a_, "running", "fp");
  claim(account_a_, "done", "fp");
  complete(account_a_, "done", StoredResponse{201, "application/json", "{}"});
  EXPECT_EQ(
      write<std::int64_t>([](Connection& db) { return release_unfinished_idempotency_keys(db); }),
      1);
  EXPECT_EQ(claim(account_a_, "running", "fp").outcome, Outcome::claimed);
  EXPECT_EQ(claim(account_a_, "done", "fp").outcome, Outcome::replay);
}

TEST_F(IdempotencyTest, PurgeDeletesExpiredKeysInBatches) {
  for (int i = 0; i < 5; ++i)
    claim(account_a_, "old-" + std::to_string(i), "fp", kNow);
  claim(account_a_, "young", "fp", kNow + 1000);
  std::int64_t later = kNow + kIdempotencyKeyLifetimeMs;
  EXPECT_EQ(write<std::int64_t>(
                [&](Connection& db) { return purge_expired_idempotency_keys(db, later, 3); }),
            3);
  EXPECT_EQ(write<std::int64_t>(
                [&](Connection& db) { return purge_expired_idempotency_keys(db, later, 3); }),
            2);
  EXPECT_EQ(count_keys(), 1);
}

}  // namespace
}  // namespace seoagents::storage
