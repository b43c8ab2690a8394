// The set of watched jobs (see watched_jobs.hpp).
#include "ws/watched_jobs.hpp"

#include <functional>

namespace seoagents::ws {

WatchedJobs::Shard& WatchedJobs::shard_for(const std::string& job_id) const {
  return shards_[std::hash<std::string>{}(job_id) % kShards];
}

void WatchedJobs::add(const std::string& job_id) {
  Shard& shard = shard_for(job_id);
  std::lock_guard lock(shard.mutex);
  ++shard.watchers[job_id];
}

void WatchedJobs::remove(const std::string& job_id) {
  Shard& shard = shard_for(job_id);
  std::lock_guard lock(shard.mutex);
  auto found = shard.watchers.find(job_id);
  if (found == shard.watchers.end()) return;
  if (--found->second == 0) shard.watchers.erase(found);
}

bool WatchedJobs::watched(const std::string& job_id) const {
  Shard& shard = shard_for(job_id);
  std::lock_guard lock(shard.mutex);
  return shard.watchers.contains(job_id);
}

}  // namespace seoagents::ws
