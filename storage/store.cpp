// The store: connection set-up, the writer thread with group commit, per-thread readers.
#include "storage/store.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>

#include "storage/migrations.hpp"

namespace seoagents::storage {
namespace {

std::atomic<std::uint64_t> next_store_id{1};

constexpr std::string_view kBegin = "BEGIN IMMEDIATE";
constexpr std::string_view kCommit = "COMMIT";
constexpr std::string_view kRollback = "ROLLBACK";
constexpr std::string_view kSavepoint = "SAVEPOINT write_task";
constexpr std::string_view kRelease = "RELEASE write_task";
constexpr std::string_view kRollbackToSavepoint = "ROLLBACK TO write_task";
// A checkpoint is asked for once the WAL holds this many pages (SQLite's own default), and the
// writer checkpoints itself past the second (the checkpointer fell behind: the WAL must not
// grow without bound).
constexpr int kCheckpointPages = 1000;
constexpr int kInlineCheckpointPages = 10'000;

// Reads of the database file go through a shared memory map instead of a read() into each
// connection's page cache, which a reader drops whenever another connection committed. 256 MiB
// of address space; pages count in the RSS only once touched (and are the kernel's page cache).
void map_the_file(Connection& connection) {
  connection.exec("PRAGMA mmap_size = 268435456");
}

void configure_writer(Connection& connection, Durability durability) {
  connection.exec("PRAGMA journal_mode = WAL");
  connection.exec(durability == Durability::full ? "PRAGMA synchronous = FULL"
                                                 : "PRAGMA synchronous = NORMAL");
  connection.exec("PRAGMA foreign_keys = ON");
  connection.exec("PRAGMA temp_store = MEMORY");
  // Inserts walk the same index pages again and again: keep up to 64 MiB of them (filled only
  // as pages are read) rather than reading them back from the file.
  connection.exec("PRAGMA cache_size = -65536");
  // Under a steady stream of writes the WAL grows until a checkpoint catches up; once it does,
  // the next write starts the WAL again and cuts the file back to this size.
  connection.exec("PRAGMA journal_size_limit = 67108864");
  map_the_file(connection);
}

void run_cached(Connection& connection, std::string_view sql) {
  connection.query(sql)->run();
}

}  // namespace

StorageError to_storage_error(const SqliteError& error) {
  if (is_storage_unavailable(error.code())) {
    return {StorageError::Kind::unavailable, error.what()};
  }
  if (error.code() == SQLITE_CONSTRAINT) return {StorageError::Kind::constraint, error.what()};
  return {StorageError::Kind::internal, error.what()};
}

Store::Store(Options options, Logger& logger)
    : options_(std::move(options)), logger_(logger), id_(next_store_id.fetch_add(1)) {
  try {
    writer_ = std::make_unique<Connection>(options_.path, Connection::Mode::read_write);
    configure_writer(*writer_, options_.durability);
    migrate(*writer_, logger_);
    sqlite3_update_hook(writer_->handle(), &Store::note_row_change, this);
    // Replaces SQLite's automatic checkpoint on this connection (also a WAL hook).
    sqlite3_wal_hook(writer_->handle(), &Store::on_wal_commit, this);
  } catch (const SqliteError& e) {
    throw std::runtime_error("database " + options_.path + ": " + e.what());
  }
}

Store::~Store() {
  stop();
}

void Store::note_row_change(void* store, int, const char*, const char* table, long long) {
  auto* self = static_cast<Store*>(store);
  std::string_view name(table);
  if (name == "agents") self->changed_tables_ |= 1u << static_cast<unsigned>(CachedTable::agents);
}

void Store::advance_generations() {
  for (std::size_t table = 0; table < generations_.size(); ++table) {
    if ((changed_tables_ & (1u << table)) != 0) {
      generations_[table].fetch_add(1, std::memory_order_release);
    }
  }
  changed_tables_ = 0;
}

void Store::start() {
  auto connection = std::make_shared<Connection>(options_.path, Connection::Mode::read_write);
  configure_writer(*connection, options_.durability);  // the same fsyncs as the writer's
  checkpointer_running_ = true;
  checkpoint_thread_ = std::thread([this, connection] { checkpoint_loop(*connection); });
  writer_thread_ = std::thread([this] { writer_loop(); });
}

void Store::stop() {
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_ready_.notify_one();
  if (writer_thread_.joinable()) writer_thread_.join();
  {
    std::lock_guard lock(checkpoint_mutex_);
    checkpointer_stopping_ = true;
  }
  checkpoint_wanted_.notify_one();
  if (checkpoint_thread_.joinable()) checkpoint_thread_.join();
  checkpointer_running_ = false;
}

int Store::on_wal_commit(void* store, sqlite3* db, const char* database, int pages) {
  auto* self = static_cast<Store*>(store);
  if (pages < kCheckpointPages) return SQLITE_OK;
  if (self->checkpointer_running_.load() && pages < kInlineCheckpointPages) {
    {
      std::lock_guard lock(self->checkpoint_mutex_);
      self->checkpoint_due_ = true;
    }
    self->checkpoint_wanted_.notify_one();
    return SQLITE_OK;
  }
  // What SQLite's automatic checkpoint does; a failure (busy) is retried at the next commit.
  sqlite3_wal_checkpoint_v2(db, database, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  return SQLITE_OK;
}

void Store::checkpoint_loop(Connection& connection) {
  for (;;) {
    {
      std::unique_lock lock(checkpoint_mutex_);
      checkpoint_wanted_.wait(lock, [this] { return checkpoint_due_ || checkpointer_stopping_; });
      if (checkpointer_stopping_) return;
      checkpoint_due_ = false;
    }
    int result = sqlite3_wal_checkpoint_v2(connection.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                           nullptr, nullptr);
    if (result == SQLITE_OK) {
      background_checkpoints_.fetch_add(1);
    } else if (result != SQLITE_BUSY) {
      logger_.error("wal_checkpoint_failed", {{"error", sqlite3_errstr(result)}});
    }
  }
}

bool Store::accepting_writes() {
  std::lock_guard lock(queue_mutex_);
  return writer_thread_.joinable() && !stopping_;
}

std::optional<StorageError> Store::run_before_start(const std::function<void(Connection&)>& work) {
  if (writer_thread_.joinable()) {
    return StorageError{StorageError::Kind::internal, "write_before_start after start()"};
  }
  std::optional<StorageError> outcome;
  std::vector<WriteTask> group;
  group.push_back(
      WriteTask{work, [&outcome](const std::optional<StorageError>& error) { outcome = error; }});
  commit_group(group);
  return outcome;
}

int Store::schema_version() {
  return storage::schema_version(reader());
}

void Store::enqueue(WriteTask task) {
  {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back(std::move(task));
  }
  queue_ready_.notify_one();
}

void Store::writer_loop() {
  std::vector<WriteTask> group;
  for (;;) {
    {
      std::unique_lock lock(queue_mutex_);
      queue_ready_.wait(lock, [this] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping, and everything queued was committed
      group.swap(queue_);
    }
    commit_group(group);
    group.clear();
  }
}

void Store::commit_group(std::vector<WriteTask>& group) {
  std::vector<std::optional<StorageError>> outcomes(group.size());
  auto& after_commit = writer_->pending_after_commit();
  after_commit.clear();
  auto began = std::chrono::steady_clock::now();
  try {
    run_cached(*writer_, kBegin);
    for (std::size_t i = 0; i < group.size(); ++i) {
      run_cached(*writer_, kSavepoint);
      // The after-commit actions of a write that rolls back are dropped with it.
      std::size_t actions_before = after_commit.size();
      try {
        group[i].run(*writer_);
        run_cached(*writer_, kRelease);
      } catch (const SqliteError& e) {
        outcomes[i] = to_storage_error(e);
        after_commit.resize(actions_before);
        run_cached(*writer_, kRollbackToSavepoint);
        run_cached(*writer_, kRelease);
      } catch (const std::exception& e) {
        outcomes[i] = StorageError{StorageError::Kind::internal, e.what()};
        after_commit.resize(actions_before);
        run_cached(*writer_, kRollbackToSavepoint);
        run_cached(*writer_, kRelease);
      }
    }
    run_cached(*writer_, kCommit);
    committed_groups_.fetch_add(1);
    committed_writes_.fetch_add(group.size());
    group_sizes_.observe(static_cast<double>(group.size()));
    commit_seconds_.observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count());
    run_after_commit(after_commit);
  } catch (const SqliteError& e) {
    // BEGIN or COMMIT itself failed (disk full, I/O error): nothing of the group is durable.
    StorageError failure = to_storage_error(e);
    logger_.error("write_group_failed",
                  {{"writes", static_cast<std::uint64_t>(group.size())}, {"error", e.what()}});
    if (sqlite3_get_autocommit(writer_->handle()) == 0) {
      try {
        run_cached(*writer_, kRollback);
      } catch (const SqliteError&) {
        // the connection stays usable; the next group starts a fresh transaction
      }
    }
    for (auto& outcome : outcomes) {
      if (!outcome) outcome = failure;
    }
    after_commit.clear();
  }
  // Before any writer resumes: a read after its write must not find the old row in a cache.
  advance_generations();
  finish_group(group, outcomes);
}

void Store::finish_group(std::vector<WriteTask>& group,
                         std::vector<std::optional<StorageError>>& outcomes) {
  struct Batch {
    asio::any_io_executor executor;
    std::vector<std::function<void()>> finishes;
  };
  std::vector<Batch> batches;  // as many as loops: found by a linear search
  for (std::size_t i = 0; i < group.size(); ++i) {
    auto finish = [task = std::move(group[i].finish), outcome = std::move(outcomes[i])] {
      task(outcome);
    };
    if (!group[i].resume_on) {
      finish();
      continue;
    }
    auto batch = std::find_if(batches.begin(), batches.end(), [&](const Batch& candidate) {
      return candidate.executor == group[i].resume_on;
    });
    if (batch == batches.end())
      batch = batches.insert(batches.end(), Batch{group[i].resume_on, {}});
    batch->finishes.push_back(std::move(finish));
  }
  for (Batch& batch : batches) {
    asio::post(batch.executor, [finishes = std::move(batch.finishes)] {
      for (const auto& finish : finishes)
        finish();
    });
  }
}

void Store::run_after_commit(std::vector<std::function<void()>>& actions) {
  for (auto& action : actions) {
    try {
      action();
    } catch (const std::exception& e) {
      logger_.error("after_commit_action_failed", {{"error", e.what()}});
    }
  }
  actions.clear();
}

Connection& Store::reader() {
  // Each thread caches its connection per store; the store owns it. Store ids are never reused,
  // so a cached pointer of a destroyed store is never looked up again.
  thread_local std::unordered_map<std::uint64_t, Connection*> cache;
  if (auto it = cache.find(id_); it != cache.end()) return *it->second;
  auto connection = std::make_unique<Connection>(options_.path, Connection::Mode::read_write);
  connection->exec("PRAGMA query_only = ON");
  map_the_file(*connection);
  Connection* raw = connection.get();
  {
    std::lock_guard lock(readers_mutex_);
    readers_.push_back(std::move(connection));
  }
  cache.emplace(id_, raw);
  return *raw;
}

}  // namespace seoagents::storage
