// The compute pool's threads.
#include "core/compute_pool.hpp"

#include <algorithm>
#include <thread>

namespace seoagents {
namespace {

std::size_t pool_size(std::size_t threads) {
  if (threads > 0) return threads;
  return std::max<std::size_t>(1, std::thread::hardware_concurrency() / 2);
}

}  // namespace

ComputePool::ComputePool(std::size_t threads) : threads_(pool_size(threads)), pool_(threads_) {}

ComputePool::~ComputePool() {
  stop();
}

void ComputePool::stop() {
  pool_.join();
}

}  // namespace seoagents
