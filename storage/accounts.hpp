// Accounts (tenants) with their plan, and their API keys. Keys are stored only as SHA-256 plus
// a display prefix; the raw key exists once, in the answer to its creation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/keyset.hpp"
#include "storage/sqlite.hpp"

namespace seoagents::storage {

enum class Plan { starter, professional, agency, enterprise };

std::optional<Plan> parse_plan(std::string_view text);
std::string_view to_string(Plan plan);

// What a plan allows; enterprise accounts set their own numbers.
struct PlanLimits {
  std::int64_t requests_per_minute;
  std::int64_t concurrent_jobs;
};

// The reference's table: starter 60/2, professional 120/5, agency 300/15; enterprise defaults to
// agency's until the account sets its own.
PlanLimits default_limits(Plan plan);

struct Account {
  std::string id;
  std::string name;
  Plan plan = Plan::starter;
  PlanLimits limits{};
  // Milliseconds since the Unix epoch.
  std::int64_t created_at = 0;
};

struct ApiKey {
  std::string id;
  std::string account_id;
  std::string name;
  // "sak_" + the first 6 characters of the key, for people to recognise it.
  std::string prefix;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> last_used_at;
  std::optional<std::int64_t> revoked_at;
};

// A key as just created: the record and the raw key, which is never stored.
struct CreatedApiKey {
  ApiKey key;
  std::string raw_key;
};

// "sak_" + 32 CSPRNG bytes in base62.
std::string generate_raw_api_key();

// Milliseconds since the Unix epoch, now.
std::int64_t now_ms();

// --- writes (run on the writer connection) ---

Account create_account(Connection& db, std::string_view name, Plan plan);
// Changes the plan (and, for enterprise, the limits); false when there is no such account.
bool set_account_plan(Connection& db, std::string_view account_id, Plan plan,
                      std::optional<PlanLimits> enterprise_limits);
// The account of a JWT subject, created (named "jwt:<sub>", with `plan`) on its first token;
// an existing one is returned as it is.
Account create_subject_account(Connection& db, std::string_view sub, Plan plan);
CreatedApiKey create_api_key(Connection& db, std::string_view account_id, std::string_view name);
// Sets revoked_at on a key of the account that is not revoked yet; false otherwise.
bool revoke_api_key(Connection& db, std::string_view account_id, std::string_view key_id);
// Records use, at most once a minute per key.
void touch_api_key(Connection& db, std::string_view key_id, std::int64_t now);

// --- reads ---

// Up to `limit` keys of the account ordered by created_at (then id), after `after` if given.
std::vector<ApiKey> list_api_keys(Connection& db, std::string_view account_id, bool descending,
                                  const std::optional<PagePosition>& after, std::size_t limit);

std::optional<Account> find_account(Connection& db, std::string_view account_id);
// The account a JWT subject maps to, if its first token was seen.
std::optional<Account> find_account_by_subject(Connection& db, std::string_view sub);
std::optional<Account> find_account_by_name(Connection& db, std::string_view name);
std::vector<Account> list_accounts(Connection& db);
std::int64_t count_accounts(Connection& db);

std::optional<ApiKey> find_api_key(Connection& db, std::string_view key_id);
// The key whose SHA-256 is `key_hash`, revoked or not.
std::optional<ApiKey> find_api_key_by_hash(Connection& db, std::string_view key_hash);

}  // namespace seoagents::storage
