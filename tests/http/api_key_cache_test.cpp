// Tests of the API-key cache: a change committed by another connection (as the CLI's, from
// another process) reaches the cache after its 100 ms data_version check, and not before.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "core/crypto.hpp"
#include "core/loop_pool.hpp"
#include "http/auth.hpp"
#include "storage/accounts.hpp"
#include "storage/store.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::http {
namespace {

constexpr std::int64_t kStart = 1'800'000'000'000;

class CredentialCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = testing::make_temp_directory();
    path_ = directory_ + "/seoagents.db";
    store_ = std::make_unique<storage::Store>(storage::Store::Options{path_}, logger_);
    auto created = store_->write_before_start<storage::CreatedApiKey>([](storage::Connection& db) {
      auto account = storage::create_account(db, "acme", storage::Plan::starter);
      return storage::create_api_key(db, account.id, "k");
    });
    ASSERT_TRUE(created.has_value());
    key_ = created->key;
    hash_ = sha256_hex(created->raw_key);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(directory_);
  }

  std::optional<CredentialCache::Entry> lookup(CredentialCache& cache, std::int64_t now) {
    bool touch = false;
    return cache.lookup_key(hash_, now, touch);
  }

  // A connection of its own, standing for another process.
  storage::Connection other_process() {
    return storage::Connection(path_, storage::Connection::Mode::read_write);
  }

  Logger logger_{LogLevel::error, [](std::string_view) {}};
  std::string directory_;
  std::string path_;
  std::unique_ptr<storage::Store> store_;
  storage::ApiKey key_;
  std::string hash_;
};

TEST_F(CredentialCacheTest, ARevocationByAnotherProcessAppliesAfterTheNextCheck) {
  LoopPool::ScopedLoopIndex on_loop(0);
  CredentialCache cache(*store_, 1);
  ASSERT_TRUE(lookup(cache, kStart).has_value());
  storage::Connection cli = other_process();
  ASSERT_TRUE(storage::revoke_api_key(cli, key_.account_id, key_.id));
  EXPECT_TRUE(lookup(cache, kStart + 99).has_value()) << "checked again before 100 ms";
  EXPECT_FALSE(lookup(cache, kStart + 100).has_value());
}

TEST_F(CredentialCacheTest, APlanChangeByAnotherProcessAppliesAfterTheNextCheck) {
  LoopPool::ScopedLoopIndex on_loop(0);
  CredentialCache cache(*store_, 1);
  ASSERT_EQ(lookup(cache, kStart)->limits.requests_per_minute, 60);
  storage::Connection cli = other_process();
  ASSERT_TRUE(storage::set_account_plan(cli, key_.account_id, storage::Plan::enterprise,
                                        storage::PlanLimits{5000, 50}));
  auto entry = lookup(cache, kStart + 100);
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->plan, storage::Plan::enterprise);
  EXPECT_EQ(entry->limits.requests_per_minute, 5000);
}

TEST_F(CredentialCacheTest, WithoutChangesEntriesStayCached) {
  LoopPool::ScopedLoopIndex on_loop(0);
  CredentialCache cache(*store_, 1);
  ASSERT_TRUE(lookup(cache, kStart).has_value());
  // A read by another connection commits nothing: after the next check the entry is still the
  // one read at the start (not read again).
  storage::Connection reader = other_process();
  EXPECT_TRUE(storage::find_api_key(reader, key_.id).has_value());
  EXPECT_EQ(lookup(cache, kStart + 5000)->checked_at, kStart);
}

TEST_F(CredentialCacheTest, ASubjectIsFoundOnceItsAccountExistsAndNotBefore) {
  LoopPool::ScopedLoopIndex on_loop(0);
  CredentialCache cache(*store_, 1);
  EXPECT_FALSE(cache.lookup_subject("user-1", kStart).has_value());
  // Created by another process: an unknown subject was not cached, so it is found at once.
  storage::Connection cli = other_process();
  storage::Account account = storage::create_subject_account(cli, "user-1", storage::Plan::agency);
  auto entry = cache.lookup_subject("user-1", kStart + 1);
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->account_id, account.id);
  EXPECT_EQ(entry->plan, storage::Plan::agency);
  EXPECT_TRUE(entry->key_id.empty());
  EXPECT_FALSE(cache.lookup_subject("user-2", kStart + 1).has_value());
}

TEST_F(CredentialCacheTest, ASubjectsPlanChangedByAnotherProcessAppliesAfterTheNextCheck) {
  LoopPool::ScopedLoopIndex on_loop(0);
  CredentialCache cache(*store_, 1);
  storage::Connection cli = other_process();
  storage::Account account = storage::create_subject_account(cli, "user-1", storage::Plan::starter);
  ASSERT_EQ(cache.lookup_subject("user-1", kStart)->plan, storage::Plan::starter);
  ASSERT_TRUE(storage::set_account_plan(cli, account.id, storage::Plan::enterprise,
                                        storage::PlanLimits{5000, 50}));
  EXPECT_EQ(cache.lookup_subject("user-1", kStart + 99)->plan, storage::Plan::starter)
      << "checked again before 100 ms";
  auto entry = cache.lookup_subject("user-1", kStart + 100);
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(entry->plan, storage::Plan::enterprise);
  EXPECT_EQ(entry->limits.requests_per_minute, 5000);
}

TEST_F(CredentialCacheTest, InvalidateForgetsSubjectsToo) {
  LoopPool::ScopedLoopIndex on_loop(0);
  CredentialCache cache(*store_, 1);
  storage::Account account =
      store_
          ->write_before_start<storage::Account>([](storage::Connection& db) {
            return storage::create_subject_account(db, "user-1", storage::Plan::starter);
          })
          .value();
  ASSERT_EQ(cache.lookup_subject("user-1", kStart)->plan, storage::Plan::starter);
  auto changed = store_->write_before_start<bool>([&](storage::Connection& db) {
    return storage::set_account_plan(db, account.id, storage::Plan::professional, std::nullopt);
  });
  ASSERT_TRUE(changed.has_value() && *changed);
  cache.invalidate();
  EXPECT_EQ(cache.lookup_subject("user-1", kStart + 1)->plan, storage::Plan::professional);
}

}  // namespace
}  // namespace seoagents::http
