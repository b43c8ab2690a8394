// A fixture for repository tests: a real SQLite store in a fresh temporary directory, never
// started, so writes run on the test thread (write_before_start) and reads use its reader.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/log.hpp"
#include "storage/accounts.hpp"
#include "storage/store.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::storage::fixtures {

class StoreFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = seoagents::testing::make_temp_directory();
    store_ = std::make_unique<Store>(Store::Options{directory_ + "/seoagents.db"}, logger_);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(directory_);
  }

  // Runs `work` in a transaction of its own; its error, if any, is returned.
  template <class T>
  Expected<T, StorageError> try_write(const std::function<T(Connection&)>& work) {
    return store_->write_before_start<T>(work);
  }

  // Like try_write, but a failed write fails the test (by throwing).
  template <class T>
  T write(const std::function<T(Connection&)>& work) {
    auto result = try_write<T>(work);
    if (!result) throw std::runtime_error("write failed: " + result.error().detail);
    return std::move(*result);
  }

  // Runs statements that return no rows, e.g. to give rows chosen times or names.
  void exec(std::string_view sql) {
    write<bool>([&](Connection& db) {
      db.exec(sql);
      return true;
    });
  }

  Account new_account(const std::string& name) {
    return write<Account>([&](Connection& db) { return create_account(db, name, Plan::starter); });
  }

  Connection& db() { return store_->reader(); }

  Logger logger_{LogLevel::error, [](std::string_view) {}};
  std::string directory_;
  std::unique_ptr<Store> store_;
};

// Reads a keyset list page by page to its end and returns the ids in the order seen.
// `read(after, limit)` reads one page; `position(row)` is where the next page starts after `row`.
template <class Row>
std::vector<std::string> walk_pages(
    const std::function<std::vector<Row>(const std::optional<PagePosition>&, std::size_t)>& read,
    const std::function<PagePosition(const Row&)>& position, std::size_t limit) {
  std::vector<std::string> ids;
  std::optional<PagePosition> after;
  for (int page = 0; page < 10'000; ++page) {
    std::vector<Row> rows = read(after, limit);
    EXPECT_LE(rows.size(), limit);
    for (const Row& row : rows)
      ids.push_back(row.id);
    if (rows.size() < limit) return ids;
    after = position(rows.back());
  }
  ADD_FAILURE() << "the walk did not end";
  return ids;
}

// The ids of `rows` in keyset order: by sort value, then id; reversed when descending.
template <class Row>
std::vector<std::string> keyset_order(std::vector<Row> rows,
                                      const std::function<PagePosition(const Row&)>& position,
                                      bool descending) {
  std::sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
    PagePosition pa = position(a);
    PagePosition pb = position(b);
    if (pa.sort_value != pb.sort_value) return pa.sort_value < pb.sort_value;
    return pa.id < pb.id;
  });
  if (descending) std::reverse(rows.begin(), rows.end());
  std::vector<std::string> ids;
  for (const Row& row : rows)
    ids.push_back(row.id);
  return ids;
}

}  // namespace seoagents::storage::fixtures
