// Starting and stopping the per-core loops.
#include "core/loop_pool.hpp"

namespace seoagents {

unsigned default_thread_count() {
  unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : cores;
}

LoopPool::LoopPool(unsigned thread_count) {
  loops_.reserve(thread_count);
  for (unsigned i = 0; i < thread_count; ++i) {
    loops_.push_back(std::make_unique<Loop>());
  }
}

LoopPool::~LoopPool() {
  stop();
}

void LoopPool::start() {
  for (auto& loop : loops_) {
    loop->work.emplace(loop->context.get_executor());
    loop->thread = std::thread([&context = loop->context] { context.run(); });
  }
}

void LoopPool::stop() {
  for (auto& loop : loops_) {
    loop->work.reset();
    loop->context.stop();
  }
  for (auto& loop : loops_) {
    if (loop->thread.joinable()) {
      loop->thread.join();
    }
  }
  // Destroying the contexts now destroys any handler or coroutine frame still queued, while the
  // services those frames refer to are still alive (they are destroyed after the pool stops).
  loops_.clear();
}

}  // namespace seoagents
