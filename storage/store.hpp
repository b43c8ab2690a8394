// The SQLite store. One writer thread owns the write connection and commits queued writes in
// groups (many requests per transaction, one fsync per group); each caller awaits its own
// result and resumes on its own executor. Reads use a connection per calling thread.
//
// Threads: write() may be called from any loop thread; the queue is the only shared state
// (one mutex, held only to push or to take the whole queue). reader() connections belong to
// the thread that asked for them.
#pragma once

#include <array>
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/expected.hpp"
#include "core/log.hpp"
#include "core/metrics.hpp"
#include "storage/sqlite.hpp"

namespace seoagents::storage {

namespace asio = boost::asio;

enum class Durability {
  // synchronous=FULL: an acknowledged write survives power loss.
  full,
  // synchronous=NORMAL: survives a crash of the process, not of the machine.
  normal,
};

struct StorageError {
  enum class Kind {
    // The disk is full, read-only or failing: retry later (503).
    unavailable,
    // A uniqueness or foreign-key rule refused the write.
    constraint,
    // Anything else: a bug or corruption (500).
    internal,
  };
  Kind kind;
  // For logs only; never shown to API callers.
  std::string detail;
};

StorageError to_storage_error(const SqliteError& error);

class Store {
 public:
  struct Options {
    // The database file, e.g. <data>/seoagents.db.
    std::string path;
    Durability durability = Durability::full;
  };

  // Opens the database, sets WAL mode and runs pending migrations. Throws std::runtime_error
  // with a message for the operator (unreadable file, schema newer than this binary).
  Store(Options options, Logger& logger);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Starts the writer thread.
  void start();
  // Commits what is queued, then stops the writer thread. Idempotent.
  void stop();
  // True between start() and stop(): write() will complete.
  bool accepting_writes();

  // Runs `work` on the writer thread inside a transaction shared with other queued writes (in
  // a savepoint of its own, so a failing write undoes only itself), and resumes the caller on
  // its executor once the transaction is durable. `work` signals failure by throwing; it may
  // register Connection::after_commit actions, run on the writer thread in commit order.
  template <class T>
  asio::awaitable<Expected<T, StorageError>> write(std::function<T(Connection&)> work);

  // Runs `work` in a transaction of its own on the calling thread. Only before start() (start-up
  // tasks, the command-line tools): once started, the writer thread owns the connection.
  template <class T>
  Expected<T, StorageError> write_before_start(const std::function<T(Connection&)>& work);

  // The read connection of the calling thread (created on first use).
  Connection& reader();

  // The schema version the database is at.
  int schema_version();

  // Tables whose rows the read caches keep (storage/read_cache.hpp).
  enum class CachedTable { agents };
  // Moves forward after every committed group that changed a row of `table`, before any writer
  // of that group is resumed: a cached row read at an older generation is stale. Rows changed by
  // other processes are not seen (the server is the only writer of these tables).
  std::uint64_t generation(CachedTable table) const {
    return generations_[static_cast<std::size_t>(table)].load(std::memory_order_acquire);
  }

  // Writes committed and groups committed so far (for tests and metrics).
  std::uint64_t committed_writes() const { return committed_writes_.load(); }
  std::uint64_t committed_groups() const { return committed_groups_.load(); }
  // WAL checkpoints run by the background checkpointer so far.
  std::uint64_t background_checkpoints() const { return background_checkpoints_.load(); }
  // Writes per committed group, and the time from a group's BEGIN to its durable COMMIT in
  // seconds (observed on the writer thread; read by the metrics from any thread).
  const metrics::Histogram& group_sizes() const { return group_sizes_; }
  const metrics::Histogram& commit_seconds() const { return commit_seconds_; }

 private:
  struct WriteTask {
    // Runs inside the group's transaction; throws to fail.
    std::function<void(Connection&)> run;
    // Called once the group is committed (or failed): on `resume_on` when it is set, else on
    // the writer thread.
    std::function<void(const std::optional<StorageError>&)> finish;
    asio::any_io_executor resume_on;
  };

  void enqueue(WriteTask task);
  std::optional<StorageError> run_before_start(const std::function<void(Connection&)>& work);
  void writer_loop();
  void commit_group(std::vector<WriteTask>& group);
  // Runs each write's `finish`: those of one executor in one posted function, in the group's
  // order (one wake-up of a loop per group, not one per write).
  static void finish_group(std::vector<WriteTask>& group,
                           std::vector<std::optional<StorageError>>& outcomes);
  void run_after_commit(std::vector<std::function<void()>>& actions);
  // SQLite's update hook on the writer connection: notes which cached tables a group changes.
  static void note_row_change(void* store, int operation, const char* database, const char* table,
                              long long rowid);
  // Moves the generation of every table the group changed (committed or not: harmless).
  void advance_generations();
  // SQLite's WAL hook on the writer connection, after each commit (`pages`: the WAL's size).
  // Asks the checkpointer to copy the WAL into the database once it holds kCheckpointPages;
  // checkpoints on the spot when there is no checkpointer (before start) or it fell far behind.
  static int on_wal_commit(void* store, sqlite3* db, const char* database, int pages);
  // The checkpointer thread: PASSIVE checkpoints on its own connection, so the writer thread
  // never copies pages into the database file or waits for its fsync.
  void checkpoint_loop(Connection& connection);

  Options options_;
  Logger& logger_;
  // Unique per Store instance: the key of the per-thread reader cache.
  std::uint64_t id_;
  std::unique_ptr<Connection> writer_;
  std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::vector<WriteTask> queue_;
  bool stopping_ = false;
  std::thread writer_thread_;
  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<Connection>> readers_;
  std::array<std::atomic<std::uint64_t>, 1> generations_{};
  // Bit per CachedTable changed by the group being written (writer thread only).
  unsigned changed_tables_ = 0;
  std::atomic<std::uint64_t> committed_writes_{0};
  std::atomic<std::uint64_t> committed_groups_{0};
  std::thread checkpoint_thread_;
  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_wanted_;
  bool checkpoint_due_ = false;         // under checkpoint_mutex_
  bool checkpointer_stopping_ = false;  // under checkpoint_mutex_
  std::atomic<bool> checkpointer_running_{false};
  std::atomic<std::uint64_t> background_checkpoints_{0};
  metrics::Histogram group_sizes_{metrics::exponential_buckets(1, 2, 11)};
  metrics::Histogram commit_seconds_{metrics::latency_buckets()};
};

template <class T>
Expected<T, StorageError> Store::write_before_start(const std::function<T(Connection&)>& work) {
  std::optional<T> value;
  auto error = run_before_start([&](Connection& connection) { value.emplace(work(connection)); });
  if (error) return unexpected(*error);
  return std::move(*value);
}

template <class T>
asio::awaitable<Expected<T, StorageError>> Store::write(std::function<T(Connection&)> work) {
  using Result = Expected<T, StorageError>;
  auto initiate = [this, work = std::move(work)](auto handler) mutable {
    using Handler = decltype(handler);
    struct State {
      Handler handler;
      std::optional<T> value;
    };
    auto state = std::make_shared<State>(State{std::move(handler), std::nullopt});
    asio::any_io_executor executor = asio::get_associated_executor(state->handler);
    enqueue(WriteTask{[state, work = std::move(work)](Connection& connection) {
                        state->value.emplace(work(connection));
                      },
                      [state](const std::optional<StorageError>& error) {
                        Result result =
                            error ? Result(unexpected(*error)) : Result(std::move(*state->value));
                        std::move(state->handler)(std::move(result));
                      },
                      std::move(executor)});
  };
  co_return co_await asio::async_initiate<const asio::use_awaitable_t<>, void(Result)>(
      std::move(initiate), asio::use_awaitable);
}

}  // namespace seoagents::storage
