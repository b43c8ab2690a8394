// Account and API key persistence.
#include "storage/accounts.hpp"

#include <array>
#include <chrono>

#include "core/crypto.hpp"
#include "core/random_id.hpp"
#include "storage/ids.hpp"

namespace seoagents::storage {
namespace {

constexpr std::string_view kAccountIdTaken = "SELECT 1 FROM accounts WHERE id = ?";
constexpr std::string_view kApiKeyIdTaken = "SELECT 1 FROM api_keys WHERE id = ?";
constexpr std::string_view kInsertAccount =
    "INSERT INTO accounts (id, name, plan, requests_per_minute, concurrent_jobs, created_at) "
    "VALUES (?, ?, ?, NULL, NULL, ?)";
constexpr std::string_view kUpdateAccountPlan =
    "UPDATE accounts SET plan = ?, requests_per_minute = ?, concurrent_jobs = ? WHERE id = ?";
constexpr std::string_view kSelectAccountById =
    "SELECT id, name, plan, requests_per_minute, concurrent_jobs, created_at FROM accounts "
    "WHERE id = ?";
constexpr std::string_view kSelectAccountByName =
    "SELECT id, name, plan, requests_per_minute, concurrent_jobs, created_at FROM accounts "
    "WHERE name = ?";
constexpr std::string_view kSelectAccountBySubject =
    "SELECT a.id, a.name, a.plan, a.requests_per_minute, a.concurrent_jobs, a.created_at "
    "FROM jwt_subjects s JOIN accounts a ON a.id = s.account_id WHERE s.sub = ?";
constexpr std::string_view kInsertSubject =
    "INSERT INTO jwt_subjects (sub, account_id, created_at) VALUES (?, ?, ?)";
constexpr std::string_view kSelectAccounts =
    "SELECT id, name, plan, requests_per_minute, concurrent_jobs, created_at FROM accounts "
    "ORDER BY created_at, id";
constexpr std::string_view kCountAccounts = "SELECT count(*) FROM accounts";

constexpr std::string_view kInsertApiKey =
    "INSERT INTO api_keys (id, account_id, name, key_hash, prefix, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?)";
constexpr std::string_view kRevokeApiKey =
    "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND account_id = ? AND revoked_at IS NULL";
constexpr std::string_view kTouchApiKey =
    "UPDATE api_keys SET last_used_at = ? "
    "WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ? - 60000)";
constexpr std::string_view kSelectApiKeyById =
    "SELECT id, account_id, name, prefix, created_at, last_used_at, revoked_at FROM api_keys "
    "WHERE id = ?";
constexpr std::string_view kSelectApiKeyByHash =
    "SELECT id, account_id, name, prefix, created_at, last_used_at, revoked_at FROM api_keys "
    "WHERE key_hash = ?";

// The key list's filter (parameter 1: the account); keyset.hpp adds position, order and limit.
constexpr std::string_view kSelectApiKeyPage =
    "SELECT id, account_id, name, prefix, created_at, last_used_at, revoked_at FROM api_keys "
    "WHERE account_id = ?1";

const KeysetStatements& api_key_pages() {
  static const KeysetStatements pages(kSelectApiKeyPage, 1, {"created_at"});
  return pages;
}

Account read_account(Statement& row) {
  Account account;
  account.id = row.text(0);
  account.name = row.text(1);
  account.plan = parse_plan(row.text(2)).value_or(Plan::starter);
  account.limits = default_limits(account.plan);
  if (auto rpm = row.optional_integer(3)) account.limits.requests_per_minute = *rpm;
  if (auto jobs = row.optional_integer(4)) account.limits.concurrent_jobs = *jobs;
  account.created_at = row.integer(5);
  return account;
}

ApiKey read_api_key(Statement& row) {
  ApiKey key;
  key.id = row.text(0);
  key.account_id = row.text(1);
  key.name = row.text(2);
  key.prefix = row.text(3);
  key.created_at = row.integer(4);
  key.last_used_at = row.optional_integer(5);
  key.revoked_at = row.optional_integer(6);
  return key;
}

std::optional<Account> one_account(Connection& db, std::string_view sql, std::string_view arg) {
  Query query = db.query(sql);
  query->bind(1, arg);
  if (!query->step()) return std::nullopt;
  return read_account(*query);
}

std::optional<ApiKey> one_api_key(Connection& db, std::string_view sql, std::string_view arg) {
  Query query = db.query(sql);
  query->bind(1, arg);
  if (!query->step()) return std::nullopt;
  return read_api_key(*query);
}

}  // namespace

std::optional<Plan> parse_plan(std::string_view text) {
  if (text == "starter") return Plan::starter;
  if (text == "professional") return Plan::professional;
  if (text == "agency") return Plan::agency;
  if (text == "enterprise") return Plan::enterprise;
  return std::nullopt;
}

std::string_view to_string(Plan plan) {
  switch (plan) {
    case Plan::starter:
      return "starter";
    case Plan::professional:
      return "professional";
    case Plan::agency:
      return "agency";
    case Plan::enterprise:
      return "enterprise";
  }
  return "starter";
}

PlanLimits default_limits(Plan plan) {
  switch (plan) {
    case Plan::starter:
      return {60, 2};
    case Plan::professional:
      return {120, 5};
    case Plan::agency:
      return {300, 15};
    case Plan::enterprise:
      return {300, 15};
  }
  return {60, 2};
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string generate_raw_api_key() {
  std::array<unsigned char, 32> bytes{};
  secure_random_bytes(bytes);
  return "sak_" + base62_encode(bytes);
}

Account create_account(Connection& db, std::string_view name, Plan plan) {
  Account account{fresh_id(db, "acct-", kAccountIdTaken), std::string(name), plan,
                  default_limits(plan), now_ms()};
  db.query(kInsertAccount)
      ->bind(1, account.id)
      .bind(2, account.name)
      .bind(3, to_string(plan))
      .bind(4, account.created_at)
      .run();
  return account;
}

Account create_subject_account(Connection& db, std::string_view sub, Plan plan) {
  if (auto existing = find_account_by_subject(db, sub)) return *existing;
  std::string name = "jwt:";
  name.append(sub);
  Account account = create_account(db, name, plan);
  db.query(kInsertSubject)->bind(1, sub).bind(2, account.id).bind(3, account.created_at).run();
  return account;
}

bool set_account_plan(Connection& db, std::string_view account_id, Plan plan,
                      std::optional<PlanLimits> enterprise_limits) {
  Query query = db.query(kUpdateAccountPlan);
  query->bind(1, to_string(plan));
  if (plan == Plan::enterprise && enterprise_limits) {
    query->bind(2, enterprise_limits->requests_per_minute)
        .bind(3, enterprise_limits->concurrent_jobs);
  } else {
    query->bind_null(2).bind_null(3);
  }
  query->bind(4, account_id).run();
  return db.changes() == 1;
}

CreatedApiKey create_api_key(Connection& db, std::string_view account_id, std::string_view name) {
  CreatedApiKey created;
  created.raw_key = generate_raw_api_key();
  ApiKey& key = created.key;
  key.id = fresh_id(db, "key-", kApiKeyIdTaken);
  key.account_id = account_id;
  key.name = name;
  key.prefix = created.raw_key.substr(0, 10);
  key.created_at = now_ms();
  db.query(kInsertApiKey)
      ->bind(1, key.id)
      .bind(2, key.account_id)
      .bind(3, key.name)
      .bind(4, sha256_hex(created.raw_key))
      .bind(5, key.prefix)
      .bind(6, key.created_at)
      .run();
  return created;
}

bool revoke_api_key(Connection& db, std::string_view account_id, std::string_view key_id) {
  db.query(kRevokeApiKey)->bind(1, now_ms()).bind(2, key_id).bind(3, account_id).run();
  return db.changes() == 1;
}

void touch_api_key(Connection& db, std::string_view key_id, std::int64_t now) {
  db.query(kTouchApiKey)->bind(1, now).bind(2, key_id).bind(3, now).run();
}

std::optional<Account> find_account(Connection& db, std::string_view account_id) {
  return one_account(db, kSelectAccountById, account_id);
}

std::optional<Account> find_account_by_subject(Connection& db, std::string_view sub) {
  return one_account(db, kSelectAccountBySubject, sub);
}

std::optional<Account> find_account_by_name(Connection& db, std::string_view name) {
  return one_account(db, kSelectAccountByName, name);
}

std::vector<Account> list_accounts(Connection& db) {
  std::vector<Account> accounts;
  Query query = db.query(kSelectAccounts);
  while (query->step())
    accounts.push_back(read_account(*query));
  return accounts;
}

std::int64_t count_accounts(Connection& db) {
  Query query = db.query(kCountAccounts);
  query->step();
  return query->integer(0);
}

std::optional<ApiKey> find_api_key(Connection& db, std::string_view key_id) {
  return one_api_key(db, kSelectApiKeyById, key_id);
}

std::optional<ApiKey> find_api_key_by_hash(Connection& db, std::string_view key_hash) {
  return one_api_key(db, kSelectApiKeyByHash, key_hash);
}

std::vector<ApiKey> list_api_keys(Connection& db, std::string_view account_id, bool descending,
                                  const std::optional<PagePosition>& after, std::size_t limit) {
  return read_page(db, api_key_pages(), {account_id}, {"created_at", descending, after, limit},
                   read_api_key);
}

}  // namespace seoagents::storage
