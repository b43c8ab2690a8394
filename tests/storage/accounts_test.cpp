// Tests of accounts, plans and API keys in the store, including keyset paging of the key list.
#include "storage/accounts.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/crypto.hpp"
#include "storage/store.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::storage {
namespace {

constexpr std::string_view kSelectKeyHash = "SELECT key_hash FROM api_keys WHERE id = ?";
constexpr std::string_view kSelectKeyOrder =
    "SELECT id, created_at FROM api_keys WHERE account_id = ?";
constexpr std::string_view kSetCreatedAtInThreeGroups =
    "UPDATE api_keys SET created_at = ? + (rowid % 3)";
constexpr std::string_view kInsertRawApiKey =
    "INSERT INTO api_keys (id, account_id, name, key_hash, prefix, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?)";

// The base of the created_at values the paging tests give their keys.
constexpr std::int64_t kBaseTime = 1'700'000'000'000;

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = testing::make_temp_directory();
    store_ = std::make_unique<Store>(Store::Options{directory_ + "/seoagents.db"}, logger_);
    store_->start();
  }
  void TearDown() override {
    store_->stop();
    store_.reset();
    std::filesystem::remove_all(directory_);
  }

  // Runs `work` through Store::write and waits for its outcome.
  template <class T>
  Expected<T, StorageError> try_write(std::function<T(Connection&)> work) {
    // co_spawn needs a default-constructible result: Expected is wrapped in an optional. The
    // io_context outlives the store's writer thread, which may still be inside its post() to it
    // when run() returns.
    auto future = asio::co_spawn(
        context_,
        [&]() -> asio::awaitable<std::optional<Expected<T, StorageError>>> {
          co_return co_await store_->write<T>(std::move(work));
        },
        asio::use_future);
    context_.run();
    context_.restart();
    return std::move(*future.get());
  }

  // Like try_write, but a failed write fails the test (by throwing).
  template <class T>
  T write(std::function<T(Connection&)> work) {
    auto result = try_write<T>(std::move(work));
    if (!result) throw std::runtime_error("write failed: " + result.error().detail);
    return std::move(*result);
  }

  Connection& db() { return store_->reader(); }

  Account new_account(const std::string& name, Plan plan = Plan::starter) {
    return write<Account>([&](Connection& c) { return create_account(c, name, plan); });
  }
  CreatedApiKey new_key(const std::string& account_id, const std::string& name = "key") {
    return write<CreatedApiKey>([&](Connection& c) { return create_api_key(c, account_id, name); });
  }

  std::string directory_;
  Logger logger_{LogLevel::error, [](std::string_view) {}};
  // Declared before the store: destroyed after its writer thread has stopped.
  asio::io_context context_;
  std::unique_ptr<Store> store_;
};

std::string file_bytes(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

// ---------------------------------------------------------------------------------------------
// Accounts

TEST_F(AccountsTest, CreateAccountReturnsTheStoredAccount) {
  std::int64_t before = now_ms();
  Account account = new_account("acme", Plan::professional);
  std::int64_t after = now_ms();
  EXPECT_TRUE(std::regex_match(account.id, std::regex("^acct-[0-9a-f]{8}$"))) << account.id;
  EXPECT_EQ(account.name, "acme");
  EXPECT_EQ(account.plan, Plan::professional);
  EXPECT_EQ(account.limits.requests_per_minute, 120);
  EXPECT_EQ(account.limits.concurrent_jobs, 5);
  EXPECT_GE(account.created_at, before);
  EXPECT_LE(account.created_at, after);

  auto found = find_account(db(), account.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, account.id);
  EXPECT_EQ(found->name, "acme");
  EXPECT_EQ(found->plan, Plan::professional);
  EXPECT_EQ(found->limits.requests_per_minute, 120);
  EXPECT_EQ(found->limits.concurrent_jobs, 5);
  EXPECT_EQ(found->created_at, account.created_at);

  auto by_name = find_account_by_name(db(), "acme");
  ASSERT_TRUE(by_name.has_value());
  EXPECT_EQ(by_name->id, account.id);
}

TEST_F(AccountsTest, UnknownAccountsAreNotFound) {
  new_account("acme");
  EXPECT_FALSE(find_account(db(), "acct-00000000").has_value());
  EXPECT_FALSE(find_account(db(), "").has_value());
  EXPECT_FALSE(find_account_by_name(db(), "Acme").has_value());
  EXPECT_FALSE(find_account_by_name(db(), "acme ").has_value());
  EXPECT_FALSE(find_account_by_name(db(), "nobody").has_value());
}

TEST_F(AccountsTest, ListAndCountAccounts) {
  EXPECT_EQ(count_accounts(db()), 0);
  EXPECT_TRUE(list_accounts(db()).empty());
  Account a = new_account("a", Plan::starter);
  Account b = new_account("b", Plan::agency);
  Account c = new_account("c", Plan::enterprise);
  EXPECT_EQ(count_accounts(db()), 3);
  auto accounts = list_accounts(db());
  ASSERT_EQ(accounts.size(), 3u);
  std::set<std::string> ids;
  for (const Account& account : accounts)
    ids.insert(account.id);
  EXPECT_EQ(ids, (std::set<std::string>{a.id, b.id, c.id}));
  // Ordered by created_at, then id.
  for (std::size_t i = 1; i < accounts.size(); ++i) {
    EXPECT_TRUE(accounts[i - 1].created_at < accounts[i].created_at ||
                (accounts[i - 1].created_at == accounts[i].created_at &&
                 accounts[i - 1].id < accounts[i].id));
  }
  for (const Account& account : accounts) {
    if (account.id == b.id) {
      EXPECT_EQ(account.plan, Plan::agency);
      EXPECT_EQ(account.limits.requests_per_minute, 300);
    }
  }
}

TEST_F(AccountsTest, DuplicateAccountNameIsAConstraintError) {
  new_account("acme");
  auto again =
      try_write<Account>([](Connection& c) { return create_account(c, "acme", Plan::agency); });
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().kind, StorageError::Kind::constraint);
  EXPECT_EQ(count_accounts(db()), 1);
  EXPECT_EQ(find_account_by_name(db(), "acme")->plan, Plan::starter);
}

TEST_F(AccountsTest, PlansParseAndPrint) {
  for (Plan plan : {Plan::starter, Plan::professional, Plan::agency, Plan::enterprise}) {
    EXPECT_EQ(parse_plan(to_string(plan)), plan);
  }
  EXPECT_EQ(to_string(Plan::professional), "professional");
  EXPECT_FALSE(parse_plan("").has_value());
  EXPECT_FALSE(parse_plan("Starter").has_value());
  EXPECT_FALSE(parse_plan("gold").has_value());
  EXPECT_FALSE(parse_plan("agency ").has_value());
}

TEST_F(AccountsTest, DefaultLimitsFollowThePlanTable) {
  struct Row {
    Plan plan;
    std::int64_t rpm;
    std::int64_t jobs;
  };
  for (Row row : {Row{Plan::starter, 60, 2}, Row{Plan::professional, 120, 5},
                  Row{Plan::agency, 300, 15}, Row{Plan::enterprise, 300, 15}}) {
    SCOPED_TRACE(std::string(to_string(row.plan)));
    PlanLimits limits = default_limits(row.plan);
    EXPECT_EQ(limits.requests_per_minute, row.rpm);
    EXPECT_EQ(limits.concurrent_jobs, row.jobs);
    Account account = new_account("account-" + std::string(to_string(row.plan)), row.plan);
    auto stored = find_account(db(), account.id);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->limits.requests_per_minute, row.rpm);
    EXPECT_EQ(stored->limits.concurrent_jobs, row.jobs);
  }
}

TEST_F(AccountsTest, SetAccountPlanChangesThePlanAndItsLimits) {
  Account account = new_account("acme", Plan::starter);
  auto set = [&](Plan plan, std::optional<PlanLimits> limits) {
    return write<bool>(
        [&](Connection& c) { return set_account_plan(c, account.id, plan, limits); });
  };

  EXPECT_TRUE(set(Plan::professional, std::nullopt));
  auto stored = find_account(db(), account.id);
  EXPECT_EQ(stored->plan, Plan::professional);
  EXPECT_EQ(stored->limits.requests_per_minute, 120);
  EXPECT_EQ(stored->limits.concurrent_jobs, 5);

  EXPECT_TRUE(set(Plan::enterprise, PlanLimits{1000, 50}));
  stored = find_account(db(), account.id);
  EXPECT_EQ(stored->plan, Plan::enterprise);
  EXPECT_EQ(stored->limits.requests_per_minute, 1000);
  EXPECT_EQ(stored->limits.concurrent_jobs, 50);

  // Back to a fixed plan: the enterprise numbers are dropped.
  EXPECT_TRUE(set(Plan::agency, std::nullopt));
  stored = find_account(db(), account.id);
  EXPECT_EQ(stored->plan, Plan::agency);
  EXPECT_EQ(stored->limits.requests_per_minute, 300);
  EXPECT_EQ(stored->limits.concurrent_jobs, 15);

  // Enterprise without numbers of its own: agency's.
  EXPECT_TRUE(set(Plan::enterprise, std::nullopt));
  stored = find_account(db(), account.id);
  EXPECT_EQ(stored->plan, Plan::enterprise);
  EXPECT_EQ(stored->limits.requests_per_minute, 300);
  EXPECT_EQ(stored->limits.concurrent_jobs, 15);
}

TEST_F(AccountsTest, CustomLimitsApplyOnlyToEnterprise) {
  Account account = new_account("acme", Plan::starter);
  EXPECT_TRUE(write<bool>([&](Connection& c) {
    return set_account_plan(c, account.id, Plan::professional, PlanLimits{9999, 99});
  }));
  auto stored = find_account(db(), account.id);
  EXPECT_EQ(stored->plan, Plan::professional);
  EXPECT_EQ(stored->limits.requests_per_minute, 120);
  EXPECT_EQ(stored->limits.concurrent_jobs, 5);
}

TEST_F(AccountsTest, SetAccountPlanOfAnUnknownAccountIsFalse) {
  Account account = new_account("acme", Plan::starter);
  EXPECT_FALSE(write<bool>([](Connection& c) {
    return set_account_plan(c, "acct-00000000", Plan::agency, std::nullopt);
  }));
  EXPECT_EQ(find_account(db(), account.id)->plan, Plan::starter);
}

TEST_F(AccountsTest, PlanChangesAreScopedToOneAccount) {
  Account a = new_account("a", Plan::starter);
  Account b = new_account("b", Plan::starter);
  EXPECT_TRUE(write<bool>([&](Connection& c) {
    return set_account_plan(c, a.id, Plan::enterprise, PlanLimits{500, 20});
  }));
  EXPECT_EQ(find_account(db(), b.id)->plan, Plan::starter);
  EXPECT_EQ(find_account(db(), b.id)->limits.requests_per_minute, 60);
}

// ---------------------------------------------------------------------------------------------
// API keys

TEST_F(AccountsTest, CreateApiKeyReturnsARawKeyOnceAndTheRecord) {
  Account account = new_account("acme");
  std::int64_t before = now_ms();
  CreatedApiKey created = new_key(account.id, "ci");
  std::int64_t after = now_ms();
  EXPECT_TRUE(std::regex_match(created.raw_key, std::regex("^sak_[0-9A-Za-z]{43}$")))
      << created.raw_key;
  const ApiKey& key = created.key;
  EXPECT_TRUE(std::regex_match(key.id, std::regex("^key-[0-9a-f]{8}$"))) << key.id;
  EXPECT_EQ(key.account_id, account.id);
  EXPECT_EQ(key.name, "ci");
  EXPECT_EQ(key.prefix, "sak_" + created.raw_key.substr(4, 6));
  EXPECT_EQ(key.prefix.size(), 10u);
  EXPECT_GE(key.created_at, before);
  EXPECT_LE(key.created_at, after);
  EXPECT_FALSE(key.last_used_at.has_value());
  EXPECT_FALSE(key.revoked_at.has_value());

  auto stored = find_api_key(db(), key.id);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->account_id, account.id);
  EXPECT_EQ(stored->name, "ci");
  EXPECT_EQ(stored->prefix, key.prefix);
  EXPECT_EQ(stored->created_at, key.created_at);
  EXPECT_FALSE(stored->last_used_at.has_value());
  EXPECT_FALSE(stored->revoked_at.has_value());
}

TEST_F(AccountsTest, RawKeysAreRandom) {
  Account account = new_account("acme");
  std::set<std::string> raw_keys;
  std::set<std::string> ids;
  for (int i = 0; i < 50; ++i) {
    CreatedApiKey created = new_key(account.id);
    raw_keys.insert(created.raw_key);
    ids.insert(created.key.id);
  }
  EXPECT_EQ(raw_keys.size(), 50u);
  EXPECT_EQ(ids.size(), 50u);
  std::string generated = generate_raw_api_key();
  EXPECT_TRUE(std::regex_match(generated, std::regex("^sak_[0-9A-Za-z]{43}$"))) << generated;
  EXPECT_EQ(raw_keys.count(generated), 0u);
}

TEST_F(AccountsTest, OnlyTheSha256OfAKeyIsStored) {
  Account account = new_account("acme");
  CreatedApiKey created = new_key(account.id, "secret-holder");
  std::string body = created.raw_key.substr(4);  // the 43 random characters

  {
    Query hash = db().query(kSelectKeyHash);
    hash->bind(1, created.key.id);
    ASSERT_TRUE(hash->step());
    EXPECT_EQ(hash->text(0), sha256_hex(created.raw_key));
  }

  // No column of any row holds the raw key or its random part.
  sqlite3_stmt* raw = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db().handle(), "SELECT * FROM api_keys", -1, &raw, nullptr),
            SQLITE_OK);
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> rows(raw, &sqlite3_finalize);
  int row_count = 0;
  while (sqlite3_step(rows.get()) == SQLITE_ROW) {
    ++row_count;
    int columns = sqlite3_column_count(rows.get());
    EXPECT_GE(columns, 8);
    for (int column = 0; column < columns; ++column) {
      const auto* text = sqlite3_column_text(rows.get(), column);
      if (text == nullptr) continue;
      std::string value(reinterpret_cast<const char*>(text),
                        static_cast<std::size_t>(sqlite3_column_bytes(rows.get(), column)));
      EXPECT_EQ(value.find(body.substr(6)), std::string::npos)
          << sqlite3_column_name(rows.get(), column) << ": " << value;
    }
  }
  EXPECT_EQ(row_count, 1);
  rows.reset();

  // Nor do the database files themselves.
  store_->stop();
  bool prefix_found = false;
  for (const auto& entry : std::filesystem::directory_iterator(directory_)) {
    std::string bytes = file_bytes(entry.path().string());
    EXPECT_EQ(bytes.find(body.substr(6)), std::string::npos) << entry.path();
    prefix_found = prefix_found || bytes.find(created.key.prefix) != std::string::npos;
  }
  EXPECT_TRUE(prefix_found) << "the search does not see the stored rows";
}

TEST_F(AccountsTest, CreateApiKeyForAnUnknownAccountIsAConstraintError) {
  auto created = try_write<CreatedApiKey>(
      [](Connection& c) { return create_api_key(c, "acct-00000000", "orphan"); });
  ASSERT_FALSE(created.has_value());
  EXPECT_EQ(created.error().kind, StorageError::Kind::constraint);
}

TEST_F(AccountsTest, FindApiKeyByHash) {
  Account account = new_account("acme");
  CreatedApiKey first = new_key(account.id, "first");
  CreatedApiKey second = new_key(account.id, "second");
  auto found = find_api_key_by_hash(db(), sha256_hex(first.raw_key));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, first.key.id);
  EXPECT_EQ(found->name, "first");
  EXPECT_EQ(found->account_id, account.id);
  EXPECT_EQ(find_api_key_by_hash(db(), sha256_hex(second.raw_key))->id, second.key.id);

  EXPECT_FALSE(find_api_key_by_hash(db(), first.raw_key).has_value()) << "looked up by raw key";
  EXPECT_FALSE(find_api_key_by_hash(db(), sha256_hex(first.raw_key + "x")).has_value());
  EXPECT_FALSE(find_api_key_by_hash(db(), sha256_hex("")).has_value());
  EXPECT_FALSE(find_api_key_by_hash(db(), "").has_value());
  EXPECT_FALSE(find_api_key(db(), "key-00000000").has_value());
}

TEST_F(AccountsTest, RevokeApiKeyOnceAndOnlyForItsAccount) {
  Account a = new_account("a");
  Account b = new_account("b");
  CreatedApiKey key = new_key(a.id);
  auto revoke = [&](const std::string& account_id, const std::string& key_id) {
    return write<bool>([&](Connection& c) { return revoke_api_key(c, account_id, key_id); });
  };

  EXPECT_FALSE(revoke(b.id, key.key.id)) << "another account revoked the key";
  EXPECT_FALSE(find_api_key(db(), key.key.id)->revoked_at.has_value());
  EXPECT_FALSE(revoke(a.id, "key-00000000"));

  std::int64_t before = now_ms();
  EXPECT_TRUE(revoke(a.id, key.key.id));
  std::int64_t after = now_ms();
  auto revoked = find_api_key(db(), key.key.id);
  ASSERT_TRUE(revoked->revoked_at.has_value());
  EXPECT_GE(*revoked->revoked_at, before);
  EXPECT_LE(*revoked->revoked_at, after);

  EXPECT_FALSE(revoke(a.id, key.key.id)) << "revoked twice";
  EXPECT_EQ(find_api_key(db(), key.key.id)->revoked_at, revoked->revoked_at);

  // A revoked key is still found by its hash, marked revoked.
  auto by_hash = find_api_key_by_hash(db(), sha256_hex(key.raw_key));
  ASSERT_TRUE(by_hash.has_value());
  EXPECT_TRUE(by_hash->revoked_at.has_value());
}

TEST_F(AccountsTest, RevokingOneKeyLeavesTheOthers) {
  Account a = new_account("a");
  CreatedApiKey one = new_key(a.id);
  CreatedApiKey two = new_key(a.id);
  EXPECT_TRUE(write<bool>([&](Connection& c) { return revoke_api_key(c, a.id, one.key.id); }));
  EXPECT_FALSE(find_api_key(db(), two.key.id)->revoked_at.has_value());
}

TEST_F(AccountsTest, TouchApiKeyRecordsUseAtMostOnceAMinute) {
  Account account = new_account("acme");
  CreatedApiKey key = new_key(account.id);
  auto touch = [&](std::int64_t now) {
    write<bool>([&](Connection& c) {
      touch_api_key(c, key.key.id, now);
      return true;
    });
    return find_api_key(db(), key.key.id)->last_used_at;
  };
  const std::int64_t t = kBaseTime;
  EXPECT_EQ(touch(t), std::optional<std::int64_t>(t));
  EXPECT_EQ(touch(t + 1), std::optional<std::int64_t>(t));
  EXPECT_EQ(touch(t + 30'000), std::optional<std::int64_t>(t));
  EXPECT_EQ(touch(t + 59'999), std::optional<std::int64_t>(t));
  EXPECT_EQ(touch(t + 60'000), std::optional<std::int64_t>(t + 60'000));
  EXPECT_EQ(touch(t + 60'001), std::optional<std::int64_t>(t + 60'000));
  EXPECT_EQ(touch(t + 200'000), std::optional<std::int64_t>(t + 200'000));
}

TEST_F(AccountsTest, TouchApiKeyChangesOnlyThatKey) {
  Account account = new_account("acme");
  CreatedApiKey one = new_key(account.id);
  CreatedApiKey two = new_key(account.id);
  write<bool>([&](Connection& c) {
    touch_api_key(c, one.key.id, kBaseTime);
    touch_api_key(c, "key-00000000", kBaseTime);  // unknown: nothing happens
    return true;
  });
  EXPECT_EQ(find_api_key(db(), one.key.id)->last_used_at, std::optional<std::int64_t>(kBaseTime));
  EXPECT_FALSE(find_api_key(db(), two.key.id)->last_used_at.has_value());
}

// ---------------------------------------------------------------------------------------------
// Keyset paging of list_api_keys

struct KeyOrder {
  std::string id;
  std::int64_t created_at;
};

// A walk with rows inserted between pages: every original row seen once, every row inserted
// ahead of the walk's position seen, none inserted behind it, and all in `final_order`'s order.
void expect_consistent_walk(const std::vector<std::string>& seen,
                            const std::vector<std::string>& original,
                            const std::vector<std::string>& ahead,
                            const std::vector<std::string>& behind,
                            const std::vector<std::string>& final_order) {
  std::set<std::string> unique(seen.begin(), seen.end());
  EXPECT_EQ(unique.size(), seen.size()) << "a row was returned twice";
  for (const std::string& id : original)
    EXPECT_EQ(unique.count(id), 1u) << "skipped " << id;
  for (const std::string& id : ahead)
    EXPECT_EQ(unique.count(id), 1u) << "inserted ahead but not seen: " << id;
  for (const std::string& id : behind)
    EXPECT_EQ(unique.count(id), 0u) << "inserted behind but seen: " << id;
  EXPECT_EQ(seen.size(), original.size() + ahead.size());
  std::vector<std::string> expected;
  for (const std::string& id : final_order)
    if (unique.count(id)) expected.push_back(id);
  EXPECT_TRUE(seen == expected) << "rows out of order";
}

class ApiKeyPagingTest : public AccountsTest {
 protected:
  static constexpr int kKeys = 2000;

  void SetUp() override {
    AccountsTest::SetUp();
    account_ = new_account("paged");
    other_ = new_account("other");
    write<bool>([&](Connection& c) {
      for (int i = 0; i < kKeys; ++i)
        create_api_key(c, account_.id, "key " + std::to_string(i));
      for (int i = 0; i < 50; ++i)
        create_api_key(c, other_.id, "other " + std::to_string(i));
      // Three created_at values shared by ~667 keys each: ties everywhere, broken by id.
      c.query(kSetCreatedAtInThreeGroups)->bind(1, kBaseTime).run();
      return true;
    });
  }

  // The account's keys in (created_at, id) order.
  std::vector<KeyOrder> expected_order(bool descending) {
    std::vector<KeyOrder> keys;
    Query query = db().query(kSelectKeyOrder);
    query->bind(1, account_.id);
    while (query->step())
      keys.push_back({std::string(query->text(0)), query->integer(1)});
    std::sort(keys.begin(), keys.end(), [](const KeyOrder& a, const KeyOrder& b) {
      return a.created_at != b.created_at ? a.created_at < b.created_at : a.id < b.id;
    });
    if (descending) std::reverse(keys.begin(), keys.end());
    return keys;
  }

  // Follows pages of `limit` to the end. `between(page_number, position)` runs after each page
  // that has a successor.
  std::vector<ApiKey> walk(bool descending, std::size_t limit,
                           const std::function<void(int, const PagePosition&)>& between = {}) {
    std::vector<ApiKey> seen;
    std::optional<PagePosition> after;
    for (int page = 0; page < 10 * kKeys; ++page) {
      auto keys = list_api_keys(db(), account_.id, descending, after, limit);
      EXPECT_LE(keys.size(), limit);
      for (const ApiKey& key : keys) {
        EXPECT_EQ(key.account_id, account_.id) << key.id;
        seen.push_back(key);
      }
      if (keys.size() < limit) return seen;
      after = PagePosition{keys.back().created_at, keys.back().id};
      if (between) between(page, *after);
    }
    ADD_FAILURE() << "the walk did not end";
    return seen;
  }

  void insert_raw_key(const std::string& id, std::int64_t created_at) {
    write<bool>([&](Connection& c) {
      c.query(kInsertRawApiKey)
          ->bind(1, id)
          .bind(2, account_.id)
          .bind(3, "inserted")
          .bind(4, sha256_hex(id))
          .bind(5, "sak_xxxxxx")
          .bind(6, created_at)
          .run();
      return true;
    });
  }

  static std::vector<std::string> ids_of(const std::vector<ApiKey>& keys) {
    std::vector<std::string> ids;
    for (const ApiKey& key : keys)
      ids.push_back(key.id);
    return ids;
  }
  static std::vector<std::string> ids_of(const std::vector<KeyOrder>& keys) {
    std::vector<std::string> ids;
    for (const KeyOrder& key : keys)
      ids.push_back(key.id);
    return ids;
  }

  Account account_;
  Account other_;
};

TEST_F(ApiKeyPagingTest, TheSetupHasLargeTies) {
  auto order = expected_order(false);
  ASSERT_EQ(order.size(), static_cast<std::size_t>(kKeys));
  std::set<std::int64_t> times;
  for (const KeyOrder& key : order)
    times.insert(key.created_at);
  EXPECT_EQ(times.size(), 3u);
}

TEST_F(ApiKeyPagingTest, AscendingPagesVisitEveryKeyOnceInOrder) {
  auto expected = ids_of(expected_order(false));
  for (std::size_t limit : {1u, 7u, 37u, 100u, 667u, 2000u, 2001u}) {
    SCOPED_TRACE("limit " + std::to_string(limit));
    auto seen = ids_of(walk(false, limit));
    EXPECT_EQ(seen.size(), expected.size());
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size()) << "duplicates";
    EXPECT_TRUE(seen == expected) << "order, gap or duplicate";
  }
}

TEST_F(ApiKeyPagingTest, DescendingPagesVisitEveryKeyOnceInOrder) {
  auto expected = ids_of(expected_order(true));
  for (std::size_t limit : {1u, 7u, 37u, 100u, 667u, 2000u, 2001u}) {
    SCOPED_TRACE("limit " + std::to_string(limit));
    auto seen = ids_of(walk(true, limit));
    EXPECT_EQ(seen.size(), expected.size());
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size()) << "duplicates";
    EXPECT_TRUE(seen == expected) << "order, gap or duplicate";
  }
}

TEST_F(ApiKeyPagingTest, FirstPageStartsAtTheEnd) {
  auto ascending = list_api_keys(db(), account_.id, false, std::nullopt, 5);
  auto descending = list_api_keys(db(), account_.id, true, std::nullopt, 5);
  auto order = expected_order(false);
  ASSERT_EQ(ascending.size(), 5u);
  ASSERT_EQ(descending.size(), 5u);
  EXPECT_EQ(ascending.front().id, order.front().id);
  EXPECT_EQ(descending.front().id, order.back().id);
  EXPECT_EQ(ascending.front().created_at, kBaseTime);
  EXPECT_EQ(descending.front().created_at, kBaseTime + 2);
}

// Rows inserted while a client pages: those after its position appear once, those before do not,
// and no existing row is skipped or repeated. Inserted ids "key-~…" sort after every hex id and
// "key-.…" before every one.
TEST_F(ApiKeyPagingTest, AscendingWithRowsInsertedBetweenPages) {
  auto original = ids_of(expected_order(false));
  std::vector<std::string> ahead;
  std::vector<std::string> behind;
  int counter = 0;
  auto seen = ids_of(walk(false, 37, [&](int page, const PagePosition& at) {
    if (page % 5 != 2) return;
    std::int64_t time = std::get<std::int64_t>(at.sort_value);
    std::string n = std::to_string(counter++);
    // Same created_at as the position: the id decides.
    std::string tie_ahead = "key-~" + n;
    std::string tie_behind = "key-." + n;
    ASSERT_GT(tie_ahead, at.id);
    ASSERT_LT(tie_behind, at.id);
    insert_raw_key(tie_ahead, time);
    insert_raw_key(tie_behind, time);
    insert_raw_key("key-late" + n, kBaseTime + 100);   // after everything
    insert_raw_key("key-early" + n, kBaseTime - 100);  // before everything
    ahead.push_back(tie_ahead);
    ahead.push_back("key-late" + n);
    behind.push_back(tie_behind);
    behind.push_back("key-early" + n);
  }));
  ASSERT_GT(counter, 5);

  expect_consistent_walk(seen, original, ahead, behind, ids_of(expected_order(false)));
}

TEST_F(ApiKeyPagingTest, DescendingWithRowsInsertedBetweenPages) {
  auto original = ids_of(expected_order(true));
  std::vector<std::string> ahead;
  std::vector<std::string> behind;
  int counter = 0;
  auto seen = ids_of(walk(true, 37, [&](int page, const PagePosition& at) {
    if (page % 5 != 2) return;
    std::int64_t time = std::get<std::int64_t>(at.sort_value);
    std::string n = std::to_string(counter++);
    std::string tie_ahead = "key-." + n;  // descending: smaller ids come later
    std::string tie_behind = "key-~" + n;
    ASSERT_LT(tie_ahead, at.id);
    ASSERT_GT(tie_behind, at.id);
    insert_raw_key(tie_ahead, time);
    insert_raw_key(tie_behind, time);
    insert_raw_key("key-early" + n, kBaseTime - 100);  // last of all
    insert_raw_key("key-late" + n, kBaseTime + 100);   // first of all: already passed
    ahead.push_back(tie_ahead);
    ahead.push_back("key-early" + n);
    behind.push_back(tie_behind);
    behind.push_back("key-late" + n);
  }));
  ASSERT_GT(counter, 5);

  expect_consistent_walk(seen, original, ahead, behind, ids_of(expected_order(true)));
}

TEST_F(ApiKeyPagingTest, ListsOnlyTheAccountsKeysWithTheirState) {
  auto keys = list_api_keys(db(), other_.id, false, std::nullopt, 100);
  EXPECT_EQ(keys.size(), 50u);
  for (const ApiKey& key : keys)
    EXPECT_EQ(key.account_id, other_.id);

  std::string revoked_id = keys[3].id;
  std::string used_id = keys[4].id;
  write<bool>([&](Connection& c) {
    revoke_api_key(c, other_.id, revoked_id);
    touch_api_key(c, used_id, kBaseTime + 5);
    return true;
  });
  keys = list_api_keys(db(), other_.id, false, std::nullopt, 100);
  ASSERT_EQ(keys.size(), 50u) << "revoked keys stay listed";
  for (const ApiKey& key : keys) {
    EXPECT_EQ(key.revoked_at.has_value(), key.id == revoked_id) << key.id;
    EXPECT_EQ(key.last_used_at.has_value(), key.id == used_id) << key.id;
    EXPECT_EQ(key.prefix.substr(0, 4), "sak_");
  }
  EXPECT_TRUE(list_api_keys(db(), "acct-00000000", false, std::nullopt, 100).empty());
}

TEST_F(ApiKeyPagingTest, APositionFromAnotherAccountOnlyPositions) {
  // A position is only a place in the order: it never reveals the other account's rows.
  auto others = list_api_keys(db(), other_.id, false, std::nullopt, 1);
  ASSERT_EQ(others.size(), 1u);
  auto keys = list_api_keys(db(), account_.id, false,
                            PagePosition{others[0].created_at, others[0].id}, 100);
  for (const ApiKey& key : keys)
    EXPECT_EQ(key.account_id, account_.id);
}

}  // namespace
}  // namespace seoagents::storage
