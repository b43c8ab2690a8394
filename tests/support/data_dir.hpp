// Helpers for tests that run the real binary on a data directory: an API key made with the
// admin CLI before the server starts, and SQLite's own integrity check of the database file.
#pragma once

#include <string>
#include <string_view>

namespace seoagents::testing {

// `seoagents keys create --account ACCOUNT --plan enterprise --data DATA`, then the enterprise
// limits raised to 1,000,000 requests a minute and 100,000 concurrent jobs: the test's writes
// stay under them. The raw key, or "" (with a test failure).
std::string create_enterprise_key(const std::string& data, std::string_view account);

// The first row of `PRAGMA integrity_check` on the file ("ok" when it is sound).
std::string integrity_of(const std::string& database);

}  // namespace seoagents::testing
