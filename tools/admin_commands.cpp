// keys / accounts / migrate: small blocking wrappers over the store.
#include "tools/admin_commands.hpp"

#include <charconv>
#include <iostream>
#include <map>
#include <optional>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/expected.hpp"
#include "storage/accounts.hpp"
#include "storage/migrations.hpp"
#include "storage/store.hpp"
#include "tools/app.hpp"
#include "tools/command_arguments.hpp"

namespace seoagents {
namespace {

using Arguments = CommandArguments;

// The data directory: --data, else SEOAGENTS_DATA, else ./data.
std::string data_directory(const Arguments& args) {
  if (auto data = option(args, "data")) return *data;
  if (auto env = process_environment()("SEOAGENTS_DATA")) return *env;
  return "./data";
}

// Runs one write on the calling thread (the tool never starts the writer thread).
template <class T>
T write_now(storage::Store& store, std::function<T(storage::Connection&)> work) {
  auto result = store.write_before_start<T>(work);
  if (!result) throw std::runtime_error(result.error().detail);
  return std::move(*result);
}

int usage_error(const std::string& message) {
  std::cerr << "seoagents: " << message << "\n\n" << admin_usage();
  return 2;
}

// A whole number from 1 to 1000000, or nullopt.
std::optional<std::int64_t> limit_value(const std::string& text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > 1'000'000) {
    return std::nullopt;
  }
  return value;
}

// The limits set with --requests-per-minute / --concurrent-jobs (nullopt when neither is given;
// the one not given keeps its default), or why they are wrong.
Expected<std::optional<storage::PlanLimits>, std::string> enterprise_limits(const Arguments& args,
                                                                            storage::Plan plan) {
  auto rpm = option(args, "requests-per-minute");
  auto jobs = option(args, "concurrent-jobs");
  if (!rpm && !jobs) return std::optional<storage::PlanLimits>{};
  if (plan != storage::Plan::enterprise) {
    return unexpected(std::string(
        "--requests-per-minute and --concurrent-jobs apply to the enterprise plan only"));
  }
  storage::PlanLimits limits = storage::default_limits(storage::Plan::enterprise);
  auto rpm_value =
      rpm ? limit_value(*rpm) : std::optional<std::int64_t>(limits.requests_per_minute);
  auto jobs_value = jobs ? limit_value(*jobs) : std::optional<std::int64_t>(limits.concurrent_jobs);
  if (!rpm_value || !jobs_value) {
    return unexpected(std::string(
        "--requests-per-minute and --concurrent-jobs take whole numbers from 1 to 1000000"));
  }
  limits.requests_per_minute = *rpm_value;
  limits.concurrent_jobs = *jobs_value;
  return std::optional<storage::PlanLimits>(limits);
}

void print_account(const storage::Account& account) {
  std::cout << account.id << "  " << account.name << "  " << storage::to_string(account.plan)
            << "  " << account.limits.requests_per_minute << " req/min  "
            << account.limits.concurrent_jobs << " jobs  " << format_rfc3339_ms(account.created_at)
            << "\n";
}

// Every key of the account, oldest first, a page at a time.
void print_api_keys(storage::Connection& db, const std::string& account_id) {
  constexpr std::size_t kPage = 500;
  std::optional<storage::PagePosition> after;
  while (true) {
    auto keys = storage::list_api_keys(db, account_id, false, after, kPage);
    for (const auto& key : keys) {
      std::cout << key.id << "  " << key.prefix << "…  " << key.name << "  "
                << format_rfc3339_ms(key.created_at)
                << (key.revoked_at ? "  revoked " + format_rfc3339_ms(*key.revoked_at) : "")
                << "\n";
    }
    if (keys.size() < kPage) return;
    after = storage::PagePosition{keys.back().created_at, keys.back().id};
  }
}

int accounts_command(storage::Store& store, const Arguments& args) {
  std::string action = args.words.size() > 0 ? args.words[0] : "";
  storage::Connection& db = store.reader();
  if (action == "list") {
    for (const auto& account : storage::list_accounts(db))
      print_account(account);
    return 0;
  }
  if (args.words.size() < 2) return usage_error("accounts " + action + " needs an account name");
  std::string name = args.words[1];
  if (action == "create") {
    auto plan = storage::parse_plan(option(args, "plan").value_or("starter"));
    if (!plan) return usage_error("--plan must be starter, professional, agency or enterprise");
    if (storage::find_account_by_name(db, name)) {
      std::cerr << "seoagents: account '" << name << "' already exists\n";
      return 1;
    }
    print_account(write_now<storage::Account>(
        store, [&](storage::Connection& w) { return storage::create_account(w, name, *plan); }));
    return 0;
  }
  if (action == "set-plan") {
    auto plan = storage::parse_plan(args.words.size() > 2 ? args.words[2] : "");
    if (!plan)
      return usage_error(
          "accounts set-plan NAME PLAN: PLAN must be starter, "
          "professional, agency or enterprise");
    auto limits = enterprise_limits(args, *plan);
    if (!limits) return usage_error(limits.error());
    auto account = storage::find_account_by_name(db, name);
    if (!account) {
      std::cerr << "seoagents: no account named '" << name << "'\n";
      return 1;
    }
    write_now<bool>(store, [&](storage::Connection& w) {
      return storage::set_account_plan(w, account->id, *plan, *limits);
    });
    print_account(*storage::find_account(db, account->id));
    return 0;
  }
  return usage_error("unknown accounts action '" + action + "'");
}

int keys_command(storage::Store& store, const Arguments& args) {
  std::string action = args.words.size() > 0 ? args.words[0] : "";
  storage::Connection& db = store.reader();
  if (action == "revoke") {
    if (args.words.size() < 2) return usage_error("keys revoke needs a key id");
    auto key = storage::find_api_key(db, args.words[1]);
    if (!key) {
      std::cerr << "seoagents: no API key " << args.words[1] << "\n";
      return 1;
    }
    bool revoked = write_now<bool>(store, [&](storage::Connection& w) {
      return storage::revoke_api_key(w, key->account_id, key->id);
    });
    std::cout << (revoked ? "revoked " : "already revoked ") << key->id << "\n";
    return 0;
  }
  auto account_name = option(args, "account");
  if (!account_name) return usage_error("keys " + action + " needs --account NAME");
  auto account = storage::find_account_by_name(db, *account_name);
  if (action == "list") {
    if (!account) {
      std::cerr << "seoagents: no account named '" << *account_name << "'\n";
      return 1;
    }
    print_api_keys(db, account->id);
    return 0;
  }
  if (action != "create") return usage_error("unknown keys action '" + action + "'");
  auto plan = storage::parse_plan(option(args, "plan").value_or("starter"));
  if (!plan) return usage_error("--plan must be starter, professional, agency or enterprise");
  if (account && option(args, "plan") && account->plan != *plan) {
    std::cerr << "seoagents: account '" << *account_name << "' exists with plan "
              << storage::to_string(account->plan)
              << "; --plan is ignored (change it with: seoagents accounts set-plan)\n";
  }
  std::string key_name = option(args, "name").value_or("cli");
  auto created = write_now<storage::CreatedApiKey>(store, [&](storage::Connection& w) {
    auto owner = storage::find_account_by_name(w, *account_name);
    if (!owner) owner = storage::create_account(w, *account_name, *plan);
    return storage::create_api_key(w, owner->id, key_name);
  });
  std::cerr << "created " << created.key.id << " for account '" << *account_name
            << "'; the key is shown only now:\n";
  std::cout << created.raw_key << "\n";
  return 0;
}

}  // namespace

const char* admin_usage() {
  return "  seoagents keys create --account NAME [--plan PLAN] [--name NAME] [--data DIR]\n"
         "                                creates the account if needed; prints the key last\n"
         "  seoagents keys list --account NAME [--data DIR]\n"
         "  seoagents keys revoke KEY_ID [--data DIR]\n"
         "  seoagents accounts create NAME [--plan PLAN] [--data DIR]\n"
         "  seoagents accounts list [--data DIR]\n"
         "  seoagents accounts set-plan NAME PLAN [--requests-per-minute N] [--concurrent-jobs N]\n"
         "  seoagents migrate [--data DIR]   bring the database schema up to date\n"
         "  PLAN: starter | professional | agency | enterprise\n";
}

int run_admin_command(const std::string& command, const std::vector<std::string>& raw_args) {
  Arguments args = parse_command_arguments(raw_args);
  if (!args.error.empty()) return usage_error(args.error);
  Logger logger(LogLevel::warn);
  try {
    std::string data = data_directory(args);
    prepare_data_directory(data);
    storage::Store store({database_path(data), storage::Durability::full}, logger);
    if (command == "migrate") {
      std::cout << "schema version " << store.schema_version() << "\n";
      return 0;
    }
    return command == "keys" ? keys_command(store, args) : accounts_command(store, args);
  } catch (const std::exception& e) {
    std::cerr << "seoagents: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace seoagents
