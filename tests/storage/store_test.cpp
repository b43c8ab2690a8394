// Tests of the SQLite store: migrations, group commit through the writer thread, readers.
#include "storage/store.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <filesystem>
#include <vector>

#include "storage/migrations.hpp"
#include "tests/support/eventually.hpp"
#include "tests/support/test_server.hpp"

namespace seoagents::storage {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { directory_ = testing::make_temp_directory(); }
  void TearDown() override { std::filesystem::remove_all(directory_); }
  std::string path() const { return directory_ + "/seoagents.db"; }

  std::string directory_;
  Logger logger_{LogLevel::error, [](std::string_view) {}};
};

constexpr std::string_view kCreateItems = "CREATE TABLE IF NOT EXISTS items (n INTEGER UNIQUE)";
constexpr std::string_view kInsertItem = "INSERT INTO items (n) VALUES (?)";
constexpr std::string_view kCountItems = "SELECT count(*) FROM items";

template <class T>
T run(asio::io_context& context, asio::awaitable<T> task) {
  auto future = asio::co_spawn(context, std::move(task), asio::use_future);
  context.run();
  context.restart();
  return future.get();
}

TEST_F(StoreTest, MigratesANewDatabaseToTheLatestVersion) {
  Store store({path()}, logger_);
  EXPECT_EQ(store.schema_version(), latest_schema_version());
}

TEST_F(StoreTest, RefusesADatabaseNewerThanTheBinary) {
  {
    Connection connection(path(), Connection::Mode::read_write);
    connection.exec("PRAGMA user_version = 999");
  }
  try {
    Store store({path()}, logger_);
    FAIL() << "a newer schema was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("version 999, newer than this seoagents knows"),
              std::string::npos)
        << e.what();
  }
}

TEST_F(StoreTest, ConcurrentWritesAreCommittedInGroupsAndEachCallerGetsItsResult) {
  // Declared before the store: the writer thread may still hold a handler bound to it until the
  // store stops.
  asio::io_context context;
  Store store({path()}, logger_);
  store.start();
  run(context, [&]() -> asio::awaitable<int> {
    auto created = co_await store.write<int>([](Connection& c) {
      c.exec(kCreateItems);
      return 0;
    });
    co_return created ? 0 : 1;
  }());
  constexpr int kWrites = 500;
  std::vector<std::future<bool>> results;
  for (int i = 0; i < kWrites; ++i) {
    // Every 10th write repeats a value: the UNIQUE rule fails it, and only it.
    int value = i % 10 == 9 ? i - 1 : i;
    results.push_back(asio::co_spawn(
        context,
        [&store, value]() -> asio::awaitable<bool> {
          auto result = co_await store.write<int>([value](Connection& c) {
            c.query(kInsertItem)->bind(1, value).run();
            return value;
          });
          co_return result.has_value() && *result == value;
        },
        asio::use_future));
  }
  context.run();
  int succeeded = 0;
  for (auto& result : results)
    succeeded += result.get() ? 1 : 0;
  EXPECT_EQ(succeeded, kWrites - kWrites / 10);
  Query count = store.reader().query(kCountItems);
  ASSERT_TRUE(count->step());
  EXPECT_EQ(count->integer(0), kWrites - kWrites / 10);
  EXPECT_LT(store.committed_groups(), static_cast<std::uint64_t>(kWrites));
  store.stop();
}

TEST_F(StoreTest, AFailedWriteReportsAConstraintErrorAndWritesNothing) {
  // Declared before the store: the writer thread may still hold a handler bound to it until the
  // store stops.
  asio::io_context context;
  Store store({path()}, logger_);
  store.start();
  auto failure = run(context, [&]() -> asio::awaitable<std::optional<StorageError>> {
    co_await store.write<int>([](Connection& c) {
      c.exec(kCreateItems);
      c.query(kInsertItem)->bind(1, 7).run();
      return 0;
    });
    auto outcome = co_await store.write<int>([](Connection& c) {
      c.query(kInsertItem)->bind(1, 8).run();  // undone with its savepoint
      c.query(kInsertItem)->bind(1, 7).run();  // violates UNIQUE
      return 1;
    });
    if (outcome.has_value()) co_return std::nullopt;
    co_return outcome.error();
  }());
  ASSERT_TRUE(failure.has_value()) << "the failing write succeeded";
  EXPECT_EQ(failure->kind, StorageError::Kind::constraint);
  Query count = store.reader().query(kCountItems);
  ASSERT_TRUE(count->step());
  EXPECT_EQ(count->integer(0), 1);
}

TEST_F(StoreTest, AfterCommitActionsRunInCommitOrderAndNotForAWriteThatRolledBack) {
  asio::io_context context;
  Store store({path()}, logger_);
  std::vector<int> ran;  // touched only by the writer thread until the store stops
  store.write_before_start<int>([&](Connection& c) {
    c.exec(kCreateItems);
    c.after_commit([&ran] { ran.push_back(0); });
    return 0;
  });
  EXPECT_EQ(ran, std::vector<int>{0});
  store.start();
  run(context, [&]() -> asio::awaitable<bool> {
    for (int n = 1; n <= 3; ++n) {
      co_await store.write<int>([&ran, n](Connection& c) {
        c.query(kInsertItem)->bind(1, n).run();
        c.after_commit([&ran, n] { ran.push_back(n); });
        return n;
      });
    }
    // Fails after registering its action: the action is dropped with the write.
    co_await store.write<int>([&ran](Connection& c) {
      c.after_commit([&ran] { ran.push_back(99); });
      c.query(kInsertItem)->bind(1, 1).run();
      return 0;
    });
    co_return true;
  }());
  store.stop();
  EXPECT_EQ(ran, (std::vector<int>{0, 1, 2, 3}));
}

constexpr std::string_view kCreateBlobs = "CREATE TABLE IF NOT EXISTS blobs (b BLOB)";
constexpr std::string_view kInsertBlob = "INSERT INTO blobs (b) VALUES (zeroblob(?))";
// About 400 pages of 4 KiB: a few such writes pass the 1,000-page checkpoint threshold.
constexpr int kBlobBytes = 1'600'000;

std::uintmax_t file_bytes(const std::string& file) {
  std::error_code ec;
  auto size = std::filesystem::file_size(file, ec);
  return ec ? 0 : size;
}

std::uintmax_t wal_bytes(const std::string& database) {
  return file_bytes(database + "-wal");
}

// Once started, the store copies the WAL into the database on its checkpointer thread: the
// writer itself checkpoints only past 10,000 pages, far more than these writes make, so the
// pages that reach the database file were copied there by the checkpointer.
TEST_F(StoreTest, TheWalIsCheckpointedInTheBackgroundOnceStarted) {
  asio::io_context context;
  Store store({path()}, logger_);
  store.start();
  for (int i = 0; i < 12; ++i) {
    bool written = run(context, [&]() -> asio::awaitable<bool> {
      auto done = co_await store.write<int>([](Connection& c) {
        c.exec(kCreateBlobs);
        c.query(kInsertBlob)->bind(1, kBlobBytes).run();
        return 0;
      });
      co_return done.has_value();
    }());
    ASSERT_TRUE(written);
  }
  ASSERT_TRUE(testing::eventually([&] { return store.background_checkpoints() >= 1; }));
  ASSERT_TRUE(
      testing::eventually([&] { return file_bytes(path()) >= std::uintmax_t{12} * kBlobBytes; }));
  Query count = store.reader().query("SELECT count(*) FROM blobs");
  ASSERT_TRUE(count->step());
  EXPECT_EQ(count->integer(0), 12);
  store.stop();
}

TEST_F(StoreTest, BeforeStartTheWriterCheckpointsItself) {
  Store store({path()}, logger_);
  for (int i = 0; i < 12; ++i) {
    auto written = store.write_before_start<int>([](Connection& c) {
      c.exec(kCreateBlobs);
      c.query(kInsertBlob)->bind(1, kBlobBytes).run();
      return 0;
    });
    ASSERT_TRUE(written.has_value());
  }
  EXPECT_EQ(store.background_checkpoints(), 0u);
  EXPECT_LT(wal_bytes(path()), std::uintmax_t{12} * kBlobBytes);
}

}  // namespace
}  // namespace seoagents::storage
