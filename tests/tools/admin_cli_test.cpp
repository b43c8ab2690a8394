// Tests of the admin commands (keys, accounts, migrate) run as the real seoagents binary.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/jwks.hpp"
#include "core/jwt.hpp"
#include "storage/accounts.hpp"
#include "storage/migrations.hpp"
#include "storage/store.hpp"
#include "tests/support/command.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/test_server.hpp"
#include "tools/app.hpp"

namespace seoagents::testing {
namespace {

namespace fs = std::filesystem;

const std::regex kRawKey("^sak_[0-9A-Za-z]{43}$");

// The safety net for a command that never exits; not a timing assertion.
constexpr std::chrono::seconds kCommandWait{60};

// Runs the binary with `args`, stdout and stderr captured separately.
CommandResult run_cli(const std::vector<std::string>& args) {
  return run_command(SEOAGENTS_BINARY, args, kCommandWait);
}

class AdminCli : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = make_temp_directory();
    data_ = root_ + "/data";
  }
  void TearDown() override { fs::remove_all(root_); }

  CommandResult cli(std::vector<std::string> args) {
    args.push_back("--data");
    args.push_back(data_);
    return run_cli(args);
  }

  // Creates a key with the CLI; returns the raw key.
  std::string create_key(const std::string& account, const std::string& plan = "starter") {
    CommandResult result = cli({"keys", "create", "--account", account, "--plan", plan});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    auto lines = lines_of(result.out);
    if (lines.empty()) return {};
    return lines.back();
  }

  // Reads the database directly after the commands have exited.
  template <class Read>
  auto with_store(Read&& read) {
    Logger logger(LogLevel::error, [](std::string_view) {});
    storage::Store store({database_path(data_)}, logger);
    return read(store.reader());
  }

  std::string root_;
  std::string data_;
};

TEST_F(AdminCli, KeysCreatePrintsTheRawKeyAsTheLastLineOfStdout) {
  CommandResult result =
      cli({"keys", "create", "--account", "acme", "--plan", "professional", "--name", "deploy"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto lines = lines_of(result.out);
  ASSERT_FALSE(lines.empty()) << "stdout is empty; stderr: " << result.err;
  std::string raw = lines.back();
  EXPECT_TRUE(std::regex_match(raw, kRawKey)) << result.out;
  EXPECT_TRUE(result.out.ends_with(raw + "\n"));
  // The key is shown once, on stdout only; stderr explains.
  EXPECT_EQ(result.err.find(raw), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("acme"), std::string::npos) << result.err;

  bool stored = with_store([&](storage::Connection& db) {
    auto key = storage::find_api_key_by_hash(db, sha256_hex(raw));
    auto account = storage::find_account_by_name(db, "acme");
    EXPECT_TRUE(key.has_value());
    EXPECT_TRUE(account.has_value());
    if (!key || !account) return false;
    EXPECT_EQ(key->account_id, account->id);
    EXPECT_EQ(key->name, "deploy");
    EXPECT_EQ(key->prefix, raw.substr(0, 10));
    EXPECT_EQ(account->plan, storage::Plan::professional);
    return true;
  });
  EXPECT_TRUE(stored);
}

TEST_F(AdminCli, KeysCreateForAnExistingAccountAddsAKey) {
  std::string one = create_key("acme", "professional");
  std::string two = create_key("acme", "professional");
  EXPECT_TRUE(std::regex_match(two, kRawKey)) << two;
  EXPECT_NE(one, two);
  CommandResult accounts = cli({"accounts", "list"});
  EXPECT_EQ(lines_of(accounts.out).size(), 1u) << accounts.out;
  CommandResult keys = cli({"keys", "list", "--account", "acme"});
  ASSERT_EQ(keys.exit_code, 0) << keys.err;
  auto lines = lines_of(keys.out);
  EXPECT_EQ(lines.size(), 2u) << keys.out;
  // Listed by prefix, never in full.
  EXPECT_EQ(keys.out.find(one.substr(10)), std::string::npos) << keys.out;
  EXPECT_EQ(keys.out.find(two.substr(10)), std::string::npos) << keys.out;
  EXPECT_NE(keys.out.find(one.substr(0, 10)), std::string::npos) << keys.out;
}

TEST_F(AdminCli, AccountsListShowsPlanAndLimits) {
  create_key("acme", "professional");
  CommandResult result = cli({"accounts", "list"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(std::regex_search(
      result.out, std::regex(R"(acct-[0-9a-f]{8}\s+acme\s+professional\s+120 req/min\s+5 jobs)")))
      << result.out;
}

TEST_F(AdminCli, AccountsCreateAndDuplicate) {
  CommandResult created = cli({"accounts", "create", "beta", "--plan", "agency"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_TRUE(
      std::regex_search(created.out, std::regex(R"(beta\s+agency\s+300 req/min\s+15 jobs)")))
      << created.out;
  CommandResult again = cli({"accounts", "create", "beta", "--plan", "starter"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
  CommandResult listed = cli({"accounts", "list"});
  EXPECT_TRUE(std::regex_search(listed.out, std::regex(R"(beta\s+agency)"))) << listed.out;
}

TEST_F(AdminCli, SetPlanEnterpriseWithCustomLimits) {
  create_key("acme", "professional");
  CommandResult result = cli({"accounts", "set-plan", "acme", "enterprise", "--requests-per-minute",
                              "1000", "--concurrent-jobs", "50"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(
      std::regex_search(result.out, std::regex(R"(acme\s+enterprise\s+1000 req/min\s+50 jobs)")))
      << result.out;
  CommandResult listed = cli({"accounts", "list"});
  EXPECT_TRUE(
      std::regex_search(listed.out, std::regex(R"(acme\s+enterprise\s+1000 req/min\s+50 jobs)")))
      << listed.out;
  auto limits = with_store(
      [](storage::Connection& db) { return storage::find_account_by_name(db, "acme")->limits; });
  EXPECT_EQ(limits.requests_per_minute, 1000);
  EXPECT_EQ(limits.concurrent_jobs, 50);

  // Back to a fixed plan: its own limits.
  CommandResult back = cli({"accounts", "set-plan", "acme", "starter"});
  ASSERT_EQ(back.exit_code, 0) << back.err;
  EXPECT_TRUE(std::regex_search(back.out, std::regex(R"(acme\s+starter\s+60 req/min\s+2 jobs)")))
      << back.out;
}

TEST_F(AdminCli, InvalidEnterpriseNumbersAreRefusedAndChangeNothing) {
  create_key("acme", "professional");
  for (std::string_view bad : {"0", "-5", "abc", "1000001", "12x"}) {
    SCOPED_TRACE(std::string(bad));
    CommandResult result = cli(
        {"accounts", "set-plan", "acme", "enterprise", "--requests-per-minute", std::string(bad)});
    EXPECT_EQ(result.exit_code, 2);
    EXPECT_NE(result.err.find("--requests-per-minute"), std::string::npos) << result.err;
  }
  auto account = with_store(
      [](storage::Connection& db) { return *storage::find_account_by_name(db, "acme"); });
  EXPECT_EQ(account.plan, storage::Plan::professional);
}

TEST_F(AdminCli, LimitFlagsOnANonEnterprisePlanAreAUsageError) {
  create_key("acme", "professional");
  CommandResult result = cli({"accounts", "set-plan", "acme", "agency", "--concurrent-jobs", "40"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("enterprise plan only"), std::string::npos) << result.err;
  auto account = with_store(
      [](storage::Connection& db) { return *storage::find_account_by_name(db, "acme"); });
  EXPECT_EQ(account.plan, storage::Plan::professional);
}

TEST_F(AdminCli, KeysCreateSaysWhenItIgnoresThePlanOfAnExistingAccount) {
  create_key("acme", "professional");
  CommandResult again = cli({"keys", "create", "--account", "acme", "--plan", "agency"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.err.find("--plan is ignored"), std::string::npos) << again.err;
  auto account = with_store(
      [](storage::Connection& db) { return *storage::find_account_by_name(db, "acme"); });
  EXPECT_EQ(account.plan, storage::Plan::professional);
}

TEST_F(AdminCli, ABadPlanIsAUsageError) {
  CommandResult create = cli({"keys", "create", "--account", "acme", "--plan", "gold"});
  EXPECT_EQ(create.exit_code, 2);
  EXPECT_NE(create.err.find("--plan"), std::string::npos) << create.err;
  EXPECT_TRUE(create.out.empty()) << create.out;

  CommandResult account = cli({"accounts", "create", "beta", "--plan", "Agency"});
  EXPECT_EQ(account.exit_code, 2);

  create_key("acme", "starter");
  CommandResult set = cli({"accounts", "set-plan", "acme", "gold"});
  EXPECT_EQ(set.exit_code, 2);
  EXPECT_NE(set.err.find("PLAN"), std::string::npos) << set.err;

  CommandResult listed = cli({"accounts", "list"});
  EXPECT_TRUE(std::regex_search(listed.out, std::regex(R"(acme\s+starter)"))) << listed.out;
  EXPECT_EQ(listed.out.find("beta"), std::string::npos) << listed.out;
  EXPECT_EQ(lines_of(listed.out).size(), 1u) << listed.out;
}

TEST_F(AdminCli, OtherUsageErrorsExitWith2) {
  EXPECT_EQ(cli({"keys", "create"}).exit_code, 2);  // no --account
  EXPECT_EQ(cli({"keys", "revoke"}).exit_code, 2);  // no id
  EXPECT_EQ(cli({"keys", "rotate", "--account", "a"}).exit_code, 2);
  EXPECT_EQ(cli({"accounts", "frobnicate", "acme"}).exit_code, 2);
  EXPECT_EQ(cli({"accounts", "set-plan"}).exit_code, 2);
}

TEST_F(AdminCli, AnUnknownAccountOrKeyExitsWith1) {
  create_key("acme");
  CommandResult set = cli({"accounts", "set-plan", "nobody", "agency"});
  EXPECT_EQ(set.exit_code, 1);
  EXPECT_NE(set.err.find("nobody"), std::string::npos) << set.err;
  CommandResult list = cli({"keys", "list", "--account", "nobody"});
  EXPECT_EQ(list.exit_code, 1);
  EXPECT_NE(list.err.find("nobody"), std::string::npos) << list.err;
  CommandResult revoke = cli({"keys", "revoke", "key-00000000"});
  EXPECT_EQ(revoke.exit_code, 1);
  EXPECT_NE(revoke.err.find("key-00000000"), std::string::npos) << revoke.err;
  // Nothing was created along the way.
  CommandResult listed = cli({"accounts", "list"});
  EXPECT_EQ(lines_of(listed.out).size(), 1u) << listed.out;
}

TEST_F(AdminCli, ARevokedKeyIsRefusedByAServerStartedOnTheDataDirectory) {
  std::string revoked = create_key("acme", "professional");
  std::string kept = create_key("acme", "professional");
  ASSERT_TRUE(std::regex_match(revoked, kRawKey));
  std::string revoked_id = with_store([&](storage::Connection& db) {
    auto key = storage::find_api_key_by_hash(db, sha256_hex(revoked));
    return key ? key->id : std::string();
  });
  ASSERT_FALSE(revoked_id.empty());

  CommandResult result = cli({"keys", "revoke", revoked_id});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "revoked " + revoked_id + "\n");
  CommandResult again = cli({"keys", "revoke", revoked_id});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "already revoked " + revoked_id + "\n");
  CommandResult listed = cli({"keys", "list", "--account", "acme"});
  EXPECT_TRUE(std::regex_search(listed.out, std::regex(revoked_id + ".*revoked"))) << listed.out;

  ServerProcess server(data_);
  std::uint16_t port = server.port();
  ASSERT_NE(port, 0);
  HttpClient client(port);
  ClientResponse refused =
      client.request(bhttp::verb::get, "/v1/dashboard/api-keys", {}, {{"X-API-Key", revoked}});
  EXPECT_EQ(refused.result_int(), 401) << refused.body();
  EXPECT_NE(refused.body().find("INVALID_API_KEY"), std::string::npos) << refused.body();
  ClientResponse accepted =
      client.request(bhttp::verb::get, "/v1/dashboard/api-keys", {}, {{"X-API-Key", kept}});
  EXPECT_EQ(accepted.result_int(), 200) << accepted.body();
  EXPECT_NE(accepted.body().find(revoked_id), std::string::npos) << accepted.body();
}

TEST_F(AdminCli, AServerOnACliCreatedDatabaseCreatesNoFirstKey) {
  create_key("acme", "professional");
  Config config = test_config();
  fs::remove_all(config.data_dir);
  config.data_dir = data_;
  TestServer server(std::move(config));
  EXPECT_FALSE(server.app().first_api_key().has_value());
  EXPECT_EQ(storage::count_accounts(server.app().store().reader()), 1);
  EXPECT_FALSE(storage::find_account_by_name(server.app().store().reader(), "default"));
}

TEST_F(AdminCli, KeysCreatedByTheCliWorkOnTheServer) {
  std::string raw = create_key("acme", "agency");
  Config config = test_config();
  fs::remove_all(config.data_dir);
  config.data_dir = data_;
  TestServer server(std::move(config));
  HttpClient client(server.port());
  ClientResponse response =
      client.request(bhttp::verb::get, "/v1/dashboard/api-keys", {}, {{"X-API-Key", raw}});
  EXPECT_EQ(response.result_int(), 200) << response.body();
}

TEST_F(AdminCli, JwtKeygenAndMintMakeTokensTheJwksVerifies) {
  std::string keys = root_ + "/jwt";
  CommandResult generated = run_cli({"jwt", "keygen", "--out", keys});
  ASSERT_EQ(generated.exit_code, 0) << generated.err;
  EXPECT_EQ(fs::status(keys + "/jwt-private.pem").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  CommandResult again = run_cli({"jwt", "keygen", "--out", keys});
  EXPECT_EQ(again.exit_code, 1) << "an existing key must not be overwritten";

  CommandResult minted =
      run_cli({"jwt", "mint", "--key", keys + "/jwt-private.pem", "--sub", "user-7", "--plan",
               "agency", "--ttl", "600", "--issuer", "https://iss.example", "--audience", "app"});
  ASSERT_EQ(minted.exit_code, 0) << minted.err;
  std::string token = lines_of(minted.out).back();
  std::ifstream jwks_file(keys + "/jwks.json");
  std::string jwks_text((std::istreambuf_iterator<char>(jwks_file)),
                        std::istreambuf_iterator<char>());
  auto jwks = Jwks::parse(jwks_text);
  ASSERT_TRUE(jwks.has_value()) << jwks.error();
  JwtOptions options;
  options.issuer = "https://iss.example";
  options.audience = "app";
  auto verified = verify_jwt(token, *jwks, options, unix_seconds(std::chrono::system_clock::now()));
  ASSERT_TRUE(verified.has_value()) << verified.error().reason;
  EXPECT_EQ(verified->sub, "user-7");
  EXPECT_EQ(verified->plan, "agency");
  EXPECT_LE(verified->exp - unix_seconds(std::chrono::system_clock::now()), 600);
}

TEST_F(AdminCli, JwtUsageErrorsExitWith2) {
  EXPECT_EQ(run_cli({"jwt"}).exit_code, 2);
  EXPECT_EQ(run_cli({"jwt", "keygen"}).exit_code, 2);
  EXPECT_EQ(run_cli({"jwt", "mint", "--key", "/nonexistent"}).exit_code, 2);
  CommandResult bad_ttl = run_cli({"jwt", "mint", "--key", "k", "--sub", "s", "--issuer", "i",
                                   "--audience", "a", "--ttl", "0"});
  EXPECT_EQ(bad_ttl.exit_code, 2);
  EXPECT_NE(bad_ttl.err.find("--ttl"), std::string::npos) << bad_ttl.err;
  CommandResult bad_plan = run_cli({"jwt", "mint", "--key", "k", "--sub", "s", "--issuer", "i",
                                    "--audience", "a", "--plan", "gold"});
  EXPECT_EQ(bad_plan.exit_code, 2);
  EXPECT_NE(bad_plan.err.find("--plan"), std::string::npos) << bad_plan.err;
  CommandResult missing_key = run_cli(
      {"jwt", "mint", "--key", "/nonexistent", "--sub", "s", "--issuer", "i", "--audience", "a"});
  EXPECT_EQ(missing_key.exit_code, 1);
}

TEST_F(AdminCli, MigratePrintsTheSchemaVersion) {
  CommandResult result = cli({"migrate"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out,
            "schema version " + std::to_string(storage::latest_schema_version()) + "\n");
  EXPECT_TRUE(fs::exists(database_path(data_)));
  CommandResult again = cli({"migrate"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, result.out);
}

TEST_F(AdminCli, ADataDirectoryCreatedByTheCliIsOwnerOnly) {
  // README: --data DIR is "created owner-only if missing", as `serve` does.
  ASSERT_FALSE(fs::exists(data_));
  create_key("acme");
  ASSERT_TRUE(fs::is_directory(data_));
  struct stat info {};
  ASSERT_EQ(::stat(data_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u) << std::oct << (info.st_mode & 0777);
}

}  // namespace
}  // namespace seoagents::testing
