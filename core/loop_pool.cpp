// Starting and stopping the per-core loops.
#include "core/loop_pool.hpp"

namespace seoagents {
namespace {

thread_local int current_loop_index = -1;

}  // namespace

int LoopPool::current_index() {
  return current_loop_index;
}

LoopPool::ScopedLoopIndex::ScopedLoopIndex(int index) : previous_(current_loop_index) {
  current_loop_index = index;
}

LoopPool::ScopedLoopIndex::~ScopedLoopIndex() {
  current_loop_index = previous_;
}

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
  for (std::size_t i = 0; i < loops_.size(); ++i) {
    Loop& loop = *loops_[i];
    loop.work.emplace(loop.context.get_executor());
    loop.thread = std::thread([&context = loop.context, index = static_cast<int>(i)] {
      current_loop_index = index;
      context.run();
    });
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
