// Data directory helpers for tests of the real binary (see data_dir.hpp).
#include "tests/support/data_dir.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "tests/support/command.hpp"

namespace seoagents::testing {

std::string create_enterprise_key(const std::string& data, std::string_view account) {
  auto made = run_command(
      SEOAGENTS_BINARY,
      {"keys", "create", "--account", std::string(account), "--plan", "enterprise", "--data", data},
      std::chrono::seconds(60));
  EXPECT_EQ(made.exit_code, 0) << made.err;
  auto lifted = run_command(
      SEOAGENTS_BINARY,
      {"accounts", "set-plan", std::string(account), "enterprise", "--requests-per-minute",
       "1000000", "--concurrent-jobs", "100000", "--data", data},
      std::chrono::seconds(60));
  EXPECT_EQ(lifted.exit_code, 0) << lifted.err;
  // The key is printed last, alone on its line.
  auto at = made.out.rfind("sak_");
  if (at == std::string::npos) return {};
  auto end = made.out.find_first_of(" \n", at);
  return made.out.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

std::string integrity_of(const std::string& database) {
  sqlite3* db = nullptr;
  std::string answer = "cannot open";
  if (sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement, nullptr);
    if (sqlite3_step(statement) == SQLITE_ROW)
      answer = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
    sqlite3_finalize(statement);
  }
  sqlite3_close(db);
  return answer;
}

}  // namespace seoagents::testing
