// The thread-per-core runtime: N io_contexts, each run by exactly one thread. A connection,
// its timers and its coroutines live their whole life on one loop, so they need no locks.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace seoagents {

namespace asio = boost::asio;

class LoopPool {
 public:
  explicit LoopPool(unsigned thread_count);
  ~LoopPool();
  LoopPool(const LoopPool&) = delete;
  LoopPool& operator=(const LoopPool&) = delete;

  unsigned size() const { return static_cast<unsigned>(loops_.size()); }

  // The index of the loop the calling thread runs, or -1 on any other thread. Lets per-loop
  // state be found without a lock.
  static int current_index();

  // Marks the calling thread as loop `index` while it lives, for benchmarks and tests that call
  // per-loop state from their own thread. Never used by the server itself.
  class ScopedLoopIndex {
   public:
    explicit ScopedLoopIndex(int index);
    ~ScopedLoopIndex();
    ScopedLoopIndex(const ScopedLoopIndex&) = delete;
    ScopedLoopIndex& operator=(const ScopedLoopIndex&) = delete;

   private:
    int previous_;
  };
  asio::io_context& loop(unsigned index) { return loops_[index]->context; }

  // Starts one thread per loop. Loops keep running with no work until stop().
  void start();
  // Stops every loop, joins the threads and destroys the loops with whatever they still held.
  // Idempotent; the pool is empty afterwards.
  void stop();

 private:
  struct Loop {
    // Concurrency hint 1: one thread runs it; other threads only post to it.
    asio::io_context context{1};
    // Keeps run() from returning while the loop is idle.
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    std::thread thread;
  };
  // One entry per thread; unique_ptr keeps each io_context at a fixed address.
  std::vector<std::unique_ptr<Loop>> loops_;
};

// The default thread count: the number of cores, at least 1.
unsigned default_thread_count();

}  // namespace seoagents
